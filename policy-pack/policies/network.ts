/**
 * Private networks: no public IPs on compute, data stores neither public nor on public subnets,
 * world-open security group ingress only on internet-facing load balancers (80/443), the default
 * security group closed, EKS endpoints not open to the world, Lambda inside the VPC when it
 * reaches VPC-only resources.
 *
 * Stack policies follow property dependencies (subnet group -> subnets -> route table
 * associations -> route tables -> routes -> internet gateway) as the engine records them; see
 * {@link StackGraph}. References: AWS Foundational Security Best Practices (EC2.2, EC2.18,
 * EC2.19, RDS.2, EKS.1, Lambda.3) https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 */
import type { PolicyResource } from "@pulumi/policy";
import {
    block,
    isAnywhere,
    isFalse,
    isOneOf,
    isTrue,
    list,
    num,
    Policy,
    Props,
    resourcePolicy,
    StackGraph,
    stackPolicy,
    T,
    text,
    tokensOf,
} from "../lib/resource";

export const ecsServiceNoPublicIp = resourcePolicy({
    name: "ecs-service-no-public-ip",
    description: "ECS services must not assign public IPs to tasks.",
    types: tokensOf("ecsService", "awsxFargateService", "awsxEc2Service"),
    check: (props, _args, report) => {
        if (isTrue(block(props.networkConfiguration)?.assignPublicIp) || isTrue(props.assignPublicIp)) {
            report(
                "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets (egress through " +
                    "NAT or VPC endpoints).",
            );
        }
    },
});

export const ec2InstanceNoPublicIp = resourcePolicy({
    name: "ec2-instance-no-public-ip",
    description: "EC2 instances must not get a public IP.",
    types: T.ec2Instance,
    check: (props, _args, report) => {
        if (isTrue(props.associatePublicIpAddress)) {
            report(
                "Set associatePublicIpAddress: false; reach the instance through a load balancer or SSM Session " +
                    "Manager.",
            );
        }
    },
});

export const ec2LaunchTemplateNoPublicIp = resourcePolicy({
    name: "ec2-launch-template-no-public-ip",
    description: "Launch templates must not give instances public IPs.",
    types: T.ec2LaunchTemplate,
    check: (props, _args, report) => {
        list(props.networkInterfaces).forEach((ni, i) => {
            if (isTrue(block(ni)?.associatePublicIpAddress)) {
                report(`Set networkInterfaces[${i}].associatePublicIpAddress: "false".`);
            }
        });
    },
});

export const eksNodeNoPublicIp = resourcePolicy({
    name: "eks-node-no-public-ip",
    description: "EKS default node groups must not give nodes public IPs.",
    types: T.eksComponentCluster,
    check: (props, _args, report) => {
        if (isTrue(props.skipDefaultNodeGroup) || (props.fargate !== undefined && props.fargate !== false)) {
            return; // No default node group is created.
        }
        if (!isFalse(props.nodeAssociatePublicIpAddress)) {
            report(
                "Set nodeAssociatePublicIpAddress: false (or skipDefaultNodeGroup: true with managed node groups " +
                    "in private subnets).",
            );
        }
    },
});

export const rdsNotPublic = resourcePolicy({
    name: "rds-not-public",
    description: "RDS instances must not be publicly accessible.",
    types: tokensOf("rdsInstance", "rdsClusterInstance"),
    check: (props, _args, report) => {
        if (isTrue(props.publiclyAccessible)) {
            report("Set publiclyAccessible: false.");
        }
    },
});

// ------------------------------------------------------------------------------------------------
// Subnet reachability: which subnets route to an internet gateway.
// ------------------------------------------------------------------------------------------------

/** True when a route (standalone or inline) sends traffic to an internet gateway. */
function routeIsToIgw(graph: StackGraph, route: PolicyResource): boolean {
    const deps = route.propertyDependencies["gatewayId"] ?? [];
    if (deps.length > 0) {
        return deps.some((d) => isOneOf(d.type, T.internetGateway));
    }
    const gw: unknown = route.props.gatewayId;
    return (
        typeof gw === "string" &&
        (gw.startsWith("igw-") || graph.targets(route, "gatewayId", T.internetGateway).length > 0)
    );
}

/** True for an internet gateway id (`igw-...`). */
function isIgwId(id: unknown): boolean {
    return typeof id === "string" && id.startsWith("igw-");
}

function routeTableIsPublic(graph: StackGraph, table: PolicyResource): boolean {
    const inlineDeps = table.propertyDependencies["routes"] ?? [];
    if (inlineDeps.some((d) => isOneOf(d.type, T.internetGateway))) {
        return true;
    }
    if (list(table.props.routes).some((r) => isIgwId(block(r)?.gatewayId))) {
        return true;
    }
    return graph.referrers(table, "routeTableId", T.route).some((r) => routeIsToIgw(graph, r));
}

/** The route tables that govern a subnet: its explicit associations, else its VPC's main table. */
function routeTablesOf(graph: StackGraph, subnet: PolicyResource): PolicyResource[] {
    const assocs = graph.referrers(subnet, "subnetId", T.routeTableAssociation);
    if (assocs.length > 0) {
        return assocs.flatMap((a) => graph.targets(a, "routeTableId", T.routeTable));
    }
    const vpcs = graph.targets(subnet, "vpcId", T.vpc);
    return vpcs.flatMap((vpc) =>
        graph
            .referrers(vpc, "vpcId", T.mainRouteTableAssociation)
            .flatMap((m) => graph.targets(m, "routeTableId", T.routeTable)),
    );
}

/** True when a subnet routes to an internet gateway (a public subnet). */
export function subnetIsPublic(graph: StackGraph, subnet: PolicyResource): boolean {
    return routeTablesOf(graph, subnet).some((t) => routeTableIsPublic(graph, t));
}

function privateSubnetsPolicy(name: string, service: string, groupTokens: readonly string[], groupType: string) {
    return stackPolicy({
        name,
        description: `${service} subnet groups must use only private subnets (no route to an internet gateway).`,
        check: (graph, _args, report) => {
            for (const group of graph.ofType(groupTokens)) {
                const publicOnes = graph.targets(group, "subnetIds", T.subnet).filter((s) => subnetIsPublic(graph, s));
                if (publicOnes.length > 0) {
                    report(
                        `${groupType} ${group.name} includes public subnet(s) ` +
                            `${publicOnes.map((s) => s.name).join(", ")}: ` +
                            "set subnetIds to the isolated (data) subnets, whose route tables have no 0.0.0.0/0 " +
                            "route to an internet gateway.",
                        group.urn,
                    );
                }
            }
        },
    });
}

export const rdsPrivateSubnets = privateSubnetsPolicy(
    "rds-private-subnets",
    "RDS",
    T.rdsSubnetGroup,
    "DB subnet group",
);
export const elasticachePrivateSubnets = privateSubnetsPolicy(
    "elasticache-private-subnets",
    "ElastiCache",
    T.elasticacheSubnetGroup,
    "Cache subnet group",
);

export const ec2DataSubnetNoPublicIp = stackPolicy({
    name: "ec2-data-subnet-no-public-ip",
    description: "Subnets used by RDS or ElastiCache subnet groups must not auto-assign public IPs.",
    check: (graph, _args, report) => {
        const seen = new Set<string>();
        for (const group of graph.ofType(tokensOf("rdsSubnetGroup", "elasticacheSubnetGroup"))) {
            for (const subnet of graph.targets(group, "subnetIds", T.subnet)) {
                if (seen.has(subnet.urn)) {
                    continue;
                }
                seen.add(subnet.urn);
                if (isTrue(subnet.props.mapPublicIpOnLaunch)) {
                    report(
                        `Data subnet ${subnet.name} (used by ${group.name}): set mapPublicIpOnLaunch: false.`,
                        subnet.urn,
                    );
                }
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// Security groups.
// ------------------------------------------------------------------------------------------------

/** One ingress permission open to 0.0.0.0/0 or ::/0. */
interface OpenIngress {
    protocol: string;
    fromPort: number | undefined;
    toPort: number | undefined;
    where: string;
}

/** Ports the world may reach, and only on internet-facing load balancers. */
const PUBLIC_PORTS = [80, 443];

function normaliseProtocol(p: unknown): string {
    const s = text(p).toLowerCase();
    return s === "6" ? "tcp" : s === "all" ? "-1" : s;
}

/** True when an open rule allows exactly TCP 80 or TCP 443. */
function isWebPort(o: OpenIngress): boolean {
    return (
        o.protocol === "tcp" && o.fromPort !== undefined && o.fromPort === o.toPort && PUBLIC_PORTS.includes(o.fromPort)
    );
}

/** The world-open ingress permissions a resource declares (inline rules, rule resources). */
function openIngressOf(type: string, props: Props): OpenIngress[] {
    if (isOneOf(type, T.securityGroup)) {
        return list(props.ingress).flatMap((value, i) => {
            const r = block(value);
            return list<string>(r?.cidrBlocks).concat(list<string>(r?.ipv6CidrBlocks)).some(isAnywhere)
                ? [
                      {
                          protocol: normaliseProtocol(r?.protocol),
                          fromPort: num(r?.fromPort),
                          toPort: num(r?.toPort),
                          where: `ingress[${i}]`,
                      },
                  ]
                : [];
        });
    }
    if (isOneOf(type, T.securityGroupRule)) {
        if (props.type !== "ingress") {
            return [];
        }
        const open = list<string>(props.cidrBlocks).concat(list<string>(props.ipv6CidrBlocks)).some(isAnywhere);
        return open
            ? [
                  {
                      protocol: normaliseProtocol(props.protocol),
                      fromPort: num(props.fromPort),
                      toPort: num(props.toPort),
                      where: "rule",
                  },
              ]
            : [];
    }
    if (isOneOf(type, T.securityGroupIngressRule)) {
        const open = isAnywhere(props.cidrIpv4) || isAnywhere(props.cidrIpv6);
        return open
            ? [
                  {
                      protocol: normaliseProtocol(props.ipProtocol),
                      fromPort: num(props.fromPort),
                      toPort: num(props.toPort),
                      where: "rule",
                  },
              ]
            : [];
    }
    return [];
}

function describe(o: OpenIngress): string {
    const ports =
        o.protocol === "-1"
            ? "all traffic"
            : o.fromPort === o.toPort
              ? `${o.protocol} ${o.fromPort}`
              : `${o.protocol} ${o.fromPort}-${o.toPort}`;
    return `${o.where} opens ${ports} to the internet`;
}

const SG_RULE_TYPES = tokensOf("securityGroup", "securityGroupRule", "securityGroupIngressRule");

export const ec2SgPublicIngressPorts = resourcePolicy({
    name: "ec2-sg-public-ingress-ports",
    description: "Security group ingress from 0.0.0.0/0 or ::/0 is allowed only on TCP 80 and 443.",
    types: SG_RULE_TYPES,
    check: (props, args, report) => {
        for (const o of openIngressOf(args.type, props)) {
            if (!isWebPort(o)) {
                report(
                    `${describe(o)}: restrict the source to a security group, prefix list or private CIDR; only ` +
                        `TCP 80/443 may be open to the world (on a load balancer).`,
                );
            }
        }
    },
});

/** Types that describe security group rules rather than use a group (never an attachment). */
const SG_DEFINITION_TYPES = [
    ...SG_RULE_TYPES,
    ...T.defaultSecurityGroup,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

/** Properties (top level, or one level down) through which a resource uses security groups. */
const SG_ATTACHMENT_PATHS: readonly (readonly string[])[] = [
    ["securityGroups"],
    ["vpcSecurityGroupIds"],
    ["securityGroupIds"],
    ["networkConfiguration", "securityGroups"],
    ["vpcConfig", "securityGroupIds"],
    ["networkInterfaces", "securityGroups"],
];

function attachedIds(r: PolicyResource): Set<string> {
    const ids = new Set<string>();
    for (const [first, second] of SG_ATTACHMENT_PATHS) {
        const outer = list(r.props[first]);
        const values = second === undefined ? outer : outer.flatMap((o) => list(block(o)?.[second]));
        for (const v of values) if (typeof v === "string") ids.add(v);
    }
    return ids;
}

/**
 * The resources in the stack that use security group `sg` (instances, services, functions, load
 * balancers, endpoints, components): through property dependencies, or, for resources with none on
 * the group, by its id in their security group properties. Rules and other groups that merely
 * name `sg` as a source are not attachments.
 */
export function attachmentsOf(graph: StackGraph, sg: PolicyResource): PolicyResource[] {
    const id: unknown = sg.props.id;
    return graph.resources.filter((r) => {
        if (r.urn === sg.urn || SG_DEFINITION_TYPES.includes(r.type)) return false;
        if (Object.values(r.propertyDependencies).some((deps) => deps.some((d) => d.urn === sg.urn))) return true;
        return typeof id === "string" && id !== "" && attachedIds(r).has(id);
    });
}

const LB_TYPES = tokensOf("loadBalancer", "awsxApplicationLoadBalancer", "awsxNetworkLoadBalancer");

/**
 * Judges a group by what uses it: world-open 80/443 is fine on a group whose every attachment is an
 * internet-facing load balancer. A group that nothing in the stack uses (or a rule whose group is
 * not in the stack) is not judged: its attachment is unknown here, and guessing would raise false
 * alarms on other teams' stacks.
 */
export const ec2SgPublicIngressLbOnly = stackPolicy({
    name: "ec2-sg-public-ingress-lb-only",
    description:
        "World-open 80/443 ingress is allowed only on security groups used by internet-facing load balancers alone.",
    check: (graph, _args, report) => {
        for (const r of graph.ofType(SG_RULE_TYPES)) {
            const open = openIngressOf(r.type, r.props).filter(isWebPort);
            if (open.length === 0) {
                continue;
            }
            const groups = isOneOf(r.type, T.securityGroup)
                ? [r]
                : graph.targets(r, "securityGroupId", T.securityGroup);
            for (const g of groups) {
                const users = attachmentsOf(graph, g);
                const other = users.find((u) => !(LB_TYPES.includes(u.type) && !isTrue(u.props.internal)));
                if (other === undefined) continue;
                report(
                    `${describe(open[0])}, but security group ${g.name} is used by ` +
                        `${other.type.split(":").pop()} ${other.name}, ` +
                        "not only by internet-facing load balancers: allow only the load balancer's security " +
                        "group (or the CloudFront origin-facing prefix list) as the source.",
                    r.urn,
                );
                break;
            }
        }
    },
});

export const ec2DefaultSgClosed = stackPolicy({
    name: "ec2-default-sg-closed",
    description: "Every VPC's default security group must be managed and have no rules.",
    check: (graph, _args, report) => {
        const defaults = graph.ofType(T.defaultSecurityGroup);
        for (const d of defaults) {
            if (list(d.props.ingress).length > 0 || list(d.props.egress).length > 0) {
                report(
                    "Remove every ingress and egress rule from the default security group (ingress: [], egress: []).",
                    d.urn,
                );
            }
        }
        for (const vpc of graph.ofType(T.vpc)) {
            if (!defaults.some((d) => graph.pointsTo(d, "vpcId", vpc))) {
                report(
                    `VPC ${vpc.name} leaves its default security group open (all traffic between members, ` +
                        `all egress): ` +
                        "adopt it with aws.ec2.DefaultSecurityGroup { vpcId } and no ingress/egress.",
                    vpc.urn,
                );
            }
        }
    },
});

export const eksEndpointNotPublic = resourcePolicy({
    name: "eks-endpoint-not-public",
    description: "The EKS API endpoint must not be reachable from the whole internet.",
    types: tokensOf("eksCluster", "eksComponentCluster"),
    check: (props, args, report) => {
        const cfg = isOneOf(args.type, T.eksCluster) ? block(props.vpcConfig) : props;
        // AWS defaults: public endpoint on, open to 0.0.0.0/0.
        if (isFalse(cfg?.endpointPublicAccess)) {
            return;
        }
        const cidrs = list<string>(cfg?.publicAccessCidrs);
        if (cidrs.length === 0 || cidrs.some(isAnywhere)) {
            report(
                `The public endpoint is open to ` +
                    `${cidrs.length === 0 ? "0.0.0.0/0 (the default)" : cidrs.filter(isAnywhere).join(", ")}: ` +
                    "set endpointPublicAccess: false (with endpointPrivateAccess: true), or publicAccessCidrs to " +
                    "your admin CIDRs.",
            );
        }
    },
});

/** Resources a Lambda function can only reach from inside the VPC. */
const VPC_ONLY = tokensOf(
    "rdsInstance",
    "rdsCluster",
    "rdsProxy",
    "elasticacheReplicationGroup",
    "elasticacheCluster",
    "elasticacheServerlessCache",
    "efsAccessPoint",
    "efsMountTarget",
);

export const lambdaVpcAccess = stackPolicy({
    name: "lambda-vpc-access",
    description:
        "Lambda functions that use VPC-only resources (RDS, ElastiCache, EFS, internal load balancers) must run " +
        "in the VPC.",
    check: (graph, _args, report) => {
        for (const fn of graph.ofType(T.lambdaFunction)) {
            const used = new Map<string, PolicyResource>();
            for (const d of [...fn.dependencies, ...Object.values(fn.propertyDependencies).flat()]) {
                used.set(d.urn, d);
            }
            const reached = [...used.values()].filter(
                (d) => isOneOf(d.type, VPC_ONLY) || (isOneOf(d.type, T.loadBalancer) && isTrue(d.props.internal)),
            );
            if (reached.length === 0) {
                continue;
            }
            if (list(block(fn.props.vpcConfig)?.subnetIds).length === 0) {
                report(
                    `Function ${fn.name} uses ${reached.map((d) => d.name).join(", ")} but has no vpcConfig: ` +
                        "set vpcConfig.subnetIds to the private subnets and vpcConfig.securityGroupIds to a " +
                        "group the data tier admits.",
                    fn.urn,
                );
            }
        }
    },
});

/** Private-network policies, in the order the README lists them. */
export const networkPolicies: Policy[] = [
    ecsServiceNoPublicIp,
    ec2InstanceNoPublicIp,
    ec2LaunchTemplateNoPublicIp,
    eksNodeNoPublicIp,
    rdsNotPublic,
    rdsPrivateSubnets,
    elasticachePrivateSubnets,
    ec2DataSubnetNoPublicIp,
    ec2SgPublicIngressPorts,
    ec2SgPublicIngressLbOnly,
    ec2DefaultSgClosed,
    eksEndpointNotPublic,
    lambdaVpcAccess,
];
