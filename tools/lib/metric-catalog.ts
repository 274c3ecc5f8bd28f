/**
 * Which CloudWatch metrics AWS publishes, and the alarms and dashboard lines of a plan that watch one
 * it does not (a metric no service publishes never has data: its alarm never fires, its graph stays
 * empty).
 *
 * A metric is identified by namespace, metric name and dimension set (the dimension *names*; CloudWatch
 * treats every combination of dimensions as a separate metric:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension).
 * The catalog is the metric and dimension-set data shipped in `@aws-cdk/aws-service-spec` (the AWS CDK's
 * service database, built from AWS's CloudWatch metric descriptions), plus {@link METRIC_EXCEPTIONS}:
 * metrics AWS documents that the database lacks, each with its AWS documentation link.
 *
 * This is a test over the plans (`test/tools/metric-catalog.spec.ts`), not a policy of the pack: the
 * database is 2.6 MB compressed and takes seconds to load, which every preview would pay.
 */
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import type { ExportedResource } from "./plan-runner";

/** One metric an alarm or a graph watches: namespace, name and the names of its dimensions. */
export interface WatchedMetric {
    namespace: string;
    metricName: string;
    /** Dimension names, in any order. */
    dimensions: string[];
}

/** A metric AWS documents but the service database lacks. */
export interface MetricException {
    namespace: string;
    /** Metric names this row covers. */
    metricNames: string[];
    /** Dimension sets (names) AWS publishes them with. */
    dimensionSets: string[][];
    /** The AWS page that lists these metrics and dimensions. */
    source: string;
}

/** Metrics AWS documents that `@aws-cdk/aws-service-spec` lacks (or lacks for this dimension set). */
export const METRIC_EXCEPTIONS: readonly MetricException[] = [
    {
        // HTTP APIs publish 4xx, 5xx, Count, Latency, IntegrationLatency and DataProcessed per ApiId and
        // per ApiId + Stage; the database has 4xx and 5xx per ApiId only.
        namespace: "AWS/ApiGateway",
        metricNames: ["4xx", "5xx", "Count", "Latency", "IntegrationLatency", "DataProcessed"],
        dimensionSets: [["ApiId"], ["ApiId", "Stage"]],
        source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html",
    },
];

/** A metric key: namespace, name and sorted dimension names. */
function keyOf(namespace: string, metricName: string, dimensions: readonly string[]): string {
    return JSON.stringify([namespace, metricName, [...dimensions].sort()]);
}

/** The catalog: every published (namespace, metric, dimension set). */
export class MetricCatalog {
    private constructor(
        private readonly keys: ReadonlySet<string>,
        private readonly names: ReadonlySet<string>,
    ) {}

    /** Loads `@aws-cdk/aws-service-spec` and adds {@link METRIC_EXCEPTIONS} (a few seconds). */
    static load(exceptions: readonly MetricException[] = METRIC_EXCEPTIONS): MetricCatalog {
        const db = loadAwsServiceSpecSync();
        const keys = new Set<string>();
        const names = new Set<string>();
        for (const metric of db.all("metric")) {
            names.add(JSON.stringify([metric.namespace, metric.name]));
            for (const { entity } of db.follow("usesDimensionSet", metric)) {
                keys.add(
                    keyOf(
                        metric.namespace,
                        metric.name,
                        entity.dimensions.map((d) => d.name),
                    ),
                );
            }
        }
        for (const e of exceptions) {
            for (const name of e.metricNames) {
                names.add(JSON.stringify([e.namespace, name]));
                for (const set of e.dimensionSets) keys.add(keyOf(e.namespace, name, set));
            }
        }
        return new MetricCatalog(keys, names);
    }

    /** `undefined` when AWS publishes `m`; otherwise what is wrong with it. */
    problem(m: WatchedMetric): string | undefined {
        if (m.namespace.length > 0 && !m.namespace.startsWith("AWS/")) return undefined; // custom namespace: ours
        if (!this.names.has(JSON.stringify([m.namespace, m.metricName])))
            return `${m.namespace} publishes no metric named ${m.metricName}`;
        if (this.keys.has(keyOf(m.namespace, m.metricName, m.dimensions))) return undefined;
        const dimensions = [...m.dimensions].sort().join(", ");
        return `${m.namespace} ${m.metricName} is not published with dimensions {${dimensions}}`;
    }
}

/** A metric of the plan with the resource that watches it. */
export interface PlanMetric extends WatchedMetric {
    /** Logical name of the alarm or dashboard. */
    resource: string;
    /** Where in the resource: `metric`, `metricQueries[2]`, `widgets[3].metrics[1]`. */
    at: string;
}

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";

function dimensionNames(value: unknown): string[] {
    return value !== null && typeof value === "object" ? Object.keys(value) : [];
}

function alarmMetrics(name: string, inputs: Record<string, unknown>): PlanMetric[] {
    const out: PlanMetric[] = [];
    if (typeof inputs.metricName === "string")
        out.push({
            resource: name,
            at: "metric",
            namespace: typeof inputs.namespace === "string" ? inputs.namespace : "",
            metricName: inputs.metricName,
            dimensions: dimensionNames(inputs.dimensions),
        });
    const queries = Array.isArray(inputs.metricQueries) ? (inputs.metricQueries as Record<string, unknown>[]) : [];
    queries.forEach((q, i) => {
        const metric = q.metric as Record<string, unknown> | undefined;
        if (metric && typeof metric.metricName === "string")
            out.push({
                resource: name,
                at: `metricQueries[${i}]`,
                namespace: typeof metric.namespace === "string" ? metric.namespace : "",
                metricName: metric.metricName,
                dimensions: dimensionNames(metric.dimensions),
            });
    });
    return out;
}

/**
 * Metric rows of a dashboard body: `[namespace, name, dim1, value1, ..., {options}?]`; `"."` repeats the
 * row above's entry at that position
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Metrics-Array-Format).
 * Expression rows (`[{ expression }]`) watch no metric of their own.
 */
function dashboardMetrics(name: string, body: unknown): PlanMetric[] {
    const parsed = (typeof body === "string" ? JSON.parse(body) : body) as { widgets?: unknown[] };
    const out: PlanMetric[] = [];
    (parsed.widgets ?? []).forEach((w, wi) => {
        const rows = (w as { properties?: { metrics?: unknown[][] } }).properties?.metrics ?? [];
        let previous: unknown[] = [];
        rows.forEach((row, ri) => {
            const cells = row.filter((c) => typeof c === "string");
            const resolved = cells.map((c, i) => (c === "." ? previous[i] : c));
            previous = resolved;
            if (resolved.length < 2) return;
            const dims: string[] = [];
            for (let i = 2; i + 1 < resolved.length; i += 2) dims.push(String(resolved[i]));
            out.push({
                resource: name,
                at: `widgets[${wi}].metrics[${ri}]`,
                namespace: String(resolved[0]),
                metricName: String(resolved[1]),
                dimensions: dims,
            });
        });
    });
    return out;
}

/** Every metric the plan's alarms and dashboards watch. */
export function planMetrics(resources: readonly ExportedResource[]): PlanMetric[] {
    return resources.flatMap((r) => {
        const name = r.urn.split("::").pop() ?? r.urn;
        const inputs = r.inputs ?? {};
        if (r.type === ALARM) return alarmMetrics(name, inputs);
        if (r.type === DASHBOARD) return dashboardMetrics(name, inputs.dashboardBody);
        return [];
    });
}

/** `<resource> <at>: <problem>` for every watched metric AWS does not publish. */
export function unpublishedMetrics(catalog: MetricCatalog, resources: readonly ExportedResource[]): string[] {
    return planMetrics(resources).flatMap((m) => {
        const problem = catalog.problem(m);
        return problem === undefined ? [] : [`${m.resource} ${m.at}: ${problem}`];
    });
}
