/**
 * Data protection: RDS backups and deletion protection, DynamoDB point-in-time recovery, S3
 * versioning, Secrets Manager recovery window and rotation, and the KMS key-policy lockout check.
 *
 * References: AWS Foundational Security Best Practices (RDS.8, RDS.11, DynamoDB.2, S3.14,
 * SecretsManager.1, KMS.3) https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html and the KMS
 * default key policy https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html.
 */
import type { PolicyResource } from "@pulumi/policy";
import { parsePolicyDocument, wildcardMatch } from "../lib/iam-document";
import {
    block,
    inlineBlock,
    isOneOf,
    isSet,
    isTrue,
    list,
    num,
    Policy,
    resourcePolicy,
    stackPolicy,
    T,
    text,
    tokensOf,
} from "../lib/resource";

/** Config of `rds-backup-retention`. */
export interface BackupRetentionConfig {
    /** Minimum automated-backup retention in days (AWS allows 1-35). Default 7. */
    minimumRetentionDays?: number;
}

export const rdsBackupRetention = resourcePolicy({
    name: "rds-backup-retention",
    description: "RDS instances and clusters must keep automated backups for the configured number of days.",
    types: tokensOf("rdsInstance", "rdsCluster"),
    configSchema: {
        properties: {
            minimumRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7 },
        },
    },
    check: (props, args, report) => {
        if (isOneOf(args.type, T.rdsInstance)) {
            const engine = text(props.engine);
            if (engine.startsWith("aurora") || isSet(props.replicateSourceDb)) {
                return; // Aurora members back up at cluster level; replicas have no own backups to keep.
            }
        }
        const minimum = args.getConfig<BackupRetentionConfig>().minimumRetentionDays ?? 7;
        const days = num(props.backupRetentionPeriod);
        if (days === undefined || days < minimum) {
            report(`backupRetentionPeriod is ${days ?? "unset"}: set it to at least ${minimum} days.`);
        }
    },
});

export const rdsDeletionProtection = resourcePolicy({
    name: "rds-deletion-protection",
    description: "RDS instances and clusters must have deletion protection.",
    types: tokensOf("rdsInstance", "rdsCluster"),
    check: (props, args, report) => {
        if (isOneOf(args.type, T.rdsInstance) && text(props.engine).startsWith("aurora")) {
            return; // Aurora deletion protection is a cluster setting.
        }
        if (!isTrue(props.deletionProtection)) {
            report("Set deletionProtection: true.");
        }
    },
});

export const dynamodbPitr = resourcePolicy({
    name: "dynamodb-pitr",
    description: "DynamoDB tables must have point-in-time recovery.",
    types: T.dynamodbTable,
    check: (props, _args, report) => {
        if (!isTrue(block(props.pointInTimeRecovery)?.enabled)) {
            report("Set pointInTimeRecovery: { enabled: true }.");
        }
    },
});

export const s3BucketVersioning = stackPolicy({
    name: "s3-bucket-versioning",
    description: "Every S3 bucket must have versioning enabled (a BucketVersioning with status Enabled).",
    check: (graph, _args, report) => {
        for (const bucket of graph.ofType(T.s3Bucket)) {
            const configs = graph.referrers(bucket, "bucket", T.s3BucketVersioning);
            if (configs.some((c) => block(c.props.versioningConfiguration)?.status === "Enabled")) {
                continue;
            }
            if (configs.length === 0 && isTrue(inlineBlock(bucket.props, "versioning", "versionings")?.enabled)) {
                continue; // Inline versioning of providers before v7 (`versioning`, or BucketV2's `versionings`).
            }
            report(
                configs.length === 0
                    ? 'Add an aws.s3.BucketVersioning { bucket, versioningConfiguration: { status: "Enabled" } }.'
                    : `BucketVersioning ${configs[0].name} has status ` +
                          `${JSON.stringify(block(configs[0].props.versioningConfiguration)?.status ?? null)}: set ` +
                          `"Enabled".`,
                bucket.urn,
            );
        }
    },
});

export const secretsmanagerRecoveryWindow = resourcePolicy({
    name: "secretsmanager-recovery-window",
    description: "Secrets Manager secrets must keep a recovery window (no immediate deletion).",
    types: T.secretsmanagerSecret,
    check: (props, _args, report) => {
        const days = num(props.recoveryWindowInDays);
        if (days !== undefined && days < 7) {
            report(
                `recoveryWindowInDays is ${days}: leave it unset (30) or set 7-30 so a deleted secret can be restored.`,
            );
        }
    },
});

/** True when a secret's own state says it rotates (inline settings of providers before v6). */
function rotatesInline(props: PolicyResource["props"]): boolean {
    if (isSet(props.rotationLambdaArn) || isTrue(props.rotationEnabled)) return true;
    const rules = block(list(props.rotationRules)[0]);
    return num(rules?.automaticallyAfterDays) !== undefined || isSet(rules?.scheduleExpression);
}

/**
 * Stack level: a secret rotates when an aws.secretsmanager.SecretRotation of the stack names it (`secretId`),
 * or its own state carries the inline rotation older providers kept on the Secret (`rotationLambdaArn`,
 * `rotationRules`, the `rotationEnabled` output).
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
 */
export const secretsmanagerRotation = stackPolicy({
    name: "secretsmanager-rotation",
    description:
        "Secrets Manager secrets must rotate automatically (an aws.secretsmanager.SecretRotation, or inline " +
        "rotation of older state).",
    check: (graph, _args, report) => {
        for (const secret of graph.ofType(T.secretsmanagerSecret)) {
            if (graph.referrers(secret, "secretId", T.secretsmanagerSecretRotation).length > 0) continue;
            if (rotatesInline(secret.props)) continue;
            report(
                `secret "${secret.name}" does not rotate: add an aws.secretsmanager.SecretRotation { secretId, ` +
                    "rotationLambdaArn, rotationRules: { automaticallyAfterDays } } (or rotate it where it is " +
                    "issued and accept the finding).",
                secret.urn,
            );
        }
    },
});

/** Account root principals: `arn:<partition>:iam::<12 digits>:root` or a bare account id. */
const ACCOUNT_ROOT = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

export const kmsKeyLockout = resourcePolicy({
    name: "kms-key-lockout",
    description: "KMS key policies must keep the account able to manage the key (no lockout).",
    types: tokensOf("kmsKey", "kmsKeyPolicy"),
    check: (props, _args, report) => {
        if (isTrue(props.bypassPolicyLockoutSafetyCheck)) {
            report("Remove bypassPolicyLockoutSafetyCheck: true; KMS must refuse a policy that locks the account out.");
        }
        const parsed = parsePolicyDocument(props.policy);
        if (parsed.kind === "absent") {
            return; // The AWS default key policy grants the account root kms:*.
        }
        if (parsed.kind === "invalid") {
            report(`policy is ${parsed.reason}.`);
            return;
        }
        const managedByAccount = parsed.document.statements.some(
            (s) =>
                s.isAllow &&
                s.conditions.length === 0 &&
                (s.actions ?? []).some((a) => wildcardMatch(a, "kms:PutKeyPolicy")) &&
                (s.principal?.aws ?? []).some((p) => ACCOUNT_ROOT.test(p)),
        );
        if (!managedByAccount) {
            report(
                'policy: add an unconditioned statement { Effect: "Allow", Principal: { AWS: ' +
                    '"arn:aws:iam::<account>:root" }, Action: "kms:*", Resource: "*" } ' +
                    "so IAM policies in the account can still administer the key.",
            );
        }
    },
});

/** Data-protection policies, in the order the README lists them. */
export const dataProtectionPolicies: Policy[] = [
    rdsBackupRetention,
    rdsDeletionProtection,
    dynamodbPitr,
    s3BucketVersioning,
    secretsmanagerRecoveryWindow,
    secretsmanagerRotation,
    kmsKeyLockout,
];
