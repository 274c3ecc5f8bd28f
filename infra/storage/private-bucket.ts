/**
 * A private S3 bucket (`platform:storage:PrivateBucket`): all public access blocked, ACLs disabled
 * (`BucketOwnerEnforced`), versioning on, SSE-KMS by default with an S3 Bucket Key, a policy that
 * refuses requests not made over TLS, server access logs to the log archive under `s3/<name>/`, and
 * a lifecycle (noncurrent versions and incomplete uploads expire; optional transitions and expiry).
 *
 * **Behind CloudFront** (`cloudFrontOrigin: true`): CloudFront reads the bucket through origin access
 * control (OAC), signing requests as `cloudfront.amazonaws.com`. A service principal can only use a KMS
 * key its key policy names, and the platform's data key names none, so such a bucket gets its own
 * customer-managed key whose policy lets CloudFront decrypt for distributions of this account only;
 * which distribution may read is decided by the bucket policy, written by
 * {@link PrivateBucket.allowCloudFront} (call it exactly once, with the distribution's ARN: the
 * distribution needs the bucket first, so the statement cannot exist at construction).
 *
 * **Browser access** (`cors`): one CORS rule for the named origins, so a web app can send requests such
 * as presigned `PUT` uploads straight to the bucket; without it the browser's preflight `OPTIONS` gets
 * no `Access-Control-Allow-*` headers and the upload fails.
 *
 * References:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html (CORS elements),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../compute/fargate-service";

/** A lifecycle transition of current versions. */
export interface BucketTransition {
    days: number;
    storageClass: "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";
}

/** CORS methods S3 accepts (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html). */
export type BucketCorsMethod = "GET" | "PUT" | "HEAD" | "POST" | "DELETE";

/**
 * One CORS rule (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html): a browser
 * on one of `allowedOrigins` may send `allowedMethods` with `allowedHeaders` (S3 answers the preflight
 * with the requested headers that match; an entry may hold one `*`, e.g. `x-amz-checksum-*`) and read
 * `exposeHeaders` of the response; the browser caches the preflight answer `maxAgeSeconds`.
 */
export interface BucketCors {
    /** Exact origins, `https://host[:port]`, no path and no wildcard (1-100). */
    allowedOrigins: string[];
    /** At least one of GET, PUT, HEAD, POST, DELETE. */
    allowedMethods: BucketCorsMethod[];
    /** Request headers allowed in the preflight, each with at most one `*`. Default none. */
    allowedHeaders?: string[];
    /** Response headers the browser's script may read (e.g. `ETag`). Default none. */
    exposeHeaders?: string[];
    /** Seconds the browser may cache the preflight answer, 0-86400. Default 3600. */
    maxAgeSeconds?: number;
}

/** Default `cors.maxAgeSeconds`: one hour (browsers cap it lower: Chromium at 7200 s). */
export const DEFAULT_CORS_MAX_AGE = 3600;

const CORS_METHODS: readonly BucketCorsMethod[] = ["GET", "PUT", "HEAD", "POST", "DELETE"];
const HTTPS_ORIGIN = /^https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
const HEADER = /^[A-Za-z0-9!#$%&'+.^_`|~*-]+$/;

/** The problems of a {@link BucketCors}, each naming its field. */
function corsProblems(cors: BucketCors): string[] {
    const problems: string[] = [];
    if (cors.allowedOrigins.length < 1 || cors.allowedOrigins.length > 100)
        problems.push(`cors.allowedOrigins must hold 1-100 origins; got ${cors.allowedOrigins.length}`);
    for (const o of cors.allowedOrigins)
        if (!HTTPS_ORIGIN.test(o))
            problems.push(
                `cors.allowedOrigins: ${JSON.stringify(o)} is not an origin https://host[:port] ` +
                    "(no path, no wildcard)",
            );
    if (cors.allowedMethods.length === 0 || cors.allowedMethods.some((m) => !CORS_METHODS.includes(m)))
        problems.push(
            `cors.allowedMethods must be one or more of ${CORS_METHODS.join(", ")}; ` +
                `got ${JSON.stringify(cors.allowedMethods)}`,
        );
    for (const h of [...(cors.allowedHeaders ?? []), ...(cors.exposeHeaders ?? [])])
        if (!HEADER.test(h) || (h.match(/\*/g) ?? []).length > 1)
            problems.push(`cors: ${JSON.stringify(h)} is not a header name (with at most one *)`);
    const maxAge = cors.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE;
    if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86400)
        problems.push(`cors.maxAgeSeconds must be an integer from 0 to 86400; got ${maxAge}`);
    return problems;
}

export interface PrivateBucketArgs {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Region of the bucket (the `kms:ViaService` condition of access statements). */
    region: string;
    /**
     * KMS key ARN of SSE-KMS (the platform's data key). Required unless `cloudFrontOrigin`, which makes its own
     * key.
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Served by CloudFront through origin access control: own KMS key, policy from
     * {@link PrivateBucket.allowCloudFront}. Default false.
     */
    cloudFrontOrigin?: boolean;
    /** Server access logs: the log archive bucket (same region), objects under `s3/<name>/`. */
    accessLogs: { bucketName: pulumi.Input<string> };
    /** Lifecycle of the objects. */
    lifecycle?: {
        /** Days a noncurrent (overwritten or deleted) version is kept, 1-36500. Default 90. */
        noncurrentVersionDays?: number;
        /** Transitions of current versions, ascending days. Default none. */
        transitions?: BucketTransition[];
        /** Days after which current versions expire (become noncurrent). Default never. */
        expirationDays?: number;
    };
    /** Cross-origin access from browsers (one CORS rule). Default none: S3 refuses every CORS preflight. */
    cors?: BucketCors;
    /**
     * Deletion window of its own KMS key (7-30 days) and Pulumi `protect`; unprotected buckets are destroyed with
     * their objects.
     */
    protect: boolean;
    tags: Record<string, string>;
}

/** Every problem of the arguments: the key, the lifecycle, the name, then CORS. */
function problemsOf(name: string, args: PrivateBucketArgs): string[] {
    const cloudFront = args.cloudFrontOrigin ?? false;
    const problems: string[] = [];
    if (cloudFront && args.kmsKeyArn !== undefined)
        problems.push(
            "kmsKeyArn must be absent when cloudFrontOrigin is true (the bucket gets a key CloudFront may use)",
        );
    if (!cloudFront && args.kmsKeyArn === undefined) problems.push("kmsKeyArn is required (the platform's data key)");
    problems.push(...lifecycleProblems(args.lifecycle ?? {}));
    if (!/^[a-z0-9][a-z0-9-]{0,35}$/.test(name))
        problems.push(
            "the name must be 1-36 lower-case letters, digits and - (it is the bucket name prefix, " +
                `at most 37 characters with its -, and the log prefix); got ${JSON.stringify(name)}`,
        );
    if (args.cors) problems.push(...corsProblems(args.cors));
    return problems;
}

/** The problems of `lifecycle`: noncurrent days, ascending transitions, expiry after every transition. */
function lifecycleProblems(lifecycle: NonNullable<PrivateBucketArgs["lifecycle"]>): string[] {
    const noncurrent = lifecycle.noncurrentVersionDays ?? 90;
    const transitions = lifecycle.transitions ?? [];
    const expiration = lifecycle.expirationDays;
    const problems: string[] = [];
    if (!Number.isInteger(noncurrent) || noncurrent < 1 || noncurrent > 36500)
        problems.push(`lifecycle.noncurrentVersionDays must be an integer from 1 to 36500; got ${noncurrent}`);
    transitions.forEach((t, i) => {
        if (!Number.isInteger(t.days) || t.days < 0)
            problems.push(`lifecycle.transitions[${i}].days must be a non-negative integer; got ${t.days}`);
        if (i > 0 && t.days <= transitions[i - 1].days)
            problems.push(`lifecycle.transitions[${i}].days must be later than the previous transition`);
        if (t.storageClass === "STANDARD_IA" && t.days < 30)
            problems.push(`lifecycle.transitions[${i}]: STANDARD_IA needs at least 30 days; got ${t.days}`);
    });
    if (
        expiration !== undefined &&
        (!Number.isInteger(expiration) || expiration < 1 || transitions.some((t) => t.days >= expiration))
    )
        problems.push(`lifecycle.expirationDays must be a positive integer after every transition; got ${expiration}`);
    return problems;
}

const S3_PREFIX = "s3";

export class PrivateBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** Regional domain name: the origin domain CloudFront uses. */
    readonly bucketRegionalDomainName: pulumi.Output<string>;
    /** The KMS key objects are encrypted with (the given key, or its own behind CloudFront). */
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Prefix of its server access logs in the log archive: `s3/<name>/`. */
    readonly accessLogPrefix: string;
    private readonly componentName: string;
    private readonly cloudFrontOrigin: boolean;
    private readonly region: string;
    private readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    private policyWritten = false;

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:storage:PrivateBucket", name, {}, opts);
        const problems = problemsOf(name, args);
        if (problems.length > 0) throw new Error(`PrivateBucket ${name}: ${problems.join("; ")}`);
        const cloudFront = args.cloudFrontOrigin ?? false;
        this.componentName = name;
        this.cloudFrontOrigin = cloudFront;
        this.region = args.region;
        this.accessLogPrefix = `${S3_PREFIX}/${name}/`;

        const kmsKeyArn = cloudFront ? this.cdnContentKey(name, args).arn : args.kmsKeyArn!;
        const bucket = new aws.s3.Bucket(
            name,
            { bucketPrefix: `${name}-`, forceDestroy: !args.protect, tags: args.tags },
            { parent: this, protect: args.protect },
        );
        this.publicAccessBlock = this.accessControls(name, bucket);
        this.encryptionAndLogs(name, args, bucket, kmsKeyArn);
        this.lifecycle(name, args, bucket);
        if (args.cors) this.cors(name, args.cors, bucket);

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
        this.kmsKeyArn = pulumi.output(kmsKeyArn);
        if (!cloudFront) this.writePolicy([]);
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn });
    }

    /**
     * The own key of a CloudFront-served bucket: the account's IAM policies may use it, and CloudFront may
     * decrypt for distributions of this account (origin access control); yearly rotation.
     */
    private cdnContentKey(name: string, args: PrivateBucketArgs): aws.kms.Key {
        const { partition, accountId } = args;
        const distributions = pulumi.interpolate`arn:${partition}:cloudfront::${accountId}:distribution/*`;
        return new aws.kms.Key(
            `${name}-key`,
            {
                description:
                    `Encrypts the objects of ${name}; ` +
                    "CloudFront distributions of this account may decrypt them through origin access control",
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.protect ? 30 : 7,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EnableIAMPoliciesOfTheAccount",
                            Effect: "Allow",
                            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
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
                                StringEquals: { "aws:SourceAccount": accountId },
                                ArnLike: {
                                    "aws:SourceArn": distributions,
                                },
                            },
                        },
                    ],
                }),
                tags: { ...args.tags, Purpose: "cdn-content" },
            },
            { parent: this },
        );
    }

    /** ACLs disabled (BucketOwnerEnforced), versioning, no public access (returned: the policy waits for it). */
    private accessControls(name: string, bucket: aws.s3.Bucket): aws.s3.BucketPublicAccessBlock {
        const child = { parent: this };
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        return publicAccessBlock;
    }

    /** SSE-KMS by default with an S3 Bucket Key, and server access logs to the log archive under `s3/<name>/`. */
    private encryptionAndLogs(
        name: string,
        args: PrivateBucketArgs,
        bucket: aws.s3.Bucket,
        kmsKeyArn: pulumi.Input<string>,
    ): void {
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            { parent: this },
        );
        new aws.s3.BucketLogging(
            `${name}-access-logs`,
            {
                bucket: bucket.id,
                targetBucket: args.accessLogs.bucketName,
                targetPrefix: this.accessLogPrefix,
            },
            { parent: this },
        );
    }

    /** One lifecycle rule: the transitions and expiry asked for, noncurrent versions and stale uploads expire. */
    private lifecycle(name: string, args: PrivateBucketArgs, bucket: aws.s3.Bucket): void {
        const expiration = args.lifecycle?.expirationDays;
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "versions-and-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        transitions: (args.lifecycle?.transitions ?? []).map((t) => ({
                            days: t.days,
                            storageClass: t.storageClass,
                        })),
                        expiration: expiration !== undefined ? { days: expiration } : undefined,
                        noncurrentVersionExpiration: { noncurrentDays: args.lifecycle?.noncurrentVersionDays ?? 90 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        );
    }

    /** The one CORS rule (`browsers`) for the named origins. */
    private cors(name: string, cors: BucketCors, bucket: aws.s3.Bucket): void {
        new aws.s3.BucketCorsConfiguration(
            `${name}-cors`,
            {
                bucket: bucket.id,
                corsRules: [
                    {
                        id: "browsers",
                        allowedOrigins: cors.allowedOrigins,
                        allowedMethods: cors.allowedMethods,
                        allowedHeaders: cors.allowedHeaders,
                        exposeHeaders: cors.exposeHeaders,
                        maxAgeSeconds: cors.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE,
                    },
                ],
            },
            { parent: this },
        );
    }

    private writePolicy(extra: object[]): aws.s3.BucketPolicy {
        this.policyWritten = true;
        const arn = this.bucketArn;
        return new aws.s3.BucketPolicy(
            `${this.componentName}-policy`,
            {
                bucket: this.bucketName,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, pulumi.interpolate`${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        ...extra,
                    ],
                }),
            },
            { parent: this, dependsOn: [this.publicAccessBlock] },
        );
    }

    /**
     * Writes the TLS-only bucket policy of a CloudFront-served bucket whose distribution is not created in
     * this run (its certificate is still pending, docs/first-deploy.md). When the distribution comes,
     * {@link allowCloudFront} writes the same policy resource with the CloudFront grant added.
     * Throws unless the bucket was made with `cloudFrontOrigin`, and when a policy was already written.
     */
    denyInsecureTransportOnly(): aws.s3.BucketPolicy {
        if (!this.cloudFrontOrigin)
            throw new Error(
                `PrivateBucket ${this.componentName}: denyInsecureTransportOnly is for cloudFrontOrigin buckets ` +
                    "(others get it by default)",
            );
        if (this.policyWritten)
            throw new Error(`PrivateBucket ${this.componentName}: its bucket policy was already written`);
        return this.writePolicy([]);
    }

    /**
     * Writes the bucket policy of a CloudFront-served bucket: TLS only, and `s3:GetObject` for
     * `cloudfront.amazonaws.com` when the request comes from `distributionArn` (origin access control).
     * Throws unless the bucket was made with `cloudFrontOrigin`, and when called twice.
     */
    allowCloudFront(distributionArn: pulumi.Input<string>): aws.s3.BucketPolicy {
        if (!this.cloudFrontOrigin)
            throw new Error(`PrivateBucket ${this.componentName}: allowCloudFront needs cloudFrontOrigin: true`);
        if (this.policyWritten)
            throw new Error(
                `PrivateBucket ${this.componentName}: allowCloudFront was already called; ` +
                    "pass the one distribution that serves the bucket",
            );
        return this.writePolicy([
            {
                Sid: "CloudFrontOriginAccessControl",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`${this.bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
        ]);
    }

    /**
     * IAM statements for an application: `read` (GetObject), `write` (PutObject) or both, on objects
     * under `prefix` (default every object), with the KMS actions SSE-KMS needs through S3 only.
     * `sid` prefixes the statement ids.
     */
    accessStatements(sid: string, access: { read?: boolean; write?: boolean; prefix?: string }): IamStatement[] {
        const actions = [...(access.read ? ["s3:GetObject"] : []), ...(access.write ? ["s3:PutObject"] : [])];
        if (actions.length === 0)
            throw new Error(`PrivateBucket ${this.componentName}: accessStatements needs read or write`);
        const prefix = access.prefix ?? "";
        if (prefix.includes("*") || prefix.startsWith("/"))
            throw new Error(
                `PrivateBucket ${this.componentName}: prefix must be a key prefix without * or leading /; ` +
                    `got ${JSON.stringify(prefix)}`,
            );
        // Reads decrypt; writes make data keys, and decrypt them again to finish multipart uploads.
        const kms = access.write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"];
        return [
            {
                Sid: `${sid}Objects`,
                Effect: "Allow",
                Action: actions,
                Resource: pulumi.interpolate`${this.bucketArn}/${prefix}*`,
            },
            {
                Sid: `${sid}Kms`,
                Effect: "Allow",
                Action: kms,
                Resource: this.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${this.region}.amazonaws.com` } },
            },
        ];
    }
}
