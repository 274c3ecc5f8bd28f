import { strict as assert } from "node:assert";

import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
    BatchGetCommand,
    DynamoDBDocumentClient,
    GetCommand,
    PutCommand,
    QueryCommand,
    UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import type { Redis, RedisOptions } from "ioredis";
import RedisMock from "ioredis-mock";

import { handler as steps, charge, StepError } from "../../../apps/lambdas/order-steps/handler";
import { handler as orders, newOrderId, parseLines } from "../../../apps/lambdas/orders/handler";
import { handler as products } from "../../../apps/lambdas/products/handler";
import { CLIENT_CONFIG, newDocumentClient, newEventBridgeClient } from "../../../apps/lambdas/shared/aws-clients";
import { cacheClientFactory, dropCacheClient } from "../../../apps/lambdas/shared/cache";
import { captureConsole, CapturedLogs, lambdaContext } from "./support";

const ORIGIN = "https://shop.example.com";
const SUB = "8f1c2d3e-0000-4000-8000-00000000abcd";
const ENV = {
    AWS_REGION: "sa-east-1",
    PRODUCTS_TABLE: "products-t",
    ORDERS_TABLE: "orders-t",
    EVENT_BUS_NAME: "orders-bus",
    ALLOWED_ORIGIN: ORIGIN,
};

function apiEvent(method: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
    return {
        body: null,
        httpMethod: method,
        path: resource,
        resource,
        isBase64Encoded: false,
        headers: {},
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        requestContext: {
            requestId: "api-req-1",
            authorizer: { claims: { sub: SUB } },
        } as unknown as APIGatewayProxyEvent["requestContext"],
        ...extra,
    };
}
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Record<string, any>;
const product = (id: string, priceCents: number, extra: Record<string, unknown> = {}) => ({
    productId: id,
    category: "beans",
    name: id,
    priceCents,
    currency: "BRL",
    available: true,
    ...extra,
});
/** An SDK-style service error: `name` is the error code, the message must never reach logs or bodies. */
const awsError = (name: string) => Object.assign(new Error(`SECRET-DETAIL of ${name}`), { name, $metadata: {} });

/** Every command a mocked client was sent, as [command class, input], in order. */
function sent(stub: AwsStub<any, any, any>): [string, unknown][] {
    return stub.calls().map((call) => {
        const command = call.args[0] as { constructor: { name: string }; input: unknown };
        return [command.constructor.name, command.input];
    });
}

describe("coffee-shop functions", () => {
    // Stubbed while this suite runs only (not from file load): order-transitions.spec.ts sends the same
    // clients to a real DynamoDB-compatible server.
    let dynamo: AwsStub<any, any, any>;
    let events: AwsStub<any, any, any>;
    let secrets: AwsStub<any, any, any>;
    let envBefore: Record<string, string | undefined>;
    let logs: CapturedLogs;
    before(() => {
        dynamo = mockClient(DynamoDBDocumentClient);
        events = mockClient(EventBridgeClient);
        secrets = mockClient(SecretsManagerClient);
        envBefore = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
        Object.assign(process.env, ENV);
    });
    after(() => {
        for (const [k, v] of Object.entries(envBefore)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        dynamo.restore();
        events.restore();
        secrets.restore();
    });
    beforeEach(() => {
        dynamo.reset();
        events.reset();
        secrets.reset();
        logs = captureConsole();
    });
    afterEach(() => logs.restore());

    describe("shared/aws-clients", () => {
        it("takes the region from the runtime environment and bounds every call: 3 attempts, 1 s connect, 2 s per attempt, timeouts thrown", async () => {
            assert.deepEqual(CLIENT_CONFIG, {
                maxAttempts: 3,
                requestHandler: { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true },
            });
            const ddb = newDocumentClient();
            const bus = newEventBridgeClient();
            assert.deepEqual([await ddb.config.region(), await bus.config.region()], ["sa-east-1", "sa-east-1"]);
            assert.deepEqual([await ddb.config.maxAttempts(), await bus.config.maxAttempts()], [3, 3]);
            const options = (
                ddb.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }
            ).configProvider;
            const resolved = await options;
            assert.deepEqual(
                [resolved.connectionTimeout, resolved.requestTimeout, resolved.throwOnRequestTimeout],
                [1000, 2000, true],
            );
        });
    });

    describe("products", () => {
        const SECRET_ARN = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:cache-AbCdEf";
        const TOKEN = "tok-123-do-not-log";
        const realCreate = cacheClientFactory.create;
        /** Options of every cache client the function made. */
        let created: RedisOptions[] = [];
        /** Makes the client behind `cacheClientFactory` (ioredis-mock unless a test breaks it). */
        let makeClient: (options: RedisOptions) => Redis;
        /** A second view of the mock server's data, to check what the function stored. */
        const probe = new RedisMock({ host: "master.cache.local", port: 6379 });

        before(() => {
            Object.assign(process.env, {
                CACHE_HOST: "master.cache.local",
                CACHE_SECRET_ARN: SECRET_ARN,
                CACHE_TTL_SECONDS: "120",
            });
            cacheClientFactory.create = (options) => {
                created.push(options);
                return makeClient(options);
            };
        });
        after(() => {
            cacheClientFactory.create = realCreate;
            for (const k of ["CACHE_HOST", "CACHE_SECRET_ARN", "CACHE_TTL_SECONDS"]) delete process.env[k];
            dropCacheClient();
        });
        beforeEach(async () => {
            dropCacheClient(); // a new execution environment for every test
            created = [];
            makeClient = (options) => new RedisMock(options);
            await probe.flushall();
            secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ authToken: TOKEN }) });
        });
        afterEach(() => assert.ok(!logs.lines.join("\n").includes(TOKEN), "the AUTH token reached the logs"));

        const listBeans = (id: string) =>
            products(apiEvent("GET", "/products", { queryStringParameters: { category: "beans" } }), lambdaContext(id));
        const getProduct = (productId: string, id: string) =>
            products(apiEvent("GET", "/products/{productId}", { pathParameters: { productId } }), lambdaContext(id));

        it("opens one TLS connection per container with the AUTH token from the secret, lazy, with short timeouts, no queue, no retries", async () => {
            dynamo.on(QueryCommand).resolves({ Items: [product("bourbon", 4500)] });
            await listBeans("r1");
            await listBeans("r2");
            assert.equal(created.length, 1, "one connection per container");
            const { retryStrategy, ...options } = created[0];
            assert.deepEqual(options, {
                host: "master.cache.local",
                port: 6379,
                password: TOKEN,
                tls: {},
                lazyConnect: true,
                connectTimeout: 1000,
                commandTimeout: 500,
                enableOfflineQueue: false,
                maxRetriesPerRequest: 0,
                disableClientInfo: true,
            });
            assert.equal(retryStrategy?.(1), null, "no background reconnection");
            assert.deepEqual(sent(secrets), [["GetSecretValueCommand", { SecretId: SECRET_ARN }]]);
        });

        it("lists a category from the index on a miss, stores it for CACHE_TTL_SECONDS, and answers the next call from the cache", async () => {
            dynamo.on(QueryCommand).resolves({ Items: [product("bourbon", 4500), product("catuai", 3900)] });
            const first = await listBeans("r1");
            assert.equal(first.statusCode, 200);
            assert.deepEqual(
                bodyOf(first).items.map((p: any) => [p.productId, p.priceCents]),
                [
                    ["bourbon", 4500],
                    ["catuai", 3900],
                ],
            );
            assert.deepEqual(first.headers, {
                "Content-Type": "application/json",
                "Cache-Control": "public, max-age=60",
                "X-Content-Type-Options": "nosniff",
                "Access-Control-Allow-Origin": ORIGIN,
                Vary: "Origin",
            });
            assert.deepEqual(sent(dynamo), [
                [
                    "QueryCommand",
                    {
                        TableName: "products-t",
                        IndexName: "by-category",
                        KeyConditionExpression: "category = :c",
                        ExpressionAttributeValues: { ":c": "beans" },
                        Limit: 100,
                    },
                ],
            ]);
            assert.deepEqual(JSON.parse((await probe.get("coffee-shop:category:beans"))!), [
                product("bourbon", 4500),
                product("catuai", 3900),
            ]);
            assert.equal(await probe.ttl("coffee-shop:category:beans"), 120);
            const second = await listBeans("r2");
            assert.deepEqual(bodyOf(second), bodyOf(first));
            assert.equal(dynamo.calls().length, 1, "the second answer came from the cache");
            assert.deepEqual(
                logs.records().map((r) => [r.event, r.status, r.cache]),
                [
                    ["products.completed", 200, "miss"],
                    ["products.completed", 200, "hit"],
                ],
            );
        });

        it("reads one product by key, caches it, and answers 404 for a missing one without caching the absence", async () => {
            dynamo
                .on(GetCommand, { TableName: "products-t", Key: { productId: "bourbon" } })
                .resolves({ Item: product("bourbon", 4500) });
            dynamo.on(GetCommand, { TableName: "products-t", Key: { productId: "nope" } }).resolves({});
            const found = await getProduct("bourbon", "r3");
            assert.deepEqual([found.statusCode, bodyOf(found)], [200, product("bourbon", 4500)]);
            const missing = await getProduct("nope", "r4");
            assert.deepEqual([missing.statusCode, bodyOf(missing)], [404, { error: "not_found", requestId: "r4" }]);
            assert.deepEqual(sent(dynamo), [
                ["GetCommand", { TableName: "products-t", Key: { productId: "bourbon" } }],
                ["GetCommand", { TableName: "products-t", Key: { productId: "nope" } }],
            ]);
            assert.deepEqual(await probe.keys("*"), ["coffee-shop:product:bourbon"]);
            assert.deepEqual(
                logs.records().map((r) => [r.status, r.cache]),
                [
                    [200, "miss"],
                    [404, "miss"],
                ],
            );
        });

        it("reads DynamoDB with the cache off when the secret cannot be read or the cache cannot be reached, and tries again next time", async () => {
            dynamo.on(GetCommand).resolves({ Item: product("bourbon", 4500) });
            secrets.reset();
            secrets.on(GetSecretValueCommand).rejects(awsError("AccessDeniedException"));
            assert.equal((await getProduct("bourbon", "r5")).statusCode, 200);
            assert.equal(created.length, 0, "no client without a token");
            secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ notTheToken: "x" }) });
            assert.equal((await getProduct("bourbon", "r6")).statusCode, 200);
            assert.equal(created.length, 0, "no client without a token");
            secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ authToken: TOKEN }) });
            let disconnected = 0;
            makeClient = (options) => {
                const redis = new RedisMock(options);
                redis.connect = () =>
                    Promise.reject(Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" }));
                redis.disconnect = () => void disconnected++;
                return redis;
            };
            assert.equal((await getProduct("bourbon", "r7")).statusCode, 200);
            assert.equal((await getProduct("bourbon", "r8")).statusCode, 200);
            assert.deepEqual(
                [created.length, disconnected],
                [2, 2],
                "each invocation tried once and closed the failed client",
            );
            assert.equal(sent(secrets).length, 4);
            assert.equal(dynamo.calls().length, 4);
            assert.deepEqual(
                logs.records().map((r) => r.cache),
                ["off", "off", "off", "off"],
            );
        });

        it("reads DynamoDB without filling the cache when a cache command fails, and opens a new connection next time", async () => {
            dynamo.on(GetCommand).resolves({ Item: product("bourbon", 4500) });
            let disconnected = 0;
            makeClient = (options) => {
                const redis = new RedisMock(options);
                redis.get = () => Promise.reject(new Error("Command timed out"));
                redis.disconnect = () => void disconnected++;
                return redis;
            };
            assert.equal((await getProduct("bourbon", "r9")).statusCode, 200);
            assert.deepEqual(await probe.keys("*"), [], "nothing stored after a failed GET");
            makeClient = (options) => new RedisMock(options);
            assert.equal((await getProduct("bourbon", "r10")).statusCode, 200);
            assert.deepEqual([created.length, disconnected], [2, 1]);
            assert.deepEqual(
                logs.records().map((r) => r.cache),
                ["error", "miss"],
            );
        });

        it("refuses bad ids and categories and other methods without calling AWS or the cache", async () => {
            for (const event of [
                apiEvent("GET", "/products"),
                apiEvent("GET", "/products", { queryStringParameters: { category: "a b" } }),
                apiEvent("GET", "/products/{productId}", { pathParameters: { productId: "../x" } }),
            ]) {
                const r = await products(event, lambdaContext("r"));
                assert.deepEqual([r.statusCode, bodyOf(r).error], [400, "invalid_request"]);
            }
            const other = await products(apiEvent("DELETE", "/products/{productId}"), lambdaContext("r"));
            assert.deepEqual([other.statusCode, other.headers?.Allow], [405, "GET"]);
            assert.deepEqual([dynamo.calls().length, secrets.calls().length, created.length], [0, 0, 0]);
        });

        it("answers 500 without the service's message when DynamoDB fails, logging the error name", async () => {
            dynamo.on(GetCommand).rejects(awsError("InternalServerError"));
            const r = await getProduct("x", "r11");
            assert.deepEqual([r.statusCode, bodyOf(r)], [500, { error: "internal_error", requestId: "r11" }]);
            assert.deepEqual(
                logs.records().map((l) => [l.level, l.status, l.error]),
                [["error", 500, "InternalServerError"]],
            );
            assert.ok(!logs.lines.join("\n").includes("SECRET-DETAIL"));
        });
    });

    describe("orders", () => {
        const place = (items: unknown) =>
            orders(apiEvent("POST", "/orders", { body: JSON.stringify({ items }) }), lambdaContext("o1"));
        const BATCH_GET = (...ids: string[]) => [
            "BatchGetCommand",
            {
                RequestItems: {
                    "products-t": {
                        Keys: ids.map((productId) => ({ productId })),
                        ProjectionExpression: "productId, priceCents, currency, available",
                    },
                },
            },
        ];

        it("prices the order from the catalogue (never the client), stores it PLACED for the token subject and publishes OrderPlaced on the bus", async () => {
            dynamo
                .on(BatchGetCommand)
                .resolves({ Responses: { "products-t": [product("bourbon", 4500), product("catuai", 3900)] } })
                .on(PutCommand)
                .resolves({});
            events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e1" }] });
            const r = await place([
                { productId: "bourbon", quantity: 2, unitPriceCents: 1 },
                { productId: "catuai", quantity: 1 },
            ]);
            assert.equal(r.statusCode, 201);
            const body = bodyOf(r);
            assert.deepEqual(body, { orderId: body.orderId, status: "PLACED", totalCents: 12900, currency: "BRL" });
            assert.match(body.orderId, /^[0-9a-z]{8,12}-[0-9a-f]{16}$/);
            const calls = sent(dynamo);
            const createdAt = (calls[1]?.[1] as { Item: { createdAt: string } }).Item.createdAt;
            assert.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
            assert.deepEqual(calls, [
                BATCH_GET("bourbon", "catuai"),
                [
                    "PutCommand",
                    {
                        TableName: "orders-t",
                        Item: {
                            customerId: SUB,
                            orderId: body.orderId,
                            status: "PLACED",
                            items: [
                                { productId: "bourbon", quantity: 2, unitPriceCents: 4500 },
                                { productId: "catuai", quantity: 1, unitPriceCents: 3900 },
                            ],
                            totalCents: 12900,
                            currency: "BRL",
                            createdAt,
                        },
                        ConditionExpression: "attribute_not_exists(orderId)",
                    },
                ],
            ]);
            assert.deepEqual(sent(events), [
                [
                    "PutEventsCommand",
                    {
                        Entries: [
                            {
                                EventBusName: "orders-bus",
                                Source: "coffee-shop.orders",
                                DetailType: "OrderPlaced",
                                Detail: JSON.stringify({
                                    orderId: body.orderId,
                                    customerId: SUB,
                                    totalCents: 12900,
                                    currency: "BRL",
                                }),
                            },
                        ],
                    },
                ],
            ]);
            assert.deepEqual(
                logs.records().map((l) => [l.status, l.orderId, l.lines]),
                [[201, body.orderId, 2]],
            );
        });

        it("refuses unknown or unavailable products with 409, and bad lines with 400, storing and publishing nothing", async () => {
            dynamo
                .on(BatchGetCommand)
                .resolves({ Responses: { "products-t": [product("bourbon", 4500, { available: false })] } });
            const conflict = await place([
                { productId: "bourbon", quantity: 1 },
                { productId: "ghost", quantity: 1 },
            ]);
            assert.deepEqual(
                [conflict.statusCode, bodyOf(conflict)],
                [409, { error: "unavailable_products", productIds: ["bourbon", "ghost"], requestId: "o1" }],
            );
            for (const items of [
                [],
                [{ productId: "x", quantity: 0 }],
                [{ productId: "x", quantity: 21 }],
                [
                    { productId: "a", quantity: 1 },
                    { productId: "a", quantity: 2 },
                ],
                "x",
            ]) {
                assert.equal((await place(items)).statusCode, 400, JSON.stringify(items));
            }
            assert.deepEqual(sent(dynamo), [BATCH_GET("bourbon", "ghost")]);
            assert.deepEqual(events.calls(), []);
            assert.equal(typeof parseLines({ items: [{ productId: "a", quantity: 1.5 }] }), "string");
        });

        it("refuses products priced in two currencies with 409", async () => {
            dynamo.on(BatchGetCommand).resolves({
                Responses: {
                    "products-t": [product("bourbon", 4500), product("catuai", 3900, { currency: "USD" })],
                },
            });
            const r = await place([
                { productId: "bourbon", quantity: 1 },
                { productId: "catuai", quantity: 1 },
            ]);
            assert.deepEqual([r.statusCode, bodyOf(r).productIds], [409, []]);
            assert.deepEqual(
                sent(dynamo).map(([name]) => name),
                ["BatchGetCommand"],
            );
        });

        for (const [label, publish] of [
            [
                "EventBridge refuses the entry",
                (stub: typeof events) =>
                    stub.on(PutEventsCommand).resolves({
                        FailedEntryCount: 1,
                        Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "SECRET-DETAIL" }],
                    }),
            ],
            [
                "the PutEvents call fails",
                (stub: typeof events) => stub.on(PutEventsCommand).rejects(awsError("ThrottlingException")),
            ],
        ] as const) {
            it(`marks the order PUBLISH_FAILED (only if still PLACED) and answers 503 when ${label}`, async () => {
                dynamo
                    .on(BatchGetCommand)
                    .resolves({ Responses: { "products-t": [product("bourbon", 4500)] } })
                    .on(PutCommand)
                    .resolves({})
                    .on(UpdateCommand)
                    .resolves({});
                publish(events);
                const r = await place([{ productId: "bourbon", quantity: 1 }]);
                assert.deepEqual(
                    [r.statusCode, bodyOf(r), r.headers?.["Retry-After"]],
                    [503, { error: "try_again", requestId: "o1" }, "5"],
                );
                const calls = sent(dynamo);
                const orderId = (calls[1]?.[1] as { Item: { orderId: string } }).Item.orderId;
                assert.deepEqual(
                    calls.map(([name]) => name),
                    ["BatchGetCommand", "PutCommand", "UpdateCommand"],
                );
                assert.deepEqual(calls[2], [
                    "UpdateCommand",
                    {
                        TableName: "orders-t",
                        Key: { customerId: SUB, orderId },
                        UpdateExpression: "SET #s = :failed",
                        ConditionExpression: "#s = :placed",
                        ExpressionAttributeNames: { "#s": "status" },
                        ExpressionAttributeValues: { ":failed": "PUBLISH_FAILED", ":placed": "PLACED" },
                    },
                ]);
                const cause = label === "EventBridge refuses the entry" ? "InternalFailure" : "ThrottlingException";
                assert.deepEqual(
                    logs.records().map((l) => [l.level, l.status, l.orderId, l.error, l.cause]),
                    [["error", 503, orderId, "PublishFailed", cause]],
                );
                assert.ok(!logs.lines.join("\n").includes("SECRET-DETAIL"));
            });
        }

        it("answers 500 and publishes nothing when the order cannot be stored", async () => {
            dynamo
                .on(BatchGetCommand)
                .resolves({ Responses: { "products-t": [product("bourbon", 4500)] } })
                .on(PutCommand)
                .rejects(awsError("ConditionalCheckFailedException"));
            const r = await place([{ productId: "bourbon", quantity: 1 }]);
            assert.deepEqual([r.statusCode, bodyOf(r)], [500, { error: "internal_error", requestId: "o1" }]);
            assert.deepEqual(events.calls(), []);
            assert.deepEqual(
                logs.records().map((l) => [l.status, l.error]),
                [[500, "ConditionalCheckFailedException"]],
            );
            assert.ok(!logs.lines.join("\n").includes("SECRET-DETAIL"));
        });

        it("answers 500 when the catalogue lookup comes back incomplete", async () => {
            dynamo.on(BatchGetCommand).resolves({
                Responses: { "products-t": [] },
                UnprocessedKeys: { "products-t": { Keys: [{ productId: "bourbon" }] } },
            });
            const r = await place([{ productId: "bourbon", quantity: 1 }]);
            assert.equal(r.statusCode, 500);
            assert.deepEqual(
                sent(dynamo).map(([name]) => name),
                ["BatchGetCommand"],
            );
            assert.deepEqual(
                logs.records().map((l) => l.error),
                ["UnprocessedKeys"],
            );
        });

        it("lists and reads only the caller's orders; 401 without a subject", async () => {
            dynamo
                .on(QueryCommand)
                .resolves({ Items: [{ customerId: SUB, orderId: "a", totalCents: 1 }] })
                .on(GetCommand)
                .resolves({});
            const list = await orders(apiEvent("GET", "/orders"), lambdaContext("o2"));
            assert.deepEqual(
                [list.statusCode, bodyOf(list)],
                [200, { items: [{ customerId: SUB, orderId: "a", totalCents: 1 }] }],
            );
            const id = newOrderId();
            const r = await orders(
                apiEvent("GET", "/orders/{orderId}", { pathParameters: { orderId: id } }),
                lambdaContext("o3"),
            );
            assert.equal(r.statusCode, 404);
            assert.equal(
                (
                    await orders(
                        apiEvent("GET", "/orders/{orderId}", { pathParameters: { orderId: "x" } }),
                        lambdaContext("o4"),
                    )
                ).statusCode,
                400,
            );
            const anonymous = apiEvent("GET", "/orders", {
                requestContext: { requestId: "a" } as APIGatewayProxyEvent["requestContext"],
            });
            assert.equal((await orders(anonymous, lambdaContext("o5"))).statusCode, 401);
            assert.deepEqual(sent(dynamo), [
                [
                    "QueryCommand",
                    {
                        TableName: "orders-t",
                        KeyConditionExpression: "customerId = :c",
                        ExpressionAttributeValues: { ":c": SUB },
                        ScanIndexForward: false,
                        Limit: 50,
                    },
                ],
                ["GetCommand", { TableName: "orders-t", Key: { customerId: SUB, orderId: id } }],
            ]);
        });

        it("answers 500 naming the missing environment without calling AWS", async () => {
            delete process.env.EVENT_BUS_NAME;
            try {
                const r = await orders(apiEvent("GET", "/orders"), lambdaContext("o6"));
                assert.equal(r.statusCode, 500);
                assert.deepEqual(
                    logs.records().map((l) => l.missingEnv),
                    ["EVENT_BUS_NAME"],
                );
            } finally {
                process.env.EVENT_BUS_NAME = ENV.EVENT_BUS_NAME;
            }
            assert.deepEqual(dynamo.calls(), []);
        });

        it("makes time-ordered unique order ids", () => {
            const a = newOrderId(1_700_000_000_000);
            const b = newOrderId(1_700_000_000_001);
            assert.match(a, /^[0-9a-z]{8,12}-[0-9a-f]{16}$/);
            assert.ok(a < b);
            assert.notEqual(newOrderId(1), newOrderId(1));
        });
    });

    describe("order-steps", () => {
        const stored = (status: string, totalCents = 8400) => ({
            Item: {
                customerId: SUB,
                orderId: "o-1",
                status,
                items: [{ productId: "bourbon", quantity: 2, unitPriceCents: 4200 }],
                totalCents,
                currency: "BRL",
            },
        });

        it("validates a PLACED order with a consistent read by key and passes its total on", async () => {
            dynamo.on(GetCommand).resolves(stored("PLACED"));
            assert.deepEqual(
                await steps({ action: "validate", orderId: "o-1", customerId: SUB }, lambdaContext("s1")),
                { orderId: "o-1", customerId: SUB, totalCents: 8400, currency: "BRL" },
            );
            assert.deepEqual(sent(dynamo), [
                [
                    "GetCommand",
                    { TableName: "orders-t", Key: { customerId: SUB, orderId: "o-1" }, ConsistentRead: true },
                ],
            ]);
        });

        it("throws OrderNotFound, OrderNotPending (already processed) or OrderInvalid (empty order)", async () => {
            for (const [answer, error] of [
                [{}, "OrderNotFound"],
                [stored("CONFIRMED"), "OrderNotPending"],
                [stored("FAILED"), "OrderNotPending"],
                [stored("PLACED", 0), "OrderInvalid"],
            ] as const) {
                dynamo.reset();
                dynamo.on(GetCommand).resolves(answer);
                await assert.rejects(
                    steps({ action: "validate", orderId: "o-1", customerId: SUB }, lambdaContext("s2")),
                    (e: Error) => e.name === error,
                );
            }
        });

        it("lets DynamoDB's error name through for the state machine's retries", async () => {
            dynamo.on(GetCommand).rejects(awsError("ProvisionedThroughputExceededException"));
            await assert.rejects(
                steps({ action: "validate", orderId: "o-1", customerId: SUB }, lambdaContext("s7")),
                (e: Error) => e.name === "ProvisionedThroughputExceededException",
            );
            assert.deepEqual(
                logs.records().map((r) => [r.level, r.outcome, r.error]),
                [["error", "failed", "ProvisionedThroughputExceededException"]],
            );
            assert.ok(!logs.lines.join("\n").includes("SECRET-DETAIL"));
        });

        it("charges up to the limit with a payment id stable per order, declines above it, refuses bad input", async () => {
            process.env.PAYMENT_LIMIT_CENTS = "10000";
            try {
                const ok = (await steps(
                    { action: "charge", orderId: "o-1", customerId: SUB, totalCents: 8400, currency: "BRL" },
                    lambdaContext("s3"),
                )) as { paymentId: string; chargedCents: number };
                assert.match(ok.paymentId, /^pay_[0-9a-f]{24}$/);
                assert.equal(ok.chargedCents, 8400);
                assert.equal(
                    charge({ action: "charge", orderId: "o-1", customerId: SUB, totalCents: 8400 }, 10000).paymentId,
                    ok.paymentId,
                    "a retried charge is the same payment",
                );
                await assert.rejects(
                    steps(
                        { action: "charge", orderId: "o-1", customerId: SUB, totalCents: 10001 },
                        lambdaContext("s4"),
                    ),
                    (e: Error) => e instanceof StepError && e.name === "PaymentDeclined",
                );
                await assert.rejects(
                    steps({ action: "refund" as "charge", orderId: "o-1", customerId: SUB }, lambdaContext("s5")),
                    (e: Error) => e.name === "BadInput",
                );
                await assert.rejects(
                    steps({ action: "charge", orderId: "", customerId: SUB, totalCents: 1 }, lambdaContext("s6")),
                    (e: Error) => e.name === "BadInput",
                );
            } finally {
                delete process.env.PAYMENT_LIMIT_CENTS;
            }
            assert.deepEqual(
                logs.records().map((r) => [r.event, r.outcome, r.error]),
                [
                    ["order.step", "ok", undefined],
                    ["order.step", "failed", "PaymentDeclined"],
                    ["order.step", "failed", "BadInput"],
                    ["order.step", "failed", "BadInput"],
                ],
            );
            assert.deepEqual(dynamo.calls(), []);
        });
    });
});
