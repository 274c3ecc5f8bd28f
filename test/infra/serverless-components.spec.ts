/**
 * The serverless and identity components on their own, under Pulumi mocks in this process:
 * LambdaFunction (role, logs, VPC, invoke permissions), RestApi (authorization per method, Lambda and
 * VPC-link integrations, validation, stage logging and throttling, usage plan, CORS), the API Gateway
 * account setting, and UserPool (sign-in, MFA, threat protection, triggers, clients). Argument
 * validation reports every problem at once, naming the component and the field.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { API_GATEWAY_ACCOUNT } from "../../infra/serverless/api-gateway-account";
import { LambdaFunction, LambdaFunctionArgs } from "../../infra/serverless/lambda-function";
import { ACCESS_LOG_FORMAT, pathSlug, RestApi, RestApiArgs, routeArnSuffix } from "../../infra/serverless/rest-api";
import { UserPool } from "../../infra/identity/user-pool";

interface Registered {
    type: string;
    name: string;
    inputs: any;
}
const registered: Registered[] = [];
/** Resolves `o`, then waits until no registration has arrived for a while (children made from outputs register late). */
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const ofType = (type: string, prefix: string) => registered.filter((r) => r.type === type && r.name.startsWith(prefix));
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};

const ACCOUNT = { accountId: "123456789012", partition: "aws", region: "sa-east-1" };
const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };
const CODE = { files: { "index.js": "exports.handler = async () => ({});" }, sha256: "a".repeat(64) };
const LOGS = { kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs", retentionInDays: 30 };

function fnArgs(overrides: Partial<LambdaFunctionArgs> = {}): LambdaFunctionArgs {
    return {
        functionName: "p-test-fn",
        description: "test",
        code: CODE,
        handler: "index.handler",
        runtime: "nodejs22.x",
        logs: LOGS,
        ...ACCOUNT,
        tags: TAGS,
        ...overrides,
    };
}

describe("serverless and identity components (under mocks)", () => {
    before(() => {
        void pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    const id = `${a.name}-id`;
                    const extra: Record<string, unknown> = {};
                    if (a.type === "aws:lambda/function:Function")
                        extra.invokeArn = `arn:aws:apigateway:sa-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:sa-east-1:123456789012:function:${a.inputs.name}/invocations`;
                    if (a.type === "aws:apigateway/restApi:RestApi")
                        Object.assign(extra, {
                            executionArn: "arn:aws:execute-api:sa-east-1:123456789012:api123",
                            rootResourceId: "root",
                        });
                    return {
                        id,
                        state: {
                            ...a.inputs,
                            name: a.inputs.name ?? a.name,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                            ...extra,
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
    });

    describe("LambdaFunction", () => {
        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new LambdaFunction(
                        "bad",
                        fnArgs({
                            functionName: "has spaces",
                            handler: "main.handler",
                            memorySize: 64,
                            timeoutSeconds: 901,
                            logs: { kmsKeyArn: "k", retentionInDays: 10 },
                            environment: { AWS_REGION: "x", "1BAD": "y" },
                            egress: { https: { port: 443, cidrIpv4: "0.0.0.0/0", description: "x" } },
                        }),
                    ),
                {
                    message:
                        'LambdaFunction bad: functionName must be 1-64 letters, digits, - and _; got "has spaces"; ' +
                        "code has no file for handler main.handler; it holds index.js; " +
                        "memorySize must be an integer from 128 to 10240 MB; got 64; " +
                        "timeoutSeconds must be an integer from 1 to 900; got 901; " +
                        "logs.retentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 10; " +
                        "egress needs vpc (a function outside a VPC has no security group); " +
                        "environment: AWS_REGION is reserved by the Lambda runtime; " +
                        'environment: "1BAD" is not a variable name (letters, digits and _, starting with a letter)',
                },
            );
        });

        it("outside a VPC: its own role (logs and traces only), an encrypted log group named after it, X-Ray on, arm64", async () => {
            const fn = new LambdaFunction("plain", fnArgs({ functionName: "p-test-plain" }));
            await settle(fn.functionArn);
            const f = one("aws:lambda/function:Function", "plain");
            assert.deepStrictEqual(
                [
                    f.name,
                    f.handler,
                    f.runtime,
                    f.architectures,
                    f.memorySize,
                    f.timeout,
                    f.tracingConfig,
                    f.vpcConfig,
                    f.environment,
                ],
                [
                    "p-test-plain",
                    "index.handler",
                    "nodejs22.x",
                    ["arm64"],
                    256,
                    10,
                    { mode: "Active" },
                    undefined,
                    undefined,
                ],
            );
            assert.deepStrictEqual(f.loggingConfig, { logFormat: "Text", logGroup: "/aws/lambda/p-test-plain" });
            assert.deepStrictEqual(f.tags, { ...TAGS, CodeSha256: "a".repeat(64) });
            assert.deepStrictEqual(one("aws:cloudwatch/logGroup:LogGroup", "plain-logs"), {
                name: "/aws/lambda/p-test-plain",
                retentionInDays: 30,
                kmsKeyId: LOGS.kmsKeyArn,
                tags: TAGS,
            });
            const trust = JSON.parse(one("aws:iam/role:Role", "plain-role").assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "lambda.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
            ]);
            const policy = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "plain-policy").policy);
            assert.deepStrictEqual(policy.Statement, [
                {
                    Sid: "WriteItsLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "arn:aws:mock:sa-east-1:123456789012:plain-logs:*",
                },
                {
                    Sid: "SendTraces",
                    Effect: "Allow",
                    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    Resource: "*",
                },
            ]);
            assert.deepStrictEqual(ofType("aws:ec2/securityGroup:SecurityGroup", "plain"), []);
            assert.strictEqual(fn.securityGroupId, undefined);
            assert.throws(
                () => fn.allowEgressTo("db", { port: 5432, destinationSecurityGroupId: "sg-db", description: "db" }),
                { message: "LambdaFunction plain: the function runs outside a VPC and has no security group" },
            );
        });

        it("in a VPC: its own security group with no ingress and only the egress asked for, ENI permissions, caller statements, scoped invoke permissions", async () => {
            const fn = new LambdaFunction(
                "vpc",
                fnArgs({
                    functionName: "p-test-vpc",
                    vpc: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"] },
                    egress: { https: { port: 443, cidrIpv4: "0.0.0.0/0", description: "AWS APIs" } },
                    environment: { TABLE: "orders", A_FIRST: "1" },
                    policyStatements: [
                        {
                            Sid: "ReadOrders",
                            Effect: "Allow",
                            Action: "dynamodb:GetItem",
                            Resource: "arn:aws:dynamodb:sa-east-1:123456789012:table/orders",
                        },
                    ],
                    tracing: false,
                    memorySize: 512,
                    timeoutSeconds: 30,
                    reservedConcurrency: 5,
                }),
            );
            fn.allowEgressTo("db", { port: 5432, destinationSecurityGroupId: "sg-db", description: "PostgreSQL" });
            fn.grantInvoke("api", {
                principal: "apigateway.amazonaws.com",
                sourceArn: "arn:aws:execute-api:sa-east-1:123456789012:api/*/GET/orders",
            });
            assert.throws(
                () => fn.grantInvoke("anyone", { principal: "*", sourceArn: "x" }),
                /principal must be an AWS service principal/,
            );
            await settle(fn.functionArn);
            const f = one("aws:lambda/function:Function", "vpc");
            assert.deepStrictEqual(f.vpcConfig, {
                subnetIds: ["subnet-a", "subnet-b"],
                securityGroupIds: ["vpc-sg-id"],
            });
            assert.deepStrictEqual(
                [f.tracingConfig, f.memorySize, f.timeout, f.reservedConcurrentExecutions],
                [{ mode: "PassThrough" }, 512, 30, 5],
            );
            assert.deepStrictEqual(f.environment, { variables: { A_FIRST: "1", TABLE: "orders" } });
            assert.deepStrictEqual(ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "vpc"), []);
            assert.deepStrictEqual(
                ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "vpc")
                    .map((r) => [r.name, r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId])
                    .sort(),
                [
                    ["vpc-out-db", 5432, "sg-db"],
                    ["vpc-out-https", 443, "0.0.0.0/0"],
                ],
            );
            const policy = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "vpc-policy").policy);
            assert.deepStrictEqual(
                policy.Statement.map((s: any) => s.Sid),
                ["WriteItsLogs", "ManageItsNetworkInterfaces", "ReadOrders"],
            );
            assert.deepStrictEqual(policy.Statement[1].Action, [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ]);
            assert.deepStrictEqual(one("aws:lambda/permission:Permission", "vpc-invoke-api"), {
                function: "p-test-vpc",
                action: "lambda:InvokeFunction",
                principal: "apigateway.amazonaws.com",
                sourceArn: "arn:aws:execute-api:sa-east-1:123456789012:api/*/GET/orders",
                sourceAccount: "123456789012",
            });
        });
    });

    describe("RestApi", () => {
        let authFn: LambdaFunction;
        let authorizerFn: LambdaFunction;
        const base = (overrides: Partial<RestApiArgs> = {}): RestApiArgs => ({
            apiName: "p-test-api",
            description: "test",
            routes: {},
            stage: {
                name: "v1",
                rateLimit: 50,
                burstLimit: 100,
                logs: { accessLogGroupName: "/p/test/api-access", ...LOGS },
            },
            ...ACCOUNT,
            tags: TAGS,
            ...overrides,
        });
        before(() => {
            authFn = new LambdaFunction("auth", fnArgs({ functionName: "p-test-auth" }));
            authorizerFn = new LambdaFunction("authorizer", fnArgs({ functionName: "p-test-authorizer" }));
        });

        it("names paths and method ARNs the way API Gateway does", () => {
            assert.deepStrictEqual(
                [pathSlug("/"), pathSlug("/orders/{orderId}"), pathSlug("/{proxy+}")],
                ["root", "orders-orderId", "proxy"],
            );
            assert.deepStrictEqual(
                [
                    routeArnSuffix("POST", "/auth"),
                    routeArnSuffix("GET", "/orders/{orderId}"),
                    routeArnSuffix("ANY", "/{proxy+}"),
                ],
                ["POST/auth", "GET/orders/*", "*/*"],
            );
        });

        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new RestApi(
                        "bad",
                        base({
                            routes: {
                                "FETCH /x": {
                                    auth: { public: "because it is" },
                                    integration: { type: "lambda", function: authFn },
                                },
                                "GET /a b": {
                                    auth: { authorizer: "nope" },
                                    integration: { type: "lambda", function: authFn },
                                },
                                "POST /auth": {
                                    auth: { public: "short" },
                                    integration: { type: "lambda", function: authFn },
                                },
                                "GET /items": {
                                    auth: { public: "a public catalogue" },
                                    integration: { type: "lambda", function: authFn },
                                    bodySchema: { type: "object" },
                                },
                            },
                            usagePlan: { rateLimit: 100, burstLimit: 10, apiKeys: [] },
                            stage: {
                                name: "v 1",
                                rateLimit: 50,
                                burstLimit: 100,
                                logs: { accessLogGroupName: "/x", ...LOGS },
                            },
                        }),
                    ),
                {
                    message:
                        'RestApi bad: routes: "FETCH /x" must be "<METHOD> <path>" with METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY; ' +
                        'routes: "GET /a b" must be "<METHOD> <path>" with METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY; ' +
                        "routes.GET /items: bodySchema on a GET route (no body); " +
                        "routes.POST /auth: a public route needs a reason of at least 10 characters (the policy pack's publicRoutes asks for the same); " +
                        'stage.name must be 1-128 letters, digits, - and _; got "v 1"; ' +
                        "usagePlan limits (100/10) must not exceed the stage's (50/100); " +
                        "usagePlan.apiKeys must name at least one client application",
                },
            );
        });

        it("puts the authorizer on every method but the public one, validates the body, proxies the rest through the VPC link with the caller's sub", async () => {
            const api = new RestApi(
                "shop",
                base({
                    authorizers: {
                        jwt: { type: "token", function: authorizerFn, resultTtlSeconds: 120 },
                        users: {
                            type: "cognito",
                            userPoolArns: ["arn:aws:cognito-idp:sa-east-1:123456789012:userpool/sa-east-1_abc"],
                        },
                    },
                    routes: {
                        "POST /auth": {
                            auth: { public: "sign-in: callers have no token yet" },
                            integration: { type: "lambda", function: authFn },
                            bodySchema: { type: "object", required: ["cpf"] },
                        },
                        "GET /orders/{orderId}": {
                            auth: { authorizer: "users" },
                            integration: { type: "lambda", function: authFn },
                            requiredQueryParameters: ["expand"],
                        },
                        "ANY /{proxy+}": {
                            auth: { authorizer: "jwt" },
                            integration: { type: "vpc-link", vpcLinkId: "vl-1", uri: "http://nlb.internal/{proxy}" },
                        },
                    },
                    usagePlan: {
                        rateLimit: 10,
                        burstLimit: 20,
                        quotaLimit: 1000,
                        quotaPeriod: "DAY",
                        apiKeys: ["kiosk", "web"],
                    },
                }),
            );
            await settle(api.stageArn);
            const methods = ofType("aws:apigateway/method:Method", "shop-");
            assert.deepStrictEqual(
                methods
                    .map((m) => [
                        m.name,
                        m.inputs.httpMethod,
                        m.inputs.authorization,
                        m.inputs.authorizerId ?? null,
                        m.inputs.apiKeyRequired,
                    ])
                    .sort(),
                [
                    ["shop-any-proxy", "ANY", "CUSTOM", "shop-jwt-id", true],
                    ["shop-get-orders-orderId", "GET", "COGNITO_USER_POOLS", "shop-users-id", true],
                    ["shop-post-auth", "POST", "NONE", null, true],
                ],
            );
            const post = one("aws:apigateway/method:Method", "shop-post-auth");
            assert.deepStrictEqual(
                [post.requestValidatorId, post.requestModels],
                ["shop-validate-body-id", { "application/json": "authPostBody" }],
            );
            assert.deepStrictEqual(JSON.parse(one("aws:apigateway/model:Model", "shop-post-auth-body").schema), {
                $schema: "http://json-schema.org/draft-04/schema#",
                type: "object",
                required: ["cpf"],
            });
            assert.deepStrictEqual(one("aws:apigateway/method:Method", "shop-get-orders-orderId").requestParameters, {
                "method.request.path.orderId": true,
                "method.request.querystring.expand": true,
            });
            assert.strictEqual(
                one("aws:apigateway/method:Method", "shop-get-orders-orderId").requestValidatorId,
                "shop-validate-params-id",
            );
            const proxy = one("aws:apigateway/integration:Integration", "shop-any-proxy");
            assert.deepStrictEqual(
                [
                    proxy.type,
                    proxy.connectionType,
                    proxy.connectionId,
                    proxy.uri,
                    proxy.integrationHttpMethod,
                    proxy.timeoutMilliseconds,
                ],
                ["HTTP_PROXY", "VPC_LINK", "vl-1", "http://nlb.internal/{proxy}", "ANY", 29000],
            );
            assert.deepStrictEqual(proxy.requestParameters, {
                "integration.request.path.proxy": "method.request.path.proxy",
                "integration.request.header.X-Authenticated-Sub": "context.authorizer.principalId",
            });
            const lambda = one("aws:apigateway/integration:Integration", "shop-post-auth");
            assert.deepStrictEqual(
                [lambda.type, lambda.integrationHttpMethod, lambda.uri],
                [
                    "AWS_PROXY",
                    "POST",
                    "arn:aws:apigateway:sa-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:sa-east-1:123456789012:function:p-test-auth/invocations",
                ],
            );
            // Invocation is granted per method and path, and per authorizer.
            assert.deepStrictEqual(
                ofType("aws:lambda/permission:Permission", "auth-invoke-")
                    .map((p) => [p.name, p.inputs.sourceArn])
                    .sort(),
                [
                    [
                        "auth-invoke-apigw-get-orders-orderId",
                        "arn:aws:execute-api:sa-east-1:123456789012:api123/*/GET/orders/*",
                    ],
                    ["auth-invoke-apigw-post-auth", "arn:aws:execute-api:sa-east-1:123456789012:api123/*/POST/auth"],
                ],
            );
            assert.deepStrictEqual(
                one("aws:lambda/permission:Permission", "authorizer-invoke-apigw-authorizer-jwt").sourceArn,
                "arn:aws:execute-api:sa-east-1:123456789012:api123/authorizers/shop-jwt-id",
            );
            assert.deepStrictEqual(one("aws:apigateway/authorizer:Authorizer", "shop-jwt"), {
                name: "jwt",
                restApi: "shop-id",
                type: "TOKEN",
                identitySource: "method.request.header.Authorization",
                authorizerUri:
                    "arn:aws:apigateway:sa-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:sa-east-1:123456789012:function:p-test-authorizer/invocations",
                authorizerResultTtlInSeconds: 120,
            });
            // Stage: access logs in JSON, execution logs pre-created, X-Ray, throttling, no data trace.
            const stage = one("aws:apigateway/stage:Stage", "shop-stage");
            assert.deepStrictEqual(
                [stage.stageName, stage.xrayTracingEnabled, stage.accessLogSettings],
                [
                    "v1",
                    true,
                    {
                        destinationArn: "arn:aws:mock:sa-east-1:123456789012:shop-access-logs",
                        format: JSON.stringify(ACCESS_LOG_FORMAT),
                    },
                ],
            );
            assert.deepStrictEqual(one("aws:cloudwatch/logGroup:LogGroup", "shop-execution-logs"), {
                name: "API-Gateway-Execution-Logs_shop-id/v1",
                kmsKeyId: LOGS.kmsKeyArn,
                retentionInDays: 30,
                tags: TAGS,
            });
            assert.deepStrictEqual(one("aws:apigateway/methodSettings:MethodSettings", "shop-settings").settings, {
                metricsEnabled: true,
                loggingLevel: "ERROR",
                dataTraceEnabled: false,
                throttlingRateLimit: 50,
                throttlingBurstLimit: 100,
                cachingEnabled: false,
            });
            const plan = one("aws:apigateway/usagePlan:UsagePlan", "shop-usage-plan");
            assert.deepStrictEqual(
                [plan.throttleSettings, plan.quotaSettings, plan.apiStages],
                [
                    { rateLimit: 10, burstLimit: 20 },
                    { limit: 1000, period: "DAY" },
                    [{ apiId: "shop-id", stage: "v1" }],
                ],
            );
            assert.deepStrictEqual(
                ofType("aws:apigateway/usagePlanKey:UsagePlanKey", "shop-")
                    .map((k) => k.name)
                    .sort(),
                ["shop-key-kiosk", "shop-key-web"],
            );
            // The account's CloudWatch role: one, under the stack, API Gateway of this account only.
            const accountRole = JSON.parse(
                one("aws:iam/role:Role", `${API_GATEWAY_ACCOUNT}-cloudwatch`).assumeRolePolicy,
            );
            assert.deepStrictEqual(accountRole.Statement[0].Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
            });
            assert.strictEqual(registered.filter((r) => r.type === "aws:apigateway/account:Account").length, 1);
            assert.deepStrictEqual(ofType("aws:apigateway/method:Method", "shop-options"), []);
        });

        it("answers CORS preflight without credentials on every path with a route, for the configured origin only", async () => {
            const api = new RestApi(
                "web",
                base({
                    routes: {
                        "GET /products": {
                            auth: { public: "the public catalogue" },
                            integration: { type: "lambda", function: authFn },
                        },
                        "POST /orders": {
                            auth: { authorizer: "users" },
                            integration: { type: "lambda", function: authFn },
                        },
                    },
                    authorizers: {
                        users: {
                            type: "cognito",
                            userPoolArns: ["arn:aws:cognito-idp:sa-east-1:123456789012:userpool/sa-east-1_abc"],
                        },
                    },
                    cors: { allowOrigins: ["https://shop.example.com"] },
                }),
            );
            await settle(api.stageArn);
            const options = ofType("aws:apigateway/method:Method", "web-options-");
            assert.deepStrictEqual(
                options.map((m) => [m.name, m.inputs.authorization, m.inputs.apiKeyRequired]).sort(),
                [
                    ["web-options-orders", "NONE", false],
                    ["web-options-products", "NONE", false],
                ],
            );
            assert.deepStrictEqual(
                one("aws:apigateway/integrationResponse:IntegrationResponse", "web-options-orders").responseParameters,
                {
                    "method.response.header.Access-Control-Allow-Origin": "'https://shop.example.com'",
                    "method.response.header.Access-Control-Allow-Methods": "'OPTIONS,POST'",
                    "method.response.header.Access-Control-Allow-Headers": "'Authorization,Content-Type'",
                    "method.response.header.Access-Control-Max-Age": "'600'",
                },
            );
            assert.strictEqual(one("aws:apigateway/method:Method", "web-get-products").apiKeyRequired, false);
            assert.deepStrictEqual(ofType("aws:apigateway/usagePlan:UsagePlan", "web-"), []);
            // API Gateway's own errors (401/403 from the authorizer, 400 validation, WAF 403, 429, 5xx) carry the
            // origin too: every 4XX/5XX type falls back to these two.
            for (const [logicalName, responseType] of [
                ["web-default-4xx", "DEFAULT_4XX"],
                ["web-default-5xx", "DEFAULT_5XX"],
            ])
                assert.deepStrictEqual(one("aws:apigateway/response:Response", logicalName), {
                    restApiId: "web-id",
                    responseType,
                    responseParameters: {
                        "gatewayresponse.header.Access-Control-Allow-Origin": "'https://shop.example.com'",
                    },
                    responseTemplates: { "application/json": '{"message":$context.error.messageString}' },
                });
            assert.deepStrictEqual(ofType("aws:apigateway/response:Response", "shop-"), []);
        });

        it("makes a new deployment when anything it serves changes: integration URI, VPC link, authorizer function, CORS origin", async () => {
            const spec = (
                name: string,
                change: Partial<Record<"uri" | "vpcLink" | "origin", string>> = {},
                fn = authorizerFn,
            ) =>
                new RestApi(
                    name,
                    base({
                        apiName: "p-test-trigger",
                        authorizers: { jwt: { type: "token", function: fn } },
                        routes: {
                            "ANY /{proxy+}": {
                                auth: { authorizer: "jwt" },
                                integration: {
                                    type: "vpc-link",
                                    vpcLinkId: change.vpcLink ?? "vl-1",
                                    uri: change.uri ?? "http://nlb-1.internal/{proxy}",
                                },
                            },
                        },
                        cors: { allowOrigins: [change.origin ?? "https://app.example.com"] },
                    }),
                );
            const apis = {
                "trig-base": spec("trig-base"),
                "trig-same": spec("trig-same"),
                "trig-uri": spec("trig-uri", { uri: "http://nlb-2.internal/{proxy}" }),
                "trig-link": spec("trig-link", { vpcLink: "vl-2" }),
                "trig-authz": spec("trig-authz", {}, authFn),
                "trig-origin": spec("trig-origin", { origin: "https://shop.example.com" }),
            };
            const served: Record<string, string> = {};
            for (const [name, api] of Object.entries(apis)) {
                const [parts, trigger] = await settle(pulumi.all([api.servedConfiguration, api.deploymentTrigger]));
                // The trigger is the hash of what is served, and the deployment carries it.
                assert.strictEqual(trigger, createHash("sha256").update(JSON.stringify(parts)).digest("hex"), name);
                assert.deepStrictEqual(one("aws:apigateway/deployment:Deployment", `${name}-deployment`).triggers, {
                    configuration: trigger,
                });
                // Logical names and mock ids carry the component's name: compare as if all were trig-base.
                served[name] = JSON.stringify(parts).split(name).join("trig-base");
            }
            assert.strictEqual(served["trig-same"], served["trig-base"]);
            for (const name of ["trig-uri", "trig-link", "trig-authz", "trig-origin"])
                assert.notStrictEqual(served[name], served["trig-base"], `${name} must change the trigger`);
            const kinds = JSON.parse(served["trig-base"]).map(([kind]: [string]) => kind);
            assert.deepStrictEqual([...new Set(kinds)].sort(), [
                "Authorizer",
                "Integration",
                "IntegrationResponse",
                "Method",
                "MethodResponse",
                "Resource",
                "Response",
            ]);
        });
    });

    describe("UserPool", () => {
        it("reports every bad argument at once, naming the component and field", () => {
            const fn = new LambdaFunction("trigger", fnArgs({ functionName: "p-test-trigger" }));
            assert.throws(
                () =>
                    new UserPool("bad", {
                        poolName: "p",
                        signInWith: "username",
                        passwordPolicy: { minimumLength: 6 },
                        triggers: { defineAuthChallenge: fn },
                        clients: { Web: { authFlows: ["ALLOW_USER_PASSWORD_AUTH" as any], tokenValidityMinutes: 2 } },
                        email: { sesIdentityArn: "arn:aws:sns:sa-east-1:123456789012:topic" },
                        protect: false,
                        tags: TAGS,
                    }),
                {
                    message:
                        "UserPool bad: passwordPolicy.minimumLength must be 8-99 (Cognito's range; 12 or more recommended); got 6; " +
                        "triggers: custom authentication needs defineAuthChallenge, createAuthChallenge and verifyAuthChallengeResponse together; got defineAuthChallenge; " +
                        'email.sesIdentityArn must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<name>); got "arn:aws:sns:sa-east-1:123456789012:topic"; ' +
                        'clients: name "Web" must be 1-63 lower-case letters, digits and -, starting with a letter; ' +
                        "clients.Web.authFlows: ALLOW_USER_PASSWORD_AUTH is not allowed; use ALLOW_CUSTOM_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH (no plain-password flows); " +
                        "clients.Web.tokenValidityMinutes must be 5-1440; got 2",
                },
            );
        });

        it("custom auth by username: admin-created users only, no MFA, triggers granted to this pool only, a public client with exactly the flows asked", async () => {
            const [define, create, verify] = ["define", "create", "verify"].map(
                (t) => new LambdaFunction(`cpf-${t}`, fnArgs({ functionName: `p-test-cpf-${t}` })),
            );
            const pool = new UserPool("cpf", {
                poolName: "p-test-customers",
                signInWith: "username",
                mfa: "OFF",
                triggers: {
                    defineAuthChallenge: define,
                    createAuthChallenge: create,
                    verifyAuthChallengeResponse: verify,
                },
                clients: { app: { authFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"] } },
                protect: true,
                tags: TAGS,
            });
            await settle(pool.userPoolArn);
            const p = one("aws:cognito/userPool:UserPool", "cpf");
            assert.deepStrictEqual(
                [p.usernameAttributes, p.aliasAttributes, p.autoVerifiedAttributes],
                [undefined, undefined, undefined],
            );
            assert.deepStrictEqual(
                [p.userPoolTier, p.mfaConfiguration, p.softwareTokenMfaConfiguration, p.deletionProtection],
                ["ESSENTIALS", "OFF", undefined, "ACTIVE"],
            );
            assert.deepStrictEqual(p.adminCreateUserConfig, { allowAdminCreateUserOnly: true });
            assert.deepStrictEqual(p.accountRecoverySetting, {
                recoveryMechanisms: [{ name: "admin_only", priority: 1 }],
            });
            assert.deepStrictEqual(p.passwordPolicy, {
                minimumLength: 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 1,
            });
            assert.deepStrictEqual(p.userPoolAddOns, { advancedSecurityMode: "OFF" });
            assert.strictEqual(p.emailConfiguration, undefined);
            assert.deepStrictEqual(p.lambdaConfig, {
                createAuthChallenge: "arn:aws:mock:sa-east-1:123456789012:cpf-create",
                defineAuthChallenge: "arn:aws:mock:sa-east-1:123456789012:cpf-define",
                verifyAuthChallengeResponse: "arn:aws:mock:sa-east-1:123456789012:cpf-verify",
            });
            for (const t of ["define", "create", "verify"]) {
                const trigger = {
                    define: "defineAuthChallenge",
                    create: "createAuthChallenge",
                    verify: "verifyAuthChallengeResponse",
                }[t];
                assert.deepStrictEqual(one("aws:lambda/permission:Permission", `cpf-${t}-invoke-cognito-${trigger}`), {
                    function: `p-test-cpf-${t}`,
                    action: "lambda:InvokeFunction",
                    principal: "cognito-idp.amazonaws.com",
                    sourceArn: "arn:aws:mock:sa-east-1:123456789012:cpf",
                    sourceAccount: "123456789012",
                });
            }
            const client = one("aws:cognito/userPoolClient:UserPoolClient", "cpf-app");
            assert.deepStrictEqual(
                [
                    client.generateSecret,
                    client.explicitAuthFlows,
                    client.preventUserExistenceErrors,
                    client.enableTokenRevocation,
                ],
                [false, ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], "ENABLED", true],
            );
            assert.deepStrictEqual(
                [
                    client.accessTokenValidity,
                    client.idTokenValidity,
                    client.refreshTokenValidity,
                    client.tokenValidityUnits,
                ],
                [60, 60, 30, { accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
            );
        });

        it("e-mail sign-in with self sign-up, TOTP MFA, enforced threat protection on the Plus plan and e-mail through SES", async () => {
            const pool = new UserPool("shop", {
                poolName: "p-test-shoppers",
                signInWith: "email",
                selfSignUp: true,
                mfa: "OPTIONAL",
                advancedSecurity: "ENFORCED",
                clients: {
                    web: {
                        authFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                        tokenValidityMinutes: 30,
                        refreshTokenValidityDays: 7,
                    },
                },
                email: {
                    sesIdentityArn: "arn:aws:ses:sa-east-1:123456789012:identity/shop.example.com",
                    fromAddress: "Shop <no-reply@shop.example.com>",
                },
                protect: false,
                tags: TAGS,
            });
            await settle(pool.userPoolArn);
            const p = one("aws:cognito/userPool:UserPool", "shop");
            // Production volume: e-mail through the verified SES identity, not Cognito's capped default sender.
            assert.deepStrictEqual(p.emailConfiguration, {
                emailSendingAccount: "DEVELOPER",
                sourceArn: "arn:aws:ses:sa-east-1:123456789012:identity/shop.example.com",
                fromEmailAddress: "Shop <no-reply@shop.example.com>",
            });
            assert.deepStrictEqual(
                [p.usernameAttributes, p.autoVerifiedAttributes, p.adminCreateUserConfig],
                [["email"], ["email"], { allowAdminCreateUserOnly: false }],
            );
            assert.deepStrictEqual(
                [p.userPoolTier, p.mfaConfiguration, p.softwareTokenMfaConfiguration, p.deletionProtection],
                ["PLUS", "OPTIONAL", { enabled: true }, "INACTIVE"],
            );
            assert.deepStrictEqual(p.userPoolAddOns, {
                advancedSecurityMode: "ENFORCED",
                advancedSecurityAdditionalFlows: { customAuthMode: "ENFORCED" },
            });
            assert.deepStrictEqual(p.accountRecoverySetting, {
                recoveryMechanisms: [{ name: "verified_email", priority: 1 }],
            });
            assert.strictEqual(p.lambdaConfig, undefined);
            const client = one("aws:cognito/userPoolClient:UserPoolClient", "shop-web");
            assert.deepStrictEqual(
                [client.explicitAuthFlows, client.accessTokenValidity, client.refreshTokenValidity],
                [["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"], 30, 7],
            );
        });
    });
});
