import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { diagramDrift } from "../../tools/diagram";
import { buildDiagrams, Diagram, DiagramCluster, DiagramNode } from "../../tools/lib/diagram/build";
import { serviceLabel, tierOf } from "../../tools/lib/diagram/catalog";
import { toDot } from "../../tools/lib/diagram/dot";
import { renderDiagrams } from "../../tools/lib/diagram/render";
import type { ExportedResource, StackExport } from "../../tools/lib/plan-runner";
import { HandPlan } from "../support/hand-plan";
import { releasedPlan, ROOT, TS_NODE } from "../support/plan";

/** Foundation (network with VPC, subnets, route table and routes; keys) and an app using both. */
function samplePlan(): HandPlan {
    const p = new HandPlan();
    const foundation = p.component("platform:foundation:Foundation", "foundation");
    const network = p.component("platform:network:Network", "foundation-network", foundation);
    const keys = p.component("platform:security:PlatformKeys", "foundation-keys", foundation);
    const vpc = p.resource("aws:ec2/vpc:Vpc", "vpc", network);
    const privateA = p.resource(
        "aws:ec2/subnet:Subnet",
        "private-a",
        network,
        { tags: { Tier: "private" } },
        { vpcId: [vpc] },
    );
    const privateB = p.resource(
        "aws:ec2/subnet:Subnet",
        "private-b",
        network,
        { tags: { Tier: "private" } },
        { vpcId: [vpc] },
    );
    const rt = p.resource("aws:ec2/routeTable:RouteTable", "rt", network, {}, { vpcId: [vpc] });
    p.resource(
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "assoc-a",
        network,
        {},
        { routeTableId: [rt], subnetId: [privateA] },
    );
    p.resource(
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "assoc-b",
        network,
        {},
        { routeTableId: [rt], subnetId: [privateB] },
    );
    const key = p.resource("aws:kms/key:Key", "key-data", keys);
    p.resource("aws:kms/alias:Alias", "alias-data", keys, {}, { targetKeyId: [key] });

    const app = p.component("platform:stacks:App", "app");
    const edge = p.component("platform:edge:LoadBalancer", "app-lb", app);
    const svc = p.component("platform:compute:FargateService", "app-svc", app);
    const data = p.component("platform:data:Database", "app-db", app);
    const sg = p.resource("aws:ec2/securityGroup:SecurityGroup", "app-lb-sg", edge, {}, { vpcId: [vpc] });
    p.resource(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "app-lb-https",
        edge,
        {},
        { securityGroupId: [sg] },
    );
    const lb = p.resource(
        "aws:lb/loadBalancer:LoadBalancer",
        "app-lb",
        edge,
        { loadBalancerType: "application" },
        { securityGroups: [sg], subnets: [privateA, privateB] },
    );
    const listener = p.resource("aws:lb/listener:Listener", "app-lb-https", edge, {}, { loadBalancerArn: [lb] });
    p.resource("aws:lb/listenerRule:ListenerRule", "app-lb-rule", edge, {}, { listenerArn: [listener] });
    const tg = p.resource("aws:lb/targetGroup:TargetGroup", "app-tg", edge, {}, { vpcId: [vpc] });
    const role = p.resource("aws:iam/role:Role", "app-task", svc);
    p.resource("aws:iam/rolePolicy:RolePolicy", "app-task", svc, {}, { role: [role] });
    p.resource(
        "aws:ecs/service:Service",
        "app-svc",
        svc,
        {},
        { loadBalancers: [tg], networkConfiguration: [privateA] },
    );
    const subnetGroup = p.resource(
        "aws:rds/subnetGroup:SubnetGroup",
        "app-db-subnets",
        data,
        {},
        { subnetIds: [privateA, privateB] },
    );
    p.resource(
        "aws:rds/instance:Instance",
        "app-db",
        data,
        { engine: "postgres" },
        { dbSubnetGroupName: [subnetGroup], kmsKeyId: [key] },
    );
    p.resource("aws:sqs/weirdNewThing:WeirdNewThing", "app-weird", app);
    // Glue whose owner lives in another architecture stays in its own.
    p.resource("aws:kms/alias:Alias", "app-alias", app, {}, { targetKeyId: [key] });
    return p;
}

const diagramOf = (doc: StackExport, name: string): Diagram => {
    const d = buildDiagrams(doc).find((x) => x.architecture === name);
    assert.ok(d, `no diagram ${name}`);
    return d;
};
const clusterNamed = (c: DiagramCluster, name: string): DiagramCluster | undefined =>
    c.name === name ? c : c.clusters.map((s) => clusterNamed(s, name)).find(Boolean);
const nodeLabels = (c: DiagramCluster): string[] => c.nodes.map((n) => n.label);
const nodeIn = (c: DiagramCluster, label: string): DiagramNode => {
    const n = c.nodes.find((x) => x.label === label);
    assert.ok(n, `no node ${label} in ${c.name}: ${nodeLabels(c).join(", ")}`);
    return n;
};

describe("npm run diagram", () => {
    describe("the diagram model", () => {
        it("draws one diagram per architecture, sorted, each counting its own cloud resources", () => {
            const diagrams = buildDiagrams(samplePlan().document());
            assert.deepStrictEqual(
                diagrams.map((d) => [d.architecture, d.resourceCount]),
                [
                    ["app", 13],
                    ["foundation", 8],
                ],
            );
        });

        it("nests one cluster per component and aggregates same-service resources with a count", () => {
            const d = diagramOf(samplePlan().document(), "foundation");
            assert.deepStrictEqual(
                d.root.clusters.map((c) => c.name),
                ["foundation-keys", "foundation-network"],
            );
            const network = clusterNamed(d.root, "foundation-network")!;
            assert.deepStrictEqual(nodeLabels(network), ["Route table", "Subnet (private)", "VPC"]);
            const subnets = nodeIn(network, "Subnet (private)");
            assert.strictEqual(subnets.count, 2);
            assert.deepStrictEqual(subnets.names, ["private-a", "private-b"]);
            assert.strictEqual(subnets.tier, "network");
        });

        it("folds glue into its owner: associations into the route table, aliases into the key, listener rules through the listener into the load balancer, rules into the security group, inline policies into the role", () => {
            const f = diagramOf(samplePlan().document(), "foundation");
            assert.deepStrictEqual(nodeIn(clusterNamed(f.root, "foundation-network")!, "Route table").folded, {
                "aws:ec2/routeTableAssociation:RouteTableAssociation": 2,
            });
            assert.deepStrictEqual(nodeIn(clusterNamed(f.root, "foundation-keys")!, "KMS key").folded, {
                "aws:kms/alias:Alias": 1,
            });
            const app = diagramOf(samplePlan().document(), "app");
            const edge = clusterNamed(app.root, "app-lb")!;
            assert.deepStrictEqual(nodeLabels(edge), ["Application Load Balancer", "Security group", "Target group"]);
            assert.deepStrictEqual(nodeIn(edge, "Application Load Balancer").folded, {
                "aws:lb/listener:Listener": 1,
                "aws:lb/listenerRule:ListenerRule": 1,
            });
            assert.deepStrictEqual(nodeIn(edge, "Security group").folded, {
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
            });
            assert.deepStrictEqual(nodeIn(clusterNamed(app.root, "app-svc")!, "IAM role").folded, {
                "aws:iam/rolePolicy:RolePolicy": 1,
            });
        });

        it("folds subnet groups into the database that uses them, and keeps glue whose owner is in another architecture", () => {
            const app = diagramOf(samplePlan().document(), "app");
            const db = clusterNamed(app.root, "app-db")!;
            assert.deepStrictEqual(nodeLabels(db), ["RDS PostgreSQL"]);
            assert.deepStrictEqual(nodeIn(db, "RDS PostgreSQL").folded, { "aws:rds/subnetGroup:SubnetGroup": 1 });
            assert.ok(nodeLabels(app.root).includes("Alias"), `root nodes: ${nodeLabels(app.root).join(", ")}`);
        });

        it("draws one edge per pair of dependent components, clipped to the clusters, and none inside a component", () => {
            const app = diagramOf(samplePlan().document(), "app");
            const id = (name: string) => clusterNamed(app.root, name)!.id;
            const internal = app.edges.filter((e) => e.toCluster).map((e) => [e.fromCluster, e.toCluster]);
            assert.deepStrictEqual(internal.sort(), [[id("app-svc"), id("app-lb")]].sort());
            for (const e of app.edges.filter((x) => x.toCluster)) assert.notStrictEqual(e.fromCluster, e.toCluster);
        });

        it("shows the components of other architectures it uses as shared nodes naming the services used", () => {
            const app = diagramOf(samplePlan().document(), "app");
            assert.deepStrictEqual(
                app.externals.map((x) => x.architecture),
                ["foundation"],
            );
            assert.deepStrictEqual(
                app.externals[0].nodes.map((n) => n.label),
                ["Network · foundation-network\nSubnet (private), VPC", "PlatformKeys · foundation-keys\nKMS key"],
            );
            const shared = new Set(app.externals[0].nodes.map((n) => n.id));
            const toShared = app.edges.filter((e) => shared.has(e.to)).map((e) => e.fromCluster ?? "(app)");
            const id = (name: string) => clusterNamed(app.root, name)!.id;
            assert.deepStrictEqual(
                toShared.sort(),
                [id("app-db"), id("app-db"), id("app-lb"), id("app-svc"), "(app)"].sort(),
            );
        });

        it("gives the same DOT whatever the order of the plan's resources", () => {
            const p = samplePlan();
            const dots = (doc: StackExport) => buildDiagrams(doc).map(toDot).join("\n");
            const reversed = dots(p.document((rs) => [rs[0], ...rs.slice(1).reverse()]));
            assert.strictEqual(reversed, dots(p.document()));
            assert.doesNotMatch(dots(p.document()), /\d{4}-\d{2}-\d{2}T/, "no timestamps");
        });
    });

    describe("the type tables", () => {
        const r = (type: string, inputs: Record<string, unknown> = {}): ExportedResource => ({
            urn: `urn:x::${type}::n`,
            custom: true,
            type,
            inputs,
        });

        it("names resources as AWS does, reading the inputs that change the service", () => {
            assert.strictEqual(serviceLabel(r("aws:ec2/natGateway:NatGateway")), "NAT gateway");
            assert.strictEqual(
                serviceLabel(r("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application" })),
                "Application Load Balancer",
            );
            assert.strictEqual(
                serviceLabel(r("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "network", internal: true })),
                "Network Load Balancer (internal)",
            );
            assert.strictEqual(
                serviceLabel(
                    r("aws:ec2/vpcEndpoint:VpcEndpoint", {
                        serviceName: "com.amazonaws.sa-east-1.ecr.dkr",
                        vpcEndpointType: "Interface",
                    }),
                ),
                "Interface VPC endpoint (ecr.dkr)",
            );
            assert.strictEqual(
                serviceLabel(r("aws:elasticache/replicationGroup:ReplicationGroup", { engine: "valkey" })),
                "ElastiCache Valkey",
            );
        });

        it("puts every resource in a tier, falling back to the provider module for types not in the table", () => {
            assert.strictEqual(tierOf("aws:wafv2/webAcl:WebAcl"), "security");
            assert.strictEqual(tierOf("aws:cloudfront/distribution:Distribution"), "edge");
            assert.strictEqual(tierOf("aws:sqs/queue:Queue"), "messaging");
            assert.strictEqual(tierOf("aws:sqs/weirdNewThing:WeirdNewThing"), "messaging");
            assert.strictEqual(serviceLabel(r("aws:sqs/weirdNewThing:WeirdNewThing")), "Weird new thing");
            assert.strictEqual(tierOf("acme:index:Widget"), "other");
        });
    });

    describe("rendering", () => {
        it("renders SVG with Graphviz WASM: clusters, labels and tier columns, no timestamp", async () => {
            const [app] = await renderDiagrams(samplePlan().document(), "dependencies");
            assert.strictEqual(app.file, "app.svg");
            assert.match(app.svg, /^<\?xml version="1.0"/);
            assert.match(app.svg, /<svg /);
            const svg = app.svg.replace(/&#45;/g, "-");
            for (const text of [
                "Application Load Balancer",
                "RDS PostgreSQL",
                "LoadBalancer · app-lb",
                "foundation (shared, drawn in its own diagram)",
            ]) {
                assert.ok(svg.includes(`>${text}</text>`), `missing ${text}`);
            }
            assert.doesNotMatch(app.svg, /\d{4}-\d{2}-\d{2}T\d{2}:/);
        });
    });

    describe("committed diagrams", () => {
        it("docs/diagrams/dev matches the released dev plan (run `npm run diagram -- --stack dev --released` when it does not)", async () => {
            const rendered = await renderDiagrams(releasedPlan("dev").document);
            assert.ok(
                rendered.some((d) => d.architecture === "foundation"),
                "the foundation is drawn",
            );
            const drift = diagramDrift(
                path.join(ROOT, "docs", "diagrams", "dev"),
                Object.fromEntries(rendered.map((d) => [d.file, d.svg])),
            );
            const stale = [
                ...drift.missing.map((f) => `missing ${f}`),
                ...drift.changed.map((f) => `changed ${f}`),
                ...drift.extra.map((f) => `no longer drawn ${f}`),
            ];
            assert.deepStrictEqual(
                stale,
                [],
                `the committed dev diagrams are stale: run \`npm run diagram -- --stack dev --released\` and commit docs/diagrams/dev\n${stale.join("\n")}`,
            );
        });

        it("--check exits 1 naming the command when a diagram is stale, 0 when up to date", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagrams-"));
            const planFile = path.join(dir, "dev.json");
            fs.writeFileSync(planFile, JSON.stringify(samplePlan().document()));
            const run = (...extra: string[]) =>
                spawnSync(
                    process.execPath,
                    [
                        ...TS_NODE,
                        path.join(ROOT, "tools", "diagram.ts"),
                        "--stack",
                        "dev",
                        "--plan",
                        planFile,
                        "--out",
                        path.join(dir, "out"),
                        ...extra,
                    ],
                    { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
                );
            const write = run();
            assert.strictEqual(write.status, 0, write.stderr);
            assert.deepStrictEqual(fs.readdirSync(path.join(dir, "out")).sort(), ["app.svg", "foundation.svg"]);
            assert.strictEqual(run("--check").status, 0);
            fs.appendFileSync(path.join(dir, "out", "app.svg"), "<!-- edited -->\n");
            fs.writeFileSync(path.join(dir, "out", "gone.svg"), "<svg/>");
            const check = run("--check");
            assert.strictEqual(check.status, 1);
            assert.ok(
                check.stderr.includes("  - changed app.svg") && check.stderr.includes("  - no longer drawn gone.svg"),
                check.stderr,
            );
            assert.ok(
                check.stderr.includes("run `npm run diagram -- --stack dev` and commit the result."),
                check.stderr,
            );
            assert.strictEqual(run().status, 0);
            assert.deepStrictEqual(
                fs.readdirSync(path.join(dir, "out")).sort(),
                ["app.svg", "foundation.svg"],
                "stale files are removed",
            );
        });

        it("fails clearly on a missing plan file and on bad arguments", () => {
            const run = (...args: string[]) =>
                spawnSync(process.execPath, [...TS_NODE, path.join(ROOT, "tools", "diagram.ts"), ...args], {
                    cwd: ROOT,
                    encoding: "utf8",
                    timeout: 60_000,
                });
            const missing = run("--stack", "dev", "--plan", "/nonexistent/plan.json", "--check");
            assert.strictEqual(missing.status, 2);
            assert.ok(missing.stderr.includes("error: plan file not found: /nonexistent/plan.json"), missing.stderr);
            assert.strictEqual(run().status, 64);
            assert.strictEqual(run("--stack", "dev", "--bogus").status, 64);
        });
    });
});
