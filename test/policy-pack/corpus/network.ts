/** Corpus: private networks. */
import { res, TestResource } from "../support/harness";
import { containers, KEY_ARN, LOG_BUCKET, network, postgres, REGIONAL_CERT_ARN, TLS13 } from "./fixtures";
import { CorpusModule, insecure, secure } from "./types";

const web = (port: number) => ({
    description: `HTTPS from anywhere`,
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrBlocks: ["0.0.0.0/0"],
    ipv6CidrBlocks: ["::/0"],
});
const sg = (name: string, vpc: TestResource | undefined, ingress: unknown[]) =>
    res(
        "aws:ec2/securityGroup:SecurityGroup",
        name,
        {
            description: name,
            vpcId: vpc ? `${vpc.name}-id` : "vpc-0a1b2c3d",
            ingress,
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        },
        vpc ? { deps: { vpcId: [vpc] } } : {},
    );
const alb = (name: string, group: TestResource, subnets: TestResource[], internal = false) =>
    res(
        "aws:lb/loadBalancer:LoadBalancer",
        name,
        {
            internal,
            loadBalancerType: "application",
            securityGroups: [`${group.name}-id`],
            subnets: subnets.map((s) => `${s.name}-id`),
            dropInvalidHeaderFields: true,
            accessLogs: { enabled: true, bucket: LOG_BUCKET, prefix: name },
        },
        { deps: { securityGroups: [group], subnets } },
    );
const subnetGroup = (type: string, name: string, subnets: TestResource[]) =>
    res(type, name, { subnetIds: subnets.map((s) => `${s.name}-id`) }, { deps: { subnetIds: subnets } });

export const corpus: CorpusModule = {
    insecure: [
        insecure(
            "network/ecs-public-ip",
            "ecs-service-no-public-ip",
            "Checkout service tasks get public IPs (copied from a default-VPC example).",
            res("aws:ecs/service:Service", "ticketing-checkout", {
                cluster: "platform",
                launchType: "FARGATE",
                desiredCount: 2,
                networkConfiguration: {
                    assignPublicIp: true,
                    subnets: ["subnet-private-a"],
                    securityGroups: ["sg-checkout"],
                },
            }),
        ),
        insecure(
            "network/instance-public-ip",
            "ec2-instance-no-public-ip",
            "Bastion with a public IP.",
            res("aws:ec2/instance:Instance", "ops-bastion", {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                associatePublicIpAddress: true,
                rootBlockDevice: { encrypted: true },
            }),
        ),
        insecure(
            "network/launch-template-public-ip",
            "ec2-launch-template-no-public-ip",
            "Node launch template assigning public IPs.",
            res("aws:ec2/launchTemplate:LaunchTemplate", "postech-nodes", {
                instanceType: "t3.large",
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }],
            }),
        ),
        insecure(
            "network/eks-default-nodes-public",
            "eks-node-no-public-ip",
            "@pulumi/eks default node group with public IPs (the component's default).",
            res("eks:index:Cluster", "postech-eks", {
                encryptionConfigKeyArn: KEY_ARN,
                endpointPublicAccess: false,
                endpointPrivateAccess: true,
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
                instanceType: "t3.medium",
                desiredCapacity: 2,
            }),
        ),
        insecure(
            "network/rds-public",
            "rds-not-public",
            "Ticketing database publicly accessible.",
            postgres("ticketing-db", { publiclyAccessible: true }),
        ),
        (() => {
            const n = network("ticketing");
            const g = subnetGroup("aws:rds/subnetGroup:SubnetGroup", "ticketing-db-subnets", [n.isolatedA, n.publicA]);
            return insecure(
                "network/rds-subnet-group-public",
                "rds-private-subnets",
                "DB subnet group includes a public subnet.",
                g,
                n.resources,
            );
        })(),
        (() => {
            const n = network("coffee");
            const g = subnetGroup("aws:elasticache/subnetGroup:SubnetGroup", "coffee-shop-cache-subnets", [n.publicA]);
            return insecure(
                "network/cache-subnet-group-public",
                "elasticache-private-subnets",
                "Cache subnet group on the public subnet.",
                g,
                n.resources,
            );
        })(),
        (() => {
            const n = network("spotmusic", { isolatedPublicIp: true });
            const g = subnetGroup("aws:rds/subnetGroup:SubnetGroup", "spotmusic-db-subnets", [
                n.isolatedA,
                n.isolatedB,
            ]);
            return insecure(
                "network/data-subnet-public-ip",
                "ec2-data-subnet-no-public-ip",
                "Isolated data subnet auto-assigns public IPs.",
                n.isolatedA,
                [...n.resources.filter((r) => r !== n.isolatedA), g],
            );
        })(),
        insecure(
            "network/ssh-open",
            "ec2-sg-public-ingress-ports",
            "Bastion security group opens SSH to the world.",
            sg("ops-bastion-sg", undefined, [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
        ),
        insecure(
            "network/postgres-open-rule",
            "ec2-sg-public-ingress-ports",
            "Standalone ingress rule opens PostgreSQL to the internet.",
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ticketing-db-from-anywhere", {
                securityGroupId: "sg-db",
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrIpv4: "0.0.0.0/0",
            }),
        ),
        (() => {
            const g = sg("ticketing-tasks-sg", undefined, [web(443)]);
            const service = res(
                "aws:ecs/service:Service",
                "ticketing-tasks",
                {
                    launchType: "FARGATE",
                    networkConfiguration: {
                        assignPublicIp: false,
                        subnets: ["subnet-private-a"],
                        securityGroups: ["ticketing-tasks-sg-id"],
                    },
                },
                { deps: { networkConfiguration: [g] } },
            );
            return insecure(
                "network/tasks-open-443",
                "ec2-sg-public-ingress-lb-only",
                "Service tasks accept 443 from the internet, bypassing the ALB and WAF.",
                g,
                [service],
            );
        })(),
        insecure(
            "network/default-sg-open",
            "ec2-default-sg-closed",
            "VPC whose default security group is left with its allow-all rules.",
            res("aws:ec2/vpc:Vpc", "legacy-vpc", { cidrBlock: "172.31.0.0/16" }),
        ),
        insecure(
            "network/eks-public-endpoint-default",
            "eks-endpoint-not-public",
            "aws.eks.Cluster with the default public endpoint open to 0.0.0.0/0.",
            res("aws:eks/cluster:Cluster", "postech-eks-raw", {
                roleArn: "arn:aws:iam::111122223333:role/eks",
                vpcConfig: { subnetIds: ["subnet-1", "subnet-2"] },
            }),
        ),
        insecure(
            "network/eks-component-world-cidr",
            "eks-endpoint-not-public",
            "@pulumi/eks cluster with publicAccessCidrs 0.0.0.0/0.",
            res("eks:index:Cluster", "postech-eks-open", {
                publicAccessCidrs: ["0.0.0.0/0"],
                skipDefaultNodeGroup: true,
            }),
        ),
        (() => {
            const db = postgres("coffee-shop-db");
            const fn = res(
                "aws:lambda/function:Function",
                "coffee-shop-orders",
                {
                    runtime: "nodejs22.x",
                    handler: "index.handler",
                    role: "arn:aws:iam::111122223333:role/orders",
                    environment: { variables: { DB_HOST: "coffee-shop-db.internal" } },
                },
                { deps: { environment: [db] } },
            );
            return insecure(
                "network/lambda-outside-vpc",
                "lambda-vpc-access",
                "Orders function talks to RDS but runs outside the VPC.",
                fn,
                [db],
            );
        })(),
    ],
    secure: [
        (() => {
            const n = network("ticketing");
            const albSg = sg("ticketing-alb-sg", n.vpc, [web(80), web(443)]);
            return secure(
                "network/public-alb-443",
                "Internet-facing ALB whose security group is open on 80/443 only (another classic false alarm).",
                [
                    ...n.resources,
                    albSg,
                    alb("ticketing-alb", albSg, [n.publicA]),
                    res("aws:lb/listener:Listener", "ticketing-https", {
                        loadBalancerArn: "ticketing-alb-id",
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: TLS13,
                        certificateArn: REGIONAL_CERT_ARN,
                        defaultActions: [
                            { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
                        ],
                    }),
                ],
            );
        })(),
        (() => {
            const n = network("ticketing");
            const app = sg("ticketing-app-sg", n.vpc, []);
            const dbSg = sg("ticketing-db-sg", n.vpc, [
                { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["ticketing-app-sg-id"] },
            ]);
            const g = subnetGroup("aws:rds/subnetGroup:SubnetGroup", "ticketing-db-subnets", [
                n.isolatedA,
                n.isolatedB,
            ]);
            return secure(
                "network/rds-isolated",
                "PostgreSQL in isolated subnets, reachable from the app security group only.",
                [
                    ...n.resources,
                    app,
                    dbSg,
                    g,
                    postgres("ticketing-db", {
                        dbSubnetGroupName: "ticketing-db-subnets-id",
                        vpcSecurityGroupIds: ["ticketing-db-sg-id"],
                    }),
                ],
            );
        })(),
        (() => {
            const n = network("coffee");
            const g = subnetGroup("aws:elasticache/subnetGroup:SubnetGroup", "coffee-shop-cache-subnets", [
                n.isolatedA,
                n.isolatedB,
            ]);
            const db = postgres("coffee-shop-db");
            const fn = res(
                "aws:lambda/function:Function",
                "coffee-shop-orders",
                {
                    runtime: "nodejs22.x",
                    handler: "index.handler",
                    role: "arn:aws:iam::111122223333:role/orders",
                    environment: { variables: { DB_HOST: "coffee-shop-db.internal" } },
                    vpcConfig: {
                        subnetIds: ["coffee-private-a-id", "coffee-private-b-id"],
                        securityGroupIds: ["sg-orders"],
                    },
                },
                { deps: { environment: [db] } },
            );
            return secure(
                "network/lambda-in-vpc",
                "Orders Lambda inside the private subnets; cache subnet group on isolated subnets.",
                [...n.resources, g, db, fn],
            );
        })(),
        secure(
            "network/fargate-private",
            "Fargate service in private subnets without public IPs; task definition with awslogs on every container.",
            [
                res("aws:ecs/taskDefinition:TaskDefinition", "ticketing-checkout", {
                    family: "ticketing-checkout",
                    networkMode: "awsvpc",
                    requiresCompatibilities: ["FARGATE"],
                    cpu: "512",
                    memory: "1024",
                    containerDefinitions: containers(["checkout", "xray-daemon"]),
                }),
                res("aws:ecs/service:Service", "ticketing-checkout", {
                    cluster: "platform",
                    launchType: "FARGATE",
                    desiredCount: 2,
                    networkConfiguration: {
                        assignPublicIp: false,
                        subnets: ["subnet-private-a", "subnet-private-b"],
                        securityGroups: ["sg-checkout"],
                    },
                }),
            ],
        ),
        secure(
            "network/eks-private",
            "@pulumi/eks cluster: private endpoint, secrets key, control-plane logs, no default node group.",
            [
                res("eks:index:Cluster", "postech-eks", {
                    encryptionConfigKeyArn: KEY_ARN,
                    endpointPublicAccess: false,
                    endpointPrivateAccess: true,
                    enabledClusterLogTypes: ["api", "audit", "authenticator"],
                    skipDefaultNodeGroup: true,
                    createOidcProvider: true,
                }),
            ],
        ),
        secure("network/eks-dev-cidr", "Dev EKS endpoint public but restricted to the office CIDR.", [
            res("eks:index:Cluster", "postech-eks-dev", {
                encryptionConfigKeyArn: KEY_ARN,
                endpointPublicAccess: true,
                publicAccessCidrs: ["203.0.113.0/24"],
                endpointPrivateAccess: true,
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
                nodeAssociatePublicIpAddress: false,
            }),
        ]),
        secure("network/launch-template", "Node launch template: encrypted root volume, no public IP.", [
            res("aws:ec2/launchTemplate:LaunchTemplate", "postech-nodes", {
                instanceType: "t3.large",
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { volumeSize: 50, encrypted: "true", kmsKeyId: KEY_ARN } },
                ],
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }],
                metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
            }),
        ]),
    ],
};
