/**
 * spotmusic (seed 002): a music streaming platform. See docs/spotmusic.md.
 *
 * viewers -> CloudFront (HTTPS, TLSv1.2_2021, WAF) with three behaviours:
 *   default  -> the web app bucket (S3, origin access control);
 *   /audio/* -> the audio bucket (S3, origin access control), signed URLs or cookies only (key group);
 *   /api/*   -> API Gateway HTTP API (JWT authorizer) -> VPC link -> internal ALB (HTTPS, rules require
 *               the secret origin header CloudFront adds) -> `web-api` on ECS Fargate.
 * `workers` (ECS Fargate) consume the jobs queue (SQS with DLQ), scaling on backlog per task: they
 * transcode uploads (`uploads/`) into streamable audio (`audio/`). Data: RDS MySQL (IAM authentication),
 * ElastiCache Redis (TLS, AUTH token in Secrets Manager), SSM SecureString parameters for configuration,
 * Secrets Manager for secrets; each readable only by the roles that need it. ECR repositories for both
 * images; alarms and a dashboard.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { apiTier, ApiTier } from "./spotmusic/api";
import { computeTier, ComputeTier, networkAccess } from "./spotmusic/compute";
import { configTier, ConfigTier } from "./spotmusic/config";
import { dataTier, DataTier } from "./spotmusic/data";
import { audioSigning, AudioSigning, dns, edgeTier, EdgeTier } from "./spotmusic/edge";
import { messagingTier, MessagingTier } from "./spotmusic/messaging";
import { observability, Observability } from "./spotmusic/observability";
import { NAME, settingsSchema, SpotmusicSettings, SpotmusicStep, WORKLOADS } from "./spotmusic/settings";
import { storageTier, StorageTier } from "./spotmusic/storage";

export * from "./spotmusic/settings";

export class Spotmusic extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<SpotmusicSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Spotmusic", name, {}, opts);
        const step: SpotmusicStep = { ...ctx, name, child: { parent: this } };
        const storage = storageTier(step); // web app and audio buckets
        const signing = audioSigning(step); // CloudFront key group and private key for signed audio
        const data = dataTier(step); // MySQL, its users, Redis
        const messaging = messagingTier(step); // the jobs queue
        const config = configTier(step); // SSM parameters
        const api = apiTier(step); // internal ALB, VPC link, HTTP API
        const edge = edgeTier(step, { storage, api, signing }); // CloudFront, WAF, certificate
        // ECR repositories, web-api and workers on Fargate
        const compute = computeTier(step, { storage, signing, api, data, messaging, config });
        networkAccess({ compute, data, api }); // who may reach whom
        const observed = observability(step, { api, compute, data, messaging }); // alarms, dashboard
        const dnsRecords = dns(step, { edge, api }); // Route 53, or the records to create
        this.outputs = stackOutputs({
            storage,
            signing,
            data,
            messaging,
            config,
            api,
            edge,
            compute,
            observed,
            dnsRecords,
        });
        this.registerOutputs(this.outputs);
    }
}

/** The architecture's stack outputs (a public contract: camelCase, stable). */
function stackOutputs(t: {
    storage: StorageTier;
    signing: AudioSigning;
    data: DataTier;
    messaging: MessagingTier;
    config: ConfigTier;
    api: ApiTier;
    edge: EdgeTier;
    compute: ComputeTier;
    observed: Observability;
    dnsRecords: Record<string, unknown>[];
}): Record<string, pulumi.Input<unknown>> {
    const { cdn } = t.edge;
    const { repos, services } = t.compute;
    const webApi = services["web-api"];
    const workers = services.workers;
    return {
        ...(cdn
            ? {
                  url: cdn.url,
                  apiUrl: pulumi.interpolate`${cdn.url}/api/`,
                  distributionId: cdn.distributionId,
                  distributionDomainName: cdn.domainName,
                  webAclArn: cdn.webAclArn,
              }
            : {}),
        apiId: t.api.api.id,
        apiEndpoint: t.api.api.apiEndpoint,
        internalLoadBalancerDnsName: t.api.lb.dnsName,
        webBucketName: t.storage.web.bucketName,
        audioBucketName: t.storage.audio.bucketName,
        signingKeyPairId: t.signing.publicKey.id,
        keyGroupId: t.signing.keyGroup.id,
        ecrRepositoryUrls: { webApi: repos.webApi.repositoryUrl, workers: repos.workers.repositoryUrl },
        serviceNames: {
            ...(webApi ? { webApi: webApi.serviceName } : {}),
            ...(workers ? { workers: workers.serviceName } : {}),
        },
        databaseAddress: t.data.db.address,
        databaseMasterSecretArn: t.data.db.masterUserSecretArn,
        cachePrimaryEndpoint: t.data.cache.primaryEndpoint,
        jobsQueueUrl: t.messaging.jobs.queueUrl,
        parameterNames: t.config.parameters.map((p) => p.name),
        dashboardName: t.observed.dashboard.dashboardName,
        dnsRecordsToCreate: t.dnsRecords,
    };
}

export const spotmusic: ArchitectureModule<SpotmusicSettings> = {
    name: NAME,
    description:
        "Music streaming: web app and signed audio on CloudFront with WAF, HTTP API (JWT) via VPC link to web-api " +
        "on Fargate, queue-driven workers; RDS MySQL, Redis, SSM, Secrets Manager",
    workloads: [WORKLOADS.webApi, WORKLOADS.workers],
    settings: settingsSchema,
    deploy: (ctx) => new Spotmusic(NAME, ctx).outputs,
};
