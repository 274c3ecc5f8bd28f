/**
 * An Amazon EKS cluster (`platform:kubernetes:EksCluster`): the control plane through `@pulumi/eks`
 * (`eks:index:Cluster`, a remote component), and everything security-relevant around it as plain
 * `@pulumi/aws` resources that tests and policies can see:
 *
 * - control plane: its own service role; API endpoint private, public endpoint off or limited to the
 *   caller's CIDRs; Kubernetes secrets envelope-encrypted with a KMS key; every control-plane log
 *   type to a KMS-encrypted log group with retention (created before the cluster, under the name EKS
 *   writes to); IAM OIDC provider for IAM roles for service accounts (IRSA); authentication by access
 *   entries only (`API`: no aws-auth ConfigMap); standard (not extended) support;
 * - one managed node group in the private subnets: its own node role (worker, CNI and ECR pull
 *   policies only), a launch template requiring IMDSv2 with a hop limit of 1 (pods cannot reach the
 *   node's credentials; they use IRSA), encrypted gp3 root volumes, size from the caller; EKS attaches
 *   the cluster security group it manages and creates the nodes' access entry itself;
 * - an administrator role (assumable by principals of this account that signed in with MFA) and any
 *   other administrator roles the caller lists, each with an access entry and the
 *   AmazonEKSClusterAdminPolicy; read-only roles (the CI preview role) with AmazonEKSViewPolicy;
 * - the CoreDNS managed add-on, created after the node group (a Deployment: with no node it stays DEGRADED
 *   until its create wait fails), not by `@pulumi/eks` (`corednsAddonOptions.enabled: false`);
 * - a Kubernetes provider from the cluster's kubeconfig for every Kubernetes object of the caller, used
 *   only once the nodes and CoreDNS are up;
 * - {@link EksCluster.serviceAccountRole}: IRSA roles trusted by the cluster's OIDC provider for one
 *   namespace/service account and audience `sts.amazonaws.com`.
 *
 * References: https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html,
 * https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html (IMDS hop limit),
 * https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html,
 * https://www.pulumi.com/registry/packages/eks/api-docs/cluster/.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import type { IamStatement } from "../compute/fargate-service";

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** AWS managed policies of the node role (https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html). */
export const NODE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
] as const;

/** The EKS access policy administrators get (cluster scope). */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
/** The EKS access policy read-only roles get (cluster scope): get/list/watch, no Secrets. */
export const CLUSTER_VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

export interface EksClusterArgs {
    /** Physical cluster name, 1-100 letters, digits, - and _ (fixed: the log group and tags name it). */
    clusterName: string;
    /** Kubernetes version, e.g. `1.33`. */
    version: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets (one per AZ, at least 2) for the control plane's network interfaces and the nodes. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Public API endpoint: `false`, or the CIDRs allowed to reach it (never 0.0.0.0/0). The private endpoint is
     * always on.
     */
    publicEndpointCidrs: false | string[];
    /** KMS key ARN that envelope-encrypts Kubernetes secrets (the platform's secrets key). */
    secretsKmsKeyArn: pulumi.Input<string>;
    /** Control-plane log group: KMS key of the logs key and retention in days. */
    logs: { kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** The managed node group. */
    nodes: {
        /** EC2 instance types, e.g. `["t3.medium"]`. */
        instanceTypes: string[];
        minSize: number;
        desiredSize: number;
        maxSize: number;
        /** Root volume size in GiB, 20-1000. Default 30. */
        diskSizeGib?: number;
    };
    /**
     * Extra administrator role ARNs (besides the one this component creates); entries are named after the role.
     * Default none.
     */
    adminRoleArns?: string[];
    /**
     * Read-only roles (the CI preview role), keyed by a stable name: an access entry with
     * AmazonEKSViewPolicy at cluster scope (read most objects, not Secrets; write nothing). Default none.
     * https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
     */
    viewerRoleArns?: Record<string, pulumi.Input<string>>;
    /** Deletion protection of the cluster. */
    protect: boolean;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

function problemsOf(args: EksClusterArgs): string[] {
    const p: string[] = [];
    const n = args.nodes;
    if (!CLUSTER_NAME.test(args.clusterName))
        p.push(
            "clusterName must be 1-100 letters, digits, - and _, starting with a letter or digit; " +
                `got ${JSON.stringify(args.clusterName)}`,
        );
    if (!/^1\.\d{2}$/.test(args.version))
        p.push(`version must be a Kubernetes minor version such as 1.33; got ${JSON.stringify(args.version)}`);
    if (args.subnetIds.length < 2)
        p.push(
            "subnetIds must hold at least 2 private subnets in different Availability Zones; " +
                `got ${args.subnetIds.length}`,
        );
    if (args.publicEndpointCidrs !== false) {
        if (args.publicEndpointCidrs.length === 0)
            p.push("publicEndpointCidrs must list at least one CIDR, or be false to turn the public endpoint off");
        for (const c of args.publicEndpointCidrs) {
            if (!CIDR.test(c)) p.push(`publicEndpointCidrs: ${JSON.stringify(c)} is not an IPv4 CIDR`);
            else if (c.endsWith("/0")) p.push(`publicEndpointCidrs: ${c} opens the API endpoint to the whole internet`);
        }
    }
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        p.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    if (n.instanceTypes.length === 0) p.push("nodes.instanceTypes must list at least one instance type");
    for (const t of n.instanceTypes)
        if (!INSTANCE_TYPE.test(t)) p.push(`nodes.instanceTypes: ${JSON.stringify(t)} is not an EC2 instance type`);
    if (![n.minSize, n.desiredSize, n.maxSize].every((v) => Number.isInteger(v) && v >= 0) || n.maxSize < 1)
        p.push(
            "nodes sizes must be non-negative integers with maxSize >= 1; " +
                `got ${n.minSize}/${n.desiredSize}/${n.maxSize}`,
        );
    else if (!(n.minSize <= n.desiredSize && n.desiredSize <= n.maxSize))
        p.push(`nodes must satisfy minSize <= desiredSize <= maxSize; got ${n.minSize}/${n.desiredSize}/${n.maxSize}`);
    const disk = n.diskSizeGib ?? 30;
    if (!Number.isInteger(disk) || disk < 20 || disk > 1000)
        p.push(`nodes.diskSizeGib must be an integer from 20 to 1000; got ${disk}`);
    for (const arn of args.adminRoleArns ?? [])
        if (!ROLE_ARN.test(arn)) p.push(`adminRoleArns: ${JSON.stringify(arn)} is not an IAM role ARN`);
    for (const key of Object.keys(args.viewerRoleArns ?? {}))
        if (!/^[a-z][a-z0-9-]{0,30}$/.test(key))
            p.push(`viewerRoleArns: key ${JSON.stringify(key)} must be 1-31 lower-case letters, digits and -`);
    return p;
}

/** Trust policy of a role assumed by an AWS service for this account. */
const assumedBy = (service: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

export class EksCluster extends pulumi.ComponentResource {
    readonly clusterName: string;
    /** The security group EKS creates and attaches to the control plane and to managed nodes (and thus to pods). */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    /**
     * Issuer host and path without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`): the prefix of IRSA
     * condition keys.
     */
    readonly oidcIssuer: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly adminRoleArn: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    /** Provider for every Kubernetes object of this cluster. */
    readonly provider: k8s.Provider;
    /** The node group (Kubernetes objects and EKS add-ons that need nodes depend on it). */
    readonly nodeGroup: aws.eks.NodeGroup;
    /** The CoreDNS managed add-on, created after the node group; the Kubernetes {@link provider} waits for it. */
    readonly coreDnsAddon: aws.eks.Addon;
    private readonly componentName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:EksCluster", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`EksCluster ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.tags = args.tags;
        this.clusterName = args.clusterName;

        const cluster = this.controlPlane(name, args);
        const nodes = this.nodes(name, args, cluster);
        this.nodeGroup = nodes.nodeGroup;
        this.coreDnsAddon = this.coreDns(name, args, nodes.nodeGroup);
        const adminRole = this.adminRole(name, args);
        this.accessEntries(name, args, cluster, adminRole);

        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcIssuer = cluster.oidcIssuer;
        this.nodeRoleArn = nodes.nodeRole.arn;
        this.adminRoleArn = adminRole.arn;
        this.kubeconfig = cluster.kubeconfigJson;
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true },
            { parent: this, dependsOn: [this.nodeGroup, this.coreDnsAddon] },
        );
        this.registerOutputs({
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            oidcProviderArn: this.oidcProviderArn,
            nodeRoleArn: this.nodeRoleArn,
            adminRoleArn: this.adminRoleArn,
        });
    }

    /**
     * The control plane: its log group (created first, under the name EKS writes to), its service role and the
     * `eks:index:Cluster` itself (private endpoint, optional public one, envelope encryption, OIDC provider,
     * access entries only, no default node group and no CoreDNS add-on).
     */
    private controlPlane(name: string, args: EksClusterArgs): eks.Cluster {
        const child = { parent: this };
        const tags = args.tags;
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/eks/${args.clusterName}/cluster`,
                retentionInDays: args.logs.retentionInDays,
                kmsKeyId: args.logs.kmsKeyArn,
                tags,
            },
            child,
        );
        const serviceRole = new aws.iam.Role(
            `${name}-service-role`,
            {
                description: `EKS control plane of ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify(assumedBy("eks.amazonaws.com")),
                tags,
            },
            child,
        );
        const serviceRolePolicy = new aws.iam.RolePolicyAttachment(
            `${name}-service-role`,
            {
                role: serviceRole.name,
                policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
            },
            child,
        );

        const publicEndpoint = args.publicEndpointCidrs !== false;
        return new eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.version,
                serviceRole,
                vpcId: args.vpcId,
                privateSubnetIds: args.subnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicEndpoint,
                publicAccessCidrs: publicEndpoint ? [...(args.publicEndpointCidrs as string[])].sort() : undefined,
                encryptionConfigKeyArn: args.secretsKmsKeyArn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                createOidcProvider: true,
                authenticationMode: "API",
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                nodeAssociatePublicIpAddress: false,
                deletionProtection: args.protect,
                upgradePolicy: { supportType: "STANDARD" },
                // No CoreDNS add-on inside the cluster component: a Deployment with no node to run on leaves the
                // add-on DEGRADED until its 20-minute create wait fails (pulumi/pulumi-eks#1819, #1525). The
                // managed add-on is created by `coreDns`, after the node group.
                corednsAddonOptions: { enabled: false },
                tags,
                clusterTags: tags,
            },
            { parent: this, dependsOn: [logGroup, serviceRolePolicy], protect: args.protect },
        );
    }

    /** The managed node group in the private subnets, with its node role and launch template. */
    private nodes(
        name: string,
        args: EksClusterArgs,
        cluster: eks.Cluster,
    ): { nodeRole: aws.iam.Role; nodeGroup: aws.eks.NodeGroup } {
        const child = { parent: this };
        const tags = args.tags;
        const nodeRole = new aws.iam.Role(
            `${name}-node-role`,
            {
                description: `EC2 nodes of ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify(assumedBy("ec2.amazonaws.com")),
                tags,
            },
            child,
        );
        const nodePolicies = NODE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${policy}`,
                    {
                        role: nodeRole.name,
                        policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}`,
                    },
                    child,
                ),
        );
        const launchTemplate = this.nodeLaunchTemplate(name, args);
        const nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: args.clusterName,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.subnetIds,
                amiType: "AL2023_x86_64_STANDARD",
                capacityType: "ON_DEMAND",
                instanceTypes: args.nodes.instanceTypes,
                scalingConfig: {
                    minSize: args.nodes.minSize,
                    desiredSize: args.nodes.desiredSize,
                    maxSize: args.nodes.maxSize,
                },
                updateConfig: { maxUnavailable: 1 },
                launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
                labels: { "platform/node-group": "general" },
                tags,
            },
            { parent: this, dependsOn: [cluster, ...nodePolicies] },
        );
        return { nodeRole, nodeGroup };
    }

    /** The nodes' launch template: IMDSv2 only with a hop limit of 1, an encrypted gp3 root volume, monitoring. */
    private nodeLaunchTemplate(name: string, args: EksClusterArgs): aws.ec2.LaunchTemplate {
        const tags = args.tags;
        return new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                description: `Nodes of ${args.clusterName}: IMDSv2 only, hop limit 1, encrypted gp3 root volume`,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: args.nodes.diskSizeGib ?? 30,
                            volumeType: "gp3",
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                monitoring: { enabled: true },
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags: { ...tags, Name: `${args.clusterName}-node` },
                })),
                updateDefaultVersion: true,
                tags,
            },
            { parent: this },
        );
    }

    /** The CoreDNS managed add-on, created after the node group. */
    private coreDns(name: string, args: EksClusterArgs, nodeGroup: aws.eks.NodeGroup): aws.eks.Addon {
        // CoreDNS is a Deployment: it only becomes ACTIVE once nodes can run its pods, so it waits for the node
        // group. OVERWRITE takes over the self-managed CoreDNS EKS installs at cluster creation
        // (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html,
        // https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html). The version is EKS's
        // default for the cluster's Kubernetes version.
        return new aws.eks.Addon(
            `${name}-coredns`,
            {
                clusterName: args.clusterName,
                addonName: "coredns",
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                tags: args.tags,
            },
            { parent: this, dependsOn: [nodeGroup] },
        );
    }

    /** The administrator role: assumable by principals of this account signed in with MFA; may describe the cluster. */
    private adminRole(name: string, args: EksClusterArgs): aws.iam.Role {
        const child = { parent: this };
        const { partition, region, accountId, clusterName } = args;
        const clusterArn = pulumi.interpolate`arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`;
        const adminRole = new aws.iam.Role(
            `${name}-admin`,
            {
                description: `Administrators of the EKS cluster ${args.clusterName} (assume with MFA)`,
                maxSessionDuration: 3600,
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root` },
                            Action: "sts:AssumeRole",
                            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
                        },
                    ],
                }),
                tags: args.tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-admin`,
            {
                role: adminRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DescribeTheCluster",
                            Effect: "Allow",
                            Action: ["eks:DescribeCluster", "eks:ListClusters"],
                            Resource: clusterArn,
                        },
                    ],
                }),
            },
            child,
        );
        return adminRole;
    }

    /**
     * An access entry and a cluster-scope access policy association for every administrator role
     * (AmazonEKSClusterAdminPolicy: ours, then the caller's, named after the role) and every read-only role
     * (AmazonEKSViewPolicy, `viewer-<key>`).
     */
    private accessEntries(name: string, args: EksClusterArgs, cluster: eks.Cluster, adminRole: aws.iam.Role): void {
        const admins: [string, pulumi.Input<string>][] = [
            ["admin", adminRole.arn],
            ...[...(args.adminRoleArns ?? [])].sort().map((arn): [string, string] => [
                `admin-${arn
                    .split("/")
                    .pop()!
                    .toLowerCase()
                    .replace(/[^a-z0-9-]/g, "-")}`,
                arn,
            ]),
        ];
        const viewers = Object.entries(args.viewerRoleArns ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, arn]): [string, pulumi.Input<string>, string] => [`viewer-${key}`, arn, CLUSTER_VIEW_POLICY]);
        for (const [key, principalArn, policyArn] of [
            ...admins.map(([k, arn]): [string, pulumi.Input<string>, string] => [k, arn, CLUSTER_ADMIN_POLICY]),
            ...viewers,
        ]) {
            const entry = new aws.eks.AccessEntry(
                `${name}-${key}`,
                { clusterName: args.clusterName, principalArn, type: "STANDARD", tags: args.tags },
                { parent: this, dependsOn: [cluster] },
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-${key}`,
                {
                    clusterName: args.clusterName,
                    principalArn: entry.principalArn,
                    policyArn,
                    accessScope: { type: "cluster" },
                },
                { parent: this },
            );
        }
    }

    /**
     * An IAM role for one Kubernetes service account (IRSA, role `<name>-irsa-<key>`): trusted by the
     * cluster's OIDC provider only for `system:serviceaccount:<namespace>:<serviceAccount>` with audience
     * `sts.amazonaws.com`, allowed exactly `statements` (none: no inline policy) and the AWS managed policies in
     * `managedPolicies` (attachment `<name>-irsa-<key>-<policy key>`).
     */
    serviceAccountRole(
        key: string,
        spec: {
            namespace: string;
            serviceAccount: string;
            statements?: IamStatement[];
            managedPolicies?: Record<string, pulumi.Input<string>>;
        },
    ): aws.iam.Role {
        const k8sName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
        if (!k8sName.test(spec.namespace) || !k8sName.test(spec.serviceAccount))
            throw new Error(
                `EksCluster ${this.componentName}: serviceAccountRole ${key} needs Kubernetes names ` +
                    `(lower-case letters, digits, -); got ${spec.namespace}/${spec.serviceAccount}`,
            );
        const subject = `system:serviceaccount:${spec.namespace}:${spec.serviceAccount}`;
        const role = new aws.iam.Role(
            `${this.componentName}-irsa-${key}`,
            {
                description: `IRSA: ${spec.namespace}/${spec.serviceAccount} on ${this.clusterName}`,
                assumeRolePolicy: pulumi.all([this.oidcProviderArn, this.oidcIssuer]).apply(([providerArn, issuer]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Federated: providerArn },
                                Action: "sts:AssumeRoleWithWebIdentity",
                                Condition: {
                                    StringEquals: {
                                        [`${issuer}:sub`]: subject,
                                        [`${issuer}:aud`]: "sts.amazonaws.com",
                                    },
                                },
                            },
                        ],
                    }),
                ),
                tags: this.tags,
            },
            { parent: this },
        );
        if ((spec.statements ?? []).length > 0) {
            new aws.iam.RolePolicy(
                `${this.componentName}-irsa-${key}`,
                { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: spec.statements }) },
                { parent: this },
            );
        }
        for (const [policyKey, policyArn] of Object.entries(spec.managedPolicies ?? {}).sort(([a], [b]) =>
            a.localeCompare(b),
        )) {
            new aws.iam.RolePolicyAttachment(
                `${this.componentName}-irsa-${key}-${policyKey}`,
                { role: role.name, policyArn },
                { parent: this },
            );
        }
        return role;
    }
}
