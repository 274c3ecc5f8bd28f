/**
 * The Kubernetes components on their own, under Pulumi mocks in this process: EksCluster (the inputs
 * of the remote `eks:index:Cluster`, node role, launch template, node group, access entries, IRSA
 * trust), WebService (pod security, probes, HPA, PDB, TargetGroupBinding, ServiceMonitor) and pinned
 * Helm releases. Argument validation reports every problem at once, naming the component and field.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    CLUSTER_ADMIN_POLICY,
    CLUSTER_VIEW_POLICY,
    EksCluster,
    EksClusterArgs,
} from "../../infra/kubernetes/eks-cluster";
import { chartProblems, pinnedRelease } from "../../infra/kubernetes/helm-release";
import { WebService, WebServiceArgs } from "../../infra/kubernetes/web-service";

interface Registered {
    type: string;
    name: string;
    inputs: any;
    custom: boolean;
}
const registered: Registered[] = [];
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};

const ISSUER = "oidc.eks.sa-east-1.amazonaws.com/id/ABCDEF0123456789";
const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };

function clusterArgs(overrides: Partial<EksClusterArgs> = {}): EksClusterArgs {
    return {
        clusterName: "p-test-eks",
        version: "1.33",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        publicEndpointCidrs: false,
        secretsKmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/secrets",
        logs: { kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs", retentionInDays: 30 },
        nodes: { instanceTypes: ["t3.medium"], minSize: 2, desiredSize: 2, maxSize: 4 },
        protect: true,
        accountId: "123456789012",
        partition: "aws",
        region: "sa-east-1",
        tags: TAGS,
        ...overrides,
    };
}

describe("kubernetes components (under mocks)", () => {
    let cluster: EksCluster;
    before(async () => {
        void pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs, custom: a.custom ?? true });
                    if (a.type === "eks:index:Cluster") {
                        return {
                            id: undefined,
                            state: {
                                kubeconfigJson: "{}",
                                oidcIssuer: ISSUER,
                                oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`,
                                clusterSecurityGroupId: "sg-eks-cluster",
                            },
                        };
                    }
                    return {
                        id: `${a.name}-id`,
                        state: {
                            ...a.inputs,
                            name: a.inputs.name ?? a.name,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                            latestVersion: 3,
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
        cluster = new EksCluster(
            "k",
            clusterArgs({
                adminRoleArns: ["arn:aws:iam::123456789012:role/Platform-Admins"],
                viewerRoleArns: { "ci-preview": "arn:aws:iam::123456789012:role/pulumi-ci-test-preview" },
            }),
        );
        await settle(cluster.oidcProviderArn);
    });

    describe("EksCluster", () => {
        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new EksCluster(
                        "bad",
                        clusterArgs({
                            clusterName: "-bad",
                            version: "latest",
                            subnetIds: ["subnet-a"],
                            publicEndpointCidrs: ["0.0.0.0/0", "10.0.0.1"],
                            nodes: { instanceTypes: ["huge"], minSize: 3, desiredSize: 2, maxSize: 4, diskSizeGib: 10 },
                            adminRoleArns: ["arn:aws:iam::123456789012:user/alice"],
                        }),
                    ),
                {
                    message:
                        'EksCluster bad: clusterName must be 1-100 letters, digits, - and _, starting with a letter or digit; got "-bad"; ' +
                        'version must be a Kubernetes minor version such as 1.33; got "latest"; ' +
                        "subnetIds must hold at least 2 private subnets in different Availability Zones; got 1; " +
                        "publicEndpointCidrs: 0.0.0.0/0 opens the API endpoint to the whole internet; " +
                        'publicEndpointCidrs: "10.0.0.1" is not an IPv4 CIDR; ' +
                        'nodes.instanceTypes: "huge" is not an EC2 instance type; ' +
                        "nodes must satisfy minSize <= desiredSize <= maxSize; got 3/2/4; " +
                        "nodes.diskSizeGib must be an integer from 20 to 1000; got 10; " +
                        'adminRoleArns: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN',
                },
            );
        });

        it("asks @pulumi/eks for a private, encrypted, fully logged cluster with IRSA, access entries and no node group of its own", () => {
            const c = registered.find((r) => r.type === "eks:index:Cluster" && r.name === "k")!;
            assert.strictEqual(c.custom, false);
            const i = c.inputs;
            assert.deepStrictEqual(
                [i.name, i.version, i.vpcId, i.privateSubnetIds, i.publicSubnetIds],
                ["p-test-eks", "1.33", "vpc-1", ["subnet-a", "subnet-b"], undefined],
            );
            assert.deepStrictEqual(
                [i.endpointPrivateAccess, i.endpointPublicAccess, i.publicAccessCidrs],
                [true, false, undefined],
            );
            assert.deepStrictEqual(
                [i.encryptionConfigKeyArn, i.enabledClusterLogTypes],
                [
                    "arn:aws:kms:sa-east-1:123456789012:key/secrets",
                    ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                ],
            );
            assert.deepStrictEqual(
                [
                    i.createOidcProvider,
                    i.authenticationMode,
                    i.skipDefaultNodeGroup,
                    i.skipDefaultSecurityGroups,
                    i.nodeAssociatePublicIpAddress,
                    i.deletionProtection,
                    i.upgradePolicy,
                ],
                [true, "API", true, true, false, true, { supportType: "STANDARD" }],
            );
            // CoreDNS is ours, after the node group (the stack specs check the order), never @pulumi/eks's.
            assert.strictEqual(i.corednsAddonOptions.enabled, false);
            assert.deepStrictEqual(one("aws:eks/addon:Addon", "k-coredns"), {
                clusterName: "p-test-eks",
                addonName: "coredns",
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                tags: TAGS,
            });
            assert.deepStrictEqual(one("aws:cloudwatch/logGroup:LogGroup", "k-logs"), {
                name: "/aws/eks/p-test-eks/cluster",
                retentionInDays: 30,
                kmsKeyId: "arn:aws:kms:sa-east-1:123456789012:key/logs",
                tags: TAGS,
            });
        });

        it("limits the public endpoint to the CIDRs given", async () => {
            const open = new EksCluster(
                "open",
                clusterArgs({ clusterName: "p-test-open", publicEndpointCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }),
            );
            await settle(open.oidcProviderArn);
            const i = registered.find((r) => r.type === "eks:index:Cluster" && r.name === "open")!.inputs;
            assert.deepStrictEqual(
                [i.endpointPrivateAccess, i.endpointPublicAccess, i.publicAccessCidrs],
                [true, true, ["198.51.100.7/32", "203.0.113.0/24"]],
            );
        });

        it("runs nodes from a launch template with IMDSv2 (hop limit 1) and encrypted gp3 volumes, with only the three node policies", () => {
            const lt = one("aws:ec2/launchTemplate:LaunchTemplate", "k-nodes");
            assert.deepStrictEqual(lt.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            });
            assert.deepStrictEqual(lt.blockDeviceMappings, [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                },
            ]);
            const ng = one("aws:eks/nodeGroup:NodeGroup", "k-nodes");
            assert.deepStrictEqual(
                [
                    ng.clusterName,
                    ng.subnetIds,
                    ng.amiType,
                    ng.capacityType,
                    ng.instanceTypes,
                    ng.scalingConfig,
                    ng.launchTemplate,
                ],
                [
                    "p-test-eks",
                    ["subnet-a", "subnet-b"],
                    "AL2023_x86_64_STANDARD",
                    "ON_DEMAND",
                    ["t3.medium"],
                    { minSize: 2, desiredSize: 2, maxSize: 4 },
                    { id: "k-nodes-id", version: "3" },
                ],
            );
            assert.deepStrictEqual(
                JSON.parse(one("aws:iam/role:Role", "k-node-role").assumeRolePolicy).Statement[0].Principal,
                { Service: "ec2.amazonaws.com" },
            );
            const attached = registered
                .filter(
                    (r) =>
                        r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.name.startsWith("k-node-"),
                )
                .map((r) => r.inputs.policyArn)
                .sort();
            assert.deepStrictEqual(attached, [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            ]);
        });

        it("grants cluster admin through access entries only: its own MFA-guarded role and the roles listed; viewers read only", () => {
            const trust = JSON.parse(one("aws:iam/role:Role", "k-admin").assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: "sts:AssumeRole",
                    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
                },
            ]);
            const entries = registered.filter(
                (r) => r.type === "aws:eks/accessEntry:AccessEntry" && r.name.startsWith("k-"),
            );
            assert.deepStrictEqual(entries.map((e) => [e.name, e.inputs.principalArn, e.inputs.type]).sort(), [
                ["k-admin", "arn:aws:mock:sa-east-1:123456789012:k-admin", "STANDARD"],
                ["k-admin-platform-admins", "arn:aws:iam::123456789012:role/Platform-Admins", "STANDARD"],
                ["k-viewer-ci-preview", "arn:aws:iam::123456789012:role/pulumi-ci-test-preview", "STANDARD"],
            ]);
            const associations = registered.filter(
                (r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation" && r.name.startsWith("k-"),
            );
            assert.deepStrictEqual(associations.map((a) => [a.name, a.inputs.policyArn, a.inputs.accessScope]).sort(), [
                ["k-admin", CLUSTER_ADMIN_POLICY, { type: "cluster" }],
                ["k-admin-platform-admins", CLUSTER_ADMIN_POLICY, { type: "cluster" }],
                ["k-viewer-ci-preview", CLUSTER_VIEW_POLICY, { type: "cluster" }],
            ]);
            assert.strictEqual(CLUSTER_VIEW_POLICY, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
        });

        it("makes IRSA roles trusted for one service account and the STS audience only", async () => {
            const role = cluster.serviceAccountRole("app", {
                namespace: "shop",
                serviceAccount: "api",
                statements: [
                    {
                        Sid: "ReadIt",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: "arn:aws:secretsmanager:sa-east-1:123456789012:secret:db",
                    },
                ],
                managedPolicies: { ebs: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" },
            });
            await settle(role.arn);
            assert.deepStrictEqual(JSON.parse(one("aws:iam/role:Role", "k-irsa-app").assumeRolePolicy).Statement, [
                {
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}` },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${ISSUER}:sub`]: "system:serviceaccount:shop:api",
                            [`${ISSUER}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ]);
            assert.deepStrictEqual(
                JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "k-irsa-app").policy).Statement.map((s: any) => s.Sid),
                ["ReadIt"],
            );
            assert.strictEqual(
                one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "k-irsa-app-ebs").policyArn,
                "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
            );
            assert.throws(
                () => cluster.serviceAccountRole("bad", { namespace: "Shop", serviceAccount: "api" }),
                /needs Kubernetes names/,
            );
        });
    });

    describe("WebService", () => {
        const base = (overrides: Partial<WebServiceArgs> = {}): WebServiceArgs => ({
            namespace: "shop",
            appName: "api",
            image: "repo/api:1.0.0",
            containerPort: 8000,
            resources: { cpuRequest: "250m", cpuLimit: "1", memoryRequest: "256Mi", memoryLimit: "512Mi" },
            probes: { startupPath: "/health", readinessPath: "/ready", livenessPath: "/health" },
            runAsUser: 10001,
            autoscaling: { minReplicas: 2, maxReplicas: 6, cpuTargetPercent: 70 },
            minAvailable: 1,
            provider: cluster.provider,
            ...overrides,
        });

        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new WebService(
                        "bad",
                        base({
                            appName: "API",
                            containerPort: 80,
                            resources: {
                                cpuRequest: "a lot",
                                cpuLimit: "1",
                                memoryRequest: "256Mi",
                                memoryLimit: "512Mi",
                            },
                            runAsUser: 0,
                            autoscaling: { minReplicas: 1, maxReplicas: 6, cpuTargetPercent: 99 },
                            minAvailable: 1,
                        }),
                    ),
                {
                    message:
                        'WebService bad: appName must be a DNS label (1-63 lower-case letters, digits and -); got "API"; ' +
                        "containerPort must be 1024-65535 (a non-root process cannot bind lower ports); got 80; " +
                        'resources.cpuRequest must be a Kubernetes quantity such as 250m or 512Mi; got "a lot"; ' +
                        "runAsUser must be a non-zero UID; got 0; " +
                        "autoscaling.minReplicas must be at least 2 (one pod per zone survives a zone failure); got 1; " +
                        "autoscaling.cpuTargetPercent must be 10-95; got 99; " +
                        "minAvailable must be at least 1 and less than autoscaling.minReplicas (1), or node drains block; got 1",
                },
            );
        });

        it("runs restricted pods (non-root, read-only root, no escalation, no capabilities, seccomp) with probes, limits, HPA, PDB, target group binding and scraping", async () => {
            const svc = new WebService(
                "api",
                base({
                    env: { B: "2", A: "1" },
                    iamRoleArn: "arn:aws:iam::123456789012:role/irsa",
                    targetGroupArn: "arn:aws:elasticloadbalancing:sa-east-1:123456789012:targetgroup/api/1",
                    metricsPath: "/metrics",
                }),
            );
            await settle(svc.serviceHost);
            const sa = one("kubernetes:core/v1:ServiceAccount", "api-sa");
            assert.deepStrictEqual(
                [sa.metadata.annotations, sa.automountServiceAccountToken],
                [{ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/irsa" }, false],
            );
            const d = one("kubernetes:apps/v1:Deployment", "api");
            const pod = d.spec.template.spec;
            assert.deepStrictEqual(pod.securityContext, {
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                fsGroup: 10001,
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.strictEqual(pod.automountServiceAccountToken, false);
            const [c] = pod.containers;
            assert.deepStrictEqual(c.securityContext, {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
            });
            assert.deepStrictEqual(c.resources, {
                requests: { cpu: "250m", memory: "256Mi" },
                limits: { cpu: "1", memory: "512Mi" },
            });
            assert.deepStrictEqual(
                [c.startupProbe.httpGet.path, c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path],
                ["/health", "/ready", "/health"],
            );
            assert.deepStrictEqual(c.env, [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
            ]);
            assert.deepStrictEqual(c.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
            // The HPA owns the replica count: a set spec.replicas would be applied back over it (pulumi-kubernetes#2491).
            assert.ok(!("replicas" in d.spec), `spec.replicas is ${JSON.stringify(d.spec.replicas)}`);
            assert.deepStrictEqual(d.spec.strategy, {
                type: "RollingUpdate",
                rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" },
            });
            assert.deepStrictEqual(
                pod.topologySpreadConstraints.map((t: any) => t.topologyKey),
                ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
            );
            const hpa = one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "api-hpa");
            assert.deepStrictEqual(
                [hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics],
                [
                    2,
                    6,
                    [
                        {
                            type: "Resource",
                            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
                        },
                    ],
                ],
            );
            assert.deepStrictEqual(one("kubernetes:policy/v1:PodDisruptionBudget", "api-pdb").spec, {
                minAvailable: 1,
                selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
            });
            assert.deepStrictEqual(one("kubernetes:core/v1:Service", "api-service").spec.type, "ClusterIP");
            const tgb = one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "api-tgb");
            assert.deepStrictEqual(tgb.spec, {
                targetGroupARN: "arn:aws:elasticloadbalancing:sa-east-1:123456789012:targetgroup/api/1",
                targetType: "ip",
                serviceRef: { name: "api", port: 80 },
            });
            assert.deepStrictEqual(
                one("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "api-monitor").spec.endpoints,
                [{ port: "http", path: "/metrics", interval: "30s" }],
            );
        });
    });

    describe("pinned Helm releases", () => {
        it("refuse ranges, latest and plain-HTTP repositories", () => {
            assert.deepStrictEqual(
                chartProblems({ chart: "x", version: "1.2.3", repo: "https://charts.example.com" }),
                [],
            );
            assert.deepStrictEqual(chartProblems({ chart: "x", version: "^1.2", repo: "http://charts.example.com" }), [
                'version must be an exact chart version such as 1.2.3 (no range, no latest); got "^1.2"',
                'repo must be an HTTPS URL; got "http://charts.example.com"',
            ]);
            assert.throws(
                () =>
                    pinnedRelease(
                        "bad",
                        {
                            chart: "x",
                            version: "latest",
                            repo: "https://c",
                            releaseName: "Bad",
                            namespace: "ns",
                            values: {},
                        },
                        { provider: cluster.provider },
                    ),
                {
                    message:
                        'Helm release bad: version must be an exact chart version such as 1.2.3 (no range, no latest); got "latest"; releaseName must be 1-53 lower-case letters, digits and -; got "Bad"',
                },
            );
        });

        it("install atomically, with the exact version and release name", async () => {
            const r = pinnedRelease(
                "metrics",
                {
                    chart: "metrics-server",
                    version: "3.13.0",
                    repo: "https://kubernetes-sigs.github.io/metrics-server",
                    releaseName: "metrics-server",
                    namespace: "kube-system",
                    values: { replicas: 2 },
                },
                { provider: cluster.provider },
            );
            await settle(r.name);
            const i = one("kubernetes:helm.sh/v3:Release", "metrics");
            assert.deepStrictEqual(
                [
                    i.name,
                    i.chart,
                    i.version,
                    i.repositoryOpts,
                    i.namespace,
                    i.atomic,
                    i.cleanupOnFail,
                    i.createNamespace,
                    i.values,
                ],
                [
                    "metrics-server",
                    "metrics-server",
                    "3.13.0",
                    { repo: "https://kubernetes-sigs.github.io/metrics-server" },
                    "kube-system",
                    true,
                    true,
                    false,
                    { replicas: 2 },
                ],
            );
        });
    });
});
