/**
 * The alarm-set helper: what each builder alarms on (metric, statistic, M of N, threshold, missing data)
 * and the component (one MetricAlarm per key to the topic on ALARM and OK, percentiles as extended
 * statistics, validation).
 */
import * as assert from "assert";
import {
    AlarmSet,
    cacheAlarms,
    albElb5xxAlarm,
    albLatencyAlarm,
    albTarget5xxAlarm,
    cacheCpuAlarm,
    cacheMemoryAlarm,
    dbCpuAlarm,
    dbFreeStorageAlarm,
    dlqDepthAlarm,
    httpApi5xxAlarm,
    queueAgeAlarm,
} from "../../infra/observability/alarms";
import { AlarmTopic } from "../../infra/observability/alarm-topic";
import { componentHarness, TAGS } from "./component-harness";

const h = componentHarness();
const TOPIC = "arn:aws:sns:sa-east-1:123456789012:alarms";
/** The decisive fields of an alarm spec. */
const shape = (a: ReturnType<typeof albTarget5xxAlarm>) => [
    a.namespace,
    a.metricName,
    a.dimensions,
    a.statistic,
    a.periodSeconds,
    a.datapointsToAlarm,
    a.evaluationPeriods,
    a.comparisonOperator,
    a.threshold,
    a.treatMissingData,
];

describe("alarm set (under mocks)", () => {
    before(() => h.install());

    it("builds each alarm on the documented metric with an M-of-N evaluation", () => {
        const lb = "app/alb/123";
        assert.deepStrictEqual(shape(albTarget5xxAlarm(lb, 10)), [
            "AWS/ApplicationELB",
            "HTTPCode_Target_5XX_Count",
            { LoadBalancer: lb },
            "Sum",
            60,
            3,
            5,
            "GreaterThanThreshold",
            10,
            "notBreaching",
        ]);
        assert.deepStrictEqual(shape(albElb5xxAlarm(lb, 5)), [
            "AWS/ApplicationELB",
            "HTTPCode_ELB_5XX_Count",
            { LoadBalancer: lb },
            "Sum",
            60,
            3,
            5,
            "GreaterThanThreshold",
            5,
            "notBreaching",
        ]);
        assert.deepStrictEqual(shape(albLatencyAlarm(lb, 1.5)), [
            "AWS/ApplicationELB",
            "TargetResponseTime",
            { LoadBalancer: lb },
            "p99",
            60,
            3,
            5,
            "GreaterThanThreshold",
            1.5,
            "notBreaching",
        ]);
        assert.deepStrictEqual(shape(queueAgeAlarm("q", 300, "the worker")), [
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            { QueueName: "q" },
            "Maximum",
            60,
            3,
            5,
            "GreaterThanThreshold",
            300,
            "notBreaching",
        ]);
        assert.deepStrictEqual(shape(dlqDepthAlarm("q-dlq", "q")), [
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            { QueueName: "q-dlq" },
            "Maximum",
            60,
            1,
            1,
            "GreaterThanThreshold",
            0,
            "notBreaching",
        ]);
        assert.deepStrictEqual(shape(dbCpuAlarm("db", 80)), [
            "AWS/RDS",
            "CPUUtilization",
            { DBInstanceIdentifier: "db" },
            "Average",
            60,
            10,
            15,
            "GreaterThanThreshold",
            80,
            "missing",
        ]);
        assert.deepStrictEqual(shape(dbFreeStorageAlarm("db", 2 * 2 ** 30)), [
            "AWS/RDS",
            "FreeStorageSpace",
            { DBInstanceIdentifier: "db" },
            "Minimum",
            60,
            5,
            5,
            "LessThanThreshold",
            2147483648,
            "breaching",
        ]);
        assert.deepStrictEqual(shape(cacheCpuAlarm("rg-001", 75)), [
            "AWS/ElastiCache",
            "EngineCPUUtilization",
            { CacheClusterId: "rg-001" },
            "Average",
            60,
            10,
            15,
            "GreaterThanThreshold",
            75,
            "missing",
        ]);
        assert.deepStrictEqual(shape(cacheMemoryAlarm("rg-001", 85)), [
            "AWS/ElastiCache",
            "DatabaseMemoryUsagePercentage",
            { CacheClusterId: "rg-001" },
            "Average",
            60,
            10,
            15,
            "GreaterThanThreshold",
            85,
            "missing",
        ]);
        assert.deepStrictEqual(shape(httpApi5xxAlarm("abc", "$default", 5)), [
            "AWS/ApiGateway",
            "5xx",
            { ApiId: "abc", Stage: "$default" },
            "Sum",
            60,
            3,
            5,
            "GreaterThanThreshold",
            5,
            "notBreaching",
        ]);
        assert.strictEqual(
            dbFreeStorageAlarm("db", 2 * 2 ** 30).description,
            "The database has had less than 2 GiB of free storage for 5 minutes: grow allocatedStorageGb before it fills",
        );
    });

    it("cacheAlarms: CPU and memory per member cluster (ElastiCache publishes per CacheClusterId, not per replication group)", () => {
        const alarms = cacheAlarms({ "001": "rg-001", "002": "rg-002" }, 70, 90);
        assert.deepStrictEqual(
            Object.entries(alarms).map(([k, a]) => [k, a.metricName, a.dimensions, a.threshold]),
            [
                ["cache-cpu-001", "EngineCPUUtilization", { CacheClusterId: "rg-001" }, 70],
                ["cache-memory-001", "DatabaseMemoryUsagePercentage", { CacheClusterId: "rg-001" }, 90],
                ["cache-cpu-002", "EngineCPUUtilization", { CacheClusterId: "rg-002" }, 70],
                ["cache-memory-002", "DatabaseMemoryUsagePercentage", { CacheClusterId: "rg-002" }, 90],
            ],
        );
    });

    it("creates one alarm per key, notifying the topic on ALARM and OK; percentiles go to extendedStatistic", async () => {
        const set = new AlarmSet("app-alarms", {
            topicArn: TOPIC,
            alarms: { latency: albLatencyAlarm("app/alb/1", 2), "orders-dlq": dlqDepthAlarm("orders-dlq", "orders") },
            tags: TAGS,
        });
        await h.settle(set.alarmArns["orders-dlq"]);
        const alarms = h.ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "app-alarms-");
        assert.deepStrictEqual(
            alarms.map((a) => a.name),
            ["app-alarms-latency", "app-alarms-orders-dlq"],
        );
        const latency = alarms[0].inputs;
        assert.deepStrictEqual(
            [latency.statistic, latency.extendedStatistic, latency.alarmActions, latency.okActions, latency.tags],
            [undefined, "p99", [TOPIC], [TOPIC], TAGS],
        );
        const dlq = alarms[1].inputs;
        assert.deepStrictEqual(
            [
                dlq.metricName,
                dlq.dimensions,
                dlq.statistic,
                dlq.extendedStatistic,
                dlq.threshold,
                dlq.evaluationPeriods,
                dlq.datapointsToAlarm,
                dlq.period,
            ],
            ["ApproximateNumberOfMessagesVisible", { QueueName: "orders-dlq" }, "Maximum", undefined, 0, 1, 1, 60],
        );
    });

    it("reports every bad alarm at once", () => {
        assert.throws(
            () =>
                new AlarmSet("bad", {
                    topicArn: TOPIC,
                    alarms: {
                        "Bad Key": {
                            ...dbCpuAlarm("db", 80),
                            statistic: "Median",
                            periodSeconds: 90,
                            datapointsToAlarm: 20,
                        },
                    },
                    tags: TAGS,
                }),
            {
                message:
                    'AlarmSet bad: alarms: key "Bad Key" must be 1-63 lower-case letters, digits and -; alarms.Bad Key.statistic must be one of SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99; got "Median"; ' +
                    "alarms.Bad Key.periodSeconds must be a multiple of 60; got 90; alarms.Bad Key.datapointsToAlarm must be from 1 to evaluationPeriods (15); got 20",
            },
        );
        assert.throws(() => new AlarmSet("none", { topicArn: TOPIC, alarms: {}, tags: TAGS }), {
            message: "AlarmSet none: alarms must hold at least one alarm",
        });
    });

    it("subscribes the e-mail address and each named subscriber to the alarm topic", async () => {
        const topic = new AlarmTopic("subscribed", {
            accountId: "123456789012",
            partition: "aws",
            region: "sa-east-1",
            kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/messaging",
            email: "ops@example.com",
            subscriptions: {
                oncall: { protocol: "https", endpoint: "https://events.example.com/alarms" },
                queue: { protocol: "sqs", endpoint: "arn:aws:sqs:sa-east-1:123456789012:alarms" },
            },
            tags: TAGS,
        });
        const arn = await h.settle(topic.topicArn);
        assert.deepStrictEqual(
            h
                .ofType("aws:sns/topicSubscription:TopicSubscription", "subscribed")
                .map((s) => [s.name, s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]),
            [
                ["subscribed-email", arn, "email", "ops@example.com"],
                ["subscribed-oncall", arn, "https", "https://events.example.com/alarms"],
                ["subscribed-queue", arn, "sqs", "arn:aws:sqs:sa-east-1:123456789012:alarms"],
            ],
        );
    });
});
