/**
 * The dashboard helper: body layout and metric rows (pure), and the component's validation.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Dashboard, dashboardBody } from "../../infra/observability/dashboard";

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

describe("dashboard helper (under mocks)", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
            "platform",
            "test",
            false,
        );
    });

    describe("dashboardBody", () => {
        it("lays graphs out two per row and writes metric rows with their dimensions and options", async () => {
            const body = JSON.parse(
                await resolve(
                    dashboardBody("sa-east-1", [
                        {
                            title: "A",
                            metrics: [
                                {
                                    namespace: "AWS/ECS",
                                    metricName: "CPUUtilization",
                                    dimensions: { ClusterName: pulumi.output("c"), ServiceName: "s" },
                                    label: "svc",
                                },
                            ],
                        },
                        {
                            title: "B",
                            stat: "Sum",
                            periodSeconds: 300,
                            metrics: [
                                {
                                    namespace: "AWS/WAFV2",
                                    metricName: "BlockedRequests",
                                    dimensions: { WebACL: "acl" },
                                    stat: "Maximum",
                                },
                            ],
                        },
                        {
                            title: "C",
                            yFromZero: false,
                            metrics: [{ namespace: "N", metricName: "M", dimensions: {} }],
                        },
                    ]),
                ),
            );
            assert.deepStrictEqual(
                body.widgets.map((w: any) => [w.properties.title, w.x, w.y, w.width, w.height]),
                [
                    ["A", 0, 0, 12, 6],
                    ["B", 12, 0, 12, 6],
                    ["C", 0, 6, 12, 6],
                ],
            );
            assert.deepStrictEqual(body.widgets[0].properties, {
                title: "A",
                region: "sa-east-1",
                view: "timeSeries",
                stacked: false,
                stat: "Average",
                period: 60,
                yAxis: { left: { min: 0 } },
                metrics: [["AWS/ECS", "CPUUtilization", "ClusterName", "c", "ServiceName", "s", { label: "svc" }]],
            });
            assert.deepStrictEqual(
                [
                    body.widgets[1].properties.stat,
                    body.widgets[1].properties.period,
                    body.widgets[1].properties.metrics,
                ],
                ["Sum", 300, [["AWS/WAFV2", "BlockedRequests", "WebACL", "acl", { stat: "Maximum" }]]],
            );
            assert.deepStrictEqual(
                [body.widgets[2].properties.yAxis, body.widgets[2].properties.metrics],
                [{ left: {} }, [["N", "M"]]],
            );
        });
    });

    describe("Dashboard", () => {
        it("refuses a bad name, no graphs, empty graphs and periods CloudWatch rejects", () => {
            assert.throws(() => new Dashboard("d", { dashboardName: "has space", region: "sa-east-1", graphs: [] }), {
                message:
                    'Dashboard d: dashboardName must be 1-255 letters, digits, - and _; got "has space"; graphs must hold at least one graph',
            });
            assert.throws(
                () =>
                    new Dashboard("e", {
                        dashboardName: "ok",
                        region: "sa-east-1",
                        graphs: [{ title: "x", metrics: [], periodSeconds: 90 }],
                    }),
                {
                    message:
                        'Dashboard e: graph "x" has no metrics; graph "x": periodSeconds must be a multiple of 60; got 90',
                },
            );
        });
    });
});
