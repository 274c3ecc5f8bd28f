/**
 * The compute components on their own, under Pulumi mocks in this process: argument validation
 * (every problem in one error naming the component and field) and the features mtls-api does not use
 * (X-Ray sidecar, custom-metric autoscaling, ECS Exec, ARM64, caller egress), so the next
 * architectures can rely on them.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { FargateService, FargateServiceArgs } from "../../infra/compute/fargate-service";
import { FARGATE_CPU_VALUES, fargateSizeProblem } from "../../infra/compute/fargate-sizes";
import { ServiceNamespace } from "../../infra/compute/service-namespace";

interface Registered {
    type: string;
    name: string;
    inputs: any;
}
const registered: Registered[] = [];
/** Resolves `o`, then waits until no registration has arrived for a while (children made from outputs register late). */
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const named = (name: string) => registered.filter((r) => r.name === name);
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};

describe("compute components (under mocks)", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    const id = `${a.name}-id`;
                    return {
                        id,
                        state: {
                            ...a.inputs,
                            name: a.inputs.name ?? a.name,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                            versionId: "v1",
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
    });

    const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };

    function baseArgs(overrides: Partial<FargateServiceArgs> = {}): FargateServiceArgs {
        return {
            region: "sa-east-1",
            accountId: "123456789012",
            partition: "aws",
            clusterArn: "arn:aws:ecs:sa-east-1:123456789012:cluster/c",
            clusterName: "c",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a", "subnet-b"],
            cpu: 256,
            memory: 512,
            container: { name: "app", image: "public.ecr.aws/x/app:1", portMappings: [{ containerPort: 8080 }] },
            logs: {
                groupName: "/p/test/app",
                kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs",
                retentionInDays: 7,
            },
            tags: TAGS,
            ...overrides,
        };
    }

    describe("Fargate task sizes", () => {
        it("accepts every documented combination at its edges", () => {
            for (const [cpu, memory] of [
                [256, 512],
                [256, 2048],
                [512, 1024],
                [512, 4096],
                [1024, 8192],
                [2048, 16384],
                [4096, 8192],
                [4096, 30720],
                [8192, 16384],
                [8192, 61440],
                [16384, 32768],
                [16384, 122880],
            ]) {
                assert.strictEqual(fargateSizeProblem(cpu, memory), undefined, `${cpu}/${memory}`);
            }
            assert.deepStrictEqual(FARGATE_CPU_VALUES, [256, 512, 1024, 2048, 4096, 8192, 16384]);
        });
        it("refuses other pairs, naming the field and what is allowed", () => {
            assert.deepStrictEqual(fargateSizeProblem(300, 512), {
                field: "cpu",
                message: "must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (1024 = 1 vCPU); got 300",
            });
            assert.deepStrictEqual(fargateSizeProblem(256, 4096), {
                field: "memory",
                message: "must be a Fargate size for cpu 256: 512, 1024, 2048 MiB; got 4096",
            });
            assert.deepStrictEqual(fargateSizeProblem(8192, 18432), {
                field: "memory",
                message: "must be a Fargate size for cpu 8192: 16384-61440 in steps of 4096 MiB; got 18432",
            });
            assert.deepStrictEqual(fargateSizeProblem(512, 512), {
                field: "memory",
                message: "must be a Fargate size for cpu 512: 1024-4096 in steps of 1024 MiB; got 512",
            });
        });
    });

    describe("FargateService", () => {
        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new FargateService(
                        "bad",
                        baseArgs({
                            memory: 4096,
                            desiredCount: 1,
                            subnetIds: ["subnet-a"],
                            logs: { groupName: "/p/x", kmsKeyArn: "k", retentionInDays: 10 },
                            container: {
                                name: "app",
                                image: "i",
                                portMappings: [{ containerPort: 8080 }],
                                environment: { TOKEN: "x" },
                                secrets: { TOKEN: { secretArn: "arn:s" } },
                            },
                            egress: {
                                both: {
                                    port: 443,
                                    cidrIpv4: "0.0.0.0/0",
                                    destinationSecurityGroupId: "sg-1",
                                    description: "x",
                                },
                            },
                            loadBalancers: [{ targetGroupArn: "tg", containerPort: 9090 }],
                            autoscaling: { maxCapacity: 1 },
                        }),
                    ),
                {
                    message:
                        "FargateService bad: memory must be a Fargate size for cpu 256: 512, 1024, 2048 MiB; got 4096; " +
                        "desiredCount must be an integer of at least 2 (tasks in at least two Availability Zones); got 1; " +
                        "subnetIds must hold at least 2 subnets in different Availability Zones; got 1; " +
                        "logs.retentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 10; " +
                        "container.TOKEN is both in environment and in secrets; " +
                        "secretsKmsKeyArn is required when container.secrets is set (the execution role decrypts them); " +
                        "egress.both must name exactly one of cidrIpv4, destinationSecurityGroupId, prefixListId; got 2; " +
                        "loadBalancers[0].containerPort 9090 is not in container.portMappings (8080); " +
                        "autoscaling.minCapacity must be an integer of at least 2; got 1",
                },
            );
        });

        it("has no ingress, HTTPS-only egress, no task permissions and no ECR access by default", async () => {
            const svc = new FargateService("plain", baseArgs());
            await settle(svc.serviceArn);
            assert.deepStrictEqual(named("plain-in-https"), []);
            assert.deepStrictEqual(
                registered.filter((r) => r.name.startsWith("plain-in-")),
                [],
            );
            const egress = registered.filter((r) => r.name.startsWith("plain-out-"));
            assert.deepStrictEqual(
                egress.map((e) => [e.name, e.inputs.ipProtocol, e.inputs.fromPort, e.inputs.toPort, e.inputs.cidrIpv4]),
                [["plain-out-https", "tcp", 443, 443, "0.0.0.0/0"]],
            );
            assert.deepStrictEqual(
                registered
                    .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith("plain"))
                    .map((r) => r.name),
                ["plain-execution"],
            );
            const execution = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "plain-execution").policy);
            assert.deepStrictEqual(execution.Statement, [
                {
                    Sid: "WriteItsLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "arn:aws:mock:sa-east-1:123456789012:plain-logs:*",
                },
            ]);
            const service = one("aws:ecs/service:Service", "plain");
            assert.strictEqual(service.enableExecuteCommand, false);
            assert.strictEqual(service.loadBalancers, undefined);
            assert.strictEqual(service.healthCheckGracePeriodSeconds, undefined);
            assert.deepStrictEqual(
                registered.filter((r) => r.type.startsWith("aws:appautoscaling") && r.name.startsWith("plain")),
                [],
            );
            const [container] = JSON.parse(
                one("aws:ecs/taskDefinition:TaskDefinition", "plain-task").containerDefinitions,
            );
            assert.deepStrictEqual(
                [container.readonlyRootFilesystem, container.linuxParameters, container.user],
                [true, { capabilities: { drop: ["ALL"] } }, undefined],
            );
        });

        it("adds an X-Ray sidecar, ECS Exec, ARM64, caller statements and egress, and scales on CPU, memory and a queue", async () => {
            const queueArn = "arn:aws:sqs:sa-east-1:123456789012:orders";
            const svc = new FargateService(
                "worker",
                baseArgs({
                    cpu: 1024,
                    memory: 2048,
                    cpuArchitecture: "ARM64",
                    desiredCount: 3,
                    container: {
                        name: "worker",
                        image: "repo/worker:2",
                        user: "1000",
                        scratchPaths: ["/tmp", "/var/cache/app"],
                        command: ["run"],
                        stopTimeoutSeconds: 60,
                    },
                    ecrRepositoryArns: ["arn:aws:ecr:sa-east-1:123456789012:repository/worker"],
                    taskPolicyStatements: [
                        {
                            Sid: "ConsumeOrders",
                            Effect: "Allow",
                            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                            Resource: queueArn,
                        },
                    ],
                    egress: { https: { port: 443, prefixListId: "pl-1", description: "S3 only" } },
                    ingress: { admin: { port: 9000, sourceSecurityGroupId: "sg-admin", description: "admin" } },
                    xrayDaemon: {},
                    executeCommand: {
                        logGroupArn: "arn:aws:logs:sa-east-1:123456789012:log-group:/exec",
                        kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs",
                    },
                    autoscaling: {
                        minCapacity: 2,
                        maxCapacity: 10,
                        memoryTargetPercent: 70,
                        customMetric: {
                            namespace: "AWS/SQS",
                            metricName: "ApproximateNumberOfMessagesVisible",
                            dimensions: { QueueName: "orders" },
                            statistic: "Sum",
                            targetValue: 100,
                        },
                    },
                }),
            );
            await settle(svc.serviceArn);
            const task = one("aws:ecs/taskDefinition:TaskDefinition", "worker-task");
            assert.deepStrictEqual(task.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
            assert.deepStrictEqual(task.volumes, [{ name: "scratch-tmp" }, { name: "scratch-var-cache-app" }]);
            const [worker, xray] = JSON.parse(task.containerDefinitions);
            assert.deepStrictEqual(worker.environment, [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" }]);
            assert.deepStrictEqual([worker.user, worker.command, worker.stopTimeout], ["1000", ["run"], 60]);
            assert.deepStrictEqual(worker.mountPoints, [
                { sourceVolume: "scratch-tmp", containerPath: "/tmp", readOnly: false },
                { sourceVolume: "scratch-var-cache-app", containerPath: "/var/cache/app", readOnly: false },
            ]);
            assert.deepStrictEqual(xray, {
                name: "xray-daemon",
                image: "public.ecr.aws/xray/aws-xray-daemon:3.x",
                essential: false,
                cpu: 32,
                memoryReservation: 256,
                portMappings: [{ containerPort: 2000, protocol: "udp" }],
                readonlyRootFilesystem: true,
                linuxParameters: { capabilities: { drop: ["ALL"] } },
                logConfiguration: {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": "/p/test/app",
                        "awslogs-region": "sa-east-1",
                        "awslogs-stream-prefix": "xray-daemon",
                        mode: "non-blocking",
                        "max-buffer-size": "25m",
                    },
                },
            });
            const taskPolicy = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "worker-task").policy);
            assert.deepStrictEqual(
                taskPolicy.Statement.map((s: any) => [s.Sid, s.Action, s.Resource]),
                [
                    ["ConsumeOrders", ["sqs:ReceiveMessage", "sqs:DeleteMessage"], queueArn],
                    [
                        "XrayDaemonSendsTraces",
                        [
                            "xray:GetSamplingRules",
                            "xray:GetSamplingStatisticSummaries",
                            "xray:GetSamplingTargets",
                            "xray:PutTelemetryRecords",
                            "xray:PutTraceSegments",
                        ],
                        "*",
                    ],
                    [
                        "EcsExecChannels",
                        [
                            "ssmmessages:CreateControlChannel",
                            "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel",
                            "ssmmessages:OpenDataChannel",
                        ],
                        "*",
                    ],
                    [
                        "EcsExecSessionLogs",
                        ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        "arn:aws:logs:sa-east-1:123456789012:log-group:/exec:*",
                    ],
                    ["EcsExecLogGroups", "logs:DescribeLogGroups", "*"],
                    [
                        "EcsExecEncryption",
                        ["kms:Decrypt", "kms:GenerateDataKey"],
                        "arn:aws:kms:sa-east-1:123456789012:key/logs",
                    ],
                ],
            );
            assert.strictEqual(one("aws:ecs/service:Service", "worker").enableExecuteCommand, true);
            assert.deepStrictEqual(
                one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "worker-in-admin"),
                {
                    securityGroupId: "worker-sg-id",
                    referencedSecurityGroupId: "sg-admin",
                    ipProtocol: "tcp",
                    fromPort: 9000,
                    toPort: 9000,
                    description: "admin",
                    tags: TAGS,
                },
            );
            assert.deepStrictEqual(
                registered
                    .filter((r) => r.name.startsWith("worker-out-"))
                    .map((r) => [r.name, r.inputs.prefixListId, r.inputs.cidrIpv4, r.inputs.fromPort]),
                [["worker-out-https", "pl-1", undefined, 443]],
            );
            const target = one("aws:appautoscaling/target:Target", "worker-scaling");
            assert.deepStrictEqual(
                [target.minCapacity, target.maxCapacity, target.resourceId],
                [2, 10, "service/c/worker"],
            );
            const policies = registered.filter(
                (r) => r.type === "aws:appautoscaling/policy:Policy" && r.name.startsWith("worker-"),
            );
            assert.deepStrictEqual(
                policies.map((p) => [p.name, p.inputs.targetTrackingScalingPolicyConfiguration.targetValue]),
                [
                    ["worker-cpu", 60],
                    ["worker-memory", 70],
                    ["worker-custom-metric", 100],
                ],
            );
            assert.deepStrictEqual(
                policies[2].inputs.targetTrackingScalingPolicyConfiguration.customizedMetricSpecification,
                {
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    statistic: "Sum",
                    dimensions: [{ name: "QueueName", value: "orders" }],
                },
            );
            // Execution role: its repository only, nothing for secrets (it has none).
            const execution = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "worker-execution").policy);
            assert.deepStrictEqual(
                execution.Statement.map((s: any) => s.Sid),
                ["PullItsImages", "GetEcrAuthorizationToken", "WriteItsLogs"],
            );
        });

        it("registers in Cloud Map and pins secrets to a version when asked", async () => {
            const svc = new FargateService(
                "registered",
                baseArgs({
                    container: {
                        name: "app",
                        image: "i",
                        portMappings: [{ containerPort: 8080 }],
                        secrets: {
                            WHOLE: { secretArn: "arn:s1" },
                            KEYED: { secretArn: "arn:s2", jsonKey: "password" },
                            PINNED: { secretArn: "arn:s2", jsonKey: "user", versionId: "v9" },
                        },
                    },
                    secretsKmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/secrets",
                    serviceDiscovery: { namespaceId: "ns-1", namespaceName: "app.internal", name: "api" },
                }),
            );
            await settle(svc.serviceArn);
            assert.strictEqual(svc.discoveryHostname, "api.app.internal");
            const [container] = JSON.parse(
                one("aws:ecs/taskDefinition:TaskDefinition", "registered-task").containerDefinitions,
            );
            assert.deepStrictEqual(container.secrets, [
                { name: "KEYED", valueFrom: "arn:s2:password::" },
                { name: "PINNED", valueFrom: "arn:s2:user::v9" },
                { name: "WHOLE", valueFrom: "arn:s1" },
            ]);
            const execution = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "registered-execution").policy);
            assert.deepStrictEqual(execution.Statement.find((s: any) => s.Sid === "ReadItsSecrets").Resource, [
                "arn:s1",
                "arn:s2",
            ]);
            assert.deepStrictEqual(one("aws:servicediscovery/service:Service", "registered-discovery").dnsConfig, {
                namespaceId: "ns-1",
                routingPolicy: "MULTIVALUE",
                dnsRecords: [{ type: "A", ttl: 10 }],
            });
            assert.deepStrictEqual(one("aws:ecs/service:Service", "registered").serviceRegistries, {
                registryArn: "arn:aws:mock:sa-east-1:123456789012:registered-discovery",
            });
        });

        it("refuses a port outside 1-65535 when rules are added later", async () => {
            const svc = new FargateService("later", baseArgs());
            assert.throws(() => svc.allowIngressFrom("x", { port: 0, sourceSecurityGroupId: "sg", description: "x" }), {
                message: "FargateService later: ingress x port must be 1-65535; got 0",
            });
            assert.throws(
                () => svc.allowEgressTo("y", { port: 70000, destinationSecurityGroupId: "sg", description: "y" }),
                { message: "FargateService later: egress y port must be 1-65535; got 70000" },
            );
            await settle(svc.serviceArn);
        });
    });

    describe("EcrRepository", () => {
        it("is immutable, scanned on push, KMS-encrypted, with the lifecycle rules", async () => {
            const repo = new EcrRepository("images", {
                repositoryName: "platform-test-images",
                kmsKeyArn: "arn:key",
                keepTaggedImages: 5,
                protect: true,
                tags: TAGS,
            });
            await settle(repo.repositoryArn);
            const r = one("aws:ecr/repository:Repository", "images");
            assert.deepStrictEqual(
                [r.name, r.imageTagMutability, r.imageScanningConfiguration, r.encryptionConfigurations, r.forceDelete],
                [
                    "platform-test-images",
                    "IMMUTABLE",
                    { scanOnPush: true },
                    [{ encryptionType: "KMS", kmsKey: "arn:key" }],
                    false,
                ],
            );
            const rules = JSON.parse(one("aws:ecr/lifecyclePolicy:LifecyclePolicy", "images-lifecycle").policy).rules;
            assert.deepStrictEqual(
                rules.map((x: any) => x.selection),
                [
                    { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                    { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 5 },
                ],
            );
        });
        it("refuses a bad name and bad counts", () => {
            assert.throws(
                () =>
                    new EcrRepository("bad-repo", {
                        repositoryName: "Upper/Case",
                        kmsKeyArn: "k",
                        untaggedExpiryDays: 0,
                        keepTaggedImages: 1001,
                        protect: false,
                        tags: TAGS,
                    }),
                {
                    message:
                        'EcrRepository bad-repo: repositoryName must be 2-256 lower-case letters, digits and . _ - / (each part starting and ending with a letter or digit); got "Upper/Case"; ' +
                        "untaggedExpiryDays must be a positive integer; got 0; keepTaggedImages must be an integer from 1 to 1000; got 1001",
                },
            );
        });
    });

    describe("ServiceNamespace", () => {
        it("creates a private DNS namespace in the VPC", async () => {
            const ns = new ServiceNamespace("discovery", {
                namespaceName: "shop.internal",
                vpcId: "vpc-9",
                tags: TAGS,
            });
            await settle(ns.namespaceId);
            assert.deepStrictEqual(
                [
                    ns.namespaceName,
                    one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "discovery").vpc,
                ],
                ["shop.internal", "vpc-9"],
            );
        });
        it("refuses a name that is not a DNS name of two labels", () => {
            assert.throws(() => new ServiceNamespace("bad-ns", { namespaceName: "local", vpcId: "v", tags: TAGS }), {
                message:
                    'ServiceNamespace bad-ns: namespaceName must be a DNS name of at least two lower-case labels (e.g. mtls-api.internal); got "local"',
            });
        });
    });
});
