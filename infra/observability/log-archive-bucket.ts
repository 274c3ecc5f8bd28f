/**
 * The log archive bucket (`platform:observability:LogArchiveBucket`): where ALB/NLB, CloudFront, WAF
 * and S3 server access logs land. Private (all public access blocked, ACLs disabled), versioned,
 * TLS-only, with a lifecycle that moves logs to cheaper storage and expires them.
 *
 * Encryption is SSE-S3 (AES-256), not SSE-KMS: Elastic Load Balancing access logs support only SSE-S3
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 *
 * Prefixes: `elb/` for load balancers, `s3/<bucket>/` for server access logs, and `AWSLogs/` paths
 * written by the log delivery service (NLB, CloudFront standard logs v2, WAF).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_ACCOUNT_BY_REGION } from "../shared/aws-facts";

export interface LogArchiveBucketArgs {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Region of the bucket: picks the Elastic Load Balancing log writer. */
    region: string;
    /** Days before objects expire; transitions to Standard-IA (30 d) and Glacier IR (90 d) apply when shorter. */
    retentionInDays: number;
    /** Days a noncurrent (overwritten or deleted) version is kept. Default 30. */
    noncurrentVersionRetentionInDays?: number;
    /** When false the bucket may be destroyed with its objects (`forceDestroy`). */
    protect: boolean;
    tags: Record<string, string>;
}

/** Ownership enforced (ACLs disabled) and every public access blocked; the policy waits for the block. */
function privateAccess(name: string, bucket: aws.s3.Bucket, parent: pulumi.Resource): aws.s3.BucketPublicAccessBlock {
    new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    return new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        { parent },
    );
}

/** Versioning and SSE-S3 (AES-256) encryption by default. */
function versioningAndEncryption(name: string, bucket: aws.s3.Bucket, parent: pulumi.Resource): void {
    new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        { parent },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        },
        { parent },
    );
}

/** Standard-IA at 30 days and Glacier IR at 90 (when before expiry), expiry, noncurrent versions, uploads. */
function lifecycle(name: string, args: LogArchiveBucketArgs, bucket: aws.s3.Bucket, parent: pulumi.Resource): void {
    const transitions = [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 90, storageClass: "GLACIER_IR" },
    ].filter((t) => t.days < args.retentionInDays);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "archive-then-expire",
                    status: "Enabled",
                    filter: { prefix: "" },
                    transitions,
                    expiration: { days: args.retentionInDays },
                    noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionInDays ?? 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { parent },
    );
}

/** TLS only; the log writers: Elastic Load Balancing, the log delivery service, S3 server access logging. */
function policyStatements(args: LogArchiveBucketArgs, bucket: aws.s3.Bucket): Record<string, unknown>[] {
    const elbAccount = ELB_ACCOUNT_BY_REGION[args.region];
    const elbWriter = elbAccount
        ? { AWS: pulumi.interpolate`arn:${args.partition}:iam::${elbAccount}:root` }
        : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "ElasticLoadBalancingAccessLogs",
            Effect: "Allow",
            Principal: elbWriter,
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/elb/AWSLogs/${args.accountId}/*`,
        },
        {
            Sid: "LogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/*AWSLogs/${args.accountId}/*`,
            Condition: {
                StringEquals: {
                    "aws:SourceAccount": args.accountId,
                    "s3:x-amz-acl": "bucket-owner-full-control",
                },
            },
        },
        {
            Sid: "LogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
        },
        {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/s3/*`,
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
        },
    ];
}

export class LogArchiveBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** Regional domain name, the form CloudFront logging expects. */
    readonly bucketDomainName: pulumi.Output<string>;

    constructor(name: string, args: LogArchiveBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:LogArchiveBucket", name, {}, opts);
        if (!Number.isInteger(args.retentionInDays) || args.retentionInDays < 1) {
            throw new Error(
                `LogArchiveBucket ${name}: retentionInDays must be a positive integer, got ${args.retentionInDays}`,
            );
        }
        const bucket = new aws.s3.Bucket(
            name,
            { forceDestroy: !args.protect, tags: args.tags },
            { parent: this, protect: args.protect },
        );
        const publicAccessBlock = privateAccess(name, bucket, this);
        versioningAndEncryption(name, bucket, this);
        lifecycle(name, args, bucket, this);
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: policyStatements(args, bucket) }),
            },
            { parent: this, dependsOn: [publicAccessBlock] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.bucketDomainName = bucket.bucketRegionalDomainName;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
