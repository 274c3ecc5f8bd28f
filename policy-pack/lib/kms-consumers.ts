/**
 * What each AWS service needs from the policy of a customer-managed KMS key it uses, as AWS documents
 * it, and the check of a key policy against it (the `kms-key-consumers` stack policy).
 *
 * A service uses a key in one of two ways:
 * - **on its own behalf** (service principal): CloudWatch Logs encrypting a log group, EventBridge
 *   encrypting a bus or an archive, CloudWatch alarms and EventBridge publishing to an encrypted SNS
 *   topic or SQS queue. The key policy itself must allow the service principal the documented actions;
 *   IAM policies cannot grant a service principal anything.
 * - **for the caller** (`kms:ViaService`): Secrets Manager, SSM, DynamoDB, RDS, ElastiCache, ECR, S3,
 *   EKS, Lambda and ECS call KMS with the caller's credentials (or grants the caller creates). The key
 *   policy must delegate to the account's IAM (the account principal allowed the actions, unconditioned
 *   or narrowed by `kms:ViaService` / `kms:CallerAccount`); least privilege then lives in each role.
 *
 * Default key policy (policy absent): the account principal gets `kms:*`
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
import { parsePolicyDocument, PolicyStatement, wildcardMatch } from "./iam-document";

/** What a key policy must give one service principal. */
export interface ServiceGrant {
    /** Service principal; `{region}` is the key's region, e.g. `logs.{region}.amazonaws.com`. */
    principal: string;
    /** Concrete actions the service calls (each must be allowed, possibly by a wildcard). */
    actions: readonly string[];
    /** Condition keys a statement may carry and still count (others could block the service). */
    allowedConditionKeys: readonly string[];
    /** Condition keys AWS's documentation requires on the statement (at least one of them), if any. */
    requiredConditionKeys?: readonly string[];
}

/** A resource type that uses a key through some of its properties. */
export interface KmsConsumer {
    /** Service name for messages. */
    service: string;
    /** Resource type tokens. */
    types: readonly string[];
    /** Top-level properties that carry the key (the engine records their dependencies). */
    properties: readonly string[];
    /**
     * `service`: the key policy must grant {@link grants}; `iam`: it must delegate {@link iamActions} to the account.
     */
    via: "service" | "iam";
    grants?: readonly ServiceGrant[];
    /** Actions the caller's IAM policies must be able to grant (the key policy delegates them to the account). */
    iamActions?: readonly string[];
    /** The AWS page that says what the service needs. */
    source: string;
}

/** A resource that makes an AWS service write to an encrypted topic or queue (the service needs the key). */
export interface KmsPublisher {
    service: string;
    /** Publisher resource types (an alarm, an EventBridge target, an SNS subscription). */
    types: readonly string[];
    /** Properties naming the topic or queue. */
    properties: readonly string[];
    /** Types of the encrypted destinations. */
    destinations: readonly string[];
    grant: ServiceGrant;
    source: string;
}

const SNS_TOPIC = ["aws:sns/topic:Topic"];
const SQS_QUEUE = ["aws:sqs/queue:Queue"];
const EVENTS_CONDITIONS = ["aws:SourceAccount", "aws:SourceArn", "kms:EncryptionContext:aws:events:event-bus:arn"];
const CONFUSED_DEPUTY = ["aws:SourceAccount", "aws:SourceArn"];

/** Services that use a key given to one of their resources. */
export const KMS_CONSUMERS: readonly KmsConsumer[] = [
    {
        service: "CloudWatch Logs",
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        properties: ["kmsKeyId"],
        via: "service",
        grants: [
            {
                principal: "logs.{region}.amazonaws.com",
                actions: [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:GenerateDataKey",
                    "kms:DescribeKey",
                ],
                allowedConditionKeys: ["kms:EncryptionContext:aws:logs:arn"],
                requiredConditionKeys: ["kms:EncryptionContext:aws:logs:arn"],
            },
        ],
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    },
    {
        service: "EventBridge event bus",
        types: ["aws:cloudwatch/eventBus:EventBus"],
        properties: ["kmsKeyIdentifier"],
        via: "service",
        grants: [
            {
                principal: "events.amazonaws.com",
                actions: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
                allowedConditionKeys: EVENTS_CONDITIONS,
            },
        ],
        source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html",
    },
    {
        service: "EventBridge archive",
        types: ["aws:cloudwatch/eventArchive:EventArchive"],
        properties: ["kmsKeyIdentifier"],
        via: "service",
        grants: [
            {
                principal: "events.amazonaws.com",
                actions: [
                    "kms:DescribeKey",
                    "kms:GenerateDataKey",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                ],
                allowedConditionKeys: EVENTS_CONDITIONS,
            },
        ],
        source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-archives.html",
    },
    {
        service: "SNS",
        types: SNS_TOPIC,
        properties: ["kmsMasterKeyId"],
        via: "iam",
        iamActions: ["kms:GenerateDataKey", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
    },
    {
        service: "SQS",
        types: SQS_QUEUE,
        properties: ["kmsMasterKeyId"],
        via: "iam",
        iamActions: ["kms:GenerateDataKey", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
    },
    {
        service: "Secrets Manager",
        types: ["aws:secretsmanager/secret:Secret"],
        properties: ["kmsKeyId"],
        via: "iam",
        iamActions: ["kms:GenerateDataKey", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    },
    {
        service: "SSM Parameter Store",
        types: ["aws:ssm/parameter:Parameter"],
        properties: ["keyId"],
        via: "iam",
        iamActions: ["kms:Encrypt", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html",
    },
    {
        service: "DynamoDB",
        types: ["aws:dynamodb/table:Table"],
        properties: ["serverSideEncryption"],
        via: "iam",
        iamActions: ["kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html",
    },
    {
        service: "RDS",
        types: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
        properties: ["kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"],
        via: "iam",
        iamActions: ["kms:DescribeKey", "kms:CreateGrant"],
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
    },
    {
        service: "ElastiCache",
        types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
        properties: ["kmsKeyId"],
        via: "iam",
        iamActions: ["kms:DescribeKey", "kms:CreateGrant"],
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
    },
    {
        service: "ECR",
        types: ["aws:ecr/repository:Repository"],
        properties: ["encryptionConfigurations"],
        via: "iam",
        iamActions: ["kms:DescribeKey", "kms:CreateGrant"],
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    },
    {
        service: "S3",
        types: [
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        ],
        properties: ["rules"],
        via: "iam",
        iamActions: ["kms:GenerateDataKey", "kms:Decrypt"],
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    },
    {
        service: "ECS Exec (session logs)",
        types: ["aws:ecs/cluster:Cluster"],
        properties: ["configuration"],
        via: "iam",
        iamActions: ["kms:Decrypt"],
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
    },
    {
        service: "EKS (secrets envelope encryption)",
        types: ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
        properties: ["encryptionConfigKeyArn", "encryptionConfig"],
        via: "iam",
        iamActions: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
        source: "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
    },
    {
        service: "EBS through the EBS CSI driver",
        types: ["kubernetes:storage.k8s.io/v1:StorageClass"],
        properties: ["parameters"],
        via: "iam",
        iamActions: ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
        source: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html",
    },
    {
        service: "Lambda (environment variables)",
        types: ["aws:lambda/function:Function"],
        properties: ["kmsKeyArn"],
        via: "iam",
        iamActions: ["kms:Decrypt", "kms:CreateGrant"],
        source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
    },
];

/** AWS services that publish to a topic or queue a resource points them at. */
export const KMS_PUBLISHERS: readonly KmsPublisher[] = [
    {
        service: "CloudWatch alarms",
        types: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"],
        properties: ["alarmActions", "okActions", "insufficientDataActions"],
        destinations: SNS_TOPIC,
        grant: {
            principal: "cloudwatch.amazonaws.com",
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            allowedConditionKeys: CONFUSED_DEPUTY,
        },
        source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
    },
    {
        service: "EventBridge targets",
        types: ["aws:cloudwatch/eventTarget:EventTarget"],
        properties: ["arn"],
        destinations: [...SNS_TOPIC, ...SQS_QUEUE],
        grant: {
            principal: "events.amazonaws.com",
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            // No condition: AWS's Modern Data Architecture Accelerator notes that aws:SourceAccount,
            // aws:SourceArn and aws:SourceOrgID are not supported in a key policy for EventBridge delivery
            // (https://aws.github.io/modern-data-architecture-accelerator/typedocs/functions/_aws-mdaa_cloudwatch-constructs.grantCloudWatchAlarmsTopicAccess.html).
            allowedConditionKeys: [],
        },
        source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#compatibility-with-aws-services",
    },
    {
        service: "SNS subscriptions",
        types: ["aws:sns/topicSubscription:TopicSubscription"],
        properties: ["endpoint"],
        destinations: SQS_QUEUE,
        grant: {
            principal: "sns.amazonaws.com",
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            allowedConditionKeys: CONFUSED_DEPUTY,
        },
        source: "https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html",
    },
];

const ACCOUNT_PRINCIPAL = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;
const IAM_CONDITION_KEYS = ["kms:ViaService", "kms:CallerAccount"];

function lower(keys: readonly string[]): Set<string> {
    return new Set(keys.map((k) => k.toLowerCase()));
}

function allows(s: PolicyStatement, action: string): boolean {
    return s.isAllow && (s.actions ?? []).some((a) => wildcardMatch(a, action));
}

function onlyConditionKeys(s: PolicyStatement, allowed: readonly string[]): boolean {
    const ok = lower(allowed);
    return s.conditions.every((c) => ok.has(c.key.toLowerCase()));
}

/** Principal pattern with `{region}` filled (any region when the key's region is not known). */
function principalMatches(pattern: string, principal: string, region: string | undefined): boolean {
    const regex = pattern
        .split("{region}")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(region !== undefined ? region.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : "[a-z0-9-]+");
    return new RegExp(`^${regex}$`).test(principal);
}

/** Actions of `grant` the statements do not allow its principal (with acceptable conditions). */
export function missingServiceActions(
    statements: readonly PolicyStatement[],
    grant: ServiceGrant,
    region: string | undefined,
): string[] {
    const fit = statements.filter(
        (s) =>
            (s.principal?.service ?? []).some((p) => principalMatches(grant.principal, p, region)) &&
            onlyConditionKeys(s, grant.allowedConditionKeys) &&
            (grant.requiredConditionKeys === undefined ||
                s.conditions.some((c) => lower(grant.requiredConditionKeys!).has(c.key.toLowerCase()))),
    );
    return grant.actions.filter((a) => !fit.some((s) => allows(s, a)));
}

/**
 * Actions the key policy does not delegate to the account's IAM (unconditioned, or through
 * kms:ViaService/kms:CallerAccount).
 */
export function missingIamActions(statements: readonly PolicyStatement[], actions: readonly string[]): string[] {
    const fit = statements.filter(
        (s) =>
            (s.principal?.aws ?? []).some((p) => ACCOUNT_PRINCIPAL.test(p)) && onlyConditionKeys(s, IAM_CONDITION_KEYS),
    );
    return actions.filter((a) => !fit.some((s) => allows(s, a)));
}

/**
 * The statements of a key policy, or a reason it cannot be judged. An absent policy is AWS's default:
 * the account principal with `kms:*`.
 */
export function keyPolicyStatements(policy: unknown): PolicyStatement[] | string {
    const parsed = parsePolicyDocument(policy);
    if (parsed.kind === "invalid") return `its policy is ${parsed.reason}`;
    if (parsed.kind === "absent")
        return parsePolicyStatementsOf({
            Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "kms:*" }],
        });
    return [...parsed.document.statements];
}

function parsePolicyStatementsOf(doc: object): PolicyStatement[] {
    const parsed = parsePolicyDocument(doc);
    return parsed.kind === "document" ? [...parsed.document.statements] : [];
}

/**
 * True when a property name looks like it carries a KMS key (`kmsKeyId`, `kmsMasterKeyId`, `encryptionConfigKeyArn`,
 * `keyId`).
 */
export function isKeyProperty(name: string): boolean {
    return /kms|^keyId$|KeyArn$/i.test(name);
}
