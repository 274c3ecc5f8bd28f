/**
 * An AWS Lambda function (`platform:serverless:LambdaFunction`) with everything it owns, built from
 * plain `@pulumi/aws` resources so tests and policies see every permission and rule:
 *
 * - the code: an in-memory bundle (`apps/lambdas/build.ts`, `bundleLambda`) deployed as an archive,
 *   its SHA-256 in the `CodeSha256` tag;
 * - its own execution role: trusted by `lambda.amazonaws.com` for this account only, allowed to write
 *   to its own log group, to send X-Ray traces, to manage its VPC network interfaces when it runs in
 *   a VPC, and to do exactly the statements the caller passes — nothing else;
 * - a KMS-encrypted log group `/aws/lambda/<functionName>` with retention, created before the
 *   function (so Lambda never creates an unencrypted one with unlimited retention);
 * - X-Ray active tracing (on by default);
 * - optionally, VPC placement (the caller's private subnets) with its own security group: no ingress
 *   at all (nothing connects to a function), egress only through {@link LambdaFunction.allowEgressTo}
 *   or `egress` (HTTPS to AWS APIs through the NAT gateway, a database port to its security group…);
 * - invoke permissions for AWS services through {@link LambdaFunction.grantInvoke}, always scoped to
 *   the calling resource (`sourceArn`) and this account (`sourceAccount`).
 *
 * Follows https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html (the ENI actions AWS grants on
 * `*` in AWSLambdaVPCAccessExecutionRole), https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 * and https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import type { IamStatement } from "../compute/fargate-service";
import { destinationProblems, egressRule, EgressRule, isPort } from "../network/security-group-rules";

/** The bundle of `apps/lambdas/build.ts` (`bundleLambda(name)`), or any file map with its hash. */
export interface LambdaCode {
    /** File name -> contents; must hold the file the handler names (`index.js` for `index.handler`). */
    readonly files: Record<string, string>;
    /** Hex SHA-256 of the files (a stable content id). */
    readonly sha256: string;
}

/** Egress from the function's security group: one TCP port to exactly one destination. */
export type LambdaEgress = Omit<EgressRule, "toPort" | "protocol">;

export interface LambdaFunctionArgs {
    /**
     * Physical function name, 1-64 letters, digits, `-` and `_` (fixed: the log group is named after it),
     * e.g. `platform-dev-postech-cpf-auth`.
     */
    functionName: string;
    /** One line for the console, at most 256 characters. */
    description: string;
    code: LambdaCode;
    /** `<file>.<export>`, e.g. `index.handler`. */
    handler: string;
    /** Runtime identifier, e.g. `nodejs22.x`. */
    runtime: string;
    /** Instruction set. Default `arm64` (Graviton: cheaper per GB-second; the bundles are plain JavaScript). */
    architecture?: "arm64" | "x86_64";
    /** Memory in MB, 128-10240. Default 256. */
    memorySize?: number;
    /** Timeout in seconds, 1-900. Default 10. */
    timeoutSeconds?: number;
    /** Reserved concurrency (a ceiling that also protects the account's pool); default none (unreserved). */
    reservedConcurrency?: number;
    /** Plain environment variables (never secret values: pass ARNs and let the function read them). Default none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** What the function may do, beyond its logs, traces and network interfaces. Default none. */
    policyStatements?: IamStatement[];
    /** Log group: KMS key ARN of the logs key and retention in days. */
    logs: { kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** X-Ray active tracing. Default true. */
    tracing?: boolean;
    /** Run in these (private) subnets of this VPC with the function's own security group. Default outside any VPC. */
    vpc?: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[] };
    /** Egress rules of the function's security group, keyed by a stable name (needs `vpc`). Default none. */
    egress?: Record<string, LambdaEgress>;
    /** For the role's and the permissions' scope. */
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HANDLER = /^[A-Za-z0-9_./-]+\.[A-Za-z0-9_$]+$/;
const sorted = <T>(r: Record<string, T> | undefined) => Object.entries(r ?? {}).sort(([a], [b]) => a.localeCompare(b));

function codeProblems(args: LambdaFunctionArgs): string[] {
    const p: string[] = [];
    if (!FUNCTION_NAME.test(args.functionName))
        p.push(`functionName must be 1-64 letters, digits, - and _; got ${JSON.stringify(args.functionName)}`);
    if (args.description.length > 256)
        p.push(`description must be at most 256 characters; got ${args.description.length}`);
    if (!HANDLER.test(args.handler))
        p.push(`handler must be <file>.<export> such as index.handler; got ${JSON.stringify(args.handler)}`);
    else if (
        !(`${args.handler.slice(0, args.handler.lastIndexOf("."))}.js` in args.code.files) &&
        !(`${args.handler.slice(0, args.handler.lastIndexOf("."))}.mjs` in args.code.files)
    ) {
        p.push(
            `code has no file for handler ${args.handler}; ` +
                `it holds ${Object.keys(args.code.files).join(", ") || "nothing"}`,
        );
    }
    if (!/^[a-f0-9]{64}$/.test(args.code.sha256))
        p.push(`code.sha256 must be 64 hex characters; got ${JSON.stringify(args.code.sha256)}`);
    return p;
}

function sizingProblems(args: LambdaFunctionArgs): string[] {
    const p: string[] = [];
    const memory = args.memorySize ?? 256;
    const timeout = args.timeoutSeconds ?? 10;
    if (!Number.isInteger(memory) || memory < 128 || memory > 10240)
        p.push(`memorySize must be an integer from 128 to 10240 MB; got ${memory}`);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900)
        p.push(`timeoutSeconds must be an integer from 1 to 900; got ${timeout}`);
    if (
        args.reservedConcurrency !== undefined &&
        (!Number.isInteger(args.reservedConcurrency) || args.reservedConcurrency < 1)
    )
        p.push(`reservedConcurrency must be a positive integer; got ${args.reservedConcurrency}`);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        p.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    return p;
}

function networkProblems(args: LambdaFunctionArgs): string[] {
    const p: string[] = [];
    if (args.vpc && args.vpc.subnetIds.length < 2)
        p.push(
            "vpc.subnetIds must hold at least 2 subnets in different Availability Zones; " +
                `got ${args.vpc.subnetIds.length}`,
        );
    if (!args.vpc && Object.keys(args.egress ?? {}).length > 0)
        p.push("egress needs vpc (a function outside a VPC has no security group)");
    for (const [key, rule] of sorted(args.egress)) p.push(...egressProblems(key, rule));
    return p;
}

function environmentProblems(environment: LambdaFunctionArgs["environment"]): string[] {
    const p: string[] = [];
    for (const key of Object.keys(environment ?? {})) {
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key))
            p.push(
                `environment: ${JSON.stringify(key)} is not a variable name ` +
                    "(letters, digits and _, starting with a letter)",
            );
        if (key.startsWith("AWS_") || key.startsWith("LAMBDA_"))
            p.push(`environment: ${key} is reserved by the Lambda runtime`);
    }
    return p;
}

function problemsOf(args: LambdaFunctionArgs): string[] {
    return [
        ...codeProblems(args),
        ...sizingProblems(args),
        ...networkProblems(args),
        ...environmentProblems(args.environment),
    ];
}

function egressProblems(key: string, rule: LambdaEgress): string[] {
    const p: string[] = [];
    p.push(...destinationProblems(`egress.${key}`, rule));
    if (!isPort(rule.port)) p.push(`egress.${key}.port must be 1-65535; got ${rule.port}`);
    return p;
}

/** `/aws/lambda/<functionName>`, KMS-encrypted with retention, created before the function. */
function logGroup(name: string, args: LambdaFunctionArgs, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        {
            name: `/aws/lambda/${args.functionName}`,
            retentionInDays: args.logs.retentionInDays,
            kmsKeyId: args.logs.kmsKeyArn,
            tags: args.tags,
        },
        { parent },
    );
}

/** The execution role, trusted by `lambda.amazonaws.com` for this account only. */
function executionRole(name: string, args: LambdaFunctionArgs, parent: pulumi.Resource): aws.iam.Role {
    return new aws.iam.Role(
        `${name}-role`,
        {
            description: `Execution role of the Lambda function ${args.functionName}`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "lambda.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                    },
                ],
            }),
            tags: args.tags,
        },
        { parent },
    );
}

/** Its own logs, X-Ray traces when tracing, its network interfaces in a VPC, then the caller's statements. */
function executionStatements(args: LambdaFunctionArgs, logs: aws.cloudwatch.LogGroup): IamStatement[] {
    const statements: IamStatement[] = [
        {
            Sid: "WriteItsLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logs.arn}:*`,
        },
    ];
    if (args.tracing ?? true)
        statements.push({
            Sid: "SendTraces",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resource: "*",
        });
    if (args.vpc) {
        statements.push({
            Sid: "ManageItsNetworkInterfaces",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
        });
    }
    statements.push(...(args.policyStatements ?? []));
    return statements;
}

function rolePolicy(
    name: string,
    args: LambdaFunctionArgs,
    role: aws.iam.Role,
    logs: aws.cloudwatch.LogGroup,
    parent: pulumi.Resource,
): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: executionStatements(args, logs) }),
        },
        { parent },
    );
}

/** The function's security group in `vpc`: no ingress, egress added rule by rule. */
function securityGroup(
    name: string,
    args: LambdaFunctionArgs,
    vpc: NonNullable<LambdaFunctionArgs["vpc"]>,
    parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: vpc.vpcId,
            description: `Lambda function ${args.functionName}: no ingress, explicit egress`,
            revokeRulesOnDelete: true,
            tags: { ...args.tags, Name: `${name}-sg` },
        },
        { parent },
    );
}

/** What the function itself depends on: its role, log group, policy and (in a VPC) security group. */
interface FunctionParts {
    role: aws.iam.Role;
    logs: aws.cloudwatch.LogGroup;
    policy: aws.iam.RolePolicy;
    securityGroup?: aws.ec2.SecurityGroup;
}

function lambdaFunction(
    name: string,
    args: LambdaFunctionArgs,
    parts: FunctionParts,
    parent: pulumi.Resource,
): aws.lambda.Function {
    const { role, logs, policy, securityGroup } = parts;
    const files = Object.entries(args.code.files).map(([file, text]): [string, pulumi.asset.Asset] => [
        file,
        new pulumi.asset.StringAsset(text),
    ]);
    return new aws.lambda.Function(
        name,
        {
            name: args.functionName,
            description: args.description,
            role: role.arn,
            code: new pulumi.asset.AssetArchive(Object.fromEntries(files)),
            handler: args.handler,
            runtime: args.runtime,
            architectures: [args.architecture ?? "arm64"],
            memorySize: args.memorySize ?? 256,
            timeout: args.timeoutSeconds ?? 10,
            reservedConcurrentExecutions: args.reservedConcurrency,
            environment:
                args.environment && Object.keys(args.environment).length > 0
                    ? { variables: Object.fromEntries(sorted(args.environment)) }
                    : undefined,
            tracingConfig: { mode: (args.tracing ?? true) ? "Active" : "PassThrough" },
            loggingConfig: { logFormat: "Text", logGroup: logs.name },
            vpcConfig:
                args.vpc && securityGroup
                    ? { subnetIds: args.vpc.subnetIds, securityGroupIds: [securityGroup.id] }
                    : undefined,
            tags: { ...args.tags, CodeSha256: args.code.sha256 },
        },
        { parent, dependsOn: [logs, policy] },
    );
}

export class LambdaFunction extends pulumi.ComponentResource {
    readonly functionArn: pulumi.Output<string>;
    readonly functionName: pulumi.Output<string>;
    /** ARN API Gateway integrations call (`arn:aws:apigateway:<region>:lambda:path/.../invocations`). */
    readonly invokeArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** The function's security group; undefined outside a VPC. */
    readonly securityGroupId?: pulumi.Output<string>;
    private readonly componentName: string;
    private readonly accountId: pulumi.Input<string>;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:serverless:LambdaFunction", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`LambdaFunction ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.accountId = args.accountId;
        this.tags = args.tags;
        const logs = logGroup(name, args, this);
        const role = executionRole(name, args, this);
        const policy = rolePolicy(name, args, role, logs, this);
        const sg = args.vpc ? securityGroup(name, args, args.vpc, this) : undefined;
        if (sg) this.securityGroupId = sg.id;
        const fn = lambdaFunction(name, args, { role, logs, policy, securityGroup: sg }, this);

        this.functionArn = fn.arn;
        this.functionName = fn.name;
        this.invokeArn = fn.invokeArn;
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.logGroupName = logs.name;
        for (const [key, rule] of sorted(args.egress)) this.allowEgressTo(key, rule);
        this.registerOutputs({
            functionArn: this.functionArn,
            functionName: this.functionName,
            roleArn: this.roleArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /** Allows TCP `port` out of the function's security group (rule `<name>-out-<key>`). Throws outside a VPC. */
    allowEgressTo(key: string, rule: LambdaEgress): aws.vpc.SecurityGroupEgressRule {
        const problems = egressProblems(key, rule);
        if (!this.securityGroupId) problems.push("the function runs outside a VPC and has no security group");
        if (problems.length > 0) throw new Error(`LambdaFunction ${this.componentName}: ${problems.join("; ")}`);
        return egressRule(`${this.componentName}-out-${key}`, this.securityGroupId!, rule, this.tags, { parent: this });
    }

    /**
     * Lets an AWS service invoke the function on behalf of one resource (permission `<name>-invoke-<key>`):
     * `principal` e.g. `apigateway.amazonaws.com`, `cognito-idp.amazonaws.com`; `sourceArn` the calling
     * resource (an API's `execute-api` ARN pattern, a user pool ARN, a rule ARN). `sourceAccount` is always
     * this account (confused-deputy protection,
     * https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html).
     */
    grantInvoke(key: string, grant: { principal: string; sourceArn: pulumi.Input<string> }): aws.lambda.Permission {
        if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(grant.principal))
            throw new Error(
                `LambdaFunction ${this.componentName}: grantInvoke ${key} principal must be an AWS service principal ` +
                    `(<service>.amazonaws.com); got ${JSON.stringify(grant.principal)}`,
            );
        return new aws.lambda.Permission(
            `${this.componentName}-invoke-${key}`,
            {
                function: this.functionName,
                action: "lambda:InvokeFunction",
                principal: grant.principal,
                sourceArn: grant.sourceArn,
                sourceAccount: this.accountId,
            },
            { parent: this },
        );
    }
}
