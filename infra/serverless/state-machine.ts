/**
 * An AWS Step Functions standard state machine (`platform:serverless:StateMachine`): the caller's
 * Amazon States Language definition (an object, serialized here), its own execution role (the
 * statements the caller passes, plus CloudWatch Logs delivery and X-Ray), execution history logged
 * to a KMS-encrypted log group at the level asked (`ALL` by default) without execution data unless
 * asked (payloads may hold personal data), and X-Ray tracing.
 *
 * References: https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html (the log delivery
 * actions the role needs on `*`),
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html,
 * https://states-language.net/spec.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import type { IamStatement } from "../compute/fargate-service";

export interface StateMachineArgs {
    /** The Amazon States Language definition (validated by the caller's tests). */
    definition: pulumi.Input<Record<string, unknown>>;
    /** What the states may call (Lambda functions, queues, tables, buses...). */
    policyStatements: IamStatement[];
    /** Log group: name, KMS key ARN of the logs key, retention in days. */
    logs: { groupName: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** Execution history level. Default `ALL`. */
    logLevel?: "ALL" | "ERROR" | "FATAL";
    /** Log each state's input and output. Default false. */
    includeExecutionData?: boolean;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

/** Logs delivery and X-Ray actions Step Functions needs on `*`, after the caller's statements. */
const SERVICE_STATEMENTS: IamStatement[] = [
    {
        Sid: "DeliverExecutionLogs",
        Effect: "Allow",
        Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        Resource: "*",
    },
    {
        Sid: "SendTraces",
        Effect: "Allow",
        Action: [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
        ],
        Resource: "*",
    },
];

function validate(name: string, args: StateMachineArgs): void {
    const problems: string[] = [];
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        problems.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    if (!["ALL", "ERROR", "FATAL"].includes(args.logLevel ?? "ALL"))
        problems.push(`logLevel must be ALL, ERROR or FATAL; got ${JSON.stringify(args.logLevel)}`);
    if (args.policyStatements.length === 0) problems.push("policyStatements must allow at least what the states call");
    if (problems.length > 0) throw new Error(`StateMachine ${name}: ${problems.join("; ")}`);
}

function logGroup(name: string, args: StateMachineArgs, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        {
            name: args.logs.groupName,
            retentionInDays: args.logs.retentionInDays,
            kmsKeyId: args.logs.kmsKeyArn,
            tags: args.tags,
        },
        { parent },
    );
}

/** The execution role, trusted by `states.amazonaws.com` for this account's state machines only. */
function executionRole(name: string, args: StateMachineArgs, parent: pulumi.Resource): aws.iam.Role {
    const sourceArn = pulumi.interpolate`arn:${args.partition}:states:${args.region}:${args.accountId}:stateMachine:*`;
    return new aws.iam.Role(
        `${name}-role`,
        {
            description: `Execution role of the state machine ${name}`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "states.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": args.accountId },
                            ArnLike: { "aws:SourceArn": sourceArn },
                        },
                    },
                ],
            }),
            tags: args.tags,
        },
        { parent },
    );
}

/** The caller's statements, then log delivery and X-Ray. */
function rolePolicy(
    name: string,
    args: StateMachineArgs,
    role: aws.iam.Role,
    parent: pulumi.Resource,
): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [...args.policyStatements, ...SERVICE_STATEMENTS],
            }),
        },
        { parent },
    );
}

export class StateMachine extends pulumi.ComponentResource {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: StateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:serverless:StateMachine", name, {}, opts);
        validate(name, args);
        const logs = logGroup(name, args, this);
        const role = executionRole(name, args, this);
        const policy = rolePolicy(name, args, role, this);
        const machine = new aws.sfn.StateMachine(
            name,
            {
                type: "STANDARD",
                roleArn: role.arn,
                definition: pulumi.jsonStringify(args.definition),
                loggingConfiguration: {
                    level: args.logLevel ?? "ALL",
                    includeExecutionData: args.includeExecutionData ?? false,
                    logDestination: pulumi.interpolate`${logs.arn}:*`,
                },
                tracingConfiguration: { enabled: true },
                tags: args.tags,
            },
            { parent: this, dependsOn: [policy] },
        );

        this.stateMachineArn = machine.arn;
        this.stateMachineName = machine.name;
        this.roleArn = role.arn;
        this.registerOutputs({ stateMachineArn: this.stateMachineArn });
    }
}
