/**
 * Metrics that exist: every CloudWatch alarm and dashboard line of the dev, prod and bootstrap plans
 * watches a metric AWS publishes (namespace, name, dimension set), per `@aws-cdk/aws-service-spec` plus
 * the documented exceptions (tools/lib/metric-catalog.ts).
 */
import * as assert from "assert";
import type { ExportedResource } from "../../tools/lib/plan-runner";
import { METRIC_EXCEPTIONS, MetricCatalog, planMetrics, unpublishedMetrics } from "../../tools/lib/metric-catalog";
import { bootstrapPlan } from "../bootstrap/plan";
import { stackPlan } from "../support/plan";

function alarm(name: string, inputs: Record<string, unknown>): ExportedResource {
    return {
        urn: `urn:pulumi:test::platform::aws:cloudwatch/metricAlarm:MetricAlarm::${name}`,
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        custom: true,
        inputs,
    };
}

function dashboard(name: string, metrics: unknown[][]): ExportedResource {
    return {
        urn: `urn:pulumi:test::platform::aws:cloudwatch/dashboard:Dashboard::${name}`,
        type: "aws:cloudwatch/dashboard:Dashboard",
        custom: true,
        inputs: { dashboardBody: JSON.stringify({ widgets: [{ type: "metric", properties: { metrics } }] }) },
    };
}

describe("metric catalog (tools/lib/metric-catalog.ts)", function () {
    this.timeout(120_000);
    let catalog: MetricCatalog;
    before(() => {
        catalog = MetricCatalog.load();
    });

    it("knows published metrics by namespace, name and dimension set (any order)", () => {
        assert.strictEqual(
            catalog.problem({
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions: ["CacheClusterId"],
            }),
            undefined,
        );
        assert.strictEqual(
            catalog.problem({
                namespace: "AWS/ApplicationELB",
                metricName: "HealthyHostCount",
                dimensions: ["TargetGroup", "LoadBalancer"],
            }),
            undefined,
        );
    });

    it("rejects the replication-group dimension ElastiCache does not publish, unknown names and wrong dimension sets", () => {
        assert.strictEqual(
            catalog.problem({
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions: ["ReplicationGroupId"],
            }),
            "AWS/ElastiCache EngineCPUUtilization is not published with dimensions {ReplicationGroupId}",
        );
        assert.strictEqual(
            catalog.problem({ namespace: "AWS/SQS", metricName: "OldestMessageAge", dimensions: ["QueueName"] }),
            "AWS/SQS publishes no metric named OldestMessageAge",
        );
        assert.strictEqual(
            catalog.problem({ namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: [] }),
            "AWS/RDS CPUUtilization is not published with dimensions {}",
        );
    });

    it("leaves custom namespaces alone (the program publishes those itself)", () => {
        assert.strictEqual(
            catalog.problem({ namespace: "Platform/Orders", metricName: "Anything", dimensions: ["X"] }),
            undefined,
        );
    });

    it("each exception is needed: HTTP API 5xx per ApiId and Stage is documented by AWS but missing from the database", () => {
        const httpApi5xx = { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: ["ApiId", "Stage"] };
        assert.strictEqual(catalog.problem(httpApi5xx), undefined);
        const bare = MetricCatalog.load([]);
        assert.strictEqual(
            bare.problem(httpApi5xx),
            "AWS/ApiGateway 5xx is not published with dimensions {ApiId, Stage}",
        );
        for (const e of METRIC_EXCEPTIONS) assert.match(e.source, /^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it("reads alarms (metric and metric queries) and dashboard rows, including '.' repeats", () => {
        const resources = [
            alarm("cpu", {
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions: { ReplicationGroupId: "rg" },
            }),
            alarm("ratio", {
                metricQueries: [
                    { id: "e", expression: "m1/m2" },
                    {
                        id: "m1",
                        metric: {
                            namespace: "AWS/SQS",
                            metricName: "NumberOfMessagesSent",
                            dimensions: { QueueName: "q" },
                        },
                    },
                ],
            }),
            dashboard("board", [
                ["AWS/ECS", "CPUUtilization", "ClusterName", "c", "ServiceName", "s", { stat: "Maximum" }],
                [".", "MemoryUtilization", ".", ".", ".", "."],
                [{ expression: "m1*2" }],
            ]),
        ];
        assert.deepStrictEqual(
            planMetrics(resources).map((m) => [m.resource, m.at, m.namespace, m.metricName, m.dimensions]),
            [
                ["cpu", "metric", "AWS/ElastiCache", "EngineCPUUtilization", ["ReplicationGroupId"]],
                ["ratio", "metricQueries[1]", "AWS/SQS", "NumberOfMessagesSent", ["QueueName"]],
                ["board", "widgets[0].metrics[0]", "AWS/ECS", "CPUUtilization", ["ClusterName", "ServiceName"]],
                ["board", "widgets[0].metrics[1]", "AWS/ECS", "MemoryUtilization", ["ClusterName", "ServiceName"]],
            ],
        );
        assert.deepStrictEqual(unpublishedMetrics(catalog, resources), [
            "cpu metric: AWS/ElastiCache EngineCPUUtilization is not published with dimensions {ReplicationGroupId}",
        ]);
    });

    for (const stack of ["dev", "prod", "bootstrap"] as const) {
        it(`${stack} plan: every alarm and dashboard metric is one AWS publishes`, function () {
            this.timeout(600_000);
            const plan = stack === "bootstrap" ? bootstrapPlan() : stackPlan(stack);
            const watched = planMetrics(plan.resources);
            if (stack !== "bootstrap") assert.ok(watched.length > 40, `${stack}: ${watched.length} metrics watched`);
            assert.deepStrictEqual(unpublishedMetrics(catalog, plan.resources), []);
        });
    }
});
