import * as assert from "assert";
import { networkPolicies } from "../../policy-pack/policies/network";
import { policyCases, res, TestResource, UNKNOWN, usePack } from "./support/harness";

/**
 * A VPC like the foundation's: a public subnet routed to an internet gateway, a private subnet
 * routed to a NAT gateway, an isolated subnet with local routes only, each with its own route
 * table and association, linked through property dependencies as the engine records them.
 */
function network(opts: { isolatedPublicIp?: boolean; inlineIgwRoute?: boolean } = {}) {
    const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
    const igw = res("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "vpc-id" }, { deps: { vpcId: [vpc] } });
    const nat = res("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "public-a-id" });
    const subnet = (name: string, cidr: string, extra: Record<string, unknown> = {}) =>
        res("aws:ec2/subnet:Subnet", name, { vpcId: "vpc-id", cidrBlock: cidr, ...extra }, { deps: { vpcId: [vpc] } });
    const table = (name: string, inline?: unknown[]) =>
        res(
            "aws:ec2/routeTable:RouteTable",
            name,
            { vpcId: "vpc-id", ...(inline ? { routes: inline } : {}) },
            { deps: { vpcId: [vpc], ...(inline ? { routes: [igw] } : {}) } },
        );
    const assoc = (name: string, s: TestResource, t: TestResource) =>
        res(
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            name,
            { subnetId: `${s.name}-id`, routeTableId: `${t.name}-id` },
            { deps: { subnetId: [s], routeTableId: [t] } },
        );
    const publicA = subnet("public-a", "10.0.0.0/24", { mapPublicIpOnLaunch: true });
    const privateA = subnet("private-a", "10.0.10.0/24");
    const isolatedA = subnet("isolated-a", "10.0.20.0/24", opts.isolatedPublicIp ? { mapPublicIpOnLaunch: true } : {});
    const publicRt = opts.inlineIgwRoute
        ? table("public-rt", [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-id" }])
        : table("public-rt");
    const privateRt = table("private-rt");
    const isolatedRt = table("isolated-rt");
    const routes = [
        ...(opts.inlineIgwRoute
            ? []
            : [
                  res(
                      "aws:ec2/route:Route",
                      "public-default",
                      { routeTableId: "public-rt-id", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-id" },
                      { deps: { routeTableId: [publicRt], gatewayId: [igw] } },
                  ),
              ]),
        res(
            "aws:ec2/route:Route",
            "private-default",
            { routeTableId: "private-rt-id", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-id" },
            { deps: { routeTableId: [privateRt], natGatewayId: [nat] } },
        ),
    ];
    const all = [
        vpc,
        igw,
        nat,
        publicA,
        privateA,
        isolatedA,
        publicRt,
        privateRt,
        isolatedRt,
        ...routes,
        assoc("public-a", publicA, publicRt),
        assoc("private-a", privateA, privateRt),
        assoc("isolated-a", isolatedA, isolatedRt),
    ];
    return { vpc, igw, publicA, privateA, isolatedA, all };
}

describe("policy-pack/policies/network (through the analyzer)", () => {
    const pack = usePack();

    it("registers every network policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        for (const p of networkPolicies) {
            assert.strictEqual(byName.get(p.name)?.enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(networkPolicies.length, 13);
    });

    policyCases(pack, "ecs-service-no-public-ip", {
        compliant: [
            {
                resources: [
                    res("aws:ecs/service:Service", "checkout", {
                        launchType: "FARGATE",
                        networkConfiguration: {
                            assignPublicIp: false,
                            subnets: ["private-a-id"],
                            securityGroups: ["sg-1"],
                        },
                    }),
                ],
            },
            {
                resources: [
                    res("awsx:ecs:FargateService", "web-api", { networkConfiguration: { subnets: ["private-a-id"] } }),
                ],
            },
        ],
        violating: [
            (() => {
                const s = res("aws:ecs/service:Service", "checkout", {
                    networkConfiguration: { assignPublicIp: true, subnets: ["public-a-id"] },
                });
                return { resources: [s], flagged: [s], message: /Set networkConfiguration\.assignPublicIp: false/ };
            })(),
            (() => {
                const s = res("awsx:ecs:FargateService", "web-api", { assignPublicIp: true });
                return { resources: [s], flagged: [s], message: /assignPublicIp: false/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ecs/service:Service", "checkout", { networkConfiguration: { assignPublicIp: UNKNOWN } }),
                ],
            },
        ],
    });

    policyCases(pack, "ec2-instance-no-public-ip", {
        compliant: [
            {
                resources: [
                    res("aws:ec2/instance:Instance", "worker", {
                        associatePublicIpAddress: false,
                        subnetId: "private-a-id",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const i = res("aws:ec2/instance:Instance", "bastion", { associatePublicIpAddress: true });
                return { resources: [i], flagged: [i], message: /Set associatePublicIpAddress: false/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:ec2/instance:Instance", "worker", { associatePublicIpAddress: UNKNOWN })] }],
    });

    policyCases(pack, "ec2-launch-template-no-public-ip", {
        compliant: [
            {
                resources: [
                    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                        networkInterfaces: [{ associatePublicIpAddress: "false" }],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                    networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0 }],
                });
                return {
                    resources: [lt],
                    flagged: [lt],
                    message: /Set networkInterfaces\[0\]\.associatePublicIpAddress: "false"/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
                        networkInterfaces: [{ associatePublicIpAddress: UNKNOWN }],
                    }),
                ],
            },
        ],
    });

    policyCases(pack, "eks-node-no-public-ip", {
        compliant: [
            { resources: [res("eks:index:Cluster", "postech", { skipDefaultNodeGroup: true })] },
            { resources: [res("eks:index:Cluster", "private-nodes", { nodeAssociatePublicIpAddress: false })] },
        ],
        violating: [
            (() => {
                const c = res("eks:index:Cluster", "postech", { instanceType: "t3.medium" });
                return { resources: [c], flagged: [c], message: /Set nodeAssociatePublicIpAddress: false/ };
            })(),
        ],
        unknown: [{ resources: [res("eks:index:Cluster", "postech", { skipDefaultNodeGroup: UNKNOWN })] }],
    });

    policyCases(pack, "rds-not-public", {
        compliant: [
            { resources: [res("aws:rds/instance:Instance", "db", { publiclyAccessible: false })] },
            { resources: [res("aws:rds/clusterInstance:ClusterInstance", "db-1", {})] },
        ],
        violating: [
            (() => {
                const db = res("aws:rds/instance:Instance", "db", { publiclyAccessible: true });
                return { resources: [db], flagged: [db], message: /Set publiclyAccessible: false/ };
            })(),
            (() => {
                const db = res("aws:rds/clusterInstance:ClusterInstance", "db-1", { publiclyAccessible: true });
                return { resources: [db], flagged: [db], message: /Set publiclyAccessible: false/ };
            })(),
        ],
        unknown: [{ resources: [res("aws:rds/instance:Instance", "db", { publiclyAccessible: UNKNOWN })] }],
    });

    for (const [policy, groupType] of [
        ["rds-private-subnets", "aws:rds/subnetGroup:SubnetGroup"],
        ["elasticache-private-subnets", "aws:elasticache/subnetGroup:SubnetGroup"],
    ] as const) {
        const group = (subnets: TestResource[], name = "data") =>
            res(groupType, name, { subnetIds: subnets.map((s) => `${s.name}-id`) }, { deps: { subnetIds: subnets } });
        policyCases(pack, policy, {
            compliant: [
                (() => {
                    const n = network();
                    return { resources: [...n.all, group([n.isolatedA])] };
                })(),
                (() => {
                    // The private (NAT) subnet is not public either.
                    const n = network();
                    return { resources: [...n.all, group([n.privateA])] };
                })(),
            ],
            violating: [
                (() => {
                    const n = network();
                    const g = group([n.isolatedA, n.publicA]);
                    return {
                        resources: [...n.all, g],
                        flagged: [g],
                        message: /includes public subnet\(s\) public-a: set subnetIds to the isolated \(data\) subnets/,
                    };
                })(),
                (() => {
                    // Route to the internet gateway declared inline on the route table.
                    const n = network({ inlineIgwRoute: true });
                    const g = group([n.publicA]);
                    return { resources: [...n.all, g], flagged: [g], message: /includes public subnet\(s\) public-a/ };
                })(),
            ],
            unknown: [
                (() => {
                    // A route without recorded dependencies whose gateway id is not known yet.
                    const n = network();
                    const rt = n.all.find((r) => r.name === "isolated-rt")!;
                    const route = res(
                        "aws:ec2/route:Route",
                        "isolated-unknown",
                        { routeTableId: "isolated-rt-id", destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN },
                        { deps: { routeTableId: [rt] } },
                    );
                    return { resources: [...n.all, route, group([n.isolatedA])] };
                })(),
            ],
        });
    }

    policyCases(pack, "ec2-data-subnet-no-public-ip", {
        compliant: [
            (() => {
                const n = network();
                return {
                    resources: [
                        ...n.all,
                        res(
                            "aws:rds/subnetGroup:SubnetGroup",
                            "data",
                            { subnetIds: ["isolated-a-id"] },
                            { deps: { subnetIds: [n.isolatedA] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                const n = network({ isolatedPublicIp: true });
                const g = res(
                    "aws:elasticache/subnetGroup:SubnetGroup",
                    "cache",
                    { subnetIds: ["isolated-a-id"] },
                    { deps: { subnetIds: [n.isolatedA] } },
                );
                return {
                    resources: [...n.all, g],
                    flagged: [n.isolatedA],
                    message: /Data subnet isolated-a \(used by cache\): set mapPublicIpOnLaunch: false/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const n = network();
                const s = res("aws:ec2/subnet:Subnet", "isolated-b", { vpcId: "vpc-id", mapPublicIpOnLaunch: UNKNOWN });
                return {
                    resources: [
                        ...n.all,
                        s,
                        res(
                            "aws:rds/subnetGroup:SubnetGroup",
                            "data",
                            { subnetIds: ["isolated-b-id"] },
                            { deps: { subnetIds: [s] } },
                        ),
                    ],
                };
            })(),
        ],
    });

    const sg = (name: string, ingress: unknown[]) =>
        res("aws:ec2/securityGroup:SecurityGroup", name, { vpcId: "vpc-id", ingress, egress: [] });
    const web = (port: number) => ({
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrBlocks: ["0.0.0.0/0"],
        ipv6CidrBlocks: ["::/0"],
    });
    const lb = (name: string, group: TestResource, internal = false) =>
        res(
            "aws:lb/loadBalancer:LoadBalancer",
            name,
            { internal, loadBalancerType: "application", securityGroups: [`${group.name}-id`] },
            { deps: { securityGroups: [group] } },
        );

    policyCases(pack, "ec2-sg-public-ingress-ports", {
        compliant: [
            { resources: [sg("alb", [web(80), web(443)])] },
            { resources: [sg("db", [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"] }])] },
            {
                resources: [
                    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
                        securityGroupId: "sg-alb",
                        ipProtocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrIpv4: "0.0.0.0/0",
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const g = sg("bastion", [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]);
                return {
                    resources: [g],
                    flagged: [g],
                    message: /ingress\[0\] opens tcp 22 to the internet: restrict the source/,
                };
            })(),
            (() => {
                const r = res("aws:ec2/securityGroupRule:SecurityGroupRule", "all", {
                    type: "ingress",
                    securityGroupId: "sg-1",
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    ipv6CidrBlocks: ["::/0"],
                });
                return { resources: [r], flagged: [r], message: /rule opens all traffic to the internet/ };
            })(),
            (() => {
                const r = res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "pg", {
                    securityGroupId: "sg-db",
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrIpv4: "0.0.0.0/0",
                });
                return { resources: [r], flagged: [r], message: /rule opens tcp 5432 to the internet/ };
            })(),
        ],
        unknown: [{ resources: [sg("alb", [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: UNKNOWN }])] }],
    });

    policyCases(pack, "ec2-sg-public-ingress-lb-only", {
        compliant: [
            (() => {
                const g = sg("alb", [web(80), web(443)]);
                return { resources: [g, lb("alb", g)] };
            })(),
            (() => {
                const g = sg("alb", []);
                const rule = res(
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                    "https",
                    { securityGroupId: "alb-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
                    { deps: { securityGroupId: [g] } },
                );
                return { resources: [g, rule, lb("alb", g)] };
            })(),
            // Nothing in the stack uses the group: its attachment is unknown, so it is not judged.
            { resources: [sg("unattached", [web(443)])] },
            // The rule's group is not in the stack: nothing to judge it by.
            {
                resources: [
                    res("aws:ec2/securityGroupRule:SecurityGroupRule", "https", {
                        type: "ingress",
                        securityGroupId: "sg-elsewhere",
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: ["0.0.0.0/0"],
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                // Tasks reachable from the internet directly, bypassing the load balancer.
                const g = sg("tasks", [web(443)]);
                const svc = res(
                    "aws:ecs/service:Service",
                    "api",
                    { networkConfiguration: { securityGroups: ["tasks-id"], subnets: ["subnet-1"] } },
                    { deps: { networkConfiguration: [g] } },
                );
                return {
                    resources: [g, svc],
                    flagged: [g],
                    message:
                        /opens tcp 443 to the internet, but security group tasks is used by Service api, not only by internet-facing load balancers/,
                };
            })(),
            (() => {
                const g = sg("internal-alb", [web(80)]);
                return {
                    resources: [g, lb("internal", g, true)],
                    flagged: [g],
                    message:
                        /security group internal-alb is used by LoadBalancer internal, not only by internet-facing/,
                };
            })(),
            (() => {
                // Older state without property dependencies: linked by the group's id.
                const g = sg("web", [web(80)]);
                const i = res("aws:ec2/instance:Instance", "www", { vpcSecurityGroupIds: ["web-id"] });
                return { resources: [g, i], flagged: [g], message: /used by Instance www/ };
            })(),
        ],
        unknown: [
            (() => {
                const g = sg("alb", [web(443)]);
                const l = res(
                    "aws:lb/loadBalancer:LoadBalancer",
                    "alb",
                    { internal: UNKNOWN, securityGroups: ["alb-id"] },
                    { deps: { securityGroups: [g] } },
                );
                return { resources: [g, l] };
            })(),
        ],
    });

    policyCases(pack, "ec2-default-sg-closed", {
        compliant: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                return {
                    resources: [
                        vpc,
                        res(
                            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                            "default",
                            { vpcId: "vpc-id" },
                            { deps: { vpcId: [vpc] }, outputs: { vpcId: "vpc-id", ingress: [], egress: [] } },
                        ),
                    ],
                };
            })(),
        ],
        violating: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                return {
                    resources: [vpc],
                    flagged: [vpc],
                    message:
                        /VPC vpc leaves its default security group open .*aws\.ec2\.DefaultSecurityGroup \{ vpcId \} and no ingress\/egress/,
                };
            })(),
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                const d = res(
                    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                    "default",
                    {
                        vpcId: "vpc-id",
                        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                    },
                    { deps: { vpcId: [vpc] } },
                );
                return {
                    resources: [vpc, d],
                    flagged: [d],
                    message:
                        /Remove every ingress and egress rule from the default security group \(ingress: \[\], egress: \[\]\)/,
                };
            })(),
        ],
        unknown: [
            (() => {
                const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
                return {
                    resources: [
                        vpc,
                        res(
                            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                            "default",
                            { vpcId: "vpc-id" },
                            { deps: { vpcId: [vpc] }, outputs: { ingress: UNKNOWN, egress: [] } },
                        ),
                    ],
                };
            })(),
        ],
    });

    policyCases(pack, "eks-endpoint-not-public", {
        compliant: [
            {
                resources: [
                    res("aws:eks/cluster:Cluster", "eks", {
                        vpcConfig: {
                            endpointPublicAccess: false,
                            endpointPrivateAccess: true,
                            subnetIds: ["private-a-id"],
                        },
                    }),
                ],
            },
            {
                resources: [
                    res("eks:index:Cluster", "postech", {
                        endpointPublicAccess: true,
                        publicAccessCidrs: ["203.0.113.0/24"],
                        endpointPrivateAccess: true,
                    }),
                ],
            },
        ],
        violating: [
            (() => {
                const c = res("aws:eks/cluster:Cluster", "eks", { vpcConfig: { subnetIds: ["private-a-id"] } });
                return {
                    resources: [c],
                    flagged: [c],
                    message:
                        /public endpoint is open to 0\.0\.0\.0\/0 \(the default\): set endpointPublicAccess: false/,
                };
            })(),
            (() => {
                const c = res("eks:index:Cluster", "postech", { publicAccessCidrs: ["0.0.0.0/0"] });
                return {
                    resources: [c],
                    flagged: [c],
                    message:
                        /open to 0\.0\.0\.0\/0: set endpointPublicAccess: false .*publicAccessCidrs to your admin CIDRs/,
                };
            })(),
        ],
        unknown: [{ resources: [res("eks:index:Cluster", "postech", { endpointPublicAccess: UNKNOWN })] }],
    });

    const db = res("aws:rds/instance:Instance", "db", { engine: "postgres" });
    const fn = (name: string, vpcConfig: unknown, deps: TestResource[] = [db]) =>
        res(
            "aws:lambda/function:Function",
            name,
            {
                runtime: "nodejs20.x",
                handler: "index.handler",
                environment: { variables: { DB_HOST: "db.internal" } },
                ...(vpcConfig ? { vpcConfig } : {}),
            },
            { deps: { environment: deps } },
        );

    policyCases(pack, "lambda-vpc-access", {
        compliant: [
            { resources: [db, fn("orders", { subnetIds: ["private-a-id"], securityGroupIds: ["sg-fn"] })] },
            { resources: [db, fn("public-only", undefined, [])] },
        ],
        violating: [
            (() => {
                const f = fn("orders", undefined);
                return {
                    resources: [db, f],
                    flagged: [f],
                    message:
                        /Function orders uses db but has no vpcConfig: set vpcConfig\.subnetIds to the private subnets/,
                };
            })(),
            (() => {
                const cache = res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {});
                const f = fn("products", { subnetIds: [], securityGroupIds: [] }, [cache]);
                return { resources: [cache, f], flagged: [f], message: /Function products uses cache/ };
            })(),
        ],
        unknown: [
            {
                resources: [
                    db,
                    res(
                        "aws:lambda/function:Function",
                        "orders",
                        { vpcConfig: { subnetIds: UNKNOWN } },
                        { deps: { environment: [db] } },
                    ),
                ],
            },
        ],
    });
});
