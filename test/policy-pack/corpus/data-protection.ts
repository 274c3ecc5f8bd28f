/** Corpus: data protection. */
import { res } from "../support/harness";
import { ACCOUNT, KEY_ARN, postgres, secretRotation } from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const bucket = res("aws:s3/bucket:Bucket", "spotmusic-audio", { forceDestroy: false });

export const corpus: CorpusModule = {
    insecure: [
        insecure(
            "data/mysql-no-log-exports",
            "rds-log-exports",
            "MySQL instance that exports only its error log (RDS.9 asks audit, error, general, slowquery).",
            postgres("spotmusic-catalog-db", {
                engine: "mysql",
                engineVersion: "8.0",
                enabledCloudwatchLogsExports: ["error"],
            }),
        ),
        insecure(
            "data/secret-no-rotation",
            "secretsmanager-rotation",
            "Database credentials secret without rotation (AwsSolutions-SMG4, SecretsManager.1).",
            res("aws:secretsmanager/secret:Secret", "postech-reporting-credentials", {
                kmsKeyId: KEY_ARN,
                description: "reporting database credentials",
            }),
        ),
        insecure(
            "data/rds-no-backups",
            "rds-backup-retention",
            "Database with automated backups disabled (0 days).",
            postgres("ticketing-db", { backupRetentionPeriod: 0 }),
        ),
        insecure(
            "data/rds-no-deletion-protection",
            "rds-deletion-protection",
            "Production database without deletion protection.",
            postgres("postech-db", { deletionProtection: false }),
        ),
        insecure(
            "data/dynamodb-no-pitr",
            "dynamodb-pitr",
            "Products table without point-in-time recovery.",
            res("aws:dynamodb/table:Table", "coffee-shop-products", {
                billingMode: "PAY_PER_REQUEST",
                hashKey: "sku",
                attributes: [{ name: "sku", type: "S" }],
                serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
            }),
        ),
        insecure(
            "data/s3-versioning-suspended",
            "s3-bucket-versioning",
            "Audio bucket with versioning suspended.",
            bucket,
            [
                res(
                    "aws:s3/bucketVersioning:BucketVersioning",
                    "spotmusic-audio-versioning",
                    { bucket: "spotmusic-audio-id", versioningConfiguration: { status: "Suspended" } },
                    { deps: { bucket: [bucket] } },
                ),
            ],
        ),
        insecure(
            "data/secret-force-delete",
            "secretsmanager-recovery-window",
            "Secret deleted immediately (recoveryWindowInDays 0).",
            res("aws:secretsmanager/secret:Secret", "ticketing-db-credentials", {
                kmsKeyId: KEY_ARN,
                recoveryWindowInDays: 0,
            }),
        ),
        insecure(
            "data/kms-policy-lockout",
            "kms-key-lockout",
            "Key policy that only lets CloudWatch Logs use the key; nobody can administer it.",
            res("aws:kms/key:Key", "platform-logs", {
                enableKeyRotation: true,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "Logs",
                            Effect: "Allow",
                            Principal: { Service: "logs.sa-east-1.amazonaws.com" },
                            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
                            Resource: "*",
                            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                        },
                    ],
                }),
            }),
        ),
        insecure(
            "data/kms-bypass-lockout-check",
            "kms-key-lockout",
            "Key created with bypassPolicyLockoutSafetyCheck.",
            res("aws:kms/key:Key", "platform-secrets", {
                enableKeyRotation: true,
                bypassPolicyLockoutSafetyCheck: true,
            }),
        ),
    ],
    secure: [
        secure("data/rds", "PostgreSQL with 7-day backups, deletion protection, encryption, managed password.", [
            postgres("ticketing-db"),
        ]),
        secure(
            "data/secret-default-window",
            "Secret with the default 30-day recovery window, rotated every 30 days.",
            (() => {
                const credentials = res("aws:secretsmanager/secret:Secret", "ticketing-db-credentials", {
                    kmsKeyId: KEY_ARN,
                    description: "RDS credentials",
                });
                return [credentials, secretRotation(credentials)];
            })(),
        ),
    ],
};
