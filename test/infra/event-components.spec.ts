/**
 * The coffee-shop components on their own, under Pulumi mocks in this process: DynamoDbTable (keys,
 * indexes, encryption, recovery, protection, IAM statements), EventBus (KMS, archive, publisher
 * statement, the rule -> state machine role) and StateMachine (role, logging, tracing). Argument
 * validation reports every problem at once, naming the component and the field.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DynamoDbTable } from "../../infra/data/dynamodb-table";
import { EventBus } from "../../infra/serverless/event-bus";
import { StateMachine } from "../../infra/serverless/state-machine";

interface Registered {
    type: string;
    name: string;
    inputs: any;
    protect?: boolean;
}
const registered: Registered[] = [];
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};
const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };
const ACCOUNT = { accountId: "123456789012", partition: "aws", region: "sa-east-1" };
const KEY = "arn:aws:kms:sa-east-1:123456789012:key/data";

describe("event and table components (under mocks)", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    return {
                        id: `${a.name}-id`,
                        state: {
                            ...a.inputs,
                            name: a.inputs.name ?? a.name,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
    });

    describe("DynamoDbTable", () => {
        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new DynamoDbTable("bad", {
                        hashKey: { name: "id", type: "S" },
                        indexes: { ix: { hashKey: { name: "id", type: "N" }, projectedAttributes: [] } },
                        ttlAttribute: "has space",
                        kmsKeyArn: KEY,
                        protect: false,
                        region: "sa-east-1",
                        tags: TAGS,
                    }),
                {
                    message:
                        'DynamoDbTable bad: attribute id is declared as S and N; indexes: name "ix" must be 3-255 letters, digits, _ . -; ttlAttribute must be an attribute name; got "has space"',
                },
            );
        });

        it("is on-demand, encrypted with the key, recoverable, protected when asked, and grants item actions through DynamoDB only", async () => {
            const t = new DynamoDbTable("orders", {
                hashKey: { name: "customerId", type: "S" },
                rangeKey: { name: "orderId", type: "S" },
                ttlAttribute: "expiresAt",
                kmsKeyArn: KEY,
                protect: true,
                region: "sa-east-1",
                tags: TAGS,
            });
            await settle(t.tableArn);
            const i = one("aws:dynamodb/table:Table", "orders");
            assert.deepStrictEqual(
                [i.billingMode, i.hashKey, i.rangeKey, i.attributes],
                [
                    "PAY_PER_REQUEST",
                    "customerId",
                    "orderId",
                    [
                        { name: "customerId", type: "S" },
                        { name: "orderId", type: "S" },
                    ],
                ],
            );
            assert.deepStrictEqual(
                [i.serverSideEncryption, i.pointInTimeRecovery, i.deletionProtectionEnabled, i.ttl],
                [
                    { enabled: true, kmsKeyArn: KEY },
                    { enabled: true },
                    true,
                    { attributeName: "expiresAt", enabled: true },
                ],
            );
            const arn = "arn:aws:mock:sa-east-1:123456789012:orders";
            const read = await settle(pulumi.output(t.readStatements("Read")));
            assert.deepStrictEqual(read, [
                {
                    Sid: "ReadItems",
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
                    Resource: [arn, `${arn}/index/*`],
                },
                {
                    Sid: "ReadKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: KEY,
                    Condition: { StringEquals: { "kms:ViaService": "dynamodb.sa-east-1.amazonaws.com" } },
                },
            ]);
            const write = await settle(pulumi.output(t.writeStatements("Write")));
            assert.deepStrictEqual(write[0], {
                Sid: "WriteItems",
                Effect: "Allow",
                Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
                Resource: arn,
            });
        });
    });

    describe("EventBus", () => {
        it("refuses the default bus name and a bad retention", () => {
            assert.throws(
                () =>
                    new EventBus("bad", {
                        busName: "default",
                        kmsKeyArn: KEY,
                        archiveRetentionDays: 0,
                        ...ACCOUNT,
                        tags: TAGS,
                    }),
                {
                    message:
                        'EventBus bad: busName must be 1-256 letters, digits, . _ - and not "default"; got "default"; archiveRetentionDays must be 1-3650; got 0',
                },
            );
        });

        it("encrypts and archives, lets publishers put events only with their source, and starts a state machine through a role of the rule", async () => {
            const bus = new EventBus("ev", { busName: "p-test-orders", kmsKeyArn: KEY, ...ACCOUNT, tags: TAGS });
            const rule = bus.startExecutionOn("placed", {
                eventPattern: { source: ["shop"], "detail-type": ["OrderPlaced"] },
                stateMachineArn: "arn:aws:states:sa-east-1:123456789012:stateMachine:m",
                description: "x",
            });
            await settle(rule.arn);
            assert.deepStrictEqual(
                [
                    one("aws:cloudwatch/eventBus:EventBus", "ev").name,
                    one("aws:cloudwatch/eventBus:EventBus", "ev").kmsKeyIdentifier,
                ],
                ["p-test-orders", KEY],
            );
            assert.deepStrictEqual(
                [
                    one("aws:cloudwatch/eventArchive:EventArchive", "ev-archive").retentionDays,
                    one("aws:cloudwatch/eventArchive:EventArchive", "ev-archive").kmsKeyIdentifier,
                ],
                [7, KEY],
            );
            assert.deepStrictEqual(JSON.parse(one("aws:cloudwatch/eventRule:EventRule", "ev-placed").eventPattern), {
                source: ["shop"],
                "detail-type": ["OrderPlaced"],
            });
            const trust = JSON.parse(one("aws:iam/role:Role", "ev-placed-role").assumeRolePolicy).Statement[0];
            assert.deepStrictEqual(
                [trust.Principal, trust.Condition],
                [
                    { Service: "events.amazonaws.com" },
                    {
                        StringEquals: {
                            "aws:SourceAccount": "123456789012",
                            "aws:SourceArn": "arn:aws:mock:sa-east-1:123456789012:ev-placed",
                        },
                    },
                ],
            );
            assert.deepStrictEqual(
                JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "ev-placed-role").policy).Statement,
                [
                    {
                        Sid: "StartItsStateMachine",
                        Effect: "Allow",
                        Action: "states:StartExecution",
                        Resource: "arn:aws:states:sa-east-1:123456789012:stateMachine:m",
                    },
                ],
            );
            assert.deepStrictEqual(one("aws:cloudwatch/eventTarget:EventTarget", "ev-placed").retryPolicy, {
                maximumEventAgeInSeconds: 3600,
                maximumRetryAttempts: 8,
            });
            const publish = await settle(pulumi.output(bus.publishStatements("Publish", "shop")));
            assert.deepStrictEqual(publish, [
                {
                    Sid: "Publish",
                    Effect: "Allow",
                    Action: "events:PutEvents",
                    Resource: "arn:aws:mock:sa-east-1:123456789012:ev",
                    Condition: { StringEquals: { "events:source": "shop" } },
                },
            ]);
        });
    });

    describe("StateMachine", () => {
        const logs = {
            groupName: "/p/test/wf",
            kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs",
            retentionInDays: 30,
        };

        it("needs statements and a valid retention", () => {
            assert.throws(
                () =>
                    new StateMachine("bad", {
                        definition: {},
                        policyStatements: [],
                        logs: { ...logs, retentionInDays: 2 },
                        ...ACCOUNT,
                        tags: TAGS,
                    }),
                {
                    message:
                        "StateMachine bad: logs.retentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 2; policyStatements must allow at least what the states call",
                },
            );
        });

        it("is a standard machine logging ALL without data, traced, with a role for its own account's machines", async () => {
            const m = new StateMachine("wf", {
                definition: { StartAt: "A", States: { A: { Type: "Succeed" } } },
                policyStatements: [
                    { Sid: "Call", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "arn:f" },
                ],
                logs,
                ...ACCOUNT,
                tags: TAGS,
            });
            await settle(m.stateMachineArn);
            const i = one("aws:sfn/stateMachine:StateMachine", "wf");
            assert.deepStrictEqual(
                [i.type, JSON.parse(i.definition), i.loggingConfiguration, i.tracingConfiguration],
                [
                    "STANDARD",
                    { StartAt: "A", States: { A: { Type: "Succeed" } } },
                    {
                        level: "ALL",
                        includeExecutionData: false,
                        logDestination: "arn:aws:mock:sa-east-1:123456789012:wf-logs:*",
                    },
                    { enabled: true },
                ],
            );
            const trust = JSON.parse(one("aws:iam/role:Role", "wf-role").assumeRolePolicy).Statement[0];
            assert.deepStrictEqual(trust.Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:states:sa-east-1:123456789012:stateMachine:*" },
            });
            assert.deepStrictEqual(
                JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "wf-policy").policy).Statement.map((s: any) => s.Sid),
                ["Call", "DeliverExecutionLogs", "SendTraces"],
            );
            assert.deepStrictEqual(one("aws:cloudwatch/logGroup:LogGroup", "wf-logs"), {
                name: "/p/test/wf",
                retentionInDays: 30,
                kmsKeyId: logs.kmsKeyArn,
                tags: TAGS,
            });
        });
    });
});
