/**
 * postech's Kubernetes cluster: EKS (`@pulumi/eks`) in the private subnets with its node group, access entries and
 * IRSA; the application and monitoring namespaces; the EBS CSI driver add-on with an encrypted gp3 StorageClass;
 * and the cluster add-ons the workloads need (AWS Load Balancer Controller, metrics-server), Helm charts pinned.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../../infra/kubernetes/eks-cluster";
import { pinnedRelease } from "../../infra/kubernetes/helm-release";
import { physicalName } from "../../infra/shared/naming";
import { CHARTS, derive, NAME, NAMESPACES, PostechStep, STORAGE_CLASS } from "./settings";

/** What the steps after the cluster use. */
export interface Cluster {
    cluster: EksCluster;
    /** The EKS cluster's name (physical). */
    clusterName: string;
    /** Options of every Kubernetes object: the architecture as parent, the cluster's provider. */
    k8sOpts: { parent: pulumi.Resource; provider: k8s.Provider };
    /** Labels of every Kubernetes object this architecture creates. */
    labels: Record<string, string>;
}

/** The EKS cluster, its managed node group and access entries (admins, viewers by role name). */
export function eksCluster(step: PostechStep): Cluster {
    const { name, config, settings: s, foundation, tags, scope, child } = step;
    const { keys, protect, logs } = derive(step);
    const account = foundation.account;
    const clusterName = physicalName(scope, "eks", 100);
    const cluster = new EksCluster(
        `${name}-eks`,
        {
            clusterName,
            version: s.eks.version,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.private,
            // Never false: the deploy path reaches the API server through the public endpoint, open only to these
            // CIDRs.
            publicEndpointCidrs: s.eks.publicEndpointCidrs,
            secretsKmsKeyArn: keys.secrets,
            logs,
            nodes: {
                instanceTypes: s.eks.instanceTypes,
                minSize: s.eks.minNodes,
                desiredSize: s.eks.desiredNodes,
                maxSize: s.eks.maxNodes,
                diskSizeGib: s.eks.nodeDiskGib,
            },
            adminRoleArns: s.eks.adminRoleArns,
            viewerRoleArns: Object.fromEntries(
                s.eks.viewerRoleNames.map((role) => [
                    role
                        .toLowerCase()
                        .replace(/[^a-z0-9-]/g, "-")
                        .slice(0, 31),
                    pulumi.interpolate`arn:${foundation.partition}:iam::${account.accountId}:role/${role}`,
                ]),
            ),
            protect,
            ...account,
            tags,
        },
        child,
    );
    const labels = { "app.kubernetes.io/part-of": NAME, "platform/environment": config.environment };
    return { cluster, clusterName, k8sOpts: { ...child, provider: cluster.provider }, labels };
}

/** The namespaces of the application (Pod Security `restricted`) and of monitoring. */
export function namespaces(
    step: PostechStep,
    k: Cluster,
): { app: k8s.core.v1.Namespace; monitoring: k8s.core.v1.Namespace } {
    const app = new k8s.core.v1.Namespace(
        `${step.name}-ns-app`,
        {
            metadata: {
                name: NAMESPACES.app,
                labels: {
                    ...k.labels,
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
        },
        k.k8sOpts,
    );
    // node-exporter needs the host's network and PID namespaces: privileged, warned against anything beyond
    // baseline.
    const monitoring = new k8s.core.v1.Namespace(
        `${step.name}-ns-monitoring`,
        {
            metadata: {
                name: NAMESPACES.monitoring,
                labels: {
                    ...k.labels,
                    "pod-security.kubernetes.io/enforce": "privileged",
                    "pod-security.kubernetes.io/warn": "baseline",
                },
            },
        },
        k.k8sOpts,
    );
    return { app, monitoring };
}

/** EBS CSI driver (EKS add-on) and an encrypted gp3 StorageClass with the data key. */
export function storage(step: PostechStep, k: Cluster): k8s.storage.v1.StorageClass {
    const { name, config, foundation, tags, child } = step;
    const { keys, protect } = derive(step);
    const partition = foundation.partition;
    const ebsCsiRole = k.cluster.serviceAccountRole("ebs-csi", {
        namespace: NAMESPACES.system,
        serviceAccount: "ebs-csi-controller-sa",
        managedPolicies: {
            driver: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
        },
        statements: [
            {
                Sid: "UseTheDataKeyForVolumes",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: keys.data,
                Condition: { StringEquals: { "kms:ViaService": `ec2.${config.region}.amazonaws.com` } },
            },
            {
                Sid: "GrantTheDataKeyToEbs",
                Effect: "Allow",
                Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                Resource: keys.data,
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    });
    const ebsCsi = new aws.eks.Addon(
        `${name}-ebs-csi`,
        {
            clusterName: k.clusterName,
            addonName: "aws-ebs-csi-driver",
            serviceAccountRoleArn: ebsCsiRole.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags,
        },
        { ...child, dependsOn: [k.cluster.nodeGroup] },
    );
    return new k8s.storage.v1.StorageClass(
        `${name}-gp3`,
        {
            metadata: { name: STORAGE_CLASS, labels: k.labels },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: keys.data },
            reclaimPolicy: protect ? "Retain" : "Delete",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        },
        { ...k.k8sOpts, dependsOn: [ebsCsi] },
    );
}

/** What the workloads wait for: the cluster add-ons they need. */
export interface Addons {
    loadBalancerController: k8s.helm.v3.Release;
    metricsServer: k8s.helm.v3.Release;
}

/**
 * The AWS Load Balancer Controller (only TargetGroupBindings: it registers the pods in the NLB's target group) and
 * metrics-server (the HPA's metrics), Helm charts pinned in {@link CHARTS}.
 */
export function clusterAddons(step: PostechStep, k: Cluster, apiTargetGroupArn: pulumi.Input<string>): Addons {
    const system = NAMESPACES.system;
    const lbcRole = k.cluster.serviceAccountRole("lb-controller", {
        namespace: system,
        serviceAccount: "aws-load-balancer-controller",
        statements: [
            {
                Sid: "DescribeForTargetGroupBinding",
                Effect: "Allow",
                Action: [
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeTags",
                ],
                Resource: "*",
            },
            {
                Sid: "RegisterPodsInItsTargetGroup",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: apiTargetGroupArn,
            },
        ],
    });
    const loadBalancerController = pinnedRelease(
        `${step.name}-lb-controller`,
        {
            ...CHARTS.loadBalancerController,
            releaseName: "aws-load-balancer-controller",
            namespace: system,
            values: {
                clusterName: k.clusterName,
                region: step.config.region,
                vpcId: step.foundation.network.vpcId,
                replicaCount: 2,
                serviceAccount: {
                    create: true,
                    name: "aws-load-balancer-controller",
                    annotations: { "eks.amazonaws.com/role-arn": lbcRole.arn },
                },
                // Only TargetGroupBindings: no Service of type LoadBalancer or Ingress is ever turned into a load
                // balancer.
                enableServiceMutatorWebhook: false,
                createIngressClassResource: false,
            },
        },
        k.k8sOpts,
    );
    const metricsServer = pinnedRelease(
        `${step.name}-metrics-server`,
        { ...CHARTS.metricsServer, releaseName: "metrics-server", namespace: system, values: { replicas: 2 } },
        k.k8sOpts,
    );
    return { loadBalancerController, metricsServer };
}
