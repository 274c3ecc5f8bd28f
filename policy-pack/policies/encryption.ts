/**
 * Encryption at rest: S3, RDS, DynamoDB, SQS, SNS, ElastiCache, EFS, EBS, EKS secrets, CloudWatch
 * Logs, Secrets Manager, SSM, ECR, CloudTrail, and KMS key rotation.
 *
 * Resource policies read the inputs the engine sends to `Analyze`; the one stack policy
 * (`s3-bucket-missing-encryption`) reads outputs and follows property dependencies.
 * AWS references: https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 */
import {
    block,
    inlineBlock,
    isAmong,
    isOneOf,
    isSet,
    isTrue,
    list,
    Policy,
    resourcePolicy,
    stackPolicy,
    T,
    text,
    tokensOf,
} from "../lib/resource";

/**
 * SSE algorithms S3 accepts for default bucket encryption. AES256 stays allowed: ALB access logs only support SSE-S3.
 */
const S3_SSE_ALGORITHMS = ["aws:kms", "aws:kms:dsse", "AES256"];

function checkS3Rule(rule: unknown): string | undefined {
    const byDefault = inlineBlock(
        block(rule),
        "applyServerSideEncryptionByDefault",
        "applyServerSideEncryptionByDefaults",
    );
    const algorithm = byDefault?.sseAlgorithm;
    if (!isAmong(algorithm, S3_SSE_ALGORITHMS)) {
        return (
            `set rules[].applyServerSideEncryptionByDefault.sseAlgorithm to "aws:kms" (with kmsMasterKeyId) or ` +
            `"AES256"; found ${JSON.stringify(algorithm ?? null)}`
        );
    }
    return undefined;
}

export const s3BucketEncryption = resourcePolicy({
    name: "s3-bucket-encryption",
    description: "S3 default encryption must name an algorithm (aws:kms, aws:kms:dsse or AES256).",
    types: tokensOf("s3BucketSse", "s3Bucket"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.s3Bucket)) {
            // Buckets: only the deprecated inline block is checked here; the split resource is
            // checked on its own and its absence by s3-bucket-missing-encryption.
            const first = inlineBlock(props, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations");
            if (first === undefined) {
                return;
            }
            const rules = list(first.rule ?? first.rules);
            const problem =
                rules.length === 0
                    ? "add a rule with applyServerSideEncryptionByDefault"
                    : rules.map(checkS3Rule).find((p) => p !== undefined);
            if (problem !== undefined) {
                report(`serverSideEncryptionConfiguration.rule: ${problem}`);
            }
            return;
        }
        const rules = list(props.rules);
        if (rules.length === 0) {
            report('rules: add a rule with applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" or "AES256".');
            return;
        }
        for (const rule of rules) {
            const problem = checkS3Rule(rule);
            if (problem) {
                report(problem);
                return;
            }
        }
    },
});

export const s3BucketMissingEncryption = stackPolicy({
    name: "s3-bucket-missing-encryption",
    description:
        "Every S3 bucket must have default encryption (a BucketServerSideEncryptionConfiguration, or the inline " +
        "block older providers wrote).",
    check: (graph, _args, report) => {
        for (const bucket of graph.ofType(T.s3Bucket)) {
            if (graph.referrers(bucket, "bucket", T.s3BucketSse).length > 0) {
                continue;
            }
            // Providers before v7 keep the configuration inline on the bucket; s3-bucket-encryption
            // judges its algorithm, so any inline rule with a default means "configured".
            const inline = inlineBlock(
                bucket.props,
                "serverSideEncryptionConfiguration",
                "serverSideEncryptionConfigurations",
            );
            const rules = list(inline?.rule ?? inline?.rules);
            if (
                rules.some((r) =>
                    inlineBlock(block(r), "applyServerSideEncryptionByDefault", "applyServerSideEncryptionByDefaults"),
                )
            ) {
                continue;
            }
            report(
                "Add an aws.s3.BucketServerSideEncryptionConfiguration whose bucket is this bucket " +
                    '(rules[].applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" or "AES256").',
                bucket.urn,
            );
        }
    },
});

export const rdsStorageEncrypted = resourcePolicy({
    name: "rds-storage-encrypted",
    description: "RDS instances and clusters must encrypt storage.",
    types: tokensOf("rdsInstance", "rdsCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.rdsCluster) && props.engineMode === "serverless") {
            return; // Aurora Serverless v1 storage is always encrypted.
        }
        if (isOneOf(args.type, T.rdsInstance)) {
            const engine = props.engine;
            if (typeof engine === "string" && engine.startsWith("aurora")) {
                return; // Aurora instances inherit encryption from their cluster.
            }
            if (isSet(props.replicateSourceDb)) {
                return; // Replicas inherit encryption from their source.
            }
        }
        if (!isTrue(props.storageEncrypted)) {
            report("Set storageEncrypted: true (and kmsKeyId to a customer-managed key).");
        }
    },
});

export const dynamodbTableCmk = resourcePolicy({
    name: "dynamodb-table-cmk",
    description: "DynamoDB tables must be encrypted with a customer-managed KMS key.",
    types: T.dynamodbTable,
    check: (props, _args, report) => {
        const sse = block(props.serverSideEncryption);
        if (!isTrue(sse?.enabled) || !isSet(sse?.kmsKeyArn)) {
            report("Set serverSideEncryption: { enabled: true, kmsKeyArn: <customer-managed key ARN> }.");
        }
    },
});

export const sqsQueueEncryption = resourcePolicy({
    name: "sqs-queue-encryption",
    description: "SQS queues must be encrypted (KMS key or SQS-managed SSE).",
    types: T.sqsQueue,
    check: (props, _args, report) => {
        if (isSet(props.kmsMasterKeyId) || isTrue(props.sqsManagedSseEnabled)) {
            return;
        }
        report("Set kmsMasterKeyId to a KMS key (or sqsManagedSseEnabled: true).");
    },
});

export const snsTopicEncryption = resourcePolicy({
    name: "sns-topic-encryption",
    description: "SNS topics must be encrypted with a KMS key.",
    types: T.snsTopic,
    check: (props, _args, report) => {
        if (!isSet(props.kmsMasterKeyId)) {
            report("Set kmsMasterKeyId to a KMS key id or alias (e.g. a customer-managed key).");
        }
    },
});

export const elasticacheAtRestEncryption = resourcePolicy({
    name: "elasticache-at-rest-encryption",
    description: "ElastiCache Redis/Valkey data must be encrypted at rest.",
    types: tokensOf("elasticacheReplicationGroup", "elasticacheCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.elasticacheCluster)) {
            // A standalone Redis/Valkey cluster cannot encrypt at rest; members of a replication
            // group inherit the group's setting; Memcached has no at-rest option.
            if (isSet(props.replicationGroupId) || props.engine === "memcached") {
                return;
            }
            report(
                "Use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true instead of a " +
                    "standalone Redis cluster.",
            );
            return;
        }
        if (!isTrue(props.atRestEncryptionEnabled)) {
            report("Set atRestEncryptionEnabled: true (and kmsKeyId to a customer-managed key).");
        }
    },
});

export const efsEncrypted = resourcePolicy({
    name: "efs-encrypted",
    description: "EFS file systems must be encrypted at rest.",
    types: T.efsFileSystem,
    check: (props, _args, report) => {
        if (!isTrue(props.encrypted)) {
            report("Set encrypted: true (and kmsKeyId to a customer-managed key).");
        }
    },
});

export const ebsVolumeEncryption = resourcePolicy({
    name: "ebs-volume-encryption",
    description: "EBS volumes must be encrypted.",
    types: T.ebsVolume,
    check: (props, _args, report) => {
        if (!isTrue(props.encrypted)) {
            report("Set encrypted: true (and kmsKeyId to a customer-managed key).");
        }
    },
});

export const ec2InstanceEbsEncryption = resourcePolicy({
    name: "ec2-instance-ebs-encryption",
    description: "EC2 instance root and attached EBS volumes must be encrypted.",
    types: T.ec2Instance,
    check: (props, _args, report) => {
        if (!isTrue(block(props.rootBlockDevice)?.encrypted)) {
            report("Set rootBlockDevice.encrypted: true.");
        }
        list(props.ebsBlockDevices).forEach((value, i) => {
            const d = block(value);
            if (!isTrue(d?.encrypted)) {
                report(`Set ebsBlockDevices[${i}].encrypted: true (device ${text(d?.deviceName, "?")}).`);
            }
        });
    },
});

export const ec2LaunchTemplateEbsEncryption = resourcePolicy({
    name: "ec2-launch-template-ebs-encryption",
    description: "EBS volumes a launch template maps must be encrypted.",
    types: T.ec2LaunchTemplate,
    check: (props, _args, report) => {
        list(props.blockDeviceMappings).forEach((value, i) => {
            const m = block(value);
            if (
                m?.ebs !== undefined &&
                m?.ebs !== null &&
                !isTrue(block(m.ebs)?.encrypted) &&
                !isSet(block(m.ebs)?.snapshotId)
            ) {
                report(`Set blockDeviceMappings[${i}].ebs.encrypted: "true" (device ${text(m.deviceName, "?")}).`);
            }
        });
    },
});

export const eksSecretsEncryption = resourcePolicy({
    name: "eks-secrets-encryption",
    description: "EKS clusters must envelope-encrypt Kubernetes secrets with a KMS key.",
    types: tokensOf("eksCluster", "eksComponentCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.eksComponentCluster)) {
            if (!isSet(props.encryptionConfigKeyArn)) {
                report("Set encryptionConfigKeyArn to a customer-managed KMS key ARN.");
            }
            return;
        }
        const configs = list(props.encryptionConfig);
        const ok = configs.some(
            (c) => list<string>(block(c)?.resources).includes("secrets") && isSet(block(block(c)?.provider)?.keyArn),
        );
        if (!ok) {
            report('Set encryptionConfig: { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }.');
        }
    },
});

export const cloudwatchLogGroupKms = resourcePolicy({
    name: "cloudwatch-log-group-kms",
    description: "CloudWatch log groups must be encrypted with a KMS key.",
    types: T.logGroup,
    check: (props, _args, report) => {
        if (!isSet(props.kmsKeyId)) {
            report("Set kmsKeyId to the ARN of the logs KMS key (its policy must allow logs.<region>.amazonaws.com).");
        }
    },
});

export const secretsmanagerSecretCmk = resourcePolicy({
    name: "secretsmanager-secret-cmk",
    description: "Secrets Manager secrets must be encrypted with a customer-managed KMS key.",
    types: T.secretsmanagerSecret,
    check: (props, _args, report) => {
        if (!isSet(props.kmsKeyId)) {
            report(
                "Set kmsKeyId to a customer-managed KMS key (the default aws/secretsmanager key cannot be shared " +
                    "or audited per purpose).",
            );
        }
    },
});

/** Parameter names that hold credentials and must therefore be SecureString. */
const SECRET_NAME = /(password|passwd|secret|token|private[-_]?key|credential|api[-_]?key)/i;

export const ssmParameterSecureString = resourcePolicy({
    name: "ssm-parameter-secure-string",
    description: "SSM parameters holding secrets must be SecureString encrypted with a customer-managed KMS key.",
    types: T.ssmParameter,
    check: (props, args, report) => {
        if (props.type === "SecureString") {
            if (!isSet(props.keyId)) {
                report("Set keyId to a customer-managed KMS key for this SecureString parameter.");
            }
            return;
        }
        const name = typeof props.name === "string" ? props.name : args.name;
        if (SECRET_NAME.test(name)) {
            report(`Parameter "${name}" looks like a secret: set type: "SecureString" and keyId.`);
        }
    },
});

export const ecrRepositoryKms = resourcePolicy({
    name: "ecr-repository-kms",
    description: "ECR repositories must encrypt images with KMS.",
    types: tokensOf("ecrRepository", "awsxEcrRepository"),
    check: (props, _args, report) => {
        const configs = list(props.encryptionConfigurations);
        if (!configs.some((c) => block(c)?.encryptionType === "KMS")) {
            report('Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <KMS key ARN> }].');
        }
    },
});

export const cloudtrailKmsEncryption = resourcePolicy({
    name: "cloudtrail-kms-encryption",
    description: "CloudTrail log files must be encrypted with a KMS key.",
    types: T.cloudtrail,
    check: (props, _args, report) => {
        if (!isSet(props.kmsKeyId)) {
            report("Set kmsKeyId to a KMS key ARN whose policy allows cloudtrail.amazonaws.com.");
        }
    },
});

export const kmsKeyRotation = resourcePolicy({
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys must rotate automatically.",
    types: T.kmsKey,
    check: (props, _args, report) => {
        const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        if (spec !== "SYMMETRIC_DEFAULT" || props.keyUsage === "GENERATE_VERIFY_MAC" || isSet(props.customKeyStoreId)) {
            return; // AWS supports automatic rotation only for symmetric keys in the default key store.
        }
        if (!isTrue(props.enableKeyRotation)) {
            report("Set enableKeyRotation: true.");
        }
    },
});

/** Encryption-at-rest policies, in the order the README lists them. */
export const encryptionPolicies: Policy[] = [
    s3BucketEncryption,
    s3BucketMissingEncryption,
    rdsStorageEncrypted,
    dynamodbTableCmk,
    sqsQueueEncryption,
    snsTopicEncryption,
    elasticacheAtRestEncryption,
    efsEncrypted,
    ebsVolumeEncryption,
    ec2InstanceEbsEncryption,
    ec2LaunchTemplateEbsEncryption,
    eksSecretsEncryption,
    cloudwatchLogGroupKms,
    secretsmanagerSecretCmk,
    ssmParameterSecureString,
    ecrRepositoryKms,
    cloudtrailKmsEncryption,
    kmsKeyRotation,
];
