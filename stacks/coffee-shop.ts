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
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { lambdaFunctions, restApi } from "./coffee-shop/api";
import { dataTier } from "./coffee-shop/data";
import { edgeTier } from "./coffee-shop/edge";
import { identityTier } from "./coffee-shop/identity";
import { messagingTier } from "./coffee-shop/messaging";
import { observability } from "./coffee-shop/observability";
import { CoffeeShopSettings, CoffeeShopStep, NAME, settingsSchema, siteUrl, WORKLOADS } from "./coffee-shop/settings";
import { orderWorkflow } from "./coffee-shop/workflow";

export * from "./coffee-shop/settings";

export class CoffeeShop extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<CoffeeShopSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:CoffeeShop", name, {}, opts);
        const step: CoffeeShopStep = { ...ctx, name, child: { parent: this } };
        const s = ctx.settings;
        const data = dataTier(step); // DynamoDB tables, Redis
        const messaging = messagingTier(step); // EventBridge bus, SQS fulfilment queue
        const functions = lambdaFunctions(step, { data, messaging }); // products, orders, order-steps
        const workflow = orderWorkflow(step, { functions, messaging }); // Step Functions, OrderPlaced rule
        const users = identityTier(step); // Cognito user pool and web client
        const { site, viewerCertificate, cdn } = edgeTier(step); // S3 site, CloudFront, WAF
        const { api, apiWaf } = restApi(step, { functions, users }); // API Gateway, WAF
        observability(step, { data, messaging, functions, workflow }); // CloudWatch alarms

        this.outputs = {
            siteUrl: siteUrl(s),
            ...(cdn ? { distributionDomainName: cdn.domainName } : {}),
            siteBucket: site.bucketName,
            apiUrl: api.invokeUrl,
            userPoolId: users.userPoolId,
            userPoolClientId: users.clientIds.web,
            tables: { products: data.products.tableName, orders: data.orders.tableName },
            eventBusName: messaging.bus.busName,
            stateMachineArn: workflow.stateMachineArn,
            fulfilmentQueueUrl: messaging.fulfilment.queueUrl,
            cacheEndpoint: data.cache.primaryEndpoint,
            webAclArns: { ...(cdn ? { site: cdn.webAclArn } : {}), api: apiWaf.webAclArn },
            ...(s.domain.hostedZoneId === undefined
                ? { certificateValidationRecord: viewerCertificate.validationRecord }
                : {}),
            functionNames: {
                products: functions.products.functionName,
                orders: functions.orders.functionName,
                "order-steps": functions.orderSteps.functionName,
            },
        };
        this.registerOutputs(this.outputs);
    }
}

export const coffeeShop: ArchitectureModule<CoffeeShopSettings> = {
    name: NAME,
    description:
        "Serverless coffee e-shop: S3 + CloudFront site, API Gateway + Cognito, Lambda, DynamoDB, Redis, " +
        "EventBridge -> Step Functions -> SQS",
    workloads: [WORKLOADS.lambdas],
    settings: settingsSchema,
    deploy: (ctx) => new CoffeeShop(NAME, ctx).outputs,
};
