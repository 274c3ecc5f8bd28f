/**
 * The platform VPC (`platform:network:Network`): three subnet tiers across `azCount` Availability
 * Zones, built from plain `@pulumi/aws` resources so every subnet, route and gateway is visible to
 * tests and policies.
 *
 * - public: load balancers and NAT gateways; default route to the internet gateway.
 * - private: ECS tasks, Lambda functions, EKS nodes; default route to a NAT gateway (one for the
 *   whole VPC with `natGateways: "single"`, one per AZ with `"per-az"`).
 * - isolated: RDS and ElastiCache; no route to the internet at all (only the VPC-local route and the
 *   S3/DynamoDB gateway endpoints).
 * No subnet auto-assigns public IPs; the default security group has no rules; VPC flow logs (all
 * traffic) go to a KMS-encrypted log group.
 *
 * Follows https://docs.aws.amazon.com/vpc/latest/userguide/vpc-example-private-subnets-nat.html and
 * the layout of terraform-aws-modules/vpc (public / private / database subnets).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SUBNET_TIERS, subnetLayout, SubnetTier } from "./layout";

export interface NetworkArgs {
    /** VPC IPv4 block, /16 to /20 (see `subnetLayout`). */
    cidrBlock: string;
    /** Availability Zones to span, 2 to 6; the first `azCount` available zones of the region. */
    azCount: number;
    /** `single`: one NAT gateway in the first AZ; `per-az`: one per AZ, each private subnet using its own. */
    natGateways: "single" | "per-az";
    /** Interface endpoint services (`ecr.api`, `logs`, ...); default none. */
    interfaceEndpoints?: readonly string[];
    /** Region of the VPC, for endpoint service names (`com.amazonaws.<region>.s3`). */
    region: string;
    /** Account and partition, for the flow-logs role's confused-deputy conditions. */
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Flow logs destination: log group name, KMS key ARN and retention in days. */
    flowLogs: { logGroupName: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    tags: Record<string, string>;
}

/** Subnet ids by tier, index i in AZ i. */
export type SubnetIds = Record<SubnetTier, pulumi.Output<string>[]>;

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly subnetIds: SubnetIds;
    /** Subnet CIDRs by tier, as laid out (plain values). */
    readonly subnetCidrs: Record<SubnetTier, string[]>;
    readonly availabilityZones: pulumi.Output<string>[];
    readonly natGatewayIds: pulumi.Output<string>[];
    /** Security group of the interface endpoints (HTTPS from the VPC); undefined when there are none. */
    readonly endpointSecurityGroupId?: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        const layout = subnetLayout(args.cidrBlock, args.azCount); // throws on values config validation already rejects
        const scope: NetworkScope = {
            name,
            args,
            child: { parent: this },
            tags: (extra) => ({ ...args.tags, ...extra }),
            azOrdinals: [...Array(args.azCount).keys()].map((i) => `az${i + 1}`),
        };

        const vpc = this.vpc(scope);
        const availabilityZones = this.availabilityZonesOf(scope);
        const subnets = this.subnets(scope, vpc, layout, availabilityZones);
        const igw = this.publicRouting(scope, vpc, subnets);
        const natGateways = this.natGateways(scope, igw, subnets);
        const routeTables = this.privateAndIsolatedRouting(scope, vpc, subnets, natGateways);
        this.gatewayEndpoints(scope, vpc, routeTables);
        this.endpointSecurityGroupId = this.interfaceEndpoints(scope, vpc, subnets);
        const logGroup = this.flowLogs(scope, vpc);

        this.vpcId = vpc.id;
        this.vpcCidr = args.cidrBlock;
        this.subnetCidrs = layout;
        this.subnetIds = {
            public: subnets.public.map((s) => s.id),
            private: subnets.private.map((s) => s.id),
            isolated: subnets.isolated.map((s) => s.id),
        };
        this.availabilityZones = availabilityZones;
        this.natGatewayIds = natGateways.map((n) => n.id);
        this.flowLogGroupName = logGroup.name;
        this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds, natGatewayIds: this.natGatewayIds });
    }

    /** The VPC, with DNS support and hostnames, and its default security group stripped of every rule. */
    private vpc({ name, args, child, tags }: NetworkScope): aws.ec2.Vpc {
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: tags({ Name: `${name}-vpc` }),
            },
            child,
        );

        // Adopts the VPC's default security group and strips every rule from it.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, ingress: [], egress: [], tags: tags({ Name: `${name}-default-closed` }) },
            child,
        );
        return vpc;
    }

    /** The first `azCount` available (not opt-in) zones of the region; fails when the region has fewer. */
    private availabilityZonesOf({ name, args, child, azOrdinals }: NetworkScope): pulumi.Output<string>[] {
        const zones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            child,
        );
        return azOrdinals.map((_, i) =>
            zones.names.apply((names) => {
                if (names.length <= i)
                    throw new Error(
                        `Network ${name}: azCount ${args.azCount} but region ${args.region} ` +
                            `has only ${names.length} available zones`,
                    );
                return names[i];
            }),
        );
    }

    /** One subnet per tier and AZ, none auto-assigning public IPs, tagged for the Load Balancer Controller. */
    private subnets(
        { name, child, tags, azOrdinals }: NetworkScope,
        vpc: aws.ec2.Vpc,
        layout: Record<SubnetTier, string[]>,
        availabilityZones: pulumi.Output<string>[],
    ): Subnets {
        const subnets = {} as Subnets;
        for (const tier of SUBNET_TIERS) {
            subnets[tier] = azOrdinals.map(
                (az, i) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-${az}`,
                        {
                            vpcId: vpc.id,
                            cidrBlock: layout[tier][i],
                            availabilityZone: availabilityZones[i],
                            mapPublicIpOnLaunch: false,
                            tags: tags({
                                Name: `${name}-${tier}-${az}`,
                                Tier: tier,
                                // Subnet discovery of the AWS Load Balancer Controller (EKS).
                                ...(tier === "public" ? { "kubernetes.io/role/elb": "1" } : {}),
                                ...(tier === "private" ? { "kubernetes.io/role/internal-elb": "1" } : {}),
                            }),
                        },
                        child,
                    ),
            );
        }
        return subnets;
    }

    /** The internet gateway and the public route table (default route to it) of every public subnet. */
    private publicRouting(
        { name, child, tags, azOrdinals }: NetworkScope,
        vpc: aws.ec2.Vpc,
        subnets: Subnets,
    ): aws.ec2.InternetGateway {
        const igw = new aws.ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) },
            child,
        );
        const publicRouteTable = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-public`, Tier: "public" }) },
            child,
        );
        new aws.ec2.Route(
            `${name}-public-internet`,
            { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            child,
        );
        subnets.public.forEach(
            (s, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${azOrdinals[i]}`,
                    { subnetId: s.id, routeTableId: publicRouteTable.id },
                    child,
                ),
        );
        return igw;
    }

    /** NAT gateways (with their Elastic IPs) in the public subnets: the first AZ only, or every AZ. */
    private natGateways(
        { name, args, child, tags, azOrdinals }: NetworkScope,
        igw: aws.ec2.InternetGateway,
        subnets: Subnets,
    ): aws.ec2.NatGateway[] {
        const natAzs = args.natGateways === "per-az" ? azOrdinals : azOrdinals.slice(0, 1);
        return natAzs.map((az, i) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${az}`,
                { domain: "vpc", tags: tags({ Name: `${name}-nat-${az}` }) },
                { ...child, dependsOn: [igw] },
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-${az}`,
                {
                    allocationId: eip.allocationId,
                    subnetId: subnets.public[i].id,
                    connectivityType: "public",
                    tags: tags({ Name: `${name}-nat-${az}` }),
                },
                { ...child, dependsOn: [igw] },
            );
        });
    }

    /**
     * One route table per private subnet (default route to its NAT gateway) and one shared by the isolated
     * subnets (nothing but the implicit local route).
     */
    private privateAndIsolatedRouting(
        { name, args, child, tags, azOrdinals }: NetworkScope,
        vpc: aws.ec2.Vpc,
        subnets: Subnets,
        natGateways: aws.ec2.NatGateway[],
    ): RouteTables {
        const privateRouteTables = azOrdinals.map((az, i) => {
            const rt = new aws.ec2.RouteTable(
                `${name}-private-${az}-rt`,
                { vpcId: vpc.id, tags: tags({ Name: `${name}-private-${az}`, Tier: "private" }) },
                child,
            );
            const nat = natGateways[args.natGateways === "per-az" ? i : 0];
            new aws.ec2.Route(
                `${name}-private-${az}-egress`,
                { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
                child,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${az}`,
                { subnetId: subnets.private[i].id, routeTableId: rt.id },
                child,
            );
            return rt;
        });

        // Isolated subnets share one route table that holds nothing but the implicit local route.
        const isolatedRouteTable = new aws.ec2.RouteTable(
            `${name}-isolated-rt`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-isolated`, Tier: "isolated" }) },
            child,
        );
        subnets.isolated.forEach(
            (s, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-isolated-${azOrdinals[i]}`,
                    { subnetId: s.id, routeTableId: isolatedRouteTable.id },
                    child,
                ),
        );
        return { privateRouteTables, isolatedRouteTable };
    }

    /** S3 and DynamoDB gateway endpoints on the private and isolated route tables. */
    private gatewayEndpoints(
        { name, args, child, tags }: NetworkScope,
        vpc: aws.ec2.Vpc,
        { privateRouteTables, isolatedRouteTable }: RouteTables,
    ): void {
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}-gateway`,
                {
                    vpcId: vpc.id,
                    vpcEndpointType: "Gateway",
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    routeTableIds: [...privateRouteTables.map((rt) => rt.id), isolatedRouteTable.id],
                    tags: tags({ Name: `${name}-${service}` }),
                },
                child,
            );
        }
    }

    /**
     * Interface endpoints in the private subnets behind one security group (HTTPS from the VPC); returns
     * that group's id, or undefined when `interfaceEndpoints` is empty (then nothing is created).
     */
    private interfaceEndpoints(
        { name, args, child, tags }: NetworkScope,
        vpc: aws.ec2.Vpc,
        subnets: Subnets,
    ): pulumi.Output<string> | undefined {
        const endpoints = args.interfaceEndpoints ?? [];
        if (endpoints.length === 0) return undefined;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: vpc.id,
                description: "Interface VPC endpoints: HTTPS from inside the VPC",
                tags: tags({ Name: `${name}-endpoints` }),
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https`,
            {
                securityGroupId: sg.id,
                description: "HTTPS from the VPC",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: args.cidrBlock,
                tags: tags({}),
            },
            child,
        );
        for (const service of endpoints) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}-endpoint`,
                {
                    vpcId: vpc.id,
                    vpcEndpointType: "Interface",
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    privateDnsEnabled: true,
                    subnetIds: subnets.private.map((s) => s.id),
                    securityGroupIds: [sg.id],
                    tags: tags({ Name: `${name}-${service}` }),
                },
                child,
            );
        }
        return sg.id;
    }

    /** VPC flow logs (all traffic, 60 s aggregation) to a KMS-encrypted log group, through their own role. */
    private flowLogs({ name, args, child, tags }: NetworkScope, vpc: aws.ec2.Vpc): aws.cloudwatch.LogGroup {
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: args.flowLogs.logGroupName,
                retentionInDays: args.flowLogs.retentionInDays,
                kmsKeyId: args.flowLogs.kmsKeyArn,
                tags: tags({}),
            },
            child,
        );
        const sourceArn = pulumi.interpolate`arn:${args.partition}:ec2:${args.region}:${args.accountId}:vpc-flow-log/*`;
        const flowLogsRole = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: "VPC Flow Logs delivery to CloudWatch Logs",
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: {
                                StringEquals: { "aws:SourceAccount": args.accountId },
                                ArnLike: {
                                    "aws:SourceArn": sourceArn,
                                },
                            },
                        },
                    ],
                }),
                tags: tags({}),
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowLogsRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteFlowLogsToItsLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: pulumi.interpolate`${logGroup.arn}:*`,
                        },
                    ],
                }),
            },
            child,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: flowLogsRole.arn,
                maxAggregationInterval: 60,
                tags: tags({ Name: `${name}-flow-log` }),
            },
            child,
        );
        return logGroup;
    }
}

/** What every step of the constructor needs: the component's name and args, `{ parent: this }`, tags. */
interface NetworkScope {
    name: string;
    args: NetworkArgs;
    child: pulumi.ResourceOptions;
    /** The component's tags with `extra` merged over them. */
    tags: (extra: Record<string, string>) => Record<string, string>;
    /** `az1`, `az2`, ...: the AZ part of the subnets' and route tables' logical names. */
    azOrdinals: string[];
}

/** Subnets by tier, index i in AZ i. */
type Subnets = Record<SubnetTier, aws.ec2.Subnet[]>;

/** The route tables the gateway endpoints attach to: one per private subnet (index i in AZ i), one isolated. */
interface RouteTables {
    privateRouteTables: aws.ec2.RouteTable[];
    isolatedRouteTable: aws.ec2.RouteTable;
}
