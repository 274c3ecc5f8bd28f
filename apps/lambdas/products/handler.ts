/**
 * coffee-shop catalogue (API Gateway REST API, Lambda proxy integration), read-only and public:
 * - `GET /products?category=<c>` -> `{items: [...]}`, the category's products by name (DynamoDB
 *   `Query` on the `by-category` index, at most {@link PAGE_SIZE});
 * - `GET /products/{productId}` -> the product, or 404.
 *
 * Cache-aside in ElastiCache Redis through `ioredis` (`shared/cache.ts`: TLS, AUTH, one connection per
 * container) with keys `coffee-shop:category:<c>` and `coffee-shop:product:<id>`, TTL
 * `CACHE_TTL_SECONDS` (default 300): a hit answers without DynamoDB; a miss reads DynamoDB and then
 * fills the cache (best effort); a cache failure reads DynamoDB only. Missing products are not cached.
 * Responses may be cached 60 s by browsers. DynamoDB through the SDK's document client
 * (`shared/aws-clients.ts`).
 *
 * Input checks: `category` and `productId` are 1-64 letters, digits, `-` and `_` (400 otherwise).
 * Responses: 200, 400 `{"error":"invalid_request"}`, 404 `{"error":"not_found"}`, 405, 500
 * `{"error":"internal_error"}` — every error body carries `requestId`.
 *
 * Environment: `PRODUCTS_TABLE`; optional `CACHE_HOST`, `CACHE_PORT` (6379), `CACHE_SECRET_ARN` (a JSON
 * secret with `authToken`), `CACHE_TTL_SECONDS`, `ALLOWED_ORIGIN`. IAM: `dynamodb:GetItem`, `Query` on
 * the table and its index; `secretsmanager:GetSecretValue` on the cache secret; network to the cache.
 * Logs: one JSON line per request (`event: "products.completed"`) with the route, `cache` (hit, miss,
 * off, error), status and duration.
 */
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";

import { newDocumentClient } from "../shared/aws-clients";
import { CacheEndpoint, cacheClient, dropCacheClient } from "../shared/cache";
import { json } from "../shared/http";
import { errorName, log } from "../shared/log";

const FN = "products";
/** Most products one category page returns. */
export const PAGE_SIZE = 100;
/** Name of the category index of the products table. */
export const CATEGORY_INDEX = "by-category";
/** Allowed identifiers (category, productId). */
export const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Cache entry lifetime in seconds when `CACHE_TTL_SECONDS` is absent or not a positive integer. */
export const DEFAULT_TTL_SECONDS = 300;

// One client per execution environment, reused across invocations.
const dynamo = newDocumentClient();

/** A product or a category page as stored in the cache (JSON). */
type Cached = Record<string, unknown> | Record<string, unknown>[];

/** The cache endpoint from the environment; `undefined` (cache off) without a host or a secret. */
function cacheEndpoint(): CacheEndpoint | undefined {
    const host = process.env.CACHE_HOST ?? "";
    const secretArn = process.env.CACHE_SECRET_ARN ?? "";
    if (host === "" || secretArn === "") return undefined;
    return { host, port: Number(process.env.CACHE_PORT ?? "6379"), secretArn };
}

function ttlSeconds(): number {
    const ttl = Number(process.env.CACHE_TTL_SECONDS ?? DEFAULT_TTL_SECONDS);
    return Number.isInteger(ttl) && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS;
}

/**
 * How the cache served a request: `off` = no connection (not configured or unreachable), `error` = a command failed.
 */
type CacheOutcome = "hit" | "miss" | "off" | "error";

/**
 * Cache-aside: `GET key`; on a miss, `load()` and `SET key value EX ttl` (best effort). A failed GET
 * (or an unreadable entry) reads `load()` without filling the cache and drops the connection.
 */
async function cached<T extends Cached>(
    key: string,
    load: () => Promise<T | undefined>,
): Promise<{ value: T | undefined; cache: CacheOutcome }> {
    const redis = await cacheClient(cacheEndpoint());
    if (redis === undefined) return { value: await load(), cache: "off" };
    try {
        const hit = await redis.get(key);
        if (hit !== null) return { value: JSON.parse(hit) as T, cache: "hit" };
    } catch {
        dropCacheClient();
        return { value: await load(), cache: "error" };
    }
    const value = await load();
    if (value !== undefined)
        await redis.set(key, JSON.stringify(value), "EX", ttlSeconds()).catch(() => dropCacheClient());
    return { value, cache: "miss" };
}

/** Lambda entry point. Never throws. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
    const started = Date.now();
    const requestId = context?.awsRequestId;
    const table = process.env.PRODUCTS_TABLE ?? "";
    const done = (status: number, fields: Record<string, string | number | undefined> = {}) =>
        log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", FN, "products.completed", {
            requestId,
            route: event?.resource,
            status,
            ...fields,
            durationMs: Date.now() - started,
        });

    if (table === "") {
        done(500, { missingEnv: "PRODUCTS_TABLE" });
        return json(500, { error: "internal_error", requestId });
    }
    if (event.httpMethod !== "GET") {
        done(405);
        return json(405, { error: "method_not_allowed", requestId }, 0, { Allow: "GET" });
    }
    try {
        const productId = event.pathParameters?.productId;
        if (productId !== undefined) {
            if (!ID.test(productId)) {
                done(400);
                return json(400, {
                    error: "invalid_request",
                    message: "productId must be 1-64 letters, digits, - or _.",
                    requestId,
                });
            }
            const { value, cache: outcome } = await cached(`coffee-shop:product:${productId}`, async () => {
                const out = await dynamo.send(new GetCommand({ TableName: table, Key: { productId } }));
                return out.Item;
            });
            if (value === undefined) {
                done(404, { cache: outcome });
                return json(404, { error: "not_found", requestId });
            }
            done(200, { cache: outcome });
            return json(200, value, 60);
        }
        const category = event.queryStringParameters?.category;
        if (category === undefined || !ID.test(category)) {
            done(400);
            return json(400, {
                error: "invalid_request",
                message: "category must be 1-64 letters, digits, - or _.",
                requestId,
            });
        }
        const { value, cache: outcome } = await cached(`coffee-shop:category:${category}`, async () => {
            const out = await dynamo.send(
                new QueryCommand({
                    TableName: table,
                    IndexName: CATEGORY_INDEX,
                    KeyConditionExpression: "category = :c",
                    ExpressionAttributeValues: { ":c": category },
                    Limit: PAGE_SIZE,
                }),
            );
            return out.Items ?? [];
        });
        done(200, { cache: outcome });
        return json(200, { items: value ?? [] }, 60);
    } catch (err) {
        done(500, { error: errorName(err) });
        return json(500, { error: "internal_error", requestId });
    }
}
