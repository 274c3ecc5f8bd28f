/**
 * The coffee-shop resource graph, read from the dev and prod offline plans: API routes and their
 * authorization, the Lambda functions (code, environment, IAM per function, network), DynamoDB,
 * the cache, the event bus and the state machine (its definition validated against the Amazon States
 * Language with asl-validator, and its wiring), the fulfilment queue, Cognito, the site behind
 * CloudFront and WAF, alarms and tags; and the settings' messages.
 */
import { createHash } from "crypto";
import * as assert from "assert";
import aslValidator from "asl-validator";
import { bundleLambda } from "../../apps/lambdas/build";
import { validateConfig, ConfigValidationError } from "../../infra/config/load";
import { coffeeShop, ORDER_BODY_SCHEMA, ORDER_PLACED_PATTERN } from "../../stacks/coffee-shop";
import { orderWorkflowDefinition } from "../../stacks/coffee-shop/workflow";
import { nameOf, Plan, policyDocument, releasedPlan } from "../support/plan";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const ARCH = "platform:architecture:CoffeeShop";
const T = {
    fn: "aws:lambda/function:Function",
    method: "aws:apigateway/method:Method",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    table: "aws:dynamodb/table:Table",
    machine: "aws:sfn/stateMachine:StateMachine",
    kmsKey: "aws:kms/key:Key",
} as const;
const ofArch = (plan: Plan, type?: string) =>
    plan.resources.filter((r) => r.urn.includes(`::${ARCH}`) && (type === undefined || r.type === type));
const inputs = (plan: Plan, type: string, name: string) => plan.one(type, name).inputs as any;
const outputs = (plan: Plan, type: string, name: string) => plan.one(type, name).outputs as any;
const key = (plan: Plan, purpose: string) =>
    plan.ofType(T.kmsKey).find((k) => (k.inputs!.tags as any).Purpose === purpose)!.outputs!.arn as string;
const subnetIds = (plan: Plan, tier: string) =>
    plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs!.tags as any).Tier === tier)
        .map((s) => s.id);
const statements = (plan: Plan, name: string) => policyDocument(inputs(plan, T.rolePolicy, name).policy).Statement;
const sids = (plan: Plan, name: string) => statements(plan, name).map((s: any) => s.Sid);
const viaDynamo = { StringEquals: { "kms:ViaService": "dynamodb.sa-east-1.amazonaws.com" } };

describe("coffee-shop order workflow definition", () => {
    const definition = orderWorkflowDefinition({
        stepsFunctionArn: "arn:aws:lambda:sa-east-1:123456789012:function:steps",
        eventBusName: "bus",
        fulfilmentQueueUrl: "https://sqs.sa-east-1.amazonaws.com/123456789012/fulfilment",
    });

    it("is valid Amazon States Language (asl-validator, with path and ARN checks)", () => {
        const { isValid, errorsText } = aslValidator(definition);
        assert.ok(isValid, errorsText("\n"));
        const broken = {
            ...definition,
            States: { ...(definition.States as object), ChargePayment: { Type: "Task", Next: "Nowhere" } },
        };
        assert.strictEqual(aslValidator(broken).isValid, false, "the validator rejects a task without a resource");
    });

    it("runs validate -> charge -> confirm -> notify -> fulfilment, and every failure to the failure branch", () => {
        const states = definition.States as Record<string, any>;
        const path: string[] = [];
        for (let s: string | undefined = definition.StartAt as string; s; s = states[s].Next) path.push(s);
        assert.deepStrictEqual(path, [
            "ValidateOrder",
            "ChargePayment",
            "ConfirmOrder",
            "NotifyCustomer",
            "StartFulfilment",
            "Done",
        ]);
        const toFailure = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" };
        const notChanged = (errors: string[]) => ({
            ErrorEquals: errors,
            ResultPath: "$.error",
            Next: "OrderNotChanged",
        });
        assert.deepStrictEqual(states.ValidateOrder.Catch, [
            { ErrorEquals: ["OrderNotPending"], ResultPath: "$.error", Next: "AlreadyProcessed" },
            notChanged(["OrderNotFound"]),
            toFailure,
        ]);
        assert.deepStrictEqual(states.ChargePayment.Catch, [toFailure]);
        assert.deepStrictEqual(states.ConfirmOrder.Catch, [
            notChanged(["OrderNotFound", "OrderStateConflict"]),
            toFailure,
        ]);
        assert.deepStrictEqual(states.MarkFailed.Catch, [notChanged(["OrderNotFound", "OrderStateConflict"])]);
        assert.deepStrictEqual(
            [states.MarkFailed.Next, states.NotifyFailure.Next, states.OrderFailed.Type],
            ["NotifyFailure", "OrderFailed", "Fail"],
        );
        assert.deepStrictEqual(
            [states.AlreadyProcessed.Type, states.OrderNotChanged.Type, states.OrderNotChanged.Error],
            ["Succeed", "Fail", "OrderNotChanged"],
        );
        // Retries: exponential backoff with jitter, transient errors only (never PaymentDeclined or OrderInvalid).
        for (const s of [
            "ValidateOrder",
            "ChargePayment",
            "ConfirmOrder",
            "NotifyCustomer",
            "StartFulfilment",
            "MarkFailed",
            "NotifyFailure",
        ]) {
            const [r] = states[s].Retry;
            assert.deepStrictEqual(
                [r.IntervalSeconds, r.BackoffRate, r.JitterStrategy, r.MaxDelaySeconds],
                [2, 2, "FULL", 30],
                s,
            );
            assert.ok(
                !r.ErrorEquals.some((e: string) =>
                    ["States.ALL", "PaymentDeclined", "OrderInvalid", "States.TaskFailed"].includes(e),
                ),
                s,
            );
        }
        // Every status change is the order-steps function's conditional write (a direct DynamoDB
        // UpdateItem without a condition turned CONFIRMED orders FAILED and created missing ones).
        assert.deepStrictEqual(
            Object.keys(states).filter((s) => String(states[s].Resource).includes("dynamodb")),
            [],
        );
        assert.deepStrictEqual(
            [states.ConfirmOrder.Resource, states.ConfirmOrder.Parameters, states.ConfirmOrder.ResultPath],
            [
                "arn:aws:states:::lambda:invoke",
                {
                    FunctionName: "arn:aws:lambda:sa-east-1:123456789012:function:steps",
                    Payload: {
                        action: "confirm",
                        "orderId.$": "$.detail.orderId",
                        "customerId.$": "$.detail.customerId",
                        "paymentId.$": "$.payment.result.paymentId",
                    },
                },
                "$.confirmed",
            ],
        );
        assert.deepStrictEqual(
            [states.MarkFailed.Resource, states.MarkFailed.Parameters.Payload],
            [
                "arn:aws:states:::lambda:invoke",
                {
                    action: "fail",
                    "orderId.$": "$.detail.orderId",
                    "customerId.$": "$.detail.customerId",
                    "reason.$": "$.error.Error",
                },
            ],
        );
        assert.deepStrictEqual(
            [states.StartFulfilment.Resource, states.StartFulfilment.Parameters.QueueUrl],
            ["arn:aws:states:::sqs:sendMessage", "https://sqs.sa-east-1.amazonaws.com/123456789012/fulfilment"],
        );
        assert.deepStrictEqual(states.NotifyCustomer.Parameters.Entries[0].DetailType, "OrderConfirmed");
    });
});

for (const stack of ["dev", "prod"] as const) {
    describe(`coffee-shop (${stack} plan)`, () => {
        let plan: Plan;
        before(function () {
            this.timeout(600_000);
            plan = releasedPlan(stack);
        });

        it("keeps the catalogue public and every order route behind the Cognito authorizer, validating the order body", () => {
            const methods = ofArch(plan, T.method)
                .map((m) => [nameOf(m), (m.inputs as any).authorization])
                .sort();
            assert.deepStrictEqual(methods, [
                ["coffee-shop-api-get-orders", "COGNITO_USER_POOLS"],
                ["coffee-shop-api-get-orders-orderId", "COGNITO_USER_POOLS"],
                ["coffee-shop-api-get-products", "NONE"],
                ["coffee-shop-api-get-products-productId", "NONE"],
                ["coffee-shop-api-options-orders", "NONE"],
                ["coffee-shop-api-options-orders-orderId", "NONE"],
                ["coffee-shop-api-options-products", "NONE"],
                ["coffee-shop-api-options-products-productId", "NONE"],
                ["coffee-shop-api-post-orders", "COGNITO_USER_POOLS"],
            ]);
            const authorizer = inputs(plan, "aws:apigateway/authorizer:Authorizer", "coffee-shop-api-customers");
            assert.deepStrictEqual(
                [authorizer.type, authorizer.providerArns],
                ["COGNITO_USER_POOLS", [outputs(plan, "aws:cognito/userPool:UserPool", "coffee-shop-users").arn]],
            );
            assert.deepStrictEqual(
                JSON.parse(inputs(plan, "aws:apigateway/model:Model", "coffee-shop-api-post-orders-body").schema),
                { $schema: "http://json-schema.org/draft-04/schema#", ...ORDER_BODY_SCHEMA },
            );
            assert.deepStrictEqual(inputs(plan, T.method, "coffee-shop-api-get-products").requestParameters, {
                "method.request.querystring.category": true,
            });
            const site = `https://shop.${stack === "dev" ? "dev." : ""}example.com`;
            assert.strictEqual(
                inputs(plan, "aws:apigateway/integrationResponse:IntegrationResponse", "coffee-shop-api-options-orders")
                    .responseParameters["method.response.header.Access-Control-Allow-Origin"],
                `'${site}'`,
            );
            const stage = inputs(plan, "aws:apigateway/stage:Stage", "coffee-shop-api-stage");
            assert.deepStrictEqual(
                [stage.xrayTracingEnabled, stage.accessLogSettings.destinationArn],
                [true, outputs(plan, "aws:cloudwatch/logGroup:LogGroup", "coffee-shop-api-access-logs").arn],
            );
            assert.deepStrictEqual(
                inputs(plan, "aws:apigateway/methodSettings:MethodSettings", "coffee-shop-api-settings").settings,
                {
                    metricsEnabled: true,
                    loggingLevel: "ERROR",
                    dataTraceEnabled: false,
                    throttlingRateLimit: 100,
                    throttlingBurstLimit: 200,
                    cachingEnabled: false,
                },
            );
            assert.strictEqual(
                inputs(plan, "aws:wafv2/webAclAssociation:WebAclAssociation", "coffee-shop-api-waf-api").webAclArn,
                outputs(plan, "aws:wafv2/webAcl:WebAcl", "coffee-shop-api-waf").arn,
            );
        });

        it("runs the three functions from this repository's bundles in the private subnets, traced, with a role each", () => {
            const fns = ofArch(plan, T.fn);
            assert.deepStrictEqual(fns.map(nameOf).sort(), [
                "coffee-shop-order-steps",
                "coffee-shop-orders",
                "coffee-shop-products",
            ]);
            for (const f of ["products", "orders", "order-steps"] as const) {
                const i = inputs(plan, T.fn, `coffee-shop-${f}`);
                assert.deepStrictEqual(
                    [i.name, i.runtime, i.tracingConfig, i.vpcConfig.subnetIds],
                    [
                        `platform-${stack}-coffee-shop-${f}`,
                        "nodejs22.x",
                        { mode: "Active" },
                        subnetIds(plan, "private"),
                    ],
                );
                assert.strictEqual(
                    i.code.assets["index.js"].hash,
                    sha256(bundleLambda(f).files["index.js"]),
                    "the plan keeps the bundle's SHA-256",
                );
            }
            assert.strictEqual(new Set(fns.map((f) => (f.inputs as any).role)).size, 3);
            const env = (f: string) => inputs(plan, T.fn, `coffee-shop-${f}`).environment.variables;
            const tables = {
                products: plan.one(T.table, "coffee-shop-products").id,
                orders: plan.one(T.table, "coffee-shop-orders").id,
            };
            const cache = outputs(plan, "aws:elasticache/replicationGroup:ReplicationGroup", "coffee-shop-cache");
            const cacheSecret = outputs(plan, "aws:secretsmanager/secret:Secret", "coffee-shop-cache-auth").arn;
            assert.deepStrictEqual(env("products"), {
                ALLOWED_ORIGIN: `https://shop.${stack === "dev" ? "dev." : ""}example.com`,
                CACHE_HOST: cache.primaryEndpointAddress,
                CACHE_PORT: "6379",
                CACHE_SECRET_ARN: cacheSecret,
                CACHE_TTL_SECONDS: "300",
                PRODUCTS_TABLE: tables.products,
            });
            assert.deepStrictEqual(
                [env("orders").ORDERS_TABLE, env("orders").PRODUCTS_TABLE, env("orders").EVENT_BUS_NAME],
                [
                    tables.orders,
                    tables.products,
                    outputs(plan, "aws:cloudwatch/eventBus:EventBus", "coffee-shop-events").name,
                ],
            );
            assert.deepStrictEqual(env("order-steps"), { ORDERS_TABLE: tables.orders, PAYMENT_LIMIT_CENTS: "50000" });
        });

        it("scopes each function to its tables, keys, secret and bus", () => {
            const products = outputs(plan, T.table, "coffee-shop-products").arn;
            const orders = outputs(plan, T.table, "coffee-shop-orders").arn;
            const base = ["WriteItsLogs", "SendTraces", "ManageItsNetworkInterfaces"];
            assert.deepStrictEqual(sids(plan, "coffee-shop-products-policy"), [
                ...base,
                "ReadProductsItems",
                "ReadProductsKey",
                "ReadTheCacheToken",
                "DecryptTheCacheToken",
            ]);
            assert.deepStrictEqual(statements(plan, "coffee-shop-products-policy")[3], {
                Sid: "ReadProductsItems",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
                Resource: [products, `${products}/index/*`],
            });
            assert.deepStrictEqual(statements(plan, "coffee-shop-products-policy")[4], {
                Sid: "ReadProductsKey",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: key(plan, "data"),
                Condition: viaDynamo,
            });
            assert.deepStrictEqual(
                statements(plan, "coffee-shop-products-policy")[5].Resource,
                outputs(plan, "aws:secretsmanager/secret:Secret", "coffee-shop-cache-auth").arn,
            );
            const ordersPolicy = statements(plan, "coffee-shop-orders-policy");
            assert.deepStrictEqual(
                ordersPolicy.map((s: any) => s.Sid),
                [
                    ...base,
                    "ReadPrices",
                    "ReadPricesKey",
                    "ReadOrdersItems",
                    "ReadOrdersKey",
                    "WriteOrdersItems",
                    "WriteOrdersKey",
                    "PublishOrderPlaced",
                ],
            );
            assert.deepStrictEqual(ordersPolicy[3].Resource, products);
            assert.deepStrictEqual(
                [ordersPolicy[7].Action, ordersPolicy[7].Resource],
                [["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"], orders],
            );
            assert.deepStrictEqual(ordersPolicy[9], {
                Sid: "PublishOrderPlaced",
                Effect: "Allow",
                Action: "events:PutEvents",
                Resource: outputs(plan, "aws:cloudwatch/eventBus:EventBus", "coffee-shop-events").arn,
                Condition: { StringEquals: { "events:source": "coffee-shop.orders" } },
            });
            assert.deepStrictEqual(sids(plan, "coffee-shop-order-steps-policy"), [
                ...base,
                "ReadOrdersItems",
                "ReadOrdersKey",
                "UpdateOrderStatus",
                "UpdateOrderStatusKey",
            ]);
            const stepsPolicy = statements(plan, "coffee-shop-order-steps-policy");
            assert.deepStrictEqual(stepsPolicy.slice(-2), [
                { Sid: "UpdateOrderStatus", Effect: "Allow", Action: "dynamodb:UpdateItem", Resource: orders },
                {
                    Sid: "UpdateOrderStatusKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
                    Resource: key(plan, "data"),
                    Condition: viaDynamo,
                },
            ]);
        });

        it("lets only the products function reach the cache; functions reach AWS APIs over HTTPS", () => {
            const sg = (n: string) => plan.one("aws:ec2/securityGroup:SecurityGroup", n).id;
            const rules = ofArch(plan)
                .filter((r) => r.type.startsWith("aws:vpc/securityGroup"))
                .map((r) => {
                    const i = r.inputs as any;
                    return `${nameOf(r)} ${i.fromPort} ${i.cidrIpv4 ?? (i.referencedSecurityGroupId === sg("coffee-shop-cache-sg") ? "cache" : i.referencedSecurityGroupId === sg("coffee-shop-products-sg") ? "products" : "?")}`;
                })
                .sort();
            assert.deepStrictEqual(rules, [
                "coffee-shop-cache-in-products 6379 products",
                "coffee-shop-order-steps-out-aws-apis 443 0.0.0.0/0",
                "coffee-shop-orders-out-aws-apis 443 0.0.0.0/0",
                "coffee-shop-products-out-aws-apis 443 0.0.0.0/0",
                "coffee-shop-products-out-cache 6379 cache",
            ]);
            const cache = inputs(plan, "aws:elasticache/replicationGroup:ReplicationGroup", "coffee-shop-cache");
            assert.deepStrictEqual(
                [cache.atRestEncryptionEnabled, cache.transitEncryptionEnabled, cache.kmsKeyId],
                [true, true, key(plan, "data")],
            );
            assert.deepStrictEqual(
                [cache.automaticFailoverEnabled, cache.multiAzEnabled, cache.numCacheClusters],
                stack === "prod" ? [true, true, 2] : [false, false, 1],
            );
        });

        it("encrypts both tables with the data key, with point-in-time recovery and deletion protection from platform:protect", () => {
            for (const t of ["coffee-shop-products", "coffee-shop-orders"]) {
                const i = inputs(plan, T.table, t);
                assert.deepStrictEqual(
                    [i.billingMode, i.serverSideEncryption, i.pointInTimeRecovery, i.deletionProtectionEnabled],
                    [
                        "PAY_PER_REQUEST",
                        { enabled: true, kmsKeyArn: key(plan, "data") },
                        { enabled: true },
                        stack === "prod",
                    ],
                    t,
                );
                assert.strictEqual(plan.one(T.table, t).protect ?? false, stack === "prod");
            }
            assert.deepStrictEqual(
                [
                    inputs(plan, T.table, "coffee-shop-orders").hashKey,
                    inputs(plan, T.table, "coffee-shop-orders").rangeKey,
                ],
                ["customerId", "orderId"],
            );
            assert.deepStrictEqual(inputs(plan, T.table, "coffee-shop-products").globalSecondaryIndexes, [
                {
                    name: "by-category",
                    hashKey: "category",
                    rangeKey: "name",
                    projectionType: "INCLUDE",
                    nonKeyAttributes: ["available", "currency", "description", "imageKey", "priceCents"],
                },
            ]);
        });

        it("starts the workflow on OrderPlaced from the bus, logs ALL without payloads, traces, and hands fulfilment to the queue", () => {
            const machine = inputs(plan, T.machine, "coffee-shop-order-workflow");
            const log = outputs(plan, "aws:cloudwatch/logGroup:LogGroup", "coffee-shop-order-workflow-logs").arn;
            assert.deepStrictEqual(
                [machine.type, machine.loggingConfiguration, machine.tracingConfiguration],
                [
                    "STANDARD",
                    { level: "ALL", includeExecutionData: false, logDestination: `${log}:*` },
                    { enabled: true },
                ],
            );
            const definition = JSON.parse(machine.definition);
            assert.ok(aslValidator(definition).isValid, aslValidator(definition).errorsText("\n"));
            assert.deepStrictEqual(
                definition.States.ValidateOrder.Parameters.FunctionName,
                outputs(plan, T.fn, "coffee-shop-order-steps").arn,
            );
            assert.deepStrictEqual(
                definition.States.StartFulfilment.Parameters.QueueUrl,
                outputs(plan, "aws:sqs/queue:Queue", "coffee-shop-fulfilment").url,
            );
            assert.deepStrictEqual(
                [definition.States.ConfirmOrder, definition.States.MarkFailed].map((s) => s.Parameters.FunctionName),
                [
                    outputs(plan, T.fn, "coffee-shop-order-steps").arn,
                    outputs(plan, T.fn, "coffee-shop-order-steps").arn,
                ],
            );
            const rule = inputs(plan, "aws:cloudwatch/eventRule:EventRule", "coffee-shop-events-order-placed");
            assert.deepStrictEqual(
                [JSON.parse(rule.eventPattern), rule.eventBusName],
                [ORDER_PLACED_PATTERN, outputs(plan, "aws:cloudwatch/eventBus:EventBus", "coffee-shop-events").name],
            );
            const target = inputs(plan, "aws:cloudwatch/eventTarget:EventTarget", "coffee-shop-events-order-placed");
            assert.deepStrictEqual(
                [target.arn, target.retryPolicy],
                [
                    outputs(plan, T.machine, "coffee-shop-order-workflow").arn,
                    { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 8 },
                ],
            );
            assert.deepStrictEqual(statements(plan, "coffee-shop-events-order-placed-role"), [
                {
                    Sid: "StartItsStateMachine",
                    Effect: "Allow",
                    Action: "states:StartExecution",
                    Resource: outputs(plan, T.machine, "coffee-shop-order-workflow").arn,
                },
            ]);
            const workflow = statements(plan, "coffee-shop-order-workflow-policy");
            assert.deepStrictEqual(
                workflow.map((s: any) => s.Sid),
                [
                    "InvokeOrderSteps",
                    "PublishOrderOutcome",
                    "HandOverToFulfilmentSend",
                    "HandOverToFulfilmentEncrypt",
                    "DeliverExecutionLogs",
                    "SendTraces",
                ],
            );
            const steps = outputs(plan, T.fn, "coffee-shop-order-steps").arn;
            assert.deepStrictEqual(workflow[0].Resource, [steps, `${steps}:*`]);
            const bus = inputs(plan, "aws:cloudwatch/eventBus:EventBus", "coffee-shop-events");
            assert.strictEqual(bus.kmsKeyIdentifier, key(plan, "messaging"));
            const queue = inputs(plan, "aws:sqs/queue:Queue", "coffee-shop-fulfilment");
            assert.deepStrictEqual(
                [queue.kmsMasterKeyId, JSON.parse(queue.redrivePolicy).deadLetterTargetArn],
                [key(plan, "messaging"), outputs(plan, "aws:sqs/queue:Queue", "coffee-shop-fulfilment-dlq").arn],
            );
        });

        it("signs customers in by e-mail with a strong password policy, TOTP MFA and threat protection per environment", () => {
            const p = inputs(plan, "aws:cognito/userPool:UserPool", "coffee-shop-users");
            assert.deepStrictEqual(
                [p.usernameAttributes, p.mfaConfiguration, p.softwareTokenMfaConfiguration, p.adminCreateUserConfig],
                [["email"], "OPTIONAL", { enabled: true }, { allowAdminCreateUserOnly: false }],
            );
            assert.deepStrictEqual(p.passwordPolicy, {
                minimumLength: 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 1,
            });
            assert.deepStrictEqual(
                [p.userPoolAddOns.advancedSecurityMode, p.userPoolTier],
                stack === "prod" ? ["ENFORCED", "PLUS"] : ["OFF", "ESSENTIALS"],
            );
            const c = inputs(plan, "aws:cognito/userPoolClient:UserPoolClient", "coffee-shop-users-web");
            assert.deepStrictEqual(
                [c.generateSecret, c.explicitAuthFlows],
                [false, ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]],
            );
        });

        it("serves the site from a private bucket through CloudFront with origin access control, TLS 1.2 and a CLOUDFRONT WAF", () => {
            const d = inputs(plan, "aws:cloudfront/distribution:Distribution", "coffee-shop-cdn");
            assert.deepStrictEqual(
                [
                    d.aliases,
                    d.viewerCertificate.minimumProtocolVersion,
                    d.defaultCacheBehavior.viewerProtocolPolicy,
                    d.defaultRootObject,
                ],
                [
                    [`shop.${stack === "dev" ? "dev." : ""}example.com`],
                    "TLSv1.2_2021",
                    "redirect-to-https",
                    "index.html",
                ],
            );
            assert.strictEqual(d.webAclId, outputs(plan, "aws:wafv2/webAcl:WebAcl", "coffee-shop-cdn-waf").arn);
            assert.strictEqual(
                d.origins[0].originAccessControlId,
                plan.one("aws:cloudfront/originAccessControl:OriginAccessControl", "coffee-shop-cdn-oac").id,
            );
            assert.deepStrictEqual(
                inputs(
                    plan,
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "coffee-shop-site-public-access",
                ),
                {
                    bucket: plan.one("aws:s3/bucket:Bucket", "coffee-shop-site").id,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
            );
            assert.strictEqual(inputs(plan, "aws:wafv2/webAcl:WebAcl", "coffee-shop-cdn-waf").scope, "CLOUDFRONT");
        });

        it("alarms to the foundation topic and tags everything with Architecture coffee-shop", () => {
            const topic = plan.ofType("aws:sns/topic:Topic").find((t) => t.urn.includes("foundation"))!.outputs!.arn;
            const alarms = ofArch(plan, "aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepStrictEqual(alarms.map((a) => [nameOf(a), (a.inputs as any).metricName]).sort(), [
                ["coffee-shop-alarms-api-5xx", "5XXError"],
                // one per cache node (member cluster), where ElastiCache publishes them
                ...(stack === "prod"
                    ? [
                          ["coffee-shop-alarms-cache-cpu-001", "EngineCPUUtilization"],
                          ["coffee-shop-alarms-cache-cpu-002", "EngineCPUUtilization"],
                          ["coffee-shop-alarms-cache-memory-001", "DatabaseMemoryUsagePercentage"],
                          ["coffee-shop-alarms-cache-memory-002", "DatabaseMemoryUsagePercentage"],
                      ]
                    : [
                          ["coffee-shop-alarms-cache-cpu-001", "EngineCPUUtilization"],
                          ["coffee-shop-alarms-cache-memory-001", "DatabaseMemoryUsagePercentage"],
                      ]),
                ["coffee-shop-alarms-fulfilment-age", "ApproximateAgeOfOldestMessage"],
                ["coffee-shop-alarms-fulfilment-dlq", "ApproximateNumberOfMessagesVisible"],
                ["coffee-shop-alarms-orders-errors", "Errors"],
                ["coffee-shop-alarms-workflow-failed", "ExecutionsFailed"],
            ]);
            for (const a of alarms) assert.deepStrictEqual((a.inputs as any).alarmActions, [topic], nameOf(a));
            const group = plan.one("aws:elasticache/replicationGroup:ReplicationGroup", "coffee-shop-cache").id;
            assert.deepStrictEqual(
                alarms
                    .filter((a) => nameOf(a).includes("-cache-"))
                    .map((a) => [nameOf(a).slice(-3), (a.inputs as any).dimensions])
                    .sort(([a], [b]) => String(a).localeCompare(String(b))),
                (stack === "prod" ? ["001", "001", "002", "002"] : ["001", "001"]).map((n) => [
                    n,
                    { CacheClusterId: `${group}-${n}` },
                ]),
            );
            const tagged = ofArch(plan).filter(
                (r) => r.custom && r.type.startsWith("aws:") && (r.inputs as any).tags !== undefined,
            );
            assert.ok(tagged.length > 50, `${tagged.length}`);
            for (const r of tagged) assert.strictEqual((r.inputs as any).tags.Architecture, "coffee-shop", nameOf(r));
            const o = plan.outputs.architectures["coffee-shop"];
            assert.deepStrictEqual(
                [o.siteUrl, o.stateMachineArn],
                [
                    `https://shop.${stack === "dev" ? "dev." : ""}example.com`,
                    outputs(plan, T.machine, "coffee-shop-order-workflow").arn,
                ],
            );
        });
    });
}

describe("platform:coffee-shop settings", () => {
    const base = {
        "aws:region": "sa-east-1",
        "platform:environment": "dev",
        "platform:vpcCidr": "10.10.0.0/16",
        "platform:azCount": "2",
        "platform:natGateways": "single",
        "platform:logRetentionDays": "30",
        "platform:protect": "false",
        "platform:architectures": '["coffee-shop"]',
        "platform:releases": '{"coffee-shop-lambdas":"1.0.0"}',
    };
    const validate = (settings: unknown) =>
        validateConfig(
            {
                project: "platform",
                stack: "dev",
                values: { ...base, "platform:coffee-shop": JSON.stringify(settings) },
            },
            { "coffee-shop": coffeeShop },
        );
    const problems = (settings: unknown) => {
        try {
            validate(settings);
        } catch (err) {
            assert.ok(err instanceof ConfigValidationError, String(err));
            return err.problems;
        }
        assert.fail("accepted");
    };

    it("applies the defaults", () => {
        const s = validate({ domain: { name: "shop.example.com" } }).settings["coffee-shop"] as any;
        assert.deepStrictEqual(
            [s.api, s.cognito, s.cache, s.payment],
            [
                { stageName: "v1", rateLimit: 100, burstLimit: 200 },
                { mfa: "OPTIONAL", advancedSecurity: "OFF", passwordMinimumLength: 12 },
                { nodeType: "cache.t4g.micro", replicas: 0, multiAz: false, ttlSeconds: 300 },
                { limitCents: 50000 },
            ],
        );
    });

    it("names every bad value with its full key, all at once", () => {
        assert.deepStrictEqual(
            problems({ cognito: { mfa: "OFF", passwordMinimumLength: 8 }, cache: { multiAz: true } }),
            [
                "platform:coffee-shop.domain: required: { name: the shop's DNS name such as shop.example.com, hostedZoneId?: its Route 53 zone, certificateStatus?: pending or issued }",
                'platform:coffee-shop.cognito.mfa: must be OPTIONAL or ON (TOTP); got "OFF"',
                "platform:coffee-shop.cognito.passwordMinimumLength: must be characters of the shortest password (an integer from 12 to 99); got 8",
                "platform:coffee-shop.cache.replicas: must be at least 1 when multiAz is true (failover needs a replica); got 0",
            ],
        );
    });
});
