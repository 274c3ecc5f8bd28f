/**
 * The alarm topic (`platform:observability:AlarmTopic`): an SNS topic encrypted with the messaging KMS
 * key that CloudWatch alarms and EventBridge rules of this account may publish to, over TLS only, with
 * its subscribers: an e-mail address and any others (`https`, `sms`, `sqs`, `lambda`) by name. An
 * `email` or `https` subscription stays `PendingConfirmation` until its owner confirms it.
 *
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html and
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (protocols and endpoints)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSubscription } from "../config/keys";

export interface AlarmTopicArgs {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    /** KMS key (ARN) for server-side encryption; its policy must let cloudwatch.amazonaws.com use it. */
    kmsKeyArn: pulumi.Input<string>;
    /** E-mail address to subscribe; empty or absent for none. */
    email?: string;
    /** Further subscribers by a stable name (the subscription's logical name is `<name>-<key>`). Default none. */
    subscriptions?: Readonly<Record<string, AlarmSubscription>>;
    tags: Record<string, string>;
}

export class AlarmTopic extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:AlarmTopic", name, {}, opts);
        const child = { parent: this };
        const topic = new aws.sns.Topic(name, { kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, child);
        const alarms = pulumi.interpolate`arn:${args.partition}:cloudwatch:${args.region}:${args.accountId}:alarm:*`;
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: topic.arn,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AccountManagesTheTopic",
                            Effect: "Allow",
                            Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root` },
                            Action: [
                                "sns:GetTopicAttributes",
                                "sns:SetTopicAttributes",
                                "sns:Subscribe",
                                "sns:ListSubscriptionsByTopic",
                                "sns:Publish",
                            ],
                            Resource: topic.arn,
                        },
                        {
                            Sid: "CloudWatchAlarmsOfThisAccount",
                            Effect: "Allow",
                            Principal: { Service: "cloudwatch.amazonaws.com" },
                            Action: "sns:Publish",
                            Resource: topic.arn,
                            Condition: {
                                StringEquals: { "aws:SourceAccount": args.accountId },
                                ArnLike: { "aws:SourceArn": alarms },
                            },
                        },
                        {
                            Sid: "EventBridgeRulesOfThisAccount",
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sns:Publish",
                            Resource: topic.arn,
                            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                        },
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "sns:Publish",
                            Resource: topic.arn,
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            child,
        );
        if (args.email) {
            new aws.sns.TopicSubscription(
                `${name}-email`,
                { topic: topic.arn, protocol: "email", endpoint: args.email },
                child,
            );
        }
        for (const [key, subscription] of Object.entries(args.subscriptions ?? {})) {
            new aws.sns.TopicSubscription(
                `${name}-${key}`,
                { topic: topic.arn, protocol: subscription.protocol, endpoint: subscription.endpoint },
                child,
            );
        }
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
