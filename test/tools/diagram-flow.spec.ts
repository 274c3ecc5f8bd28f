import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { actionClass, buildFlowDiagrams, FlowDiagram, FlowNode } from "../../tools/lib/diagram/flow";
import { toFlowDot } from "../../tools/lib/diagram/flow-dot";
import { renderDiagrams } from "../../tools/lib/diagram/render";
import { measureSvg } from "../../tools/lib/diagram/svg-metrics";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { HandPlan } from "../support/hand-plan";
import { ROOT } from "../support/plan";

/**
 * A network with one public, one private and one isolated subnet (told apart only by their routes), and
 * an app: internet-facing ALB -> listener -> target group -> ECS service -> RDS (security-group rule),
 * the service's task role granted rds-db:connect and sqs:SendMessage on a queue with a DLQ.
 */
function flowPlan(options: { albOpenToWorld: boolean }) {
    const p = new HandPlan();
    const foundation = p.component("platform:foundation:Foundation", "foundation");
    const app = p.component("platform:architecture:App", "app");
    const vpc = p.resource("aws:ec2/vpc:Vpc", "vpc", foundation);
    const igw = p.resource("aws:ec2/internetGateway:InternetGateway", "igw", foundation, {}, { vpcId: [vpc] });
    const subnet = (name: string) =>
        p.resource("aws:ec2/subnet:Subnet", name, foundation, { tags: { Tier: "misleading" } }, { vpcId: [vpc] });
    const [pub, priv, iso] = [subnet("sub-a"), subnet("sub-b"), subnet("sub-c")];
    const nat = p.resource("aws:ec2/natGateway:NatGateway", "nat", foundation, {}, { subnetId: [pub] });
    const table = (name: string, s: ExportedResource, target?: [string, ExportedResource]) => {
        const rt = p.resource("aws:ec2/routeTable:RouteTable", name, foundation, {}, { vpcId: [vpc] });
        if (target)
            p.resource(
                "aws:ec2/route:Route",
                `${name}-default`,
                foundation,
                {},
                { routeTableId: [rt], [target[0]]: [target[1]] },
            );
        p.resource(
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            `${name}-assoc`,
            foundation,
            {},
            { subnetId: [s], routeTableId: [rt] },
        );
    };
    table("rt-a", pub, ["gatewayId", igw]);
    table("rt-b", priv, ["natGatewayId", nat]);
    table("rt-c", iso);
    const key = p.resource("aws:kms/key:Key", "app-key", app);
    const sg = (name: string) => p.resource("aws:ec2/securityGroup:SecurityGroup", name, app, {}, { vpcId: [vpc] });
    const [lbSg, svcSg, dbSg] = [sg("app-lb-sg"), sg("app-svc-sg"), sg("app-db-sg")];
    const ingress = (name: string, inputs: Record<string, unknown>, deps: Record<string, ExportedResource[]>) =>
        p.resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name, app, inputs, deps);
    ingress(
        "app-lb-in",
        options.albOpenToWorld
            ? { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }
            : { prefixListId: "pl-1", ipProtocol: "tcp", fromPort: 443, toPort: 443 },
        { securityGroupId: [lbSg] },
    );
    ingress(
        "app-svc-in",
        { ipProtocol: "tcp", fromPort: 8080, toPort: 8080 },
        { securityGroupId: [svcSg], referencedSecurityGroupId: [lbSg] },
    );
    ingress(
        "app-db-in",
        { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
        { securityGroupId: [dbSg], referencedSecurityGroupId: [svcSg] },
    );
    const lb = p.resource(
        "aws:lb/loadBalancer:LoadBalancer",
        "app-lb",
        app,
        { loadBalancerType: "application", internal: false },
        { subnets: [pub], securityGroups: [lbSg] },
    );
    const tg = p.resource("aws:lb/targetGroup:TargetGroup", "app-tg", app);
    p.resource(
        "aws:lb/listener:Listener",
        "app-https",
        app,
        { protocol: "HTTPS", port: 443 },
        { loadBalancerArn: [lb], defaultActions: [tg] },
    );
    const role = p.resource("aws:iam/role:Role", "app-task-role", app);
    const dlq = p.resource("aws:sqs/queue:Queue", "app-jobs-dlq", app, {}, { kmsMasterKeyId: [key] });
    const queue = p.resource(
        "aws:sqs/queue:Queue",
        "app-jobs",
        app,
        {},
        { kmsMasterKeyId: [key], redrivePolicy: [dlq] },
    );
    const db = p.resource(
        "aws:rds/instance:Instance",
        "app-db",
        app,
        { engine: "postgres", multiAz: true },
        {
            kmsKeyId: [key],
            vpcSecurityGroupIds: [dbSg],
            dbSubnetGroupName: [
                p.resource("aws:rds/subnetGroup:SubnetGroup", "app-db-subnets", app, {}, { subnetIds: [iso] }),
            ],
        },
    );
    const policy = JSON.stringify({
        Statement: [
            { Effect: "Allow", Action: "rds-db:connect", Resource: "arn:aws:rds-db:sa-east-1:1:dbuser:app-db-id/app" },
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:sa-east-1:1:app-jobs-id" },
        ],
    });
    p.resource(
        "aws:iam/rolePolicy:RolePolicy",
        "app-task-policy",
        app,
        { policy },
        { role: [role], policy: [db, queue] },
    );
    const taskDef = p.resource("aws:ecs/taskDefinition:TaskDefinition", "app-task", app, {}, { taskRoleArn: [role] });
    p.resource(
        "aws:ecs/service:Service",
        "app-svc",
        app,
        { launchType: "FARGATE" },
        { taskDefinition: [taskDef], loadBalancers: [tg], networkConfiguration: [priv, svcSg] },
    );
    p.resource("aws:cloudwatch/metricAlarm:MetricAlarm", "app-lb-5xx", app, {
        dimensions: { LoadBalancer: "app-lb-id" },
    });
    p.resource("aws:cloudwatch/logGroup:LogGroup", "app-logs", app, {}, { kmsKeyId: [key] });
    return p;
}

const flowOf = (plan: HandPlan, name: string): FlowDiagram => {
    const d = buildFlowDiagrams(plan.document()).find((x) => x.architecture === name);
    assert.ok(d, `no flow diagram ${name}`);
    return d;
};
const byName = (d: FlowDiagram, name: string): FlowNode => {
    const n = d.nodes.find((x) => x.name === name);
    assert.ok(n, `no node ${name}: ${d.nodes.map((x) => x.name).join(", ")}`);
    return n;
};
const edgesByName = (d: FlowDiagram) => {
    const name = (id: string) => (id === "internet" ? "internet" : d.nodes.find((n) => n.id === id)!.name);
    return d.edges.map((e) => `${name(e.from)} -> ${name(e.to)} [${e.kind}: ${e.label}]`).sort();
};

/** Bounds on the committed dev flow diagrams: tight to the layout when they were set (printed by the test). */
const LAYOUT_BOUNDS: Readonly<Record<string, { crossings: number }>> = {
    "coffee-shop": { crossings: 10 },
    foundation: { crossings: 0 },
    "mtls-api": { crossings: 0 },
    postech: { crossings: 0 },
    spotmusic: { crossings: 16 },
    ticketing: { crossings: 4 },
};
/** What a README shows without scrolling sideways: GitHub's content column scales wider drawings down. */
const MAX_WIDTH_PT = 1800;
const MAX_HEIGHT_PT = 1300;

describe("npm run diagram: the flow view", () => {
    describe("the model", () => {
        it("places nodes by what their subnets route to, not by tags, and keeps cross-cutting resources in the legend", () => {
            const d = flowOf(flowPlan({ albOpenToWorld: true }), "app");
            assert.deepStrictEqual(
                d.nodes.map((n) => [n.name, n.service, n.column, n.placement, n.badges.join(" ")]),
                [
                    ["db", "RDS PostgreSQL", "data", "isolated", "KMS Multi-AZ"],
                    ["jobs", "SQS queue", "messaging", "regional", "KMS DLQ"],
                    ["lb", "Application Load Balancer", "ingress", "public", "1 alarm"],
                    ["svc", "ECS service (Fargate)", "compute", "private", ""],
                ],
            );
            assert.deepStrictEqual(d.legend, [
                ["CloudWatch alarms", 1],
                ["IAM roles", 1],
                ["KMS keys", 1],
                ["log groups", 1],
                ["security groups", 3],
            ]);
            const foundation = flowOf(flowPlan({ albOpenToWorld: true }), "foundation");
            assert.deepStrictEqual(
                foundation.nodes.map((n) => [n.name, n.placement]),
                [
                    ["igw", "vpc"],
                    ["nat", "public"],
                ],
            );
        });

        it("draws edges for traffic only: listener to target, security-group rules, grants folded or dashed, internet to open entry points", () => {
            const d = flowOf(flowPlan({ albOpenToWorld: true }), "app");
            assert.deepStrictEqual(edgesByName(d), [
                "internet -> lb [calls: HTTPS]",
                "lb -> svc [calls: HTTPS 443]",
                "svc -> db [calls: tcp/5432 · connect]",
                "svc -> jobs [may-access: write]",
            ]);
            assert.strictEqual(byName(d, "jobs").badges.includes("DLQ"), true, "the DLQ is a badge, not a node");
        });

        it("does not draw the internet reaching a load balancer whose security group admits only a prefix list", () => {
            const d = flowOf(flowPlan({ albOpenToWorld: false }), "app");
            assert.deepStrictEqual(
                edgesByName(d).filter((e) => e.startsWith("internet")),
                [],
            );
        });

        it("classifies grants by their actions", () => {
            assert.strictEqual(actionClass(["rds-db:connect"]), "connect");
            assert.strictEqual(actionClass(["sqs:ReceiveMessage", "sqs:DeleteMessage"]), "consume");
            assert.strictEqual(actionClass(["sns:Publish"]), "publish");
            assert.strictEqual(actionClass(["dynamodb:GetItem", "dynamodb:Query"]), "read");
            assert.strictEqual(actionClass(["dynamodb:GetItem", "dynamodb:PutItem"]), "read/write");
            assert.strictEqual(actionClass(["s3:PutObject"]), "write");
        });

        it("gives the same DOT whatever the order of the plan's resources", () => {
            const plan = flowPlan({ albOpenToWorld: true });
            const forward = buildFlowDiagrams(plan.document()).map(toFlowDot);
            const reversed = buildFlowDiagrams(plan.document((rs) => [...rs].reverse())).map(toFlowDot);
            assert.deepStrictEqual(reversed, forward);
        });
    });

    describe("rendering", () => {
        it("embeds every icon as a data URI and writes the names, services and legend, with no timestamp", async () => {
            const rendered = await renderDiagrams(flowPlan({ albOpenToWorld: true }).document());
            const app = rendered.find((r) => r.architecture === "app")!;
            assert.doesNotMatch(app.svg, /xlink:href="(?!data:image\/svg\+xml;base64,)/);
            assert.strictEqual((app.svg.match(/<image /g) ?? []).length, 5, "internet and four nodes");
            const svg = app.svg.replace(/&#45;/g, "-");
            for (const text of ["Application Load Balancer", "RDS PostgreSQL", "Private subnets", "Also in app"])
                assert.ok(svg.includes(`>${text}<`), `missing ${text}`);
            assert.doesNotMatch(app.svg, /\d{4}-\d{2}-\d{2}T\d{2}:/);
        });
    });

    describe("the committed dev diagrams are readable", () => {
        const dir = path.join(ROOT, "docs", "diagrams", "dev");
        for (const [architecture, bound] of Object.entries(LAYOUT_BOUNDS)) {
            it(`${architecture}: no overlapping nodes, at most ${bound.crossings} edge crossings, fits a README`, () => {
                const m = measureSvg(fs.readFileSync(path.join(dir, `${architecture}.svg`), "utf8"));
                console.log(
                    `      ${architecture}: ${m.width}x${m.height} pt, ${m.nodes.length} nodes, ${m.edges} edges, ${m.crossings} crossings`,
                );
                assert.deepStrictEqual(m.overlaps, []);
                assert.ok(m.crossings <= bound.crossings, `${m.crossings} crossings > ${bound.crossings}`);
                assert.ok(m.width <= MAX_WIDTH_PT && m.height <= MAX_HEIGHT_PT, `${m.width}x${m.height} pt`);
                assert.ok(m.edges > 0, "the diagram draws edges");
            });
        }

        it("measures crossings and overlaps (the measure itself)", () => {
            const svg = [
                `<svg width="100pt" height="100pt" viewBox="0 0 100 100">`,
                `<g id="edge1" class="edge"><path d="M0,-50C30,-50 70,-50 100,-50"/></g>`,
                `<g id="edge2" class="edge"><path d="M50,0C50,-30 50,-70 50,-100"/></g>`,
                `<g id="edge3" class="edge"><path d="M0,-90C30,-90 70,-90 100,-90"/></g>`,
                `<g id="node1" class="node">\n<title>a</title>\n<g><a><text x="20" y="-20" font-size="10">aaaa</text>\n</a>\n</g>\n</g>`,
                `<g id="node2" class="node">\n<title>b</title>\n<g><a><text x="25" y="-20" font-size="10">bbbb</text>\n</a>\n</g>\n</g>`,
                `</svg>`,
            ].join("\n");
            const m = measureSvg(svg);
            assert.strictEqual(m.crossings, 2);
            assert.deepStrictEqual(m.overlaps, [["a", "b"]]);
            assert.deepStrictEqual([m.width, m.height, m.edges], [100, 100, 3]);
        });
    });

    it("every architecture of the registry has a layout bound", () => {
        const files = fs.readdirSync(path.join(ROOT, "docs", "diagrams", "dev")).filter((f) => f.endsWith(".svg"));
        assert.deepStrictEqual(files.map((f) => f.replace(/\.svg$/, "")).sort(), Object.keys(LAYOUT_BOUNDS).sort());
    });
});
