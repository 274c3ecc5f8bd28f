/**
 * The bootstrap program (project `platform-bootstrap`): what a team needs before the platform's first
 * `pulumi login s3://…`. Run once per AWS account by an administrator, with local state
 * (docs/delivery.md walks through it):
 * - the state bucket and its KMS key (`StateBackend`);
 * - a KMS key per environment for the `awskms://` secrets provider of that stack (`SecretsProviderKey`);
 * - the GitHub OIDC provider, and per environment a preview role (pull requests) and a deploy role (the
 *   GitHub environment), with the platform-deploy policies (`GithubOidcProvider`, `DeployPolicies`, `CiRoles`).
 * Its outputs are what the workflows and `pulumi login` / `pulumi stack init` need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ciRoleName, CiRoles, DeployPolicies, GithubOidcProvider } from "./ci-access";
import { loadBootstrapConfig } from "./config";
import { AccountFacts } from "./permissions";
import { SecretsProviderKey, StateBackend } from "./state-backend";

const config = loadBootstrapConfig();
const identity = aws.getCallerIdentityOutput();
const partition = aws.getPartitionOutput().partition;
const accountId = identity.accountId;

/** Tags of every bootstrap resource; `environment` is the stack it serves, `shared` for the state backend. */
function tags(environment: string): Record<string, string> {
    return {
        ...config.tags,
        Project: "platform",
        Environment: environment,
        Architecture: "bootstrap",
        ManagedBy: "pulumi",
        Stack: config.stack,
    };
}

const roleArn = (environment: string, kind: "preview" | "deploy") =>
    pulumi.interpolate`arn:${partition}:iam::${accountId}:role/${ciRoleName(environment, kind)}`;
const ciRoleArns = config.environments.flatMap((env) => [roleArn(env, "preview"), roleArn(env, "deploy")]);

const state = new StateBackend("pulumi-state", {
    partition,
    accountId,
    region: config.region,
    adminRoleArns: config.adminRoleArns,
    ciRoleArns,
    noncurrentVersionDays: config.noncurrentVersionDays,
    noncurrentVersionsKept: config.noncurrentVersionsKept,
    protect: config.protect,
    tags: tags("shared"),
});

const secretsKeys = Object.fromEntries(
    config.environments.map((env) => [
        env,
        new SecretsProviderKey(`pulumi-secrets-${env}`, {
            partition,
            accountId,
            region: config.region,
            environment: env,
            users: [...config.adminRoleArns, roleArn(env, "preview"), roleArn(env, "deploy")],
            protect: config.protect,
            tags: tags(env),
        }),
    ]),
);

const oidc = new GithubOidcProvider("github-actions", {
    existingArn: config.githubOidcProviderArn || undefined,
    tags: tags("shared"),
});

const facts: pulumi.Output<AccountFacts> = pulumi.all([partition, accountId]).apply(([p, a]) => ({
    partition: p,
    accountId: a,
    regions: [...config.deployRegions],
    namePrefixes: [...config.namePrefixes],
}));
const deployPolicies = new DeployPolicies("pulumi-ci-deploy", {
    facts,
    protectedResources: pulumi
        .all([partition, accountId, state.bucketArn, state.keyArn, ...Object.values(secretsKeys).map((k) => k.keyArn)])
        .apply(([p, a, bucketArn, ...keyArns]) => ({
            ciRoleArnPattern: `arn:${p}:iam::${a}:role/pulumi-ci-*`,
            ciPolicyArnPattern: `arn:${p}:iam::${a}:policy/pulumi-ci-*`,
            stateBucketArn: bucketArn,
            bootstrapKeyArns: keyArns,
        })),
    tags: tags("shared"),
});

const roles = Object.fromEntries(
    config.environments.map((env) => [
        env,
        new CiRoles(`pulumi-ci-${env}`, {
            environment: env,
            githubRepository: config.githubRepository,
            oidcProviderArn: oidc.arn,
            state: pulumi
                .all([state.bucketArn, state.keyArn, secretsKeys[env].keyArn])
                .apply(([bucketArn, stateKeyArn, secretsKeyArn]) => ({
                    bucketArn,
                    bucketRegion: config.region,
                    stateKeyArn,
                    secretsKeyArn,
                    project: config.stateProject,
                })),
            facts,
            deployPolicyArns: deployPolicies.policyArns,
            tags: tags(env),
        }),
    ]),
);

/** `pulumi login <backendUrl>`. */
export const backendUrl = state.backendUrl;
export const stateBucketName = state.bucketName;
export const stateKeyArn = state.keyArn;
export const githubOidcProviderArn = oidc.arn;
/** The permissions boundary every platform role carries (`pulumi-ci-workload-boundary`). */
export const workloadBoundaryArn = deployPolicies.boundaryArn;
/**
 * Per environment: `pulumi stack init <env> --secrets-provider <secretsProvider>`, and the role ARNs for the workflows.
 */
export const environments = Object.fromEntries(
    config.environments.map((env) => [
        env,
        {
            secretsProvider: secretsKeys[env].secretsProvider,
            secretsKeyArn: secretsKeys[env].keyArn,
            previewRoleArn: roles[env].previewRoleArn,
            deployRoleArn: roles[env].deployRoleArn,
        },
    ]),
);
