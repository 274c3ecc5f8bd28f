/**
 * coffee-shop orders (API Gateway REST API, Lambda proxy integration, behind the Cognito user pool
 * authorizer: the customer is the token's `sub`, never a value from the request):
 * - `POST /orders` `{"items": [{"productId": "...", "quantity": 2}, ...]}` -> 201 `{orderId, status,
 *   totalCents, currency}`: prices are read from the products table (never from the client), the
 *   order is written (`PLACED`, conditional on a new id) and `OrderPlaced` is published on the event
 *   bus, which starts the order workflow (validate -> charge -> confirm -> notify -> fulfilment);
 * - `GET /orders` -> the customer's latest orders (at most {@link PAGE_SIZE}, newest first);
 * - `GET /orders/{orderId}` -> one of the customer's orders, or 404 (also for other customers' ids).
 *
 * Order ids are time-ordered (`<epoch ms base36>-<random>`), so the table's sort key lists newest first.
 * Input rules: 1-{@link MAX_LINES} lines, distinct product ids (1-64 of `[A-Za-z0-9_-]`), quantities
 * 1-{@link MAX_QUANTITY}; every product must exist and be `available` (409 otherwise). Amounts are
 * integer cents in one currency.
 *
 * Responses: 200/201; 400 `invalid_request`; 401 when no customer identity reached the function;
 * 404 `not_found`; 409 `unavailable_products` with their ids; 503 `try_again` when the event could not
 * be published (the order is marked `PUBLISH_FAILED` so it is never half-processed); 500 otherwise.
 * Environment: `ORDERS_TABLE`, `PRODUCTS_TABLE`, `EVENT_BUS_NAME`, optional `ALLOWED_ORIGIN`.
 * IAM: `dynamodb:PutItem`, `UpdateItem`, `GetItem`, `Query` on the orders table; `BatchGetItem` on the
 * products table; `events:PutEvents` on the bus with source `coffee-shop.orders`.
 * Logs: one JSON line per request (`event: "orders.completed"`), no item contents, no customer e-mail;
 * a 503 adds `error: "PublishFailed"` and `cause` (EventBridge's entry `ErrorCode`, or the SDK error name).
 * AWS calls through the SDK v3 clients of `shared/aws-clients.ts` (DynamoDB document client, EventBridge).
 */
import { randomBytes } from "node:crypto";

import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";

import { newDocumentClient, newEventBridgeClient } from "../shared/aws-clients";
import { json, jsonBody } from "../shared/http";
import { errorName, log } from "../shared/log";

const FN = "orders";
export const EVENT_SOURCE = "coffee-shop.orders";
export const ORDER_PLACED = "OrderPlaced";
export const PAGE_SIZE = 50;
export const MAX_LINES = 20;
export const MAX_QUANTITY = 20;
export const MAX_BODY_BYTES = 4096;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ORDER_ID = /^[0-9a-z]{8,12}-[0-9a-f]{16}$/;

// One client each per execution environment, reused across invocations.
const dynamo = newDocumentClient();
const events = newEventBridgeClient();

interface Line {
    productId: string;
    quantity: number;
}

/** `<epoch ms, base 36>-<64 random bits, hex>`: unique, and sorted by creation time. */
export function newOrderId(now = Date.now()): string {
    return `${now.toString(36)}-${randomBytes(8).toString("hex")}`;
}

/** Validates the order lines; returns them, or the reason they are refused. */
export function parseLines(body: Record<string, unknown> | undefined): Line[] | string {
    const items = body?.items;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES)
        return `items must be a list of 1-${MAX_LINES} lines`;
    const lines: Line[] = [];
    for (const item of items as unknown[]) {
        const l = item as Record<string, unknown>;
        if (l === null || typeof l !== "object" || typeof l.productId !== "string" || !ID.test(l.productId))
            return "every line needs a productId of 1-64 letters, digits, - or _";
        if (!Number.isInteger(l.quantity) || (l.quantity as number) < 1 || (l.quantity as number) > MAX_QUANTITY)
            return `quantity must be an integer from 1 to ${MAX_QUANTITY}`;
        lines.push({ productId: l.productId, quantity: l.quantity as number });
    }
    if (new Set(lines.map((l) => l.productId)).size !== lines.length) return "a product may appear once";
    return lines;
}

function env(): { orders: string; products: string; bus: string } | string[] {
    const orders = process.env.ORDERS_TABLE ?? "";
    const products = process.env.PRODUCTS_TABLE ?? "";
    const bus = process.env.EVENT_BUS_NAME ?? "";
    const missing = [
        ...(orders ? [] : ["ORDERS_TABLE"]),
        ...(products ? [] : ["PRODUCTS_TABLE"]),
        ...(bus ? [] : ["EVENT_BUS_NAME"]),
    ];
    return missing.length > 0 ? missing : { orders, products, bus };
}

/** Lambda entry point. Never throws. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
    const started = Date.now();
    const requestId = context?.awsRequestId;
    const route = `${event?.httpMethod} ${event?.resource}`;
    const done = (status: number, fields: Record<string, string | number | undefined> = {}) =>
        log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", FN, "orders.completed", {
            requestId,
            route,
            status,
            ...fields,
            durationMs: Date.now() - started,
        });

    const config = env();
    if (Array.isArray(config)) {
        done(500, { missingEnv: config.join(",") });
        return json(500, { error: "internal_error", requestId });
    }
    const authorizer = event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null | undefined;
    const customerId = authorizer?.claims?.sub;
    if (typeof customerId !== "string" || customerId === "") {
        done(401);
        return json(401, { error: "unauthorized", requestId });
    }
    try {
        if (event.httpMethod === "POST" && event.resource === "/orders")
            return await place(config, customerId, event, requestId, done);
        if (event.httpMethod === "GET" && event.resource === "/orders") {
            const out = await dynamo.send(
                new QueryCommand({
                    TableName: config.orders,
                    KeyConditionExpression: "customerId = :c",
                    ExpressionAttributeValues: { ":c": customerId },
                    ScanIndexForward: false,
                    Limit: PAGE_SIZE,
                }),
            );
            done(200, { count: out.Items?.length ?? 0 });
            return json(200, { items: out.Items ?? [] });
        }
        if (event.httpMethod === "GET" && event.resource === "/orders/{orderId}") {
            const orderId = event.pathParameters?.orderId ?? "";
            if (!ORDER_ID.test(orderId)) {
                done(400);
                return json(400, { error: "invalid_request", message: "orderId is not an order id.", requestId });
            }
            const out = await dynamo.send(new GetCommand({ TableName: config.orders, Key: { customerId, orderId } }));
            if (!out.Item) {
                done(404);
                return json(404, { error: "not_found", requestId });
            }
            done(200);
            return json(200, out.Item);
        }
        done(405);
        return json(405, { error: "method_not_allowed", requestId });
    } catch (err) {
        done(500, { error: errorName(err) });
        return json(500, { error: "internal_error", requestId });
    }
}

async function place(
    config: { orders: string; products: string; bus: string },
    customerId: string,
    event: APIGatewayProxyEvent,
    requestId: string | undefined,
    done: (status: number, fields?: Record<string, string | number | undefined>) => void,
): Promise<APIGatewayProxyResult> {
    const lines = parseLines(jsonBody(event.body, event.isBase64Encoded, MAX_BODY_BYTES));
    if (typeof lines === "string") {
        done(400);
        return json(400, { error: "invalid_request", message: lines, requestId });
    }
    const found = await dynamo.send(
        new BatchGetCommand({
            RequestItems: {
                [config.products]: {
                    Keys: lines.map((l) => ({ productId: l.productId })),
                    ProjectionExpression: "productId, priceCents, currency, available",
                },
            },
        }),
    );
    if (found.UnprocessedKeys && Object.keys(found.UnprocessedKeys).length > 0)
        throw Object.assign(new Error("products lookup incomplete"), { name: "UnprocessedKeys" });
    const products = new Map(
        (found.Responses?.[config.products] ?? []).map((item) => {
            const p = item as { productId: string; priceCents: number; currency: string; available: boolean };
            return [p.productId, p];
        }),
    );
    const unavailable = lines.filter((l) => products.get(l.productId)?.available !== true).map((l) => l.productId);
    const currencies = new Set(lines.map((l) => products.get(l.productId)?.currency));
    if (unavailable.length > 0 || currencies.size !== 1) {
        done(409, { unavailable: unavailable.length });
        return json(409, { error: "unavailable_products", productIds: unavailable, requestId });
    }
    const currency = [...currencies][0]!;
    const priced = lines.map((l) => ({ ...l, unitPriceCents: products.get(l.productId)!.priceCents }));
    const totalCents = priced.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
    const orderId = newOrderId();
    const createdAt = new Date().toISOString();
    await dynamo.send(
        new PutCommand({
            TableName: config.orders,
            Item: { customerId, orderId, status: "PLACED", items: priced, totalCents, currency, createdAt },
            ConditionExpression: "attribute_not_exists(orderId)",
        }),
    );
    const published = await events
        .send(
            new PutEventsCommand({
                Entries: [
                    {
                        EventBusName: config.bus,
                        Source: EVENT_SOURCE,
                        DetailType: ORDER_PLACED,
                        Detail: JSON.stringify({ orderId, customerId, totalCents, currency }),
                    },
                ],
            }),
        )
        .then(
            (out) => ({ failed: (out.FailedEntryCount ?? 0) > 0, error: out.Entries?.[0]?.ErrorCode }),
            (err: unknown) => ({ failed: true, error: errorName(err) }),
        );
    if (published.failed) {
        await dynamo
            .send(
                new UpdateCommand({
                    TableName: config.orders,
                    Key: { customerId, orderId },
                    UpdateExpression: "SET #s = :failed",
                    ConditionExpression: "#s = :placed",
                    ExpressionAttributeNames: { "#s": "status" },
                    ExpressionAttributeValues: { ":failed": "PUBLISH_FAILED", ":placed": "PLACED" },
                }),
            )
            .catch(() => undefined);
        done(503, { orderId, error: "PublishFailed", cause: published.error });
        return json(503, { error: "try_again", requestId }, 0, { "Retry-After": "5" });
    }
    done(201, { orderId, lines: lines.length });
    return json(201, { orderId, status: "PLACED", totalCents, currency });
}
