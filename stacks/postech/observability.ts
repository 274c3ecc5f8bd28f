/**
 * postech's observability, all in the cluster: kube-prometheus-stack (Prometheus on an encrypted gp3 volume,
 * Grafana with its admin password in Secrets Manager, Alertmanager), AWS for Fluent Bit (container logs to
 * CloudWatch Logs) and the OpenTelemetry Collector (traces to AWS X-Ray), each through IRSA, Helm charts pinned.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { pinnedRelease } from "../../infra/kubernetes/helm-release";
import { JsonSecret } from "../../infra/security/json-secret";
import { logGroupName } from "../../infra/shared/naming";
import type { Cluster } from "./cluster";
import { CHARTS, derive, NAME, NAMESPACES, PostechStep, STORAGE_CLASS } from "./settings";

/** What the workloads wait for and the outputs name. */
export interface Observability {
    prometheusStack: k8s.helm.v3.Release;
    otelCollector: k8s.helm.v3.Release;
    /** The log group of the containers' logs. */
    containerLogs: aws.cloudwatch.LogGroup;
    /** Grafana's admin credentials, for operators. */
    grafanaSecret: JsonSecret;
}

/** Prometheus, Grafana and Alertmanager, the container logs and the traces. */
export function observability(
    step: PostechStep,
    k: Cluster,
    deps: { monitoring: k8s.core.v1.Namespace; storageClass: k8s.storage.v1.StorageClass },
): Observability {
    const grafana = grafanaAdmin(step, k, deps.monitoring);
    const prometheusStack = prometheus(step, k, deps.monitoring, [grafana.k8sSecret, deps.storageClass]);
    const containerLogs = fluentBit(step, k);
    const otelCollector = tracing(step, k, deps.monitoring);
    return { prometheusStack, otelCollector, containerLogs, grafanaSecret: grafana.secret };
}

/** Grafana's admin password: random, kept in Secrets Manager for operators and in a Kubernetes Secret for Grafana. */
export function grafanaAdmin(
    step: PostechStep,
    k: Cluster,
    monitoring: k8s.core.v1.Namespace,
): { secret: JsonSecret; k8sSecret: k8s.core.v1.Secret } {
    const { name, tags, child } = step;
    const { keys, protect } = derive(step);
    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
    const portForward = `kubectl -n ${NAMESPACES.monitoring} port-forward svc/kube-prometheus-stack-grafana 3000:80`;
    const secret = new JsonSecret(
        `${name}-grafana-admin`,
        {
            description: `${NAME}: Grafana admin credentials (${portForward})`,
            kmsKeyArn: keys.secrets,
            values: { username: "admin", password: password.result },
            recoveryWindowInDays: protect ? 30 : 7,
            tags,
        },
        child,
    );
    const k8sSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        {
            metadata: { name: "grafana-admin", namespace: monitoring.metadata.name, labels: k.labels },
            type: "Opaque",
            stringData: { "admin-user": "admin", "admin-password": password.result },
        },
        k.k8sOpts,
    );
    return { secret, k8sSecret };
}

/** kube-prometheus-stack: Prometheus (every ServiceMonitor/PodMonitor, encrypted volume), Grafana, Alertmanager. */
export function prometheus(
    step: PostechStep,
    k: Cluster,
    monitoring: k8s.core.v1.Namespace,
    dependsOn: pulumi.Resource[],
): k8s.helm.v3.Release {
    const s = step.settings;
    return pinnedRelease(
        `${step.name}-prometheus-stack`,
        {
            ...CHARTS.prometheusStack,
            releaseName: "kube-prometheus-stack",
            namespace: monitoring.metadata.name,
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
        { ...k.k8sOpts, dependsOn },
    );
}

/** Container logs -> CloudWatch Logs (Fluent Bit DaemonSet, IRSA). Returns the log group. */
export function fluentBit(step: PostechStep, k: Cluster): aws.cloudwatch.LogGroup {
    const { name, config, tags, scope, child } = step;
    const { keys, retention } = derive(step);
    const containerLogs = new aws.cloudwatch.LogGroup(
        `${name}-container-logs`,
        { name: logGroupName(scope, "containers"), retentionInDays: retention, kmsKeyId: keys.logs, tags },
        child,
    );
    const fluentBitRole = k.cluster.serviceAccountRole("fluent-bit", {
        namespace: NAMESPACES.system,
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
            namespace: NAMESPACES.system,
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
        k.k8sOpts,
    );
    return containerLogs;
}

/** Traces: OTLP from the pods -> OpenTelemetry Collector -> AWS X-Ray (IRSA). */
export function tracing(step: PostechStep, k: Cluster, monitoring: k8s.core.v1.Namespace): k8s.helm.v3.Release {
    const otelRole = k.cluster.serviceAccountRole("otel-collector", {
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
    return pinnedRelease(
        `${step.name}-otel-collector`,
        {
            ...CHARTS.otelCollector,
            releaseName: "otel-collector",
            namespace: monitoring.metadata.name,
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
                    exporters: { awsxray: { region: step.config.region } },
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
        k.k8sOpts,
    );
}
