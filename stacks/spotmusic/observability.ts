/**
 * spotmusic, observability: alarms to the foundation's alarm topic (API and ALB errors and latency, the jobs
 * queue's age and DLQ, MySQL CPU and storage, Redis CPU and memory) and a CloudWatch dashboard of the same.
 */
import { FargateService } from "../../infra/compute/fargate-service";
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
} from "../../infra/observability/alarms";
import { Dashboard, DashboardGraph } from "../../infra/observability/dashboard";
import { physicalName } from "../../infra/shared/naming";
import { databaseGraph } from "../database";
import { ApiTier } from "./api";
import { ComputeTier } from "./compute";
import { DataTier } from "./data";
import { MessagingTier } from "./messaging";
import { SpotmusicStep, STAGE } from "./settings";

/** What the alarms and the dashboard watch. */
export interface ObservedTiers {
    api: ApiTier;
    compute: ComputeTier;
    data: DataTier;
    messaging: MessagingTier;
}

/** What later steps use of observability. */
export interface Observability {
    dashboard: Dashboard;
}

/** Alarms and the dashboard. */
export function observability(step: SpotmusicStep, tiers: ObservedTiers): Observability {
    alarms(step, tiers);
    return { dashboard: dashboard(step, tiers) };
}

/** The alarms (thresholds from `platform:spotmusic.alarms`), notifying the foundation's alarm topic. */
export function alarms(step: SpotmusicStep, tiers: ObservedTiers): AlarmSet {
    const { name, settings: s, foundation, tags, child } = step;
    const { api, lb } = tiers.api;
    const { jobs } = tiers.messaging;
    const { db, cache } = tiers.data;
    return new AlarmSet(
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
}

/** The dashboard: API, ECS (when a service is deployed), jobs, RDS and Redis graphs, two per row. */
export function dashboard(step: SpotmusicStep, tiers: ObservedTiers): Dashboard {
    const { name, config, scope, child } = step;
    return new Dashboard(
        `${name}-dashboard`,
        {
            dashboardName: physicalName(scope, "dashboard", 255),
            region: config.region,
            graphs: [
                ...apiGraphs(tiers.api),
                ...ecsGraphs(step, tiers.compute),
                jobsGraph(tiers.messaging),
                ...dataGraphs(tiers.data),
            ],
        },
        child,
    );
}

/** The HTTP API's requests and errors (sum), and its latency and integration latency (p99, ms). */
function apiGraphs({ api }: ApiTier): DashboardGraph[] {
    return [
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
    ];
}

/** The services' CPU, one line per deployed service; no graph while none is. */
function ecsGraphs(step: SpotmusicStep, { services, deployed }: ComputeTier): DashboardGraph[] {
    const ecs = (svc: FargateService) => ({
        ClusterName: step.foundation.cluster.clusterName,
        ServiceName: svc.serviceName,
    });
    if (deployed.length === 0) return [];
    return [
        {
            title: "ECS: CPU utilisation (%)",
            metrics: deployed.map((key) => ({
                namespace: "AWS/ECS",
                metricName: "CPUUtilization",
                dimensions: ecs(services[key]!),
                label: key,
            })),
        },
    ];
}

/** The jobs queue: visible jobs, the oldest job's age, and the DLQ's depth (maximum). */
function jobsGraph({ jobs }: MessagingTier): DashboardGraph {
    const queueMetric = (metricName: string, queueName: typeof jobs.queueName, label: string) => ({
        namespace: "AWS/SQS",
        metricName,
        dimensions: { QueueName: queueName },
        label,
    });
    return {
        title: "Jobs: visible, oldest age (s), DLQ",
        stat: "Maximum",
        metrics: [
            queueMetric("ApproximateNumberOfMessagesVisible", jobs.queueName, "visible"),
            queueMetric("ApproximateAgeOfOldestMessage", jobs.queueName, "oldest age"),
            queueMetric("ApproximateNumberOfMessagesVisible", jobs.dlqName, "DLQ"),
        ],
    };
}

/** MySQL's CPU and connections, and Redis' engine CPU and memory per node. */
function dataGraphs({ db, cache }: DataTier): DashboardGraph[] {
    return [
        databaseGraph(db),
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
    ];
}
