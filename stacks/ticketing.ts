/**
 * ticketing (seed 000): a ticketing system of five microservices on ECS Fargate behind CloudFront,
 * AWS WAF and an Application Load Balancer that only CloudFront can reach. See docs/ticketing.md.
 *
 * viewers -> CloudFront (HTTPS, TLSv1.2_2021, WAF) -> HTTPS + secret origin header -> ALB (443 from
 * the CloudFront origin-facing prefix list only; rules require the header, default 403) -> path
 * routing to ticket-, reservation-, checkout- and product-service (8080); notification-service
 * consumes the notification queue and publishes to the notification topic. Data: RDS PostgreSQL
 * (IAM authentication per service), SQS queues with DLQs (notifications, reservation expiry by a
 * delayed message), an S3 bucket for receipts and ticket images, a Secrets Manager secret for the
 * payment provider. Every service: own task role, security group, log group, X-Ray sidecar,
 * target-tracking autoscaling, health checks, image from `releases` in its ECR repository.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { computeTier, ComputeTier, securityGroupRules } from "./ticketing/compute";
import { DataTier, dataTier } from "./ticketing/data";
import { dnsRecordsToCreate, EdgeTier, edgeTier } from "./ticketing/edge";
import { MessagingTier, messagingTier } from "./ticketing/messaging";
import { ObservabilityTier, observabilityTier } from "./ticketing/observability";
import { NAME, SERVICES, settingsSchema, TicketingSettings, TicketingStep, WORKLOADS } from "./ticketing/settings";
import { StorageTier, storageTier } from "./ticketing/storage";

export * from "./ticketing/settings";

/**
 * The ticketing architecture (`platform:architecture:Ticketing`): one step per tier, each in `stacks/ticketing/`;
 * every resource's parent is this component and its logical name `${name}-<role>`.
 */
export class Ticketing extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<TicketingSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Ticketing", name, {}, opts);
        const step: TicketingStep = { ...ctx, name, child: { parent: this } };
        const data = dataTier(step); // PostgreSQL, its users, the payment provider's secret
        const messaging = messagingTier(step); // notification and reservation expiry queues, notification topic
        const storage = storageTier(step); // receipts and ticket images
        const edge = edgeTier(step); // origin certificate, origin-only ALB, origin DNS, CloudFront, WAF
        const compute = computeTier(step, { data, messaging, storage, edge }); // ECR repositories, Fargate services
        securityGroupRules(edge, data, compute); // ALB -> services, services -> PostgreSQL
        const observability = observabilityTier(step, { data, messaging, edge, compute }); // alarms, dashboard
        this.outputs = stackOutputs(step, { data, messaging, storage, edge, compute, observability });
        this.registerOutputs(this.outputs);
    }
}

/** Every tier, for the outputs. */
interface Tiers {
    data: DataTier;
    messaging: MessagingTier;
    storage: StorageTier;
    edge: EdgeTier;
    compute: ComputeTier;
    observability: ObservabilityTier;
}

/** The architecture's outputs (a public contract: names stable). */
function stackOutputs(step: TicketingStep, tiers: Tiers): Record<string, pulumi.Input<unknown>> {
    const { data, messaging, storage, edge, compute } = tiers;
    const { cdn } = edge;
    return {
        ...(cdn
            ? {
                  url: cdn.url,
                  distributionId: cdn.distributionId,
                  distributionDomainName: cdn.domainName,
                  webAclArn: cdn.webAclArn,
              }
            : {}),
        originDomainName: edge.originName,
        loadBalancerDnsName: edge.lb.dnsName,
        ecrRepositoryUrls: Object.fromEntries(SERVICES.map((svc) => [svc, compute.repos[svc].repositoryUrl])),
        serviceNames: Object.fromEntries(compute.deployed.map((svc) => [svc, compute.services[svc]!.serviceName])),
        databaseAddress: data.db.address,
        databaseMasterSecretArn: data.db.masterUserSecretArn,
        queueUrls: { notifications: messaging.notifications.queueUrl, reservationExpiry: messaging.expiry.queueUrl },
        notificationTopicArn: messaging.topic.arn,
        assetsBucketName: storage.assets.bucketName,
        paymentProviderSecretArn: data.paymentSecret.arn,
        dashboardName: tiers.observability.dashboard.dashboardName,
        dnsRecordsToCreate: dnsRecordsToCreate(step, edge),
    };
}

export const ticketing: ArchitectureModule<TicketingSettings> = {
    name: NAME,
    description:
        "Ticketing microservices on ECS Fargate behind CloudFront, AWS WAF and an origin-only ALB; " +
        "RDS PostgreSQL, SQS, SNS, S3",
    workloads: SERVICES.map((svc) => WORKLOADS[svc]),
    settings: settingsSchema,
    deploy: (ctx) => new Ticketing(NAME, ctx).outputs,
};
