/**
 * An alarm set (`platform:observability:AlarmSet`): CloudWatch metric alarms that notify one SNS topic
 * (the foundation's alarm topic) when they fire and when they recover.
 *
 * Alarms are described by the pure builders below (`albTarget5xxAlarm`, `queueAgeAlarm`, ...), each
 * following the metric's documentation and the CloudWatch recommended alarms, and handed to the
 * component keyed by a stable name: `new AlarmSet(name, { topicArn, alarms: { "alb-5xx": albTarget5xxAlarm(...) } })`.
 * Every alarm evaluates `datapointsToAlarm` of `evaluationPeriods` periods (M of N), so a single spike
 * does not page anyone.
 *
 * References:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One metric alarm. */
export interface AlarmSpec {
    /** What it means and what to look at, shown in the notification. */
    description: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /** `Sum`, `Average`, `Maximum`, `Minimum`, `SampleCount`, or a percentile such as `p99`. */
    statistic: string;
    /** Seconds per period, 60 or a multiple of 60. */
    periodSeconds: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    threshold: number;
    comparisonOperator:
        "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    /** What a period without data counts as. */
    treatMissingData: "missing" | "notBreaching" | "breaching" | "ignore";
}

const PERCENTILE = /^p(\d{1,2}(\.\d+)?|100)$/;
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/** Every problem of one alarm, naming its fields under `at`. */
export function alarmProblems(at: string, a: AlarmSpec): string[] {
    const p: string[] = [];
    if (!STATISTICS.includes(a.statistic) && !PERCENTILE.test(a.statistic))
        p.push(
            `${at}.statistic must be one of ${STATISTICS.join(", ")} or a percentile such as p99; ` +
                `got ${JSON.stringify(a.statistic)}`,
        );
    if (!Number.isInteger(a.periodSeconds) || a.periodSeconds < 60 || a.periodSeconds % 60 !== 0)
        p.push(`${at}.periodSeconds must be a multiple of 60; got ${a.periodSeconds}`);
    if (!Number.isInteger(a.evaluationPeriods) || a.evaluationPeriods < 1)
        p.push(`${at}.evaluationPeriods must be a positive integer; got ${a.evaluationPeriods}`);
    if (!Number.isInteger(a.datapointsToAlarm) || a.datapointsToAlarm < 1 || a.datapointsToAlarm > a.evaluationPeriods)
        p.push(
            `${at}.datapointsToAlarm must be from 1 to evaluationPeriods (${a.evaluationPeriods}); ` +
                `got ${a.datapointsToAlarm}`,
        );
    if (a.periodSeconds * a.evaluationPeriods > 86400)
        p.push(`${at}: periodSeconds × evaluationPeriods must be at most one day`);
    if (!Number.isFinite(a.threshold)) p.push(`${at}.threshold must be a number; got ${a.threshold}`);
    return p;
}

// ---------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------

/** Target 5XX responses of an ALB: more than `threshold` in each of 3 of 5 one-minute periods. */
export function albTarget5xxAlarm(loadBalancerArnSuffix: pulumi.Input<string>, threshold: number): AlarmSpec {
    return {
        description:
            `The targets behind the load balancer answered more than ${threshold} HTTP 5XX per minute in 3 of the ` +
            "last 5 minutes: look at the services' logs and recent deployments",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { LoadBalancer: loadBalancerArnSuffix },
        statistic: "Sum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

/** 5XX made by the ALB itself (no healthy target, timeouts): more than `threshold` per minute, 3 of 5. */
export function albElb5xxAlarm(loadBalancerArnSuffix: pulumi.Input<string>, threshold: number): AlarmSpec {
    return {
        description:
            `The load balancer itself answered more than ${threshold} HTTP 5XX per minute in 3 of the last 5 ` +
            "minutes (no healthy target, target timeouts or connection errors)",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        dimensions: { LoadBalancer: loadBalancerArnSuffix },
        statistic: "Sum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

/** p99 target response time above `seconds` in 3 of 5 one-minute periods. */
export function albLatencyAlarm(loadBalancerArnSuffix: pulumi.Input<string>, seconds: number): AlarmSpec {
    return {
        description:
            `99 % of requests took longer than ${seconds} s at the targets in 3 of the last 5 minutes: ` +
            "look at the database, the cache and the services' CPU",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { LoadBalancer: loadBalancerArnSuffix },
        statistic: "p99",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold: seconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

/** The oldest message of a queue older than `seconds` for 3 of 5 minutes: its consumers are behind or down. */
export function queueAgeAlarm(queueName: pulumi.Input<string>, seconds: number, consumer: string): AlarmSpec {
    return {
        description:
            `A message has waited more than ${seconds} s in the queue for 3 of the last 5 minutes: ` +
            `${consumer} is behind or failing`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: queueName },
        statistic: "Maximum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold: seconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

/** Any message in a dead-letter queue: something failed `maxReceiveCount` times. */
export function dlqDepthAlarm(dlqName: pulumi.Input<string>, source: string): AlarmSpec {
    return {
        description:
            `Messages of ${source} reached its dead-letter queue after repeated failures: ` +
            "inspect them, fix the cause, then redrive",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: dlqName },
        statistic: "Maximum",
        periodSeconds: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

/** RDS CPU above `percent` for 10 of 15 minutes. */
export function dbCpuAlarm(instanceIdentifier: pulumi.Input<string>, percent: number): AlarmSpec {
    return {
        description:
            `The database's CPU has been above ${percent} % for 10 of the last 15 minutes: ` +
            "look at Performance Insights for the top queries",
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: instanceIdentifier },
        statistic: "Average",
        periodSeconds: 60,
        evaluationPeriods: 15,
        datapointsToAlarm: 10,
        threshold: percent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
    };
}

/** RDS free storage under `bytes` for 5 minutes (storage autoscaling, when on, acts before). */
export function dbFreeStorageAlarm(instanceIdentifier: pulumi.Input<string>, bytes: number): AlarmSpec {
    return {
        description:
            `The database has had less than ${Math.round(bytes / 2 ** 30)} GiB of free storage for 5 minutes: ` +
            "grow allocatedStorageGb before it fills",
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: { DBInstanceIdentifier: instanceIdentifier },
        statistic: "Minimum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        threshold: bytes,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
    };
}

/**
 * Redis engine CPU of one member cluster (cache node) above `percent` for 10 of 15 minutes (the engine is
 * single-threaded). ElastiCache publishes it per `CacheClusterId`, not per replication group
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html): pass a member id
 * (`RedisCache.memberClusterIds`), or use {@link cacheAlarms} for every member.
 */
export function cacheCpuAlarm(cacheClusterId: pulumi.Input<string>, percent: number): AlarmSpec {
    return {
        description:
            `The Redis engine thread of a cache node has been above ${percent} % CPU for 10 of the last 15 ` +
            "minutes: look for slow commands in the slow log",
        namespace: "AWS/ElastiCache",
        metricName: "EngineCPUUtilization",
        dimensions: { CacheClusterId: cacheClusterId },
        statistic: "Average",
        periodSeconds: 60,
        evaluationPeriods: 15,
        datapointsToAlarm: 10,
        threshold: percent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
    };
}

/** Redis memory of one member cluster above `percent` of maxmemory for 10 of 15 minutes (evictions follow). */
export function cacheMemoryAlarm(cacheClusterId: pulumi.Input<string>, percent: number): AlarmSpec {
    return {
        description:
            `Redis on a cache node has used more than ${percent} % of its memory for 10 of the last 15 minutes: ` +
            "keys are being evicted; grow nodeType or shorten TTLs",
        namespace: "AWS/ElastiCache",
        metricName: "DatabaseMemoryUsagePercentage",
        dimensions: { CacheClusterId: cacheClusterId },
        statistic: "Average",
        periodSeconds: 60,
        evaluationPeriods: 15,
        datapointsToAlarm: 10,
        threshold: percent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
    };
}

/**
 * CPU and memory alarms for every member cluster of a replication group, keyed `cache-cpu-<number>` and
 * `cache-memory-<number>` (`memberClusterIds` as `RedisCache.memberClusterIds`: `{ "001": id, ... }`).
 */
export function cacheAlarms(
    memberClusterIds: Record<string, pulumi.Input<string>>,
    cpuPercent: number,
    memoryPercent: number,
): Record<string, AlarmSpec> {
    const alarms: Record<string, AlarmSpec> = {};
    for (const [number, id] of Object.entries(memberClusterIds)) {
        alarms[`cache-cpu-${number}`] = cacheCpuAlarm(id, cpuPercent);
        alarms[`cache-memory-${number}`] = cacheMemoryAlarm(id, memoryPercent);
    }
    return alarms;
}

/** HTTP API 5XX above `threshold` per minute in 3 of 5 minutes. */
export function httpApi5xxAlarm(apiId: pulumi.Input<string>, stage: string, threshold: number): AlarmSpec {
    return {
        description:
            `The HTTP API answered more than ${threshold} 5XX per minute in 3 of the last 5 minutes ` +
            "(integration failures, VPC link or load balancer errors)",
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: { ApiId: apiId, Stage: stage },
        statistic: "Sum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    };
}

// ---------------------------------------------------------------------------------------------------
// The component
// ---------------------------------------------------------------------------------------------------

export interface AlarmSetArgs {
    /** SNS topic notified on ALARM and OK (the foundation's alarm topic). */
    topicArn: pulumi.Input<string>;
    /** Alarms keyed by a stable name (`alb-5xx`, `orders-dlq`); resources are named `<name>-<key>`. */
    alarms: Record<string, AlarmSpec>;
    tags: Record<string, string>;
}

export class AlarmSet extends pulumi.ComponentResource {
    /** Alarm ARN per key. */
    readonly alarmArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AlarmSetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:AlarmSet", name, {}, opts);
        const entries = Object.entries(args.alarms).sort(([a], [b]) => a.localeCompare(b));
        const problems: string[] = [];
        if (entries.length === 0) problems.push("alarms must hold at least one alarm");
        for (const [key, spec] of entries) {
            if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(key))
                problems.push(`alarms: key ${JSON.stringify(key)} must be 1-63 lower-case letters, digits and -`);
            problems.push(...alarmProblems(`alarms.${key}`, spec));
        }
        if (problems.length > 0) throw new Error(`AlarmSet ${name}: ${problems.join("; ")}`);

        const actions = [args.topicArn];
        this.alarmArns = {};
        for (const [key, a] of entries) {
            const percentile = PERCENTILE.test(a.statistic);
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${key}`,
                {
                    alarmDescription: a.description,
                    namespace: a.namespace,
                    metricName: a.metricName,
                    dimensions: a.dimensions,
                    statistic: percentile ? undefined : a.statistic,
                    extendedStatistic: percentile ? a.statistic : undefined,
                    period: a.periodSeconds,
                    evaluationPeriods: a.evaluationPeriods,
                    datapointsToAlarm: a.datapointsToAlarm,
                    threshold: a.threshold,
                    comparisonOperator: a.comparisonOperator,
                    treatMissingData: a.treatMissingData,
                    alarmActions: actions,
                    okActions: actions,
                    tags: args.tags,
                },
                { parent: this },
            );
            this.alarmArns[key] = alarm.arn;
        }
        this.registerOutputs({ alarmArns: this.alarmArns });
    }
}
