/**
 * coffee-shop catalogue (API Gateway REST API, Lambda proxy integration), read-only and public:
 * - `GET /products?category=<c>` -> `{items: [...]}`, the category's products by name (DynamoDB
 *   `Query` on the `by-category` index, at most {@link PAGE_SIZE});
 * - `GET /products/{productId}` -> the product, or 404.
 *
 * Cache-aside in ElastiCache Redis (`coffee-shop:category:<c>`, `coffee-shop:product:<id>`, TTL
 * `CACHE_TTL_SECONDS`, default 300): a hit answers without DynamoDB; a miss or any cache failure reads
 * DynamoDB and then fills the cache (best effort). Responses may be cached 60 s by browsers.
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
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import { callAws } from '../shared/aws-json';
import { Plain, unmarshall } from '../shared/dynamo';
import { json } from '../shared/http';
import { errorName, log } from '../shared/log';
import { RedisConnection } from '../shared/redis';

const FN = 'products';
/** Most products one category page returns. */
export const PAGE_SIZE = 100;
/** Name of the category index of the products table. */
export const CATEGORY_INDEX = 'by-category';
/** Allowed identifiers (category, productId). */
export const ID = /^[A-Za-z0-9_-]{1,64}$/;

const secrets = new SecretsManagerClient({});
let cache: Promise<RedisConnection | undefined> | undefined;

/** Opens (once per container) the cache connection; `undefined` when not configured or unreachable. */
function cacheConnection(): Promise<RedisConnection | undefined> {
  const host = process.env.CACHE_HOST ?? '';
  const secretArn = process.env.CACHE_SECRET_ARN ?? '';
  if (host === '' || secretArn === '') return Promise.resolve(undefined);
  cache ??= (async () => {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const token = (JSON.parse(secret.SecretString ?? '{}') as { authToken?: unknown }).authToken;
    if (typeof token !== 'string' || token === '') throw new Error('cache secret has no authToken');
    return RedisConnection.open({ host, port: Number(process.env.CACHE_PORT ?? '6379'), authToken: token });
  })().catch(() => {
    cache = undefined; // retried on the next invocation
    return undefined;
  });
  return cache;
}

/** Forgets the per-container cache connection. For tests only. */
export function resetCacheConnection(): void {
  cache = undefined;
}

type CacheOutcome = 'hit' | 'miss' | 'off' | 'error';

async function cached(key: string, load: () => Promise<Plain | undefined>): Promise<{ value: Plain | undefined; cache: CacheOutcome }> {
  const ttl = Number(process.env.CACHE_TTL_SECONDS ?? '300');
  const connection = await cacheConnection();
  let outcome: CacheOutcome = connection ? 'miss' : 'off';
  if (connection) {
    try {
      const reply = await connection.command(['GET', key]);
      if (reply.kind === 'bulk' && reply.value !== null) return { value: JSON.parse(reply.value) as Plain, cache: 'hit' };
    } catch {
      outcome = 'error';
      cache = undefined;
    }
  }
  const value = await load();
  if (connection && outcome === 'miss' && value !== undefined) {
    await connection.command(['SET', key, JSON.stringify(value), 'EX', String(ttl)]).catch(() => (cache = undefined));
  }
  return { value, cache: outcome };
}

/** Lambda entry point. Never throws. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const started = Date.now();
  const requestId = context?.awsRequestId;
  const table = process.env.PRODUCTS_TABLE ?? '';
  const done = (status: number, fields: Record<string, string | number | undefined> = {}) =>
    log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', FN, 'products.completed', { requestId, route: event?.resource, status, ...fields, durationMs: Date.now() - started });

  if (table === '') {
    done(500, { missingEnv: 'PRODUCTS_TABLE' });
    return json(500, { error: 'internal_error', requestId });
  }
  if (event.httpMethod !== 'GET') {
    done(405);
    return json(405, { error: 'method_not_allowed', requestId }, 0, { Allow: 'GET' });
  }
  try {
    const productId = event.pathParameters?.productId;
    if (productId !== undefined) {
      if (!ID.test(productId)) {
        done(400);
        return json(400, { error: 'invalid_request', message: 'productId must be 1-64 letters, digits, - or _.', requestId });
      }
      const { value, cache: outcome } = await cached(`coffee-shop:product:${productId}`, async () => {
        const out = await callAws<{ Item?: Record<string, unknown> }>('dynamodb', 'DynamoDB_20120810.GetItem', { TableName: table, Key: { productId: { S: productId } } });
        return out.Item ? unmarshall(out.Item) : undefined;
      });
      if (value === undefined) {
        done(404, { cache: outcome });
        return json(404, { error: 'not_found', requestId });
      }
      done(200, { cache: outcome });
      return json(200, value, 60);
    }
    const category = event.queryStringParameters?.category;
    if (category === undefined || !ID.test(category)) {
      done(400);
      return json(400, { error: 'invalid_request', message: 'category must be 1-64 letters, digits, - or _.', requestId });
    }
    const { value, cache: outcome } = await cached(`coffee-shop:category:${category}`, async () => {
      const out = await callAws<{ Items?: Record<string, unknown>[] }>('dynamodb', 'DynamoDB_20120810.Query', {
        TableName: table,
        IndexName: CATEGORY_INDEX,
        KeyConditionExpression: 'category = :c',
        ExpressionAttributeValues: { ':c': { S: category } },
        Limit: PAGE_SIZE,
      });
      return (out.Items ?? []).map(unmarshall);
    });
    done(200, { cache: outcome });
    return json(200, { items: value ?? [] }, 60);
  } catch (err) {
    done(500, { error: errorName(err) });
    return json(500, { error: 'internal_error', requestId });
  }
}
