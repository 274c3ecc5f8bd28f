/**
 * ticketing, compute tier: an ECR repository per service and the five Fargate services (own task role, security
 * group, log group, X-Ray sidecar, target-tracking autoscaling, health checks, image from `releases`) and the
 * security group rules of who may reach whom.
 */
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../../infra/compute/ecr-repository";
import { FargateService, IamStatement } from "../../infra/compute/fargate-service";
import { logGroupName, physicalName } from "../../infra/shared/naming";
import { DataTier } from "./data";
import { EdgeTier } from "./edge";
import { MessagingTier } from "./messaging";
import {
    DB_USERS,
    HEALTH_PATH,
    label,
    PREFIXES,
    retentionDays,
    ROUTES,
    RoutedService,
    SERVICE_PORT,
    SERVICES,
    ServiceKey,
    TicketingStep,
    WORKLOADS,
} from "./settings";
import { StorageTier } from "./storage";

/** What the compute tier uses of the earlier tiers. */
export interface ComputeInputs {
    data: DataTier;
    messaging: MessagingTier;
    storage: StorageTier;
    edge: EdgeTier;
}

/** What later steps use of the compute tier. */
export interface ComputeTier {
    /** Every service's ECR repository (images are pushed before the service exists). */
    repos: Record<ServiceKey, EcrRepository>;
    /** The services that exist: those with a released image and, behind the ALB, an issued origin certificate. */
    services: Partial<Record<ServiceKey, FargateService>>;
    /** The keys of `services`, in the order of SERVICES. */
    deployed: ServiceKey[];
}

type Environment = Record<string, pulumi.Input<string>>;

/** The compute tier: the repositories, then every service whose image exists. */
export function computeTier(step: TicketingStep, inputs: ComputeInputs): ComputeTier {
    const repos = ecrRepositories(step);
    const statements = taskPolicyStatements(step, inputs);
    const environment = serviceEnvironment(step, inputs);
    // A service starts only on an image that exists and, behind the load balancer, once its listener
    // exists (ECS refuses a target group no load balancer uses, hashicorp/terraform#32908): docs/first-deploy.md.
    const services: Partial<Record<ServiceKey, FargateService>> = {};
    for (const svc of SERVICES) {
        const behindLb = svc !== "notification";
        const image = repos[svc].releaseImage(WORKLOADS[svc], step.config.releases[WORKLOADS[svc]]);
        if (image === undefined || (behindLb && !inputs.edge.originCertificate.issued)) continue;
        services[svc] = fargateService(step, svc, {
            image,
            repo: repos[svc],
            environment: environment[svc],
            statements: statements[svc],
            inputs,
        });
    }
    return { repos, services, deployed: SERVICES.filter((svc) => services[svc] !== undefined) };
}

/** One ECR repository per service, named after the service. */
export function ecrRepositories(step: TicketingStep): Record<ServiceKey, EcrRepository> {
    const { name, foundation, config, scope, tags, child } = step;
    return Object.fromEntries(
        SERVICES.map((svc) => [
            svc,
            new EcrRepository(
                `${name}-${svc}-repo`,
                {
                    repositoryName: physicalName(scope, label(svc), 256),
                    kmsKeyArn: foundation.keys.keyArns.data,
                    protect: config.profile.protect,
                    tags,
                },
                child,
            ),
        ]),
    ) as Record<ServiceKey, EcrRepository>;
}

/** Each service's task role statements: its database user, queues, topic, bucket prefixes and secret. */
export function taskPolicyStatements(step: TicketingStep, inputs: ComputeInputs): Record<ServiceKey, IamStatement[]> {
    const { foundation, config } = step;
    const keys = foundation.keys.keyArns;
    const { db } = inputs.data;
    const { notifications, expiry, topic } = inputs.messaging;
    const { assets } = inputs.storage;
    const dbConnect = (svc: ServiceKey): IamStatement[] => [
        {
            Sid: "ConnectAsItsDatabaseUser",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: db.connectArn(DB_USERS[svc]!),
        },
    ];
    return {
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
                Resource: inputs.data.paymentSecret.arn,
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
}

/** Each service's environment beyond SERVICE_NAME and PORT: its database connection, queues, bucket, secret. */
export function serviceEnvironment(step: TicketingStep, inputs: ComputeInputs): Record<ServiceKey, Environment> {
    const { db } = inputs.data;
    const { notifications, expiry, topic } = inputs.messaging;
    const { assets } = inputs.storage;
    const dbEnvironment = (svc: ServiceKey): Environment => {
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
    const environment: Record<ServiceKey, Environment> = {
        ticket: { ASSETS_BUCKET: assets.bucketName, TICKET_IMAGES_PREFIX: PREFIXES.tickets },
        reservation: {
            RESERVATION_EXPIRY_QUEUE_URL: expiry.queueUrl,
            RESERVATION_HOLD_SECONDS: String(step.settings.reservationHoldSeconds),
        },
        checkout: {
            NOTIFICATION_QUEUE_URL: notifications.queueUrl,
            ASSETS_BUCKET: assets.bucketName,
            RECEIPTS_PREFIX: PREFIXES.receipts,
            PAYMENT_PROVIDER_SECRET_ARN: inputs.data.paymentSecret.arn,
        },
        product: {},
        notification: {
            NOTIFICATION_QUEUE_URL: notifications.queueUrl,
            NOTIFICATION_TOPIC_ARN: topic.arn,
            ASSETS_BUCKET: assets.bucketName,
            RECEIPTS_PREFIX: PREFIXES.receipts,
        },
    };
    return Object.fromEntries(SERVICES.map((svc) => [svc, { ...dbEnvironment(svc), ...environment[svc] }])) as Record<
        ServiceKey,
        Environment
    >;
}

/** What one Fargate service is built from. */
export interface ServiceParts {
    image: pulumi.Input<string>;
    repo: EcrRepository;
    /** The service's environment beyond SERVICE_NAME and PORT. */
    environment: Environment;
    /** Its task role's statements. */
    statements: IamStatement[];
    inputs: ComputeInputs;
}

/**
 * One service on the foundation's cluster in the private subnets: read-only root file system, health check on
 * HEALTH_PATH, X-Ray sidecar, CPU target tracking (and, for notification-service, queue backlog per task); behind
 * the ALB once its listener exists, after the database users where it has one.
 */
export function fargateService(step: TicketingStep, svc: ServiceKey, parts: ServiceParts): FargateService {
    const { name, settings: s, foundation, scope, tags, child } = step;
    const { lb } = parts.inputs.edge;
    const size = s[svc];
    const behindLb = svc !== "notification";
    return new FargateService(
        `${name}-${svc}`,
        {
            ...foundation.account,
            clusterArn: foundation.cluster.clusterArn,
            clusterName: foundation.cluster.clusterName,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.private,
            family: physicalName(scope, label(svc), 255),
            cpu: size.cpu,
            memory: size.memory,
            desiredCount: size.desiredCount,
            container: {
                name: label(svc),
                image: parts.image,
                portMappings: [{ containerPort: SERVICE_PORT }],
                environment: { SERVICE_NAME: label(svc), PORT: String(SERVICE_PORT), ...parts.environment },
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
                kmsKeyArn: foundation.keys.keyArns.logs,
                retentionInDays: retentionDays(step),
            },
            ecrRepositoryArns: [parts.repo.repositoryArn],
            taskPolicyStatements: parts.statements,
            xrayDaemon: {},
            loadBalancers: behindLb
                ? [{ targetGroupArn: lb.targetGroupArns[svc], containerPort: SERVICE_PORT }]
                : undefined,
            waitFor: [
                ...(behindLb ? [...lb.listeners, ...lb.listenerRules] : []),
                ...(DB_USERS[svc] ? [parts.inputs.data.dbUsers] : []),
            ],
            autoscaling: {
                maxCapacity: size.maxCount,
                cpuTargetPercent: size.cpuTargetPercent,
                queueBacklogPerTask:
                    svc === "notification"
                        ? {
                              queueName: parts.inputs.messaging.notifications.queueName,
                              targetMessagesPerTask: s.notification.backlogPerTask,
                          }
                        : undefined,
            },
            tags,
        },
        child,
    );
}

/**
 * Who may reach whom: the ALB to each routed service on SERVICE_PORT, and each service with a database user to
 * PostgreSQL.
 */
export function securityGroupRules({ lb }: EdgeTier, { db }: DataTier, { services, deployed }: ComputeTier): void {
    for (const svc of Object.keys(ROUTES) as RoutedService[]) {
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
    for (const svc of deployed.filter((x) => DB_USERS[x])) {
        db.allowFrom(svc, services[svc]!.securityGroupId, `PostgreSQL from ${label(svc)}`);
        services[svc]!.allowEgressTo("db", {
            port: db.port,
            destinationSecurityGroupId: db.securityGroupId,
            description: "PostgreSQL to the ticketing database",
        });
    }
}
