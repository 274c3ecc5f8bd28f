/**
 * How each priced resource type turns into billable line items: a quantity of a price key (looked up
 * per region in the price table), read from the resource's own inputs in the plan (sizes, counts,
 * Multi-AZ, subnets) and, for traffic, from the stack's usage assumptions.
 *
 * Billing models followed: NAT gateway and interface endpoint hour + GB processed
 * (https://aws.amazon.com/vpc/pricing/, https://aws.amazon.com/privatelink/pricing/); public IPv4 per
 * address-hour including those of NAT gateways and internet-facing load balancers, one per AZ
 * (https://aws.amazon.com/vpc/pricing/); ALB/NLB hour + capacity units
 * (https://aws.amazon.com/elasticloadbalancing/pricing/); Fargate vCPU-hour + GB-hour per running task
 * (https://aws.amazon.com/fargate/pricing/); RDS instance-hour, twice for Multi-AZ, + GB-month
 * (https://aws.amazon.com/rds/pricing/); ElastiCache node-hour per node; EKS cluster-hour + node
 * instances; WAF web ACL + rules + requests; KMS key-month; Secrets Manager secret-month; CloudWatch
 * dashboards, alarms and log ingestion (https://aws.amazon.com/cloudwatch/pricing/).
 */
import type { ExportedResource } from "../plan-runner";
import type { PlanModel } from "../diagram/plan-model";
import type { UsageValues } from "./tables";

/** One billable quantity of a resource. */
export interface LineSpec {
    /** Resource kind the line is reported under (table row). */
    kind: string;
    /** What is counted, for the listing: `730 h × 1 gateway`. */
    detail: string;
    quantity: number;
    /** Price key in the table; absent for lines that are free by rule (`usd: 0`). */
    priceKey?: string;
    /** Why a line has no price key (free by rule, or not determinable from the plan). */
    note?: string;
    /** The line cannot be priced whatever the table holds (size unknown): reported as unpriced. */
    unknown?: boolean;
}

export interface PricerContext {
    model: PlanModel;
    hours: number;
    usage: Partial<UsageValues> & Required<Omit<UsageValues, "taskCount">>;
}

export type Pricer = (r: ExportedResource, ctx: PricerContext) => LineSpec[];

const num = (v: unknown): number | undefined => {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
};
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const ENGINES: Record<string, string> = { postgres: "RDS PostgreSQL", mysql: "RDS MySQL", mariadb: "RDS MariaDB" };

function publicIpv4(count: number, ctx: PricerContext, what: string): LineSpec {
    return {
        kind: "Public IPv4 address",
        detail: `${ctx.hours} h × ${plural(count, "address")} (${what})`,
        quantity: ctx.hours * count,
        priceKey: "public-ipv4.hour",
    };
}

function loadBalancer(r: ExportedResource, ctx: PricerContext): LineSpec[] {
    const type = str(r.inputs?.loadBalancerType) ?? "application";
    if (type !== "application" && type !== "network")
        return [
            {
                kind: "Load balancer",
                detail: `${type} load balancer`,
                quantity: 1,
                unknown: true,
                note: `no pricer for ${type} load balancers`,
            },
        ];
    const [kind, prefix, unit] =
        type === "network" ? ["Network Load Balancer", "nlb", "nlcu"] : ["Application Load Balancer", "alb", "lcu"];
    const lines: LineSpec[] = [
        { kind, detail: `${ctx.hours} h`, quantity: ctx.hours, priceKey: `${prefix}.hour` },
        {
            kind,
            detail: `${ctx.usage.loadBalancerCapacityUnits} ${unit.toUpperCase()} × ${ctx.hours} h (usage assumption)`,
            quantity: ctx.usage.loadBalancerCapacityUnits * ctx.hours,
            priceKey: `${prefix}.${unit}-hour`,
        },
    ];
    if (r.inputs?.internal !== true) {
        const azs = arr(r.inputs?.subnets).length || arr(r.inputs?.subnetMappings).length;
        if (azs > 0) lines.push(publicIpv4(azs, ctx, "internet-facing, one per AZ"));
        else
            lines.push({
                kind: "Public IPv4 address",
                detail: "internet-facing, subnets not in the plan",
                quantity: 0,
                unknown: true,
                note: "subnet count unknown",
            });
    }
    return lines;
}

function fargateService(r: ExportedResource, ctx: PricerContext): LineSpec[] {
    const spot = arr(r.inputs?.capacityProviderStrategies).some(
        (s) => (s as { capacityProvider?: string })?.capacityProvider === "FARGATE_SPOT",
    );
    const fargate =
        r.inputs?.launchType === "FARGATE" ||
        arr(r.inputs?.capacityProviderStrategies).some(
            (s) => (s as { capacityProvider?: string })?.capacityProvider === "FARGATE",
        );
    if (!fargate || spot)
        return [
            {
                kind: "ECS service",
                detail: spot ? "Fargate Spot" : "EC2 launch type",
                quantity: 0,
                unknown: true,
                note: spot
                    ? "Fargate Spot prices are not in the table"
                    : "tasks on EC2 instances are billed as the instances",
            },
        ];
    const taskDefUrn = ctx.model.propertyDependencies(r, ["taskDefinition"])[0];
    const taskDef = taskDefUrn ? ctx.model.get(taskDefUrn) : undefined;
    const cpu = num(taskDef?.inputs?.cpu);
    const memory = num(taskDef?.inputs?.memory);
    const count = ctx.usage.taskCount ?? num(r.inputs?.desiredCount) ?? 1;
    if (!taskDef || cpu === undefined || memory === undefined) {
        return [
            {
                kind: "Fargate",
                detail: `${plural(count, "task")}, task size not in the plan`,
                quantity: 0,
                unknown: true,
                note: "task definition cpu/memory not found",
            },
        ];
    }
    const arch =
        str((taskDef.inputs?.runtimePlatform as { cpuArchitecture?: string } | undefined)?.cpuArchitecture) === "ARM64"
            ? "arm64"
            : "x86_64";
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const lines: LineSpec[] = [
        {
            kind: "Fargate",
            detail: `${plural(count, "task")} × ${vcpu} vCPU × ${ctx.hours} h (${arch})`,
            quantity: count * vcpu * ctx.hours,
            priceKey: `fargate.${arch}.vcpu-hour`,
        },
        {
            kind: "Fargate",
            detail: `${plural(count, "task")} × ${gb} GB × ${ctx.hours} h (${arch})`,
            quantity: count * gb * ctx.hours,
            priceKey: `fargate.${arch}.gb-hour`,
        },
    ];
    const network = r.inputs?.networkConfiguration as { assignPublicIp?: boolean } | undefined;
    if (network?.assignPublicIp === true) lines.push(publicIpv4(count, ctx, "task public IPs"));
    return lines;
}

function rdsInstance(r: ExportedResource, ctx: PricerContext): LineSpec[] {
    const engine = str(r.inputs?.engine) ?? "unknown";
    const kind = ENGINES[engine] ?? `RDS ${engine}`;
    const cls = str(r.inputs?.instanceClass) ?? "unknown";
    const copies = r.inputs?.multiAz === true ? 2 : 1;
    const az = copies === 2 ? "Multi-AZ: primary and standby" : "Single-AZ";
    const storage = num(r.inputs?.allocatedStorage) ?? 0;
    const storageType = str(r.inputs?.storageType) ?? "gp2";
    return [
        {
            kind,
            detail: `${ctx.hours} h × ${copies} (${cls}, ${az})`,
            quantity: ctx.hours * copies,
            priceKey: `rds.${engine}.${cls}.hour`,
        },
        {
            kind,
            detail: `${storage} GB × ${copies} (${storageType})`,
            quantity: storage * copies,
            priceKey: `rds.${storageType}.gb-month`,
        },
    ];
}

function elasticache(r: ExportedResource, ctx: PricerContext): LineSpec[] {
    const nodeType = str(r.inputs?.nodeType) ?? "unknown";
    const nodes =
        r.type === "aws:elasticache/cluster:Cluster"
            ? (num(r.inputs?.numCacheNodes) ?? 1)
            : (num(r.inputs?.numCacheClusters) ??
              (num(r.inputs?.numNodeGroups) ?? 1) * ((num(r.inputs?.replicasPerNodeGroup) ?? 0) + 1));
    return [
        {
            kind: "ElastiCache",
            detail: `${ctx.hours} h × ${plural(nodes, "node")} (${nodeType})`,
            quantity: ctx.hours * nodes,
            priceKey: `elasticache.${nodeType}.hour`,
        },
    ];
}

function eksNodeGroup(r: ExportedResource, ctx: PricerContext): LineSpec[] {
    const scaling = (r.inputs?.scalingConfig ?? {}) as { desiredSize?: unknown };
    const nodes = num(scaling.desiredSize) ?? 1;
    const instanceType = str(arr(r.inputs?.instanceTypes)[0]) ?? "t3.medium";
    const disk = num(r.inputs?.diskSize) ?? 20;
    return [
        {
            kind: "EKS nodes",
            detail: `${ctx.hours} h × ${plural(nodes, "node")} (${instanceType})`,
            quantity: ctx.hours * nodes,
            priceKey: `ec2.${instanceType}.hour`,
        },
        {
            kind: "EKS nodes",
            detail: `${disk} GB × ${plural(nodes, "node")} (root volume)`,
            quantity: disk * nodes,
            priceKey: "ebs.gp3.gb-month",
        },
    ];
}

const monthly =
    (kind: string, priceKey: string, detail = "1 month"): Pricer =>
    () => [{ kind, detail, quantity: 1, priceKey }];

/** Priced resource types. Keys must equal `types.priced` of the price table (a test checks). */
export const PRICERS: Readonly<Record<string, Pricer>> = {
    "aws:ec2/natGateway:NatGateway": (r, ctx) => {
        if (r.inputs?.connectivityType === "private")
            return [
                {
                    kind: "NAT gateway",
                    detail: `${ctx.hours} h (private)`,
                    quantity: ctx.hours,
                    priceKey: "nat-gateway.hour",
                },
            ];
        return [
            { kind: "NAT gateway", detail: `${ctx.hours} h`, quantity: ctx.hours, priceKey: "nat-gateway.hour" },
            {
                kind: "NAT gateway",
                detail: `${ctx.usage.natGatewayGbPerMonth} GB processed (usage assumption)`,
                quantity: ctx.usage.natGatewayGbPerMonth,
                priceKey: "nat-gateway.gb",
            },
        ];
    },
    "aws:ec2/eip:Eip": (_r, ctx) => [publicIpv4(1, ctx, "Elastic IP")],
    "aws:ec2/vpcEndpoint:VpcEndpoint": (r, ctx) => {
        if ((str(r.inputs?.vpcEndpointType) ?? "Gateway") !== "Interface")
            return [
                {
                    kind: "Gateway VPC endpoint",
                    detail: "gateway endpoint",
                    quantity: 1,
                    note: "gateway endpoints (S3, DynamoDB) have no charge",
                },
            ];
        const azs = arr(r.inputs?.subnetIds).length || 1;
        return [
            {
                kind: "Interface VPC endpoint",
                detail: `${ctx.hours} h × ${plural(azs, "AZ")}`,
                quantity: ctx.hours * azs,
                priceKey: "vpc-endpoint.interface-hour",
            },
            {
                kind: "Interface VPC endpoint",
                detail: `${ctx.usage.interfaceEndpointGbPerMonth} GB processed (usage assumption)`,
                quantity: ctx.usage.interfaceEndpointGbPerMonth,
                priceKey: "vpc-endpoint.interface-gb",
            },
        ];
    },
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ecs/service:Service": fargateService,
    "aws:eks/cluster:Cluster": (_r, ctx) => [
        { kind: "EKS control plane", detail: `${ctx.hours} h`, quantity: ctx.hours, priceKey: "eks.cluster-hour" },
    ],
    "eks:index:Cluster": (_r, ctx) => [
        { kind: "EKS control plane", detail: `${ctx.hours} h`, quantity: ctx.hours, priceKey: "eks.cluster-hour" },
        {
            kind: "EKS nodes",
            detail: "nodes of the component's own node group",
            quantity: 0,
            unknown: true,
            note: "the remote eks.Cluster component's node group is not visible in the plan",
        },
    ],
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticache,
    "aws:elasticache/cluster:Cluster": elasticache,
    "aws:wafv2/webAcl:WebAcl": (r, ctx) => {
        const rules = arr(r.inputs?.rules).length;
        return [
            { kind: "AWS WAF", detail: "1 web ACL", quantity: 1, priceKey: "waf.web-acl-month" },
            { kind: "AWS WAF", detail: plural(rules, "rule"), quantity: rules, priceKey: "waf.rule-month" },
            {
                kind: "AWS WAF",
                detail: `${ctx.usage.wafMillionRequestsPerMonth} million requests (usage assumption)`,
                quantity: ctx.usage.wafMillionRequestsPerMonth,
                priceKey: "waf.million-requests",
            },
        ];
    },
    "aws:kms/key:Key": monthly("KMS key", "kms.key-month"),
    "aws:secretsmanager/secret:Secret": monthly("Secrets Manager secret", "secretsmanager.secret-month"),
    "aws:cloudwatch/dashboard:Dashboard": monthly("CloudWatch dashboard", "cloudwatch.dashboard-month"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => {
        const period = num(r.inputs?.period);
        const high = period !== undefined && period < 60;
        return [
            {
                kind: "CloudWatch alarm",
                detail: high ? `1 month (${period} s period: high resolution)` : "1 month",
                quantity: 1,
                priceKey: high ? "cloudwatch.high-resolution-alarm-month" : "cloudwatch.alarm-month",
            },
        ];
    },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": monthly("CloudWatch alarm", "cloudwatch.composite-alarm-month"),
    "aws:cloudwatch/logGroup:LogGroup": (r, ctx) => {
        const gb = ctx.usage.logGroupGbPerMonth;
        const retention = num(r.inputs?.retentionInDays);
        const months = retention && retention > 0 ? retention / 30 : 12;
        return [
            {
                kind: "CloudWatch Logs",
                detail: `${gb} GB ingested (usage assumption)`,
                quantity: gb,
                priceKey: "logs.ingested-gb",
            },
            {
                kind: "CloudWatch Logs",
                detail: `${gb} GB × ${Math.round(months * 10) / 10} months retained (steady state, before compression)`,
                quantity: gb * months,
                priceKey: "logs.stored-gb-month",
            },
        ];
    },
};
