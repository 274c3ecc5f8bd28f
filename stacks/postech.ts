/**
 * postech (seed 003): customers sign in with their CPF, and a FastAPI application on Amazon EKS serves
 * everything else behind API Gateway. See docs/postech.md for the picture and the auth flow.
 *
 * - Edge: API Gateway REST API (regional) with AWS WAF, stage and per-client (usage plan) throttling.
 *   `POST /auth` -> the `cpf-auth` Lambda (public by design, listed in the policy pack's publicRoutes);
 *   every other route -> the `jwt-authorizer` Lambda (TOKEN authorizer) -> VPC link -> internal NLB ->
 *   the FastAPI pods (registered by IP through the AWS Load Balancer Controller's TargetGroupBinding).
 * - Identity: Cognito user pool whose username is the CPF, no password, custom-auth triggers
 *   (define, create, verify) proving that tokens are issued only through `POST /auth`; one public app
 *   client allowed only ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH; the HMAC challenge secret in
 *   Secrets Manager.
 * - Kubernetes: EKS (`@pulumi/eks`) in the private subnets, private endpoint, secrets encrypted with
 *   KMS, every control-plane log, OIDC provider (IRSA), a managed node group, access entries; the
 *   FastAPI Deployment/Service/HPA/PDB, and Helm releases pinned to exact chart versions: AWS Load
 *   Balancer Controller, metrics-server, kube-prometheus-stack (Prometheus, Grafana, Alertmanager),
 *   AWS for Fluent Bit (container logs to CloudWatch Logs), the OpenTelemetry Collector (traces to
 *   X-Ray); the EBS CSI driver add-on and an encrypted gp3 StorageClass for Prometheus's volume.
 * - Data: RDS PostgreSQL (isolated subnets, TLS only, master password kept by RDS in Secrets Manager)
 *   that only the pods' security group reaches; the pods read only that secret, through IRSA.
 * - ECR repository for the FastAPI image (pushed by the application's CI).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { bundleLambda, LAMBDAS, LambdaName } from "../apps/lambdas/build";
import type { IamStatement } from "../infra/compute/fargate-service";
import { EcrRepository } from "../infra/compute/ecr-repository";
import { got, integerIn, logRetentionDays, textMatching } from "../infra/config/schema-helpers";
import { Cidr, overlaps, parseCidr } from "../infra/network/cidr";
import { RelationalDatabase } from "../infra/data/relational-database";
import { LoadBalancer } from "../infra/edge/load-balancer";
import { WebAcl } from "../infra/edge/web-acl";
import { UserPool } from "../infra/identity/user-pool";
import { EksCluster } from "../infra/kubernetes/eks-cluster";
import { pinnedRelease, PinnedChart } from "../infra/kubernetes/helm-release";
import { WebService } from "../infra/kubernetes/web-service";
import { JsonSecret } from "../infra/security/json-secret";
import { LambdaFunction } from "../infra/serverless/lambda-function";
import { RestApi } from "../infra/serverless/rest-api";
import { logGroupName, physicalName } from "../infra/shared/naming";
import { ArchitectureContext, ArchitectureModule } from "./architecture";

export const NAME = "postech";
/** Workloads in `platform:releases`: the FastAPI image tag (pushed by its CI) and the version label of the Lambda bundles built here. */
export const WORKLOADS = { api: "postech-api", lambdas: "postech-lambdas" } as const;

/** Kubernetes namespaces. */
export const NAMESPACES = { app: "postech", monitoring: "monitoring", system: "kube-system" } as const;
/** The FastAPI container's port, probe and metrics paths, and UID (the image's unprivileged user). */
export const APP = {
    name: "fastapi",
    port: 8000,
    health: "/health",
    ready: "/ready",
    metrics: "/metrics",
    uid: 10001,
} as const;
/** Port of the internal NLB's listener (API Gateway VPC link -> NLB). */
export const NLB_PORT = 80;
/** Name of the encrypted gp3 StorageClass (Prometheus's volume). */
export const STORAGE_CLASS = "gp3-encrypted";

/**
 * Helm charts, pinned. Bump a version here deliberately (and read the chart's upgrade notes); nothing
 * floats. Sources: the charts' own repositories.
 */
export const CHARTS = {
    loadBalancerController: {
        chart: "aws-load-balancer-controller",
        version: "1.17.1",
        repo: "https://aws.github.io/eks-charts",
    },
    metricsServer: {
        chart: "metrics-server",
        version: "3.13.0",
        repo: "https://kubernetes-sigs.github.io/metrics-server",
    },
    prometheusStack: {
        chart: "kube-prometheus-stack",
        version: "80.7.0",
        repo: "https://prometheus-community.github.io/helm-charts",
    },
    fluentBit: { chart: "aws-for-fluent-bit", version: "0.2.0", repo: "https://aws.github.io/eks-charts" },
    otelCollector: {
        chart: "opentelemetry-collector",
        version: "0.158.3",
        repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    },
} as const satisfies Record<string, PinnedChart>;

/** The Lambda functions of this architecture, by role. */
export const FUNCTIONS = {
    auth: "cpf-auth",
    authorizer: "jwt-authorizer",
    define: "define-auth-challenge",
    create: "create-auth-challenge",
    verify: "verify-auth-challenge",
} as const satisfies Record<string, LambdaName>;

/** Body `POST /auth` accepts (API Gateway rejects anything else with 400 before the Lambda runs). */
export const AUTH_BODY_SCHEMA = {
    title: "CpfSignIn",
    type: "object",
    required: ["cpf"],
    additionalProperties: false,
    properties: {
        cpf: { type: "string", minLength: 11, maxLength: 14, pattern: "^[0-9]{3}\\.?[0-9]{3}\\.?[0-9]{3}-?[0-9]{2}$" },
    },
} as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:postech
// ------------------------------------------------------------------------------------------------

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/;
/** An SES identity ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html#amazonses-resources-for-iam-policies). */
const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:identity\/[^\s]+$/;
/** Documentation address blocks (RFC 5737): examples that no runner ever sends from. */
export const DOCUMENTATION_CIDRS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;

/**
 * What each environment demands of `platform:postech` beyond the schema (the one table of environment
 * differences; ARCHITECTURES.md): `runnerCidrs` — the public endpoint's CIDRs must not overlap a
 * documentation range (an example left in place would lock the deploy out of the cluster);
 * `sesEmail` — Cognito must send through SES, since its own sender's daily quota is below production
 * volume ("For typical production environments, the default email limit is below the required delivery
 * volume": https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html).
 */
export const ENVIRONMENT_RULES: Record<string, { runnerCidrs: "any" | "real"; sesEmail: boolean }> = {
    dev: { runnerCidrs: "any", sesEmail: false },
    staging: { runnerCidrs: "real", sesEmail: false },
    prod: { runnerCidrs: "real", sesEmail: true },
};
const QUANTITY = (what: string) =>
    textMatching(/^[0-9]+(\.[0-9]+)?(m|Mi|Gi)?$/, `a Kubernetes quantity for ${what} such as 250m or 512Mi`);

export const settingsSchema = z.strictObject({
    /** Retention of this architecture's log groups; default the stack's platform:logRetentionDays. */
    logRetentionDays: logRetentionDays().optional(),
    api: z
        .strictObject({
            stageName: textMatching(/^[A-Za-z0-9_-]{1,64}$/, "a stage name (letters, digits, - and _)").default("v1"),
            rateLimit: integerIn(1, 10000, "steady-state requests per second for the whole stage").default(50),
            burstLimit: integerIn(1, 5000, "the stage's burst in requests").default(100),
            /** One API key per client application; every request carries one (x-api-key). */
            clients: z
                .array(textMatching(/^[a-z][a-z0-9-]{0,30}$/, "a client name (lower-case letters, digits and -)"), {
                    error: (i) => `must be a list of client application names; ${got(i.input)}`,
                })
                .min(1, { error: "must name at least one client application" })
                .refine((c) => new Set(c).size === c.length, { error: "lists a client more than once" })
                .default(["app"]),
            clientRateLimit: integerIn(1, 10000, "steady-state requests per second per client").default(20),
            clientBurstLimit: integerIn(1, 5000, "burst per client").default(40),
            clientDailyQuota: integerIn(1, 100_000_000, "requests per client per day").default(100_000),
            authorizerCacheSeconds: integerIn(
                0,
                3600,
                "seconds API Gateway caches the authorizer's answer per token",
            ).default(300),
        })
        .prefault({}),
    waf: z
        .strictObject({ rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(1000) })
        .prefault({}),
    cognito: z
        .strictObject({
            advancedSecurity: z
                .enum(["OFF", "AUDIT", "ENFORCED"], {
                    error: (i) =>
                        `must be OFF, AUDIT or ENFORCED (threat protection; anything but OFF needs the Plus plan); ${got(i.input)}`,
                })
                .default("OFF"),
            tokenValidityMinutes: integerIn(5, 1440, "minutes the access and id tokens are valid").default(60),
            refreshTokenValidityDays: integerIn(1, 3650, "days the refresh token is valid").default(30),
            /** Cognito sends e-mail through this verified SES identity (`DEVELOPER`); required in prod. Default Cognito's own sender. */
            email: z
                .strictObject({
                    sesIdentityArn: textMatching(
                        SES_IDENTITY_ARN,
                        "the ARN of a verified SES identity such as arn:aws:ses:sa-east-1:111122223333:identity/example.com",
                    ),
                    fromAddress: textMatching(
                        /^([^<>"]{1,64} <)?[^@\s<>]+@[^@\s<>]+(>)?$/,
                        'a sender such as "Postech <no-reply@example.com>" at the identity\'s domain',
                    ).optional(),
                })
                .optional(),
        })
        .prefault({}),
    eks: z
        .strictObject({
            version: textMatching(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33").default("1.33"),
            /**
             * Required: the fixed egress addresses of the deploy runners (and operators), the only sources the
             * public API endpoint admits. The deploy path (`pulumi up` in CI) reaches the Kubernetes API through
             * it from the first run; no /0, and in prod no documentation range (see {@link stackProblems}).
             */
            publicEndpointCidrs: z
                .array(textMatching(CIDR, "an IPv4 CIDR such as 198.51.100.7/32"), {
                    error: (i) =>
                        `required: the deploy runners' fixed egress CIDRs, the only sources the public API endpoint admits (docs/delivery.md); ${got(i.input)}`,
                })
                .min(1, { error: "must list the deploy runners' fixed egress CIDRs (at least one)" })
                .refine((c) => !c.some((x) => x.endsWith("/0")), {
                    error: "must not hold a /0: the API endpoint would be open to the whole internet",
                }),
            adminRoleArns: z
                .array(textMatching(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN"), {
                    error: (i) => `must be a list of IAM role ARNs; ${got(i.input)}`,
                })
                .default([]),
            /** Roles of this account that may read the cluster (AmazonEKSViewPolicy), by name: the CI preview role, so pull-request previews diff against the live objects. */
            viewerRoleNames: z
                .array(textMatching(/^[\w+=,.@-]{1,64}$/, "an IAM role name such as pulumi-ci-dev-preview"), {
                    error: (i) => `must be a list of IAM role names; ${got(i.input)}`,
                })
                .default([]),
            instanceTypes: z
                .array(textMatching(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as t3.medium"))
                .min(1, { error: "must list at least one instance type" })
                .default(["t3.medium"]),
            minNodes: integerIn(1, 100, "the fewest nodes").default(2),
            desiredNodes: integerIn(1, 100, "the nodes to start with").default(2),
            maxNodes: integerIn(1, 100, "the most nodes").default(4),
            nodeDiskGib: integerIn(20, 1000, "GiB of each node's root volume").default(30),
        })
        // An absent `eks` parses as `{}`, so the missing publicEndpointCidrs is reported by its own key.
        .prefault({} as { publicEndpointCidrs: string[] })
        .superRefine((e, ctx) => {
            if (e.desiredNodes < e.minNodes)
                ctx.addIssue({
                    code: "custom",
                    path: ["desiredNodes"],
                    message: `must be at least minNodes (${e.minNodes}); got ${e.desiredNodes}`,
                });
            if (e.maxNodes < e.desiredNodes)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxNodes"],
                    message: `must be at least desiredNodes (${e.desiredNodes}); got ${e.maxNodes}`,
                });
        }),
    app: z
        .strictObject({
            minReplicas: integerIn(2, 100, "the fewest FastAPI pods; at least 2 so they span two zones").default(2),
            maxReplicas: integerIn(2, 100, "the most FastAPI pods").default(6),
            cpuTargetPercent: integerIn(
                10,
                95,
                "the CPU utilisation (percent of the request) the autoscaler holds",
            ).default(70),
            cpuRequest: QUANTITY("CPU").default("250m"),
            cpuLimit: QUANTITY("CPU").default("1"),
            memoryRequest: QUANTITY("memory").default("256Mi"),
            memoryLimit: QUANTITY("memory").default("512Mi"),
        })
        .prefault({})
        .superRefine((a, ctx) => {
            if (a.maxReplicas < a.minReplicas)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxReplicas"],
                    message: `must be at least minReplicas (${a.minReplicas}); got ${a.maxReplicas}`,
                });
        }),
    database: z
        .strictObject({
            instanceClass: textMatching(
                /^db\.[a-z0-9]+\.[a-z0-9]+$/,
                "an RDS instance class such as db.t4g.micro",
            ).default("db.t4g.micro"),
            allocatedStorageGb: integerIn(20, 65536, "GB of storage").default(20),
            maxAllocatedStorageGb: integerIn(20, 65536, "GB storage autoscaling may grow to").default(100),
            multiAz: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }).default(false),
            backupRetentionDays: integerIn(1, 35, "days of automated backups").default(7),
        })
        .prefault({}),
    monitoring: z
        .strictObject({
            prometheusRetentionDays: integerIn(1, 90, "days Prometheus keeps metrics").default(7),
            prometheusStorageGib: integerIn(5, 1000, "GiB of Prometheus's encrypted volume").default(20),
        })
        .prefault({}),
});

export type PostechSettings = z.infer<typeof settingsSchema>;

/**
 * The checks of `platform:postech` that depend on the stack ({@link ENVIRONMENT_RULES}): where the
 * environment says so, no documentation range in `eks.publicEndpointCidrs` and an SES identity for
 * Cognito's e-mail; and that identity in the stack's region (Cognito sends through SES in its own region).
 */
export function stackProblems(
    s: PostechSettings,
    stack: { environment: string; region: string },
): { path: string; message: string }[] {
    const rules = ENVIRONMENT_RULES[stack.environment] ?? ENVIRONMENT_RULES.prod;
    const problems: { path: string; message: string }[] = [];
    s.eks.publicEndpointCidrs.forEach((text, i) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") problems.push({ path: `eks.publicEndpointCidrs[${i}]`, message: cidr });
        if (rules.runnerCidrs === "real" && typeof cidr !== "string") {
            const example = DOCUMENTATION_CIDRS.find((d) => overlaps(cidr, parseCidr(d) as Cidr));
            if (example)
                problems.push({
                    path: `eks.publicEndpointCidrs[${i}]`,
                    message: `${text} is in the documentation range ${example} (RFC 5737), not a runner's address; in ${stack.environment} set the deploy runners' fixed egress CIDRs (docs/delivery.md)`,
                });
        }
    });
    const email = s.cognito.email;
    if (rules.sesEmail && email === undefined)
        problems.push({
            path: "cognito.email",
            message: `required in ${stack.environment}: Cognito's own e-mail sender has a daily quota below production volume; set sesIdentityArn to a verified SES identity in ${stack.region} (docs/postech.md)`,
        });
    const region = email?.sesIdentityArn.split(":")[3];
    if (email && region !== stack.region)
        problems.push({
            path: "cognito.email.sesIdentityArn",
            message: `must be an SES identity in the stack's region ${stack.region}; got one in ${region}`,
        });
    return problems;
}

// ------------------------------------------------------------------------------------------------
// The architecture
// ------------------------------------------------------------------------------------------------

export class Postech extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<PostechSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Postech", name, {}, opts);
        const { config, settings: s, foundation, tags, scope } = ctx;
        const child = { parent: this };
        const account = foundation.account;
        const network = foundation.network;
        const keys = foundation.keys.keyArns;
        const protect = config.profile.protect;
        const retention = s.logRetentionDays ?? config.profile.logRetentionDays;
        const logs = { kmsKeyArn: keys.logs, retentionInDays: retention };
        const decryptThrough = (service: string): IamStatement => ({
            Sid: `DecryptThrough${service.replace(/[^A-Za-z]/g, "")}`,
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keys.secrets,
            Condition: { StringEquals: { "kms:ViaService": `${service}.${config.region}.amazonaws.com` } },
        });

        // ------------------------------------------------------------ images and data
        const apiRepo = new EcrRepository(
            `${name}-api-repo`,
            { repositoryName: physicalName(scope, "api", 256), kmsKeyArn: keys.data, protect, tags },
            child,
        );
        // The FastAPI image is pushed by the application's CI into this repository: while the release is
        // `unreleased` the Deployment is not created (the run prints the push commands); a tag or digest is
        // looked up in ECR first, so a release never pushed fails the preview by name (docs/first-deploy.md).
        const apiImage = apiRepo.releaseImage(WORKLOADS.api, config.releases[WORKLOADS.api]);

        const db = new RelationalDatabase(
            `${name}-db`,
            {
                engine: "postgres",
                identifier: physicalName(scope, "db", 63),
                instanceClass: s.database.instanceClass,
                allocatedStorageGb: s.database.allocatedStorageGb,
                maxAllocatedStorageGb: s.database.maxAllocatedStorageGb,
                databaseName: "postech",
                ...account,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.isolated,
                dataKmsKeyArn: keys.data,
                secretsKmsKeyArn: keys.secrets,
                logs,
                multiAz: s.database.multiAz,
                backupRetentionDays: s.database.backupRetentionDays,
                protect,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ EKS
        const clusterName = physicalName(scope, "eks", 100);
        const cluster = new EksCluster(
            `${name}-eks`,
            {
                clusterName,
                version: s.eks.version,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.private,
                // Never false: the deploy path reaches the API server through the public endpoint, open only to these CIDRs.
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
        const provider = cluster.provider;
        const k8sOpts = { parent: this, provider };
        const platformLabels = { "app.kubernetes.io/part-of": NAME, "platform/environment": config.environment };

        const appNamespace = new k8s.core.v1.Namespace(
            `${name}-ns-app`,
            {
                metadata: {
                    name: NAMESPACES.app,
                    labels: {
                        ...platformLabels,
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                },
            },
            k8sOpts,
        );
        // node-exporter needs the host's network and PID namespaces: privileged, warned against anything beyond baseline.
        const monitoringNamespace = new k8s.core.v1.Namespace(
            `${name}-ns-monitoring`,
            {
                metadata: {
                    name: NAMESPACES.monitoring,
                    labels: {
                        ...platformLabels,
                        "pod-security.kubernetes.io/enforce": "privileged",
                        "pod-security.kubernetes.io/warn": "baseline",
                    },
                },
            },
            k8sOpts,
        );

        // EBS CSI driver (EKS add-on) and an encrypted gp3 StorageClass with the data key.
        const ebsCsiRole = cluster.serviceAccountRole("ebs-csi", {
            namespace: NAMESPACES.system,
            serviceAccount: "ebs-csi-controller-sa",
            managedPolicies: {
                driver: pulumi.interpolate`arn:${foundation.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
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
                clusterName,
                addonName: "aws-ebs-csi-driver",
                serviceAccountRoleArn: ebsCsiRole.arn,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                tags,
            },
            { parent: this, dependsOn: [cluster.nodeGroup] },
        );
        const storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3`,
            {
                metadata: { name: STORAGE_CLASS, labels: platformLabels },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", encrypted: "true", kmsKeyId: keys.data },
                reclaimPolicy: protect ? "Retain" : "Delete",
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
            },
            { ...k8sOpts, dependsOn: [ebsCsi] },
        );

        // ------------------------------------------------------------ edge: internal NLB -> pods
        const nlb = new LoadBalancer(
            `${name}-nlb`,
            {
                type: "network",
                internal: true,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.private,
                // API Gateway's VPC link reaches the NLB over PrivateLink, from the NLB's own addresses in the VPC.
                ingress: {
                    "vpc-link": {
                        port: NLB_PORT,
                        cidrIpv4: network.vpcCidr,
                        // No apostrophe: EC2 refuses it in rule descriptions (aws-value-constraints).
                        description:
                            "API Gateway VPC link (PrivateLink traffic arrives from the NLB addresses in the VPC)",
                    },
                },
                targetGroups: {
                    api: {
                        port: APP.port,
                        protocol: "TCP",
                        healthCheck: {
                            protocol: "HTTP",
                            path: APP.ready,
                            matcher: "200",
                            intervalSeconds: 10,
                            timeoutSeconds: 5,
                            healthyThreshold: 3,
                            unhealthyThreshold: 3,
                        },
                        deregistrationDelaySeconds: 30,
                        preserveClientIp: false,
                    },
                },
                listeners: {
                    http: { port: NLB_PORT, protocol: "TCP", action: { type: "forward", targetGroup: "api" } },
                },
                // TCP only (no certificate: postech has no domain), so no access logs: ELB writes NLB access logs
                // only for TLS listeners. Every request is in the API's access log; the flow logs see this hop.
                // PrivateLink traffic from the VPC link is judged by API Gateway's own address, outside the VPC:
                // AWS's guide for VPC link NLBs turns that check off (see LoadBalancerArgs).
                enforceInboundRulesOnPrivateLinkTraffic: false,
                protect,
                alarmTopicArn: foundation.alarmTopic.topicArn,
                tags,
            },
            child,
        );
        nlb.allowEgressTo("pods", {
            port: APP.port,
            destinationSecurityGroupId: cluster.clusterSecurityGroupId,
            description: "FastAPI pods (and their health checks)",
        });
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-pods-from-nlb`,
            {
                securityGroupId: cluster.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: APP.port,
                toPort: APP.port,
                referencedSecurityGroupId: nlb.securityGroupId,
                description: "FastAPI pods from the internal NLB only",
                tags,
            },
            child,
        );
        db.allowFrom("pods", cluster.clusterSecurityGroupId, "PostgreSQL from the EKS pods (cluster security group)");

        // ------------------------------------------------------------ cluster add-ons (Helm, pinned)
        const system = NAMESPACES.system;
        const lbcRole = cluster.serviceAccountRole("lb-controller", {
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
                    Resource: nlb.targetGroupArns.api,
                },
            ],
        });
        const lbc = pinnedRelease(
            `${name}-lb-controller`,
            {
                ...CHARTS.loadBalancerController,
                releaseName: "aws-load-balancer-controller",
                namespace: system,
                values: {
                    clusterName,
                    region: config.region,
                    vpcId: network.vpcId,
                    replicaCount: 2,
                    serviceAccount: {
                        create: true,
                        name: "aws-load-balancer-controller",
                        annotations: { "eks.amazonaws.com/role-arn": lbcRole.arn },
                    },
                    // Only TargetGroupBindings: no Service of type LoadBalancer or Ingress is ever turned into a load balancer.
                    enableServiceMutatorWebhook: false,
                    createIngressClassResource: false,
                },
            },
            k8sOpts,
        );
        const metricsServer = pinnedRelease(
            `${name}-metrics-server`,
            { ...CHARTS.metricsServer, releaseName: "metrics-server", namespace: system, values: { replicas: 2 } },
            k8sOpts,
        );

        // Grafana's admin password: random, kept in Secrets Manager for operators and in a Kubernetes Secret for Grafana.
        const grafanaPassword = new random.RandomPassword(
            `${name}-grafana-admin`,
            { length: 32, special: false },
            child,
        );
        const grafanaSecret = new JsonSecret(
            `${name}-grafana-admin`,
            {
                description: `${NAME}: Grafana admin credentials (kubectl -n ${NAMESPACES.monitoring} port-forward svc/kube-prometheus-stack-grafana 3000:80)`,
                kmsKeyArn: keys.secrets,
                values: { username: "admin", password: grafanaPassword.result },
                recoveryWindowInDays: protect ? 30 : 7,
                tags,
            },
            child,
        );
        const grafanaK8sSecret = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: {
                    name: "grafana-admin",
                    namespace: monitoringNamespace.metadata.name,
                    labels: platformLabels,
                },
                type: "Opaque",
                stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result },
            },
            k8sOpts,
        );
        const prometheusStack = pinnedRelease(
            `${name}-prometheus-stack`,
            {
                ...CHARTS.prometheusStack,
                releaseName: "kube-prometheus-stack",
                namespace: monitoringNamespace.metadata.name,
                values: {
                    grafana: {
                        admin: {
                            existingSecret: "grafana-admin",
                            userKey: "admin-user",
                            passwordKey: "admin-password",
                        },
                        service: { type: "ClusterIP" },
                        persistence: { enabled: false },
                    },
                    prometheus: {
                        service: { type: "ClusterIP" },
                        prometheusSpec: {
                            retention: `${s.monitoring.prometheusRetentionDays}d`,
                            // Select every ServiceMonitor/PodMonitor, not only the chart's own.
                            serviceMonitorSelectorNilUsesHelmValues: false,
                            podMonitorSelectorNilUsesHelmValues: false,
                            storageSpec: {
                                volumeClaimTemplate: {
                                    spec: {
                                        storageClassName: STORAGE_CLASS,
                                        accessModes: ["ReadWriteOnce"],
                                        resources: { requests: { storage: `${s.monitoring.prometheusStorageGib}Gi` } },
                                    },
                                },
                            },
                        },
                    },
                    alertmanager: { service: { type: "ClusterIP" } },
                    // The EKS control plane is managed by AWS: its components cannot be scraped.
                    kubeEtcd: { enabled: false },
                    kubeControllerManager: { enabled: false },
                    kubeScheduler: { enabled: false },
                    kubeProxy: { enabled: false },
                },
            },
            { ...k8sOpts, dependsOn: [grafanaK8sSecret, storageClass] },
        );

        // Container logs -> CloudWatch Logs (Fluent Bit DaemonSet, IRSA).
        const containerLogs = new aws.cloudwatch.LogGroup(
            `${name}-container-logs`,
            { name: logGroupName(scope, "containers"), retentionInDays: retention, kmsKeyId: keys.logs, tags },
            child,
        );
        const fluentBitRole = cluster.serviceAccountRole("fluent-bit", {
            namespace: system,
            serviceAccount: "aws-for-fluent-bit",
            statements: [
                {
                    Sid: "WriteContainerLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: pulumi.interpolate`${containerLogs.arn}:*`,
                },
            ],
        });
        pinnedRelease(
            `${name}-fluent-bit`,
            {
                ...CHARTS.fluentBit,
                releaseName: "aws-for-fluent-bit",
                namespace: system,
                values: {
                    serviceAccount: {
                        create: true,
                        name: "aws-for-fluent-bit",
                        annotations: { "eks.amazonaws.com/role-arn": fluentBitRole.arn },
                    },
                    cloudWatchLogs: {
                        enabled: true,
                        region: config.region,
                        logGroupName: containerLogs.name,
                        autoCreateGroup: false,
                        logStreamPrefix: "fluentbit-",
                    },
                    cloudWatch: { enabled: false },
                    firehose: { enabled: false },
                    kinesis: { enabled: false },
                    elasticsearch: { enabled: false },
                },
            },
            k8sOpts,
        );

        // Traces: OTLP from the pods -> OpenTelemetry Collector -> AWS X-Ray (IRSA).
        const otelRole = cluster.serviceAccountRole("otel-collector", {
            namespace: NAMESPACES.monitoring,
            serviceAccount: "otel-collector",
            statements: [
                {
                    Sid: "SendTraces",
                    Effect: "Allow",
                    Action: [
                        "xray:PutTraceSegments",
                        "xray:PutTelemetryRecords",
                        "xray:GetSamplingRules",
                        "xray:GetSamplingTargets",
                    ],
                    Resource: "*",
                },
            ],
        });
        const otel = pinnedRelease(
            `${name}-otel-collector`,
            {
                ...CHARTS.otelCollector,
                releaseName: "otel-collector",
                namespace: monitoringNamespace.metadata.name,
                values: {
                    mode: "deployment",
                    replicaCount: 2,
                    fullnameOverride: "otel-collector",
                    image: { repository: "otel/opentelemetry-collector-contrib" },
                    serviceAccount: {
                        create: true,
                        name: "otel-collector",
                        annotations: { "eks.amazonaws.com/role-arn": otelRole.arn },
                    },
                    config: {
                        exporters: { awsxray: { region: config.region } },
                        service: {
                            pipelines: {
                                traces: {
                                    receivers: ["otlp"],
                                    processors: ["memory_limiter", "batch"],
                                    exporters: ["awsxray"],
                                },
                                metrics: null,
                                logs: null,
                            },
                        },
                    },
                },
            },
            k8sOpts,
        );

        // ------------------------------------------------------------ identity (Cognito + challenge secret + triggers)
        const lambdaRelease = config.releases[WORKLOADS.lambdas];
        const vpc = { vpcId: network.vpcId, subnetIds: network.subnetIds.private };
        const awsApis = {
            port: 443,
            cidrIpv4: "0.0.0.0/0",
            description:
                "HTTPS to AWS APIs (Cognito, Secrets Manager, X-Ray) through the NAT gateway or interface endpoints",
        };
        const lambda = (
            fn: LambdaName,
            environment: Record<string, pulumi.Input<string>>,
            policyStatements: IamStatement[],
        ) => {
            const spec = LAMBDAS[fn];
            return new LambdaFunction(
                `${name}-${fn}`,
                {
                    functionName: physicalName(scope, fn, 64),
                    description: `${spec.description} (release ${lambdaRelease})`,
                    code: bundleLambda(fn),
                    handler: spec.handler,
                    runtime: spec.runtime,
                    environment,
                    policyStatements,
                    logs,
                    vpc,
                    egress: { "aws-apis": awsApis },
                    ...account,
                    tags: { ...tags, Release: lambdaRelease },
                },
                child,
            );
        };

        const challengeKey = new random.RandomPassword(`${name}-challenge-key`, { length: 64, special: false }, child);
        const challengeSecret = new aws.secretsmanager.Secret(
            `${name}-challenge-secret`,
            {
                description: `${NAME}: HMAC key proving custom-auth answers come from the cpf-auth function (apps/lambdas/README.md)`,
                kmsKeyId: keys.secrets,
                recoveryWindowInDays: protect ? 30 : 7,
                tags,
            },
            child,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-challenge-secret`,
            { secretId: challengeSecret.id, secretString: challengeKey.result },
            child,
        );
        const readChallengeSecret: IamStatement[] = [
            {
                Sid: "ReadTheChallengeSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: challengeSecret.arn,
            },
            decryptThrough("secretsmanager"),
        ];

        const define = lambda(FUNCTIONS.define, {}, []);
        const create = lambda(FUNCTIONS.create, {}, []);
        const verify = lambda(FUNCTIONS.verify, { CHALLENGE_SECRET_ARN: challengeSecret.arn }, readChallengeSecret);
        const pool = new UserPool(
            `${name}-users`,
            {
                poolName: physicalName(scope, "customers", 128),
                signInWith: "username",
                selfSignUp: false,
                mfa: "OFF",
                advancedSecurity: s.cognito.advancedSecurity,
                email: s.cognito.email,
                triggers: {
                    defineAuthChallenge: define,
                    createAuthChallenge: create,
                    verifyAuthChallengeResponse: verify,
                },
                clients: {
                    app: {
                        authFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                        tokenValidityMinutes: s.cognito.tokenValidityMinutes,
                        refreshTokenValidityDays: s.cognito.refreshTokenValidityDays,
                    },
                },
                protect,
                tags,
            },
            child,
        );
        const clientId = pool.clientIds.app;

        const auth = lambda(
            FUNCTIONS.auth,
            { USER_POOL_ID: pool.userPoolId, CLIENT_ID: clientId, CHALLENGE_SECRET_ARN: challengeSecret.arn },
            [
                {
                    Sid: "SignInCustomersByCpf",
                    Effect: "Allow",
                    Action: [
                        "cognito-idp:AdminGetUser",
                        "cognito-idp:AdminCreateUser",
                        "cognito-idp:AdminInitiateAuth",
                        "cognito-idp:AdminRespondToAuthChallenge",
                    ],
                    Resource: pool.userPoolArn,
                },
                ...readChallengeSecret,
            ],
        );
        const authorizer = lambda(
            FUNCTIONS.authorizer,
            { USER_POOL_ID: pool.userPoolId, CLIENT_ID: clientId, TOKEN_USE: "access" },
            [],
        );

        // ------------------------------------------------------------ the FastAPI application
        if (apiImage !== undefined) {
            const appRole = cluster.serviceAccountRole("api", {
                namespace: NAMESPACES.app,
                serviceAccount: APP.name,
                statements: [
                    {
                        Sid: "ReadTheDatabaseSecret",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                        Resource: db.masterUserSecretArn,
                    },
                    decryptThrough("secretsmanager"),
                ],
            });
            new WebService(
                `${name}-api`,
                {
                    namespace: appNamespace.metadata.name,
                    appName: APP.name,
                    image: apiImage,
                    containerPort: APP.port,
                    env: {
                        APP_ENV: config.environment,
                        AWS_REGION: config.region,
                        DB_HOST: db.address,
                        DB_PORT: String(db.port),
                        DB_NAME: db.databaseName,
                        DB_SECRET_ARN: db.masterUserSecretArn,
                        DB_SSLMODE: "require",
                        COGNITO_USER_POOL_ID: pool.userPoolId,
                        COGNITO_CLIENT_ID: clientId,
                        OTEL_SERVICE_NAME: `${NAME}-${APP.name}`,
                        OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector.${NAMESPACES.monitoring}.svc.cluster.local:4318`,
                    },
                    resources: {
                        cpuRequest: s.app.cpuRequest,
                        cpuLimit: s.app.cpuLimit,
                        memoryRequest: s.app.memoryRequest,
                        memoryLimit: s.app.memoryLimit,
                    },
                    probes: { startupPath: APP.health, readinessPath: APP.ready, livenessPath: APP.health },
                    runAsUser: APP.uid,
                    autoscaling: {
                        minReplicas: s.app.minReplicas,
                        maxReplicas: s.app.maxReplicas,
                        cpuTargetPercent: s.app.cpuTargetPercent,
                    },
                    minAvailable: Math.max(1, s.app.minReplicas - 1),
                    iamRoleArn: appRole.arn,
                    targetGroupArn: nlb.targetGroupArns.api,
                    metricsPath: APP.metrics,
                    labels: platformLabels,
                    provider,
                    dependsOn: [lbc, prometheusStack, metricsServer, otel],
                },
                child,
            );
        }

        // ------------------------------------------------------------ API Gateway + WAF
        const vpcLink = new aws.apigateway.VpcLink(
            `${name}-vpc-link`,
            {
                name: physicalName(scope, "vpc-link", 255),
                description: `${NAME}: API Gateway -> internal NLB -> FastAPI on EKS`,
                targetArn: nlb.loadBalancerArn,
                tags,
            },
            child,
        );
        const api = new RestApi(
            `${name}-api`,
            {
                apiName: physicalName(scope, "api", 255),
                description: `${NAME}: CPF sign-in and the FastAPI application`,
                authorizers: {
                    jwt: { type: "token", function: authorizer, resultTtlSeconds: s.api.authorizerCacheSeconds },
                },
                routes: {
                    "POST /auth": {
                        auth: {
                            public: "customers exchange their CPF for Cognito tokens here: there is no token yet (WAF, throttling and the API key apply)",
                        },
                        integration: { type: "lambda", function: auth },
                        bodySchema: AUTH_BODY_SCHEMA,
                    },
                    "ANY /{proxy+}": {
                        auth: { authorizer: "jwt" },
                        integration: {
                            type: "vpc-link",
                            vpcLinkId: vpcLink.id,
                            uri: pulumi.interpolate`http://${nlb.dnsName}:${NLB_PORT}/{proxy}`,
                        },
                    },
                },
                stage: {
                    name: s.api.stageName,
                    rateLimit: s.api.rateLimit,
                    burstLimit: s.api.burstLimit,
                    logs: {
                        accessLogGroupName: logGroupName(scope, "api-access"),
                        kmsKeyArn: keys.logs,
                        retentionInDays: retention,
                    },
                },
                usagePlan: {
                    rateLimit: s.api.clientRateLimit,
                    burstLimit: s.api.clientBurstLimit,
                    quotaLimit: s.api.clientDailyQuota,
                    quotaPeriod: "DAY",
                    apiKeys: s.api.clients,
                },
                accountSettingParent: foundation,
                ...account,
                tags,
            },
            // No dependsOn on the FastAPI Deployment: its readiness wait must not hold the API back (or, on a
            // first run without a pushed image, keep it from ever being created). Until pods are registered the
            // proxy routes answer 5xx from the NLB; POST /auth works at once.
            child,
        );
        const waf = new WebAcl(
            `${name}-waf`,
            {
                scope: "REGIONAL",
                rateLimit: s.waf.rateLimit,
                logs: {
                    groupName: `aws-waf-logs-${physicalName(scope, "api", 200)}`,
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
                associations: { api: api.stageArn },
                tags,
            },
            child,
        );

        this.outputs = {
            apiUrl: api.invokeUrl,
            authUrl: pulumi.interpolate`${api.invokeUrl}/auth`,
            apiKeyIds: api.apiKeyIds,
            userPoolId: pool.userPoolId,
            userPoolClientId: clientId,
            clusterName,
            clusterAdminRoleArn: cluster.adminRoleArn,
            ecrRepositoryUrl: apiRepo.repositoryUrl,
            databaseAddress: db.address,
            databaseSecretArn: db.masterUserSecretArn,
            containerLogGroup: containerLogs.name,
            grafanaSecretArn: grafanaSecret.secretArn,
            webAclArn: waf.webAclArn,
            helmCharts: Object.fromEntries(Object.values(CHARTS).map((c) => [c.chart, c.version])),
            functionNames: {
                [FUNCTIONS.auth]: auth.functionName,
                [FUNCTIONS.authorizer]: authorizer.functionName,
                [FUNCTIONS.define]: define.functionName,
                [FUNCTIONS.create]: create.functionName,
                [FUNCTIONS.verify]: verify.functionName,
            },
        };
        this.registerOutputs(this.outputs);
    }
}

export const postech: ArchitectureModule<PostechSettings> = {
    name: NAME,
    description:
        "CPF sign-in (Cognito custom auth, Lambda) in front of a FastAPI application on EKS, behind API Gateway with WAF",
    workloads: [WORKLOADS.api, WORKLOADS.lambdas],
    settings: settingsSchema,
    stackProblems,
    deploy: (ctx) => new Postech(NAME, ctx).outputs,
};
