/**
 * An HTTP service on Kubernetes (`platform:kubernetes:WebService`), the objects a reviewer expects for
 * a production workload, through `@pulumi/kubernetes` with the caller's provider:
 *
 * - a ServiceAccount (optionally bound to an IAM role through IRSA: `eks.amazonaws.com/role-arn`),
 *   with no Kubernetes API token mounted in the pods;
 * - a Deployment: the caller's image, requests and limits, startup/readiness/liveness probes on HTTP
 *   paths, non-root user and group, read-only root filesystem with an `emptyDir` at `/tmp`, no privilege
 *   escalation, every Linux capability dropped, the runtime's default seccomp profile, replicas spread
 *   across zones and nodes, rolling updates that keep full capacity, graceful termination;
 * - a ClusterIP Service (port 80 -> the container port);
 * - a HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation between `minReplicas` and
 *   `maxReplicas` (needs metrics-server);
 * - a PodDisruptionBudget keeping `minAvailable` pods through node drains;
 * - optionally a TargetGroupBinding (AWS Load Balancer Controller): the pods' IPs registered in a load
 *   balancer target group the program owns; and a ServiceMonitor (Prometheus Operator) scraping the
 *   metrics path.
 *
 * Follows https://kubernetes.io/docs/concepts/security/pod-security-standards/ (restricted),
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/,
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/,
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/,
 * https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface WebServiceArgs {
    /** Namespace (must exist). */
    namespace: pulumi.Input<string>;
    /** Kubernetes name of every object (DNS label, 1-63 characters). */
    appName: string;
    image: pulumi.Input<string>;
    /** Port the container serves HTTP on. */
    containerPort: number;
    /** Plain environment variables (no secret values: pass ARNs, the pods read them with their IAM role). */
    env?: Record<string, pulumi.Input<string>>;
    /** CPU and memory per pod: requests and limits in Kubernetes units (`250m`, `512Mi`). */
    resources: { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string };
    /** Probe paths. */
    probes: { startupPath: string; readinessPath: string; livenessPath: string };
    /** UID and GID the container runs as (non-zero). */
    runAsUser: number;
    /** Pods the autoscaler keeps, and CPU utilisation it holds (percent of the request). */
    autoscaling: { minReplicas: number; maxReplicas: number; cpuTargetPercent: number };
    /** Pods that must stay up during voluntary disruptions (node drains); less than `minReplicas`. */
    minAvailable: number;
    /** IAM role the pods assume through IRSA. Default none. */
    iamRoleArn?: pulumi.Input<string>;
    /**
     * Register the pods' IPs in this target group (AWS Load Balancer Controller must be installed; pass it in
     * `dependsOn`).
     */
    targetGroupArn?: pulumi.Input<string>;
    /**
     * Let Prometheus scrape this path on the container port (the Prometheus Operator CRDs must exist). Default
     * none.
     */
    metricsPath?: string;
    /** Labels added to every object. */
    labels?: Record<string, string>;
    provider: k8s.Provider;
    /** Objects the custom resources wait for (the Helm releases installing their CRDs and controllers). */
    dependsOn?: pulumi.Resource[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Mi|Gi|Ki)?$/;

function problemsOf(args: WebServiceArgs): string[] {
    const p: string[] = [];
    const a = args.autoscaling;
    if (!DNS_LABEL.test(args.appName))
        p.push(
            "appName must be a DNS label (1-63 lower-case letters, digits and -); " +
                `got ${JSON.stringify(args.appName)}`,
        );
    if (!Number.isInteger(args.containerPort) || args.containerPort < 1024 || args.containerPort > 65535)
        p.push(
            "containerPort must be 1024-65535 (a non-root process cannot bind lower ports); " +
                `got ${args.containerPort}`,
        );
    for (const [k, v] of Object.entries(args.resources))
        if (!QUANTITY.test(v))
            p.push(`resources.${k} must be a Kubernetes quantity such as 250m or 512Mi; got ${JSON.stringify(v)}`);
    for (const [k, v] of Object.entries(args.probes))
        if (!v.startsWith("/")) p.push(`probes.${k} must be an absolute path; got ${JSON.stringify(v)}`);
    if (!Number.isInteger(args.runAsUser) || args.runAsUser < 1)
        p.push(`runAsUser must be a non-zero UID; got ${args.runAsUser}`);
    if (!Number.isInteger(a.minReplicas) || a.minReplicas < 2)
        p.push(
            "autoscaling.minReplicas must be at least 2 (one pod per zone survives a zone failure); " +
                `got ${a.minReplicas}`,
        );
    if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < a.minReplicas)
        p.push(`autoscaling.maxReplicas must be at least minReplicas (${a.minReplicas}); got ${a.maxReplicas}`);
    if (!Number.isInteger(a.cpuTargetPercent) || a.cpuTargetPercent < 10 || a.cpuTargetPercent > 95)
        p.push(`autoscaling.cpuTargetPercent must be 10-95; got ${a.cpuTargetPercent}`);
    if (!Number.isInteger(args.minAvailable) || args.minAvailable < 1 || args.minAvailable >= a.minReplicas)
        p.push(
            `minAvailable must be at least 1 and less than autoscaling.minReplicas (${a.minReplicas}), ` +
                `or node drains block; got ${args.minAvailable}`,
        );
    for (const key of Object.keys(args.env ?? {}))
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) p.push(`env: ${JSON.stringify(key)} is not a variable name`);
    if (args.metricsPath !== undefined && !args.metricsPath.startsWith("/"))
        p.push(`metricsPath must be an absolute path; got ${JSON.stringify(args.metricsPath)}`);
    return p;
}

export class WebService extends pulumi.ComponentResource {
    /** `<service>.<namespace>.svc.cluster.local` */
    readonly serviceHost: pulumi.Output<string>;
    readonly deploymentName: pulumi.Output<string>;

    constructor(name: string, args: WebServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:WebService", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`WebService ${name}: ${problems.join("; ")}`);
        const selector = { "app.kubernetes.io/name": args.appName };
        const labels = { ...(args.labels ?? {}), ...selector, "app.kubernetes.io/managed-by": "pulumi" };
        const scope: WebServiceScope = {
            name,
            args,
            k8sOpts: { parent: this, provider: args.provider },
            selector,
            labels,
            meta: (extra = {}) => ({
                name: args.appName,
                namespace: args.namespace,
                labels,
                annotations: Object.keys(extra).length > 0 ? extra : undefined,
            }),
        };

        const serviceAccount = this.serviceAccount(scope);
        const deployment = this.deployment(scope, serviceAccount);
        const service = this.service(scope);
        this.autoscaling(scope, deployment);
        this.controllerResources(scope, service);

        this.serviceHost = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
        this.deploymentName = deployment.metadata.name;
        this.registerOutputs({ serviceHost: this.serviceHost, deploymentName: this.deploymentName });
    }

    /** The ServiceAccount, annotated with the IRSA role when there is one; no API token mounted. */
    private serviceAccount({ name, args, k8sOpts, meta }: WebServiceScope): k8s.core.v1.ServiceAccount {
        return new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: meta(args.iamRoleArn ? { "eks.amazonaws.com/role-arn": args.iamRoleArn } : {}),
                automountServiceAccountToken: false,
            },
            k8sOpts,
        );
    }

    /** The Deployment: rolling updates keeping full capacity, the pod of {@link podSpec}; the HPA owns replicas. */
    private deployment(scope: WebServiceScope, serviceAccount: k8s.core.v1.ServiceAccount): k8s.apps.v1.Deployment {
        const { name, selector, labels, meta, k8sOpts } = scope;
        return new k8s.apps.v1.Deployment(
            name,
            {
                metadata: meta(),
                // No `replicas`: the HPA owns the count. Kubernetes recommends leaving it out when an HPA scales
                // the Deployment
                // (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling);
                // with server-side apply a set value fights the HPA's field manager (pulumi/pulumi-kubernetes#2491).
                // A new Deployment starts at 1 pod and the HPA raises it to minReplicas at once.
                spec: {
                    revisionHistoryLimit: 5,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                    template: { metadata: { labels }, spec: podSpec(scope.args, selector, serviceAccount) },
                },
            },
            k8sOpts,
        );
    }

    /** The ClusterIP Service: port 80 to the container's `http` port. */
    private service({ name, selector, meta, k8sOpts }: WebServiceScope): k8s.core.v1.Service {
        return new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: meta(),
                spec: {
                    type: "ClusterIP",
                    selector,
                    ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
                },
            },
            k8sOpts,
        );
    }

    /** The HorizontalPodAutoscaler on CPU utilisation and the PodDisruptionBudget. */
    private autoscaling(
        { name, args, selector, meta, k8sOpts }: WebServiceScope,
        deployment: k8s.apps.v1.Deployment,
    ): void {
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            {
                metadata: meta(),
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                    minReplicas: args.autoscaling.minReplicas,
                    maxReplicas: args.autoscaling.maxReplicas,
                    metrics: [
                        {
                            type: "Resource",
                            resource: {
                                name: "cpu",
                                target: { type: "Utilization", averageUtilization: args.autoscaling.cpuTargetPercent },
                            },
                        },
                    ],
                    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
                },
            },
            k8sOpts,
        );

        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            {
                metadata: meta(),
                spec: { minAvailable: args.minAvailable, selector: { matchLabels: selector } },
            },
            k8sOpts,
        );
    }

    /**
     * The custom resources of the controllers, each only when asked for: a TargetGroupBinding (AWS Load
     * Balancer Controller) and a ServiceMonitor (Prometheus Operator); both wait for `dependsOn`.
     */
    private controllerResources(
        { name, args, selector, meta, k8sOpts }: WebServiceScope,
        service: k8s.core.v1.Service,
    ): void {
        const crdOpts = { ...k8sOpts, dependsOn: args.dependsOn ?? [] };
        if (args.targetGroupArn !== undefined) {
            new k8s.apiextensions.CustomResource(
                `${name}-tgb`,
                {
                    apiVersion: "elbv2.k8s.aws/v1beta1",
                    kind: "TargetGroupBinding",
                    metadata: meta(),
                    spec: {
                        targetGroupARN: args.targetGroupArn,
                        targetType: "ip",
                        serviceRef: { name: service.metadata.name, port: 80 },
                    },
                },
                crdOpts,
            );
        }
        if (args.metricsPath !== undefined) {
            new k8s.apiextensions.CustomResource(
                `${name}-monitor`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "ServiceMonitor",
                    metadata: meta(),
                    spec: {
                        selector: { matchLabels: selector },
                        endpoints: [{ port: "http", path: args.metricsPath, interval: "30s" }],
                    },
                },
                crdOpts,
            );
        }
    }
}

/** What every step of the constructor needs. */
interface WebServiceScope {
    name: string;
    args: WebServiceArgs;
    /** `{ parent: this, provider }`. */
    k8sOpts: pulumi.CustomResourceOptions;
    /** `app.kubernetes.io/name`: the pods' selector. */
    selector: Record<string, string>;
    /** The selector, the caller's labels and `app.kubernetes.io/managed-by`. */
    labels: Record<string, string>;
    /** Metadata of every object: the app's name, the namespace, the labels and `extra` annotations if any. */
    meta: (extra?: Record<string, pulumi.Input<string>>) => k8s.types.input.meta.v1.ObjectMeta;
}

/**
 * The pod: the service account without its token, non-root user and group, the runtime's seccomp profile,
 * replicas spread across zones and nodes (best effort), the one {@link container}, `/tmp` as an `emptyDir`.
 */
function podSpec(
    args: WebServiceArgs,
    selector: Record<string, string>,
    serviceAccount: k8s.core.v1.ServiceAccount,
): k8s.types.input.core.v1.PodSpec {
    return {
        serviceAccountName: serviceAccount.metadata.name,
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 30,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: args.runAsUser,
            runAsGroup: args.runAsUser,
            fsGroup: args.runAsUser,
            seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: selector },
            },
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: selector },
            },
        ],
        containers: [container(args)],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    };
}

/**
 * The container: the caller's image, environment (sorted by name), requests and limits; startup, readiness
 * and liveness probes over HTTP; no privilege escalation, read-only root filesystem, every capability dropped.
 */
function container(args: WebServiceArgs): k8s.types.input.core.v1.Container {
    const httpProbe = (path: string) => ({ httpGet: { path, port: "http" as const, scheme: "HTTP" } });
    return {
        name: args.appName,
        image: args.image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: "http", containerPort: args.containerPort, protocol: "TCP" }],
        env: Object.entries(args.env ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([envName, value]) => ({ name: envName, value })),
        resources: {
            requests: {
                cpu: args.resources.cpuRequest,
                memory: args.resources.memoryRequest,
            },
            limits: { cpu: args.resources.cpuLimit, memory: args.resources.memoryLimit },
        },
        startupProbe: {
            ...httpProbe(args.probes.startupPath),
            periodSeconds: 5,
            failureThreshold: 24,
            timeoutSeconds: 2,
        },
        readinessProbe: {
            ...httpProbe(args.probes.readinessPath),
            periodSeconds: 10,
            failureThreshold: 3,
            timeoutSeconds: 2,
        },
        livenessProbe: {
            ...httpProbe(args.probes.livenessPath),
            periodSeconds: 20,
            failureThreshold: 3,
            timeoutSeconds: 2,
        },
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}
