/**
 * The coffee-shop bundles (what Lambda runs: the SDK clients and ioredis bundled by esbuild) run
 * end to end in a child Node process, against a local stand-in for the AWS JSON endpoints (reached
 * through the SDK's `AWS_ENDPOINT_URL_*` variables) and a local TLS Redis stand-in whose self-signed
 * certificate the child trusts only through `NODE_EXTRA_CA_CERTS` (read at process start, hence the
 * child). The handler unit tests (coffee-shop.spec.ts) mock the clients; these prove the real ones,
 * as bundled, sign with the environment's region and credentials, speak each service's protocol,
 * verify the cache's certificate and authenticate.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import { bundleLambda, LambdaName } from "../../../apps/lambdas/build";
import { FakeAws, lambdaEnvironment } from "./fake-aws";
import { FakeRedis } from "./fake-redis";

const run = promisify(execFile);
const SUB = "8f1c2d3e-0000-4000-8000-00000000abcd";
const SECRET_ARN = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:cache-AbCdEf";
const TOKEN = "right-token-0123456789abcdef0123456789";
const RUNNER = `
const { readFileSync, writeFileSync } = require('node:fs');
const [bundle, eventsFile, outFile] = process.argv.slice(2);
const { handler } = require(bundle);
(async () => {
  const results = [];
  for (const [i, event] of JSON.parse(readFileSync(eventsFile, 'utf8')).entries()) results.push(await handler(event, { awsRequestId: 'b' + i }));
  writeFileSync(outFile, JSON.stringify(results));
  process.exit(0); // the cache connection stays open, as in a Lambda execution environment
})().catch((err) => {
  console.error(String((err && err.stack) || err));
  process.exit(2);
});
`;

const apiEvent = (method: string, resource: string, extra: Record<string, unknown> = {}) => ({
    httpMethod: method,
    resource,
    path: resource,
    headers: {},
    body: null,
    isBase64Encoded: false,
    queryStringParameters: null,
    pathParameters: null,
    requestContext: { requestId: "api-1", authorizer: { claims: { sub: SUB } } },
    ...extra,
});
const beans = apiEvent("GET", "/products", { queryStringParameters: { category: "beans" } });
const bourbon = {
    productId: { S: "bourbon" },
    category: { S: "beans" },
    name: { S: "Bourbon" },
    priceCents: { N: "4500" },
    currency: { S: "BRL" },
    available: { BOOL: true },
};

describe("coffee-shop bundles, end to end", function () {
    this.timeout(60_000);
    const aws = new FakeAws();
    const redis = new FakeRedis(TOKEN);
    let endpoint: string;
    let dir: string;

    before(async () => {
        dir = mkdtempSync(path.join(tmpdir(), "coffee-bundles-"));
        writeFileSync(path.join(dir, "runner.js"), RUNNER);
        for (const name of ["products", "orders", "order-steps"] as LambdaName[])
            writeFileSync(path.join(dir, `${name}.js`), bundleLambda(name).files["index.js"]);
        endpoint = await aws.start();
        await redis.start();
    });
    after(async () => {
        await aws.stop();
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => {
        aws.reset();
        redis.reset();
    });

    /** Runs `events` in order through one execution environment of bundle `name`; results and the log records. */
    async function invoke(name: LambdaName, events: unknown[], env: Record<string, string>) {
        const eventsFile = path.join(dir, `${name}-events.json`);
        const outFile = path.join(dir, `${name}-out.json`);
        writeFileSync(eventsFile, JSON.stringify(events));
        const { stdout, stderr } = await run(
            process.execPath,
            [path.join(dir, "runner.js"), path.join(dir, `${name}.js`), eventsFile, outFile],
            { env: lambdaEnvironment(endpoint, env), timeout: 30_000 },
        );
        const results = JSON.parse(readFileSync(outFile, "utf8")) as { statusCode: number; body: string }[];
        const output = `${stdout}\n${stderr}`;
        const records = output
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => JSON.parse(l) as Record<string, unknown>);
        return { results, records, output };
    }

    const productsEnv = (extra: Record<string, string> = {}) => ({
        PRODUCTS_TABLE: "products-t",
        CACHE_HOST: "127.0.0.1",
        CACHE_PORT: String(redis.port),
        CACHE_SECRET_ARN: SECRET_ARN,
        CACHE_TTL_SECONDS: "120",
        ...extra,
    });

    describe("products", () => {
        beforeEach(() => {
            aws.on("secretsmanager.GetSecretValue", () => ({
                ARN: SECRET_ARN,
                Name: "cache",
                SecretString: JSON.stringify({ authToken: TOKEN }),
            }));
            aws.on("DynamoDB_20120810.Query", () => ({ Items: [bourbon], Count: 1, ScannedCount: 1 }));
        });

        it("reads the token from Secrets Manager, authenticates over verified TLS, fills the cache on a miss and answers the next call from it", async () => {
            const { results, records, output } = await invoke(
                "products",
                [beans, beans],
                productsEnv({ NODE_EXTRA_CA_CERTS: redis.caFile }),
            );
            assert.deepEqual(
                results.map((r) => r.statusCode),
                [200, 200],
            );
            const items = [
                {
                    productId: "bourbon",
                    category: "beans",
                    name: "Bourbon",
                    priceCents: 4500,
                    currency: "BRL",
                    available: true,
                },
            ];
            assert.deepEqual(
                results.map((r) => JSON.parse(r.body)),
                [{ items }, { items }],
            );
            assert.deepEqual(
                records.map((r) => [r.event, r.status, r.cache]),
                [
                    ["products.completed", 200, "miss"],
                    ["products.completed", 200, "hit"],
                ],
            );
            assert.deepEqual(aws.targets(), ["secretsmanager.GetSecretValue", "DynamoDB_20120810.Query"]);
            const [secret, query] = aws.calls;
            assert.deepEqual(secret.body, { SecretId: SECRET_ARN });
            assert.match(
                secret.authorization,
                /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/sa-east-1\/secretsmanager\/aws4_request, /,
            );
            assert.deepEqual(query.body, {
                TableName: "products-t",
                IndexName: "by-category",
                KeyConditionExpression: "category = :c",
                ExpressionAttributeValues: { ":c": { S: "beans" } },
                Limit: 100,
            });
            assert.match(
                query.authorization,
                /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/sa-east-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
            );
            assert.equal(query.contentType, "application/x-amz-json-1.0");
            const key = "coffee-shop:category:beans";
            assert.deepEqual(redis.commands, [
                ["AUTH", TOKEN],
                ["INFO"],
                ["GET", key],
                ["SET", key, JSON.stringify(items), "EX", "120"],
                ["GET", key],
            ]);
            assert.ok(!output.includes(TOKEN), "the AUTH token reached the logs");
        });

        it("does not trust a certificate outside the trust store: the cache is off, the catalogue still answers", async () => {
            const { results, records, output } = await invoke("products", [beans, beans], productsEnv());
            assert.deepEqual(
                results.map((r) => r.statusCode),
                [200, 200],
            );
            assert.deepEqual(
                records.map((r) => r.cache),
                ["off", "off"],
            );
            assert.deepEqual(redis.commands, [], "no command before a verified handshake");
            assert.deepEqual(aws.targets(), [
                "secretsmanager.GetSecretValue",
                "DynamoDB_20120810.Query",
                "secretsmanager.GetSecretValue",
                "DynamoDB_20120810.Query",
            ]);
            assert.ok(!output.includes(TOKEN));
        });

        it("treats a refused AUTH as a cache outage and never sends a data command unauthenticated", async () => {
            aws.on("secretsmanager.GetSecretValue", () => ({
                SecretString: JSON.stringify({ authToken: "wrong-token" }),
            }));
            const { results, records, output } = await invoke(
                "products",
                [beans],
                productsEnv({ NODE_EXTRA_CA_CERTS: redis.caFile }),
            );
            assert.deepEqual([results[0].statusCode, records.map((r) => r.cache)], [200, ["off"]]);
            assert.deepEqual(
                redis.commands.filter(([cmd]) => cmd !== "INFO"),
                [["AUTH", "wrong-token"]],
            );
            assert.ok(!output.includes("wrong-token"));
        });
    });

    it("orders: stores the order and publishes OrderPlaced through the bundled DynamoDB and EventBridge clients", async () => {
        aws.on("DynamoDB_20120810.BatchGetItem", () => ({
            Responses: { "products-t": [bourbon] },
            UnprocessedKeys: {},
        }))
            .on("DynamoDB_20120810.PutItem", () => ({}))
            .on("AWSEvents.PutEvents", () => ({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] }));
        const event = apiEvent("POST", "/orders", {
            body: JSON.stringify({ items: [{ productId: "bourbon", quantity: 2 }] }),
        });
        const { results, records } = await invoke("orders", [event], {
            ORDERS_TABLE: "orders-t",
            PRODUCTS_TABLE: "products-t",
            EVENT_BUS_NAME: "orders-bus",
        });
        assert.equal(results[0].statusCode, 201, results[0].body);
        const { orderId } = JSON.parse(results[0].body) as { orderId: string };
        assert.deepEqual(
            records.map((r) => [r.status, r.orderId]),
            [[201, orderId]],
        );
        assert.deepEqual(aws.targets(), [
            "DynamoDB_20120810.BatchGetItem",
            "DynamoDB_20120810.PutItem",
            "AWSEvents.PutEvents",
        ]);
        const [batch, put, publish] = aws.calls;
        assert.deepEqual(batch.body, {
            RequestItems: {
                "products-t": {
                    Keys: [{ productId: { S: "bourbon" } }],
                    ProjectionExpression: "productId, priceCents, currency, available",
                },
            },
        });
        assert.deepEqual(put.body, {
            TableName: "orders-t",
            Item: {
                customerId: { S: SUB },
                orderId: { S: orderId },
                status: { S: "PLACED" },
                items: {
                    L: [{ M: { productId: { S: "bourbon" }, quantity: { N: "2" }, unitPriceCents: { N: "4500" } } }],
                },
                totalCents: { N: "9000" },
                currency: { S: "BRL" },
                createdAt: put.body.Item.createdAt,
            },
            ConditionExpression: "attribute_not_exists(orderId)",
        });
        assert.deepEqual(publish.body, {
            Entries: [
                {
                    EventBusName: "orders-bus",
                    Source: "coffee-shop.orders",
                    DetailType: "OrderPlaced",
                    Detail: JSON.stringify({ orderId, customerId: SUB, totalCents: 9000, currency: "BRL" }),
                },
            ],
        });
        assert.equal(publish.contentType, "application/x-amz-json-1.1");
        assert.match(
            publish.authorization,
            /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/sa-east-1\/events\/aws4_request, /,
        );
    });

    it("order-steps: validates the stored order with a consistent read through the bundled client", async () => {
        aws.on("DynamoDB_20120810.GetItem", () => ({
            Item: {
                customerId: { S: SUB },
                orderId: { S: "o-1" },
                status: { S: "PLACED" },
                items: { L: [{ M: { productId: { S: "bourbon" } } }] },
                totalCents: { N: "4500" },
                currency: { S: "BRL" },
            },
        }));
        const { results } = await invoke("order-steps", [{ action: "validate", orderId: "o-1", customerId: SUB }], {
            ORDERS_TABLE: "orders-t",
        });
        assert.deepEqual(results, [{ orderId: "o-1", customerId: SUB, totalCents: 4500, currency: "BRL" }]);
        assert.deepEqual(
            aws.calls.map((c) => c.body),
            [{ TableName: "orders-t", Key: { customerId: { S: SUB }, orderId: { S: "o-1" } }, ConsistentRead: true }],
        );
    });
});
