/**
 * An SQS standard queue with its dead-letter queue (`platform:messaging:QueueWithDlq`):
 *
 * - both encrypted with the caller's KMS key (the platform's messaging key), the data key reused for
 *   5 minutes to keep KMS calls down;
 * - a redrive policy: a message received `maxReceiveCount` times without being deleted moves to the
 *   DLQ, which only this queue may use (`redriveAllowPolicy` byQueue) and which keeps messages longer;
 * - long polling (20 s) by default, and a default delivery delay when asked (`delaySeconds`, at most
 *   15 minutes: delayed delivery is how a message can come back later, e.g. to expire a reservation);
 * - queue policies that refuse any request not made over TLS.
 *
 * Producers and consumers get their IAM statements from {@link QueueWithDlq.sendStatements} and
 * {@link QueueWithDlq.consumeStatements}: exactly the SQS actions on exactly this queue, and the KMS
 * actions SQS needs on the key, only through SQS.
 *
 * References: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../compute/fargate-service";

export interface QueueWithDlqArgs {
    /** Region of the queue (the `kms:ViaService` condition). */
    region: string;
    /** KMS key ARN of both queues (the platform's messaging key). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Seconds a received message stays invisible to other consumers, 0-43200. Default 30; set it above the
     * consumer's processing time.
     */
    visibilityTimeoutSeconds?: number;
    /** Seconds the queue keeps a message, 60-1209600. Default 345600 (4 days). */
    messageRetentionSeconds?: number;
    /** Seconds the DLQ keeps a message, 60-1209600, at least the queue's. Default 1209600 (14 days, the most). */
    dlqRetentionSeconds?: number;
    /** Receives without a delete before a message moves to the DLQ, 1-1000. Default 5. */
    maxReceiveCount?: number;
    /** Default delivery delay of every message in seconds, 0-900. Default 0. */
    delaySeconds?: number;
    /** Long-polling wait in seconds, 0-20. Default 20. */
    receiveWaitTimeSeconds?: number;
    tags: Record<string, string>;
}

const inRange = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** The arguments with their defaults applied (seconds, counts). */
interface QueueSettings {
    visibility: number;
    retention: number;
    dlqRetention: number;
    maxReceive: number;
    delay: number;
    wait: number;
}

function settings(args: QueueWithDlqArgs): QueueSettings {
    return {
        visibility: args.visibilityTimeoutSeconds ?? 30,
        retention: args.messageRetentionSeconds ?? 345600,
        dlqRetention: args.dlqRetentionSeconds ?? 1209600,
        maxReceive: args.maxReceiveCount ?? 5,
        delay: args.delaySeconds ?? 0,
        wait: args.receiveWaitTimeSeconds ?? 20,
    };
}

function validate(name: string, s: QueueSettings): void {
    const problems: string[] = [];
    if (!inRange(s.visibility, 0, 43200))
        problems.push(`visibilityTimeoutSeconds must be an integer from 0 to 43200; got ${s.visibility}`);
    if (!inRange(s.retention, 60, 1209600))
        problems.push(`messageRetentionSeconds must be an integer from 60 to 1209600; got ${s.retention}`);
    if (!inRange(s.dlqRetention, 60, 1209600) || s.dlqRetention < s.retention)
        problems.push(
            `dlqRetentionSeconds must be an integer from messageRetentionSeconds (${s.retention}) to 1209600, ` +
                `so a message never expires sooner in the DLQ; got ${s.dlqRetention}`,
        );
    if (!inRange(s.maxReceive, 1, 1000))
        problems.push(`maxReceiveCount must be an integer from 1 to 1000; got ${s.maxReceive}`);
    if (!inRange(s.delay, 0, 900))
        problems.push(`delaySeconds must be an integer from 0 to 900 (SQS delays at most 15 minutes); got ${s.delay}`);
    if (!inRange(s.wait, 0, 20)) problems.push(`receiveWaitTimeSeconds must be an integer from 0 to 20; got ${s.wait}`);
    if (problems.length > 0) throw new Error(`QueueWithDlq ${name}: ${problems.join("; ")}`);
}

/** The DLQ, then the queue redriving to it; both KMS-encrypted, the data key reused for 5 minutes. */
function queues(
    name: string,
    args: QueueWithDlqArgs,
    s: QueueSettings,
    parent: pulumi.Resource,
): { queue: aws.sqs.Queue; dlq: aws.sqs.Queue } {
    const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
    const dlq = new aws.sqs.Queue(
        `${name}-dlq`,
        {
            ...encryption,
            messageRetentionSeconds: s.dlqRetention,
            receiveWaitTimeSeconds: s.wait,
            tags: args.tags,
        },
        { parent },
    );
    const queue = new aws.sqs.Queue(
        name,
        {
            ...encryption,
            visibilityTimeoutSeconds: s.visibility,
            messageRetentionSeconds: s.retention,
            delaySeconds: s.delay,
            receiveWaitTimeSeconds: s.wait,
            redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: s.maxReceive }),
            tags: args.tags,
        },
        { parent },
    );
    return { queue, dlq };
}

/** Only `queue` may use the DLQ (`redriveAllowPolicy` byQueue). */
function dlqSources(
    name: string,
    dlq: aws.sqs.Queue,
    queue: aws.sqs.Queue,
    parent: pulumi.Resource,
): aws.sqs.RedriveAllowPolicy {
    return new aws.sqs.RedriveAllowPolicy(
        `${name}-dlq-sources`,
        {
            queueUrl: dlq.url,
            redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
        },
        { parent },
    );
}

/** A queue policy refusing any request not made over TLS. */
function tlsOnlyPolicy(logicalName: string, q: aws.sqs.Queue, parent: pulumi.Resource): aws.sqs.QueuePolicy {
    return new aws.sqs.QueuePolicy(
        logicalName,
        {
            queueUrl: q.url,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sqs:*",
                        Resource: q.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { parent },
    );
}

export class QueueWithDlq extends pulumi.ComponentResource {
    readonly queueArn: pulumi.Output<string>;
    readonly queueUrl: pulumi.Output<string>;
    /** Queue name: the `QueueName` dimension of its metrics. */
    readonly queueName: pulumi.Output<string>;
    readonly dlqArn: pulumi.Output<string>;
    readonly dlqUrl: pulumi.Output<string>;
    readonly dlqName: pulumi.Output<string>;
    private readonly region: string;
    private readonly kmsKeyArn: pulumi.Input<string>;

    constructor(name: string, args: QueueWithDlqArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:messaging:QueueWithDlq", name, {}, opts);
        const s = settings(args);
        validate(name, s);
        this.region = args.region;
        this.kmsKeyArn = args.kmsKeyArn;
        const { queue, dlq } = queues(name, args, s, this);
        dlqSources(name, dlq, queue, this);
        tlsOnlyPolicy(`${name}-policy`, queue, this);
        tlsOnlyPolicy(`${name}-dlq-policy`, dlq, this);

        this.queueArn = queue.arn;
        this.queueUrl = queue.url;
        this.queueName = queue.name;
        this.dlqArn = dlq.arn;
        this.dlqUrl = dlq.url;
        this.dlqName = dlq.name;
        this.registerOutputs({ queueArn: this.queueArn, queueUrl: this.queueUrl, dlqArn: this.dlqArn });
    }

    private kmsThroughSqs(sid: string, actions: string[]): IamStatement {
        return {
            Sid: sid,
            Effect: "Allow",
            Action: actions,
            Resource: this.kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `sqs.${this.region}.amazonaws.com` } },
        };
    }

    /**
     * What a producer needs: `sqs:SendMessage` on this queue; `kms:GenerateDataKey` and `kms:Decrypt` on its
     * key through SQS. `sid` prefixes the statement ids.
     */
    sendStatements(sid: string): IamStatement[] {
        return [
            { Sid: `${sid}Send`, Effect: "Allow", Action: "sqs:SendMessage", Resource: this.queueArn },
            this.kmsThroughSqs(`${sid}Encrypt`, ["kms:Decrypt", "kms:GenerateDataKey"]),
        ];
    }

    /**
     * What a consumer needs: receive, delete, extend visibility and read attributes of this queue
     * (not its DLQ, which operators redrive); `kms:Decrypt` on its key through SQS.
     */
    consumeStatements(sid: string): IamStatement[] {
        return [
            {
                Sid: `${sid}Consume`,
                Effect: "Allow",
                Action: [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                ],
                Resource: this.queueArn,
            },
            this.kmsThroughSqs(`${sid}Decrypt`, ["kms:Decrypt"]),
        ];
    }
}
