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
    /** Seconds a received message stays invisible to other consumers, 0-43200. Default 30; set it above the consumer's processing time. */
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
        const visibility = args.visibilityTimeoutSeconds ?? 30;
        const retention = args.messageRetentionSeconds ?? 345600;
        const dlqRetention = args.dlqRetentionSeconds ?? 1209600;
        const maxReceive = args.maxReceiveCount ?? 5;
        const delay = args.delaySeconds ?? 0;
        const wait = args.receiveWaitTimeSeconds ?? 20;
        const problems: string[] = [];
        if (!inRange(visibility, 0, 43200))
            problems.push(`visibilityTimeoutSeconds must be an integer from 0 to 43200; got ${visibility}`);
        if (!inRange(retention, 60, 1209600))
            problems.push(`messageRetentionSeconds must be an integer from 60 to 1209600; got ${retention}`);
        if (!inRange(dlqRetention, 60, 1209600) || dlqRetention < retention)
            problems.push(
                `dlqRetentionSeconds must be an integer from messageRetentionSeconds (${retention}) to 1209600, so a message never expires sooner in the DLQ; got ${dlqRetention}`,
            );
        if (!inRange(maxReceive, 1, 1000))
            problems.push(`maxReceiveCount must be an integer from 1 to 1000; got ${maxReceive}`);
        if (!inRange(delay, 0, 900))
            problems.push(
                `delaySeconds must be an integer from 0 to 900 (SQS delays at most 15 minutes); got ${delay}`,
            );
        if (!inRange(wait, 0, 20)) problems.push(`receiveWaitTimeSeconds must be an integer from 0 to 20; got ${wait}`);
        if (problems.length > 0) throw new Error(`QueueWithDlq ${name}: ${problems.join("; ")}`);
        const child = { parent: this };
        this.region = args.region;
        this.kmsKeyArn = args.kmsKeyArn;
        const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };

        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                ...encryption,
                messageRetentionSeconds: dlqRetention,
                receiveWaitTimeSeconds: wait,
                tags: args.tags,
            },
            child,
        );
        const queue = new aws.sqs.Queue(
            name,
            {
                ...encryption,
                visibilityTimeoutSeconds: visibility,
                messageRetentionSeconds: retention,
                delaySeconds: delay,
                receiveWaitTimeSeconds: wait,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: maxReceive }),
                tags: args.tags,
            },
            child,
        );
        new aws.sqs.RedriveAllowPolicy(
            `${name}-dlq-sources`,
            {
                queueUrl: dlq.url,
                redriveAllowPolicy: pulumi.jsonStringify({
                    redrivePermission: "byQueue",
                    sourceQueueArns: [queue.arn],
                }),
            },
            child,
        );
        for (const [key, q] of [
            ["", queue],
            ["-dlq", dlq],
        ] as const) {
            new aws.sqs.QueuePolicy(
                `${name}${key}-policy`,
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
                child,
            );
        }

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

    /** What a producer needs: `sqs:SendMessage` on this queue; `kms:GenerateDataKey` and `kms:Decrypt` on its key through SQS. `sid` prefixes the statement ids. */
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
