import * as assert from "assert";
import { Policy } from "../../policy-pack/lib/resource";
import {
    adminManagedPolicyReason,
    iamNoAdminManagedPolicies,
    iamNoAllowNotAction,
    iamNoPassRoleWildcard,
    iamNoUserInlinePolicies,
    iamNoWildcardActions,
    iamNoWildcardResourceWrites,
    iamPolicies,
    iamRoleTrustNoWildcardPrincipal,
    iamRolePermissionsBoundary,
    iamRoleTrustOidcConditions,
} from "../../policy-pack/policies/iam";
import { CANT_RUN, only, PackHarness, res, UNKNOWN, usePack, Violation } from "./support/harness";

/** `"UNKNOWN"` when the policy could not run because a value it needs is unknown (preview), else the violation messages. */
type Outcome = string[] | "UNKNOWN";

/**
 * What one policy reports for `violations`: "UNKNOWN" for the analyzer's single advisory "can't run
 * during preview" diagnostic, otherwise the messages without the description line the analyzer
 * prepends (each asserted to be mandatory and on one of `urns`).
 */
function outcome(policy: Policy, vs: Violation[], urns: string[]): Outcome {
    if (vs.some((v) => CANT_RUN(policy.name).test(v.message))) {
        assert.strictEqual(vs.length, 1, vs.map((v) => v.message).join("\n"));
        assert.strictEqual(vs[0].enforcementLevel, "advisory");
        return "UNKNOWN";
    }
    return vs.map((v) => {
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.ok(urns.includes(v.urn), v.urn);
        assert.ok(v.message.startsWith(`${policy.description}\n`), v.message);
        return v.message.slice(policy.description.length + 1);
    });
}

/**
 * Sends one resource (inputs `props`) through the pack's analyzer with `config` for `policy`
 * (defaults otherwise) and returns what `policy` reported.
 */
async function checkWith(
    pack: PackHarness,
    policy: Policy,
    type: string,
    props: Record<string, unknown>,
    config?: Record<string, unknown>,
    name = "res",
): Promise<Outcome> {
    await pack.configure(config ? { [policy.name]: config } : {});
    const r = res(type, name, props);
    return outcome(policy, only(await pack.run([r]), policy.name), [r.urn]);
}

const ACCOUNT = "111122223333";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({
    Effect: "Allow",
    Action,
    Resource,
    ...extra,
});
const BUCKET_ARN = "arn:aws:s3:::ticketing-receipts-1a2b3c";

describe("policy-pack/policies/iam (through the analyzer)", () => {
    const pack = usePack();
    const check = (
        policy: Policy,
        type: string,
        props: Record<string, unknown>,
        config?: Record<string, unknown>,
        name?: string,
    ) => checkWith(pack, policy, type, props, config, name);
    it("exports nine uniquely named mandatory policies", () => {
        const names = iamPolicies.map((p) => p.name);
        assert.deepStrictEqual(names, [
            "iam-no-wildcard-actions",
            "iam-no-allow-not-action",
            "iam-no-wildcard-resource-writes",
            "iam-no-passrole-wildcard",
            "iam-no-admin-managed-policies",
            "iam-no-user-inline-policies",
            "iam-role-trust-no-wildcard-principal",
            "iam-role-trust-oidc-conditions",
            "iam-role-permissions-boundary",
        ]);
        for (const p of iamPolicies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.ok(p.description.length > 20, p.name);
        }
    });

    describe("iam-no-wildcard-actions", () => {
        const p = iamNoWildcardActions;
        it("passes named actions, partial patterns and Deny statements", async () => {
            const policy = doc(allow(["s3:GetObject", "s3:PutObject", "ec2:Describe*"], `${BUCKET_ARN}/*`), {
                Effect: "Deny",
                Action: "*",
                Resource: "*",
            });
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy: JSON.stringify(policy) }), []);
            assert.deepStrictEqual(await check(p, "aws:iam/rolePolicy:RolePolicy", { role: "r", policy }), []);
        });
        it("flags * and service:* in a JSON string, an object, Role inline policies and awsx task roles", async () => {
            const bad = doc(allow("s3:GetObject", BUCKET_ARN), allow(["dynamodb:*", "*"], "*", { Sid: "All" }));
            const expected =
                'Statement[1] (Sid "All") allows Action "dynamodb:*", "*": replace it in Action with the specific actions the workload calls ' +
                '(e.g. "s3:GetObject", "sqs:SendMessage"); "*" and "<service>:*" are not allowed with Effect "Allow".';
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy: JSON.stringify(bad) }), [
                `policy ${expected}`,
            ]);
            assert.deepStrictEqual(await check(p, "aws:iam/userPolicy:UserPolicy", { policy: bad }), [
                `policy ${expected}`,
            ]);
            assert.deepStrictEqual(await check(p, "aws:iam/groupPolicy:GroupPolicy", { policy: bad }), [
                `policy ${expected}`,
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: "{}",
                    inlinePolicies: [
                        {
                            name: "ok",
                            policy: JSON.stringify(doc(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"))),
                        },
                        { name: "bad", policy: JSON.stringify(bad) },
                    ],
                }),
                [`inlinePolicies[1].policy ${expected}`],
            );
            assert.deepStrictEqual(
                await check(p, "awsx:ecs:FargateService", {
                    taskDefinitionArgs: {
                        taskRole: { args: { inlinePolicies: [{ name: "x", policy: JSON.stringify(bad) }] } },
                    },
                }),
                [`taskDefinitionArgs.taskRole.args.inlinePolicies[0].policy ${expected}`],
            );
            assert.deepStrictEqual(
                await check(p, "awsx:ecs:FargateTaskDefinition", {
                    executionRole: { args: { inlinePolicies: [{ name: "x", policy: bad }] } },
                }),
                [`executionRole.args.inlinePolicies[0].policy ${expected}`],
            );
        });
        it("reports an unparseable document", async () => {
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy: '{"Statement": [' }), [
                `policy is not a valid IAM policy document (not valid JSON (${jsonError('{"Statement": [')})): give a JSON policy document with a Statement list.`,
            ]);
        });
        it("cannot decide on an unknown document or unknown Action, decides without touching an unknown Resource", async () => {
            assert.strictEqual(await check(p, "aws:iam/policy:Policy", { policy: UNKNOWN }), "UNKNOWN");
            assert.strictEqual(
                await check(p, "aws:iam/rolePolicy:RolePolicy", { policy: doc(allow(UNKNOWN, BUCKET_ARN)) }),
                "UNKNOWN",
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/rolePolicy:RolePolicy", { policy: doc(allow("s3:GetObject", UNKNOWN)) }),
                [],
            );
            assert.strictEqual(await check(p, "aws:iam/role:Role", { inlinePolicies: UNKNOWN }), "UNKNOWN");
        });
        it("ignores absent documents and other types", async () => {
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", { assumeRolePolicy: "{}" }), []);
            assert.deepStrictEqual(
                await check(p, "aws:s3/bucketPolicy:BucketPolicy", {
                    policy: doc(allow("s3:*", "*", { Principal: "*" })),
                }),
                [],
            );
        });
    });

    describe("iam-no-allow-not-action", () => {
        const p = iamNoAllowNotAction;
        it("passes NotAction with Deny", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/policy:Policy", {
                    policy: doc({ Effect: "Deny", NotAction: "iam:*", Resource: "*" }),
                }),
                [],
            );
        });
        it("flags NotAction with Allow", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/policy:Policy", {
                    policy: doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }),
                }),
                [
                    'policy Statement[0] combines Effect "Allow" with NotAction "iam:*", "organizations:*", which allows every other action of every service: ' +
                        'use Action with the specific actions instead (NotAction is only acceptable with "Deny").',
                ],
            );
        });
        it("cannot decide when NotAction or Effect is unknown", async () => {
            assert.strictEqual(
                await check(p, "aws:iam/policy:Policy", {
                    policy: doc({ Effect: "Allow", NotAction: UNKNOWN, Resource: "*" }),
                }),
                "UNKNOWN",
            );
            assert.strictEqual(
                await check(p, "aws:iam/policy:Policy", {
                    policy: doc({ Effect: UNKNOWN, NotAction: "iam:*", Resource: "*" }),
                }),
                "UNKNOWN",
            );
        });
    });

    describe("iam-no-wildcard-resource-writes", () => {
        const p = iamNoWildcardResourceWrites;
        it("passes scoped writes, reads on *, and actions AWS authorizes only on *", async () => {
            const ok = doc(
                allow(["s3:PutObject", "s3:GetObject"], `${BUCKET_ARN}/*`),
                allow(
                    [
                        "ecr:GetAuthorizationToken",
                        "xray:PutTraceSegments",
                        "xray:PutTelemetryRecords",
                        "cloudwatch:PutMetricData",
                    ],
                    "*",
                ),
                allow(
                    ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"],
                    "*",
                ),
                allow(["ec2:Describe*", "logs:DescribeLogGroups", "s3:ListAllMyBuckets"], "*"),
                allow(
                    ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                    `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/ticketing:*`,
                ),
            );
            assert.deepStrictEqual(await check(p, "aws:iam/rolePolicy:RolePolicy", { policy: JSON.stringify(ok) }), []);
        });
        it("flags writes, data reads and permission management on * and on unscoped ARNs", async () => {
            const bad = doc(
                allow(["s3:PutObject", "ecr:GetAuthorizationToken"], "*"),
                allow(["secretsmanager:GetSecretValue"], ["arn:aws:secretsmanager:*:*:*"]),
                allow(["iam:CreatePolicyVersion", "s3:ListBucket"], "arn:aws:iam::*:*"),
                {
                    Effect: "Allow",
                    Action: "dynamodb:PutItem",
                    NotResource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/audit`,
                },
            );
            const tail =
                ": put the ARNs of the resources the workload uses in Resource (e.g. the bucket, queue or table ARN); only read actions and actions " +
                'AWS authorizes solely on "*" (ecr:GetAuthorizationToken, xray:PutTraceSegments, cloudwatch:PutMetricData, … 28 in all) may use "*".';
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy: bad }), [
                `policy Statement[0] allows "s3:PutObject" on Resource "*"${tail}`,
                `policy Statement[1] allows "secretsmanager:GetSecretValue" on Resource "arn:aws:secretsmanager:*:*:*"${tail}`,
                `policy Statement[2] allows "iam:CreatePolicyVersion" on Resource "arn:aws:iam::*:*"${tail}`,
                `policy Statement[3] allows "dynamodb:PutItem" on every resource except NotResource "arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/audit"${tail}`,
            ]);
        });
        it("accepts actions allowed in the policy config; the schema demands a reason", async () => {
            const policy = doc(allow("ec2:CreateTags", "*"));
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/policy:Policy",
                    { policy },
                    { allowedActions: [{ action: "ec2:CreateTags", reason: "tag-on-create for RunInstances" }] },
                ),
                [],
            );
            await assert.rejects(
                pack.configure({ [p.name]: { allowedActions: [{ action: "ec2:CreateTags", reason: "ok" }] } }),
                /allowedActions\[0\]\.reason: must be at least 10 characters/,
            );
            assert.strictEqual(
                (
                    await check(
                        p,
                        "aws:iam/policy:Policy",
                        { policy },
                        { allowedActions: [{ action: "ec2:DeleteTags", reason: "tag clean-up on terminate" }] },
                    )
                ).length,
                1,
            );
        });
        it("needs Resource only when an action is broad", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/policy:Policy", { policy: doc(allow("ec2:DescribeInstances", UNKNOWN)) }),
                [],
            );
            assert.strictEqual(
                await check(p, "aws:iam/policy:Policy", { policy: doc(allow("s3:PutObject", UNKNOWN)) }),
                "UNKNOWN",
            );
            assert.strictEqual(await check(p, "aws:iam/policy:Policy", { policy: UNKNOWN }), "UNKNOWN");
        });
    });

    describe("iam-no-passrole-wildcard", () => {
        const p = iamNoPassRoleWildcard;
        it("passes PassRole on named roles", async () => {
            const policy = doc(
                allow(
                    "iam:PassRole",
                    [`arn:aws:iam::${ACCOUNT}:role/ticketing-task`, `arn:aws:iam::${ACCOUNT}:role/service-role/*`],
                    { Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } },
                ),
            );
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy }), []);
        });
        it("flags PassRole (also through iam:* and iam:Pass*) on * and on every role", async () => {
            const policy = doc(
                allow("iam:PassRole", "*"),
                allow(["iam:Pass*"], `arn:aws:iam::${ACCOUNT}:role/*`),
                allow("iam:GetRole", "*"),
            );
            assert.deepStrictEqual(await check(p, "aws:iam/policy:Policy", { policy }), [
                'policy Statement[0] allows "iam:PassRole" on Resource "*": set Resource to the ARNs of the roles passed (e.g. "arn:aws:iam::<account>:role/<task-role>") and add an "iam:PassedToService" condition.',
                `policy Statement[1] allows "iam:Pass*" on Resource "arn:aws:iam::${ACCOUNT}:role/*": set Resource to the ARNs of the roles passed (e.g. "arn:aws:iam::<account>:role/<task-role>") and add an "iam:PassedToService" condition.`,
            ]);
        });
        it("cannot decide when Resource of a PassRole statement is unknown", async () => {
            assert.strictEqual(
                await check(p, "aws:iam/policy:Policy", { policy: doc(allow("iam:PassRole", UNKNOWN)) }),
                "UNKNOWN",
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/policy:Policy", { policy: doc(allow("sqs:SendMessage", UNKNOWN)) }),
                [],
            );
        });
    });

    describe("iam-no-admin-managed-policies", () => {
        const p = iamNoAdminManagedPolicies;
        it("classifies managed policy ARNs", () => {
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws:iam::aws:policy/AdministratorAccess"),
                "administrator access",
            );
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws-us-gov:iam::aws:policy/PowerUserAccess"),
                "administrator access",
            );
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws:iam::aws:policy/job-function/SystemAdministrator"),
                "administrator access",
            );
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws:iam::aws:policy/AmazonS3FullAccess"),
                "full access to a whole service",
            );
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
                undefined,
            );
            assert.strictEqual(
                adminManagedPolicyReason("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"),
                undefined,
            );
            assert.strictEqual(
                adminManagedPolicyReason(`arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess`),
                undefined,
            );
        });
        it("passes service-role policies", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
                    role: "r",
                    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                }),
                [],
            );
        });
        it("flags admin and *FullAccess on every attachment shape", async () => {
            const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
            const msg = (where: string, arn: string, why: string) =>
                `${where} attaches "${arn}" (${why}): attach a customer managed or inline policy that lists the actions and resource ARNs the principal needs instead.`;
            assert.deepStrictEqual(
                await check(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: admin }),
                [msg("policyArn", admin, "administrator access")],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/userPolicyAttachment:UserPolicyAttachment", {
                    user: "u",
                    policyArn: "arn:aws:iam::aws:policy/IAMFullAccess",
                }),
                [msg("policyArn", "arn:aws:iam::aws:policy/IAMFullAccess", "administrator access")],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", {
                    group: "g",
                    policyArn: "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
                }),
                [
                    msg(
                        "policyArn",
                        "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
                        "full access to a whole service",
                    ),
                ],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/policyAttachment:PolicyAttachment", { roles: ["r"], policyArn: admin }),
                [msg("policyArn", admin, "administrator access")],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", admin],
                }),
                [msg("managedPolicyArns[1]", admin, "administrator access")],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", {
                    roleName: "r",
                    policyArns: [admin],
                }),
                [msg("policyArns[0]", admin, "administrator access")],
            );
            assert.deepStrictEqual(
                await check(p, "awsx:ecs:FargateService", {
                    taskDefinitionArgs: {
                        taskRole: { args: { policyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] } },
                    },
                }),
                [
                    msg(
                        "taskDefinitionArgs.taskRole.args.policyArns[0]",
                        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                        "full access to a whole service",
                    ),
                ],
            );
        });
        it("honours a configured exception for that ARN only; the schema demands a reason", async () => {
            const arn = "arn:aws:iam::aws:policy/AmazonSSMFullAccess";
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    { policyArn: arn },
                    { allowedPolicyArns: [{ policyArn: arn, reason: "break-glass role reviewed in SEC-12" }] },
                ),
                [],
            );
            await assert.rejects(
                pack.configure({ [p.name]: { allowedPolicyArns: [{ policyArn: arn }] } }),
                /allowedPolicyArns\[0\]: .*reason/,
            );
            assert.strictEqual(
                (
                    await check(
                        p,
                        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                        { policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
                        { allowedPolicyArns: [{ policyArn: arn, reason: "break-glass role reviewed in SEC-12" }] },
                    )
                ).length,
                1,
            );
        });
        it("cannot decide on an unknown ARN", async () => {
            assert.strictEqual(
                await check(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: UNKNOWN }),
                "UNKNOWN",
            );
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", { assumeRolePolicy: "{}" }), []);
        });
    });

    describe("iam-no-user-inline-policies", () => {
        const p = iamNoUserInlinePolicies;
        it("passes role and group policies, and an exclusive set that empties a user", async () => {
            assert.deepStrictEqual(await check(p, "aws:iam/rolePolicy:RolePolicy", { role: "r", policy: "{}" }), []);
            assert.deepStrictEqual(await check(p, "aws:iam/groupPolicy:GroupPolicy", { group: "g", policy: "{}" }), []);
            assert.deepStrictEqual(
                await check(p, "aws:iam/userPoliciesExclusive:UserPoliciesExclusive", {
                    userName: "u",
                    policyNames: [],
                }),
                [],
            );
        });
        it("flags inline policies on users", async () => {
            assert.deepStrictEqual(await check(p, "aws:iam/userPolicy:UserPolicy", { user: "ci", policy: "{}" }), [
                "aws.iam.UserPolicy puts an inline policy on an IAM user: grant the permissions to a role the workload assumes (aws.iam.RolePolicy), or to a group (aws.iam.GroupPolicy), and remove the UserPolicy.",
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:iam/userPoliciesExclusive:UserPoliciesExclusive", {
                    userName: "u",
                    policyNames: ["a", "b"],
                }),
                [
                    "policyNames keeps 2 inline policies on an IAM user: set policyNames to [] and grant the permissions through a role or group.",
                ],
            );
        });
        it("flags a UserPolicy even when its document is unknown; cannot decide on unknown policyNames", async () => {
            assert.strictEqual(
                (await check(p, "aws:iam/userPolicy:UserPolicy", { user: UNKNOWN, policy: UNKNOWN })).length,
                1,
            );
            assert.strictEqual(
                await check(p, "aws:iam/userPoliciesExclusive:UserPoliciesExclusive", {
                    userName: "u",
                    policyNames: UNKNOWN,
                }),
                "UNKNOWN",
            );
        });
    });

    describe("iam-role-trust-no-wildcard-principal", () => {
        const p = iamRoleTrustNoWildcardPrincipal;
        const trust = (Principal: unknown, extra: object = {}) =>
            JSON.stringify(doc({ Effect: "Allow", Action: "sts:AssumeRole", Principal, ...extra }));
        it("passes service and account principals", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: trust({ Service: "ecs-tasks.amazonaws.com" }),
                }),
                [],
            );
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }),
                }),
                [],
            );
        });
        it("flags * (even with conditions) and NotPrincipal", async () => {
            const star =
                'assumeRolePolicy Statement[0] trusts Principal "*" (any AWS account): set Principal to the account root, role ARN ' +
                '(e.g. {"AWS": "arn:aws:iam::<account>:role/<name>"}) or service (e.g. {"Service": "ecs-tasks.amazonaws.com"}) that assumes it.';
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", { assumeRolePolicy: trust("*") }), [star]);
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: trust(
                        { AWS: ["*"] },
                        { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } },
                    ),
                }),
                [star],
            );
            const not = JSON.stringify(
                doc({
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                }),
            );
            assert.strictEqual(
                (await check(p, "aws:iam/role:Role", { assumeRolePolicy: not }))[0]?.startsWith(
                    'assumeRolePolicy Statement[0] combines Effect "Allow" with NotPrincipal',
                ),
                true,
            );
        });
        it("cannot decide on an unknown trust policy", async () => {
            assert.strictEqual(await check(p, "aws:iam/role:Role", { assumeRolePolicy: UNKNOWN }), "UNKNOWN");
        });
    });
    describe("iam-role-permissions-boundary", () => {
        const p = iamRolePermissionsBoundary;
        const config = { boundaryPolicyName: "pulumi-ci-workload-boundary" };
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/pulumi-ci-workload-boundary`;
        const role = (extra: object) => ({ assumeRolePolicy: "{}", ...extra });
        it("passes a role that carries the configured boundary", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", role({ permissionsBoundary: boundary }), config),
                [],
            );
        });
        it("flags a role without a boundary or with another one", async () => {
            const fix = `set it to "arn:aws:iam::<account>:policy/pulumi-ci-workload-boundary" (index.ts registers a transformation that sets it on every role).`;
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", role({}), config), [
                `permissionsBoundary is unset: ${fix}`,
            ]);
            const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", role({ permissionsBoundary: admin }), config), [
                `permissionsBoundary is "${admin}": ${fix}`,
            ]);
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", role({ permissionsBoundary: `${boundary}-copy` }), config),
                [`permissionsBoundary is "${boundary}-copy": ${fix}`],
            );
        });
        it("checks nothing when the config names no boundary", async () => {
            assert.deepStrictEqual(await check(p, "aws:iam/role:Role", role({}), {}), []);
        });
        it("cannot judge an unknown boundary", async () => {
            assert.strictEqual(
                await check(p, "aws:iam/role:Role", role({ permissionsBoundary: UNKNOWN }), config),
                "UNKNOWN",
            );
        });
    });

    describe("iam-role-trust-oidc-conditions", () => {
        const p = iamRoleTrustOidcConditions;
        const gh = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        const role = (Condition?: object, Federated = gh) => ({
            assumeRolePolicy: JSON.stringify(
                doc({
                    Effect: "Allow",
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Principal: { Federated },
                    ...(Condition ? { Condition } : {}),
                }),
            ),
        });
        it("passes a GitHub trust pinned to a repository with aud sts.amazonaws.com", async () => {
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role({
                        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        StringLike: {
                            "token.actions.githubusercontent.com:sub": [
                                "repo:acme/platform:ref:refs/heads/main",
                                "repo:acme/platform:environment:prod",
                            ],
                        },
                    }),
                ),
                [],
            );
        });
        it("flags GitHub trust without sub, with an org-wide sub, or without aud", async () => {
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }),
                ),
                [
                    `assumeRolePolicy Statement[0] (Federated "${gh}") has no StringEquals/StringLike condition on "token.actions.githubusercontent.com:sub": add one naming the repository, e.g. "repo:<owner>/<repo>:ref:refs/heads/main".`,
                ],
            );
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }),
                ),
                [
                    `assumeRolePolicy Statement[0] (Federated "${gh}") lets "repo:acme/*" assume the role through "token.actions.githubusercontent.com:sub": pin owner and repository, e.g. "repo:<owner>/<repo>:environment:prod"; ` +
                        'must require StringEquals "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com".',
                ],
            );
            assert.strictEqual((await check(p, "aws:iam/role:Role", role(undefined))).length, 1);
            assert.strictEqual(
                (
                    await check(
                        p,
                        "aws:iam/role:Role",
                        role({
                            StringNotEquals: {
                                "token.actions.githubusercontent.com:sub": "repo:acme/platform:ref:refs/heads/main",
                            },
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        }),
                    )
                ).length,
                1,
            );
        });
        it("requires a sub condition for EKS IRSA and aud for Cognito identity pools", async () => {
            const eks = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF`;
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role(
                        {
                            StringEquals: {
                                "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub": "system:serviceaccount:app:api",
                                "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud": "sts.amazonaws.com",
                            },
                        },
                        eks,
                    ),
                ),
                [],
            );
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role(
                        { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud": "sts.amazonaws.com" } },
                        eks,
                    ),
                ),
                [
                    `assumeRolePolicy Statement[0] (Federated "${eks}") has no condition on "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub": add StringEquals with the subject, e.g. "system:serviceaccount:<namespace>:<service-account>" for EKS.`,
                ],
            );
            assert.strictEqual(
                (await check(p, "aws:iam/role:Role", role(undefined, "cognito-identity.amazonaws.com"))).length,
                1,
            );
            assert.deepStrictEqual(
                await check(
                    p,
                    "aws:iam/role:Role",
                    role(
                        { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:1234" } },
                        "cognito-identity.amazonaws.com",
                    ),
                ),
                [],
            );
        });
        it("ignores service principals; cannot decide on an unknown Federated principal", async () => {
            assert.deepStrictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: JSON.stringify(
                        doc({
                            Effect: "Allow",
                            Action: "sts:AssumeRole",
                            Principal: { Service: "lambda.amazonaws.com" },
                        }),
                    ),
                }),
                [],
            );
            assert.strictEqual(
                await check(p, "aws:iam/role:Role", {
                    assumeRolePolicy: doc({
                        Effect: "Allow",
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Principal: { Federated: UNKNOWN },
                    }),
                }),
                "UNKNOWN",
            );
        });
    });
});

function jsonError(text: string): string {
    try {
        JSON.parse(text);
        return "";
    } catch (e) {
        return (e as Error).message;
    }
}
