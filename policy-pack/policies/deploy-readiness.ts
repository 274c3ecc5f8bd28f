/**
 * Deploy readiness: stack policies that catch what makes a first `pulumi up` into an empty account
 * hang or start something that cannot run (docs/first-deploy.md). Each judges resources by what they
 * are (types and the links between them), not by the platform's names:
 *
 * - `acm-validation-completes`: a certificate validation waits (75 minutes) for DNS records; they
 *   must be Route 53 records of the same stack;
 * - `container-image-pushed`: an image from an ECR repository the stack creates must be pushed by the
 *   stack (an image build resource) or pinned by a digest (which only an existing image has);
 * - `eks-addon-after-nodes`: an EKS add-on that runs pods must wait for a node group;
 * - `k8s-replicas-with-hpa`: a workload an HPA scales must not set `spec.replicas`;
 * - `alarm-topic-subscribed`: where the policy config says `requireSubscriber`, a topic alarms notify
 *   must have a subscription.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
    block,
    isSet,
    isTrue,
    list,
    parseJson,
    Policy,
    Props,
    stackPolicy,
    StackGraph,
    T,
    text,
} from "../lib/resource";

/** Tokens these policies read that the shared table does not list. */
const R = {
    certificateValidation: ["aws:acm/certificateValidation:CertificateValidation"],
    route53Record: ["aws:route53/record:Record"],
    ecsTaskDefinition: T.ecsTaskDefinition,
    ecrRepository: T.ecrRepository,
    /** Resources that build and push an image: awsx (`repositoryUrl`, `imageTag`) and docker-build (`tags`, `push`). */
    imageBuild: ["awsx:ecr:Image", "docker-build:index:Image", "docker:index/image:Image"],
    k8sWorkload: [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:apps/v1:ReplicaSet",
        "kubernetes:batch/v1:Job",
        "kubernetes:batch/v1:CronJob",
        "kubernetes:core/v1:Pod",
    ],
    hpa: [
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
        "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    ],
    eksAddon: ["aws:eks/addon:Addon"],
    /** Capacity an add-on's pods can be scheduled on. */
    eksCapacity: [
        "aws:eks/nodeGroup:NodeGroup",
        "aws:eks/fargateProfile:FargateProfile",
        "eks:index:ManagedNodeGroup",
        "eks:index:NodeGroup",
        "eks:index:NodeGroupV2",
    ],
    eksCluster: T.eksComponentCluster,
    metricAlarm: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"],
    snsTopic: T.snsTopic,
    snsSubscription: ["aws:sns/topicSubscription:TopicSubscription"],
} as const;

// ------------------------------------------------------------------------------------------------
// Certificates
// ------------------------------------------------------------------------------------------------

/** `_x.example.com.` and `_x.example.com` name the same record. */
const fqdn = (value: unknown) => text(value).replace(/\.$/, "").toLowerCase();

/**
 * A `CertificateValidation` waits (default create timeout 75 minutes) until ACM sees the validation
 * records, and stack outputs are written only when the update succeeds, so records that a person
 * creates from an output never arrive in time. Pulumi:
 * https://www.pulumi.com/registry/packages/aws/api-docs/acm/certificatevalidation/;
 * ACM: https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html.
 */
export const acmValidationCompletes = stackPolicy({
    name: "acm-validation-completes",
    description:
        "A certificate validation must name validation records that Route 53 records of the same stack create " +
        "(otherwise it waits until its timeout).",
    check: (graph, _args, report) => {
        const records = graph.ofType(R.route53Record);
        for (const v of graph.ofType(R.certificateValidation)) {
            const fqdns = list<unknown>(v.props.validationRecordFqdns).map(fqdn);
            const fed = (v.propertyDependencies.validationRecordFqdns ?? []).filter((d) =>
                R.route53Record.includes(d.type as (typeof R.route53Record)[number]),
            );
            const byValue = records.filter(
                (r) => fqdns.includes(fqdn(r.props.fqdn)) || fqdns.includes(fqdn(r.props.name)),
            );
            if (fqdns.length > 0 && (fed.length > 0 || byValue.length >= fqdns.length)) continue;
            const names =
                fqdns.length === 0 ? "is empty" : `(${fqdns.join(", ")}) names no Route 53 record of this stack`;
            report(
                `${v.name}: validationRecordFqdns ${names}, so the validation waits for records nothing in this run ` +
                    "creates. " +
                    "Create the validation CNAMEs with aws.route53.Record in the domain's hosted zone and pass " +
                    "their fqdn, or leave the validation (and what needs the certificate) out until the " +
                    "certificate is issued.",
                v.urn,
            );
        }
    },
});

// ------------------------------------------------------------------------------------------------
// Images
// ------------------------------------------------------------------------------------------------

/** An image reference split into repository (`host/path`) and tag or digest. */
interface ImageRef {
    repository: string;
    tag?: string;
    digest?: string;
}

export function parseImage(image: string): ImageRef {
    const at = image.indexOf("@");
    if (at >= 0) return { repository: image.slice(0, at).replace(/:[^/:]+$/, ""), digest: image.slice(at + 1) };
    const colon = image.lastIndexOf(":");
    if (colon > image.lastIndexOf("/")) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
    return { repository: image, tag: "latest" };
}

/** The container images of an ECS task definition or a Kubernetes workload, read from its properties. */
function imagesOf(r: PolicyResource): unknown[] {
    if (R.ecsTaskDefinition.includes(r.type as never)) {
        return list<Props>(parseJson(r.props.containerDefinitions)).map((c) => c.image);
    }
    const spec = block(r.props.spec);
    const template =
        r.type === "kubernetes:core/v1:Pod"
            ? spec
            : r.type === "kubernetes:batch/v1:CronJob"
              ? block(block(block(block(spec?.jobTemplate)?.spec)?.template)?.spec)
              : block(block(spec?.template)?.spec);
    return [...list<Props>(template?.containers), ...list<Props>(template?.initContainers)].map((c) => c.image);
}

/** True when an image build resource of the stack pushes `ref` (same repository and tag, or the same URI). */
function pushed(graph: StackGraph, image: string, ref: ImageRef): boolean {
    return graph.ofType(R.imageBuild).some((b) => {
        if (text(b.props.imageUri) === image || text(b.props.ref) === image) return true;
        if (b.type === "awsx:ecr:Image")
            return text(b.props.repositoryUrl) === ref.repository && text(b.props.imageTag, "latest") === ref.tag;
        return isTrue(b.props.push) && list<unknown>(b.props.tags).some((t) => text(t) === image);
    });
}

/**
 * An image in an ECR repository that the same update creates cannot be there unless the update pushes
 * it: ECS then fails every task (CannotPullContainerError) and the deployment circuit breaker stops;
 * Kubernetes waits on ImagePullBackOff. A digest is accepted: it can only be read from a pushed image.
 * ECR: https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-push-ecr-image.html;
 * ECS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html.
 */
export const containerImagePushed = stackPolicy({
    name: "container-image-pushed",
    description:
        "A container image from an ECR repository created in the same stack must be pushed by the stack (an " +
        "image build resource) or pinned by digest.",
    check: (graph, _args, report) => {
        const repositories = graph.ofType(R.ecrRepository);
        for (const w of graph.ofType([...R.ecsTaskDefinition, ...R.k8sWorkload])) {
            for (const image of imagesOf(w)) {
                if (!isSet(image)) continue;
                const ref = parseImage(image);
                const repository = repositories.find((r) => text(r.props.repositoryUrl) === ref.repository);
                if (repository === undefined || ref.digest !== undefined || pushed(graph, image, ref)) continue;
                report(
                    `${w.name}: image ${image} is in ECR repository ${repository.name}, which this stack ` +
                        `creates, and nothing in the stack pushes tag ${ref.tag}. ` +
                        "Build and push it in the program (awsx.ecr.Image), pin it by digest after checking it " +
                        "exists (aws.ecr.getImage), or leave the workload out until the image is pushed.",
                    w.urn,
                );
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// EKS and Kubernetes
// ------------------------------------------------------------------------------------------------

/**
 * EKS add-ons whose pods need a node: they stay DEGRADED, and the provider's wait fails, when they are
 * created before any node group (pulumi/pulumi-eks#1819;
 * https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html).
 */
export const NODE_ADDONS = [
    "coredns",
    "aws-ebs-csi-driver",
    "aws-efs-csi-driver",
    "aws-mountpoint-s3-csi-driver",
    "snapshot-controller",
    "adot",
    "amazon-cloudwatch-observability",
    "aws-guardduty-agent",
    "metrics-server",
] as const;

/** True when `from` depends, directly or through other resources' dependencies, on one of `tokens`. */
function dependsOnType(graph: StackGraph, from: PolicyResource, tokens: readonly string[]): boolean {
    const seen = new Set<string>();
    const queue = [...from.dependencies];
    while (queue.length > 0) {
        const d = queue.pop()!;
        if (seen.has(d.urn)) continue;
        seen.add(d.urn);
        if (tokens.includes(d.type)) return true;
        queue.push(...(graph.get(d.urn)?.dependencies ?? []));
    }
    return false;
}

export const eksAddonAfterNodes = stackPolicy({
    name: "eks-addon-after-nodes",
    description:
        "An EKS add-on that runs pods (coredns, CSI drivers, ...) must depend on a node group or Fargate " +
        "profile, and @pulumi/eks must not create CoreDNS in a cluster without nodes.",
    check: (graph, _args, report) => {
        for (const a of graph.ofType(R.eksAddon)) {
            const addon = text(a.props.addonName);
            if (!(NODE_ADDONS as readonly string[]).includes(addon)) continue;
            if (dependsOnType(graph, a, R.eksCapacity)) continue;
            report(
                `${a.name}: add-on ${addon} runs pods, but nothing makes it wait for a node group: it stays ` +
                    `DEGRADED until the provider's wait fails. Add dependsOn: [<node group or Fargate profile>].`,
                a.urn,
            );
        }
        // @pulumi/eks creates the CoreDNS add-on inside the cluster component, before any separate node group,
        // when it is enabled explicitly on a cluster without its default node group or Fargate.
        for (const c of graph.ofType(R.eksCluster)) {
            const coredns = block(c.props.corednsAddonOptions);
            const explicit = isTrue(coredns?.enabled) || coredns?.configurationValues !== undefined;
            if (explicit && isTrue(c.props.skipDefaultNodeGroup) && !c.props.fargate) {
                report(
                    `${c.name}: corednsAddonOptions enables the CoreDNS add-on in a cluster without nodes ` +
                        `(skipDefaultNodeGroup, no Fargate): set corednsAddonOptions.enabled false and create ` +
                        `aws.eks.Addon "coredns" with dependsOn the node group.`,
                    c.urn,
                );
            }
        }
    },
});

/** `metadata.namespace`, `default` when absent. */
const namespaceOf = (r: PolicyResource) => text(block(r.props.metadata)?.namespace, "default");

/**
 * Kubernetes: "remove spec.replicas from the manifest of a Deployment or StatefulSet an HPA scales"
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling);
 * with server-side apply the program and the HPA fight over the field (pulumi/pulumi-kubernetes#2491).
 */
export const k8sReplicasWithHpa = stackPolicy({
    name: "k8s-replicas-with-hpa",
    description: "A Kubernetes workload that a HorizontalPodAutoscaler scales must not set spec.replicas.",
    check: (graph, _args, report) => {
        const workloads = graph.ofType(R.k8sWorkload);
        for (const hpa of graph.ofType(R.hpa)) {
            const target = block(block(hpa.props.spec)?.scaleTargetRef);
            const kind = text(target?.kind);
            const name = text(target?.name);
            for (const w of workloads) {
                if (!w.type.endsWith(`:${kind}`) || text(block(w.props.metadata)?.name) !== name) continue;
                if (namespaceOf(w) !== namespaceOf(hpa)) continue;
                const replicas = block(w.props.spec)?.replicas;
                if (replicas === undefined || replicas === null) continue;
                report(
                    `${w.name}: spec.replicas is ${text(replicas)} while HorizontalPodAutoscaler ${hpa.name} ` +
                        `scales this ${kind}; remove spec.replicas (the HPA's minReplicas sets the floor).`,
                    w.urn,
                );
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// Alarms
// ------------------------------------------------------------------------------------------------

/** Config of `alarm-topic-subscribed`. */
export interface AlarmTopicSubscribedConfig {
    /** Whether every topic alarms notify must have a subscription. Default false. */
    requireSubscriber?: boolean;
}

/**
 * An alarm notifies its SNS topic; without a subscription nobody hears it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html).
 */
export const alarmTopicSubscribed = stackPolicy({
    name: "alarm-topic-subscribed",
    description:
        "Where the policy config sets requireSubscriber, every SNS topic a CloudWatch alarm notifies must have a " +
        "subscription.",
    configSchema: { properties: { requireSubscriber: { type: "boolean", default: false } } },
    check: (graph, args, report) => {
        if (args.getConfig<AlarmTopicSubscribedConfig>().requireSubscriber !== true) return;
        const topics = new Map<string, PolicyResource>();
        for (const alarm of graph.ofType(R.metricAlarm))
            for (const property of ["alarmActions", "okActions", "insufficientDataActions"])
                for (const t of graph.targets(alarm, property, R.snsTopic)) topics.set(t.urn, t);
        for (const topic of topics.values()) {
            if (graph.referrers(topic, "topic", R.snsSubscription).length > 0) continue;
            report(
                `${topic.name}: CloudWatch alarms notify this topic, but it has no subscription. Add ` +
                    `aws.sns.TopicSubscription (platform:alarmEmail or platform:alarmSubscriptions).`,
                topic.urn,
            );
        }
    },
});

export const deployReadinessPolicies: Policy[] = [
    acmValidationCompletes,
    containerImagePushed,
    eksAddonAfterNodes,
    k8sReplicasWithHpa,
    alarmTopicSubscribed,
];
