/**
 * coffee-shop's API: the Lambda functions in the private subnets, each with its own role (`products`,
 * `orders`, `order-steps`), and the API Gateway REST API (regional, AWS WAF, throttling, access logs,
 * X-Ray, request validation; Cognito for the orders routes, CORS for the site's origin).
 */
import * as pulumi from "@pulumi/pulumi";
import { bundleLambda, LAMBDAS, LambdaName } from "../../apps/lambdas/build";
import type { IamStatement } from "../../infra/compute/fargate-service";
import { WebAcl } from "../../infra/edge/web-acl";
import { UserPool } from "../../infra/identity/user-pool";
import { LambdaFunction } from "../../infra/serverless/lambda-function";
import { RestApi, RouteSpec } from "../../infra/serverless/rest-api";
import { logGroupName, physicalName } from "../../infra/shared/naming";
import { Data } from "./data";
import { Messaging } from "./messaging";
import {
    CoffeeShopStep,
    logSettings,
    NAME,
    ORDER_BODY_SCHEMA,
    siteUrl,
    WORKFLOW_EVENT_SOURCE,
    WORKLOADS,
} from "./settings";

/** The functions, by their names in apps/lambdas. */
export interface Functions {
    products: LambdaFunction;
    orders: LambdaFunction;
    /** The order workflow's validate, charge, confirm and fail steps. */
    orderSteps: LambdaFunction;
}

/** The REST API and its regional web ACL. */
export interface Api {
    api: RestApi;
    apiWaf: WebAcl;
}

const AWS_APIS = {
    port: 443,
    cidrIpv4: "0.0.0.0/0",
    description:
        "HTTPS to AWS APIs (DynamoDB, EventBridge, Secrets Manager, X-Ray) through the gateway endpoint " +
        "or the NAT gateway",
};

/** One function of apps/lambdas (`<name>-<fn>`), bundled here, in the private subnets, its own role. */
function lambdaFunction(
    step: CoffeeShopStep,
    fn: LambdaName,
    environment: Record<string, pulumi.Input<string>>,
    policyStatements: IamStatement[],
    timeoutSeconds = 10,
): LambdaFunction {
    const { config, foundation, tags, scope, name, child } = step;
    const lambdaRelease = config.releases[WORKLOADS.lambdas];
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
            logs: logSettings(step),
            vpc: { vpcId: foundation.network.vpcId, subnetIds: foundation.network.subnetIds.private },
            egress: { "aws-apis": AWS_APIS },
            ...foundation.account,
            tags: { ...tags, Release: lambdaRelease },
        },
        child,
    );
}

/** The three functions: the catalogue, the orders API and the workflow's steps. */
export function lambdaFunctions(step: CoffeeShopStep, deps: { data: Data; messaging: Messaging }): Functions {
    return {
        products: productsFunction(step, deps.data),
        orders: ordersFunction(step, deps),
        orderSteps: orderStepsFunction(step, deps.data),
    };
}

/** `products`: reads the products table, caches it in Redis (cache-aside); the only client of the cache. */
function productsFunction(step: CoffeeShopStep, { products, cache }: Data): LambdaFunction {
    const { config, settings: s, foundation } = step;
    const productsFn = lambdaFunction(
        step,
        "products",
        {
            PRODUCTS_TABLE: products.tableName,
            CACHE_HOST: cache.primaryEndpoint,
            CACHE_PORT: String(cache.port),
            CACHE_SECRET_ARN: cache.authSecretArn,
            CACHE_TTL_SECONDS: String(s.cache.ttlSeconds),
            ALLOWED_ORIGIN: siteUrl(s),
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
                Resource: foundation.keys.keyArns.secrets,
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
    return productsFn;
}

/** `orders`: places and reads orders, prices from the products table, `OrderPlaced` on the bus. */
function ordersFunction(
    step: CoffeeShopStep,
    { data, messaging }: { data: Data; messaging: Messaging },
): LambdaFunction {
    const { config, settings: s, foundation } = step;
    const { products, orders } = data;
    return lambdaFunction(
        step,
        "orders",
        {
            ORDERS_TABLE: orders.tableName,
            PRODUCTS_TABLE: products.tableName,
            EVENT_BUS_NAME: messaging.bus.busName,
            ALLOWED_ORIGIN: siteUrl(s),
        },
        [
            { Sid: "ReadPrices", Effect: "Allow", Action: "dynamodb:BatchGetItem", Resource: products.tableArn },
            {
                Sid: "ReadPricesKey",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: foundation.keys.keyArns.data,
                Condition: { StringEquals: { "kms:ViaService": `dynamodb.${config.region}.amazonaws.com` } },
            },
            ...orders.readStatements("ReadOrders"),
            ...orders.writeStatements("WriteOrders"),
            ...messaging.bus.publishStatements("PublishOrderPlaced", WORKFLOW_EVENT_SOURCE),
        ],
    );
}

/** `order-steps`: the workflow's status transitions on the orders table (20 s timeout). */
function orderStepsFunction(step: CoffeeShopStep, { orders }: Data): LambdaFunction {
    const { config, settings: s, foundation } = step;
    return lambdaFunction(
        step,
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
                Resource: foundation.keys.keyArns.data,
                Condition: { StringEquals: { "kms:ViaService": `dynamodb.${config.region}.amazonaws.com` } },
            },
        ],
        20,
    );
}

/** The catalogue is public; orders need a token of the customers' user pool. */
function routes({ products, orders }: Functions): Record<string, RouteSpec> {
    const catalogue = "the public catalogue: read-only, no customer data, cached; WAF and stage throttling apply";
    return {
        "GET /products": {
            auth: { public: catalogue },
            integration: { type: "lambda", function: products },
            requiredQueryParameters: ["category"],
        },
        "GET /products/{productId}": {
            auth: { public: catalogue },
            integration: { type: "lambda", function: products },
        },
        "POST /orders": {
            auth: { authorizer: "customers" },
            integration: { type: "lambda", function: orders },
            bodySchema: ORDER_BODY_SCHEMA,
        },
        "GET /orders": {
            auth: { authorizer: "customers" },
            integration: { type: "lambda", function: orders },
        },
        "GET /orders/{orderId}": {
            auth: { authorizer: "customers" },
            integration: { type: "lambda", function: orders },
        },
    };
}

/** The REST API (`<name>-api`) with its stage, and its web ACL (`<name>-api-waf`). */
export function restApi(step: CoffeeShopStep, deps: { functions: Functions; users: UserPool }): Api {
    const { settings: s, foundation, tags, scope, name, child } = step;
    const api = new RestApi(
        `${name}-api`,
        {
            apiName: physicalName(scope, "api", 255),
            description: `${NAME}: catalogue and orders`,
            authorizers: { customers: { type: "cognito", userPoolArns: [deps.users.userPoolArn] } },
            routes: routes(deps.functions),
            stage: {
                name: s.api.stageName,
                rateLimit: s.api.rateLimit,
                burstLimit: s.api.burstLimit,
                logs: { accessLogGroupName: logGroupName(scope, "api-access"), ...logSettings(step) },
            },
            cors: { allowOrigins: [siteUrl(s)] },
            accountSettingParent: foundation,
            ...foundation.account,
            tags,
        },
        child,
    );
    const apiWaf = new WebAcl(
        `${name}-api-waf`,
        {
            scope: "REGIONAL",
            rateLimit: s.waf.apiRateLimit,
            logs: { groupName: `aws-waf-logs-${physicalName(scope, "api", 200)}`, ...logSettings(step) },
            associations: { api: api.stageArn },
            tags,
        },
        child,
    );
    return { api, apiWaf };
}
