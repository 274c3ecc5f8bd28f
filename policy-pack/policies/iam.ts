/**
 * Least-privilege IAM: identity policy documents, managed policy attachments, users, trust
 * policies. Documents are read as a JSON string or an object (lib/iam-document.ts); only `Allow`
 * statements are judged (a `Deny` can only take permissions away).
 *
 * Policies and their enforcement levels (dev / prod; the per-environment files in
 * policy-pack/config/ set them, the default in code is the prod level):
 *
 * | name                                 | dev       | prod      |
 * |--------------------------------------|-----------|-----------|
 * | iam-no-wildcard-actions              | mandatory | mandatory |
 * | iam-no-allow-not-action              | mandatory | mandatory |
 * | iam-no-wildcard-resource-writes      | advisory  | mandatory |
 * | iam-no-passrole-wildcard             | mandatory | mandatory |
 * | iam-no-admin-managed-policies        | mandatory | mandatory |
 * | iam-no-user-inline-policies          | mandatory | mandatory |
 * | iam-role-trust-no-wildcard-principal | mandatory | mandatory |
 * | iam-role-trust-oidc-conditions       | mandatory | mandatory |
 * | iam-role-permissions-boundary        | mandatory | mandatory |
 *
 * Where documents are found: `aws:iam/policy:Policy`, `aws:iam/rolePolicy:RolePolicy`,
 * `aws:iam/userPolicy:UserPolicy`, `aws:iam/groupPolicy:GroupPolicy` (`policy`),
 * `aws:iam/role:Role` (`inlinePolicies[].policy`, and `assumeRolePolicy` for the trust checks),
 * and the task/execution roles of the awsx ECS components (`awsx:ecs:FargateService`,
 * `awsx:ecs:EC2Service`: `taskDefinitionArgs.{taskRole,executionRole}.args`;
 * `awsx:ecs:FargateTaskDefinition`, `awsx:ecs:EC2TaskDefinition`: `{taskRole,executionRole}.args`).
 * Resource policies (bucket, queue, key policies …) are judged in access.ts: there `Resource: "*"`
 * means "this resource" and `kms:*` for the account root is the AWS default key policy.
 */
import { Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    classifyActionOnAllResources,
    isNarrowingCondition,
    isServiceWideAction,
    isUnscopedResource,
    parsePolicyDocument,
    PolicyStatement,
    STAR_ONLY_ACTIONS,
    wildcardMatch,
} from "../lib/iam-document";
import { block, Props } from "../lib/resource";

// ---------------------------------------------------------------------------------------------
// Type tokens (@pulumi/aws 7.x, unchanged since 4.x) and where documents live in them
// ---------------------------------------------------------------------------------------------

/** Resources whose `policy` input is an identity policy document. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
];
export const ROLE_TYPE = "aws:iam/role:Role";
/** awsx ECS components whose roles are declared by `DefaultRoleWithPolicyArgs`. */
const AWSX_SERVICE_TYPES = ["awsx:ecs:FargateService", "awsx:ecs:EC2Service"];
const AWSX_TASK_DEFINITION_TYPES = ["awsx:ecs:FargateTaskDefinition", "awsx:ecs:EC2TaskDefinition"];

/** A document to check and where it sits in the resource, for messages (`inlinePolicies[0].policy`). */
interface DocumentRef {
    readonly where: string;
    readonly value: unknown;
}

/** awsx `DefaultRoleWithPolicyArgs` objects of a component, with their property path. */
function awsxRoleArgs(type: string, props: Props): { path: string; args: Props }[] {
    let holder: unknown;
    let prefix = "";
    if (AWSX_SERVICE_TYPES.includes(type)) {
        holder = props.taskDefinitionArgs;
        prefix = "taskDefinitionArgs.";
    } else if (AWSX_TASK_DEFINITION_TYPES.includes(type)) {
        holder = props;
    }
    if (holder === undefined || holder === null) return [];
    const out: { path: string; args: Props }[] = [];
    for (const role of ["taskRole", "executionRole"]) {
        // A non-object `args` holds no policies: leaving it out reads the same as reading from it.
        const args = block(block(block(holder)?.[role])?.args);
        if (args !== undefined) out.push({ path: `${prefix}${role}.args`, args });
    }
    return out;
}

/** Identity policy documents of a resource (empty for types that carry none). */
export function identityDocuments(type: string, props: Props): DocumentRef[] {
    if (IDENTITY_POLICY_TYPES.includes(type)) return [{ where: "policy", value: props.policy }];
    const inline: { path: string; list: unknown }[] = [];
    if (type === ROLE_TYPE) inline.push({ path: "inlinePolicies", list: props.inlinePolicies });
    for (const r of awsxRoleArgs(type, props))
        inline.push({ path: `${r.path}.inlinePolicies`, list: r.args.inlinePolicies });
    const docs: DocumentRef[] = [];
    for (const { path, list } of inline) {
        if (!Array.isArray(list)) continue;
        for (let i = 0; i < list.length; i++) {
            const item: unknown = list[i];
            if (typeof item === "object" && item !== null) {
                docs.push({ where: `${path}[${i}].policy`, value: (item as Record<string, unknown>)["policy"] });
            }
        }
    }
    return docs;
}

/**
 * Builds a resource policy that runs `check` over every `Allow` statement of every identity
 * document of the resource. `check` returns the violation text (without location) or undefined.
 * A document that cannot be parsed is reported: nobody can verify what it grants.
 */
function identityStatementPolicy(
    meta: Omit<ResourceValidationPolicy, "validateResource">,
    check: (statement: PolicyStatement, args: ResourceValidationArgs) => string | undefined,
): ResourceValidationPolicy {
    return {
        enforcementLevel: "mandatory",
        ...meta,
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            for (const doc of identityDocuments(args.type, args.props)) {
                forEachAllowStatement(doc, report, (s) => check(s, args));
            }
        },
    };
}

function forEachAllowStatement(
    doc: DocumentRef,
    report: ReportViolation,
    check: (statement: PolicyStatement) => string | undefined,
): void {
    const parsed = parsePolicyDocument(doc.value);
    if (parsed.kind === "absent") return;
    if (parsed.kind === "invalid") {
        report(
            `${doc.where} is not a valid IAM policy document (${parsed.reason}): give a JSON policy document ` +
                `with a Statement list.`,
        );
        return;
    }
    for (const s of parsed.document.statements) {
        if (!s.isAllow) continue;
        const problem = check(s);
        if (problem !== undefined) report(`${doc.where} ${s.label} ${problem}`);
    }
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(", ");

// ---------------------------------------------------------------------------------------------
// Identity documents
// ---------------------------------------------------------------------------------------------

/** `Allow` with `*` or `<service>:*` actions. */
export const iamNoWildcardActions = identityStatementPolicy(
    {
        name: "iam-no-wildcard-actions",
        description: 'IAM policy statements that Allow must list actions, not "*" or "<service>:*".',
    },
    (s) => {
        const wide = (s.actions ?? []).filter(isServiceWideAction);
        if (wide.length === 0) return undefined;
        return (
            `allows Action ${quoteList(wide)}: replace it in Action with the specific actions the workload ` +
            `calls (e.g. "s3:GetObject", "sqs:SendMessage"); "*" and "<service>:*" are not allowed with Effect "Allow".`
        );
    },
);

/** `Allow` with `NotAction`. */
export const iamNoAllowNotAction = identityStatementPolicy(
    {
        name: "iam-no-allow-not-action",
        description: 'IAM policy statements must not combine Effect "Allow" with NotAction.',
    },
    (s) => {
        const notActions = s.notActions;
        if (notActions === undefined) return undefined;
        return (
            `combines Effect "Allow" with NotAction ${quoteList(notActions)}, which allows every other action of ` +
            `every service: use Action with the specific actions instead (NotAction is only acceptable with "Deny").`
        );
    },
);

/** Config of `iam-no-wildcard-resource-writes`. */
export interface WildcardResourceConfig {
    /** Extra actions accepted on `Resource: "*"`, each with the reason a reviewer accepted. Default `[]`. */
    allowedActions?: { action: string; reason: string }[];
}

/** `Allow` of write, permission-management or data-reading actions on every resource. */
export const iamNoWildcardResourceWrites = identityStatementPolicy(
    {
        name: "iam-no-wildcard-resource-writes",
        description:
            "IAM policy statements must not Allow write, permission-management or data-reading actions on " +
            'Resource "*" ' +
            '(only read actions and actions AWS authorizes solely on "*").',
        configSchema: {
            properties: {
                allowedActions: {
                    type: "array",
                    default: [],
                    description:
                        'Actions accepted on Resource "*" besides the built-in list of actions AWS ' +
                        'authorizes only on "*"; each entry needs a reason.',
                    items: {
                        type: "object",
                        properties: { action: { type: "string" }, reason: { type: "string", minLength: 10 } },
                        required: ["action", "reason"],
                    },
                },
            },
        },
    },
    (s, args) => {
        if (s.notActions !== undefined) return undefined; // iam-no-allow-not-action reports it
        const config = args.getConfig<WildcardResourceConfig>();
        const extra = new Set(
            (config.allowedActions ?? [])
                .filter((e) => typeof e?.action === "string" && typeof e?.reason === "string" && e.reason.trim() !== "")
                .map((e) => e.action.trim().toLowerCase()),
        );
        const broad = (s.actions ?? []).filter((a) => {
            const c = classifyActionOnAllResources(a, extra);
            return c === "write" || c === "sensitive";
        });
        if (broad.length === 0) return undefined;
        const notResources = s.notResources;
        const unscoped = notResources !== undefined ? ["NotResource"] : (s.resources ?? []).filter(isUnscopedResource);
        if (unscoped.length === 0) return undefined;
        const on =
            notResources !== undefined
                ? `every resource except NotResource ${quoteList(notResources)}`
                : `Resource ${quoteList(unscoped)}`;
        return (
            `allows ${quoteList(broad)} on ${on}: put the ARNs of the resources the workload uses in Resource ` +
            `(e.g. the bucket, queue or table ARN); only read actions and actions AWS authorizes solely on "*" ` +
            `(ecr:GetAuthorizationToken, xray:PutTraceSegments, cloudwatch:PutMetricData, … ` +
            `${STAR_ONLY_ACTIONS.size} in all) may use "*".`
        );
    },
);

const ALL_ROLES = /^arn:[^:]*:iam::[^:]*:role\/\*$/i;

/** `iam:PassRole` on every role. */
export const iamNoPassRoleWildcard = identityStatementPolicy(
    {
        name: "iam-no-passrole-wildcard",
        description: 'iam:PassRole must name the roles it passes, not Resource "*" or every role of the account.',
    },
    (s) => {
        const passing = (s.actions ?? []).filter((a) => wildcardMatch(a.trim(), "iam:PassRole"));
        if (passing.length === 0) return undefined;
        const notResources = s.notResources;
        const wide =
            notResources !== undefined
                ? ["NotResource"]
                : (s.resources ?? []).filter((r) => isUnscopedResource(r) || ALL_ROLES.test(r.trim()));
        if (wide.length === 0) return undefined;
        const on = notResources !== undefined ? "every role outside NotResource" : `Resource ${quoteList(wide)}`;
        return (
            `allows ${quoteList(passing)} on ${on}: ` +
            `set Resource to the ARNs of the roles passed (e.g. "arn:aws:iam::<account>:role/<task-role>") ` +
            `and add an "iam:PassedToService" condition.`
        );
    },
);

// ---------------------------------------------------------------------------------------------
// Managed policy attachments
// ---------------------------------------------------------------------------------------------

/**
 * AWS managed policies that are administrator-equivalent (full account, IAM, or organization
 * control), by path and name under `arn:<partition>:iam::aws:policy/`.
 */
export const ADMIN_MANAGED_POLICIES: ReadonlySet<string> = new Set([
    "AdministratorAccess",
    "AdministratorAccess-Amplify",
    "AdministratorAccess-AWSElasticBeanstalk",
    "PowerUserAccess",
    "IAMFullAccess",
    "job-function/SystemAdministrator",
    "job-function/NetworkAdministrator",
    "job-function/DatabaseAdministrator",
]);

const AWS_MANAGED_POLICY = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(.+)$/;

/**
 * Why an attached policy ARN is too broad, or undefined when it is acceptable: an
 * {@link ADMIN_MANAGED_POLICIES administrator policy}, or any AWS managed `*FullAccess` policy
 * (they grant `<service>:*` on `*`, which `iam-no-wildcard-actions` forbids in our own documents).
 */
export function adminManagedPolicyReason(arn: string): string | undefined {
    const m = AWS_MANAGED_POLICY.exec(arn.trim());
    if (m === null) return undefined;
    const path = m[1];
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (ADMIN_MANAGED_POLICIES.has(path) || ADMIN_MANAGED_POLICIES.has(name)) return "administrator access";
    if (/FullAccess(V\d+)?$/.test(name)) return "full access to a whole service";
    return undefined;
}

/** Managed policy ARNs a resource attaches, with the property they come from. */
export function attachedPolicyArns(type: string, props: Props): { where: string; arn: string }[] {
    const single = [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    ];
    const lists: { where: string; list: unknown }[] = [];
    if (single.includes(type)) lists.push({ where: "policyArn", list: props.policyArn });
    if (type === ROLE_TYPE) lists.push({ where: "managedPolicyArns", list: props.managedPolicyArns });
    if (
        [
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
            "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
        ].includes(type)
    ) {
        lists.push({ where: "policyArns", list: props.policyArns });
    }
    for (const r of awsxRoleArgs(type, props)) {
        lists.push({ where: `${r.path}.managedPolicyArns`, list: r.args.managedPolicyArns });
        lists.push({ where: `${r.path}.policyArns`, list: r.args.policyArns });
    }
    const out: { where: string; arn: string }[] = [];
    for (const { where, list } of lists) {
        if (typeof list === "string") out.push({ where, arn: list });
        else if (Array.isArray(list)) {
            for (let i = 0; i < list.length; i++) {
                const arn: unknown = list[i];
                if (typeof arn === "string") out.push({ where: `${where}[${i}]`, arn });
            }
        }
    }
    return out;
}

/** Config of `iam-no-admin-managed-policies`. */
export interface AdminPolicyConfig {
    /** Managed policy ARNs accepted anyway, each with the reason. Default `[]`. */
    allowedPolicyArns?: { policyArn: string; reason: string }[];
}

export const iamNoAdminManagedPolicies: ResourceValidationPolicy = {
    name: "iam-no-admin-managed-policies",
    description:
        "No AdministratorAccess, PowerUserAccess, IAMFullAccess or other AWS managed *FullAccess policy attached " +
        "to a role, user or group.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedPolicyArns: {
                type: "array",
                default: [],
                description: "Managed policy ARNs accepted despite the rule; each entry needs a reason.",
                items: {
                    type: "object",
                    properties: { policyArn: { type: "string" }, reason: { type: "string", minLength: 10 } },
                    required: ["policyArn", "reason"],
                },
            },
        },
    },
    validateResource: (args, report) => {
        const config = args.getConfig<AdminPolicyConfig>();
        const allowed = new Set(
            (config.allowedPolicyArns ?? [])
                .filter(
                    (e) => typeof e?.policyArn === "string" && typeof e?.reason === "string" && e.reason.trim() !== "",
                )
                .map((e) => e.policyArn.trim()),
        );
        for (const { where, arn } of attachedPolicyArns(args.type, args.props)) {
            const reason = adminManagedPolicyReason(arn);
            if (reason === undefined || allowed.has(arn.trim())) continue;
            report(
                `${where} attaches "${arn}" (${reason}): attach a customer managed or inline policy that lists ` +
                    `the actions and resource ARNs the principal needs instead.`,
            );
        }
    },
};

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

export const iamNoUserInlinePolicies: ResourceValidationPolicy = {
    name: "iam-no-user-inline-policies",
    description: "IAM users must not carry inline policies; grant permissions through roles (or groups).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "aws:iam/userPolicy:UserPolicy") {
            report(
                "aws.iam.UserPolicy puts an inline policy on an IAM user: grant the permissions to a role " +
                    "the workload " +
                    "assumes (aws.iam.RolePolicy), or to a group (aws.iam.GroupPolicy), and remove the UserPolicy.",
            );
        } else if (args.type === "aws:iam/userPoliciesExclusive:UserPoliciesExclusive") {
            const names: unknown = args.props.policyNames;
            if (Array.isArray(names) && names.length > 0) {
                report(
                    `policyNames keeps ${names.length} inline polic${names.length === 1 ? "y" : "ies"} on an ` +
                        `IAM user: ` +
                        "set policyNames to [] and grant the permissions through a role or group.",
                );
            }
        }
    },
};

// ---------------------------------------------------------------------------------------------
// Trust policies
// ---------------------------------------------------------------------------------------------

function trustDocument(args: ResourceValidationArgs): DocumentRef | undefined {
    return args.type === ROLE_TYPE ? { where: "assumeRolePolicy", value: args.props.assumeRolePolicy } : undefined;
}

export const iamRoleTrustNoWildcardPrincipal: ResourceValidationPolicy = {
    name: "iam-role-trust-no-wildcard-principal",
    description:
        'Role trust policies must name who may assume the role: no Principal "*" and no NotPrincipal with Allow.',
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const doc = trustDocument(args);
        if (doc === undefined) return;
        forEachAllowStatement(doc, report, (s) => {
            const not = s.notPrincipal;
            if (not !== undefined) {
                return (
                    'combines Effect "Allow" with NotPrincipal, which lets every other principal assume the role: ' +
                    "use Principal with the account, role or service that assumes it."
                );
            }
            if (s.principal?.wildcard) {
                return (
                    'trusts Principal "*" (any AWS account): set Principal to the account root, role ARN ' +
                    '(e.g. {"AWS": "arn:aws:iam::<account>:role/<name>"}) or service (e.g. {"Service": ' +
                    '"ecs-tasks.amazonaws.com"}) that assumes it.'
                );
            }
            return undefined;
        });
    },
};

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** `repo:<owner>/<repo>` followed by `:` or the end, with no wildcard in owner or repository. */
const GITHUB_PINNED_SUB = /^repo:[^/*?:]+\/[^/*?:]+(:|$)/;

/** Host of an OIDC provider named by a `Federated` principal (ARN or bare host), lower-case. */
export function oidcProviderHost(federated: string): string | undefined {
    const f = federated.trim();
    const m = /^arn:[^:]*:iam::[^:]*:oidc-provider\/(.+)$/i.exec(f);
    if (m !== null) return m[1];
    const lower = f.toLowerCase();
    if (lower === "cognito-identity.amazonaws.com" || lower === GITHUB_OIDC_HOST) return lower;
    return undefined;
}

/**
 * Problems with the conditions of a web-identity trust statement for one OIDC provider host
 * (empty when it is fine):
 * - GitHub Actions: `<host>:sub` with StringEquals/StringLike pinned to `repo:<owner>/<repo>…`,
 *   and `<host>:aud` StringEquals `sts.amazonaws.com`
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services);
 * - Cognito identity pools: `cognito-identity.amazonaws.com:aud` StringEquals the pool id;
 * - any other OIDC provider (EKS IRSA …): a `<host>:sub` condition that names the subject
 *   (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html).
 */
export function oidcTrustProblems(statement: PolicyStatement, providerHost: string): string[] {
    const conditions = statement.conditions;
    const host = providerHost.toLowerCase();
    const withKey = (suffix: string) =>
        conditions.filter((c) => c.key.toLowerCase() === `${host}:${suffix}` && isNarrowingCondition(c));
    const isEqualsOrLike = (op: string) => /^(foranyvalue:)?string(equals|like)$/i.test(op);
    const problems: string[] = [];
    if (host === GITHUB_OIDC_HOST) {
        const sub = withKey("sub").filter((c) => isEqualsOrLike(c.operator));
        if (sub.length === 0) {
            problems.push(
                `has no StringEquals/StringLike condition on "${host}:sub": add one naming the repository, e.g. ` +
                    `"repo:<owner>/<repo>:ref:refs/heads/main"`,
            );
        } else {
            const loose = sub.flatMap((c) => c.values).filter((v) => !GITHUB_PINNED_SUB.test(v));
            if (loose.length > 0) {
                problems.push(
                    `lets ${quoteList(loose)} assume the role through "${host}:sub": pin owner and repository, ` +
                        `e.g. "repo:<owner>/<repo>:environment:prod"`,
                );
            }
        }
        const aud = withKey("aud").filter((c) => /^string(equals)$/i.test(c.operator));
        if (aud.length === 0 || aud.some((c) => c.values.some((v) => v !== "sts.amazonaws.com"))) {
            problems.push(`must require StringEquals "${host}:aud" = "sts.amazonaws.com"`);
        }
    } else if (host === "cognito-identity.amazonaws.com") {
        if (withKey("aud").length === 0) {
            problems.push(`has no condition on "${host}:aud": add StringEquals with the identity pool id`);
        }
    } else if (withKey("sub").length === 0) {
        problems.push(
            `has no condition on "${providerHost}:sub": add StringEquals with the subject, e.g. ` +
                `"system:serviceaccount:<namespace>:<service-account>" for EKS`,
        );
    }
    return problems;
}

export const iamRoleTrustOidcConditions: ResourceValidationPolicy = {
    name: "iam-role-trust-oidc-conditions",
    description:
        "Web-identity trust policies must restrict the token subject: GitHub OIDC needs a repository-pinned sub " +
        "and aud sts.amazonaws.com; other OIDC providers a sub condition.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const doc = trustDocument(args);
        if (doc === undefined) return;
        forEachAllowStatement(doc, report, (s) => {
            const federated = s.principal?.federated ?? [];
            const problems: string[] = [];
            for (const f of federated) {
                const host = oidcProviderHost(f);
                if (host !== undefined) problems.push(...oidcTrustProblems(s, host));
            }
            if (problems.length === 0) return undefined;
            return `(Federated ${quoteList(federated)}) ${problems.join("; ")}.`;
        });
    },
};

/** Config of `iam-role-permissions-boundary`. */
export interface PermissionsBoundaryConfig {
    /** Name of the customer managed policy every role must carry as its boundary; no check when absent. */
    boundaryPolicyName?: string;
}

/**
 * Every IAM role carries the platform's permissions boundary, the customer managed policy the config
 * names (`boundaryPolicyName`, matched as `arn:<partition>:iam::<account>:policy/<name>`), so a deploy
 * role can never create a role that does more than the boundary allows
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). Without a
 * configured name the policy checks nothing (the bootstrap's own CI roles are made by administrators).
 */
export const iamRolePermissionsBoundary: ResourceValidationPolicy = {
    name: "iam-role-permissions-boundary",
    description: "IAM roles must carry the permissions boundary the policy config names (boundaryPolicyName).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            boundaryPolicyName: {
                type: "string",
                pattern: "^[\\w+=,.@-]{1,128}$",
                description:
                    "Name of the customer managed policy every IAM role must carry as its permissions boundary.",
            },
        },
    },
    validateResource: (args, report) => {
        if (args.type !== ROLE_TYPE) return;
        const name = args.getConfig<PermissionsBoundaryConfig>().boundaryPolicyName;
        if (name === undefined || name === "") return;
        const boundary: unknown = args.props.permissionsBoundary;
        const expected = new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:policy/${name.replace(/[.+]/g, "\\$&")}$`);
        if (typeof boundary === "string" && expected.test(boundary)) return;
        report(
            `permissionsBoundary is ${boundary === undefined ? "unset" : JSON.stringify(boundary)}: set it to ` +
                `"arn:aws:iam::<account>:policy/${name}" (index.ts registers a transformation that sets it on ` +
                `every role).`,
        );
    },
};

/** Every IAM policy of this module, in the order of the table above. */
export const iamPolicies: Policies = [
    iamNoWildcardActions,
    iamNoAllowNotAction,
    iamNoWildcardResourceWrites,
    iamNoPassRoleWildcard,
    iamNoAdminManagedPolicies,
    iamNoUserInlinePolicies,
    iamRoleTrustNoWildcardPrincipal,
    iamRoleTrustOidcConditions,
    iamRolePermissionsBoundary,
];
