/** ticketing, observability: the alarms (ALB, queues, database) and the CloudWatch dashboard. */
import {
    AlarmSet,
    albElb5xxAlarm,
    albLatencyAlarm,
    albTarget5xxAlarm,
    dbCpuAlarm,
    dbFreeStorageAlarm,
    dlqDepthAlarm,
    queueAgeAlarm,
} from "../../infra/observability/alarms";
import { Dashboard, DashboardGraph } from "../../infra/observability/dashboard";
import { physicalName } from "../../infra/shared/naming";
import { databaseGraph } from "../database";
import { ComputeTier } from "./compute";
import { DataTier } from "./data";
import { EdgeTier } from "./edge";
import { MessagingTier } from "./messaging";
import { ServiceKey, TicketingStep } from "./settings";

/** What the alarms and the dashboard watch. */
export interface ObservedTiers {
    data: DataTier;
    messaging: MessagingTier;
    edge: EdgeTier;
    compute: ComputeTier;
}

/** What later steps use of observability. */
export interface ObservabilityTier {
    dashboard: Dashboard;
}

/** Observability: the alarms to the foundation's alarm topic and the dashboard. */
export function observabilityTier(step: TicketingStep, tiers: ObservedTiers): ObservabilityTier {
    alarms(step, tiers);
    return { dashboard: dashboard(step, tiers) };
}

/** ALB 5XX and latency, queue age and DLQ depth, database CPU and free storage, to the alarm topic. */
export function alarms(step: TicketingStep, tiers: ObservedTiers): AlarmSet {
    const { name, settings: s, foundation, tags, child } = step;
    const { lb } = tiers.edge;
    const { notifications, expiry } = tiers.messaging;
    const { db } = tiers.data;
    return new AlarmSet(
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
                // Expiry messages are delayed by the hold; one waiting a hold longer means reservation-service is
                // behind.
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
}

/** The dashboard: ALB requests, 5XX and latency; the services' CPU and memory; the queues; the database. */
export function dashboard(step: TicketingStep, tiers: ObservedTiers): Dashboard {
    const { name, foundation, config, scope, child } = step;
    const { lb } = tiers.edge;
    const { services, deployed } = tiers.compute;
    const ecs = (svc: ServiceKey) => ({
        ClusterName: foundation.cluster.clusterName,
        ServiceName: services[svc]!.serviceName,
    });
    const alb = { LoadBalancer: lb.arnSuffix };
    return new Dashboard(
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
                queueGraph(tiers.messaging),
                databaseGraph(tiers.data.db),
            ],
        },
        child,
    );
}

/** The queues' graph: visible messages and the oldest's age of the notification queue, both DLQs' depth. */
function queueGraph({ notifications, expiry }: MessagingTier): DashboardGraph {
    return {
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
    };
}
