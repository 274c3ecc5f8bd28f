/**
 * ticketing, messaging tier: the notification queue and the reservation expiry queue (SQS, each with a DLQ) and
 * the notification topic (SNS).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { QueueWithDlq } from "../../infra/messaging/queue";
import { TicketingStep } from "./settings";

/** What later steps use of the messaging tier. */
export interface MessagingTier {
    /** Notifications checkout-service sends and notification-service consumes. */
    notifications: QueueWithDlq;
    /** Reservation expiry: every message is delivered `reservationHoldSeconds` after it is sent. */
    expiry: QueueWithDlq;
    /** The topic notification-service publishes to. */
    topic: aws.sns.Topic;
}

/** The messaging tier: both queues and the notification topic. */
export function messagingTier(step: TicketingStep): MessagingTier {
    const { name, settings: s, foundation, config, tags, child } = step;
    const keys = foundation.keys.keyArns;
    const notifications = new QueueWithDlq(
        `${name}-notifications`,
        { region: config.region, kmsKeyArn: keys.messaging, visibilityTimeoutSeconds: 60, tags },
        child,
    );
    // Reservation expiry: every message is delivered reservationHoldSeconds after it is sent.
    const expiry = new QueueWithDlq(
        `${name}-reservation-expiry`,
        {
            region: config.region,
            kmsKeyArn: keys.messaging,
            visibilityTimeoutSeconds: 60,
            delaySeconds: s.reservationHoldSeconds,
            tags,
        },
        child,
    );
    return { notifications, expiry, topic: notificationTopic(step) };
}

/** The notification topic, encrypted, refusing plain HTTP and other accounts. */
export function notificationTopic(step: TicketingStep): aws.sns.Topic {
    const { name, foundation, tags, child } = step;
    const topic = new aws.sns.Topic(
        `${name}-notifications`,
        { kmsMasterKeyId: foundation.keys.keyArns.messaging, tags },
        child,
    );
    new aws.sns.TopicPolicy(
        `${name}-notifications`,
        {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    {
                        Sid: "DenyOtherAccounts",
                        Effect: "Deny",
                        Principal: "*",
                        Action: ["sns:Publish", "sns:Subscribe"],
                        Resource: topic.arn,
                        Condition: { StringNotEquals: { "aws:PrincipalAccount": foundation.accountId } },
                    },
                ],
            }),
        },
        child,
    );
    return topic;
}
