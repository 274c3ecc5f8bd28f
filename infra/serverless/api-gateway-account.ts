/**
 * The account-level API Gateway setting every REST API stage needs before it can write execution or
 * access logs to CloudWatch Logs: the CloudWatch role of the account in this region
 * (`aws.apigateway.Account`, https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 *
 * It is one setting per account and region, not per API, so the program registers it once,
 * whichever architecture asks first, as `apigateway-account` under `parent` (the foundation), not
 * under an architecture: its URN does not change when the architecture that first needed it is
 * switched off.
 * The role is trusted by `apigateway.amazonaws.com` for this account only and may only create log
 * groups and streams and write events to them (the actions of the AWS managed policy
 * AmazonAPIGatewayPushToCloudWatchLogs, on this account's log groups).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ApiGatewayAccountArgs {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    /** Tags of the role (the first caller's, with `Architecture: foundation`). */
    tags: Record<string, string>;
    /** Component the setting and its role belong to: the foundation. Default the stack. */
    parent?: pulumi.Resource;
}

/** Logical name of the account setting and prefix of its role. */
export const API_GATEWAY_ACCOUNT = "apigateway-account";

/**
 * One registration per program run (keyed by the run's resource monitor, so test runs under fresh mocks
 * start over).
 */
const registered = new WeakMap<object, aws.apigateway.Account>();

/**
 * The account's API Gateway CloudWatch setting, registered on first call; later calls return the same
 * resource. Stages that log depend on it (`dependsOn`), so logging is configured before they deploy.
 */
export function apiGatewayAccount(args: ApiGatewayAccountArgs): aws.apigateway.Account {
    const run = pulumi.runtime.getMonitor() ?? registered;
    const existing = registered.get(run);
    if (existing) return existing;
    const tags = { ...args.tags, Architecture: "foundation" };
    const opts = { parent: args.parent };
    const logGroups = pulumi.interpolate`arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group:*`;
    const role = new aws.iam.Role(
        `${API_GATEWAY_ACCOUNT}-cloudwatch`,
        {
            description:
                "API Gateway (this account and region) writes REST API execution and access logs to CloudWatch Logs",
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "apigateway.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                    },
                ],
            }),
            tags,
        },
        opts,
    );
    const policy = new aws.iam.RolePolicy(
        `${API_GATEWAY_ACCOUNT}-cloudwatch`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "WriteApiGatewayLogs",
                        Effect: "Allow",
                        Action: [
                            "logs:CreateLogGroup",
                            "logs:CreateLogStream",
                            "logs:DescribeLogGroups",
                            "logs:DescribeLogStreams",
                            "logs:PutLogEvents",
                            "logs:GetLogEvents",
                            "logs:FilterLogEvents",
                        ],
                        Resource: logGroups,
                    },
                ],
            }),
        },
        opts,
    );
    const account = new aws.apigateway.Account(
        API_GATEWAY_ACCOUNT,
        { cloudwatchRoleArn: role.arn },
        { ...opts, dependsOn: [policy] },
    );
    registered.set(run, account);
    return account;
}
