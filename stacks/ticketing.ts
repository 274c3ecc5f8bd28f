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
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { EcrRepository } from "../infra/compute/ecr-repository";
import { FargateService, IamStatement } from "../infra/compute/fargate-service";
import { databaseSettings, domainSettings, fargateServiceSettings } from "../infra/config/component-settings";
import { got, integerIn, logRetentionDays } from "../infra/config/schema-helpers";
import { DatabaseUsers } from "../infra/data/database-users";
import { RelationalDatabase } from "../infra/data/relational-database";
import { CdnDistribution } from "../infra/edge/cdn-distribution";
import { DnsCertificate } from "../infra/edge/dns-certificate";
import { LoadBalancer, ListenerRuleSpec, TargetGroupSpec } from "../infra/edge/load-balancer";
import { QueueWithDlq } from "../infra/messaging/queue";
import {
    AlarmSet,
    albElb5xxAlarm,
    albLatencyAlarm,
    albTarget5xxAlarm,
    dbCpuAlarm,
    dbFreeStorageAlarm,
    dlqDepthAlarm,
    queueAgeAlarm,
} from "../infra/observability/alarms";
import { Dashboard } from "../infra/observability/dashboard";
import { logGroupName, physicalName } from "../infra/shared/naming";
import { PrivateBucket } from "../infra/storage/private-bucket";
import { ArchitectureContext, ArchitectureModule } from "./architecture";

export const NAME = "ticketing";
/** The services and their workloads in `platform:releases` (image tags pushed by each service's CI). */
export const SERVICES = ["ticket", "reservation", "checkout", "product", "notification"] as const;
export type ServiceKey = (typeof SERVICES)[number];
export const WORKLOADS: Record<ServiceKey, string> = {
    ticket: "ticket-service",
    reservation: "reservation-service",
    checkout: "checkout-service",
    product: "product-service",
    notification: "notification-service",
};
/** Services behind the load balancer, with their rule priority and path patterns (at most 3 per rule with the header). */
export const ROUTES: Record<Exclude<ServiceKey, "notification">, { priority: number; paths: string[] }> = {
    ticket: { priority: 10, paths: ["/api/events*", "/api/tickets*"] },
    reservation: { priority: 20, paths: ["/api/reservations*"] },
    checkout: { priority: 30, paths: ["/api/checkout*", "/api/orders*"] },
    product: { priority: 40, paths: ["/api/products*"] },
};
/** The port every service listens on, and its health endpoint (the image contract, docs/ticketing.md). */
export const SERVICE_PORT = 8080;
export const HEALTH_PATH = "/health";
/** The header CloudFront adds and the listener rules require. */
export const ORIGIN_HEADER = "X-Origin-Verify";
/** The CloudFront origin-facing managed prefix list (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html). */
export const CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing";
/** Database users, one per service that uses the database (IAM authentication). */
export const DB_USERS: Partial<Record<ServiceKey, string>> = {
    ticket: "ticket_service",
    reservation: "reservation_service",
    checkout: "checkout_service",
    product: "product_service",
};
/** Prefixes of the assets bucket. */
export const PREFIXES = { receipts: "receipts/", tickets: "tickets/" } as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:ticketing
// ------------------------------------------------------------------------------------------------

export const settingsSchema = z.strictObject({
    domain: domainSettings("tickets.example.com"),
    /** Retention of the services', WAF and database log groups; default the stack's platform:logRetentionDays. */
    logRetentionDays: logRetentionDays().optional(),
    ticket: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    reservation: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    checkout: fargateServiceSettings({ cpu: 512, memory: 1024 }).prefault({}),
    product: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    notification: fargateServiceSettings({ cpu: 256, memory: 512 })
        .extend({
            backlogPerTask: integerIn(1, 10000, "the queued notifications per task autoscaling holds").default(100),
        })
        .prefault({}),
    /** How long a reservation holds seats before its expiry message arrives (SQS delivery delay, at most 15 minutes). */
    reservationHoldSeconds: integerIn(
        60,
        900,
        "seconds a reservation holds its seats (the SQS delay limit is 900)",
    ).default(600),
    database: databaseSettings({ instanceClass: "db.t4g.micro", engineVersion: "16" }).prefault({}),
    /** Days overwritten or deleted receipts and ticket images stay recoverable. */
    assetsNoncurrentVersionDays: integerIn(1, 3650, "days a noncurrent object version is kept").default(90),
    waf: z
        .strictObject({
            rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(2000),
        })
        .prefault({}),
    alarms: z
        .strictObject({
            target5xxPerMinute: integerIn(0, 100000, "target 5XX responses per minute").default(10),
            elb5xxPerMinute: integerIn(0, 100000, "load balancer 5XX responses per minute").default(10),
            p99LatencySeconds: z
                .number({ error: (i) => `must be seconds; ${got(i.input)}` })
                .positive({ error: (i) => `must be a positive number of seconds; ${got(i.input)}` })
                .default(2),
            queueAgeSeconds: integerIn(60, 1209600, "seconds the oldest notification may wait").default(300),
            dbCpuPercent: integerIn(10, 100, "database CPU percent").default(80),
            dbFreeStorageGb: integerIn(1, 65536, "GiB of free database storage").default(2),
        })
        .prefault({}),
});

export type TicketingSettings = z.infer<typeof settingsSchema>;

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
const label = (svc: ServiceKey) => `${svc}-service`;

export class Ticketing extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<TicketingSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:Ticketing", name, {}, opts);
        const { config, settings: s, foundation, tags, scope } = ctx;
        const child = { parent: this };
        const account = foundation.account;
        const network = foundation.network;
        const keys = foundation.keys.keyArns;
        const protect = config.profile.protect;
        const retention = s.logRetentionDays ?? config.profile.logRetentionDays;
        const originName = `origin.${s.domain.name}`;

        // ------------------------------------------------------------ data
        const db = new RelationalDatabase(
            `${name}-db`,
            {
                ...account,
                engine: "postgres",
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
        // The services' PostgreSQL users (IAM authentication), created at deploy time from inside the VPC;
        // the services that use the database start after them.
        const dbUsers = new DatabaseUsers(
            `${name}-db-users`,
            {
                ...account,
                database: db,
                users: Object.values(DB_USERS).map((user) => ({ name: user })),
                functionName: physicalName(scope, "db-users", 64),
                vpc: { vpcId: network.vpcId, subnetIds: network.subnetIds.private },
                secretsKmsKeyArn: keys.secrets,
                logs: { kmsKeyArn: keys.logs, retentionInDays: retention },
                tags,
            },
            child,
        );

        const notifications = new QueueWithDlq(
            `${name}-notifications`,
            { region: config.region, kmsKeyArn: keys.messaging, visibilityTimeoutSeconds: 60, tags },
            child,
        );
        // Reservation expiry: every message is delivered reservationHoldSeconds after it is sent.
        const expiry = new QueueWithDlq(
            `${name}-reservation-expiry`,
            {
                region: config.region,
                kmsKeyArn: keys.messaging,
                visibilityTimeoutSeconds: 60,
                delaySeconds: s.reservationHoldSeconds,
                tags,
            },
            child,
        );

        const topic = new aws.sns.Topic(`${name}-notifications`, { kmsMasterKeyId: keys.messaging, tags }, child);
        new aws.sns.TopicPolicy(
            `${name}-notifications`,
            {
                arn: topic.arn,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "sns:Publish",
                            Resource: topic.arn,
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        {
                            Sid: "DenyOtherAccounts",
                            Effect: "Deny",
                            Principal: "*",
                            Action: ["sns:Publish", "sns:Subscribe"],
                            Resource: topic.arn,
                            Condition: { StringNotEquals: { "aws:PrincipalAccount": foundation.accountId } },
                        },
                    ],
                }),
            },
            child,
        );

        const assets = new PrivateBucket(
            `${name}-assets`,
            {
                ...account,
                kmsKeyArn: keys.data,
                accessLogs: { bucketName: foundation.logArchive.bucketName },
                lifecycle: { noncurrentVersionDays: s.assetsNoncurrentVersionDays },
                protect,
                tags,
            },
            child,
        );

        // The payment provider's API credentials: the value is put by an operator (docs/ticketing.md),
        // read by checkout-service at run time.
        const paymentSecret = new aws.secretsmanager.Secret(
            `${name}-payment-provider`,
            {
                description: `${NAME}: payment provider API credentials (JSON), read by checkout-service`,
                kmsKeyId: keys.secrets,
                recoveryWindowInDays: protect ? 30 : 7,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ edge: origin certificate, ALB
        const originCertificate = new DnsCertificate(
            `${name}-origin-certificate`,
            {
                domainName: originName,
                hostedZoneId: s.domain.hostedZoneId,
                status: s.domain.certificateStatus,
                statusKey: `platform:${NAME}.domain.certificateStatus`,
                tags,
            },
            child,
        );
        const originSecret = new random.RandomPassword(`${name}-origin-verify`, { length: 48, special: false }, child);
        const cloudFrontPrefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING }, child);

        const routed = Object.keys(ROUTES) as (keyof typeof ROUTES)[];
        const rules: Record<string, ListenerRuleSpec> = {};
        for (const svc of routed) {
            rules[svc] = {
                priority: ROUTES[svc].priority,
                httpHeader: { name: ORIGIN_HEADER, values: [originSecret.result] },
                pathPatterns: ROUTES[svc].paths,
                action: { type: "forward", targetGroup: svc },
            };
        }
        const lb = new LoadBalancer(
            `${name}-lb`,
            {
                type: "application",
                vpcId: network.vpcId,
                subnetIds: network.subnetIds.public,
                // One rule: the prefix list weighs ~55 of the group's 60 inbound rules.
                ingress: {
                    https: {
                        port: 443,
                        prefixListId: cloudFrontPrefixList.id,
                        description: "HTTPS from CloudFront origin-facing servers only",
                    },
                },
                targetGroups: Object.fromEntries(
                    routed.map((svc) => [svc, { port: SERVICE_PORT, protocol: "HTTP", healthCheck: TARGET_HEALTH }]),
                ),
                // No listener until the origin certificate is issued (docs/first-deploy.md).
                listeners: originCertificate.certificateArn
                    ? {
                          https: {
                              port: 443,
                              protocol: "HTTPS",
                              certificateArn: originCertificate.certificateArn,
                              action: { type: "fixed-response", statusCode: 403, body: "Forbidden" },
                              rules,
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
        let originRecord: { name: string; type: string; value: pulumi.Output<string> } | undefined;
        if (s.domain.hostedZoneId !== undefined) {
            new aws.route53.Record(
                `${name}-origin`,
                {
                    zoneId: s.domain.hostedZoneId,
                    name: originName,
                    type: "A",
                    aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: false }],
                },
                child,
            );
        } else {
            originRecord = { name: originName, type: "CNAME", value: lb.dnsName };
        }

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
                              alb: {
                                  type: "https",
                                  domainName: originName,
                                  customHeaders: { [ORIGIN_HEADER]: originSecret.result },
                              },
                          },
                          defaultBehavior: { origin: "alb", cache: "dynamic" },
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

        // ------------------------------------------------------------ services
        const repos = Object.fromEntries(
            SERVICES.map((svc) => [
                svc,
                new EcrRepository(
                    `${name}-${svc}-repo`,
                    { repositoryName: physicalName(scope, label(svc), 256), kmsKeyArn: keys.data, protect, tags },
                    child,
                ),
            ]),
        ) as Record<ServiceKey, EcrRepository>;
        const dbConnect = (svc: ServiceKey): IamStatement[] => [
            {
                Sid: "ConnectAsItsDatabaseUser",
                Effect: "Allow",
                Action: "rds-db:connect",
                Resource: db.connectArn(DB_USERS[svc]!),
            },
        ];
        const statements: Record<ServiceKey, IamStatement[]> = {
            ticket: [
                ...dbConnect("ticket"),
                ...assets.accessStatements("TicketImages", { read: true, write: true, prefix: PREFIXES.tickets }),
            ],
            reservation: [
                ...dbConnect("reservation"),
                ...expiry.sendStatements("ReservationExpiry"),
                ...expiry.consumeStatements("ReservationExpiry"),
            ],
            checkout: [
                ...dbConnect("checkout"),
                ...notifications.sendStatements("Notifications"),
                ...assets.accessStatements("Receipts", { write: true, prefix: PREFIXES.receipts }),
                {
                    Sid: "ReadPaymentProviderSecret",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: paymentSecret.arn,
                },
                {
                    Sid: "DecryptPaymentProviderSecret",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keys.secrets,
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${config.region}.amazonaws.com` } },
                },
            ],
            product: [...dbConnect("product")],
            notification: [
                ...notifications.consumeStatements("Notifications"),
                { Sid: "PublishNotifications", Effect: "Allow", Action: "sns:Publish", Resource: topic.arn },
                {
                    Sid: "EncryptNotifications",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: keys.messaging,
                    Condition: { StringEquals: { "kms:ViaService": `sns.${config.region}.amazonaws.com` } },
                },
                ...assets.accessStatements("ReceiptLinks", { read: true, prefix: PREFIXES.receipts }),
            ],
        };
        const dbEnvironment = (svc: ServiceKey): Record<string, pulumi.Input<string>> => {
            const user = DB_USERS[svc];
            return user
                ? {
                      DB_HOST: db.address,
                      DB_PORT: String(db.port),
                      DB_NAME: db.databaseName,
                      DB_USER: user,
                      DB_IAM_AUTH: "true",
                      DB_SSL_MODE: "verify-full",
                  }
                : {};
        };
        const environment: Record<ServiceKey, Record<string, pulumi.Input<string>>> = {
            ticket: { ASSETS_BUCKET: assets.bucketName, TICKET_IMAGES_PREFIX: PREFIXES.tickets },
            reservation: {
                RESERVATION_EXPIRY_QUEUE_URL: expiry.queueUrl,
                RESERVATION_HOLD_SECONDS: String(s.reservationHoldSeconds),
            },
            checkout: {
                NOTIFICATION_QUEUE_URL: notifications.queueUrl,
                ASSETS_BUCKET: assets.bucketName,
                RECEIPTS_PREFIX: PREFIXES.receipts,
                PAYMENT_PROVIDER_SECRET_ARN: paymentSecret.arn,
            },
            product: {},
            notification: {
                NOTIFICATION_QUEUE_URL: notifications.queueUrl,
                NOTIFICATION_TOPIC_ARN: topic.arn,
                ASSETS_BUCKET: assets.bucketName,
                RECEIPTS_PREFIX: PREFIXES.receipts,
            },
        };

        // A service starts only on an image that exists and, behind the load balancer, once its listener
        // exists (ECS refuses a target group no load balancer uses, hashicorp/terraform#32908): docs/first-deploy.md.
        const services: Partial<Record<ServiceKey, FargateService>> = {};
        for (const svc of SERVICES) {
            const size = s[svc];
            const behindLb = svc !== "notification";
            const image = repos[svc].releaseImage(WORKLOADS[svc], config.releases[WORKLOADS[svc]]);
            if (image === undefined || (behindLb && !originCertificate.issued)) continue;
            services[svc] = new FargateService(
                `${name}-${svc}`,
                {
                    ...account,
                    clusterArn: foundation.cluster.clusterArn,
                    clusterName: foundation.cluster.clusterName,
                    vpcId: network.vpcId,
                    subnetIds: network.subnetIds.private,
                    family: physicalName(scope, label(svc), 255),
                    cpu: size.cpu,
                    memory: size.memory,
                    desiredCount: size.desiredCount,
                    container: {
                        name: label(svc),
                        image,
                        portMappings: [{ containerPort: SERVICE_PORT }],
                        environment: {
                            SERVICE_NAME: label(svc),
                            PORT: String(SERVICE_PORT),
                            ...dbEnvironment(svc),
                            ...environment[svc],
                        },
                        readonlyRootFilesystem: true,
                        scratchPaths: ["/tmp"],
                        healthCheck: {
                            command: [
                                "CMD-SHELL",
                                `wget -q -O /dev/null http://127.0.0.1:${SERVICE_PORT}${HEALTH_PATH} || exit 1`,
                            ],
                            intervalSeconds: 15,
                            timeoutSeconds: 5,
                            retries: 3,
                            startPeriodSeconds: 20,
                        },
                    },
                    logs: {
                        groupName: logGroupName(scope, label(svc)),
                        kmsKeyArn: keys.logs,
                        retentionInDays: retention,
                    },
                    ecrRepositoryArns: [repos[svc].repositoryArn],
                    taskPolicyStatements: statements[svc],
                    xrayDaemon: {},
                    loadBalancers: behindLb
                        ? [{ targetGroupArn: lb.targetGroupArns[svc], containerPort: SERVICE_PORT }]
                        : undefined,
                    waitFor: [
                        ...(behindLb ? [...lb.listeners, ...lb.listenerRules] : []),
                        ...(DB_USERS[svc] ? [dbUsers] : []),
                    ],
                    autoscaling: {
                        maxCapacity: size.maxCount,
                        cpuTargetPercent: size.cpuTargetPercent,
                        queueBacklogPerTask:
                            svc === "notification"
                                ? {
                                      queueName: notifications.queueName,
                                      targetMessagesPerTask: s.notification.backlogPerTask,
                                  }
                                : undefined,
                    },
                    tags,
                },
                child,
            );
        }

        // ------------------------------------------------------------ who may reach whom
        for (const svc of routed) {
            const service = services[svc];
            if (service === undefined) continue;
            service.allowIngressFrom("lb", {
                port: SERVICE_PORT,
                sourceSecurityGroupId: lb.securityGroupId,
                description: "HTTP from the load balancer only",
            });
            lb.allowEgressTo(svc, {
                port: SERVICE_PORT,
                destinationSecurityGroupId: service.securityGroupId,
                description: `HTTP to ${label(svc)}`,
            });
        }
        const deployed = SERVICES.filter((svc) => services[svc] !== undefined);
        for (const svc of deployed.filter((x) => DB_USERS[x])) {
            db.allowFrom(svc, services[svc]!.securityGroupId, `PostgreSQL from ${label(svc)}`);
            services[svc]!.allowEgressTo("db", {
                port: db.port,
                destinationSecurityGroupId: db.securityGroupId,
                description: "PostgreSQL to the ticketing database",
            });
        }

        // ------------------------------------------------------------ alarms and dashboard
        new AlarmSet(
            `${name}-alarms`,
            {
                topicArn: foundation.alarmTopic.topicArn,
                alarms: {
                    "alb-target-5xx": albTarget5xxAlarm(lb.arnSuffix, s.alarms.target5xxPerMinute),
                    "alb-elb-5xx": albElb5xxAlarm(lb.arnSuffix, s.alarms.elb5xxPerMinute),
                    "alb-latency": albLatencyAlarm(lb.arnSuffix, s.alarms.p99LatencySeconds),
                    "notifications-age": queueAgeAlarm(
                        notifications.queueName,
                        s.alarms.queueAgeSeconds,
                        "notification-service",
                    ),
                    "notifications-dlq": dlqDepthAlarm(notifications.dlqName, "the notification queue"),
                    // Expiry messages are delayed by the hold; one waiting a hold longer means reservation-service is behind.
                    "reservation-expiry-age": queueAgeAlarm(
                        expiry.queueName,
                        s.reservationHoldSeconds + s.alarms.queueAgeSeconds,
                        "reservation-service (expiring reservations)",
                    ),
                    "reservation-expiry-dlq": dlqDepthAlarm(expiry.dlqName, "the reservation expiry queue"),
                    "db-cpu": dbCpuAlarm(db.instanceIdentifier, s.alarms.dbCpuPercent),
                    "db-free-storage": dbFreeStorageAlarm(db.instanceIdentifier, s.alarms.dbFreeStorageGb * 2 ** 30),
                },
                tags,
            },
            child,
        );

        const ecs = (svc: ServiceKey) => ({
            ClusterName: foundation.cluster.clusterName,
            ServiceName: services[svc]!.serviceName,
        });
        const alb = { LoadBalancer: lb.arnSuffix };
        const dashboard = new Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: physicalName(scope, "dashboard", 255),
                region: config.region,
                graphs: [
                    {
                        title: "ALB: requests and 5XX",
                        stat: "Sum",
                        metrics: [
                            "RequestCount",
                            "HTTPCode_Target_5XX_Count",
                            "HTTPCode_ELB_5XX_Count",
                            "HTTPCode_ELB_4XX_Count",
                        ].map((metricName) => ({ namespace: "AWS/ApplicationELB", metricName, dimensions: alb })),
                    },
                    {
                        title: "ALB: target response time (s)",
                        metrics: ["p50", "p99"].map((stat) => ({
                            namespace: "AWS/ApplicationELB",
                            metricName: "TargetResponseTime",
                            dimensions: alb,
                            stat,
                            label: stat,
                        })),
                        yFromZero: true,
                    },
                    ...["CPUUtilization", "MemoryUtilization"]
                        .filter(() => deployed.length > 0)
                        .map((metricName) => ({
                            title: `ECS: ${metricName === "CPUUtilization" ? "CPU" : "memory"} utilisation (%)`,
                            metrics: deployed.map((svc) => ({
                                namespace: "AWS/ECS",
                                metricName,
                                dimensions: ecs(svc),
                                label: svc,
                            })),
                        })),
                    {
                        title: "SQS: visible messages and oldest age (s)",
                        stat: "Maximum",
                        metrics: [
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateNumberOfMessagesVisible",
                                dimensions: { QueueName: notifications.queueName },
                                label: "notifications",
                            },
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateAgeOfOldestMessage",
                                dimensions: { QueueName: notifications.queueName },
                                label: "notifications age",
                            },
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateNumberOfMessagesVisible",
                                dimensions: { QueueName: notifications.dlqName },
                                label: "notifications DLQ",
                            },
                            {
                                namespace: "AWS/SQS",
                                metricName: "ApproximateNumberOfMessagesVisible",
                                dimensions: { QueueName: expiry.dlqName },
                                label: "expiry DLQ",
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
                ],
            },
            child,
        );

        const dnsRecords: Record<string, unknown>[] = [];
        if (s.domain.hostedZoneId === undefined) {
            dnsRecords.push(
                { purpose: "CloudFront certificate validation", ...viewerCertificate.validationRecord },
                { purpose: "origin certificate validation", ...originCertificate.validationRecord },
                { purpose: "origin (CloudFront -> ALB)", ...originRecord! },
                // The distribution, hence its name, exists once the certificates are issued.
                ...(cdn ? [{ purpose: "viewers", name: s.domain.name, type: "CNAME", value: cdn.domainName }] : []),
            );
        }
        this.outputs = {
            ...(cdn
                ? {
                      url: cdn.url,
                      distributionId: cdn.distributionId,
                      distributionDomainName: cdn.domainName,
                      webAclArn: cdn.webAclArn,
                  }
                : {}),
            originDomainName: originName,
            loadBalancerDnsName: lb.dnsName,
            ecrRepositoryUrls: Object.fromEntries(SERVICES.map((svc) => [svc, repos[svc].repositoryUrl])),
            serviceNames: Object.fromEntries(deployed.map((svc) => [svc, services[svc]!.serviceName])),
            databaseAddress: db.address,
            databaseMasterSecretArn: db.masterUserSecretArn,
            queueUrls: { notifications: notifications.queueUrl, reservationExpiry: expiry.queueUrl },
            notificationTopicArn: topic.arn,
            assetsBucketName: assets.bucketName,
            paymentProviderSecretArn: paymentSecret.arn,
            dashboardName: dashboard.dashboardName,
            dnsRecordsToCreate: dnsRecords,
        };
        this.registerOutputs(this.outputs);
    }
}

export const ticketing: ArchitectureModule<TicketingSettings> = {
    name: NAME,
    description:
        "Ticketing microservices on ECS Fargate behind CloudFront, AWS WAF and an origin-only ALB; RDS PostgreSQL, SQS, SNS, S3",
    workloads: SERVICES.map((svc) => WORKLOADS[svc]),
    settings: settingsSchema,
    deploy: (ctx) => new Ticketing(NAME, ctx).outputs,
};
