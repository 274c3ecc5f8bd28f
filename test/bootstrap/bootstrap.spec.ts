import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BootstrapConfigError, validateBootstrapConfig } from "../../bootstrap/config";
import {
    AccountFacts,
    deployComputePolicy,
    deployDataPolicy,
    deployEdgePolicy,
    deployIntegrationPolicy,
    deployNetworkPolicy,
    deploySecretsPolicy,
    PolicyDocument,
    policySize,
    STAR_ONLY_WRITES,
} from "../../bootstrap/permissions";
import {
    classifyActionOnAllResources,
    isServiceWideAction,
    isUnscopedResource,
} from "../../policy-pack/lib/iam-document";
import { MOCK_ACCOUNT_ID } from "../../tools/lib/mocks";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { checkPolicies } from "../../tools/policy-check";
import { nameOf, Plan, policyDocument, ROOT } from "../support/plan";
import { BOOTSTRAP, bootstrapPlan, planBootstrap } from "./plan";

const ACCOUNT = MOCK_ACCOUNT_ID;
const STACK_FILE = fs.readFileSync(path.join(BOOTSTRAP, "Pulumi.shared.yaml"), "utf8");
const ADMIN = (parse(STACK_FILE) as { config: Record<string, string[]> }).config["platform-bootstrap:adminRoleArns"][0];
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;
const role = (env: string, kind: string) => `arn:aws:iam::${ACCOUNT}:role/pulumi-ci-${env}-${kind}`;
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const REGIONS = ["sa-east-1", "us-east-1"];

/** A policy statement as the tests read it. */
interface Stmt {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
    Principal?: string | Record<string, string>;
    Condition?: Record<string, Record<string, string | string[]>>;
}
const doc = (r: ExportedResource, key = "policy"): { Version: string; Statement: Stmt[] } =>
    policyDocument(r.inputs![key]);
const arnOf = (r: ExportedResource) => r.outputs!.arn as string;
interface BootstrapOutputs {
    backendUrl: string;
    stateBucketName: string;
    environments: Record<
        string,
        { secretsProvider: string; secretsKeyArn: string; previewRoleArn: string; deployRoleArn: string }
    >;
}
const byName = (plan: Plan, type: string, name: string) => plan.one(type, name);
/** The state bucket (the bootstrap has a second bucket: its access logs). */
const stateBucket = (plan: Plan) => plan.one("aws:s3/bucket:Bucket", "pulumi-state");

describe("bootstrap program (platform-bootstrap)", function () {
    this.timeout(180_000);
    let plan: Plan;
    before(() => {
        plan = bootstrapPlan();
    });

    describe("state bucket", () => {
        it("is one protected, versioned, SSE-KMS bucket with its own key, private and owner-enforced", () => {
            const bucket = stateBucket(plan);
            assert.deepStrictEqual(plan.ofType("aws:s3/bucket:Bucket").map(nameOf).sort(), [
                "pulumi-state",
                "pulumi-state-logs",
            ]);
            assert.strictEqual(bucket.protect, true);
            assert.strictEqual(bucket.inputs!.forceDestroy, false);
            const stateKey = byName(plan, "aws:kms/key:Key", "pulumi-state-key");
            assert.deepStrictEqual(
                byName(plan, "aws:s3/bucketVersioning:BucketVersioning", "pulumi-state-versioning").inputs!
                    .versioningConfiguration,
                { status: "Enabled" },
            );
            assert.deepStrictEqual(
                byName(
                    plan,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "pulumi-state-encryption",
                ).inputs!.rules,
                [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: stateKey.outputs!.arn,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            const pab = byName(
                plan,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "pulumi-state-public-access",
            ).inputs!;
            assert.deepStrictEqual(
                [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
                [true, true, true, true],
            );
            assert.deepStrictEqual(
                byName(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "pulumi-state-ownership").inputs!
                    .rule,
                { objectOwnership: "BucketOwnerEnforced" },
            );
            for (const child of [
                "pulumi-state-versioning",
                "pulumi-state-encryption",
                "pulumi-state-public-access",
                "pulumi-state-ownership",
                "pulumi-state-lifecycle",
                "pulumi-state-policy",
            ]) {
                const r = plan.resources.find((x) => nameOf(x) === child)!;
                assert.strictEqual(r.inputs!.bucket, bucket.id, `${child} configures the state bucket`);
            }
        });

        it("expires noncurrent state versions after 90 days, keeping the newest 20", () => {
            const lifecycle = byName(
                plan,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "pulumi-state-lifecycle",
            );
            assert.deepStrictEqual(lifecycle.inputs!.rules, [
                {
                    id: "expire-old-state-versions",
                    status: "Enabled",
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 20 },
                    expiration: { expiredObjectDeleteMarker: true },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ]);
            const versioning = byName(plan, "aws:s3/bucketVersioning:BucketVersioning", "pulumi-state-versioning");
            assert.ok(lifecycle.dependencies!.includes(versioning.urn), "the lifecycle waits for versioning");
        });

        it("logs server access to its own private, versioned, SSE-S3, TLS-only bucket (AwsSolutions-S1, S3.9)", () => {
            const bucket = stateBucket(plan);
            const logs = byName(plan, "aws:s3/bucket:Bucket", "pulumi-state-logs");
            assert.strictEqual(logs.protect, true);
            const logging = byName(plan, "aws:s3/bucketLogging:BucketLogging", "pulumi-state-logging");
            assert.deepStrictEqual(logging.inputs, {
                bucket: bucket.id,
                targetBucket: logs.id,
                targetPrefix: "pulumi-state/",
            });
            const policy = byName(plan, "aws:s3/bucketPolicy:BucketPolicy", "pulumi-state-logs-policy");
            assert.ok(logging.dependencies!.includes(policy.urn), "logging waits for the grant");
            const logsArn = arnOf(logs);
            assert.deepStrictEqual(
                doc(policy).Statement.map((s) => s.Sid),
                ["DenyInsecureTransport", "DenyTlsBelow12", "S3ServerAccessLogs"],
            );
            assert.deepStrictEqual(doc(policy).Statement[2], {
                Sid: "S3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${logsArn}/pulumi-state/*`,
                Condition: {
                    ArnLike: { "aws:SourceArn": arnOf(bucket) },
                    StringEquals: { "aws:SourceAccount": ACCOUNT },
                },
            });
            const settings = (type: string, name: string) => byName(plan, type, `pulumi-state-logs-${name}`).inputs!;
            assert.deepStrictEqual(
                settings(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "encryption",
                ).rules,
                [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            );
            assert.deepStrictEqual(
                settings("aws:s3/bucketVersioning:BucketVersioning", "versioning").versioningConfiguration,
                { status: "Enabled" },
            );
            assert.deepStrictEqual(
                settings("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership").rule,
                { objectOwnership: "BucketOwnerEnforced" },
            );
            const pab = settings("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access");
            assert.deepStrictEqual(
                [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
                [true, true, true, true],
            );
            const [rule] = settings("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle")
                .rules as Record<string, unknown>[];
            assert.deepStrictEqual(
                [rule.expiration, rule.noncurrentVersionExpiration],
                [{ days: 365 }, { noncurrentDays: 30 }],
            );
            assert.deepStrictEqual(
                plan.ofType("aws:s3/bucketLogging:BucketLogging").length,
                1,
                "the log bucket does not log itself",
            );
        });

        it("denies plain HTTP, TLS < 1.2, other encryption, and everyone but root, the admins and the four CI roles", () => {
            const bucket = stateBucket(plan);
            const bucketArn = bucket.outputs!.arn as string;
            const keyArn = byName(plan, "aws:kms/key:Key", "pulumi-state-key").outputs!.arn;
            const both = [bucketArn, `${bucketArn}/*`];
            assert.deepStrictEqual(
                doc(byName(plan, "aws:s3/bucketPolicy:BucketPolicy", "pulumi-state-policy")).Statement,
                [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: both,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    {
                        Sid: "DenyTlsBelow12",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: both,
                        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
                    },
                    {
                        Sid: "DenyEveryoneButAdministratorsAndCi",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: both,
                        Condition: {
                            ArnNotLike: {
                                "aws:PrincipalArn": [
                                    ROOT_ARN,
                                    ADMIN,
                                    role("dev", "preview"),
                                    role("dev", "deploy"),
                                    role("prod", "preview"),
                                    role("prod", "deploy"),
                                ],
                            },
                        },
                    },
                    {
                        Sid: "DenyOtherEncryption",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:PutObject",
                        Resource: `${bucketArn}/*`,
                        Condition: {
                            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
                            Null: { "s3:x-amz-server-side-encryption": "false" },
                        },
                    },
                    {
                        Sid: "DenyOtherKeys",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:PutObject",
                        Resource: `${bucketArn}/*`,
                        Condition: {
                            StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
                            Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
                        },
                    },
                ],
            );
        });
    });

    describe("KMS keys", () => {
        const keyUsers = (r: ExportedResource) => {
            const statements = doc(r).Statement;
            assert.deepStrictEqual(statements[0], {
                Sid: "EnableIAMPoliciesOfTheAccount",
                Effect: "Allow",
                Principal: { AWS: ROOT_ARN },
                Action: "kms:*",
                Resource: "*",
            });
            assert.strictEqual(statements.length, 2);
            assert.deepStrictEqual(statements[1].Action, [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:CreateGrant",
            ]);
            assert.strictEqual(statements[1].Effect, "Deny");
            return statements[1].Condition!.ArnNotLike["aws:PrincipalArn"] as string[];
        };

        it("rotate yearly, wait 30 days before deletion, and are protected", () => {
            const keys = plan.ofType("aws:kms/key:Key");
            assert.deepStrictEqual(keys.map(nameOf).sort(), [
                "pulumi-secrets-dev-key",
                "pulumi-secrets-prod-key",
                "pulumi-state-key",
            ]);
            for (const k of keys) {
                assert.strictEqual(k.inputs!.enableKeyRotation, true, nameOf(k));
                assert.strictEqual(k.inputs!.rotationPeriodInDays, 365);
                assert.strictEqual(k.inputs!.deletionWindowInDays, 30);
                assert.strictEqual(k.protect, true);
            }
        });

        it("the state key serves root, the admins and every CI role; each secrets key only its environment's roles", () => {
            assert.deepStrictEqual(keyUsers(byName(plan, "aws:kms/key:Key", "pulumi-state-key")), [
                ROOT_ARN,
                ADMIN,
                role("dev", "preview"),
                role("dev", "deploy"),
                role("prod", "preview"),
                role("prod", "deploy"),
            ]);
            assert.deepStrictEqual(keyUsers(byName(plan, "aws:kms/key:Key", "pulumi-secrets-dev-key")), [
                ROOT_ARN,
                ADMIN,
                role("dev", "preview"),
                role("dev", "deploy"),
            ]);
            assert.deepStrictEqual(keyUsers(byName(plan, "aws:kms/key:Key", "pulumi-secrets-prod-key")), [
                ROOT_ARN,
                ADMIN,
                role("prod", "preview"),
                role("prod", "deploy"),
            ]);
        });

        it("have the aliases the secrets providers name, and the outputs say how to use them", () => {
            const keyNamed = (keyId: unknown) =>
                nameOf(plan.ofType("aws:kms/key:Key").find((k) => k.outputs!.keyId === keyId)!);
            const aliases: Record<string, string> = {};
            for (const a of plan.ofType("aws:kms/alias:Alias"))
                aliases[String(a.inputs!.name)] = keyNamed(a.inputs!.targetKeyId);
            assert.deepStrictEqual(aliases, {
                "alias/pulumi-state": "pulumi-state-key",
                "alias/pulumi-secrets-dev": "pulumi-secrets-dev-key",
                "alias/pulumi-secrets-prod": "pulumi-secrets-prod-key",
            });
            const out = plan.outputs as BootstrapOutputs;
            assert.strictEqual(
                out.environments.dev.secretsProvider,
                "awskms://alias/pulumi-secrets-dev?region=sa-east-1",
            );
            assert.strictEqual(
                out.environments.prod.secretsProvider,
                "awskms://alias/pulumi-secrets-prod?region=sa-east-1",
            );
            assert.strictEqual(out.backendUrl, `s3://${out.stateBucketName}?region=sa-east-1&awssdk=v2`);
            assert.deepStrictEqual(out.environments.dev.deployRoleArn, role("dev", "deploy"));
            assert.deepStrictEqual(out.environments.prod.previewRoleArn, role("prod", "preview"));
        });
    });

    describe("GitHub OIDC and CI roles", () => {
        const roleNamed = (name: string) => byName(plan, "aws:iam/role:Role", name);

        it("trusts token.actions.githubusercontent.com with audience sts.amazonaws.com, no thumbprint", () => {
            const provider = byName(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github-actions");
            assert.strictEqual(provider.inputs!.url, "https://token.actions.githubusercontent.com");
            assert.deepStrictEqual(provider.inputs!.clientIdLists, ["sts.amazonaws.com"]);
            assert.strictEqual(provider.inputs!.thumbprintLists, undefined);
            assert.strictEqual(provider.outputs!.arn, OIDC_ARN);
        });
        it("has exactly a preview and a deploy role per environment, each trusted by one subject (deploy: from main only)", () => {
            assert.deepStrictEqual(
                plan
                    .ofType("aws:iam/role:Role")
                    .map((r) => r.inputs!.name)
                    .sort(),
                ["pulumi-ci-dev-deploy", "pulumi-ci-dev-preview", "pulumi-ci-prod-deploy", "pulumi-ci-prod-preview"],
            );
            const subjects: Record<string, string> = {
                "pulumi-ci-dev-preview": "repo:example-org/platform:environment:dev-preview",
                "pulumi-ci-prod-preview": "repo:example-org/platform:environment:prod-preview",
                "pulumi-ci-dev-deploy": "repo:example-org/platform:environment:dev",
                "pulumi-ci-prod-deploy": "repo:example-org/platform:environment:prod",
            };
            for (const [name, sub] of Object.entries(subjects)) {
                assert.deepStrictEqual(
                    doc(roleNamed(name), "assumeRolePolicy").Statement,
                    [
                        {
                            Sid: "GithubActionsOidc",
                            Effect: "Allow",
                            Principal: { Federated: OIDC_ARN },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: {
                                StringEquals: {
                                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                    "token.actions.githubusercontent.com:sub": sub,
                                    ...(name.endsWith("deploy")
                                        ? { "token.actions.githubusercontent.com:ref": "refs/heads/main" }
                                        : {}),
                                },
                            },
                        },
                    ],
                    name,
                );
                assert.strictEqual(roleNamed(name).inputs!.maxSessionDuration, name.endsWith("deploy") ? 14400 : 3600);
            }
        });

        it("lets a preview role read its stack's state and decrypt, nothing else of the bucket, and attach no deploy policy", () => {
            const bucket = stateBucket(plan);
            const bucketArn = arnOf(bucket);
            const statePolicy = doc(byName(plan, "aws:iam/rolePolicy:RolePolicy", "pulumi-ci-dev-preview-state"));
            assert.deepStrictEqual(statePolicy.Statement, [
                {
                    Sid: "ListStateKeys",
                    Effect: "Allow",
                    Action: ["s3:ListBucket"],
                    Resource: [bucketArn],
                    Condition: { StringLike: { "s3:prefix": [".pulumi/", ".pulumi/*"] } },
                },
                {
                    Sid: "ReadStackState",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: [`${bucketArn}/.pulumi/meta.yaml`, `${bucketArn}/.pulumi/stacks/platform/dev.json*`],
                },
                {
                    Sid: "StateKeyThroughS3",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [byName(plan, "aws:kms/key:Key", "pulumi-state-key").outputs!.arn],
                    Condition: { StringEquals: { "kms:ViaService": "s3.sa-east-1.amazonaws.com" } },
                },
                {
                    Sid: "DecryptStackSecrets",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [byName(plan, "aws:kms/key:Key", "pulumi-secrets-dev-key").outputs!.arn],
                },
            ]);
            const previewRole = roleNamed("pulumi-ci-dev-preview");
            assert.deepStrictEqual(
                plan
                    .ofType("aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => p.inputs!.role === previewRole.id)
                    .map(nameOf)
                    .sort(),
                ["pulumi-ci-dev-preview-reads", "pulumi-ci-dev-preview-state"],
            );
            assert.deepStrictEqual(
                plan
                    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.inputs!.role === previewRole.inputs!.name),
                [],
            );
            const reads = doc(byName(plan, "aws:iam/rolePolicy:RolePolicy", "pulumi-ci-dev-preview-reads")).Statement; // What the reads allow is proven request by request in iam-simulation.spec.ts; here, their shape.
            assert.deepStrictEqual(
                reads.map((s) => s.Sid),
                [
                    "RefreshReads",
                    "PublicAwsParameters",
                    "RefreshReadsOfTheAccount",
                    "PlatformData",
                    "DecryptPlatformDataThroughServices",
                ],
            );
            assert.deepStrictEqual(reads[1].Resource, ["arn:aws:ssm:*::parameter/aws/service/*"]);
            for (const s of reads)
                for (const action of [s.Action].flat())
                    assert.doesNotMatch(
                        action,
                        /:(Create|Put|Delete|Update|Tag|Untag|Attach|Pass)/,
                        `${s.Sid} ${action}`,
                    );
        });

        it("lets a deploy role write only its own stack's state paths, and attaches the seven deploy policies", () => {
            const bucketArn = arnOf(stateBucket(plan));
            const write = doc(
                byName(plan, "aws:iam/rolePolicy:RolePolicy", "pulumi-ci-prod-deploy-state"),
            ).Statement.find((s) => s.Sid === "WriteStackState");
            assert.deepStrictEqual(write, {
                Sid: "WriteStackState",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: [
                    ".pulumi/stacks/platform/prod.json*",
                    ".pulumi/history/platform/prod/*",
                    ".pulumi/backups/platform/prod/*",
                    ".pulumi/journal/platform/prod/*",
                    ".pulumi/locks/organization/platform/prod/*",
                ].map((k) => `${bucketArn}/${k}`),
            });
            const deployRole = roleNamed("pulumi-ci-prod-deploy");
            const attached = plan
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.inputs!.role === deployRole.inputs!.name);
            const policies = plan
                .ofType("aws:iam/policy:Policy")
                .filter((p) => p.inputs!.name !== "pulumi-ci-workload-boundary");
            assert.deepStrictEqual(
                attached.map((a) => nameOf(plan.byRef(a.inputs!.policyArn)!)).sort(),
                policies.map(nameOf).sort(),
            );
            assert.strictEqual(policies.length, 7);
            assert.deepStrictEqual(
                plan
                    .ofType("aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => p.inputs!.role === deployRole.inputs!.name)
                    .map(nameOf)
                    .sort(),
                ["pulumi-ci-prod-deploy-passrole", "pulumi-ci-prod-deploy-state"],
            );
        });
    });

    describe("deploy policies", () => {
        const policies = () =>
            plan.ofType("aws:iam/policy:Policy").map((p) => ({ name: nameOf(p), document: doc(p) as PolicyDocument }));

        it("fit the 6,144-character managed policy quota", () => {
            for (const p of policies())
                assert.ok(policySize(p.document) <= 6144, `${p.name}: ${policySize(p.document)} characters`);
        });
        it("restrict every Allow to the deploy regions, never allow a whole service, and scope writes", () => {
            // The boundary grants nothing (and carries no region condition); it is tested on its own.
            for (const { name, document } of policies().filter(
                (p) => p.name !== "pulumi-ci-deploy-workload-boundary",
            )) {
                for (const s of document.Statement.filter((x) => x.Effect === "Allow")) {
                    const where = `${name} ${s.Sid}`;
                    assert.deepStrictEqual(s.Condition?.StringEquals?.["aws:RequestedRegion"], REGIONS, where);
                    for (const a of s.Action) assert.ok(!isServiceWideAction(a), `${where}: ${a}`);
                    const resources = typeof s.Resource === "string" ? [s.Resource] : s.Resource;
                    if (resources.some(isUnscopedResource)) {
                        // On "*": reads, actions the pack accepts on "*", or the listed star-only writes.
                        for (const a of s.Action) {
                            const c = classifyActionOnAllResources(a);
                            assert.ok(
                                c === "read" || c === "star-only" || STAR_ONLY_WRITES.has(a),
                                `${where}: ${a} (${c}) on "*"`,
                            );
                        }
                    } else {
                        for (const r of resources)
                            assert.ok(
                                r.includes(`:${ACCOUNT}:`) ||
                                    /^arn:aws:(s3|route53|apigateway|ssm:\*):/.test(r) ||
                                    r.startsWith("arn:aws:s3:::"),
                                `${where}: ${r} names the account`,
                            );
                    }
                }
            }
        });
        it("keeps IAM to the platform's names, and role changes to roles that carry the boundary", () => {
            const iam = policies().find((p) => p.name === "pulumi-ci-deploy-iam")!.document.Statement;
            const prefixes = ["platform", "foundation", "ticketing", "coffee-shop", "spotmusic", "postech", "mtls-api"];
            const roles = [
                ...prefixes.map((p) => `arn:aws:iam::${ACCOUNT}:role/${p}-*`),
                `arn:aws:iam::${ACCOUNT}:role/apigateway-account-cloudwatch-*`,
            ];
            const withBoundary = iam.find((s) => s.Sid === "PlatformRolesWithBoundary")!;
            assert.deepStrictEqual(withBoundary.Resource, roles);
            assert.strictEqual(
                withBoundary.Condition!.StringEquals["iam:PermissionsBoundary"],
                `arn:aws:iam::${ACCOUNT}:policy/pulumi-ci-workload-boundary`,
            );
            assert.ok(
                withBoundary.Action.includes("iam:CreateRole") && withBoundary.Action.includes("iam:PutRolePolicy"),
            );
            // Every pass-role statement names roles, never all of them (each case is simulated).
            const pass = doc(byName(plan, "aws:iam/rolePolicy:RolePolicy", "pulumi-ci-prod-deploy-passrole")).Statement;
            for (const s of pass.filter((x) => x.Effect === "Allow")) {
                assert.deepStrictEqual(s.Action, ["iam:PassRole"]);
                assert.strictEqual(typeof s.Condition!.StringEquals["iam:PassedToService"], "string", s.Sid);
            }
        });

        it("deny the CI roles, the state bucket settings and the bootstrap keys' administration", () => {
            const iam = policies().find((p) => p.name === "pulumi-ci-deploy-iam")!.document.Statement;
            const keyArns = plan.ofType("aws:kms/key:Key").map((k) => k.outputs!.arn as string);
            const bucketArn = stateBucket(plan).outputs!.arn;
            assert.deepStrictEqual(
                iam.find((s) => s.Sid === "DenyCiRolesAndPolicies"),
                {
                    Sid: "DenyCiRolesAndPolicies",
                    Effect: "Deny",
                    Action: ["iam:*"],
                    Resource: [
                        `arn:aws:iam::${ACCOUNT}:role/pulumi-ci-*`,
                        `arn:aws:iam::${ACCOUNT}:policy/pulumi-ci-*`,
                    ],
                },
            );
            assert.deepStrictEqual(iam.find((s) => s.Sid === "DenyStateBucketSettings")!.Resource, [bucketArn]);
            const keys = iam.find((s) => s.Sid === "DenyBootstrapKeyAdministration")!;
            assert.deepStrictEqual([...(keys.Resource as string[])].sort(), [...keyArns].sort());
            assert.ok(keys.Action.includes("kms:ScheduleKeyDeletion") && keys.Action.includes("kms:PutKeyPolicy"));
            const admin = iam.find((s) => s.Sid === "DenyAwsAdministratorPolicies")!;
            assert.deepStrictEqual(admin.Condition!.ArnLike["iam:PolicyARN"], [
                "arn:aws:iam::aws:policy/AdministratorAccess*",
                "arn:aws:iam::aws:policy/PowerUserAccess",
                "arn:aws:iam::aws:policy/*FullAccess*",
            ]);
        });

        it("stay within the quota for the longest partition and seven environments' worth of names", () => {
            const facts: AccountFacts = {
                partition: "aws-us-gov",
                accountId: ACCOUNT,
                regions: ["us-gov-west-1", "us-gov-east-1", "us-east-1"],
                namePrefixes: [
                    "platform",
                    "foundation",
                    "ticketing",
                    "coffee-shop",
                    "spotmusic",
                    "postech",
                    "mtls-api",
                ],
            };
            for (const f of [
                deployNetworkPolicy,
                deployComputePolicy,
                deployDataPolicy,
                deploySecretsPolicy,
                deployIntegrationPolicy,
                deployEdgePolicy,
            ]) {
                assert.ok(policySize(f(facts)) <= 6144, `${f.name}: ${policySize(f(facts))}`);
            }
        });
    });

    it("tags every taggable resource with the platform's keys", () => {
        for (const r of plan.resources.filter((x) => x.custom && x.inputs && "tags" in x.inputs)) {
            const tags = r.inputs!.tags as Record<string, string>;
            assert.deepStrictEqual(
                {
                    Project: tags.Project,
                    Architecture: tags.Architecture,
                    ManagedBy: tags.ManagedBy,
                    Stack: tags.Stack,
                    CostCenter: tags.CostCenter,
                },
                {
                    Project: "platform",
                    Architecture: "bootstrap",
                    ManagedBy: "pulumi",
                    Stack: "shared",
                    CostCenter: "platform",
                },
                nameOf(r),
            );
            assert.ok(
                ["shared", "dev", "prod"].includes(tags.Environment),
                `${nameOf(r)} Environment ${tags.Environment}`,
            );
        }
        assert.strictEqual(
            (byName(plan, "aws:iam/role:Role", "pulumi-ci-prod-deploy").inputs!.tags as Record<string, string>)
                .Environment,
            "prod",
        );
    });

    describe("policy pack", () => {
        const configFile = path.join(BOOTSTRAP, "policy-config.json");

        it("passes with the bootstrap's policy config", async () => {
            const violations = await checkPolicies(plan.document, { configFile });
            assert.deepStrictEqual(
                violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.urn}`),
                [],
            );
        });

        it("the config is prod's, plus the star-only writes (with reasons) for iam-no-wildcard-resource-writes", async () => {
            const prod = JSON.parse(
                fs.readFileSync(path.join(ROOT, "policy-pack", "config", "prod.json"), "utf8"),
            ) as Record<string, unknown>;
            const mine = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;
            assert.deepStrictEqual(mine, {
                ...prod,
                // The CI roles are the bootstrap's: administrators create them, without the workload boundary.
                "iam-role-permissions-boundary": "mandatory",
                "iam-no-wildcard-resource-writes": {
                    enforcementLevel: "mandatory",
                    allowedActions: [...STAR_ONLY_WRITES].map(([action, reason]) => ({ action, reason })),
                },
            });
            // Without the allowance, the only finding is the star-only statement.
            const violations = await checkPolicies(plan.document, {
                configFile: path.join(ROOT, "policy-pack", "config", "prod.json"),
            });
            assert.deepStrictEqual(
                violations
                    .map((v) => [v.policyName, v.enforcementLevel, nameOf({ urn: v.urn } as ExportedResource)])
                    .sort(),
                [
                    ["iam-no-wildcard-resource-writes", "mandatory", "pulumi-ci-deploy-network"],
                    ...["dev-preview", "dev-deploy", "prod-preview", "prod-deploy"].map((r) => [
                        "iam-role-permissions-boundary",
                        "mandatory",
                        `pulumi-ci-${r}`,
                    ]),
                ].sort(),
            );
            assert.match(
                violations.find((v) => v.policyName === "iam-no-wildcard-resource-writes")!.message,
                /Sid "StarOnlyWrites"/,
            );
        });

        it("catches a deploy role that trusts every repository of the owner", async () => {
            const tampered = JSON.parse(
                JSON.stringify(plan.document).replace(
                    /repo:example-org\/platform:environment:prod/g,
                    "repo:example-org/*",
                ),
            ) as unknown;
            const violations = await checkPolicies(tampered, { configFile });
            assert.deepStrictEqual(
                violations.map((v) => [v.policyName, nameOf({ urn: v.urn } as ExportedResource)]).sort(),
                [
                    ["iam-role-trust-oidc-conditions", "pulumi-ci-prod-deploy"],
                    ["iam-role-trust-oidc-conditions", "pulumi-ci-prod-preview"],
                ],
            );
        });
    });

    describe("configuration", () => {
        const base = {
            "aws:region": "sa-east-1",
            "platform-bootstrap:githubRepository": "my-org/platform",
            "platform-bootstrap:adminRoleArns": JSON.stringify([`arn:aws:iam::${ACCOUNT}:role/Admin`]),
        };

        it("applies the declared defaults", () => {
            const c = validateBootstrapConfig("shared", base);
            assert.deepStrictEqual(
                [
                    c.environments,
                    c.deployRegions,
                    c.stateProject,
                    c.noncurrentVersionDays,
                    c.noncurrentVersionsKept,
                    c.protect,
                    c.githubOidcProviderArn,
                ],
                [["dev", "prod"], REGIONS, "platform", 90, 20, true, ""],
            );
        });

        it("reports every problem at once, naming each key", () => {
            let error: BootstrapConfigError | undefined;
            try {
                validateBootstrapConfig("shared", {
                    "aws:region": "sa-east-1",
                    "platform-bootstrap:githubRepository": "my-org/*",
                    "platform-bootstrap:environments": JSON.stringify(["dev", "Prod", "dev"]),
                    "platform-bootstrap:adminRoleArns": JSON.stringify(["arn:aws:iam::123:role/*"]),
                    "platform-bootstrap:deployRegions": JSON.stringify(["sa-east-1"]),
                    "platform-bootstrap:noncurrentVersionDays": "0",
                    "platform-bootstrap:githubOidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/example.com",
                    "platform-bootstrap:tags": JSON.stringify({ Project: "x" }),
                });
            } catch (err) {
                error = err as BootstrapConfigError;
            }
            assert.ok(error instanceof BootstrapConfigError);
            assert.deepStrictEqual(error.problems, [
                'platform-bootstrap:githubRepository: must be owner/repository (letters, digits and - in the owner; letters, digits, . _ - in the repository), no wildcards; got "my-org/*"',
                'platform-bootstrap:environments[1]: must be a lower-case name of up to 20 letters, digits and - starting with a letter (it names the platform stack and the GitHub environment); got "Prod"',
                "platform-bootstrap:environments: lists an environment more than once",
                'platform-bootstrap:adminRoleArns[0]: must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<path/name>), no wildcards; got "arn:aws:iam::123:role/*"',
                "platform-bootstrap:deployRegions: must include us-east-1 (IAM, CloudFront, Route 53 and CloudFront-scope WAF are called there)",
                'platform-bootstrap:githubOidcProviderArn: must be empty or arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com; got "arn:aws:iam::123456789012:oidc-provider/example.com"',
                "platform-bootstrap:tags.Project: is set by the program and may not be overridden",
                'platform-bootstrap:noncurrentVersionDays: must be an integer from 1 to 3650; got "0"',
            ]);
        });

        it("requires the repository and at least one administrator", () => {
            assert.throws(
                () => validateBootstrapConfig("shared", { "aws:region": "sa-east-1" }),
                (err: BootstrapConfigError) => {
                    assert.deepStrictEqual(err.problems, [
                        "platform-bootstrap:githubRepository: required; the GitHub repository as owner/repository (pulumi config set githubRepository my-org/platform)",
                        "platform-bootstrap:adminRoleArns: required; the IAM role ARNs of the account administrators (at least one), who keep access to the state bucket and keys",
                    ]);
                    return true;
                },
            );
        });

        it("plans one environment with an existing OIDC provider, and refuses an invalid stack with exit 2", () => {
            const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
            const run = planBootstrap({
                stack: "dev-account",
                stackYaml: `config:\n  platform-bootstrap:githubRepository: my-org/platform\n  platform-bootstrap:environments: [dev]\n  platform-bootstrap:adminRoleArns: ["arn:aws:iam::${ACCOUNT}:role/Admin"]\n  platform-bootstrap:githubOidcProviderArn: ${existing}\n  platform-bootstrap:protect: false\n`,
            });
            assert.strictEqual(run.status, 0, run.stderr);
            const p = run.plan!;
            assert.deepStrictEqual(p.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
            assert.deepStrictEqual(
                p
                    .ofType("aws:iam/role:Role")
                    .map((r) => r.inputs!.name)
                    .sort(),
                ["pulumi-ci-dev-deploy", "pulumi-ci-dev-preview"],
            );
            assert.deepStrictEqual(
                doc(p.one("aws:iam/role:Role", "pulumi-ci-dev-deploy"), "assumeRolePolicy").Statement[0].Principal,
                { Federated: existing },
            );
            assert.strictEqual(stateBucket(p).protect, undefined);
            assert.strictEqual(stateBucket(p).inputs!.forceDestroy, true);

            const bad = planBootstrap({
                stack: "dev-account",
                stackYaml:
                    "config:\n  platform-bootstrap:githubRepository: nope\n  platform-bootstrap:adminRoleArns: []\n",
            });
            assert.strictEqual(bad.status, 2);
            assert.match(bad.stderr, /- platform-bootstrap:githubRepository: must be owner\/repository/);
            assert.match(
                bad.stderr,
                /- platform-bootstrap:adminRoleArns: must list at least one role, or nobody but the CI roles could read the state/,
            );
            // Pulumi itself refuses a stack without a required key, before the program runs.
            const missing = planBootstrap({
                stack: "dev-account",
                stackYaml: "config:\n  platform-bootstrap:githubRepository: my-org/platform\n",
            });
            assert.strictEqual(missing.status, 2);
            assert.match(missing.stderr, /missing required configuration key 'platform-bootstrap:adminRoleArns'/);
            assert.strictEqual(bad.plan, undefined);
        });
    });
});
