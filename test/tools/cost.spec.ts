import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cents, estimate, StackCost } from "../../tools/lib/cost/estimate";
import { drivers, formatMarkdown, formatText } from "../../tools/lib/cost/format";
import { PRICERS } from "../../tools/lib/cost/pricers";
import { loadPriceTable, loadUsage, PriceTable, Usage, usageFile } from "../../tools/lib/cost/tables";
import { PlanModel } from "../../tools/lib/diagram/plan-model";
import type { ExportedResource, StackExport } from "../../tools/lib/plan-runner";
import { ROOT, stackPlan, TS_NODE } from "../support/plan";

/** A hand-made plan: stack, providers (sa-east-1 default, us-east-1 edge), components, resources. */
class HandPlan {
    readonly resources: ExportedResource[] = [];
    readonly stack: ExportedResource = {
        urn: "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev",
        custom: false,
        type: "pulumi:pulumi:Stack",
    };

    constructor(region = "us-east-1") {
        this.resources.push(
            this.stack,
            {
                urn: "urn:pulumi:dev::platform::pulumi:providers:aws::default_7_48_0",
                custom: true,
                id: "p1",
                type: "pulumi:providers:aws",
                inputs: { region },
            },
            {
                urn: "urn:pulumi:dev::platform::pulumi:providers:aws::edge",
                custom: true,
                id: "p2",
                type: "pulumi:providers:aws",
                inputs: { region: "us-east-1" },
                parent: this.stack.urn,
            },
        );
    }

    component(type: string, name: string, parent = this.stack): ExportedResource {
        const r: ExportedResource = {
            urn: `urn:pulumi:dev::platform::${type}::${name}`,
            custom: false,
            type,
            parent: parent.urn,
        };
        this.resources.push(r);
        return r;
    }

    resource(
        type: string,
        name: string,
        parent: ExportedResource,
        inputs: Record<string, unknown> = {},
        deps: Record<string, ExportedResource[]> = {},
        provider = "default_7_48_0::p1",
    ): ExportedResource {
        const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map((d) => d.urn)]));
        const r: ExportedResource = {
            urn: `urn:pulumi:dev::platform::${type}::${name}`,
            custom: true,
            id: `${name}-id`,
            type,
            inputs,
            parent: parent.urn,
            provider: `urn:pulumi:dev::platform::pulumi:providers:aws::${provider}`,
        };
        if (Object.keys(propertyDependencies).length > 0)
            Object.assign(r, {
                propertyDependencies,
                dependencies: [...new Set(Object.values(propertyDependencies).flat())],
            });
        this.resources.push(r);
        return r;
    }

    document(): StackExport {
        return {
            version: 3,
            deployment: {
                manifest: { time: "2026-01-01T00:00:00Z", magic: "m", version: "v" },
                resources: [...this.resources],
            },
        };
    }
}

const price = (usd: number) => ({ usd, source: "https://example.com/price", read: "2026-11-21" });
const us = (usd: number) => ({ "us-east-1": price(usd) });

/** A price table of round, known numbers (not the real one, so the arithmetic below never moves). */
const TABLE: PriceTable = {
    hoursPerMonth: 730,
    prices: {
        "nat-gateway.hour": { unit: "h", regions: us(0.045) },
        "nat-gateway.gb": { unit: "GB", regions: us(0.045) },
        "public-ipv4.hour": { unit: "h", regions: us(0.005) },
        "alb.hour": { unit: "h", regions: us(0.0225) },
        "alb.lcu-hour": { unit: "LCU-h", regions: us(0.008) },
        "fargate.x86_64.vcpu-hour": { unit: "vCPU-h", regions: us(0.04048) },
        "fargate.x86_64.gb-hour": { unit: "GB-h", regions: us(0.004445) },
        "rds.postgres.db.t4g.micro.hour": { unit: "h", regions: us(0.016) },
        "rds.gp3.gb-month": { unit: "GB-month", regions: us(0.115) },
        "kms.key-month": { unit: "month", regions: us(1) },
        "waf.web-acl-month": { unit: "month", regions: us(5) },
        "waf.rule-month": { unit: "month", regions: us(1) },
        "waf.million-requests": { unit: "M", regions: us(0.6) },
        "logs.ingested-gb": { unit: "GB", regions: us(0.5) },
        "vpc-endpoint.interface-hour": { unit: "h", regions: us(0.01) },
        "vpc-endpoint.interface-gb": { unit: "GB", regions: us(0.01) },
    },
    wanted: [],
    priced: Object.keys(PRICERS),
    free: { "aws:ec2/vpc:Vpc": "free", "aws:ecs/taskDefinition:TaskDefinition": "priced on the service" },
    unpriced: { "aws:s3/bucket:Bucket": "usage-driven" },
};

const USAGE: Usage = {
    defaults: {
        natGatewayGbPerMonth: 10,
        interfaceEndpointGbPerMonth: 4,
        loadBalancerCapacityUnits: 1,
        wafMillionRequestsPerMonth: 2,
        logGroupGbPerMonth: 1,
    },
    overrides: { "app-logs": { logGroupGbPerMonth: 3 } },
};

/** foundation: VPC, NAT + EIP, interface endpoint in 2 AZs; app: ALB, 2 Fargate tasks, Multi-AZ RDS, KMS, WAF, logs, S3, an unknown type. */
function samplePlan(region = "us-east-1"): StackExport {
    const p = new HandPlan(region);
    const foundation = p.component("platform:foundation:Foundation", "foundation");
    p.resource("aws:ec2/vpc:Vpc", "vpc", foundation);
    const eip = p.resource("aws:ec2/eip:Eip", "nat-ip", foundation, { domain: "vpc" });
    p.resource(
        "aws:ec2/natGateway:NatGateway",
        "nat",
        foundation,
        { connectivityType: "public" },
        { allocationId: [eip] },
    );
    p.resource("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-endpoint", foundation, {
        vpcEndpointType: "Interface",
        subnetIds: ["subnet-a", "subnet-b"],
    });
    p.resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-endpoint", foundation, { vpcEndpointType: "Gateway" });

    const app = p.component("platform:stacks:App", "app");
    p.resource("aws:lb/loadBalancer:LoadBalancer", "app-alb", app, {
        loadBalancerType: "application",
        internal: false,
        subnets: ["subnet-a", "subnet-b"],
    });
    const taskDef = p.resource("aws:ecs/taskDefinition:TaskDefinition", "app-task", app, {
        cpu: "512",
        memory: "1024",
        runtimePlatform: { cpuArchitecture: "X86_64" },
    });
    p.resource(
        "aws:ecs/service:Service",
        "app-svc",
        app,
        { launchType: "FARGATE", desiredCount: 2 },
        { taskDefinition: [taskDef] },
    );
    p.resource("aws:rds/instance:Instance", "app-db", app, {
        engine: "postgres",
        instanceClass: "db.t4g.micro",
        multiAz: true,
        allocatedStorage: 20,
        storageType: "gp3",
    });
    p.resource("aws:kms/key:Key", "app-key", app);
    p.resource("aws:wafv2/webAcl:WebAcl", "app-waf", app, { scope: "CLOUDFRONT", rules: [{}, {}, {}] }, {}, "edge::p2");
    p.resource("aws:cloudwatch/logGroup:LogGroup", "app-logs", app, { retentionInDays: 30 });
    p.resource("aws:s3/bucket:Bucket", "app-assets", app);
    p.resource("aws:sqs/weirdNewThing:WeirdNewThing", "app-weird", app);
    return p.document();
}

const kindsOf = (cost: StackCost, arch: string) =>
    Object.fromEntries(
        cost.architectures
            .find((a) => a.name === arch)!
            .kinds.map((k) => [k.kind, [k.resources, cents(k.usd), k.unpriced]]),
    );

describe("npm run cost", () => {
    describe("arithmetic on a hand-made plan", () => {
        const cost = estimate(samplePlan(), { table: TABLE, usage: USAGE, stack: "dev" });

        it("prices each resource kind to the cent from the plan's own sizes and the usage assumptions", () => {
            assert.deepStrictEqual(kindsOf(cost, "foundation"), {
                // 730 h × 0.01 × 2 AZs = 14.60; 4 GB × 0.01 = 0.04
                "Interface VPC endpoint": [1, 14.64, 0],
                "Gateway VPC endpoint": [1, 0, 0],
                // 730 h × 0.045 = 32.85; 10 GB × 0.045 = 0.45
                "NAT gateway": [1, 33.3, 0],
                // 730 h × 0.005
                "Public IPv4 address": [1, 3.65, 0],
            });
            assert.deepStrictEqual(kindsOf(cost, "app"), {
                // 730 × 0.0225 = 16.425; 1 LCU × 730 × 0.008 = 5.84
                "Application Load Balancer": [1, 22.27, 0],
                // 2 tasks × 0.5 vCPU × 730 × 0.04048 = 29.5504; 2 × 1 GB × 730 × 0.004445 = 6.4897
                Fargate: [1, 36.04, 0],
                // internet-facing in 2 subnets: 2 × 730 × 0.005
                "Public IPv4 address": [1, 7.3, 0],
                // Multi-AZ: 2 × 730 × 0.016 = 23.36; 20 GB × 2 × 0.115 = 4.60
                "RDS PostgreSQL": [1, 27.96, 0],
                "KMS key": [1, 1, 0],
                // 5 + 3 rules × 1 + 2 M requests × 0.60
                "AWS WAF": [1, 9.2, 0],
                // 3 GB (override) × 0.50; storage has no sourced price
                "CloudWatch Logs": [1, 1.5, 1],
                "S3 bucket": [1, 0, 1],
                "Weird new thing": [1, 0, 1],
            });
        });

        it("totals per architecture and for the stack, counting what has no price", () => {
            const totals = Object.fromEntries(
                cost.architectures.map((a) => [a.name, [cents(a.usd), a.unpriced, a.free]]),
            );
            assert.deepStrictEqual(totals, { app: [105.27, 3, 1], foundation: [51.59, 0, 1] });
            assert.strictEqual(cents(cost.usd), 156.86);
            assert.strictEqual(cost.unpriced, 3);
        });

        it("reports unclassified types instead of pricing them", () => {
            assert.deepStrictEqual(cost.unclassified, [{ type: "aws:sqs/weirdNewThing:WeirdNewThing", count: 1 }]);
            const weird = cost.lines.find((l) => l.resource === "app-weird")!;
            assert.strictEqual(weird.status, "unclassified");
            assert.strictEqual(weird.usd, undefined);
        });

        it("keeps each line's price, source and quantity", () => {
            const db = cost.lines.filter((l) => l.resource === "app-db");
            assert.deepStrictEqual(
                db.map((l) => [l.detail, l.quantity, l.priceKey, l.unitUsd, l.source]),
                [
                    ["20 GB × 2 (gp3)", 40, "rds.gp3.gb-month", 0.115, "https://example.com/price"],
                    [
                        "730 h × 2 (db.t4g.micro, Multi-AZ: primary and standby)",
                        1460,
                        "rds.postgres.db.t4g.micro.hour",
                        0.016,
                        "https://example.com/price",
                    ],
                ],
            );
        });

        it("prices a resource in its provider's region and says 'no sourced price' where the table has none", () => {
            const sa = estimate(samplePlan("sa-east-1"), { table: TABLE, usage: USAGE, stack: "dev" });
            assert.strictEqual(sa.region, "sa-east-1");
            const nat = sa.lines.filter((l) => l.resource === "nat");
            assert.deepStrictEqual(
                nat.map((l) => [l.status, l.reason]),
                [
                    ["unpriced", "no sourced price for nat-gateway.gb in sa-east-1"],
                    ["unpriced", "no sourced price for nat-gateway.hour in sa-east-1"],
                ],
            );
            // The WAF web ACL sits on the us-east-1 provider (CLOUDFRONT scope) and keeps its price.
            assert.strictEqual(
                cents(sa.architectures.find((a) => a.name === "app")!.kinds.find((k) => k.kind === "AWS WAF")!.usd),
                9.2,
            );
            assert.strictEqual(cents(sa.usd), 9.2);
            const whatIf = estimate(samplePlan("sa-east-1"), {
                table: TABLE,
                usage: USAGE,
                stack: "dev",
                region: "us-east-1",
            });
            assert.strictEqual(cents(whatIf.usd), 156.86);
        });

        it("prices Single-AZ databases once and falls back to one task without desiredCount", () => {
            const p = new HandPlan();
            const app = p.component("platform:stacks:App", "app");
            p.resource("aws:rds/instance:Instance", "db", app, {
                engine: "postgres",
                instanceClass: "db.t4g.micro",
                multiAz: false,
                allocatedStorage: 10,
                storageType: "gp3",
            });
            const td = p.resource("aws:ecs/taskDefinition:TaskDefinition", "td", app, { cpu: "1024", memory: "2048" });
            p.resource("aws:ecs/service:Service", "svc", app, { launchType: "FARGATE" }, { taskDefinition: [td] });
            const c = estimate(p.document(), { table: TABLE, usage: USAGE, stack: "dev" });
            // 730 × 0.016 + 10 × 0.115 = 12.83; 1 × 1 vCPU × 730 × 0.04048 + 2 GB × 730 × 0.004445 = 36.0398
            assert.deepStrictEqual(kindsOf(c, "app"), { "RDS PostgreSQL": [1, 12.83, 0], Fargate: [1, 36.04, 0] });
        });

        it("formats the table with '+' where items are missing, and the drivers by cost", () => {
            const text = formatText([cost]);
            assert.match(text, /^ {2}total app\s+105\.27\+$/m);
            assert.match(text, /^total stack\s+156\.86\+$/m);
            assert.match(text, /^ {2}- app · S3 bucket: usage-driven$/m);
            assert.deepStrictEqual(
                drivers(cost).map((d) => [d.kind, cents(d.usd)]),
                [
                    ["Fargate", 36.04],
                    ["NAT gateway", 33.3],
                    ["RDS PostgreSQL", 27.96],
                ],
            );
            const prod = estimate(samplePlan(), {
                table: TABLE,
                usage: { ...USAGE, defaults: { ...USAGE.defaults, natGatewayGbPerMonth: 110 } },
                stack: "prod",
            });
            const both = formatText([cost, prod]);
            assert.match(both, /^\s+dev #\s+dev USD\/month\s+prod #\s+prod USD\/month$/m);
            // 100 GB more through the NAT gateway in prod: + 4.50
            assert.match(both, /^ {2}NAT gateway\s+1\s+33\.30\s+1\s+37\.80$/m);
            const md = formatMarkdown([cost], { command: "npm run cost -- --stack dev" });
            assert.ok(md.includes("| Fargate | 36.04 | 23% | each service's `cpu`, `memory` and `desiredCount`"), md);
        });
    });

    describe("the price table and usage files", () => {
        it("load and validate; every price has a source URL and a read date", () => {
            const table = loadPriceTable();
            assert.strictEqual(table.hoursPerMonth, 730);
            for (const [key, item] of Object.entries(table.prices)) {
                for (const [region, p] of Object.entries(item.regions)) {
                    assert.match(p.source, /^https:\/\//, `${key} ${region}`);
                    assert.match(p.read, /^\d{4}-\d{2}-\d{2}$/, `${key} ${region}`);
                    assert.ok(["us-east-1", "sa-east-1"].includes(region), `${key}: unexpected region ${region}`);
                }
            }
            for (const stack of ["dev", "prod"]) loadUsage(usageFile(stack));
        });

        it("prices exactly the types listed as priced", () => {
            assert.deepStrictEqual([...loadPriceTable().priced].sort(), Object.keys(PRICERS).sort());
        });

        it("classifies every resource type of the dev and prod plans as priced, free or unpriced", () => {
            const table = loadPriceTable();
            const known = new Set([...table.priced, ...Object.keys(table.free), ...Object.keys(table.unpriced)]);
            const missing = new Set<string>();
            for (const stack of ["dev", "prod"] as const) {
                const model = new PlanModel(stackPlan(stack).document);
                for (const r of model.cloudResources()) if (!known.has(r.type)) missing.add(`${r.type} (${stack})`);
            }
            assert.deepStrictEqual(
                [...missing].sort(),
                [],
                "classify these types in tools/cost/prices.yaml: types.priced (with a pricer in tools/lib/cost/pricers.ts), types.free or types.unpriced, each with its reason",
            );
        });

        it("rejects a table whose prices lack a source", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
            const file = path.join(dir, "prices.yaml");
            fs.writeFileSync(
                file,
                "hoursPerMonth: 730\nprices:\n  x.hour:\n    unit: h\n    us-east-1: {usd: 1, read: '2026-01-01'}\ntypes: {priced: [], free: {a: b}, unpriced: {a: c}}\n",
            );
            assert.throws(
                () => loadPriceTable(file),
                (err: any) => {
                    assert.ok(
                        err.problems.some((p: string) =>
                            p.startsWith(
                                "prices.yaml: prices.x.hour.us-east-1.source: source must be the URL the price was read from",
                            ),
                        ),
                        err.problems.join("\n"),
                    );
                    return true;
                },
            );
        });
    });

    describe("the command", () => {
        it("--json prices one stack as the library does", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
            const planFile = path.join(dir, "dev.json");
            fs.writeFileSync(planFile, JSON.stringify(stackPlan("dev").document));
            const run = spawnSync(
                process.execPath,
                [...TS_NODE, path.join(ROOT, "tools", "cost.ts"), "--stack", "dev", "--plan", planFile, "--json"],
                { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
            );
            assert.strictEqual(run.status, 0, run.stderr);
            const json = JSON.parse(run.stdout);
            const expected = estimate(stackPlan("dev").document, {
                table: loadPriceTable(),
                usage: loadUsage(usageFile("dev")),
                stack: "dev",
            });
            assert.strictEqual(json.stacks[0].stack, "dev");
            assert.strictEqual(json.stacks[0].region, "sa-east-1");
            assert.strictEqual(json.stacks[0].usd, cents(expected.usd));
            assert.deepStrictEqual(
                json.stacks[0].architectures.map((a: { name: string }) => a.name),
                expected.architectures.map((a) => a.name),
            );
            const foundation = json.stacks[0].architectures.find((a: { name: string }) => a.name === "foundation");
            // four KMS keys at $1 in sa-east-1 (a single price for every region) and one Elastic IP
            assert.deepStrictEqual(
                foundation.kinds.find((k: { kind: string }) => k.kind === "KMS key"),
                { kind: "KMS key", resources: 4, usd: 4, unpriced: 0 },
            );
            assert.deepStrictEqual(
                foundation.kinds.find((k: { kind: string }) => k.kind === "Public IPv4 address"),
                { kind: "Public IPv4 address", resources: 1, usd: 3.65, unpriced: 0 },
            );
        });

        it("rejects bad arguments and a missing plan", () => {
            const run = (...args: string[]) =>
                spawnSync(process.execPath, [...TS_NODE, path.join(ROOT, "tools", "cost.ts"), ...args], {
                    cwd: ROOT,
                    encoding: "utf8",
                    timeout: 60_000,
                });
            assert.strictEqual(run().status, 64);
            assert.strictEqual(run("--stack", "dev", "--stack", "prod", "--plan", "x.json").status, 64);
            const missing = run("--stack", "dev", "--plan", "/nonexistent.json");
            assert.strictEqual(missing.status, 2);
            assert.ok(missing.stderr.includes("error: plan file not found: /nonexistent.json"), missing.stderr);
        });
    });
});
