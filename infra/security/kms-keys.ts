/**
 * Customer-managed KMS keys, one per purpose, with yearly rotation and key policies scoped to the
 * account and to the AWS services that must use them.
 *
 * - `data`: RDS, DynamoDB, S3 data buckets, ElastiCache, EBS. Only the account's root statement:
 *   principals use it through their IAM policies (least privilege lives in each role).
 * - `logs`: CloudWatch Logs of this region, limited by the `aws:logs:arn` encryption context to log
 *   groups of this account
 *   (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/logs/encrypt-log-data-kms.html).
 * - `secrets`: Secrets Manager and SSM SecureString parameters (through the caller's IAM permissions).
 * - `messaging`: SNS topics, SQS queues and EventBridge buses and archives; CloudWatch alarms of this
 *   account may use it to publish (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html);
 *   EventBridge may describe it and, for this account's buses (encryption context), generate,
 *   decrypt and re-encrypt data keys
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html,
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-archives.html).
 *
 * Every policy keeps the root statement (`arn:<partition>:iam::<account>:root`, `kms:*`), AWS's default,
 * so the key can never become unmanageable
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const KEY_PURPOSES = ["data", "logs", "secrets", "messaging"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export interface PlatformKeysArgs {
    /** Account that owns the keys (`aws.getCallerIdentity`). */
    accountId: pulumi.Input<string>;
    /** AWS partition, `aws` outside GovCloud and China. */
    partition: pulumi.Input<string>;
    /** Region of the services that use the keys, e.g. `sa-east-1`. */
    region: string;
    /** Alias prefix, `alias/<aliasPrefix>-<purpose>`; letters, digits, `-` and `_` only. */
    aliasPrefix: string;
    /** Waiting period before a scheduled deletion, 7-30 days. Default 30. */
    deletionWindowInDays?: number;
    tags: Record<string, string>;
}

const DESCRIPTIONS: Record<KeyPurpose, string> = {
    data: "Encrypts data at rest: databases, tables, caches, data buckets, volumes",
    logs: "Encrypts CloudWatch log groups",
    secrets: "Encrypts Secrets Manager secrets and SSM SecureString parameters",
    messaging: "Encrypts SNS topics, SQS queues and EventBridge buses and archives",
};

/** The platform's KMS keys (`platform:security:PlatformKeys`). */
export class PlatformKeys extends pulumi.ComponentResource {
    /** Key ARN per purpose. */
    readonly keyArns: Record<KeyPurpose, pulumi.Output<string>>;
    /** Key id per purpose (some resources, e.g. SQS, take the id or alias). */
    readonly keyIds: Record<KeyPurpose, pulumi.Output<string>>;

    constructor(name: string, args: PlatformKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:PlatformKeys", name, {}, opts);
        const window = args.deletionWindowInDays ?? 30;
        const problems: string[] = [];
        if (!Number.isInteger(window) || window < 7 || window > 30)
            problems.push(`deletionWindowInDays must be an integer from 7 to 30, got ${window}`);
        if (!/^[A-Za-z0-9_-]+$/.test(args.aliasPrefix))
            problems.push(`aliasPrefix may hold only letters, digits, - and _, got '${args.aliasPrefix}'`);
        if (problems.length > 0) throw new Error(`PlatformKeys ${name}: ${problems.join("; ")}`);

        const root = pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root`;
        const rootStatement = {
            Sid: "EnableIAMPoliciesOfTheAccount",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: "kms:*",
            Resource: "*",
        };
        const serviceStatements: Record<KeyPurpose, object[]> = {
            data: [],
            secrets: [],
            logs: logsStatements(args),
            messaging: messagingStatements(args),
        };

        const arns = {} as Record<KeyPurpose, pulumi.Output<string>>;
        const ids = {} as Record<KeyPurpose, pulumi.Output<string>>;
        for (const purpose of KEY_PURPOSES) {
            const key = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: DESCRIPTIONS[purpose],
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: window,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [rootStatement, ...serviceStatements[purpose]],
                    }),
                    tags: { ...args.tags, Purpose: purpose },
                },
                { parent: this },
            );
            new aws.kms.Alias(
                `${name}-${purpose}`,
                { name: `alias/${args.aliasPrefix}-${purpose}`, targetKeyId: key.keyId },
                { parent: this },
            );
            arns[purpose] = key.arn;
            ids[purpose] = key.keyId;
        }
        this.keyArns = arns;
        this.keyIds = ids;
        this.registerOutputs({ keyArns: this.keyArns });
    }
}

/** The `logs` key's service statement: CloudWatch Logs of this region, for this account's log groups. */
function logsStatements({ partition, region, accountId }: PlatformKeysArgs): object[] {
    const logGroups = pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`;
    return [
        {
            Sid: "AllowCloudWatchLogsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroups } },
        },
    ];
}

/** The `messaging` key's service statements: CloudWatch alarms of this account, EventBridge for its buses. */
function messagingStatements({ partition, region, accountId }: PlatformKeysArgs): object[] {
    const buses = pulumi.interpolate`arn:${partition}:events:${region}:${accountId}:event-bus/*`;
    return [
        {
            // CloudWatch alarms publishing to an encrypted topic:
            // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
            Sid: "AllowAlarmPublishersOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
        {
            // EventBridge reads the key's ARN and checks it is symmetric when a bus or an archive
            // is created or updated (DescribeKey carries no encryption context; AWS's example
            // statement has no condition):
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html,
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-archives.html
            Sid: "AllowEventBridgeToDescribeTheKey",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
        },
        {
            // Buses and archives encrypt under the bus ARN as encryption context; archives also
            // re-encrypt (kms:ReEncrypt*). Limited to this account's buses.
            Sid: "AllowEventBridgeBusesOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncrypt*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:events:event-bus:arn": buses } },
        },
    ];
}
