import * as assert from "assert";
import { KEY_PURPOSES } from "../../infra/security/kms-keys";
import { nameOf, Plan, policyDocument, stackPlan } from "../support/plan";

const ACCOUNT_ROOT = "arn:aws:iam::123456789012:root";
const ROOT_STATEMENT = {
    Sid: "EnableIAMPoliciesOfTheAccount",
    Effect: "Allow",
    Principal: { AWS: ACCOUNT_ROOT },
    Action: "kms:*",
    Resource: "*",
};

for (const stack of ["dev", "prod"] as const) {
    describe(`foundation of the ${stack} plan`, () => {
        let plan: Plan;
        before(() => {
            plan = stackPlan(stack);
        });

        describe("KMS keys", () => {
            it("has one symmetric key per purpose, rotated yearly, with an alias", () => {
                // The foundation's keys; architectures may own keys of their own (e.g. a CloudFront-served bucket's).
                const keys = plan
                    .ofType("aws:kms/key:Key")
                    .filter((k) => (k.inputs!.tags as any).Architecture === "foundation");
                assert.deepStrictEqual(
                    keys.map((k) => (k.inputs!.tags as any).Purpose).sort(),
                    [...KEY_PURPOSES].sort(),
                );
                for (const k of keys) {
                    assert.strictEqual(k.inputs!.enableKeyRotation, true);
                    assert.strictEqual(k.inputs!.rotationPeriodInDays, 365);
                    assert.strictEqual(k.inputs!.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
                    assert.strictEqual(k.inputs!.deletionWindowInDays, stack === "prod" ? 30 : 7);
                }
                assert.deepStrictEqual(
                    plan
                        .ofType("aws:kms/alias:Alias")
                        .map((a) => a.inputs!.name)
                        .sort(),
                    [...KEY_PURPOSES].sort().map((p) => `alias/platform-${stack}-${p}`),
                );
            });

            const keyPolicy = (purpose: string) =>
                policyDocument(
                    plan.ofType("aws:kms/key:Key").find((k) => (k.inputs!.tags as any).Purpose === purpose)!.inputs!
                        .policy,
                );

            it("keeps the data and secrets keys to the account (IAM decides who uses them)", () => {
                assert.deepStrictEqual(keyPolicy("data").Statement, [ROOT_STATEMENT]);
                assert.deepStrictEqual(keyPolicy("secrets").Statement, [ROOT_STATEMENT]);
            });
            it("lets CloudWatch Logs of this region use the logs key only for this account's log groups", () => {
                assert.deepStrictEqual(keyPolicy("logs").Statement, [
                    ROOT_STATEMENT,
                    {
                        Sid: "AllowCloudWatchLogsOfThisAccount",
                        Effect: "Allow",
                        Principal: { Service: "logs.sa-east-1.amazonaws.com" },
                        Action: [
                            "kms:Encrypt*",
                            "kms:Decrypt*",
                            "kms:ReEncrypt*",
                            "kms:GenerateDataKey*",
                            "kms:Describe*",
                        ],
                        Resource: "*",
                        Condition: {
                            ArnLike: {
                                "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:sa-east-1:123456789012:log-group:*",
                            },
                        },
                    },
                ]);
            });
            it("lets CloudWatch alarms publish with the messaging key, and EventBridge describe it and use it for this account's buses and archives", () => {
                assert.deepStrictEqual(keyPolicy("messaging").Statement, [
                    ROOT_STATEMENT,
                    {
                        Sid: "AllowAlarmPublishersOfThisAccount",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                    },
                    {
                        Sid: "AllowEventBridgeToDescribeTheKey",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: "kms:DescribeKey",
                        Resource: "*",
                    },
                    {
                        Sid: "AllowEventBridgeBusesOfThisAccount",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncrypt*"],
                        Resource: "*",
                        Condition: {
                            ArnLike: {
                                "kms:EncryptionContext:aws:events:event-bus:arn":
                                    "arn:aws:events:sa-east-1:123456789012:event-bus/*",
                            },
                        },
                    },
                ]);
            });
        });

        describe("log archive bucket", () => {
            const sub = (type: string) => {
                const found = plan
                    .ofType(`aws:s3/${type}`)
                    .filter((r) => nameOf(r).startsWith("foundation-log-archive"));
                assert.strictEqual(found.length, 1, type);
                return found[0].inputs!;
            };
            it("is private, owner-enforced, versioned and SSE-S3 encrypted (ELB logs need SSE-S3)", () => {
                assert.deepStrictEqual(sub("bucketPublicAccessBlock:BucketPublicAccessBlock"), {
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    bucket: sub("bucketVersioning:BucketVersioning").bucket,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                assert.deepStrictEqual(sub("bucketOwnershipControls:BucketOwnershipControls").rule, {
                    objectOwnership: "BucketOwnerEnforced",
                });
                assert.deepStrictEqual(sub("bucketVersioning:BucketVersioning").versioningConfiguration, {
                    status: "Enabled",
                });
                assert.deepStrictEqual(
                    sub("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
                    [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
                );
            });
            it("expires logs after the configured days, moving them to cheaper storage first", () => {
                const days = stack === "dev" ? 90 : 730;
                const transitions =
                    stack === "dev"
                        ? [{ days: 30, storageClass: "STANDARD_IA" }]
                        : [
                              { days: 30, storageClass: "STANDARD_IA" },
                              { days: 90, storageClass: "GLACIER_IR" },
                          ];
                assert.deepStrictEqual(sub("bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules, [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: { prefix: "" },
                        transitions,
                        expiration: { days },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ]);
            });
            it("denies plain HTTP and lets only the log writers of this account put objects, each under its prefix", () => {
                const bucket = plan.ofType("aws:s3/bucket:Bucket").find((b) => nameOf(b) === "foundation-log-archive")!;
                const arn = bucket.outputs!.arn;
                assert.ok(typeof arn === "string", "the log archive bucket has an ARN");
                const statements = policyDocument(sub("bucketPolicy:BucketPolicy").policy).Statement;
                assert.deepStrictEqual(
                    statements.map((s) => [s.Sid, s.Effect, s.Principal, s.Action, s.Resource]),
                    [
                        ["DenyInsecureTransport", "Deny", "*", "s3:*", [arn, `${arn}/*`]],
                        [
                            "ElasticLoadBalancingAccessLogs",
                            "Allow",
                            { AWS: "arn:aws:iam::507241528517:root" },
                            "s3:PutObject",
                            `${arn}/elb/AWSLogs/123456789012/*`,
                        ],
                        [
                            "LogDeliveryWrite",
                            "Allow",
                            { Service: "delivery.logs.amazonaws.com" },
                            "s3:PutObject",
                            `${arn}/*AWSLogs/123456789012/*`,
                        ],
                        [
                            "LogDeliveryAclCheck",
                            "Allow",
                            { Service: "delivery.logs.amazonaws.com" },
                            "s3:GetBucketAcl",
                            arn,
                        ],
                        [
                            "S3ServerAccessLogs",
                            "Allow",
                            { Service: "logging.s3.amazonaws.com" },
                            "s3:PutObject",
                            `${arn}/s3/*`,
                        ],
                    ],
                );
                assert.deepStrictEqual(statements[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
                for (const s of statements.slice(2))
                    assert.strictEqual(s.Condition.StringEquals["aws:SourceAccount"], "123456789012");
            });
            it(`is ${stack === "prod" ? "protected and kept with its objects" : "destroyable with its objects"}`, () => {
                const bucket = plan.ofType("aws:s3/bucket:Bucket").find((b) => nameOf(b) === "foundation-log-archive")!;
                assert.strictEqual(bucket.inputs!.forceDestroy, stack !== "prod");
                assert.strictEqual(bucket.protect ?? false, stack === "prod");
            });
        });

        describe("alarm topic and ECS cluster", () => {
            it("encrypts the alarm topic with the messaging key and lets only this account's alarms publish", () => {
                const topic = plan.one("aws:sns/topic:Topic", "foundation-alarms");
                assert.strictEqual(
                    (plan.byRef(topic.inputs!.kmsMasterKeyId)!.inputs!.tags as any).Purpose,
                    "messaging",
                );
                const statements = policyDocument(
                    plan.one("aws:sns/topicPolicy:TopicPolicy", "foundation-alarms-policy").inputs!.policy,
                ).Statement;
                const alarms = statements.find((s) => s.Sid === "CloudWatchAlarmsOfThisAccount");
                assert.deepStrictEqual(alarms.Condition, {
                    StringEquals: { "aws:SourceAccount": "123456789012" },
                    ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:sa-east-1:123456789012:alarm:*" },
                });
                assert.deepStrictEqual(statements.find((s) => s.Sid === "DenyInsecureTransport").Condition, {
                    Bool: { "aws:SecureTransport": "false" },
                });
            });
            it(`${stack === "prod" ? "subscribes the operations address to" : "has no subscriber on"} the alarm topic`, () => {
                const topic = plan.one("aws:sns/topic:Topic", "foundation-alarms");
                const subscriptions = plan
                    .ofType("aws:sns/topicSubscription:TopicSubscription")
                    .filter((s) => s.inputs!.topic === topic.outputs!.arn);
                assert.deepStrictEqual(
                    subscriptions.map((s) => [nameOf(s), s.inputs!.protocol, s.inputs!.endpoint]),
                    stack === "prod" ? [["foundation-alarms-email", "email", "ops@example.com"]] : [],
                );
            });
            it("runs the ECS cluster with Container Insights and Fargate capacity, exec sessions logged encrypted", () => {
                const [cluster] = plan.ofType("aws:ecs/cluster:Cluster");
                assert.deepStrictEqual(cluster.inputs!.settings, [{ name: "containerInsights", value: "enabled" }]);
                const exec = (cluster.inputs!.configuration as any).executeCommandConfiguration;
                assert.strictEqual(exec.logging, "OVERRIDE");
                assert.deepStrictEqual(exec.logConfiguration, {
                    cloudWatchEncryptionEnabled: true,
                    cloudWatchLogGroupName: `/platform/${stack}/foundation/ecs-exec`,
                });
                const [capacity] = plan.ofType("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
                assert.deepStrictEqual(capacity.inputs!.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            });
            it("encrypts every log group with the logs key; the foundation's keep the configured retention", () => {
                const logsKey = plan
                    .ofType("aws:kms/key:Key")
                    .find(
                        (k) =>
                            (k.inputs!.tags as any).Purpose === "logs" &&
                            (k.inputs!.tags as any).Architecture === "foundation",
                    )!;
                const groups = plan.ofType("aws:cloudwatch/logGroup:LogGroup");
                for (const g of groups) {
                    // CloudFront's WAF logs must live in us-east-1, where the logs key (a regional key) cannot serve them.
                    if (
                        String(g.inputs!.kmsKeyId).startsWith("arn:aws:kms:us-east-1:") &&
                        String(g.inputs!.name).startsWith("aws-waf-logs-")
                    )
                        continue;
                    assert.strictEqual(g.inputs!.kmsKeyId, logsKey.outputs!.arn, nameOf(g));
                }
                const foundation = groups.filter((g) => (g.inputs!.tags as any).Architecture === "foundation");
                assert.deepStrictEqual(foundation.map(nameOf).sort(), [
                    "foundation-cluster-exec-logs",
                    "foundation-network-flow-logs",
                ]);
                for (const g of foundation) {
                    assert.strictEqual(g.inputs!.retentionInDays, stack === "dev" ? 30 : 365, nameOf(g));
                }
            });
        });
    });
}
