/**
 * spotmusic, compute tier: the ECR repositories of both images, `web-api` (ECS Fargate behind the internal ALB,
 * autoscaling on CPU) and `workers` (ECS Fargate, autoscaling on the jobs backlog per task), and who may reach
 * whom (ALB -> web-api, both services -> MySQL and Redis).
 */
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { ContainerArgs, FargateService, FargateServiceArgs, IamStatement } from "../../infra/compute/fargate-service";
import { logGroupName, physicalName } from "../../infra/shared/naming";
import { HEALTH_PATH, SERVICE_PORT } from "../ticketing";
import { ApiTier } from "./api";
import { ConfigTier } from "./config";
import { DataTier } from "./data";
import { AudioSigning } from "./edge";
import { MessagingTier } from "./messaging";
import { DB_USERS, PREFIXES, retentionDays, SpotmusicStep, Workload, WORKLOADS } from "./settings";
import { StorageTier } from "./storage";

/** What the services need of the other tiers. */
export interface ComputeDeps {
    storage: StorageTier;
    signing: AudioSigning;
    api: ApiTier;
    data: DataTier;
    messaging: MessagingTier;
    config: ConfigTier;
}

/** What later steps use of the compute tier. */
export interface ComputeTier {
    /** The ECR repositories, which exist before any image is released. */
    repos: { webApi: EcrRepository; workers: EcrRepository };
    /** Each service, once its image is released (and, for web-api, the internal certificate issued). */
    services: Record<Workload, FargateService | undefined>;
    /** The services that exist in this run, in the order of `services`. */
    deployed: Workload[];
}

/**
 * The compute tier. A service starts only on an image that exists; web-api also needs the HTTPS listener its
 * target group hangs on (ECS refuses a target group no load balancer uses, hashicorp/terraform#32908):
 * docs/first-deploy.md.
 */
export function computeTier(step: SpotmusicStep, deps: ComputeDeps): ComputeTier {
    const { config } = step;
    const repos = repositories(step);
    const webApiImage = repos.webApi.releaseImage(WORKLOADS.webApi, config.releases[WORKLOADS.webApi]);
    const workersImage = repos.workers.releaseImage(WORKLOADS.workers, config.releases[WORKLOADS.workers]);
    const webApi =
        webApiImage !== undefined && deps.api.certificate.issued
            ? webApiService(step, deps, webApiImage, repos.webApi)
            : undefined;
    const workers = workersImage === undefined ? undefined : workersService(step, deps, workersImage, repos.workers);
    const services = { "web-api": webApi, workers };
    const deployed = (Object.keys(services) as Workload[]).filter((k) => services[k] !== undefined);
    return { repos, services, deployed };
}

/** The ECR repositories of web-api and workers (KMS-encrypted with the data key). */
export function repositories(step: SpotmusicStep): ComputeTier["repos"] {
    const { name, foundation, config, scope, tags, child } = step;
    const repository = (workload: Workload) =>
        new EcrRepository(
            `${name}-${workload}-repo`,
            {
                repositoryName: physicalName(scope, workload, 256),
                kmsKeyArn: foundation.keys.keyArns.data,
                protect: config.profile.protect,
                tags,
            },
            child,
        );
    return { webApi: repository("web-api"), workers: repository("workers") };
}

/** What both services share: the foundation's cluster, the private subnets, the secrets key, an X-Ray daemon. */
function serviceBase(step: SpotmusicStep) {
    const { foundation, tags } = step;
    return {
        ...foundation.account,
        clusterArn: foundation.cluster.clusterArn,
        clusterName: foundation.cluster.clusterName,
        vpcId: foundation.network.vpcId,
        subnetIds: foundation.network.subnetIds.private,
        secretsKmsKeyArn: foundation.keys.keyArns.secrets,
        xrayDaemon: {},
        tags,
    };
}

/** Where a workload finds MySQL (as `user`, IAM authentication, TLS verified) and Redis (TLS). */
function dataEnvironment(data: DataTier, user: string): Record<string, pulumi.Input<string>> {
    const { db, cache } = data;
    return {
        DB_HOST: db.address,
        DB_PORT: String(db.port),
        DB_NAME: db.databaseName,
        DB_USER: user,
        DB_IAM_AUTH: "true",
        DB_SSL_MODE: "VERIFY_IDENTITY",
        REDIS_HOST: cache.primaryEndpoint,
        REDIS_READER_HOST: cache.readerEndpoint,
        REDIS_PORT: String(cache.port),
        REDIS_TLS: "true",
    };
}

/** A workload's container: read-only root, `/tmp` scratch space, HTTP health check on `HEALTH_PATH`. */
function container(workload: Workload, image: pulumi.Output<string>) {
    return {
        name: workload,
        image,
        portMappings: [{ containerPort: SERVICE_PORT }],
        readonlyRootFilesystem: true,
        scratchPaths: ["/tmp"],
        healthCheck: {
            command: ["CMD-SHELL", `wget -q -O /dev/null http://127.0.0.1:${SERVICE_PORT}${HEALTH_PATH} || exit 1`],
            intervalSeconds: 15,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 20,
        },
    };
}

/** Connect to MySQL as `user` (IAM authentication). */
function connect(data: DataTier, user: string): IamStatement {
    return {
        Sid: "ConnectAsItsDatabaseUser",
        Effect: "Allow",
        Action: "rds-db:connect",
        Resource: data.db.connectArn(user),
    };
}

/** A workload's log group: fixed name, the logs key, the architecture's retention. */
function logs(step: SpotmusicStep, workload: Workload): FargateServiceArgs["logs"] {
    return {
        groupName: logGroupName(step.scope, workload),
        kmsKeyArn: step.foundation.keys.keyArns.logs,
        retentionInDays: retentionDays(step),
    };
}

/**
 * web-api: behind the internal ALB (target group `web-api`), after its listener and the database users; presigns
 * uploads, sends jobs, signs audio URLs (the CloudFront private key from Secrets Manager); autoscaling on CPU.
 */
export function webApiService(
    step: SpotmusicStep,
    deps: ComputeDeps,
    image: pulumi.Output<string>,
    repo: EcrRepository,
): FargateService {
    const { name, settings: s, scope, child } = step;
    const { storage, signing, api, data, messaging, config } = deps;
    const environment: ContainerArgs["environment"] = {
        SERVICE_NAME: "web-api",
        PORT: String(SERVICE_PORT),
        ...dataEnvironment(data, DB_USERS.webApi),
        CONFIG_PATH: `${config.path("web-api")}/`,
        JOBS_QUEUE_URL: messaging.jobs.queueUrl,
        AUDIO_BUCKET: storage.audio.bucketName,
        UPLOADS_PREFIX: PREFIXES.uploads,
        AUDIO_BASE_URL: `https://${s.domain.name}/audio/`,
        CLOUDFRONT_KEY_PAIR_ID: signing.publicKey.id,
    };
    return new FargateService(
        `${name}-web-api`,
        {
            ...serviceBase(step),
            family: physicalName(scope, "web-api", 255),
            cpu: s.webApi.cpu,
            memory: s.webApi.memory,
            desiredCount: s.webApi.desiredCount,
            container: {
                ...container("web-api", image),
                environment,
                secrets: {
                    REDIS_AUTH_TOKEN: data.cache.authTokenRef(),
                    CLOUDFRONT_PRIVATE_KEY: signing.signingSecret.ref("privateKey"),
                },
            },
            logs: logs(step, "web-api"),
            ecrRepositoryArns: [repo.repositoryArn],
            taskPolicyStatements: [
                connect(data, DB_USERS.webApi),
                ...messaging.jobs.sendStatements("Jobs"),
                ...storage.audio.accessStatements("Uploads", { write: true, prefix: PREFIXES.uploads }),
                ...config.readStatements("web-api"),
            ],
            loadBalancers: [{ targetGroupArn: api.lb.targetGroupArns["web-api"], containerPort: SERVICE_PORT }],
            waitFor: [...api.lb.listeners, ...api.lb.listenerRules, data.dbUsers],
            autoscaling: { maxCapacity: s.webApi.maxCount, cpuTargetPercent: s.webApi.cpuTargetPercent },
        },
        child,
    );
}

/**
 * workers: consume the jobs queue, read uploads (`uploads/`) and write transcoded audio (`audio/`); start after
 * the database users; autoscaling on the jobs backlog per task (`workers.backlogPerTask`), not on CPU.
 */
export function workersService(
    step: SpotmusicStep,
    deps: ComputeDeps,
    image: pulumi.Output<string>,
    repo: EcrRepository,
): FargateService {
    const { name, settings: s, scope, child } = step;
    const { storage, data, messaging, config } = deps;
    const { jobs } = messaging;
    return new FargateService(
        `${name}-workers`,
        {
            ...serviceBase(step),
            family: physicalName(scope, "workers", 255),
            cpu: s.workers.cpu,
            memory: s.workers.memory,
            desiredCount: s.workers.desiredCount,
            container: {
                ...container("workers", image),
                environment: {
                    SERVICE_NAME: "workers",
                    PORT: String(SERVICE_PORT),
                    ...dataEnvironment(data, DB_USERS.workers),
                    CONFIG_PATH: `${config.path("workers")}/`,
                    JOBS_QUEUE_URL: jobs.queueUrl,
                    AUDIO_BUCKET: storage.audio.bucketName,
                    UPLOADS_PREFIX: PREFIXES.uploads,
                    AUDIO_PREFIX: PREFIXES.audio,
                },
                secrets: { REDIS_AUTH_TOKEN: data.cache.authTokenRef() },
                // Transcoding writes large temporary files.
                scratchPaths: ["/tmp", "/work"],
            },
            logs: logs(step, "workers"),
            ecrRepositoryArns: [repo.repositoryArn],
            taskPolicyStatements: [
                connect(data, DB_USERS.workers),
                ...jobs.consumeStatements("Jobs"),
                ...storage.audio.accessStatements("Uploads", { read: true, prefix: PREFIXES.uploads }),
                ...storage.audio.accessStatements("Audio", { write: true, prefix: PREFIXES.audio }),
                ...config.readStatements("workers"),
            ],
            waitFor: [data.dbUsers],
            autoscaling: {
                maxCapacity: s.workers.maxCount,
                cpuTargetPercent: null,
                queueBacklogPerTask: { queueName: jobs.queueName, targetMessagesPerTask: s.workers.backlogPerTask },
            },
        },
        child,
    );
}

/**
 * Who may reach whom: the internal ALB -> web-api (HTTP on the service port), each deployed service -> MySQL and
 * Redis (ingress on the database's and cache's groups, egress on the service's).
 */
export function networkAccess(deps: { compute: ComputeTier; data: DataTier; api: ApiTier }): void {
    const { services, deployed } = deps.compute;
    const { db, cache } = deps.data;
    const { lb } = deps.api;
    const webApi = services["web-api"];
    if (webApi) {
        webApi.allowIngressFrom("lb", {
            port: SERVICE_PORT,
            sourceSecurityGroupId: lb.securityGroupId,
            description: "HTTP from the internal load balancer only",
        });
        lb.allowEgressTo("web-api", {
            port: SERVICE_PORT,
            destinationSecurityGroupId: webApi.securityGroupId,
            description: "HTTP to web-api",
        });
    }
    for (const key of deployed) {
        const svc = services[key]!;
        db.allowFrom(key, svc.securityGroupId, `MySQL from ${key}`);
        svc.allowEgressTo("db", {
            port: db.port,
            destinationSecurityGroupId: db.securityGroupId,
            description: "MySQL to the spotmusic database",
        });
        cache.allowFrom(key, svc.securityGroupId, `Redis from ${key}`);
        svc.allowEgressTo("cache", {
            port: cache.port,
            destinationSecurityGroupId: cache.securityGroupId,
            description: "Redis to the spotmusic cache",
        });
    }
}
