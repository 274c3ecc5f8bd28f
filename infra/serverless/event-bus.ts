/**
 * A custom Amazon EventBridge event bus (`platform:serverless:EventBus`) encrypted with the caller's
 * KMS key (the platform's messaging key, whose policy lets EventBridge of this account use it), with
 * an archive of its events for replay, and rules that start Step Functions executions
 * ({@link EventBus.startExecutionOn}) through a role EventBridge assumes for this account only, with
 * retries.
 *
 * Publishers get their IAM statement from {@link EventBus.publishStatements}: `events:PutEvents` on
 * this bus only, and only for the `source` they own.
 *
 * References: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html (events:source),
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../compute/fargate-service";

export interface EventBusArgs {
    /** Bus name (fixed: publishers name it), 1-256 letters, digits, . - _ */
    busName: string;
    /** KMS key ARN (the messaging key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Days the archive keeps events for replay, 1-3650. Default 7. */
    archiveRetentionDays?: number;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

export class EventBus extends pulumi.ComponentResource {
    readonly busName: pulumi.Output<string>;
    readonly busArn: pulumi.Output<string>;
    private readonly componentName: string;
    private readonly args: EventBusArgs;

    constructor(name: string, args: EventBusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:serverless:EventBus", name, {}, opts);
        const retention = args.archiveRetentionDays ?? 7;
        const problems: string[] = [];
        if (!/^[A-Za-z0-9._-]{1,256}$/.test(args.busName) || args.busName === "default")
            problems.push(
                `busName must be 1-256 letters, digits, . _ - and not "default"; got ${JSON.stringify(args.busName)}`,
            );
        if (!Number.isInteger(retention) || retention < 1 || retention > 3650)
            problems.push(`archiveRetentionDays must be 1-3650; got ${retention}`);
        if (problems.length > 0) throw new Error(`EventBus ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.args = args;

        const bus = new aws.cloudwatch.EventBus(
            name,
            { name: args.busName, kmsKeyIdentifier: args.kmsKeyArn, tags: args.tags },
            { parent: this },
        );
        new aws.cloudwatch.EventArchive(
            `${name}-archive`,
            {
                eventSourceArn: bus.arn,
                retentionDays: retention,
                description: `${args.busName}: every event, kept ${retention} days for replay`,
                kmsKeyIdentifier: args.kmsKeyArn,
            },
            { parent: this },
        );
        this.busName = bus.name;
        this.busArn = bus.arn;
        this.registerOutputs({ busName: this.busName, busArn: this.busArn });
    }

    /** `events:PutEvents` on this bus, only with `Source` equal to `source`. */
    publishStatements(sid: string, source: string): IamStatement[] {
        return [
            {
                Sid: sid,
                Effect: "Allow",
                Action: "events:PutEvents",
                Resource: this.busArn,
                Condition: { StringEquals: { "events:source": source } },
            },
        ];
    }

    /**
     * A rule (`<name>-<key>`) matching `eventPattern` on this bus that starts an execution of
     * `stateMachineArn` with the event as input, through a role (`<name>-<key>-role`) trusted by
     * EventBridge for this rule only and allowed `states:StartExecution` on that machine only.
     * Retries for `maximumEventAgeSeconds` (default 3600) and at most `maximumRetryAttempts` (default 8).
     */
    startExecutionOn(
        key: string,
        spec: {
            eventPattern: Record<string, unknown>;
            stateMachineArn: pulumi.Input<string>;
            description: string;
            maximumEventAgeSeconds?: number;
            maximumRetryAttempts?: number;
        },
    ): aws.cloudwatch.EventRule {
        const name = `${this.componentName}-${key}`;
        const a = this.args;
        const rule = new aws.cloudwatch.EventRule(
            name,
            {
                eventBusName: this.busName,
                description: spec.description,
                eventPattern: JSON.stringify(spec.eventPattern),
                state: "ENABLED",
                tags: a.tags,
            },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `EventBridge rule ${key} on ${a.busName} starts its state machine`,
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "events.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: {
                                StringEquals: { "aws:SourceAccount": a.accountId, "aws:SourceArn": rule.arn },
                            },
                        },
                    ],
                }),
                tags: a.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-role`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "StartItsStateMachine",
                            Effect: "Allow",
                            Action: "states:StartExecution",
                            Resource: spec.stateMachineArn,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(
            name,
            {
                eventBusName: this.busName,
                rule: rule.name,
                arn: spec.stateMachineArn,
                roleArn: role.arn,
                retryPolicy: {
                    maximumEventAgeInSeconds: spec.maximumEventAgeSeconds ?? 3600,
                    maximumRetryAttempts: spec.maximumRetryAttempts ?? 8,
                },
            },
            { parent: this },
        );
        return rule;
    }
}
