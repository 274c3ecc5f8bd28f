/**
 * A CloudWatch dashboard of metric graphs (`platform:observability:Dashboard`), laid out two per row.
 * Callers describe graphs as metrics with dimensions (values may be Outputs such as a load balancer's
 * ARN suffix); the component writes the dashboard body JSON.
 *
 * Body format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One line of a graph. */
export interface DashboardMetric {
    namespace: string;
    metricName: string;
    /** Dimension name -> value; order kept as given. */
    dimensions: Record<string, pulumi.Input<string>>;
    /** Legend text. Default CloudWatch's. */
    label?: string;
    /** Statistic of this line; default the graph's. */
    stat?: string;
}

/** A time-series graph. */
export interface DashboardGraph {
    title: string;
    metrics: DashboardMetric[];
    /** `Average`, `Sum`, `Maximum`, `Minimum`, `SampleCount` or `pNN`. Default `Average`. */
    stat?: string;
    /** Seconds per data point, a multiple of 60. Default 60. */
    periodSeconds?: number;
    /** Y axis from 0 (counts, percentages). Default true. */
    yFromZero?: boolean;
}

export interface DashboardArgs {
    /** Dashboard name (fixed): letters, digits, `-` and `_`, 1-255. */
    dashboardName: string;
    /** Region of the metrics. */
    region: string;
    graphs: DashboardGraph[];
}

const WIDTH = 12;
const HEIGHT = 6;

/** The dashboard body for `graphs` (pure: tests call it directly). */
export function dashboardBody(region: string, graphs: DashboardGraph[]): pulumi.Output<string> {
    const widgets = graphs.map((g, i) => ({
        type: "metric",
        x: (i % 2) * WIDTH,
        y: Math.floor(i / 2) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: {
            title: g.title,
            region,
            view: "timeSeries",
            stacked: false,
            stat: g.stat ?? "Average",
            period: g.periodSeconds ?? 60,
            yAxis: { left: (g.yFromZero ?? true) ? { min: 0 } : {} },
            metrics: g.metrics.map((m) => {
                const options: Record<string, string> = {};
                if (m.label !== undefined) options.label = m.label;
                if (m.stat !== undefined) options.stat = m.stat;
                const row: pulumi.Input<string>[] = [
                    m.namespace,
                    m.metricName,
                    ...Object.entries(m.dimensions).flatMap(([k, v]) => [k, v]),
                ];
                return Object.keys(options).length > 0 ? [...row, options] : row;
            }),
        },
    }));
    return pulumi.jsonStringify({ widgets });
}

export class Dashboard extends pulumi.ComponentResource {
    readonly dashboardName: pulumi.Output<string>;
    readonly dashboardArn: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:Dashboard", name, {}, opts);
        const problems: string[] = [];
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(args.dashboardName))
            problems.push(
                `dashboardName must be 1-255 letters, digits, - and _; got ${JSON.stringify(args.dashboardName)}`,
            );
        if (args.graphs.length === 0) problems.push("graphs must hold at least one graph");
        for (const g of args.graphs) {
            if (g.metrics.length === 0) problems.push(`graph ${JSON.stringify(g.title)} has no metrics`);
            const period = g.periodSeconds ?? 60;
            if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
                problems.push(
                    `graph ${JSON.stringify(g.title)}: periodSeconds must be a multiple of 60; got ${period}`,
                );
        }
        if (problems.length > 0) throw new Error(`Dashboard ${name}: ${problems.join("; ")}`);
        const dashboard = new aws.cloudwatch.Dashboard(
            name,
            {
                dashboardName: args.dashboardName,
                dashboardBody: dashboardBody(args.region, args.graphs),
            },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.dashboardArn = dashboard.dashboardArn;
        this.registerOutputs({ dashboardName: this.dashboardName });
    }
}
