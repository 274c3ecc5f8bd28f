/**
 * QueueWithDlq and PrivateBucket on their own, under the offline plan's mocks: encryption, redrive,
 * TLS-only policies, the IAM statements they hand to producers, consumers and readers, lifecycle,
 * access logs, the CloudFront variant (own key, policy written once for one distribution), validation.
 */
import * as assert from "assert";
import { QueueWithDlq } from "../../infra/messaging/queue";
import { PrivateBucket, PrivateBucketArgs } from "../../infra/storage/private-bucket";
import { componentHarness, TAGS, value } from "./component-harness";

const h = componentHarness();
const MESSAGING = "arn:aws:kms:sa-east-1:123456789012:key/messaging";
const DATA = "arn:aws:kms:sa-east-1:123456789012:key/data";
const T = {
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    redriveAllow: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    bucket: "aws:s3/bucket:Bucket",
    key: "aws:kms/key:Key",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
};
/** Resolves every Output in a statement list. */
const resolved = (statements: unknown) => value(statements as any).then((s) => JSON.parse(JSON.stringify(s)));

describe("messaging and storage components (under mocks)", () => {
    before(() => h.install());

    describe("QueueWithDlq", () => {
        it("encrypts both queues with the messaging key, redrives after 5 receives to a DLQ only it may use, long-polls, refuses plain HTTP", async () => {
            const q = new QueueWithDlq("orders", {
                region: "sa-east-1",
                kmsKeyArn: MESSAGING,
                visibilityTimeoutSeconds: 60,
                tags: TAGS,
            });
            await h.settle(q.queueArn);
            const main = h.one(T.queue, "orders").inputs;
            const dlq = h.one(T.queue, "orders-dlq").inputs;
            const dlqArn = await value(q.dlqArn);
            const queueArn = await value(q.queueArn);
            assert.deepStrictEqual(
                [
                    main.kmsMasterKeyId,
                    main.kmsDataKeyReusePeriodSeconds,
                    main.visibilityTimeoutSeconds,
                    main.messageRetentionSeconds,
                    main.delaySeconds,
                    main.receiveWaitTimeSeconds,
                    main.sqsManagedSseEnabled,
                ],
                [MESSAGING, 300, 60, 345600, 0, 20, undefined],
            );
            assert.deepStrictEqual(JSON.parse(main.redrivePolicy), { deadLetterTargetArn: dlqArn, maxReceiveCount: 5 });
            assert.deepStrictEqual(
                [dlq.kmsMasterKeyId, dlq.messageRetentionSeconds, dlq.redrivePolicy],
                [MESSAGING, 1209600, undefined],
            );
            assert.deepStrictEqual(JSON.parse(h.one(T.redriveAllow, "orders-dlq-sources").inputs.redriveAllowPolicy), {
                redrivePermission: "byQueue",
                sourceQueueArns: [queueArn],
            });
            for (const [policy, arn] of [
                ["orders-policy", queueArn],
                ["orders-dlq-policy", dlqArn],
            ]) {
                assert.deepStrictEqual(JSON.parse(h.one(T.queuePolicy, policy).inputs.policy).Statement, [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sqs:*",
                        Resource: arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]);
            }
            assert.deepStrictEqual([main.tags, dlq.tags], [TAGS, TAGS]);
        });

        it("hands producers SendMessage and consumers receive/delete on exactly this queue, with KMS only through SQS", async () => {
            const q = new QueueWithDlq("jobs", {
                region: "sa-east-1",
                kmsKeyArn: MESSAGING,
                delaySeconds: 900,
                tags: TAGS,
            });
            const arn = await h.settle(q.queueArn);
            const via = { StringEquals: { "kms:ViaService": "sqs.sa-east-1.amazonaws.com" } };
            assert.deepStrictEqual(await resolved(q.sendStatements("Jobs")), [
                { Sid: "JobsSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: arn },
                {
                    Sid: "JobsEncrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: MESSAGING,
                    Condition: via,
                },
            ]);
            assert.deepStrictEqual(await resolved(q.consumeStatements("Jobs")), [
                {
                    Sid: "JobsConsume",
                    Effect: "Allow",
                    Action: [
                        "sqs:ChangeMessageVisibility",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage",
                    ],
                    Resource: arn,
                },
                { Sid: "JobsDecrypt", Effect: "Allow", Action: ["kms:Decrypt"], Resource: MESSAGING, Condition: via },
            ]);
            assert.strictEqual(h.one(T.queue, "jobs").inputs.delaySeconds, 900);
        });

        it("reports every bad argument at once", () => {
            assert.throws(
                () =>
                    new QueueWithDlq("bad", {
                        region: "sa-east-1",
                        kmsKeyArn: MESSAGING,
                        visibilityTimeoutSeconds: 50000,
                        messageRetentionSeconds: 30,
                        dlqRetentionSeconds: 20,
                        maxReceiveCount: 0,
                        delaySeconds: 901,
                        receiveWaitTimeSeconds: 21,
                        tags: TAGS,
                    }),
                {
                    message:
                        "QueueWithDlq bad: visibilityTimeoutSeconds must be an integer from 0 to 43200; got 50000; messageRetentionSeconds must be an integer from 60 to 1209600; got 30; " +
                        "dlqRetentionSeconds must be an integer from messageRetentionSeconds (30) to 1209600, so a message never expires sooner in the DLQ; got 20; maxReceiveCount must be an integer from 1 to 1000; got 0; " +
                        "delaySeconds must be an integer from 0 to 900 (SQS delays at most 15 minutes); got 901; receiveWaitTimeSeconds must be an integer from 0 to 20; got 21",
                },
            );
        });
    });

    describe("PrivateBucket", () => {
        const base = (overrides: Partial<PrivateBucketArgs> = {}): PrivateBucketArgs => ({
            accountId: "123456789012",
            partition: "aws",
            region: "sa-east-1",
            kmsKeyArn: DATA,
            accessLogs: { bucketName: "log-archive" },
            protect: false,
            tags: TAGS,
            ...overrides,
        });

        it("blocks public access, enforces the owner, versions, encrypts with the data key and a bucket key, logs to the archive, expires old versions, refuses plain HTTP", async () => {
            const b = new PrivateBucket(
                "receipts",
                base({
                    lifecycle: {
                        noncurrentVersionDays: 30,
                        transitions: [
                            { days: 30, storageClass: "STANDARD_IA" },
                            { days: 180, storageClass: "GLACIER_IR" },
                        ],
                    },
                }),
            );
            const arn = await h.settle(b.bucketArn);
            const name = await value(b.bucketName);
            const bucket = h.one(T.bucket, "receipts").inputs;
            assert.deepStrictEqual([bucket.bucketPrefix, bucket.forceDestroy, bucket.tags], ["receipts-", true, TAGS]);
            assert.deepStrictEqual(
                h.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "receipts-public-access").inputs,
                {
                    bucket: name,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
            );
            assert.deepStrictEqual(
                h.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "receipts-ownership").inputs.rule,
                { objectOwnership: "BucketOwnerEnforced" },
            );
            assert.deepStrictEqual(
                h.one("aws:s3/bucketVersioning:BucketVersioning", "receipts-versioning").inputs.versioningConfiguration,
                { status: "Enabled" },
            );
            assert.deepStrictEqual(
                h.one(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "receipts-encryption",
                ).inputs.rules,
                [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: DATA },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            const logging = h.one("aws:s3/bucketLogging:BucketLogging", "receipts-access-logs").inputs;
            assert.deepStrictEqual(
                [logging.bucket, logging.targetBucket, logging.targetPrefix],
                [name, "log-archive", "s3/receipts/"],
            );
            assert.deepStrictEqual(
                h.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "receipts-lifecycle").inputs
                    .rules,
                [
                    {
                        id: "versions-and-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        transitions: [
                            { days: 30, storageClass: "STANDARD_IA" },
                            { days: 180, storageClass: "GLACIER_IR" },
                        ],
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            );
            assert.deepStrictEqual(JSON.parse(h.one(T.policy, "receipts-policy").inputs.policy).Statement, [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);
            assert.deepStrictEqual(h.ofType(T.key, "receipts"), []);
            assert.throws(() => b.allowCloudFront("arn:aws:cloudfront::123456789012:distribution/E1"), {
                message: "PrivateBucket receipts: allowCloudFront needs cloudFrontOrigin: true",
            });
        });

        it("gives applications object access under a prefix, with the KMS actions SSE-KMS needs through S3 only", async () => {
            const b = new PrivateBucket("images", base());
            const arn = await h.settle(b.bucketArn);
            const via = { StringEquals: { "kms:ViaService": "s3.sa-east-1.amazonaws.com" } };
            assert.deepStrictEqual(
                await resolved(b.accessStatements("Receipts", { write: true, prefix: "receipts/" })),
                [
                    {
                        Sid: "ReceiptsObjects",
                        Effect: "Allow",
                        Action: ["s3:PutObject"],
                        Resource: `${arn}/receipts/*`,
                    },
                    {
                        Sid: "ReceiptsKms",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: DATA,
                        Condition: via,
                    },
                ],
            );
            assert.deepStrictEqual(await resolved(b.accessStatements("All", { read: true })), [
                { Sid: "AllObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${arn}/*` },
                { Sid: "AllKms", Effect: "Allow", Action: ["kms:Decrypt"], Resource: DATA, Condition: via },
            ]);
            assert.throws(() => b.accessStatements("X", {}), {
                message: "PrivateBucket images: accessStatements needs read or write",
            });
            assert.throws(() => b.accessStatements("X", { read: true, prefix: "a/*" }), {
                message: 'PrivateBucket images: prefix must be a key prefix without * or leading /; got "a/*"',
            });
        });

        it("behind CloudFront: its own rotating key that only this account's distributions may decrypt with, and a policy for exactly one distribution", async () => {
            const b = new PrivateBucket("audio", base({ kmsKeyArn: undefined, cloudFrontOrigin: true, protect: true }));
            const arn = await h.settle(b.bucketArn);
            assert.deepStrictEqual(h.ofType(T.policy, "audio"), [], "no policy until the distribution exists");
            const dist = "arn:aws:cloudfront::123456789012:distribution/E2ABC";
            b.allowCloudFront(dist);
            await h.settle(b.bucketArn);
            const key = h.one(T.key, "audio-key").inputs;
            assert.deepStrictEqual(
                [key.enableKeyRotation, key.deletionWindowInDays, key.tags.Purpose],
                [true, 30, "cdn-content"],
            );
            assert.deepStrictEqual(JSON.parse(key.policy).Statement, [
                {
                    Sid: "EnableIAMPoliciesOfTheAccount",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudFrontOriginAccessControlOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "kms:Decrypt",
                    Resource: "*",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*" },
                    },
                },
            ]);
            assert.strictEqual(
                h.one(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "audio-encryption",
                ).inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId,
                await value(b.kmsKeyArn),
            );
            assert.deepStrictEqual(JSON.parse(h.one(T.policy, "audio-policy").inputs.policy).Statement, [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Sid: "CloudFrontOriginAccessControl",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: `${arn}/*`,
                    Condition: { StringEquals: { "AWS:SourceArn": dist } },
                },
            ]);
            assert.strictEqual(h.one(T.bucket, "audio").inputs.forceDestroy, false);
            assert.throws(() => b.allowCloudFront(dist), {
                message:
                    "PrivateBucket audio: allowCloudFront was already called; pass the one distribution that serves the bucket",
            });
        });

        it("answers browsers' CORS preflights only when asked: one rule with the given origins, methods and headers", async () => {
            const cors = new PrivateBucket(
                "uploads",
                base({
                    cors: {
                        allowedOrigins: ["https://app.example.com"],
                        allowedMethods: ["PUT"],
                        allowedHeaders: ["content-type", "x-amz-checksum-*"],
                        exposeHeaders: ["ETag"],
                    },
                }),
            );
            await h.settle(cors.bucketArn);
            const rule = h.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "uploads-cors").inputs;
            assert.deepStrictEqual(rule.corsRules, [
                {
                    id: "browsers",
                    allowedOrigins: ["https://app.example.com"],
                    allowedMethods: ["PUT"],
                    allowedHeaders: ["content-type", "x-amz-checksum-*"],
                    exposeHeaders: ["ETag"],
                    maxAgeSeconds: 3600,
                },
            ]);
            assert.strictEqual(rule.bucket, await h.settle(cors.bucketName));
            const plain = new PrivateBucket("plain", base());
            await h.settle(plain.bucketArn);
            assert.deepStrictEqual(
                h.registered.filter((r) => r.type.startsWith("aws:s3/bucketCors")).map((r) => r.name),
                ["uploads-cors"],
                "no CORS rule unless asked",
            );
            assert.throws(
                () =>
                    new PrivateBucket(
                        "badcors",
                        base({
                            cors: {
                                allowedOrigins: ["*", "https://app.example.com/path", "http://app.example.com"],
                                allowedMethods: ["PATCH" as "PUT"],
                                allowedHeaders: ["x-*-*", "bad header"],
                                maxAgeSeconds: 90000,
                            },
                        }),
                    ),
                {
                    message:
                        'PrivateBucket badcors: cors.allowedOrigins: "*" is not an origin https://host[:port] (no path, no wildcard); ' +
                        'cors.allowedOrigins: "https://app.example.com/path" is not an origin https://host[:port] (no path, no wildcard); ' +
                        'cors.allowedOrigins: "http://app.example.com" is not an origin https://host[:port] (no path, no wildcard); ' +
                        'cors.allowedMethods must be one or more of GET, PUT, HEAD, POST, DELETE; got ["PATCH"]; ' +
                        'cors: "x-*-*" is not a header name (with at most one *); cors: "bad header" is not a header name (with at most one *); ' +
                        "cors.maxAgeSeconds must be an integer from 0 to 86400; got 90000",
                },
            );
        });

        it("reports every bad argument at once", () => {
            assert.throws(
                () =>
                    new PrivateBucket(
                        "Bad_Name",
                        base({
                            cloudFrontOrigin: true,
                            lifecycle: {
                                noncurrentVersionDays: 0,
                                transitions: [
                                    { days: 10, storageClass: "STANDARD_IA" },
                                    { days: 5, storageClass: "GLACIER" },
                                ],
                                expirationDays: 5,
                            },
                        }),
                    ),
                {
                    message:
                        "PrivateBucket Bad_Name: kmsKeyArn must be absent when cloudFrontOrigin is true (the bucket gets a key CloudFront may use); " +
                        "lifecycle.noncurrentVersionDays must be an integer from 1 to 36500; got 0; lifecycle.transitions[0]: STANDARD_IA needs at least 30 days; got 10; " +
                        "lifecycle.transitions[1].days must be later than the previous transition; lifecycle.expirationDays must be a positive integer after every transition; got 5; " +
                        'the name must be 1-36 lower-case letters, digits and - (it is the bucket name prefix, at most 37 characters with its -, and the log prefix); got "Bad_Name"',
                },
            );
            assert.throws(() => new PrivateBucket("nokey", base({ kmsKeyArn: undefined })), {
                message: "PrivateBucket nokey: kmsKeyArn is required (the platform's data key)",
            });
        });
    });
});
