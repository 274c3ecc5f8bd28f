/**
 * The coffee-shop order status transitions (apps/lambdas/order-steps) against a real DynamoDB-compatible
 * server: dynalite (npm, pure JavaScript, in memory), on 127.0.0.1 with a port the system picks. The
 * handler's own client (shared/aws-clients.ts) reaches it through the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` variable, so conditions, replays and races are DynamoDB's semantics, not a
 * mock's. https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { strict as assert } from "node:assert";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";

import { handler as steps, TransitionResult } from "../../../apps/lambdas/order-steps/handler";
import { captureConsole, CapturedLogs, lambdaContext } from "./support";

const TABLE = "orders-t";
const SUB = "8f1c2d3e-0000-4000-8000-00000000abcd";
const PAYMENT = "pay_0123456789abcdef01234567";
const ENV = {
    AWS_REGION: "sa-east-1",
    AWS_ACCESS_KEY_ID: "AKIDLOCALTEST",
    AWS_SECRET_ACCESS_KEY: "local-test-secret",
    ORDERS_TABLE: TABLE,
};

describe("coffee-shop order status transitions (order-steps against dynalite)", function () {
    this.timeout(20_000);
    let server: Server;
    let db: DynamoDBDocumentClient;
    let logs: CapturedLogs;
    let envBefore: Record<string, string | undefined>;
    let n = 0;

    before(async () => {
        server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => resolve());
        });
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const vars = { ...ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
        envBefore = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
        Object.assign(process.env, vars);
        db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
        // The orders table's key schema (stacks/coffee-shop/data.ts).
        await db.send(
            new CreateTableCommand({
                TableName: TABLE,
                KeySchema: [
                    { AttributeName: "customerId", KeyType: "HASH" },
                    { AttributeName: "orderId", KeyType: "RANGE" },
                ],
                AttributeDefinitions: [
                    { AttributeName: "customerId", AttributeType: "S" },
                    { AttributeName: "orderId", AttributeType: "S" },
                ],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    });
    after(async () => {
        for (const [k, v] of Object.entries(envBefore ?? {})) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        db?.destroy();
        await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });
    beforeEach(() => (logs = captureConsole()));
    afterEach(() => logs.restore());

    /** Stores a new order with `status` (and `extra` attributes); returns its id. */
    async function order(status: string, extra: Record<string, unknown> = {}): Promise<string> {
        const orderId = `o-${++n}`;
        const items = [{ productId: "bourbon", quantity: 2, unitPriceCents: 4200 }];
        await db.send(
            new PutCommand({
                TableName: TABLE,
                Item: { customerId: SUB, orderId, status, items, totalCents: 8400, currency: "BRL", ...extra },
            }),
        );
        return orderId;
    }
    const stored = async (orderId: string) =>
        (await db.send(new GetCommand({ TableName: TABLE, Key: { customerId: SUB, orderId }, ConsistentRead: true })))
            .Item;
    const confirm = (orderId: string, paymentId = PAYMENT) =>
        steps(
            { action: "confirm", orderId, customerId: SUB, paymentId },
            lambdaContext("c"),
        ) as Promise<TransitionResult>;
    const fail = (orderId: string, reason = "PaymentDeclined") =>
        steps({ action: "fail", orderId, customerId: SUB, reason }, lambdaContext("f")) as Promise<TransitionResult>;
    const rejectsWith = (p: Promise<unknown>, name: string) => assert.rejects(p, (e: Error) => e.name === name);
    const count = async () => (await db.send(new ScanCommand({ TableName: TABLE, Select: "COUNT" }))).Count;

    it("confirms a PLACED order with its payment id; a replay of the same confirmation succeeds without writing", async () => {
        const id = await order("PLACED");
        assert.deepEqual(await confirm(id), { orderId: id, customerId: SUB, status: "CONFIRMED", replayed: false });
        const first = await stored(id);
        assert.deepEqual([first?.status, first?.paymentId], ["CONFIRMED", PAYMENT]);
        assert.deepEqual(await confirm(id), { orderId: id, customerId: SUB, status: "CONFIRMED", replayed: true });
        assert.deepEqual(await stored(id), first, "the replay wrote nothing");
        await rejectsWith(confirm(id, "pay_another"), "OrderStateConflict");
        assert.deepEqual(await stored(id), first);
    });

    it("never turns a CONFIRMED order FAILED (a replayed or duplicate event's failure branch)", async () => {
        const id = await order("CONFIRMED", { paymentId: PAYMENT });
        const before = await stored(id);
        await rejectsWith(fail(id, "OrderInvalid"), "OrderStateConflict");
        assert.deepEqual(await stored(id), before);
        assert.equal((await stored(id))?.failureReason, undefined);
        // The duplicate execution's first step stops it before any charge.
        await rejectsWith(
            steps({ action: "validate", orderId: id, customerId: SUB }, lambdaContext("v")),
            "OrderNotPending",
        );
    });

    it("fails a PLACED order once: a replay succeeds and keeps the first reason; a FAILED order is never confirmed", async () => {
        const id = await order("PLACED");
        assert.deepEqual(await fail(id), { orderId: id, customerId: SUB, status: "FAILED", replayed: false });
        const first = await stored(id);
        assert.deepEqual([first?.status, first?.failureReason], ["FAILED", "PaymentDeclined"]);
        assert.deepEqual(await fail(id, "States.Timeout"), {
            orderId: id,
            customerId: SUB,
            status: "FAILED",
            replayed: true,
        });
        assert.deepEqual(await stored(id), first);
        await rejectsWith(confirm(id), "OrderStateConflict");
        assert.deepEqual(await stored(id), first);
    });

    it("leaves PUBLISH_FAILED orders alone", async () => {
        const id = await order("PUBLISH_FAILED");
        await rejectsWith(confirm(id), "OrderStateConflict");
        await rejectsWith(fail(id), "OrderStateConflict");
        assert.equal((await stored(id))?.status, "PUBLISH_FAILED");
    });

    it("creates no phantom order for an event whose order does not exist", async () => {
        const before = await count();
        await rejectsWith(confirm("o-missing"), "OrderNotFound");
        await rejectsWith(fail("o-missing"), "OrderNotFound");
        await rejectsWith(
            steps({ action: "validate", orderId: "o-missing", customerId: SUB }, lambdaContext("v")),
            "OrderNotFound",
        );
        assert.equal(await stored("o-missing"), undefined);
        assert.equal(await count(), before);
    });

    it("lets exactly one of two concurrent executions make a transition", async () => {
        const both = await order("PLACED");
        const confirmations = await Promise.all([confirm(both), confirm(both)]);
        assert.deepEqual(confirmations.map((r) => r.replayed).sort(), [false, true]);

        const race = await order("PLACED");
        const outcomes = await Promise.allSettled([confirm(race), fail(race)]);
        const won = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
        const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
        assert.equal(won.length, 1);
        assert.deepEqual(
            lost.map((e) => e.name),
            ["OrderStateConflict"],
        );
        assert.equal((await stored(race))?.status, won[0].status);
    });

    it("refuses a transition without its payment id or reason before writing", async () => {
        const id = await order("PLACED");
        await rejectsWith(steps({ action: "confirm", orderId: id, customerId: SUB }, lambdaContext("c")), "BadInput");
        await rejectsWith(steps({ action: "fail", orderId: id, customerId: SUB }, lambdaContext("f")), "BadInput");
        assert.equal((await stored(id))?.status, "PLACED");
        assert.deepEqual(
            logs.records().map((r) => [r.action, r.outcome, r.error]),
            [
                ["confirm", "failed", "BadInput"],
                ["fail", "failed", "BadInput"],
            ],
        );
    });
});
