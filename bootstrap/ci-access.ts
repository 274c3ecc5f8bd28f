/**
 * GitHub Actions access to AWS by OpenID Connect, no static keys:
 * - `GithubOidcProvider` (`platform:bootstrap:GithubOidcProvider`): the account's IAM OIDC provider for
 *   `https://token.actions.githubusercontent.com` with audience `sts.amazonaws.com`;
 * - `DeployPolicies` (`platform:bootstrap:DeployPolicies`): the managed policies every deploy role gets
 *   (bootstrap/permissions.ts says what they allow and why), and the permissions boundary
 * `pulumi-ci-workload-boundary` that every role the platform creates must carry; * - `CiRoles`
 * (`platform:bootstrap:CiRoles`), per environment: a preview role that only jobs in the GitHub
 *   environment `<env>-preview` can assume (`sub` = `repo:<owner>/<repo>:environment:<env>-preview`;
 *   `prod-preview` has required reviewers, so pull-request code never holds prod's state and secrets keys
 *   unreviewed), and a deploy role that only jobs of `main` running in the GitHub environment of the same
 *   name can assume (`sub` = `repo:<owner>/<repo>:environment:<env>` and `ref` = `refs/heads/main`), all
 *   requiring `aud` = `sts.amazonaws.com`.
 *
 * GitHub's claims:
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims;
 * AWS:
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AccountFacts,
    deployComputePolicy,
    deployDataPolicy,
    deployEdgePolicy,
    deployIamPolicy,
    deployIntegrationPolicy,
    deployNetworkPolicy,
    deployPassRolePolicy,
    deploySecretsPolicy,
    deployStatePolicy,
    previewReadsPolicy,
    previewStatePolicy,
    ProtectedResources,
    StateAccess,
    workloadBoundaryPolicy,
} from "./permissions";
import { WORKLOAD_BOUNDARY_POLICY_NAME } from "../infra/security/permissions-boundary";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

/** Fixed name of a CI role: `pulumi-ci-<environment>-<preview|deploy>` (workflows and key policies name it). */
export function ciRoleName(environment: string, kind: "preview" | "deploy"): string {
    return `pulumi-ci-${environment}-${kind}`;
}

/**
 * Longest session of a deploy role, in seconds: a first deploy of the whole platform (EKS, RDS, CloudFront) can take
 * hours.
 */
export const DEPLOY_SESSION_SECONDS = 4 * 3600;
/** Longest session of a preview role, in seconds. */
export const PREVIEW_SESSION_SECONDS = 3600;

export interface GithubOidcProviderArgs {
    /** ARN of an existing provider to reuse; when set nothing is created. */
    existingArn?: string;
    tags: Record<string, string>;
}

export class GithubOidcProvider extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: GithubOidcProviderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:bootstrap:GithubOidcProvider", name, {}, opts);
        if (args.existingArn) {
            this.arn = pulumi.output(args.existingArn);
        } else {
            // No thumbprint: AWS validates GitHub's certificate against its trusted root CAs.
            const provider = new aws.iam.OpenIdConnectProvider(
                name,
                {
                    url: `https://${GITHUB_OIDC_HOST}`,
                    clientIdLists: [GITHUB_AUDIENCE],
                    tags: args.tags,
                },
                { parent: this },
            );
            this.arn = provider.arn;
        }
        this.registerOutputs({ arn: this.arn });
    }
}

export interface DeployPoliciesArgs {
    facts: pulumi.Input<AccountFacts>;
    protectedResources: pulumi.Input<ProtectedResources>;
    tags: Record<string, string>;
}

/** The platform-deploy managed policies shared by every environment's deploy role. */
export class DeployPolicies extends pulumi.ComponentResource {
    /** Policy ARNs, keyed by domain. */
    readonly policyArns: Record<string, pulumi.Output<string>>;
    /** ARN of the workload permissions boundary. */
    readonly boundaryArn: pulumi.Output<string>;

    constructor(name: string, args: DeployPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:bootstrap:DeployPolicies", name, {}, opts);
        const facts = pulumi.output(args.facts);
        const documents: Record<string, pulumi.Output<unknown>> = {
            network: facts.apply(deployNetworkPolicy),
            compute: facts.apply(deployComputePolicy),
            data: facts.apply(deployDataPolicy),
            secrets: facts.apply(deploySecretsPolicy),
            integration: facts.apply(deployIntegrationPolicy),
            edge: facts.apply(deployEdgePolicy),
            iam: pulumi.all([facts, pulumi.output(args.protectedResources)]).apply(([f, p]) => deployIamPolicy(f, p)),
        };
        this.policyArns = {};
        for (const [domain, document] of Object.entries(documents)) {
            const policy = new aws.iam.Policy(
                `${name}-${domain}`,
                {
                    description:
                        `Lets the platform's deploy roles manage its ${domain} resources ` +
                        `(bootstrap/permissions.ts)`,
                    policy: pulumi.jsonStringify(document),
                    tags: args.tags,
                },
                { parent: this },
            );
            this.policyArns[domain] = policy.arn;
        }
        // Fixed name: the platform program derives its ARN (infra/security/permissions-boundary.ts).
        const boundary = new aws.iam.Policy(
            `${name}-workload-boundary`,
            {
                name: WORKLOAD_BOUNDARY_POLICY_NAME,
                description:
                    "Permissions boundary of every role the platform program creates (bootstrap/permissions.ts)",
                policy: pulumi.jsonStringify(
                    pulumi
                        .all([facts, pulumi.output(args.protectedResources)])
                        .apply(([f, p]) => workloadBoundaryPolicy(f, p)),
                ),
                tags: args.tags,
            },
            { parent: this },
        );
        this.boundaryArn = boundary.arn;
        this.registerOutputs({ policyArns: this.policyArns, boundaryArn: this.boundaryArn });
    }
}

export interface CiRolesArgs {
    environment: string;
    /** `owner/repository`. */
    githubRepository: string;
    oidcProviderArn: pulumi.Input<string>;
    /** State access: bucket, keys, project; `stack` is the environment. */
    state: pulumi.Input<Omit<StateAccess, "stack">>;
    facts: pulumi.Input<AccountFacts>;
    /** Managed policies attached to the deploy role. */
    deployPolicyArns: Record<string, pulumi.Input<string>>;
    tags: Record<string, string>;
}

/**
 * The only git ref whose jobs may assume a deploy role. STS exposes the token's `ref` claim as the
 * condition key `token.actions.githubusercontent.com:ref` (Service Authorization Reference, AWS STS:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html),
 * so the trust policy itself refuses a job of another branch, even one that reaches the environment.
 */
export const DEPLOY_REF = "refs/heads/main";

/**
 * Trust of a CI role: GitHub's OIDC provider, audience `sts.amazonaws.com`, the subject, and the git ref when given.
 */
function githubTrustPolicy(providerArn: pulumi.Input<string>, subject: string, ref?: string): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GithubActionsOidc",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE,
                        [`${GITHUB_OIDC_HOST}:sub`]: subject,
                        ...(ref === undefined ? {} : { [`${GITHUB_OIDC_HOST}:ref`]: ref }),
                    },
                },
            },
        ],
    });
}

/**
 * GitHub environment whose jobs may assume an environment's preview role: `<environment>-preview`.
 * Pull requests reach it; `prod-preview` requires reviewers, so pull-request code never runs with prod's
 * state and secrets keys before a reviewer has read it (docs/delivery.md).
 */
export function previewEnvironment(environment: string): string {
    return `${environment}-preview`;
}

/** The preview and deploy roles of one environment. */
export class CiRoles extends pulumi.ComponentResource {
    readonly previewRoleArn: pulumi.Output<string>;
    readonly deployRoleArn: pulumi.Output<string>;

    constructor(name: string, args: CiRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:bootstrap:CiRoles", name, {}, opts);
        if (!/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(args.githubRepository)) {
            throw new Error(
                `CiRoles ${name}: githubRepository must be owner/repository without wildcards, got ` +
                    `'${args.githubRepository}'`,
            );
        }
        const child = { parent: this };
        const state = pulumi.output(args.state).apply((s) => ({ ...s, stack: args.environment }));

        const preview = new aws.iam.Role(
            `${name}-preview`,
            {
                name: ciRoleName(args.environment, "preview"),
                description:
                    `pulumi preview of the ${args.environment} stack from pull requests of ` +
                    `${args.githubRepository}, in the GitHub environment ${previewEnvironment(args.environment)}`,
                assumeRolePolicy: githubTrustPolicy(
                    args.oidcProviderArn,
                    `repo:${args.githubRepository}:environment:${previewEnvironment(args.environment)}`,
                ),
                maxSessionDuration: PREVIEW_SESSION_SECONDS,
                tags: { ...args.tags, Purpose: "ci-preview" },
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-preview-state`,
            { role: preview.id, policy: pulumi.jsonStringify(state.apply(previewStatePolicy)) },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-preview-reads`,
            { role: preview.id, policy: pulumi.jsonStringify(pulumi.output(args.facts).apply(previewReadsPolicy)) },
            child,
        );

        const deploy = new aws.iam.Role(
            `${name}-deploy`,
            {
                name: ciRoleName(args.environment, "deploy"),
                description:
                    `pulumi up of the ${args.environment} stack from the GitHub environment ${args.environment} ` +
                    `of ${args.githubRepository}`,
                assumeRolePolicy: githubTrustPolicy(
                    args.oidcProviderArn,
                    `repo:${args.githubRepository}:environment:${args.environment}`,
                    DEPLOY_REF,
                ),
                maxSessionDuration: DEPLOY_SESSION_SECONDS,
                tags: { ...args.tags, Purpose: "ci-deploy" },
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-deploy-state`,
            { role: deploy.id, policy: pulumi.jsonStringify(state.apply(deployStatePolicy)) },
            child,
        );
        // Inline: the pass-role rules name every prefix and pattern, more than a managed policy holds.
        new aws.iam.RolePolicy(
            `${name}-deploy-passrole`,
            { role: deploy.id, policy: pulumi.jsonStringify(pulumi.output(args.facts).apply(deployPassRolePolicy)) },
            child,
        );
        for (const [domain, policyArn] of Object.entries(args.deployPolicyArns)) {
            new aws.iam.RolePolicyAttachment(`${name}-deploy-${domain}`, { role: deploy.name, policyArn }, child);
        }

        this.previewRoleArn = preview.arn;
        this.deployRoleArn = deploy.arn;
        this.registerOutputs({ previewRoleArn: this.previewRoleArn, deployRoleArn: this.deployRoleArn });
    }
}
