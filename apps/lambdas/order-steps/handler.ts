/**
 * coffee-shop order workflow steps, called by the Step Functions state machine (Lambda invoke task):
 * - `{"action": "validate", "orderId", "customerId"}` -> `{orderId, customerId, totalCents, currency}`
 *   when the order exists, is `PLACED`, has lines and a positive total; otherwise throws `OrderInvalid`
 *   (the state machine's failure branch marks the order `FAILED`);
 * - `{"action": "charge", "orderId", "customerId", "totalCents", "currency"}` -> `{paymentId,
 *   chargedCents}`. The payment gateway is **simulated**: it approves up to `PAYMENT_LIMIT_CENTS`
 *   (default 50000) and throws `PaymentDeclined` above it, so the failure branch can be exercised; a
 *   real gateway client replaces {@link charge} (its credentials would come from Secrets Manager).
 *
 * Errors thrown carry their `name` (Step Functions matches it in `Retry`/`Catch`); transient AWS
 * errors propagate with the service's error name for the state machine's retries.
 * Environment: `ORDERS_TABLE`, optional `PAYMENT_LIMIT_CENTS`. IAM: `dynamodb:GetItem` on the orders table
 * (through the SDK's document client, `shared/aws-clients.ts`).
 * Logs: one JSON line per step (`event: "order.step"`), ids and outcome only.
 */
import { createHash } from "node:crypto";

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";

import { newDocumentClient } from "../shared/aws-clients";
import { errorName, log } from "../shared/log";

const FN = "order-steps";

// One client per execution environment, reused across invocations.
const dynamo = newDocumentClient();

/** A step's failure that Step Functions routes by name. */
export class StepError extends Error {
    constructor(name: "OrderInvalid" | "PaymentDeclined" | "BadInput", message: string) {
        super(message);
        this.name = name;
    }
}

export interface StepInput {
    action: "validate" | "charge";
    orderId: string;
    customerId: string;
    totalCents?: number;
    currency?: string;
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
    if (!out.Item) throw new StepError("OrderInvalid", "order not found");
    const order = out.Item as { status?: string; items?: unknown[]; totalCents?: number; currency?: string };
    if (order.status !== "PLACED") throw new StepError("OrderInvalid", `order is ${String(order.status)}, not PLACED`);
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
    const paymentId = `pay_${createHash("sha256").update(`${input.customerId}/${input.orderId}`).digest("hex").slice(0, 24)}`;
    return { paymentId, chargedCents: input.totalCents! };
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
        let result: unknown;
        if (event.action === "validate") {
            const table = process.env.ORDERS_TABLE ?? "";
            if (table === "") throw new Error("ORDERS_TABLE is not set");
            result = await validate(table, event);
        } else if (event.action === "charge") {
            result = charge(event, Number(process.env.PAYMENT_LIMIT_CENTS ?? "50000"));
        } else {
            throw new StepError("BadInput", "action must be validate or charge");
        }
        log("info", FN, "order.step", { ...base, outcome: "ok", durationMs: Date.now() - started });
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
