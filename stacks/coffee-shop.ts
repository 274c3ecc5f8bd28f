/**
 * coffee-shop (seed 001): a serverless coffee e-shop. See docs/coffee-shop.md.
 *
 * - Frontend: the static site in a private S3 bucket served by CloudFront (origin access control,
 *   TLS 1.2 with the domain's ACM certificate, standard logs) behind a CLOUDFRONT-scope AWS WAF.
 * - API: API Gateway REST API (regional, AWS WAF, throttling, access logs, X-Ray, request validation):
 *   the catalogue is public (`GET /products`, `GET /products/{productId}`), orders need a Cognito user
 *   pool token (`POST /orders`, `GET /orders`, `GET /orders/{orderId}`); CORS for the site's origin.
 * - Lambda functions in the private subnets, each with its own role: `products` (DynamoDB products
 *   table, Redis cache-aside), `orders` (orders table, prices from the products table, `OrderPlaced`
 *   on the event bus), `order-steps` (the workflow's validate, charge, confirm and fail steps; every status
 *   change a conditional UpdateItem, idempotent under replays).
 * - EventBridge bus (KMS, archive) -> rule on `OrderPlaced` -> Step Functions (validate -> charge ->
 *   confirm -> notify, retries with backoff, failure branch; logs ALL, X-Ray) -> SQS fulfilment queue
 *   with a DLQ.
 * - Data: DynamoDB tables `products` and `orders` (the data key, point-in-time recovery, deletion
 *   protection from `platform:protect`); ElastiCache Redis for the catalogue (TLS, AUTH, encrypted).
 * - Identity: Cognito user pool (e-mail sign-in, self sign-up, strong passwords, TOTP MFA, threat
 *   protection from config) and the web app's public client (SRP and refresh only).
 * - Alarms to the foundation topic: API 5xx, order function errors, failed workflow executions,
 *   fulfilment queue age and DLQ depth, cache CPU and memory.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { bundleLambda, LAMBDAS, LambdaName } from "../apps/lambdas/build";
import type { IamStatement } from "../infra/compute/fargate-service";
import { certificateStatusSetting } from "../infra/config/component-settings";
import { got, integerIn, logRetentionDays, textMatching } from "../infra/config/schema-helpers";
import { DynamoDbTable } from "../infra/data/dynamodb-table";
import { RedisCache } from "../infra/data/redis-cache";
import { CdnDistribution } from "../infra/edge/cdn-distribution";
import { DnsCertificate, DNS_NAME } from "../infra/edge/dns-certificate";
import { WebAcl } from "../infra/edge/web-acl";
import { UserPool } from "../infra/identity/user-pool";
import { QueueWithDlq } from "../infra/messaging/queue";
import { AlarmSet, AlarmSpec, cacheAlarms, dlqDepthAlarm, queueAgeAlarm } from "../infra/observability/alarms";
import { EventBus } from "../infra/serverless/event-bus";
import { LambdaFunction } from "../infra/serverless/lambda-function";
import { RestApi } from "../infra/serverless/rest-api";
import { StateMachine } from "../infra/serverless/state-machine";
import { PrivateBucket } from "../infra/storage/private-bucket";
import { logGroupName, physicalName } from "../infra/shared/naming";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { orderWorkflowDefinition, WORKFLOW_EVENT_SOURCE } from "./coffee-shop/workflow";

export const NAME = "coffee-shop";
/** Workloads in `platform:releases`: the version label of the Lambda bundles built here. */
export const WORKLOADS = { lambdas: "coffee-shop-lambdas" } as const;
/** Name of the products table's category index (apps/lambdas/products). */
export const CATEGORY_INDEX = "by-category";
/** The event that starts the order workflow. */
export const ORDER_PLACED_PATTERN = { source: [WORKFLOW_EVENT_SOURCE], "detail-type": ["OrderPlaced"] };

/** Body `POST /orders` accepts (API Gateway answers 400 for anything else before the function runs). */
export const ORDER_BODY_SCHEMA = {
    title: "PlaceOrder",
    type: "object",
    required: ["items"],
    additionalProperties: false,
    properties: {
        items: {
            type: "array",
            minItems: 1,
            maxItems: 20,
            items: {
                type: "object",
                required: ["productId", "quantity"],
                additionalProperties: false,
                properties: {
                    productId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
                    quantity: { type: "integer", minimum: 1, maximum: 20 },
                },
            },
        },
    },
} as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:coffee-shop
// ------------------------------------------------------------------------------------------------

export const settingsSchema = z.strictObject({
    /** Retention of this architecture's log groups; default the stack's platform:logRetentionDays. */
    logRetentionDays: logRetentionDays().optional(),
    /** The site's DNS name (CloudFront serves it with an ACM certificate, TLS 1.2 minimum); the Route 53 zone is optional. */
    domain: z.strictObject(
        {
            name: z
                .string({
                    error: (i) =>
                        i.input === undefined
                            ? "required: the DNS name of the shop, e.g. shop.example.com"
                            : `must be a DNS name; ${got(i.input)}`,
                })
                .regex(DNS_NAME, {
                    error: (i) =>
                        `must be a lower-case DNS name such as shop.example.com (no wildcard, no trailing dot); ${got(i.input)}`,
                }),
            hostedZoneId: textMatching(
                /^Z[A-Z0-9]{1,31}$/,
                "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
            ).optional(),
            certificateStatus: certificateStatusSetting(),
        },
        {
            error: (i) =>
                i.input === undefined
                    ? "required: { name: the shop's DNS name such as shop.example.com, hostedZoneId?: its Route 53 zone, certificateStatus?: pending or issued }"
                    : `must be an object { name, hostedZoneId?, certificateStatus? }; ${got(i.input)}`,
        },
    ),
    api: z
        .strictObject({
            stageName: textMatching(/^[A-Za-z0-9_-]{1,64}$/, "a stage name (letters, digits, - and _)").default("v1"),
            rateLimit: integerIn(1, 10000, "steady-state requests per second for the whole stage").default(100),
            burstLimit: integerIn(1, 5000, "the stage's burst in requests").default(200),
        })
        .prefault({}),
    waf: z
        .strictObject({
            siteRateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes to the site").default(
                2000,
            ),
            apiRateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes to the API").default(1000),
        })
        .prefault({}),
    cognito: z
        .strictObject({
            mfa: z
                .enum(["OPTIONAL", "ON"], { error: (i) => `must be OPTIONAL or ON (TOTP); ${got(i.input)}` })
                .default("OPTIONAL"),
            advancedSecurity: z
                .enum(["OFF", "AUDIT", "ENFORCED"], {
                    error: (i) =>
                        `must be OFF, AUDIT or ENFORCED (threat protection; anything but OFF needs the Plus plan); ${got(i.input)}`,
                })
                .default("OFF"),
            passwordMinimumLength: integerIn(12, 99, "characters of the shortest password").default(12),
        })
        .prefault({}),
    cache: z
        .strictObject({
            nodeType: textMatching(
                /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
                "an ElastiCache node type such as cache.t4g.micro",
            ).default("cache.t4g.micro"),
            replicas: integerIn(0, 5, "read replicas besides the primary").default(0),
            multiAz: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }).default(false),
            ttlSeconds: integerIn(1, 86400, "seconds a catalogue entry stays cached").default(300),
        })
        .prefault({})
        .superRefine((c, ctx) => {
            if (c.multiAz && c.replicas < 1)
                ctx.addIssue({
                    code: "custom",
                    path: ["replicas"],
                    message: `must be at least 1 when multiAz is true (failover needs a replica); got ${c.replicas}`,
                });
        }),
    payment: z
        .strictObject({
            limitCents: integerIn(
                1,
                100_000_000,
                "the largest order total, in cents, the simulated gateway approves",
            ).default(50_000),
        })
        .prefault({}),
    alarms: z
        .strictObject({
            api5xxPerMinute: integerIn(1, 100000, "API 5xx responses per minute that alarm").default(5),
            fulfilmentAgeSeconds: integerIn(
                60,
                1209600,
                "age in seconds of the oldest fulfilment message that alarms",
            ).default(900),
        })
        .prefault({}),
});

export type CoffeeShopSettings = z.infer<typeof settingsSchema>;

// ------------------------------------------------------------------------------------------------
// The architecture
// ------------------------------------------------------------------------------------------------

export class CoffeeShop extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<CoffeeShopSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:CoffeeShop", name, {}, opts);
        const { config, settings: s, foundation, tags, scope } = ctx;
        const child = { parent: this };
        const account = foundation.account;
        const network = foundation.network;
        const keys = foundation.keys.keyArns;
        const protect = config.profile.protect;
        const retention = s.logRetentionDays ?? config.profile.logRetentionDays;
        const logs = { kmsKeyArn: keys.logs, retentionInDays: retention };
        const siteUrl = `https://${s.domain.name}`;

        // ------------------------------------------------------------ data
        const products = new DynamoDbTable(
            `${name}-products`,
            {
                hashKey: { name: "productId", type: "S" },
                indexes: {
                    [CATEGORY_INDEX]: {
                        hashKey: { name: "category", type: "S" },
                        rangeKey: { name: "name", type: "S" },
                        projectedAttributes: ["description", "priceCents", "currency", "available", "imageKey"],
                    },
                },
                kmsKeyArn: keys.data,
                protect,
                region: config.region,
                tags,
            },
            child,
        );
        const orders = new DynamoDbTable(
            `${name}-orders`,
            {
                hashKey: { name: "customerId", type: "S" },
                rangeKey: { name: "orderId", type: "S" },
                kmsKeyArn: keys.data,
                protect,
                region: config.region,
                tags,
            },
            child,
        );
        const cache = new RedisCache(
            `${name}-cache`,
            {
                nodeType: s.cache.nodeType,
                replicas: s.cache.replicas,
                multiAz: s.cache.multiAz,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.isolated,
                dataKmsKeyArn: keys.data,
                secretsKmsKeyArn: keys.secrets,
                logs: {
                    groupNamePrefix: logGroupName(scope, "cache"),
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
                protect,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ events and fulfilment
        const bus = new EventBus(
            `${name}-events`,
            { busName: physicalName(scope, "orders", 256), kmsKeyArn: keys.messaging, ...account, tags },
            child,
        );
        const fulfilment = new QueueWithDlq(
            `${name}-fulfilment`,
            { region: config.region, kmsKeyArn: keys.messaging, visibilityTimeoutSeconds: 300, tags },
            child,
        );

        // ------------------------------------------------------------ functions
        const lambdaRelease = config.releases[WORKLOADS.lambdas];
        const awsApis = {
            port: 443,
            cidrIpv4: "0.0.0.0/0",
            description:
                "HTTPS to AWS APIs (DynamoDB, EventBridge, Secrets Manager, X-Ray) through the gateway endpoint or the NAT gateway",
        };
        const lambda = (
            fn: LambdaName,
            environment: Record<string, pulumi.Input<string>>,
            policyStatements: IamStatement[],
            timeoutSeconds = 10,
        ) => {
            const spec = LAMBDAS[fn];
            return new LambdaFunction(
                `${name}-${fn}`,
                {
                    functionName: physicalName(scope, fn, 64),
                    description: `${spec.description} (release ${lambdaRelease})`,
                    code: bundleLambda(fn),
                    handler: spec.handler,
                    runtime: spec.runtime,
                    timeoutSeconds,
                    environment,
                    policyStatements,
                    logs,
                    vpc: { vpcId: network.vpcId, subnetIds: network.subnetIds.private },
                    egress: { "aws-apis": awsApis },
                    ...account,
                    tags: { ...tags, Release: lambdaRelease },
                },
                child,
            );
        };
        const productsFn = lambda(
            "products",
            {
                PRODUCTS_TABLE: products.tableName,
                CACHE_HOST: cache.primaryEndpoint,
                CACHE_PORT: String(cache.port),
                CACHE_SECRET_ARN: cache.authSecretArn,
                CACHE_TTL_SECONDS: String(s.cache.ttlSeconds),
                ALLOWED_ORIGIN: siteUrl,
            },
            [
                ...products.readStatements("ReadProducts"),
                {
                    Sid: "ReadTheCacheToken",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: cache.authSecretArn,
                },
                {
                    Sid: "DecryptTheCacheToken",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keys.secrets,
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${config.region}.amazonaws.com` } },
                },
            ],
        );
        productsFn.allowEgressTo("cache", {
            port: cache.port,
            destinationSecurityGroupId: cache.securityGroupId,
            description: "Redis (TLS) for the catalogue cache",
        });
        cache.allowFrom("products", productsFn.securityGroupId!, "Redis from the products function only");

        const ordersFn = lambda(
            "orders",
            {
                ORDERS_TABLE: orders.tableName,
                PRODUCTS_TABLE: products.tableName,
                EVENT_BUS_NAME: bus.busName,
                ALLOWED_ORIGIN: siteUrl,
            },
            [
                { Sid: "ReadPrices", Effect: "Allow", Action: "dynamodb:BatchGetItem", Resource: products.tableArn },
                {
                    Sid: "ReadPricesKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: keys.data,
                    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${config.region}.amazonaws.com` } },
                },
                ...orders.readStatements("ReadOrders"),
                ...orders.writeStatements("WriteOrders"),
                ...bus.publishStatements("PublishOrderPlaced", WORKFLOW_EVENT_SOURCE),
            ],
        );
        const stepsFn = lambda(
            "order-steps",
            { ORDERS_TABLE: orders.tableName, PAYMENT_LIMIT_CENTS: String(s.payment.limitCents) },
            [
                ...orders.readStatements("ReadOrders"),
                // The status transitions (conditional UpdateItem, apps/lambdas/order-steps).
                {
                    Sid: "UpdateOrderStatus",
                    Effect: "Allow",
                    Action: "dynamodb:UpdateItem",
                    Resource: orders.tableArn,
                },
                {
                    Sid: "UpdateOrderStatusKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
                    Resource: keys.data,
                    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${config.region}.amazonaws.com` } },
                },
            ],
            20,
        );

        // ------------------------------------------------------------ order workflow
        const workflow = new StateMachine(
            `${name}-order-workflow`,
            {
                definition: pulumi
                    .all([stepsFn.functionArn, bus.busName, fulfilment.queueUrl])
                    .apply(([stepsFunctionArn, eventBusName, fulfilmentQueueUrl]) =>
                        orderWorkflowDefinition({
                            stepsFunctionArn,
                            eventBusName,
                            fulfilmentQueueUrl,
                        }),
                    ),
                policyStatements: [
                    {
                        Sid: "InvokeOrderSteps",
                        Effect: "Allow",
                        Action: "lambda:InvokeFunction",
                        Resource: [stepsFn.functionArn, pulumi.interpolate`${stepsFn.functionArn}:*`],
                    },
                    ...bus.publishStatements("PublishOrderOutcome", WORKFLOW_EVENT_SOURCE),
                    ...fulfilment.sendStatements("HandOverToFulfilment"),
                ],
                logs: {
                    groupName: logGroupName(scope, "order-workflow"),
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
                logLevel: "ALL",
                includeExecutionData: false,
                ...account,
                tags,
            },
            child,
        );
        bus.startExecutionOn("order-placed", {
            eventPattern: ORDER_PLACED_PATTERN,
            stateMachineArn: workflow.stateMachineArn,
            description: "OrderPlaced starts the order workflow",
        });

        // ------------------------------------------------------------ customers
        const users = new UserPool(
            `${name}-users`,
            {
                poolName: physicalName(scope, "customers", 128),
                signInWith: "email",
                selfSignUp: true,
                passwordPolicy: { minimumLength: s.cognito.passwordMinimumLength },
                mfa: s.cognito.mfa,
                advancedSecurity: s.cognito.advancedSecurity,
                clients: {
                    web: {
                        authFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                        tokenValidityMinutes: 60,
                        refreshTokenValidityDays: 30,
                    },
                },
                protect,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ site
        const site = new PrivateBucket(
            `${name}-site`,
            {
                ...account,
                cloudFrontOrigin: true,
                accessLogs: { bucketName: foundation.logArchive.bucketName },
                protect,
                tags,
            },
            child,
        );
        // CloudFront's certificate (us-east-1): the distribution exists once it is issued (docs/first-deploy.md).
        const viewerCertificate = new DnsCertificate(
            `${name}-cdn-certificate`,
            {
                domainName: s.domain.name,
                hostedZoneId: s.domain.hostedZoneId,
                status: s.domain.certificateStatus,
                statusKey: `platform:${NAME}.domain.certificateStatus`,
                tags,
            },
            { parent: this, provider: foundation.edgeProvider },
        );
        const cdn =
            viewerCertificate.certificateArn === undefined
                ? undefined
                : new CdnDistribution(
                      `${name}-cdn`,
                      {
                          accountId: foundation.accountId,
                          partition: foundation.partition,
                          edgeProvider: foundation.edgeProvider,
                          description: `${NAME}: ${s.domain.name}`,
                          origins: { site: { type: "s3", bucket: site } },
                          defaultBehavior: { origin: "site", cache: "static" },
                          defaultRootObject: "index.html",
                          domain: {
                              name: s.domain.name,
                              hostedZoneId: s.domain.hostedZoneId,
                              certificateArn: viewerCertificate.certificateArn,
                          },
                          waf: {
                              rateLimit: s.waf.siteRateLimit,
                              logGroupName: `aws-waf-logs-${physicalName(scope, "cdn", 200)}`,
                              retentionInDays: retention,
                          },
                          accessLogs: { bucketArn: foundation.logArchive.bucketArn },
                          tags,
                      },
                      child,
                  );
        // Until the distribution exists, the bucket still refuses requests without TLS.
        if (cdn === undefined) site.denyInsecureTransportOnly();

        // ------------------------------------------------------------ API
        const catalogue = "the public catalogue: read-only, no customer data, cached; WAF and stage throttling apply";
        const api = new RestApi(
            `${name}-api`,
            {
                apiName: physicalName(scope, "api", 255),
                description: `${NAME}: catalogue and orders`,
                authorizers: { customers: { type: "cognito", userPoolArns: [users.userPoolArn] } },
                routes: {
                    "GET /products": {
                        auth: { public: catalogue },
                        integration: { type: "lambda", function: productsFn },
                        requiredQueryParameters: ["category"],
                    },
                    "GET /products/{productId}": {
                        auth: { public: catalogue },
                        integration: { type: "lambda", function: productsFn },
                    },
                    "POST /orders": {
                        auth: { authorizer: "customers" },
                        integration: { type: "lambda", function: ordersFn },
                        bodySchema: ORDER_BODY_SCHEMA,
                    },
                    "GET /orders": {
                        auth: { authorizer: "customers" },
                        integration: { type: "lambda", function: ordersFn },
                    },
                    "GET /orders/{orderId}": {
                        auth: { authorizer: "customers" },
                        integration: { type: "lambda", function: ordersFn },
                    },
                },
                stage: {
                    name: s.api.stageName,
                    rateLimit: s.api.rateLimit,
                    burstLimit: s.api.burstLimit,
                    logs: {
                        accessLogGroupName: logGroupName(scope, "api-access"),
                        kmsKeyArn: keys.logs,
                        retentionInDays: retention,
                    },
                },
                cors: { allowOrigins: [siteUrl] },
                accountSettingParent: foundation,
                ...account,
                tags,
            },
            child,
        );
        const apiWaf = new WebAcl(
            `${name}-api-waf`,
            {
                scope: "REGIONAL",
                rateLimit: s.waf.apiRateLimit,
                logs: {
                    groupName: `aws-waf-logs-${physicalName(scope, "api", 200)}`,
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
                associations: { api: api.stageArn },
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ alarms
        const apiName = physicalName(scope, "api", 255);
        const alarm = (
            spec: Omit<
                AlarmSpec,
                "periodSeconds" | "evaluationPeriods" | "datapointsToAlarm" | "comparisonOperator" | "treatMissingData"
            >,
        ): AlarmSpec => ({
            periodSeconds: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            ...spec,
        });
        new AlarmSet(
            `${name}-alarms`,
            {
                topicArn: foundation.alarmTopic.topicArn,
                alarms: {
                    "api-5xx": alarm({
                        description: `${NAME} API: more than ${s.alarms.api5xxPerMinute} 5xx responses a minute (see the API access logs and the functions' logs)`,
                        namespace: "AWS/ApiGateway",
                        metricName: "5XXError",
                        dimensions: { ApiName: apiName, Stage: s.api.stageName },
                        statistic: "Sum",
                        threshold: s.alarms.api5xxPerMinute,
                    }),
                    "orders-errors": alarm({
                        description: `${NAME}: the orders function failed (unhandled errors or timeouts)`,
                        namespace: "AWS/Lambda",
                        metricName: "Errors",
                        dimensions: { FunctionName: ordersFn.functionName },
                        statistic: "Sum",
                        threshold: 0,
                    }),
                    "workflow-failed": alarm({
                        description: `${NAME}: order workflow executions failed or timed out (orders marked FAILED: declined payments, invalid orders, or a step that kept failing)`,
                        namespace: "AWS/States",
                        metricName: "ExecutionsFailed",
                        dimensions: { StateMachineArn: workflow.stateMachineArn },
                        statistic: "Sum",
                        threshold: 0,
                    }),
                    "fulfilment-age": queueAgeAlarm(fulfilment.queueName, s.alarms.fulfilmentAgeSeconds, "fulfilment"),
                    "fulfilment-dlq": dlqDepthAlarm(fulfilment.dlqName, "the fulfilment queue"),
                    ...cacheAlarms(cache.memberClusterIds, 80, 80),
                },
                tags,
            },
            child,
        );

        this.outputs = {
            siteUrl,
            ...(cdn ? { distributionDomainName: cdn.domainName } : {}),
            siteBucket: site.bucketName,
            apiUrl: api.invokeUrl,
            userPoolId: users.userPoolId,
            userPoolClientId: users.clientIds.web,
            tables: { products: products.tableName, orders: orders.tableName },
            eventBusName: bus.busName,
            stateMachineArn: workflow.stateMachineArn,
            fulfilmentQueueUrl: fulfilment.queueUrl,
            cacheEndpoint: cache.primaryEndpoint,
            webAclArns: { ...(cdn ? { site: cdn.webAclArn } : {}), api: apiWaf.webAclArn },
            ...(s.domain.hostedZoneId === undefined
                ? { certificateValidationRecord: viewerCertificate.validationRecord }
                : {}),
            functionNames: {
                products: productsFn.functionName,
                orders: ordersFn.functionName,
                "order-steps": stepsFn.functionName,
            },
        };
        this.registerOutputs(this.outputs);
    }
}

export const coffeeShop: ArchitectureModule<CoffeeShopSettings> = {
    name: NAME,
    description:
        "Serverless coffee e-shop: S3 + CloudFront site, API Gateway + Cognito, Lambda, DynamoDB, Redis, EventBridge -> Step Functions -> SQS",
    workloads: [WORKLOADS.lambdas],
    settings: settingsSchema,
    deploy: (ctx) => new CoffeeShop(NAME, ctx).outputs,
};
