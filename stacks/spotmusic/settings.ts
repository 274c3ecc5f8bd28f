/**
 * spotmusic, settings: the `platform:spotmusic` schema, its type, the architecture's constants (names, prefixes,
 * routes, the API's stage and access log format) and what every step derives the same way.
 */
import { z } from "zod";
import { databaseSettings, domainSettings, fargateServiceSettings } from "../../infra/config/component-settings";
import { got, integerIn, logRetentionDays, textMatching } from "../../infra/config/schema-helpers";
import { BucketCors } from "../../infra/storage/private-bucket";
import { StepContext } from "../architecture";

export const NAME = "spotmusic";
export const WORKLOADS = { webApi: "spotmusic-web-api", workers: "spotmusic-workers" } as const;
/** The two workloads as they appear in resource names, parameter paths and containers. */
export type Workload = "web-api" | "workers";
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

/**
 * The API's JSON access log line
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html).
 */
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

// ------------------------------------------------------------------------------------------------
// Settings: platform:spotmusic
// ------------------------------------------------------------------------------------------------

const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%/-]*)?$/;

/** What the settings' error messages say a value must be, where the message made a line too long. */
const MESSAGES = {
    authObject: "must be an object { issuer, audiences }: the JWT issuer the API trusts",
    burstLimit: "requests the API accepts at once above the rate",
    signedUrlTtl: "seconds a signed URL or cookie for audio stays valid",
    cacheNodeType: "an ElastiCache node type such as cache.t4g.micro",
    multiAz: "must be true (automatic failover to a replica in another AZ) or false",
    multiAzReplicas: "must be at least 1 when multiAz is true (a replica to fail over to)",
    audioNoncurrent: "days a replaced or deleted audio file stays recoverable",
} as const;

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
        { error: (i) => `${MESSAGES.authObject}; ${got(i.input)}` },
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
            throttlingBurstLimit: integerIn(1, 100000, MESSAGES.burstLimit).default(200),
            throttlingRateLimit: integerIn(1, 100000, "requests per second the API accepts").default(100),
        })
        .prefault({}),
    /** Application configuration, written to SSM Parameter Store (SecureString). */
    config: z
        .strictObject({
            signedUrlTtlSeconds: integerIn(60, 86400, MESSAGES.signedUrlTtl).default(3600),
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
            nodeType: textMatching(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, MESSAGES.cacheNodeType).default("cache.t4g.micro"),
            replicas: integerIn(0, 5, "read replicas besides the primary").default(0),
            multiAz: z.boolean({ error: (i) => `${MESSAGES.multiAz}; ${got(i.input)}` }).default(false),
            snapshotRetentionDays: integerIn(0, 35, "days of daily snapshots").default(1),
        })
        .superRefine((c, ctx) => {
            if (c.multiAz && c.replicas < 1)
                ctx.addIssue({
                    code: "custom",
                    path: ["replicas"],
                    message: `${MESSAGES.multiAzReplicas}; got ${c.replicas}`,
                });
        })
        .prefault({}),
    audioNoncurrentVersionDays: integerIn(1, 3650, MESSAGES.audioNoncurrent).default(30),
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
// What every step derives the same way
// ------------------------------------------------------------------------------------------------

/** What every spotmusic step receives: the architecture context, the component's name and `{ parent }`. */
export type SpotmusicStep = StepContext<SpotmusicSettings>;

/** Retention in days of the architecture's log groups: the setting, else the profile's. */
export const retentionDays = (step: SpotmusicStep): number =>
    step.settings.logRetentionDays ?? step.config.profile.logRetentionDays;

/**
 * The internal ALB's name, which its certificate covers and the API's integration verifies:
 * `api-internal.<domain>`.
 */
export const internalApiName = (step: SpotmusicStep): string => `api-internal.${step.settings.domain.name}`;
