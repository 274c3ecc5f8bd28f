/**
 * coffee-shop order workflow steps, called by the Step Functions state machine (Lambda invoke task):
 * - `{"action": "validate", "orderId", "customerId"}` -> `{orderId, customerId, totalCents, currency}`
 *   when the order exists, is `PLACED`, has lines and a positive total. Throws `OrderNotFound` when there
 *   is no such order and `OrderNotPending` when it is past `PLACED` (a duplicate or replayed `OrderPlaced`
 *   event: the state machine ends without touching the order), `OrderInvalid` otherwise (the state
 *   machine's failure branch marks the order `FAILED`);
 * - `{"action": "charge", "orderId", "customerId", "totalCents", "currency"}` -> `{paymentId,
 *   chargedCents}`. The payment gateway is **simulated**: it approves up to `PAYMENT_LIMIT_CENTS`
 *   (default 50000) and throws `PaymentDeclined` above it, so the failure branch can be exercised; a
 *   real gateway client replaces {@link charge} (its credentials would come from Secrets Manager);
 * - `{"action": "confirm", "orderId", "customerId", "paymentId"}` and `{"action": "fail", "orderId",
 *   "customerId", "reason"}` -> `{orderId, customerId, status, replayed}`: the status transitions of
 *   {@link TRANSITIONS}, each one conditional UpdateItem (see {@link transition}). A replay of a
 *   transition already made (a retried step, a duplicate execution) returns `replayed: true`; a
 *   missing order throws `OrderNotFound`, an order in any other state `OrderStateConflict` (never
 *   overwritten: a `CONFIRMED` order never becomes `FAILED`, and no item is ever created).
 *
 * Errors thrown carry their `name` (Step Functions matches it in `Retry`/`Catch`); transient AWS
 * errors propagate with the service's error name for the state machine's retries.
 * Environment: `ORDERS_TABLE`, optional `PAYMENT_LIMIT_CENTS`. IAM: `dynamodb:GetItem` and `dynamodb:UpdateItem`
 * on the orders table (through the SDK's document client, `shared/aws-clients.ts`).
 * Logs: one JSON line per step (`event: "order.step"`), ids and outcome only.
 */
import { createHash } from "node:crypto";

import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";

import { newDocumentClient } from "../shared/aws-clients";
import { errorName, log } from "../shared/log";

const FN = "order-steps";

// One client per execution environment, reused across invocations.
const dynamo = newDocumentClient();

/** A step's failure that Step Functions routes by name. */
export class StepError extends Error {
    constructor(
        name:
            | "OrderInvalid"
            | "OrderNotFound"
            | "OrderNotPending"
            | "OrderStateConflict"
            | "PaymentDeclined"
            | "BadInput",
        message: string,
    ) {
        super(message);
        this.name = name;
    }
}

export interface StepInput {
    action: "validate" | "charge" | "confirm" | "fail";
    orderId: string;
    customerId: string;
    totalCents?: number;
    currency?: string;
    /** `confirm`: the payment id `charge` returned. */
    paymentId?: string;
    /** `fail`: the error name the state machine caught (at most {@link MAX_REASON} characters are kept). */
    reason?: string;
}

/**
 * The status transitions the workflow makes (the orders API writes `PLACED`, and `PLACED` ->
 * `PUBLISH_FAILED` when the event could not be published). Both leave `PLACED` only: `CONFIRMED`,
 * `FAILED` and `PUBLISH_FAILED` are final.
 */
export const TRANSITIONS = {
    confirm: { from: "PLACED", to: "CONFIRMED" },
    fail: { from: "PLACED", to: "FAILED" },
} as const;

/** Longest failure reason stored (Step Functions error names are short; a longer one is cut). */
export const MAX_REASON = 256;

/** What a transition step returns to the state machine. */
export interface TransitionResult {
    orderId: string;
    customerId: string;
    status: string;
    /** True when the order already had the target status (and payment id): nothing was written. */
    replayed: boolean;
}

/** Validates the order as stored. */
export async function validate(
    table: string,
    input: StepInput,
): Promise<{ orderId: string; customerId: string; totalCents: number; currency: string }> {
    const out = await dynamo.send(
        new GetCommand({
            TableName: table,
            Key: { customerId: input.customerId, orderId: input.orderId },
            ConsistentRead: true,
        }),
    );
    if (!out.Item) throw new StepError("OrderNotFound", "order not found");
    const order = out.Item as { status?: string; items?: unknown[]; totalCents?: number; currency?: string };
    if (order.status !== "PLACED")
        throw new StepError("OrderNotPending", `order is ${String(order.status)}, not PLACED`);
    if (
        !Array.isArray(order.items) ||
        order.items.length === 0 ||
        !Number.isInteger(order.totalCents) ||
        (order.totalCents ?? 0) <= 0 ||
        typeof order.currency !== "string"
    ) {
        throw new StepError("OrderInvalid", "order has no lines or no positive total");
    }
    return {
        orderId: input.orderId,
        customerId: input.customerId,
        totalCents: order.totalCents!,
        currency: order.currency,
    };
}

/** The simulated payment gateway: deterministic payment id per order, declines above the limit. */
export function charge(input: StepInput, limitCents: number): { paymentId: string; chargedCents: number } {
    if (!Number.isInteger(input.totalCents) || (input.totalCents ?? 0) <= 0)
        throw new StepError("BadInput", "totalCents must be a positive integer");
    if (input.totalCents! > limitCents) throw new StepError("PaymentDeclined", "amount above the limit");
    // Idempotent: a retried charge of the same order gets the same payment id.
    const digest = createHash("sha256").update(`${input.customerId}/${input.orderId}`).digest("hex");
    const paymentId = `pay_${digest.slice(0, 24)}`;
    return { paymentId, chargedCents: input.totalCents! };
}

/**
 * Moves the order from `TRANSITIONS[step].from` to `.to` and sets `fields`, with one UpdateItem whose
 * condition is `attribute_exists` of both key attributes and the current status (so a missing order is
 * never created and a final status never overwritten). When the condition fails, a consistent read
 * tells why: the order already has the target status and the same `match` fields -> a replay, returned
 * with `replayed: true`; no order -> `OrderNotFound`; any other state -> `OrderStateConflict`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html (a failed
 * condition is `ConditionalCheckFailedException`; UpdateItem without a condition creates the item).
 */
export async function transition(
    table: string,
    input: StepInput,
    step: keyof typeof TRANSITIONS,
    fields: Record<string, string>,
    match: string[],
): Promise<TransitionResult> {
    const { from, to } = TRANSITIONS[step];
    const key = { customerId: input.customerId, orderId: input.orderId };
    const names = Object.keys(fields);
    const result = { orderId: input.orderId, customerId: input.customerId, status: to };
    try {
        await dynamo.send(
            new UpdateCommand({
                TableName: table,
                Key: key,
                UpdateExpression: `SET #status = :to, ${names.map((_, i) => `#f${i} = :f${i}`).join(", ")}`,
                ConditionExpression: "attribute_exists(customerId) AND attribute_exists(orderId) AND #status = :from",
                ExpressionAttributeNames: {
                    "#status": "status",
                    ...Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
                },
                ExpressionAttributeValues: {
                    ":to": to,
                    ":from": from,
                    ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])),
                },
            }),
        );
        return { ...result, replayed: false };
    } catch (err) {
        if (errorName(err) !== "ConditionalCheckFailedException") throw err;
    }
    const out = await dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!out.Item) throw new StepError("OrderNotFound", "order not found");
    const item = out.Item as Record<string, unknown>;
    if (item.status === to && match.every((n) => item[n] === fields[n])) return { ...result, replayed: true };
    throw new StepError("OrderStateConflict", `order is ${String(item.status)}, cannot become ${to}`);
}

/** Runs the transition step `action` after checking its input. */
function transitionStep(table: string, event: StepInput): Promise<TransitionResult> {
    const updatedAt = new Date().toISOString();
    if (event.action === "confirm") {
        if (typeof event.paymentId !== "string" || event.paymentId === "")
            throw new StepError("BadInput", "paymentId is required");
        return transition(table, event, "confirm", { paymentId: event.paymentId, updatedAt }, ["paymentId"]);
    }
    if (typeof event.reason !== "string" || event.reason === "") throw new StepError("BadInput", "reason is required");
    return transition(table, event, "fail", { failureReason: event.reason.slice(0, MAX_REASON), updatedAt }, []);
}

/** Lambda entry point. Throws named errors for Step Functions. */
export async function handler(event: StepInput, context: Context): Promise<unknown> {
    const started = Date.now();
    const requestId = context?.awsRequestId;
    const base = { requestId, action: event?.action, orderId: event?.orderId };
    try {
        if (
            typeof event?.orderId !== "string" ||
            typeof event.customerId !== "string" ||
            event.orderId === "" ||
            event.customerId === ""
        )
            throw new StepError("BadInput", "orderId and customerId are required");
        if (!["validate", "charge", "confirm", "fail"].includes(event.action))
            throw new StepError("BadInput", "action must be validate, charge, confirm or fail");
        let result: unknown;
        let replayed: boolean | undefined;
        if (event.action === "charge") {
            result = charge(event, Number(process.env.PAYMENT_LIMIT_CENTS ?? "50000"));
        } else {
            const table = process.env.ORDERS_TABLE ?? "";
            if (table === "") throw new Error("ORDERS_TABLE is not set");
            if (event.action === "validate") result = await validate(table, event);
            else {
                const moved = await transitionStep(table, event);
                replayed = moved.replayed;
                result = moved;
            }
        }
        log("info", FN, "order.step", { ...base, outcome: "ok", replayed, durationMs: Date.now() - started });
        return result;
    } catch (err) {
        log(err instanceof StepError ? "warn" : "error", FN, "order.step", {
            ...base,
            outcome: "failed",
            error: errorName(err),
            durationMs: Date.now() - started,
        });
        throw err;
    }
}
