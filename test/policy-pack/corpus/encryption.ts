/** Corpus: encryption at rest. */
import { res, secret } from "../support/harness";
import {
    ACCOUNT,
    compliantBucket,
    denyInsecureTransport,
    KEY_ARN,
    kmsKey,
    logGroup,
    postgres,
    redis,
    REGION,
    s3AccessLogDelivery,
    secretRotation,
    tlsOnlyBucketPolicy,
} from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const receipts = res("aws:s3/bucket:Bucket", "ticketing-receipts", { forceDestroy: false });

export const corpus: CorpusModule = {
    insecure: [
        insecure(
            "encryption/s3-sse-without-algorithm",
            "s3-bucket-encryption",
            "Receipts bucket encryption resource sets only bucketKeyEnabled; no default algorithm.",
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "ticketing-receipts-sse",
                { bucket: "ticketing-receipts-id", rules: [{ bucketKeyEnabled: true }] },
                { deps: { bucket: [receipts] } },
            ),
            [receipts],
        ),
        insecure(
            "encryption/s3-bucket-without-sse",
            "s3-bucket-missing-encryption",
            "Coffee-shop static site bucket relies on the implicit default; no encryption configuration declared.",
            res("aws:s3/bucket:Bucket", "coffee-shop-site", { forceDestroy: true }),
        ),
        insecure(
            "encryption/s3-legacy-bucketv2-without-sse",
            "s3-bucket-missing-encryption",
            "Audio bucket still carried as aws:s3/bucketV2:BucketV2 in state, no encryption configuration.",
            res("aws:s3/bucketV2:BucketV2", "spotmusic-audio", { bucket: "spotmusic-audio-dev" }),
        ),
        insecure(
            "encryption/rds-unencrypted",
            "rds-storage-encrypted",
            "Ticketing PostgreSQL with storage encryption left off.",
            postgres("ticketing-db", { storageEncrypted: false, kmsKeyId: undefined }),
        ),
        insecure(
            "encryption/aurora-unencrypted",
            "rds-storage-encrypted",
            "Aurora MySQL cluster restored without storageEncrypted.",
            res("aws:rds/cluster:Cluster", "spotmusic-aurora", {
                engine: "aurora-mysql",
                masterUsername: "admin",
                manageMasterUserPassword: true,
                backupRetentionPeriod: 7,
                deletionProtection: true,
                dbClusterParameterGroupName: "aurora-mysql-tls",
            }),
        ),
        insecure(
            "encryption/dynamodb-aws-owned-key",
            "dynamodb-table-cmk",
            "Orders table on the AWS-owned key (no serverSideEncryption block).",
            res("aws:dynamodb/table:Table", "coffee-shop-orders", {
                billingMode: "PAY_PER_REQUEST",
                hashKey: "orderId",
                attributes: [{ name: "orderId", type: "S" }],
                pointInTimeRecovery: { enabled: true },
            }),
        ),
        insecure(
            "encryption/sqs-plaintext",
            "sqs-queue-encryption",
            "Reservation expiry queue with SSE explicitly disabled.",
            res("aws:sqs/queue:Queue", "ticketing-reservation-expiry", {
                delaySeconds: 900,
                sqsManagedSseEnabled: false,
                messageRetentionSeconds: 345600,
            }),
        ),
        insecure(
            "encryption/sns-plaintext",
            "sns-topic-encryption",
            "Notification topic without a KMS key.",
            res("aws:sns/topic:Topic", "ticketing-notifications", { displayName: "Ticketing notifications" }),
        ),
        insecure(
            "encryption/redis-no-at-rest",
            "elasticache-at-rest-encryption",
            "Product cache replication group without at-rest encryption.",
            redis("coffee-shop-cache", { atRestEncryptionEnabled: false, kmsKeyId: undefined }),
        ),
        insecure(
            "encryption/efs-unencrypted",
            "efs-encrypted",
            "Shared EFS for certificates created unencrypted.",
            res("aws:efs/fileSystem:FileSystem", "mtls-certs", {
                performanceMode: "generalPurpose",
                throughputMode: "bursting",
            }),
        ),
        insecure(
            "encryption/ebs-volume-unencrypted",
            "ebs-volume-encryption",
            "Scratch EBS volume without encryption.",
            res("aws:ebs/volume:Volume", "worker-scratch", { availabilityZone: "sa-east-1a", size: 100, type: "gp3" }),
        ),
        insecure(
            "encryption/instance-root-unencrypted",
            "ec2-instance-ebs-encryption",
            "Bastion instance with an unencrypted root volume.",
            res("aws:ec2/instance:Instance", "ops-bastion", {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                subnetId: "subnet-private",
                rootBlockDevice: { volumeSize: 16, volumeType: "gp3" },
            }),
        ),
        insecure(
            "encryption/launch-template-unencrypted",
            "ec2-launch-template-ebs-encryption",
            "EKS worker launch template maps a 50 GiB root volume without encryption.",
            res("aws:ec2/launchTemplate:LaunchTemplate", "postech-nodes", {
                instanceType: "t3.large",
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: { volumeSize: 50, volumeType: "gp3", deleteOnTermination: "true" },
                    },
                ],
            }),
        ),
        insecure(
            "encryption/eks-component-no-secrets-key",
            "eks-secrets-encryption",
            "@pulumi/eks cluster without encryptionConfigKeyArn: Kubernetes secrets only base64 in etcd.",
            res("eks:index:Cluster", "postech-eks", {
                version: "1.31",
                endpointPublicAccess: false,
                endpointPrivateAccess: true,
                skipDefaultNodeGroup: true,
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
            }),
        ),
        insecure(
            "encryption/eks-cluster-no-encryption-config",
            "eks-secrets-encryption",
            "aws.eks.Cluster without encryptionConfig.",
            res("aws:eks/cluster:Cluster", "postech-eks-raw", {
                roleArn: "arn:aws:iam::111122223333:role/eks",
                vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false },
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
            }),
        ),
        insecure(
            "encryption/log-group-no-kms",
            "cloudwatch-log-group-kms",
            "Checkout service log group without KMS.",
            res("aws:cloudwatch/logGroup:LogGroup", "/ticketing/dev/checkout", { retentionInDays: 30 }),
        ),
        insecure(
            "encryption/secret-aws-managed-key",
            "secretsmanager-secret-cmk",
            "Database credentials secret on the default aws/secretsmanager key.",
            res("aws:secretsmanager/secret:Secret", "postech-db-credentials", {
                description: "RDS credentials for the FastAPI pods",
            }),
        ),
        insecure(
            "encryption/ssm-password-plain-string",
            "ssm-parameter-secure-string",
            "Database password stored as a plain String parameter.",
            res("aws:ssm/parameter:Parameter", "spotmusic-db-password", {
                name: "/spotmusic/dev/db-password",
                type: "String",
                value: secret("hunter22"),
            }),
        ),
        insecure(
            "encryption/ecr-aes256",
            "ecr-repository-kms",
            "Gateway image repository on default AES256.",
            res("aws:ecr/repository:Repository", "mtls-gateway", {
                name: "mtls-api/gateway",
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
            }),
        ),
        insecure(
            "encryption/cloudtrail-no-kms",
            "cloudtrail-kms-encryption",
            "Trail writing SSE-S3 only log files.",
            res("aws:cloudtrail/trail:Trail", "platform-trail", {
                s3BucketName: "platform-dev-log-archive-7c1e",
                enableLogFileValidation: true,
                isMultiRegionTrail: true,
            }),
        ),
        insecure(
            "encryption/kms-no-rotation",
            "kms-key-rotation",
            "Data key without automatic rotation.",
            res("aws:kms/key:Key", "platform-data", { description: "data key", deletionWindowInDays: 30 }),
        ),
    ],
    secure: [
        secure(
            "encryption/kms-bucket",
            "Receipts bucket: SSE-KMS, versioning, public access block, owner-enforced, lifecycle, TLS only.",
            (() => {
                const [bucket, ...rest] = compliantBucket("ticketing-receipts");
                return [bucket, ...rest, tlsOnlyBucketPolicy(bucket)];
            })(),
        ),
        secure(
            "encryption/log-archive-aes256",
            "Log archive bucket on SSE-S3 (the only option ALB access logs support); S3 access logs land here, so " +
                "it logs none itself.",
            (() => {
                const [bucket, ...rest] = compliantBucket("platform-log-archive", "AES256", false);
                const arn = "arn:aws:s3:::platform-log-archive";
                const policy = res(
                    "aws:s3/bucketPolicy:BucketPolicy",
                    "platform-log-archive-policy",
                    {
                        bucket: "platform-log-archive-id",
                        policy: JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                denyInsecureTransport("s3:*", [arn, `${arn}/*`]),
                                s3AccessLogDelivery("platform-log-archive"),
                            ],
                        }),
                    },
                    { deps: { bucket: [bucket] } },
                );
                return [bucket, ...rest, policy];
            })(),
        ),
        secure(
            "encryption/kms-key",
            "Rotating CMK whose policy keeps the account root and lets CloudWatch Logs use it.",
            [kmsKey("platform-logs", "logs.sa-east-1.amazonaws.com")],
        ),
        secure("encryption/log-group", "KMS-encrypted log group with 30-day retention.", [
            logGroup("/ticketing/dev/checkout"),
        ]),
        secure("encryption/dynamodb", "Orders table with a CMK and point-in-time recovery.", [
            res("aws:dynamodb/table:Table", "coffee-shop-orders", {
                billingMode: "PAY_PER_REQUEST",
                hashKey: "orderId",
                attributes: [{ name: "orderId", type: "S" }],
                serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
                pointInTimeRecovery: { enabled: true },
            }),
        ]),
        secure(
            "encryption/queues",
            "Work queue with a CMK and a DLQ with SQS-managed SSE, both refusing plain HTTP.",
            (() => {
                const tlsOnly = (name: string) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [denyInsecureTransport("sqs:*", `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`)],
                    });
                const dlq = res("aws:sqs/queue:Queue", "coffee-shop-fulfilment-dlq", {
                    sqsManagedSseEnabled: true,
                    messageRetentionSeconds: 1209600,
                    policy: tlsOnly("coffee-shop-fulfilment-dlq"),
                });
                const queue = res(
                    "aws:sqs/queue:Queue",
                    "coffee-shop-fulfilment",
                    {
                        kmsMasterKeyId: KEY_ARN,
                        kmsDataKeyReusePeriodSeconds: 300,
                        policy: tlsOnly("coffee-shop-fulfilment"),
                        redrivePolicy: JSON.stringify({
                            deadLetterTargetArn: "arn:aws:test:::coffee-shop-fulfilment-dlq",
                            maxReceiveCount: 5,
                        }),
                    },
                    { deps: { redrivePolicy: [dlq] } },
                );
                return [queue, dlq];
            })(),
        ),
        secure(
            "encryption/secrets",
            "Secret on a CMK (rotated), SecureString parameter on a CMK, SNS topic on a CMK.",
            [
                ...(() => {
                    const credentials = res("aws:secretsmanager/secret:Secret", "postech-db-credentials", {
                        kmsKeyId: KEY_ARN,
                    });
                    return [credentials, secretRotation(credentials)];
                })(),
                res("aws:ssm/parameter:Parameter", "spotmusic-db-password", {
                    name: "/spotmusic/dev/db-password",
                    type: "SecureString",
                    keyId: KEY_ARN,
                    value: secret("x"),
                }),
                res("aws:sns/topic:Topic", "platform-alarms", {
                    kmsMasterKeyId: "alias/platform-data",
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            denyInsecureTransport("sns:Publish", `arn:aws:sns:${REGION}:${ACCOUNT}:platform-alarms`),
                        ],
                    }),
                }),
            ],
        ),
        secure("encryption/ecr", "Image repository with KMS, scan on push, immutable tags and a lifecycle policy.", [
            res("aws:ecr/repository:Repository", "mtls-gateway", {
                name: "mtls-api/gateway",
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
            }),
            res("aws:ecr/lifecyclePolicy:LifecyclePolicy", "mtls-gateway-lifecycle", {
                repository: "mtls-api/gateway",
                policy: JSON.stringify({
                    rules: [
                        {
                            rulePriority: 1,
                            selection: {
                                tagStatus: "untagged",
                                countType: "sinceImagePushed",
                                countUnit: "days",
                                countNumber: 7,
                            },
                            action: { type: "expire" },
                        },
                    ],
                }),
            }),
        ]),
    ],
};
