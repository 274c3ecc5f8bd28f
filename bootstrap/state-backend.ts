/**
 * The Pulumi state backend (`platform:bootstrap:StateBackend`): an S3 bucket for `pulumi login
 * s3://<bucket>` and the KMS key that encrypts it; and the per-environment KMS keys of the `awskms://`
 * secrets providers (`platform:bootstrap:SecretsProviderKey`).
 *
 * Bucket: versioned (every state write keeps the previous file as a noncurrent version; the lifecycle
 * expires noncurrent versions after `noncurrentVersionDays`, always keeping the newest
 * `noncurrentVersionsKept`), SSE-KMS with its own key and S3 Bucket Keys, all public access blocked,
 * ACLs disabled (BucketOwnerEnforced), and a bucket policy that denies plain HTTP, TLS below 1.2, uploads
 * that ask for another encryption or another key (uploads without encryption headers, like the Pulumi
 * CLI's, get the default: SSE-KMS with the state key), and every principal except the account root, the
 * administrators and the CI roles (`aws:PrincipalArn`).
 *
 * Keys: rotation yearly, 30-day deletion window, the account-root statement AWS puts in every default
 * key policy (so the key can never become unmanageable), and a Deny of every data-key operation to any
 * principal outside the same list. The list uses role ARNs built from the roles' fixed names, so the keys
 * and the bucket do not wait for the roles (and the roles' policies can name the keys).
 *
 * Access logs: the state bucket writes S3 server access logs (every read and write of state, by whom) to its
 * own access-log bucket `<name>-logs` under `<name>/`. That bucket is private (public access blocked, ACLs
 * disabled), versioned, TLS-only, and encrypted with SSE-S3: default SSE-KMS encryption of a server access log
 * target is not supported (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * Its policy lets only `logging.s3.amazonaws.com` write, for the state bucket of this account
 * (`aws:SourceArn`, `aws:SourceAccount`); logs expire after `accessLogDays` (default 365), overwritten versions
 * after 30 days. It does not log its own access (logs of log writes; the same page advises against it).
 *
 * References: https://www.pulumi.com/docs/iac/concepts/state-and-backends/#aws-s3,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Data-key operations the key policies deny outside the allowed principals. */
const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"];

export interface KeyPolicyArgs {
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /** Principals (role ARNs) that may use the key besides the account root. */
    users: pulumi.Input<string>[];
}

/** A key policy: the account-root statement, and a Deny of data-key use to everyone outside `users`. */
export function restrictedKeyPolicy(args: KeyPolicyArgs): pulumi.Output<string> {
    const root = pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root`;
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnableIAMPoliciesOfTheAccount",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "DenyUseOutsideAllowedPrincipals",
                Effect: "Deny",
                Principal: "*",
                Action: KEY_USE_ACTIONS,
                Resource: "*",
                Condition: { ArnNotLike: { "aws:PrincipalArn": [root, ...args.users] } },
            },
        ],
    });
}

export interface StateBackendArgs {
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /** Region of the bucket and key (the provider's region); names the S3 endpoint in `backendUrl`. */
    region: string;
    /** Administrators' role ARNs: full use of the state. */
    adminRoleArns: readonly string[];
    /** CI role ARNs: use of the state as their IAM policies allow. */
    ciRoleArns: pulumi.Input<string>[];
    /** Days a noncurrent state version is kept, 1-3650. */
    noncurrentVersionDays: number;
    /** Newest noncurrent versions of each object kept regardless of age, 0-100. */
    noncurrentVersionsKept: number;
    /** Days the state bucket's server access logs are kept, 1-3650. Default {@link DEFAULT_ACCESS_LOG_DAYS}. */
    accessLogDays?: number;
    /** Pulumi `protect` on bucket and key, and no `forceDestroy`. */
    protect: boolean;
    tags: Record<string, string>;
}

/** Default `accessLogDays`: a year of state access logs. */
export const DEFAULT_ACCESS_LOG_DAYS = 365;

/** What {@link accessLogBucket} needs: the state bucket it serves and the account it is in. */
interface AccessLogBucketArgs {
    accountId: pulumi.Input<string>;
    /** ARN of the bucket whose server access logs land here (`aws:SourceArn`). */
    sourceBucketArn: pulumi.Input<string>;
    /** Key prefix of the logs, ending in `/`. */
    prefix: string;
    days: number;
    protect: boolean;
    tags: Record<string, string>;
}

/** Deny statements every bucket of the backend carries: plain HTTP and TLS below 1.2. */
function tlsOnlyStatements(bucketArn: pulumi.Input<string>) {
    const both = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
    return [
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
    ];
}

/**
 * The state bucket's access-log bucket `name` (see the module comment): private, versioned, SSE-S3, TLS-only,
 * writable by the S3 logging service for `sourceBucketArn` only, logs expiring after `days`.
 * Returns the bucket and the policy (logging waits for the policy, so the first logs are delivered).
 */
function accessLogBucket(name: string, args: AccessLogBucketArgs, parent: pulumi.Resource) {
    const child = { parent };
    const bucket = new aws.s3.Bucket(
        name,
        { forceDestroy: !args.protect, tags: { ...args.tags, Purpose: "pulumi-state-access-logs" } },
        { ...child, protect: args.protect },
    );
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
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        child,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: args.days },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...child, dependsOn: [versioning] },
    );
    const policy = new aws.s3.BucketPolicy(
        `${name}-policy`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    ...tlsOnlyStatements(bucket.arn),
                    {
                        Sid: "S3ServerAccessLogs",
                        Effect: "Allow",
                        Principal: { Service: "logging.s3.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: pulumi.interpolate`${bucket.arn}/${args.prefix}*`,
                        Condition: {
                            ArnLike: { "aws:SourceArn": args.sourceBucketArn },
                            StringEquals: { "aws:SourceAccount": args.accountId },
                        },
                    },
                ],
            }),
        },
        { ...child, dependsOn: [publicAccessBlock] },
    );
    return { bucket, policy };
}

/** Checks the arguments (every problem at once); returns `accessLogDays` with its default. */
function validateStateBackendArgs(name: string, args: StateBackendArgs): number {
    const problems: string[] = [];
    if (
        !Number.isInteger(args.noncurrentVersionDays) ||
        args.noncurrentVersionDays < 1 ||
        args.noncurrentVersionDays > 3650
    )
        problems.push(`noncurrentVersionDays must be an integer from 1 to 3650, got ${args.noncurrentVersionDays}`);
    if (
        !Number.isInteger(args.noncurrentVersionsKept) ||
        args.noncurrentVersionsKept < 0 ||
        args.noncurrentVersionsKept > 100
    )
        problems.push(`noncurrentVersionsKept must be an integer from 0 to 100, got ${args.noncurrentVersionsKept}`);
    const accessLogDays = args.accessLogDays ?? DEFAULT_ACCESS_LOG_DAYS;
    if (!Number.isInteger(accessLogDays) || accessLogDays < 1 || accessLogDays > 3650)
        problems.push(`accessLogDays must be an integer from 1 to 3650, got ${accessLogDays}`);
    if (args.adminRoleArns.length === 0) problems.push("adminRoleArns must name at least one role");
    if (problems.length > 0) throw new Error(`StateBackend ${name}: ${problems.join("; ")}`);
    return accessLogDays;
}

/** The state bucket's KMS key (`<name>-key`) and its alias `alias/pulumi-state`. */
function stateKey(name: string, args: StateBackendArgs, users: pulumi.Input<string>[], parent: pulumi.Resource) {
    const child = { parent };
    const key = new aws.kms.Key(
        `${name}-key`,
        {
            description: "Encrypts the Pulumi state bucket",
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: 30,
            policy: restrictedKeyPolicy({ partition: args.partition, accountId: args.accountId, users }),
            tags: { ...args.tags, Purpose: "pulumi-state" },
        },
        { ...child, protect: args.protect },
    );
    new aws.kms.Alias(`${name}-key`, { name: "alias/pulumi-state", targetKeyId: key.keyId }, child);
    return key;
}

/**
 * The state bucket's settings: owner-enforced ownership, public access block, versioning, SSE-KMS with the
 * state key and a Bucket Key, and the lifecycle of noncurrent versions. Returns the public access block
 * (the bucket policy waits for it).
 */
function stateBucketSettings(
    name: string,
    bucket: aws.s3.Bucket,
    key: aws.kms.Key,
    args: StateBackendArgs,
    parent: pulumi.Resource,
) {
    const child = { parent };
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
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                    bucketKeyEnabled: true,
                },
            ],
        },
        child,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-old-state-versions",
                    status: "Enabled",
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: {
                        noncurrentDays: args.noncurrentVersionDays,
                        newerNoncurrentVersions:
                            args.noncurrentVersionsKept > 0 ? args.noncurrentVersionsKept : undefined,
                    },
                    expiration: { expiredObjectDeleteMarker: true },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...child, dependsOn: [versioning] },
    );
    return publicAccessBlock;
}

/** What the state bucket's policy names: the bucket, its key, the allowed principals, the account. */
interface StateBucketPolicyArgs {
    bucket: aws.s3.Bucket;
    key: aws.kms.Key;
    users: pulumi.Input<string>[];
    args: StateBackendArgs;
}

/** The state bucket's policy (see the module comment): TLS only, allowed principals only, its key only. */
function stateBucketPolicy(name: string, p: StateBucketPolicyArgs, opts: pulumi.CustomResourceOptions) {
    const { bucket, key, users, args } = p;
    const objects = pulumi.interpolate`${bucket.arn}/*`;
    new aws.s3.BucketPolicy(
        `${name}-policy`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    ...tlsOnlyStatements(bucket.arn),
                    {
                        Sid: "DenyEveryoneButAdministratorsAndCi",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, objects],
                        Condition: {
                            ArnNotLike: {
                                "aws:PrincipalArn": [
                                    pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root`,
                                    ...users,
                                ],
                            },
                        },
                    },
                    {
                        Sid: "DenyOtherEncryption",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:PutObject",
                        Resource: objects,
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
                        Resource: objects,
                        Condition: {
                            StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn },
                            Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
                        },
                    },
                ],
            }),
        },
        opts,
    );
}

export class StateBackend extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    /** The bucket that receives the state bucket's server access logs. */
    readonly accessLogBucketName: pulumi.Output<string>;
    /** `s3://<bucket>?region=<region>&awssdk=v2`, the argument of `pulumi login`. */
    readonly backendUrl: pulumi.Output<string>;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:bootstrap:StateBackend", name, {}, opts);
        const accessLogDays = validateStateBackendArgs(name, args);

        const child = { parent: this };
        const users = [...args.adminRoleArns, ...args.ciRoleArns];
        const key = stateKey(name, args, users, this);

        const bucket = new aws.s3.Bucket(
            name,
            { forceDestroy: !args.protect, tags: { ...args.tags, Purpose: "pulumi-state" } },
            { ...child, protect: args.protect },
        );
        const publicAccessBlock = stateBucketSettings(name, bucket, key, args, this);
        stateBucketPolicy(name, { bucket, key, users, args }, { ...child, dependsOn: [publicAccessBlock] });

        const accessLogs = accessLogBucket(
            `${name}-logs`,
            {
                accountId: args.accountId,
                sourceBucketArn: bucket.arn,
                prefix: `${name}/`,
                days: accessLogDays,
                protect: args.protect,
                tags: args.tags,
            },
            this,
        );
        new aws.s3.BucketLogging(
            `${name}-logging`,
            { bucket: bucket.id, targetBucket: accessLogs.bucket.id, targetPrefix: `${name}/` },
            { ...child, dependsOn: [accessLogs.policy] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.keyArn = key.arn;
        this.accessLogBucketName = accessLogs.bucket.bucket;
        this.backendUrl = pulumi.interpolate`s3://${bucket.bucket}?region=${args.region}&awssdk=v2`;
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            keyArn: this.keyArn,
            accessLogBucketName: this.accessLogBucketName,
            backendUrl: this.backendUrl,
        });
    }
}

export interface SecretsProviderKeyArgs {
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    region: string;
    /** Environment the key belongs to; names the alias `alias/pulumi-secrets-<environment>`. */
    environment: string;
    /** Administrators and the environment's CI roles. */
    users: pulumi.Input<string>[];
    protect: boolean;
    tags: Record<string, string>;
}

/** The KMS key of one environment's `awskms://` secrets provider (`pulumi stack init --secrets-provider`). */
export class SecretsProviderKey extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;
    readonly aliasName: string;
    /** `awskms://alias/pulumi-secrets-<environment>?region=<region>`. */
    readonly secretsProvider: string;

    constructor(name: string, args: SecretsProviderKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:bootstrap:SecretsProviderKey", name, {}, opts);
        if (!/^[a-z][a-z0-9-]*$/.test(args.environment))
            throw new Error(
                `SecretsProviderKey ${name}: environment must be lower-case letters, digits and -, got ` +
                    `'${args.environment}'`,
            );
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the secrets of the ${args.environment} stack (Pulumi awskms secrets provider)`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: 30,
                policy: restrictedKeyPolicy({
                    partition: args.partition,
                    accountId: args.accountId,
                    users: args.users,
                }),
                tags: { ...args.tags, Purpose: "pulumi-secrets" },
            },
            { parent: this, protect: args.protect },
        );
        this.aliasName = `alias/pulumi-secrets-${args.environment}`;
        new aws.kms.Alias(`${name}-key`, { name: this.aliasName, targetKeyId: key.keyId }, { parent: this });
        this.keyArn = key.arn;
        this.secretsProvider = `awskms://${this.aliasName}?region=${args.region}`;
        this.registerOutputs({ keyArn: this.keyArn, secretsProvider: this.secretsProvider });
    }
}
