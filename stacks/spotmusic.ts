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
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { z } from "zod";
import { EcrRepository } from "../infra/compute/ecr-repository";
import { FargateService, IamStatement } from "../infra/compute/fargate-service";
import { databaseSettings, domainSettings, fargateServiceSettings } from "../infra/config/component-settings";
import { got, integerIn, logRetentionDays, textMatching } from "../infra/config/schema-helpers";
import { RedisCache } from "../infra/data/redis-cache";
import { DatabaseUsers, MYSQL_READ_WRITE, MYSQL_SCHEMA_OWNER } from "../infra/data/database-users";
import { RelationalDatabase } from "../infra/data/relational-database";
import { CdnDistribution } from "../infra/edge/cdn-distribution";
import { DnsCertificate } from "../infra/edge/dns-certificate";
import { LoadBalancer, TargetGroupSpec } from "../infra/edge/load-balancer";
import { QueueWithDlq } from "../infra/messaging/queue";
import {
    AlarmSet,
    albLatencyAlarm,
    albTarget5xxAlarm,
    cacheAlarms,
    dbCpuAlarm,
    dbFreeStorageAlarm,
    dlqDepthAlarm,
    httpApi5xxAlarm,
    queueAgeAlarm,
} from "../infra/observability/alarms";
import { Dashboard } from "../infra/observability/dashboard";
import { JsonSecret } from "../infra/security/json-secret";
import { logGroupName, physicalName } from "../infra/shared/naming";
import { BucketCors, PrivateBucket } from "../infra/storage/private-bucket";
import { ArchitectureContext, ArchitectureModule } from "./architecture";
import { HEALTH_PATH, ORIGIN_HEADER, SERVICE_PORT } from "./ticketing";

export const NAME = "spotmusic";
export const WORKLOADS = { webApi: "spotmusic-web-api", workers: "spotmusic-workers" } as const;
/**
 * CORS of the audio bucket: the web app (its origin, `https://<domain.name>`) `PUT`s uploads straight
 * to the bucket with the URL web-api presigns, so S3 must answer the browser's preflight. Only `PUT`:
 * the app reads audio through CloudFront (`/audio/*`, its own origin). Headers a presigned `PUT` may
 * carry: `Content-Type` (any audio type needs a preflight), `Content-MD5`, and the SDK's checksum headers
 * (`x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm`); anything else web-api signs as a header must be
 * added here. `ETag` is exposed so the app can confirm the stored object (and complete multipart uploads).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html.
 */
export const AUDIO_UPLOAD_CORS = (domainName: string): BucketCors => ({
    allowedOrigins: [`https://${domainName}`],
    allowedMethods: ["PUT"],
    allowedHeaders: ["content-type", "content-md5", "x-amz-checksum-*", "x-amz-sdk-checksum-algorithm"],
    exposeHeaders: ["ETag"],
    maxAgeSeconds: 3600,
});

/** Prefixes of the audio bucket: what users upload, and the transcoded audio CloudFront serves under /audio/*. */
export const PREFIXES = { uploads: "uploads/", audio: "audio/" } as const;
/** The API's route (everything under /api, JWT required) and CloudFront's path patterns. */
export const API_ROUTE = "ANY /api/{proxy+}";
export const PATHS = { api: "/api/*", audio: "/audio/*" } as const;
/** The stage of the HTTP API (CloudFront calls the API at its root). */
export const STAGE = "$default";
/** Database users (IAM authentication), one per workload. */
export const DB_USERS = { webApi: "web_api", workers: "workers" } as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:spotmusic
// ------------------------------------------------------------------------------------------------

const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%/-]*)?$/;

export const settingsSchema = z.strictObject({
    domain: domainSettings("music.example.com"),
    /** The identity provider whose JWTs the API accepts (OIDC issuer URL, and the audiences = client ids). */
    auth: z.strictObject(
        {
            issuer: textMatching(HTTPS_URL, "the OIDC issuer URL of the identity provider, https://..."),
            audiences: z
                .array(textMatching(/^[A-Za-z0-9._:/-]{1,256}$/, "a client id or audience"), {
                    error: (i) => `must be a list of audiences (client ids); ${got(i.input)}`,
                })
                .min(1, { error: "must name at least one audience (the web app's client id)" }),
        },
        { error: (i) => `must be an object { issuer, audiences }: the JWT issuer the API trusts; ${got(i.input)}` },
    ),
    logRetentionDays: logRetentionDays().optional(),
    webApi: fargateServiceSettings({ cpu: 512, memory: 1024 }).prefault({}),
    workers: fargateServiceSettings({ cpu: 1024, memory: 2048 })
        .extend({
            backlogPerTask: integerIn(1, 10000, "the queued jobs per task autoscaling holds").default(10),
        })
        .prefault({}),
    /** Seconds a worker may take on one job before SQS hands it to another (transcoding is slow). */
    jobVisibilityTimeoutSeconds: integerIn(30, 43200, "seconds a worker may hold a job").default(900),
    api: z
        .strictObject({
            throttlingBurstLimit: integerIn(1, 100000, "requests the API accepts at once above the rate").default(200),
            throttlingRateLimit: integerIn(1, 100000, "requests per second the API accepts").default(100),
        })
        .prefault({}),
    /** Application configuration, written to SSM Parameter Store (SecureString). */
    config: z
        .strictObject({
            signedUrlTtlSeconds: integerIn(60, 86400, "seconds a signed URL or cookie for audio stays valid").default(
                3600,
            ),
            maxUploadMb: integerIn(1, 5000, "the largest upload in MB").default(200),
            transcodeProfiles: z
                .array(textMatching(/^[a-z0-9-]{1,32}$/, "a profile name such as aac-160"), {
                    error: (i) => `must be a list of profile names; ${got(i.input)}`,
                })
                .min(1, { error: "must name at least one profile" })
                .default(["aac-96", "aac-160", "aac-320"]),
        })
        .prefault({}),
    database: databaseSettings({ instanceClass: "db.t4g.medium", engineVersion: "8.0" }).prefault({}),
    cache: z
        .strictObject({
            nodeType: textMatching(
                /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
                "an ElastiCache node type such as cache.t4g.micro",
            ).default("cache.t4g.micro"),
            replicas: integerIn(0, 5, "read replicas besides the primary").default(0),
            multiAz: z
                .boolean({
                    error: (i) =>
                        `must be true (automatic failover to a replica in another AZ) or false; ${got(i.input)}`,
                })
                .default(false),
            snapshotRetentionDays: integerIn(0, 35, "days of daily snapshots").default(1),
        })
        .superRefine((c, ctx) => {
            if (c.multiAz && c.replicas < 1)
                ctx.addIssue({
                    code: "custom",
                    path: ["replicas"],
                    message: `must be at least 1 when multiAz is true (a replica to fail over to); got ${c.replicas}`,
                });
        })
        .prefault({}),
    audioNoncurrentVersionDays: integerIn(1, 3650, "days a replaced or deleted audio file stays recoverable").default(
        30,
    ),
    waf: z
        .strictObject({
            rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(3000),
        })
        .prefault({}),
    alarms: z
        .strictObject({
            api5xxPerMinute: integerIn(0, 100000, "API 5XX responses per minute").default(10),
            target5xxPerMinute: integerIn(0, 100000, "web-api 5XX responses per minute").default(10),
            p99LatencySeconds: z
                .number({ error: (i) => `must be seconds; ${got(i.input)}` })
                .positive({ error: (i) => `must be a positive number of seconds; ${got(i.input)}` })
                .default(2),
            jobAgeSeconds: integerIn(60, 1209600, "seconds the oldest job may wait").default(1800),
            dbCpuPercent: integerIn(10, 100, "database CPU percent").default(80),
            dbFreeStorageGb: integerIn(1, 65536, "GiB of free database storage").default(2),
            cacheCpuPercent: integerIn(10, 100, "Redis engine CPU percent").default(75),
            cacheMemoryPercent: integerIn(10, 100, "Redis memory percent").default(85),
        })
        .prefault({}),
});

export type SpotmusicSettings = z.infer<typeof settingsSchema>;

// ------------------------------------------------------------------------------------------------
// The architecture
// ------------------------------------------------------------------------------------------------

const TARGET_HEALTH: TargetGroupSpec["healthCheck"] = {
    protocol: "HTTP",
    path: HEALTH_PATH,
    matcher: "200",
    intervalSeconds: 15,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
};
/** The API's JSON access log line (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    integrationStatus: "$context.integrationStatus",
    integrationLatency: "$context.integrationLatency",
    authorizerError: "$context.authorizer.error",
    principal: "$context.authorizer.claims.sub",
});

export class Spotmusic extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<SpotmusicSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Spotmusic", name, {}, opts);
        const { config, settings: s, foundation, tags, scope } = ctx;
        const child = { parent: this };
        const account = foundation.account;
        const network = foundation.network;
        const keys = foundation.keys.keyArns;
        const protect = config.profile.protect;
        const retention = s.logRetentionDays ?? config.profile.logRetentionDays;
        const internalApiName = `api-internal.${s.domain.name}`;
        const via = (service: string) => ({
            StringEquals: { "kms:ViaService": `${service}.${config.region}.amazonaws.com` },
        });

        // ------------------------------------------------------------ storage
        const bucketArgs = {
            ...account,
            cloudFrontOrigin: true,
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            protect,
            tags,
        };
        const web = new PrivateBucket(
            `${name}-web`,
            { ...bucketArgs, lifecycle: { noncurrentVersionDays: 30 } },
            child,
        );
        const audio = new PrivateBucket(
            `${name}-audio`,
            {
                ...bucketArgs,
                lifecycle: {
                    noncurrentVersionDays: s.audioNoncurrentVersionDays,
                    transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
                },
                cors: AUDIO_UPLOAD_CORS(s.domain.name),
            },
            child,
        );

        // ------------------------------------------------------------ signed URLs / cookies for audio
        const signingKey = new tls.PrivateKey(`${name}-signing-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
        const publicKey = new aws.cloudfront.PublicKey(
            `${name}-signing-key`,
            {
                encodedKey: signingKey.publicKeyPem,
                comment: `${NAME}: verifies signed URLs and cookies for private audio`,
            },
            child,
        );
        const keyGroup = new aws.cloudfront.KeyGroup(
            `${name}-signers`,
            { items: [publicKey.id], comment: `${NAME}: keys web-api signs audio URLs with` },
            child,
        );
        const signingSecret = new JsonSecret(
            `${name}-signing-key`,
            {
                description: `${NAME}: CloudFront signing key (PEM) for private audio, read by web-api`,
                kmsKeyArn: keys.secrets,
                values: { privateKey: signingKey.privateKeyPem },
                recoveryWindowInDays: protect ? 30 : 7,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ data
        const db = new RelationalDatabase(
            `${name}-db`,
            {
                ...account,
                engine: "mysql",
                engineVersion: s.database.engineVersion,
                identifier: physicalName(scope, "db", 63),
                instanceClass: s.database.instanceClass,
                allocatedStorageGb: s.database.allocatedStorageGb,
                maxAllocatedStorageGb: s.database.maxAllocatedStorageGb,
                databaseName: NAME,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.isolated,
                dataKmsKeyArn: keys.data,
                secretsKmsKeyArn: keys.secrets,
                logs: { kmsKeyArn: keys.logs, retentionInDays: retention },
                multiAz: s.database.multiAz,
                backupRetentionDays: s.database.backupRetentionDays,
                protect,
                performanceInsights: s.database.performanceInsights,
                monitoringIntervalSeconds: s.database.monitoringIntervalSeconds,
                tags,
            },
            child,
        );
        // The workloads' MySQL users (IAM authentication), created at deploy time from inside the VPC:
        // web-api owns the schema (runs the migration), workers read and write data. Both start after them.
        const dbUsers = new DatabaseUsers(
            `${name}-db-users`,
            {
                ...account,
                database: db,
                users: [
                    { name: DB_USERS.webApi, privileges: MYSQL_SCHEMA_OWNER },
                    { name: DB_USERS.workers, privileges: MYSQL_READ_WRITE },
                ],
                functionName: physicalName(scope, "db-users", 64),
                vpc: { vpcId: network.vpcId, subnetIds: network.subnetIds.private },
                secretsKmsKeyArn: keys.secrets,
                logs: { kmsKeyArn: keys.logs, retentionInDays: retention },
                tags,
            },
            child,
        );
        const cache = new RedisCache(
            `${name}-cache`,
            {
                nodeType: s.cache.nodeType,
                replicas: s.cache.replicas,
                multiAz: s.cache.multiAz,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.isolated,
                dataKmsKeyArn: keys.data,
                secretsKmsKeyArn: keys.secrets,
                logs: {
                    groupNamePrefix: logGroupName(scope, "cache"),
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
                snapshotRetentionDays: s.cache.snapshotRetentionDays,
                protect,
                tags,
            },
            child,
        );
        const jobs = new QueueWithDlq(
            `${name}-jobs`,
            {
                region: config.region,
                kmsKeyArn: keys.messaging,
                visibilityTimeoutSeconds: s.jobVisibilityTimeoutSeconds,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ configuration (SSM Parameter Store)
        const parameterPath = (workload: "web-api" | "workers") =>
            `/${config.project}/${config.environment}/${NAME}/${workload}`;
        const parameter = (
            workload: "web-api" | "workers",
            key: string,
            value: pulumi.Input<string>,
            description: string,
        ) =>
            new aws.ssm.Parameter(
                `${name}-${workload}-${key}`,
                {
                    name: `${parameterPath(workload)}/${key}`,
                    type: "SecureString",
                    keyId: keys.secrets,
                    value,
                    description,
                    tier: "Standard",
                    tags,
                },
                child,
            );
        const parameters = [
            parameter(
                "web-api",
                "signed-url-ttl-seconds",
                String(s.config.signedUrlTtlSeconds),
                "Seconds a signed audio URL or cookie stays valid",
            ),
            parameter(
                "web-api",
                "max-upload-mb",
                String(s.config.maxUploadMb),
                "Largest upload web-api presigns, in MB",
            ),
            parameter(
                "workers",
                "transcode-profiles",
                JSON.stringify(s.config.transcodeProfiles),
                "Audio profiles workers transcode each upload into (JSON list)",
            ),
        ];
        const readParameters = (workload: "web-api" | "workers"): IamStatement[] => {
            const arn = pulumi.interpolate`arn:${foundation.partition}:ssm:${config.region}:${foundation.accountId}:parameter${parameterPath(workload)}`;
            return [
                {
                    Sid: "ReadItsParameters",
                    Effect: "Allow",
                    Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                    Resource: [arn, pulumi.interpolate`${arn}/*`],
                },
                {
                    Sid: "DecryptItsParameters",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keys.secrets,
                    Condition: via("ssm"),
                },
            ];
        };

        // ------------------------------------------------------------ internal ALB behind the VPC link
        const apiCertificate = new DnsCertificate(
            `${name}-api-certificate`,
            {
                domainName: internalApiName,
                hostedZoneId: s.domain.hostedZoneId,
                status: s.domain.certificateStatus,
                statusKey: `platform:${NAME}.domain.certificateStatus`,
                tags,
            },
            child,
        );
        const originSecret = new random.RandomPassword(`${name}-origin-verify`, { length: 48, special: false }, child);
        const vpcLinkSg = new aws.ec2.SecurityGroup(
            `${name}-vpc-link-sg`,
            {
                vpcId: network.vpcId,
                description: `${NAME}: API Gateway VPC link ENIs; HTTPS to the internal load balancer only`,
                revokeRulesOnDelete: true,
                tags: { ...tags, Name: `${name}-vpc-link-sg` },
            },
            child,
        );
        const lb = new LoadBalancer(
            `${name}-lb`,
            {
                type: "application",
                internal: true,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.private,
                ingress: {
                    https: {
                        port: 443,
                        sourceSecurityGroupId: vpcLinkSg.id,
                        description: "HTTPS from the API Gateway VPC link only",
                    },
                },
                targetGroups: { "web-api": { port: SERVICE_PORT, protocol: "HTTP", healthCheck: TARGET_HEALTH } },
                // No listener until the internal API certificate is issued (docs/first-deploy.md).
                listeners: apiCertificate.certificateArn
                    ? {
                          https: {
                              port: 443,
                              protocol: "HTTPS",
                              certificateArn: apiCertificate.certificateArn,
                              action: { type: "fixed-response", statusCode: 403, body: "Forbidden" },
                              rules: {
                                  api: {
                                      priority: 10,
                                      httpHeader: { name: ORIGIN_HEADER, values: [originSecret.result] },
                                      pathPatterns: [PATHS.api],
                                      action: { type: "forward", targetGroup: "web-api" },
                                  },
                              },
                          },
                      }
                    : {},
                accessLogs: { bucketName: foundation.logArchive.bucketName },
                protect,
                alarmTopicArn: foundation.alarmTopic.topicArn,
                tags,
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-vpc-link-out-lb`,
            {
                securityGroupId: vpcLinkSg.id,
                referencedSecurityGroupId: lb.securityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to the internal load balancer",
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ HTTP API
        const api = new aws.apigatewayv2.Api(
            `${name}-api`,
            {
                protocolType: "HTTP",
                description: `${NAME}: the web API (JWT), reached through CloudFront at /api/*`,
                tags,
            },
            child,
        );
        const vpcLink = new aws.apigatewayv2.VpcLink(
            `${name}-vpc-link`,
            { securityGroupIds: [vpcLinkSg.id], subnetIds: network.subnetIds.private, tags },
            child,
        );
        const authorizer = new aws.apigatewayv2.Authorizer(
            `${name}-jwt`,
            {
                apiId: api.id,
                authorizerType: "JWT",
                identitySources: ["$request.header.Authorization"],
                jwtConfiguration: { issuer: s.auth.issuer, audiences: s.auth.audiences },
            },
            child,
        );
        // The integration forwards to the HTTPS listener: both wait for the internal API certificate.
        const route = apiCertificate.issued
            ? this.apiRoute(name, api, vpcLink, authorizer, lb, internalApiName)
            : undefined;
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-api-access-logs`,
            {
                name: logGroupName(scope, "api-access"),
                retentionInDays: retention,
                kmsKeyId: keys.logs,
                tags,
            },
            child,
        );
        new aws.apigatewayv2.Stage(
            `${name}-api`,
            {
                apiId: api.id,
                name: STAGE,
                autoDeploy: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
                defaultRouteSettings: {
                    throttlingBurstLimit: s.api.throttlingBurstLimit,
                    throttlingRateLimit: s.api.throttlingRateLimit,
                    detailedMetricsEnabled: true,
                },
                tags,
            },
            { ...child, dependsOn: route ? [route] : [] },
        );

        // ------------------------------------------------------------ CloudFront
        // CloudFront's certificate (us-east-1): the distribution exists once it is issued (docs/first-deploy.md).
        const viewerCertificate = new DnsCertificate(
            `${name}-cdn-certificate`,
            {
                domainName: s.domain.name,
                hostedZoneId: s.domain.hostedZoneId,
                status: s.domain.certificateStatus,
                statusKey: `platform:${NAME}.domain.certificateStatus`,
                tags,
            },
            { parent: this, provider: foundation.edgeProvider },
        );
        const cdn =
            viewerCertificate.certificateArn === undefined
                ? undefined
                : new CdnDistribution(
                      `${name}-cdn`,
                      {
                          accountId: foundation.accountId,
                          partition: foundation.partition,
                          edgeProvider: foundation.edgeProvider,
                          description: `${NAME}: ${s.domain.name}`,
                          origins: {
                              web: { type: "s3", bucket: web },
                              audio: { type: "s3", bucket: audio },
                              api: {
                                  type: "https",
                                  domainName: api.apiEndpoint.apply((e) => e.replace(/^https:\/\//, "")),
                                  customHeaders: { [ORIGIN_HEADER]: originSecret.result },
                              },
                          },
                          defaultBehavior: { origin: "web", cache: "static" },
                          behaviors: [
                              { pathPattern: PATHS.api, origin: "api", cache: "dynamic" },
                              {
                                  pathPattern: PATHS.audio,
                                  origin: "audio",
                                  cache: "static",
                                  trustedKeyGroupIds: [keyGroup.id],
                              },
                          ],
                          defaultRootObject: "index.html",
                          domain: {
                              name: s.domain.name,
                              hostedZoneId: s.domain.hostedZoneId,
                              certificateArn: viewerCertificate.certificateArn,
                          },
                          waf: {
                              rateLimit: s.waf.rateLimit,
                              logGroupName: `aws-waf-logs-${physicalName(scope, "cdn", 200)}`,
                              retentionInDays: retention,
                          },
                          accessLogs: { bucketArn: foundation.logArchive.bucketArn },
                          tags,
                      },
                      child,
                  );
        // Until the distribution exists, the buckets still refuse requests without TLS.
        if (cdn === undefined) for (const bucket of [web, audio]) bucket.denyInsecureTransportOnly();

        // ------------------------------------------------------------ services
        const repos = {
            webApi: new EcrRepository(
                `${name}-web-api-repo`,
                { repositoryName: physicalName(scope, "web-api", 256), kmsKeyArn: keys.data, protect, tags },
                child,
            ),
            workers: new EcrRepository(
                `${name}-workers-repo`,
                { repositoryName: physicalName(scope, "workers", 256), kmsKeyArn: keys.data, protect, tags },
                child,
            ),
        };
        const common = {
            ...account,
            clusterArn: foundation.cluster.clusterArn,
            clusterName: foundation.cluster.clusterName,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.private,
            secretsKmsKeyArn: keys.secrets,
            xrayDaemon: {},
            tags,
        };
        const dataEnvironment = (user: string): Record<string, pulumi.Input<string>> => ({
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
        });
        const container = (workload: "web-api" | "workers", image: pulumi.Output<string>) => ({
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
        });
        const connect = (user: string): IamStatement => ({
            Sid: "ConnectAsItsDatabaseUser",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: db.connectArn(user),
        });

        // A service starts only on an image that exists; web-api also needs the HTTPS listener its target
        // group hangs on (ECS refuses a target group no load balancer uses, hashicorp/terraform#32908): docs/first-deploy.md.
        const webApiImage = repos.webApi.releaseImage(WORKLOADS.webApi, config.releases[WORKLOADS.webApi]);
        const workersImage = repos.workers.releaseImage(WORKLOADS.workers, config.releases[WORKLOADS.workers]);
        const webApi =
            webApiImage !== undefined && apiCertificate.issued
                ? new FargateService(
                      `${name}-web-api`,
                      {
                          ...common,
                          family: physicalName(scope, "web-api", 255),
                          cpu: s.webApi.cpu,
                          memory: s.webApi.memory,
                          desiredCount: s.webApi.desiredCount,
                          container: {
                              ...container("web-api", webApiImage),
                              environment: {
                                  SERVICE_NAME: "web-api",
                                  PORT: String(SERVICE_PORT),
                                  ...dataEnvironment(DB_USERS.webApi),
                                  CONFIG_PATH: `${parameterPath("web-api")}/`,
                                  JOBS_QUEUE_URL: jobs.queueUrl,
                                  AUDIO_BUCKET: audio.bucketName,
                                  UPLOADS_PREFIX: PREFIXES.uploads,
                                  AUDIO_BASE_URL: `https://${s.domain.name}/audio/`,
                                  CLOUDFRONT_KEY_PAIR_ID: publicKey.id,
                              },
                              secrets: {
                                  REDIS_AUTH_TOKEN: cache.authTokenRef(),
                                  CLOUDFRONT_PRIVATE_KEY: signingSecret.ref("privateKey"),
                              },
                          },
                          logs: {
                              groupName: logGroupName(scope, "web-api"),
                              kmsKeyArn: keys.logs,
                              retentionInDays: retention,
                          },
                          ecrRepositoryArns: [repos.webApi.repositoryArn],
                          taskPolicyStatements: [
                              connect(DB_USERS.webApi),
                              ...jobs.sendStatements("Jobs"),
                              ...audio.accessStatements("Uploads", { write: true, prefix: PREFIXES.uploads }),
                              ...readParameters("web-api"),
                          ],
                          loadBalancers: [
                              { targetGroupArn: lb.targetGroupArns["web-api"], containerPort: SERVICE_PORT },
                          ],
                          waitFor: [...lb.listeners, ...lb.listenerRules, dbUsers],
                          autoscaling: { maxCapacity: s.webApi.maxCount, cpuTargetPercent: s.webApi.cpuTargetPercent },
                      },
                      child,
                  )
                : undefined;

        const workers =
            workersImage === undefined
                ? undefined
                : new FargateService(
                      `${name}-workers`,
                      {
                          ...common,
                          family: physicalName(scope, "workers", 255),
                          cpu: s.workers.cpu,
                          memory: s.workers.memory,
                          desiredCount: s.workers.desiredCount,
                          container: {
                              ...container("workers", workersImage),
                              environment: {
                                  SERVICE_NAME: "workers",
                                  PORT: String(SERVICE_PORT),
                                  ...dataEnvironment(DB_USERS.workers),
                                  CONFIG_PATH: `${parameterPath("workers")}/`,
                                  JOBS_QUEUE_URL: jobs.queueUrl,
                                  AUDIO_BUCKET: audio.bucketName,
                                  UPLOADS_PREFIX: PREFIXES.uploads,
                                  AUDIO_PREFIX: PREFIXES.audio,
                              },
                              secrets: { REDIS_AUTH_TOKEN: cache.authTokenRef() },
                              // Transcoding writes large temporary files.
                              scratchPaths: ["/tmp", "/work"],
                          },
                          logs: {
                              groupName: logGroupName(scope, "workers"),
                              kmsKeyArn: keys.logs,
                              retentionInDays: retention,
                          },
                          ecrRepositoryArns: [repos.workers.repositoryArn],
                          taskPolicyStatements: [
                              connect(DB_USERS.workers),
                              ...jobs.consumeStatements("Jobs"),
                              ...audio.accessStatements("Uploads", { read: true, prefix: PREFIXES.uploads }),
                              ...audio.accessStatements("Audio", { write: true, prefix: PREFIXES.audio }),
                              ...readParameters("workers"),
                          ],
                          waitFor: [dbUsers],
                          autoscaling: {
                              maxCapacity: s.workers.maxCount,
                              cpuTargetPercent: null,
                              queueBacklogPerTask: {
                                  queueName: jobs.queueName,
                                  targetMessagesPerTask: s.workers.backlogPerTask,
                              },
                          },
                      },
                      child,
                  );
        const services = { "web-api": webApi, workers };
        const deployed = (Object.keys(services) as (keyof typeof services)[]).filter((k) => services[k] !== undefined);

        // ------------------------------------------------------------ who may reach whom
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

        // ------------------------------------------------------------ alarms and dashboard
        new AlarmSet(
            `${name}-alarms`,
            {
                topicArn: foundation.alarmTopic.topicArn,
                alarms: {
                    "api-5xx": httpApi5xxAlarm(api.id, STAGE, s.alarms.api5xxPerMinute),
                    "alb-target-5xx": albTarget5xxAlarm(lb.arnSuffix, s.alarms.target5xxPerMinute),
                    "alb-latency": albLatencyAlarm(lb.arnSuffix, s.alarms.p99LatencySeconds),
                    "jobs-age": queueAgeAlarm(jobs.queueName, s.alarms.jobAgeSeconds, "workers"),
                    "jobs-dlq": dlqDepthAlarm(jobs.dlqName, "the jobs queue"),
                    "db-cpu": dbCpuAlarm(db.instanceIdentifier, s.alarms.dbCpuPercent),
                    "db-free-storage": dbFreeStorageAlarm(db.instanceIdentifier, s.alarms.dbFreeStorageGb * 2 ** 30),
                    ...cacheAlarms(cache.memberClusterIds, s.alarms.cacheCpuPercent, s.alarms.cacheMemoryPercent),
                },
                tags,
            },
            child,
        );
        const ecs = (svc: FargateService) => ({
            ClusterName: foundation.cluster.clusterName,
            ServiceName: svc.serviceName,
        });
        const dashboard = new Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: physicalName(scope, "dashboard", 255),
                region: config.region,
                graphs: [
                    {
                        title: "API: requests, 4XX and 5XX",
                        stat: "Sum",
                        metrics: ["Count", "4xx", "5xx"].map((metricName) => ({
                            namespace: "AWS/ApiGateway",
                            metricName,
                            dimensions: { ApiId: api.id, Stage: STAGE },
                        })),
                    },
                    {
                        title: "API: latency (ms)",
                        metrics: ["Latency", "IntegrationLatency"].map((metricName) => ({
                            namespace: "AWS/ApiGateway",
                            metricName,
                            dimensions: { ApiId: api.id, Stage: STAGE },
                            stat: "p99",
                            label: `${metricName} p99`,
                        })),
                    },
                    ...(deployed.length > 0
                        ? [
                              {
                                  title: "ECS: CPU utilisation (%)",
                                  metrics: deployed.map((key) => ({
                                      namespace: "AWS/ECS",
                                      metricName: "CPUUtilization",
                                      dimensions: ecs(services[key]!),
                                      label: key,
                                  })),
                              },
                          ]
                        : []),
                    {
                        title: "Jobs: visible, oldest age (s), DLQ",
                        stat: "Maximum",
                        metrics: [
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateNumberOfMessagesVisible",
                                dimensions: { QueueName: jobs.queueName },
                                label: "visible",
                            },
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateAgeOfOldestMessage",
                                dimensions: { QueueName: jobs.queueName },
                                label: "oldest age",
                            },
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateNumberOfMessagesVisible",
                                dimensions: { QueueName: jobs.dlqName },
                                label: "DLQ",
                            },
                        ],
                    },
                    {
                        title: "RDS: CPU (%) and connections",
                        metrics: [
                            {
                                namespace: "AWS/RDS",
                                metricName: "CPUUtilization",
                                dimensions: { DBInstanceIdentifier: db.instanceIdentifier },
                                label: "CPU",
                            },
                            {
                                namespace: "AWS/RDS",
                                metricName: "DatabaseConnections",
                                dimensions: { DBInstanceIdentifier: db.instanceIdentifier },
                                label: "connections",
                                stat: "Maximum",
                            },
                        ],
                    },
                    {
                        title: "Redis: engine CPU and memory per node (%)",
                        // Published per member cluster (CacheClusterId), not per replication group:
                        // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.html
                        metrics: ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage"].flatMap((metricName) =>
                            Object.entries(cache.memberClusterIds).map(([number, id]) => ({
                                namespace: "AWS/ElastiCache",
                                metricName,
                                dimensions: { CacheClusterId: id },
                                label: `${metricName} ${number}`,
                            })),
                        ),
                    },
                ],
            },
            child,
        );

        const dnsRecords: Record<string, unknown>[] = [];
        if (s.domain.hostedZoneId === undefined) {
            dnsRecords.push(
                { purpose: "CloudFront certificate validation", ...viewerCertificate.validationRecord },
                { purpose: "internal API certificate validation", ...apiCertificate.validationRecord },
                // The distribution, hence its name, exists once the certificates are issued.
                ...(cdn ? [{ purpose: "viewers", name: s.domain.name, type: "CNAME", value: cdn.domainName }] : []),
            );
        } else {
            // The VPC link reaches the ALB by listener ARN; the name only has to match its certificate, but
            // a record keeps it resolvable for operators inside the VPC.
            new aws.route53.Record(
                `${name}-api-internal`,
                {
                    zoneId: s.domain.hostedZoneId,
                    name: internalApiName,
                    type: "CNAME",
                    ttl: 300,
                    records: [lb.dnsName],
                },
                child,
            );
        }
        this.outputs = {
            ...(cdn
                ? {
                      url: cdn.url,
                      apiUrl: pulumi.interpolate`${cdn.url}/api/`,
                      distributionId: cdn.distributionId,
                      distributionDomainName: cdn.domainName,
                      webAclArn: cdn.webAclArn,
                  }
                : {}),
            apiId: api.id,
            apiEndpoint: api.apiEndpoint,
            internalLoadBalancerDnsName: lb.dnsName,
            webBucketName: web.bucketName,
            audioBucketName: audio.bucketName,
            signingKeyPairId: publicKey.id,
            keyGroupId: keyGroup.id,
            ecrRepositoryUrls: { webApi: repos.webApi.repositoryUrl, workers: repos.workers.repositoryUrl },
            serviceNames: {
                ...(webApi ? { webApi: webApi.serviceName } : {}),
                ...(workers ? { workers: workers.serviceName } : {}),
            },
            databaseAddress: db.address,
            databaseMasterSecretArn: db.masterUserSecretArn,
            cachePrimaryEndpoint: cache.primaryEndpoint,
            jobsQueueUrl: jobs.queueUrl,
            parameterNames: parameters.map((p) => p.name),
            dashboardName: dashboard.dashboardName,
            dnsRecordsToCreate: dnsRecords,
        };
        this.registerOutputs(this.outputs);
    }

    /** The API's route to web-api: an HTTP_PROXY integration through the VPC link to the internal ALB's HTTPS listener. */
    private apiRoute(
        name: string,
        api: aws.apigatewayv2.Api,
        vpcLink: aws.apigatewayv2.VpcLink,
        authorizer: aws.apigatewayv2.Authorizer,
        lb: LoadBalancer,
        internalApiName: string,
    ): aws.apigatewayv2.Route {
        const child = { parent: this };
        const integration = new aws.apigatewayv2.Integration(
            `${name}-web-api`,
            {
                apiId: api.id,
                description: "web-api through the VPC link and the internal load balancer",
                integrationType: "HTTP_PROXY",
                integrationMethod: "ANY",
                integrationUri: lb.listeners[0].arn,
                connectionType: "VPC_LINK",
                connectionId: vpcLink.id,
                payloadFormatVersion: "1.0",
                timeoutMilliseconds: 30000,
                tlsConfig: { serverNameToVerify: internalApiName },
            },
            child,
        );
        const route = new aws.apigatewayv2.Route(
            `${name}-api-route`,
            {
                apiId: api.id,
                routeKey: API_ROUTE,
                authorizationType: "JWT",
                authorizerId: authorizer.id,
                target: pulumi.interpolate`integrations/${integration.id}`,
            },
            child,
        );
        return route;
    }
}

export const spotmusic: ArchitectureModule<SpotmusicSettings> = {
    name: NAME,
    description:
        "Music streaming: web app and signed audio on CloudFront with WAF, HTTP API (JWT) via VPC link to web-api on Fargate, queue-driven workers; RDS MySQL, Redis, SSM, Secrets Manager",
    workloads: [WORKLOADS.webApi, WORKLOADS.workers],
    settings: settingsSchema,
    deploy: (ctx) => new Spotmusic(NAME, ctx).outputs,
};
