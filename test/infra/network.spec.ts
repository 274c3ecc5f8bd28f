import * as assert from "assert";
import { Cidr, contains, overlaps, parseCidr } from "../../infra/network/cidr";
import { subnetLayout } from "../../infra/network/layout";
import { nameOf, Plan, stackPlan } from "../support/plan";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const ASSOC = "aws:ec2/routeTableAssociation:RouteTableAssociation";

const tierOf = (plan: Plan, tier: string) => plan.ofType(SUBNET).filter((s) => (s.inputs!.tags as any).Tier === tier);
const cidr = (text: unknown) => parseCidr(text as string) as Cidr;

/** Route table (resource) of a subnet, through its association. */
function routeTableOf(plan: Plan, subnetId: string) {
    const assoc = plan.ofType(ASSOC).filter((a) => a.inputs!.subnetId === subnetId);
    assert.strictEqual(assoc.length, 1, `subnet ${subnetId} has ${assoc.length} route table associations`);
    return plan.byRef(assoc[0].inputs!.routeTableId)!;
}
const routesOf = (plan: Plan, routeTableId: string) =>
    plan.ofType(ROUTE).filter((r) => r.inputs!.routeTableId === routeTableId);

describe("subnet layout", () => {
    it("cuts a /16 into /19 private and /22 public and isolated subnets", () => {
        assert.deepStrictEqual(subnetLayout("10.20.0.0/16", 3), {
            private: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
            public: ["10.20.192.0/22", "10.20.196.0/22", "10.20.200.0/22"],
            isolated: ["10.20.224.0/22", "10.20.228.0/22", "10.20.232.0/22"],
        });
    });
    it("keeps existing subnets when the AZ count grows", () => {
        const two = subnetLayout("172.16.0.0/20", 2);
        const six = subnetLayout("172.16.0.0/20", 6);
        for (const tier of ["public", "private", "isolated"] as const)
            assert.deepStrictEqual(six[tier].slice(0, 2), two[tier]);
    });
    it("never overlaps and stays inside the VPC, for every allowed prefix and AZ count", () => {
        for (let prefix = 16; prefix <= 20; prefix++) {
            for (let azs = 2; azs <= 6; azs++) {
                const vpc = `10.0.0.0/${prefix}`;
                const all = Object.values(subnetLayout(vpc, azs)).flat().map(cidr);
                assert.strictEqual(all.length, azs * 3);
                for (const s of all) assert.ok(contains(cidr(vpc), s));
                all.forEach((a, i) => all.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b), `${vpc} x${azs}`)));
            }
        }
    });
    it("refuses sizes outside its limits", () => {
        assert.throws(() => subnetLayout("10.0.0.0/21", 2), /VPC prefix \/21 is outside \/16-\/20/);
        assert.throws(() => subnetLayout("10.0.0.0/16", 7), /azCount 7 is outside 2-6/);
    });
});

for (const [stack, azs, nats, vpcCidr] of [
    ["dev", 2, 1, "10.10.0.0/16"],
    ["prod", 3, 3, "10.20.0.0/16"],
] as const) {
    describe(`network of the ${stack} plan`, function () {
        let plan: Plan;
        before(() => {
            plan = stackPlan(stack);
        });

        it(`has one VPC ${vpcCidr} with DNS support and hostnames`, () => {
            const vpcs = plan.ofType("aws:ec2/vpc:Vpc");
            assert.strictEqual(vpcs.length, 1);
            assert.strictEqual(vpcs[0].inputs!.cidrBlock, vpcCidr);
            assert.strictEqual(vpcs[0].inputs!.enableDnsHostnames, true);
            assert.strictEqual(vpcs[0].inputs!.enableDnsSupport, true);
        });

        it(`has ${azs} subnets per tier, ${azs * 3} in all, one per AZ`, () => {
            assert.strictEqual(plan.ofType(SUBNET).length, azs * 3);
            for (const tier of ["public", "private", "isolated"]) {
                const subnets = tierOf(plan, tier);
                assert.strictEqual(subnets.length, azs, tier);
                assert.deepStrictEqual(
                    subnets.map((s) => s.inputs!.availabilityZone),
                    ["sa-east-1a", "sa-east-1b", "sa-east-1c"].slice(0, azs),
                );
            }
        });

        it("keeps every subnet inside the VPC, none overlapping, none auto-assigning public IPs", () => {
            const subnets = plan.ofType(SUBNET);
            const blocks = subnets.map((s) => cidr(s.inputs!.cidrBlock));
            blocks.forEach((b, i) => {
                assert.ok(contains(cidr(vpcCidr), b), String(subnets[i].inputs!.cidrBlock));
                blocks.slice(i + 1).forEach((o) => assert.ok(!overlaps(b, o)));
            });
            for (const s of subnets) assert.strictEqual(s.inputs!.mapPublicIpOnLaunch, false, nameOf(s));
        });

        it("routes public subnets to the internet gateway and nothing else", () => {
            const igw = plan.ofType("aws:ec2/internetGateway:InternetGateway");
            assert.strictEqual(igw.length, 1);
            for (const s of tierOf(plan, "public")) {
                const rt = routeTableOf(plan, s.id!);
                assert.deepStrictEqual(
                    routesOf(plan, rt.id!).map((r) => [
                        r.inputs!.destinationCidrBlock,
                        r.inputs!.gatewayId,
                        r.inputs!.natGatewayId,
                    ]),
                    [["0.0.0.0/0", igw[0].id, undefined]],
                );
            }
        });

        it(`has ${nats} NAT gateway(s) in public subnets, each with an Elastic IP`, () => {
            const natGateways = plan.ofType("aws:ec2/natGateway:NatGateway");
            assert.strictEqual(natGateways.length, nats);
            assert.strictEqual(plan.ofType("aws:ec2/eip:Eip").length, nats);
            const publicIds = tierOf(plan, "public").map((s) => s.id);
            natGateways.forEach((n, i) => assert.strictEqual(n.inputs!.subnetId, publicIds[i]));
        });

        it("routes each private subnet's default route to a NAT gateway (its own AZ's when per-az)", () => {
            const natIds = plan.ofType("aws:ec2/natGateway:NatGateway").map((n) => n.id);
            tierOf(plan, "private").forEach((s, i) => {
                const routes = routesOf(plan, routeTableOf(plan, s.id!).id!);
                assert.deepStrictEqual(
                    routes.map((r) => [r.inputs!.destinationCidrBlock, r.inputs!.natGatewayId, r.inputs!.gatewayId]),
                    [["0.0.0.0/0", natIds[nats === 1 ? 0 : i], undefined]],
                );
            });
        });

        it("gives isolated subnets no route to an internet or NAT gateway", () => {
            for (const s of tierOf(plan, "isolated")) {
                const rt = routeTableOf(plan, s.id!);
                assert.deepStrictEqual(routesOf(plan, rt.id!), [], "isolated route table has route resources");
                assert.strictEqual(rt.inputs!.routes, undefined, "isolated route table has inline routes");
                assert.strictEqual(rt.inputs!.propagatingVgws, undefined);
            }
        });

        it("closes the default security group (no ingress, no egress)", () => {
            const sgs = plan.ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.strictEqual(sgs.length, 1);
            assert.deepStrictEqual([sgs[0].inputs!.ingress, sgs[0].inputs!.egress], [[], []]);
        });

        it("sends all VPC traffic to a KMS-encrypted flow-log group with the configured retention", () => {
            const flowLogs = plan.ofType("aws:ec2/flowLog:FlowLog");
            assert.strictEqual(flowLogs.length, 1);
            const fl = flowLogs[0].inputs!;
            assert.strictEqual(fl.trafficType, "ALL");
            assert.strictEqual(fl.logDestinationType, "cloud-watch-logs");
            assert.strictEqual(fl.vpcId, plan.ofType("aws:ec2/vpc:Vpc")[0].id);
            const group = plan.byRef(fl.logDestination)!;
            assert.strictEqual(group.inputs!.name, `/platform/${stack}/foundation/vpc-flow-logs`);
            assert.strictEqual(group.inputs!.retentionInDays, stack === "dev" ? 30 : 365);
            assert.strictEqual(
                plan.byRef(group.inputs!.kmsKeyId)!.inputs!.description,
                "Encrypts CloudWatch log groups",
            );
            const role = plan.byRef(fl.iamRoleArn)!;
            const trust = JSON.parse(role.inputs!.assumeRolePolicy as string);
            assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
            assert.deepStrictEqual(trust.Statement[0].Condition.StringEquals, { "aws:SourceAccount": "123456789012" });
            const policy = plan.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs!.role === role.id)!;
            assert.deepStrictEqual(JSON.parse(policy.inputs!.policy as string).Statement, [
                {
                    Sid: "WriteFlowLogsToItsLogGroup",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: `${String(group.outputs!.arn)}:*`,
                },
            ]);
        });

        it("attaches S3 and DynamoDB gateway endpoints to the private and isolated route tables only", () => {
            const gateways = plan
                .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter((e) => e.inputs!.vpcEndpointType === "Gateway");
            assert.deepStrictEqual(gateways.map((g) => g.inputs!.serviceName).sort(), [
                "com.amazonaws.sa-east-1.dynamodb",
                "com.amazonaws.sa-east-1.s3",
            ]);
            const expected = [...tierOf(plan, "private"), ...tierOf(plan, "isolated").slice(0, 1)].map(
                (s) => routeTableOf(plan, s.id!).id,
            );
            for (const g of gateways) assert.deepStrictEqual(g.inputs!.routeTableIds, expected);
        });

        const interfaces = stack === "prod" ? ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"] : [];
        it(`creates the configured interface endpoints (${interfaces.join(", ") || "none"}) in the private subnets`, () => {
            const endpoints = plan
                .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter((e) => e.inputs!.vpcEndpointType === "Interface");
            assert.deepStrictEqual(
                endpoints.map((e) => e.inputs!.serviceName),
                interfaces.map((s) => `com.amazonaws.sa-east-1.${s}`),
            );
            const privateIds = tierOf(plan, "private").map((s) => s.id);
            for (const e of endpoints) {
                assert.deepStrictEqual(e.inputs!.subnetIds, privateIds);
                assert.strictEqual(e.inputs!.privateDnsEnabled, true);
            }
            const rules = plan
                .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .filter((r) => nameOf(r) === "foundation-network-endpoints-https");
            assert.deepStrictEqual(
                rules.map((r) => [r.inputs!.ipProtocol, r.inputs!.fromPort, r.inputs!.toPort, r.inputs!.cidrIpv4]),
                interfaces.length ? [["tcp", 443, 443, vpcCidr]] : [],
            );
        });
    });
}
