/**
 * The flow view of a plan: per architecture, the things an architect names (FLOW_KINDS) placed where
 * they actually run (the VPC subnet tier they sit in, judged by the subnet's routes; regional or global
 * services outside the VPC), and edges only for what carries traffic or events:
 * - listeners and listener rules -> target groups -> the ECS services, pods or functions behind them;
 * - CloudFront origins, WAF associations, API integrations and VPC links, authorizers, Cognito triggers;
 * - EventBridge rules and targets, SNS subscriptions, event source mappings, Step Functions definitions;
 * - security-group rules from one group to another (the nodes the groups are attached to);
 * - IAM grants from a workload's role to a data store or queue, dashed, labelled with the action class.
 * KMS keys, log groups, alarms, roles and other cross-cutting resources are legend counts and badges.
 * Everything is sorted, so the same plan always gives the same model.
 */
import type { ExportedResource, StackExport } from "../plan-runner";
import { FLOW_KINDS, flowIcon, FlowColumn, flowService, IconPath, LEGEND_KINDS } from "./flow-catalog";
import { nameOf, PlanModel } from "./plan-model";

/** Where a node runs: a subnet tier of the VPC (by its route table), the VPC itself, the region, or the edge. */
export type Placement = "public" | "private" | "isolated" | "vpc" | "regional" | "global";

export interface FlowNode {
    id: string;
    /** Logical name without the architecture's prefix (`checkout` for `ticketing-checkout`). */
    name: string;
    service: string;
    column: FlowColumn;
    icon: IconPath;
    placement: Placement;
    /** Short facts drawn under the name: `KMS`, `DLQ`, `Multi-AZ`, `3 alarms`. */
    badges: string[];
    /** Set when the node belongs to another architecture (drawn dashed). */
    architecture?: string;
}

/**
 * `calls`: requests; `sends`: events or messages; `authorizes`: an authorizer or trigger; `may-access`: an IAM grant.
 */
export type FlowEdgeKind = "calls" | "sends" | "authorizes" | "may-access";

export interface FlowEdge {
    from: string;
    to: string;
    kind: FlowEdgeKind;
    /** What flows, e.g. `HTTPS`, `tcp/5432`, `read/write`; several joined by `, `. */
    label: string;
}

export interface FlowDiagram {
    architecture: string;
    stack: string;
    region: string;
    nodes: FlowNode[];
    edges: FlowEdge[];
    /** Cross-cutting resources of the architecture: `[label, count]`, sorted by label. */
    legend: [string, number][];
    /** Cloud resources of the architecture. */
    resourceCount: number;
}

export const INTERNET = "internet";

const SUBNET = "aws:ec2/subnet:Subnet";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";

/** Glue that stands for a node: follow these properties to it (a listener is its load balancer, ...). */
const STANDS_FOR: Readonly<Record<string, readonly string[]>> = {
    "aws:lb/listener:Listener": ["loadBalancerArn"],
    "aws:apigateway/stage:Stage": ["restApi"],
    "aws:apigateway/deployment:Deployment": ["restApi"],
    "aws:apigatewayv2/stage:Stage": ["apiId"],
    "aws:apigateway/vpcLink:VpcLink": ["targetArns"],
    "aws:cloudwatch/eventRule:EventRule": ["eventBusName"],
    "aws:lambda/alias:Alias": ["functionName"],
    "aws:elasticache/subnetGroup:SubnetGroup": ["subnetIds"],
    "aws:rds/subnetGroup:SubnetGroup": ["subnetIds"],
    "aws:eks/nodeGroup:NodeGroup": ["subnetIds"],
};

/** Properties that attach security groups or subnets to a node. */
const ATTACHMENT_PROPS = [
    "networkConfiguration",
    "vpcConfig",
    "vpcSecurityGroupIds",
    "securityGroupIds",
    "securityGroups",
    "subnets",
    "subnetMappings",
    "subnetIds",
    "subnetId",
    "dbSubnetGroupName",
    "subnetGroupName",
    "privateSubnetIds",
    "publicSubnetIds",
];

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

const shortName = (architecture: string, name: string) =>
    name.startsWith(`${architecture}-`) ? name.slice(architecture.length + 1) : name;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Action class of IAM actions on one resource: `read`, `write`, `read/write`, `connect`, `consume`, `publish`. */
export function actionClass(actions: readonly string[]): string {
    const verbs = actions.map((a) => a.split(":")[1] ?? a);
    if (actions.some((a) => a.startsWith("rds-db:"))) return "connect";
    if (verbs.some((v) => /^ReceiveMessage|^DeleteMessage/.test(v)) && !verbs.some((v) => v.startsWith("Send")))
        return "consume";
    if (verbs.every((v) => /^Publish/.test(v))) return "publish";
    const read = verbs.some((v) => /^(Get|List|Describe|Query|Scan|BatchGet|Receive|Head|Select|\*)/.test(v));
    const write = verbs.some((v) => /^(Put|Update|Delete|Send|Publish|BatchWrite|Create|Start|Write|\*)/.test(v));
    return read && write ? "read/write" : write ? "write" : "read";
}

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Statements of an IAM policy input (a JSON string or an object); none when it cannot be read. */
function statements(policy: unknown): Statement[] {
    let doc: unknown = policy;
    if (typeof policy === "string") {
        try {
            doc = JSON.parse(policy);
        } catch {
            return [];
        }
    }
    const s = (doc as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

/** Builds the flow view of every architecture of the plan, sorted by architecture name. */
export function buildFlowDiagrams(document: StackExport): FlowDiagram[] {
    return new FlowBuilder(new PlanModel(document)).build();
}

class FlowBuilder {
    private readonly dependents = new Map<string, ExportedResource[]>();
    private readonly subnetTier = new Map<string, Placement>();

    constructor(private readonly model: PlanModel) {
        for (const r of model.cloudResources()) {
            for (const d of model.dependenciesOf(r)) {
                const list = this.dependents.get(d) ?? [];
                list.push(r);
                this.dependents.set(d, list);
            }
        }
        this.classifySubnets();
    }

    build(): FlowDiagram[] {
        return this.model.architectures().map((a) => this.diagram(a));
    }

    private ofType(type: string | readonly string[]): ExportedResource[] {
        const types = typeof type === "string" ? [type] : type;
        return this.model.cloudResources().filter((r) => types.includes(r.type));
    }

    private refs(r: ExportedResource, props: readonly string[]): ExportedResource[] {
        return this.model
            .propertyDependencies(r, props)
            .map((u) => this.model.get(u))
            .filter((x): x is ExportedResource => x !== undefined);
    }

    /**
     * A subnet is public when its route table routes to an internet gateway, private through a NAT gateway, else
     * isolated.
     */
    private classifySubnets(): void {
        const routeTargets = new Map<string, Set<string>>();
        for (const route of this.ofType("aws:ec2/route:Route")) {
            for (const table of this.model.propertyDependencies(route, ["routeTableId"])) {
                const set = routeTargets.get(table) ?? new Set<string>();
                for (const t of this.refs(route, ["gatewayId", "natGatewayId"])) set.add(t.type);
                routeTargets.set(table, set);
            }
        }
        for (const assoc of this.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")) {
            const targets = new Set(
                this.model
                    .propertyDependencies(assoc, ["routeTableId"])
                    .flatMap((t) => [...(routeTargets.get(t) ?? [])]),
            );
            const tier: Placement = targets.has("aws:ec2/internetGateway:InternetGateway")
                ? "public"
                : targets.has("aws:ec2/natGateway:NatGateway")
                  ? "private"
                  : "isolated";
            for (const s of this.model.propertyDependencies(assoc, ["subnetId"])) this.subnetTier.set(s, tier);
        }
        for (const s of this.ofType(SUBNET)) if (!this.subnetTier.has(s.urn)) this.subnetTier.set(s.urn, "isolated");
    }

    /** The node resources a resource stands for (itself, or through STANDS_FOR), deduplicated. */
    private resolve(r: ExportedResource, seen = new Set<string>()): ExportedResource[] {
        if (seen.has(r.urn)) return [];
        seen.add(r.urn);
        if (FLOW_KINDS[r.type]) return [r];
        const props = STANDS_FOR[r.type];
        if (props) return this.refs(r, props).flatMap((x) => this.resolve(x, seen));
        if (r.type === TARGET_GROUP) return this.behindTargetGroup(r);
        return [];
    }

    private resolveAll(rs: readonly ExportedResource[]): ExportedResource[] {
        return [...new Map(rs.flatMap((r) => this.resolve(r)).map((x) => [x.urn, x])).values()];
    }

    /** What a target group sends to: ECS services, Kubernetes workloads bound to it, attached functions. */
    private behindTargetGroup(tg: ExportedResource): ExportedResource[] {
        const out: ExportedResource[] = [];
        for (const d of this.dependents.get(tg.urn) ?? []) {
            if (d.type === "aws:ecs/service:Service") out.push(d);
            if (d.type === "aws:lb/targetGroupAttachment:TargetGroupAttachment")
                out.push(...this.resolveAll(this.refs(d, ["targetId"])));
            if (d.type === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding") {
                const siblings = this.model.childrenOf(d.parent ?? "");
                out.push(...siblings.filter((s) => s.type === "kubernetes:apps/v1:Deployment"));
            }
        }
        return out;
    }

    /** Subnets a node sits in (directly or through its subnet group or node group). */
    private subnetsOf(r: ExportedResource): string[] {
        const direct = this.refs(r, ATTACHMENT_PROPS);
        const viaGroups = direct.filter((x) => STANDS_FOR[x.type]).flatMap((x) => this.refs(x, STANDS_FOR[x.type]));
        return [...direct, ...viaGroups].filter((x) => x.type === SUBNET).map((x) => x.urn);
    }

    private placement(r: ExportedResource): Placement {
        if (r.type === "kubernetes:apps/v1:Deployment") {
            const groups = this.ofType("aws:eks/nodeGroup:NodeGroup");
            const tiers = groups.flatMap((g) => this.refs(g, ["subnetIds"])).map((s) => this.subnetTier.get(s.urn));
            return tiers.find((t) => t !== undefined) ?? "private";
        }
        const tiers = this.subnetsOf(r).map((s) => this.subnetTier.get(s) ?? "isolated");
        for (const t of ["public", "private", "isolated"] as const) if (tiers.includes(t)) return t;
        if (r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" || r.type === "aws:ec2/internetGateway:InternetGateway")
            return "vpc";
        if (r.type === "aws:cloudfront/distribution:Distribution") return "global";
        if (r.type === "aws:wafv2/webAcl:WebAcl" && r.inputs?.scope === "CLOUDFRONT") return "global";
        return "regional";
    }

    private diagram(architecture: string): FlowDiagram {
        const model = this.model;
        const mine = model.cloudResources().filter((r) => model.architectureOf(r) === architecture);
        const deadLetter = new Set(
            mine
                .filter((r) => r.type === "aws:sqs/queue:Queue")
                .flatMap((q) => model.propertyDependencies(q, ["redrivePolicy"])),
        );
        const nodeResources = mine.filter((r) => FLOW_KINDS[r.type] && !deadLetter.has(r.urn));
        const nodes = new Map<string, FlowNode>();
        for (const r of nodeResources) nodes.set(r.urn, this.node(r, architecture, deadLetter));

        const edges = new EdgeSet();
        const nodeOf = (r: ExportedResource): FlowNode | undefined => {
            if (deadLetter.has(r.urn)) return undefined;
            const existing = nodes.get(r.urn);
            if (existing) return existing;
            if (!FLOW_KINDS[r.type]) return undefined;
            const other = model.architectureOf(r);
            const external = { ...this.node(r, other, deadLetter), architecture: other, badges: [] };
            nodes.set(r.urn, external);
            return external;
        };
        const link: Linker = (from, to, kind, label, weak = false) => {
            for (const f of from)
                for (const t of to) {
                    if (f.urn === t.urn) continue;
                    const a = nodeOf(f);
                    const b = nodeOf(t);
                    if (a && b) edges.add({ from: a.id, to: b.id, kind, label }, weak);
                }
        };
        const glue = mine.filter((r) => !FLOW_KINDS[r.type]);
        this.trafficEdges([...glue, ...nodeResources], link);
        this.securityGroupEdges(glue, nodeResources, link);
        this.grantEdges(glue, link);
        this.internetEdges(nodeResources, glue, edges, nodes);

        const legend = new Map<string, number>();
        for (const r of mine) {
            const label = LEGEND_KINDS[r.type];
            if (label) legend.set(label, (legend.get(label) ?? 0) + 1);
        }
        const used = new Set(edges.list().flatMap((e) => [e.from, e.to]));
        const drawn = [...nodes.values()].filter((n) => n.architecture === undefined || used.has(n.id));
        return {
            architecture,
            stack: model.stackName,
            region: model.regionOf(mine[0] ?? model.resources[0]),
            nodes: drawn.sort((a, b) => cmp(a.id, b.id)),
            edges: edges.list(),
            legend: [...legend.entries()].sort((a, b) => cmp(a[0], b[0])),
            resourceCount: mine.length,
        };
    }

    private node(r: ExportedResource, architecture: string, deadLetter: Set<string>): FlowNode {
        const badges: string[] = [];
        const deps = this.model.dependenciesOf(r).map((u) => this.model.get(u));
        if (deps.some((d) => d?.type === "aws:kms/key:Key")) badges.push("KMS");
        if (this.model.propertyDependencies(r, ["redrivePolicy"]).some((u) => deadLetter.has(u))) badges.push("DLQ");
        if (r.inputs?.multiAz === true || r.inputs?.multiAzEnabled === true) badges.push("Multi-AZ");
        const ids = identifiers(r);
        const alarms = this.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            Object.values((a.inputs?.dimensions ?? {}) as Record<string, unknown>).some(
                (v) => typeof v === "string" && ids.some((id) => id === v || id.endsWith(`/${v}`)),
            ),
        );
        if (alarms.length > 0) badges.push(`${alarms.length} alarm${alarms.length > 1 ? "s" : ""}`);
        return {
            id: `n_${nameOf(r).replace(/[^A-Za-z0-9_]/g, "_")}_${r.type.split(":").pop()}`,
            name: shortName(architecture, nameOf(r)),
            service: flowService(r),
            column: FLOW_KINDS[r.type].column,
            icon: flowIcon(r),
            placement: this.placement(r),
            badges,
        };
    }

    /** Edges read from glue that carries traffic or events, and from nodes that name their targets. */
    private trafficEdges(rs: readonly ExportedResource[], link: Linker): void {
        const to = (r: ExportedResource, props: readonly string[]) => this.resolveAll(this.refs(r, props));
        for (const r of rs) {
            switch (r.type) {
                case "aws:lb/listener:Listener":
                    link(to(r, ["loadBalancerArn"]), to(r, ["defaultActions"]), "calls", listenerLabel(r));
                    break;
                case "aws:lb/listenerRule:ListenerRule":
                    link(to(r, ["listenerArn"]), to(r, ["actions"]), "calls", ruleLabel(r));
                    break;
                case "aws:cloudfront/distribution:Distribution":
                    link([r], [...to(r, ["origins"]), ...this.sharedSecretTargets(r, "origins")], "calls", "origin");
                    link(to(r, ["webAclId"]), [r], "calls", "filters");
                    break;
                case "aws:wafv2/webAclAssociation:WebAclAssociation":
                    link(to(r, ["webAclArn"]), to(r, ["resourceArn"]), "calls", "filters");
                    break;
                case "aws:apigateway/integration:Integration":
                    link(to(r, ["restApi"]), to(r, ["uri", "connectionId"]), "calls", integrationLabel(r));
                    break;
                case "aws:apigatewayv2/integration:Integration":
                    link(to(r, ["apiId"]), to(r, ["integrationUri"]), "calls", integrationLabel(r));
                    break;
                case "aws:apigateway/authorizer:Authorizer":
                    link(to(r, ["restApi"]), to(r, ["authorizerUri", "providerArns"]), "authorizes", "authorizer");
                    break;
                case "aws:apigatewayv2/authorizer:Authorizer":
                    link(to(r, ["apiId"]), to(r, ["authorizerUri", "jwtConfiguration"]), "authorizes", "authorizer");
                    break;
                case "aws:cognito/userPool:UserPool":
                    link([r], to(r, ["lambdaConfig"]), "authorizes", "trigger");
                    break;
                case "aws:cloudwatch/eventTarget:EventTarget":
                    link(
                        to(r, ["eventBusName", "rule"]),
                        to(r, ["arn"]),
                        "sends",
                        this.refs(r, ["rule"]).map(nameOf).join(", ") || "rule",
                    );
                    break;
                case "aws:sns/topicSubscription:TopicSubscription":
                    link(to(r, ["topic"]), to(r, ["endpoint"]), "sends", text(r.inputs?.protocol) ?? "subscription");
                    break;
                case "aws:lambda/eventSourceMapping:EventSourceMapping":
                    link(to(r, ["eventSourceArn"]), to(r, ["functionName"]), "sends", "event source");
                    break;
                case "aws:sfn/stateMachine:StateMachine":
                    link([r], to(r, ["definition"]), "calls", "task");
                    break;
                case "aws:ec2/natGateway:NatGateway":
                    link([r], this.ofType("aws:ec2/internetGateway:InternetGateway"), "calls", "egress");
                    break;
            }
        }
    }

    /**
     * Load balancers behind an origin that sends a secret header: the listeners or rules that require the
     * same generated secret (the CloudFront-only origin pattern, where the origin is a DNS name).
     */
    private sharedSecretTargets(r: ExportedResource, prop: string): ExportedResource[] {
        const secrets = this.refs(r, [prop]).filter((x) => x.type === "random:index/randomPassword:RandomPassword");
        const users = secrets.flatMap((x) => this.dependents.get(x.urn) ?? []);
        return this.resolveAll(
            users
                .filter((u) => u.type.startsWith("aws:lb/listener"))
                .flatMap((u) => this.refs(u, ["listenerArn", "loadBalancerArn"])),
        );
    }

    /**
     * Nodes a security group is attached to. A group that is an output of a cluster (an EKS cluster's
     * node or cluster security group) stands for the Kubernetes workloads of that architecture, which run
     * on its nodes, or for the cluster when there are none.
     */
    private attachedTo(sg: string, nodes: readonly ExportedResource[]): ExportedResource[] {
        const owner = this.model.get(sg);
        if (owner && FLOW_KINDS[owner.type]) {
            const arch = this.model.architectureOf(owner);
            const pods = nodes.filter(
                (n) => n.type === "kubernetes:apps/v1:Deployment" && this.model.architectureOf(n) === arch,
            );
            return pods.length > 0 ? pods : [owner];
        }
        return nodes.filter((n) => this.model.propertyDependencies(n, ATTACHMENT_PROPS).includes(sg));
    }

    /** An ingress rule from one group to another: the first group's nodes call the second's. */
    private securityGroupEdges(
        glue: readonly ExportedResource[],
        nodes: readonly ExportedResource[],
        link: Linker,
    ): void {
        const all = [...nodes, ...this.model.cloudResources().filter((r) => FLOW_KINDS[r.type] && !nodes.includes(r))];
        for (const rule of glue.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
            const source = this.model.propertyDependencies(rule, ["referencedSecurityGroupId"]);
            const target = this.model.propertyDependencies(rule, ["securityGroupId"]);
            if (source.length === 0) continue;
            const port =
                rule.inputs?.fromPort === rule.inputs?.toPort
                    ? `${String(rule.inputs?.ipProtocol)}/${String(rule.inputs?.fromPort)}`
                    : `${String(rule.inputs?.ipProtocol)}/` +
                      `${String(rule.inputs?.fromPort)}-${String(rule.inputs?.toPort)}`;
            link(
                source.flatMap((s) => this.attachedTo(s, all)),
                target.flatMap((t) => this.attachedTo(t, all)),
                "calls",
                port,
                true,
            );
        }
    }

    /** The workloads that run with a role: functions, ECS services (task role), pods (IRSA), state machines. */
    private workloadsOf(role: string): ExportedResource[] {
        const out: ExportedResource[] = [];
        for (const d of this.dependents.get(role) ?? []) {
            if (
                d.type === "aws:lambda/function:Function" &&
                this.model.propertyDependencies(d, ["role"]).includes(role)
            )
                out.push(d);
            if (d.type === "aws:sfn/stateMachine:StateMachine") out.push(d);
            if (
                d.type === "aws:ecs/taskDefinition:TaskDefinition" &&
                this.model.propertyDependencies(d, ["taskRoleArn"]).includes(role)
            )
                out.push(...(this.dependents.get(d.urn) ?? []).filter((s) => s.type === "aws:ecs/service:Service"));
            if (d.type === "kubernetes:core/v1:ServiceAccount")
                out.push(
                    ...(this.dependents.get(d.urn) ?? []).filter((s) => s.type === "kubernetes:apps/v1:Deployment"),
                );
        }
        return out;
    }

    /** IAM grants from a workload's role to a data store, queue, topic or bus: dashed, with the action class. */
    private grantEdges(glue: readonly ExportedResource[], link: Linker): void {
        const stores = new Set(["data", "messaging"]);
        for (const policy of glue.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")) {
            const workloads = this.model.propertyDependencies(policy, ["role"]).flatMap((r) => this.workloadsOf(r));
            if (workloads.length === 0) continue;
            const targets = this.resolveAll(this.refs(policy, ["policy"])).filter((t) =>
                stores.has(FLOW_KINDS[t.type].column),
            );
            const docs = statements(policy.inputs?.policy).filter((s) => s.Effect !== "Deny");
            for (const target of targets) {
                const ids = identifiers(target);
                const actions = docs
                    .filter((s) => list(s.Resource).some((res) => ids.some((id) => res.includes(id))))
                    .flatMap((s) => list(s.Action));
                if (actions.length > 0) link(workloads, [target], "may-access", actionClass(actions));
            }
        }
    }

    /**
     * Users reach the entry points: CloudFront, public APIs, internet-facing load balancers open to the world, user
     * pools with clients.
     */
    private internetEdges(
        nodes: readonly ExportedResource[],
        glue: readonly ExportedResource[],
        edges: EdgeSet,
        drawn: Map<string, FlowNode>,
    ): void {
        const filtered = new Set(
            edges
                .list()
                .filter((e) => e.label === "filters")
                .map((e) => e.to),
        );
        const filters = edges.list().filter((e) => e.label === "filters");
        const entries: ExportedResource[] = [];
        for (const r of nodes) {
            if (r.type === "aws:cloudfront/distribution:Distribution") entries.push(r);
            if (r.type === "aws:apigateway/restApi:RestApi" || r.type === "aws:apigatewayv2/api:Api") entries.push(r);
            if (r.type === "aws:ec2/internetGateway:InternetGateway") entries.push(r);
            if (
                r.type === "aws:lb/loadBalancer:LoadBalancer" &&
                r.inputs?.internal !== true &&
                this.openToWorld(r, glue)
            )
                entries.push(r);
            if (
                r.type === "aws:cognito/userPool:UserPool" &&
                glue.some((g) => g.type === "aws:cognito/userPoolClient:UserPoolClient")
            )
                entries.push(r);
        }
        for (const r of entries) {
            const node = drawn.get(r.urn)!;
            if (filtered.has(node.id)) {
                for (const f of filters.filter((e) => e.to === node.id))
                    edges.add({ from: INTERNET, to: f.from, kind: "calls", label: "HTTPS" });
            } else {
                edges.add({ from: INTERNET, to: node.id, kind: "calls", label: entryLabel(r) });
            }
        }
    }

    /** A load balancer with no security group, or one that admits 0.0.0.0/0 or ::/0. */
    private openToWorld(lb: ExportedResource, glue: readonly ExportedResource[]): boolean {
        const groups = this.model.propertyDependencies(lb, ["securityGroups"]);
        if (groups.length === 0) return true;
        return glue.some(
            (g) =>
                g.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                this.model.propertyDependencies(g, ["securityGroupId"]).some((s) => groups.includes(s)) &&
                (g.inputs?.cidrIpv4 === "0.0.0.0/0" || g.inputs?.cidrIpv6 === "::/0"),
        );
    }
}

type Linker = (
    from: ExportedResource[],
    to: ExportedResource[],
    kind: FlowEdgeKind,
    label: string,
    weak?: boolean,
) => void;

/**
 * Edges keyed by endpoints and kind; labels of the same edge are merged, sorted. A weak label (a
 * security-group port) is dropped when the edge also has a strong one (a listener, a path). A grant
 * between two nodes already joined by a request edge folds into that edge's label instead of a second,
 * dashed edge.
 */
class EdgeSet {
    private readonly edges = new Map<
        string,
        { from: string; to: string; kind: FlowEdgeKind; strong: Set<string>; weak: Set<string> }
    >();

    add(e: FlowEdge, weak = false): void {
        const key = `${e.from}>${e.to}>${e.kind}`;
        const entry = this.edges.get(key) ?? { ...e, strong: new Set<string>(), weak: new Set<string>() };
        (weak ? entry.weak : entry.strong).add(e.label);
        this.edges.set(key, entry);
    }

    list(): FlowEdge[] {
        const label = (e: { strong: Set<string>; weak: Set<string> }) =>
            [...(e.strong.size > 0 ? e.strong : e.weak)].sort().join(", ");
        const out: FlowEdge[] = [];
        for (const e of this.edges.values()) {
            const request = this.edges.get(`${e.from}>${e.to}>calls`);
            if (e.kind === "may-access" && request) continue;
            const grant = e.kind === "calls" ? this.edges.get(`${e.from}>${e.to}>may-access`) : undefined;
            const text = grant ? `${label(e)} · ${label(grant)}` : label(e);
            out.push({ from: e.from, to: e.to, kind: e.kind, label: text });
        }
        return out.sort((a, b) => cmp(`${a.from}>${a.to}>${a.kind}`, `${b.from}>${b.to}>${b.kind}`));
    }
}

/** Strings a policy's Resource may use for a resource: its ARN, id, name and resource id (ARN prefixes match too). */
function identifiers(r: ExportedResource): string[] {
    const out = r.outputs ?? {};
    return [out.arn, r.id, out.name, out.resourceId, out.url]
        .filter((v): v is string => typeof v === "string" && v.length >= 6)
        .sort();
}

function listenerLabel(r: ExportedResource): string {
    const protocol = typeof r.inputs?.protocol === "string" ? r.inputs.protocol : "";
    return protocol ? `${protocol} ${typeof r.inputs?.port === "number" ? r.inputs.port : ""}`.trim() : "listener";
}

/** A listener rule by its path patterns (`/api/orders*`), else `rule`. */
function ruleLabel(r: ExportedResource): string {
    const conditions = (r.inputs?.conditions ?? []) as { pathPattern?: { values?: string[] } }[];
    const paths = conditions.flatMap((c) => c.pathPattern?.values ?? []);
    return paths.length > 0 ? paths.join(" ") : "rule";
}

function integrationLabel(r: ExportedResource): string {
    const type = r.inputs?.integrationType ?? r.inputs?.type;
    if (r.inputs?.connectionType === "VPC_LINK") return "VPC link";
    return type === "AWS_PROXY" ? "invoke" : (text(type) ?? "integration");
}

function entryLabel(r: ExportedResource): string {
    if (r.type === "aws:cognito/userPool:UserPool") return "sign-in";
    if (r.type === "aws:ec2/internetGateway:InternetGateway") return "internet";
    if (r.type === "aws:lb/loadBalancer:LoadBalancer" && r.inputs?.loadBalancerType === "network") return "TLS";
    return "HTTPS";
}
