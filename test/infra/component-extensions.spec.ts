/**
 * What ticketing and spotmusic added to the mtls-api components, under the offline plan's mocks:
 * LoadBalancer listener rules (conditions, priorities, fixed responses, AWS's limits) and
 * FargateService scaling on SQS backlog per task (metric math over SQS and Container Insights).
 */
import * as assert from "assert";
import { FargateService } from "../../infra/compute/fargate-service";
import { LoadBalancer, LoadBalancerArgs } from "../../infra/edge/load-balancer";
import { componentHarness, TAGS, value } from "./component-harness";

const h = componentHarness();
const HC = { protocol: "HTTP" as const, path: "/health" };

function albArgs(overrides: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs {
    return {
        type: "application",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        ingress: { https: { port: 443, prefixListId: "pl-cloudfront", description: "CloudFront" } },
        targetGroups: {
            a: { port: 8080, protocol: "HTTP", healthCheck: HC },
            b: { port: 8080, protocol: "HTTP", healthCheck: HC },
        },
        listeners: {
            https: {
                port: 443,
                protocol: "HTTPS",
                certificateArn: "arn:cert",
                action: { type: "fixed-response", statusCode: 403, body: "Forbidden" },
                rules: {
                    first: {
                        priority: 10,
                        pathPatterns: ["/a*", "/x/*"],
                        httpHeader: { name: "X-Origin-Verify", values: ["secret"] },
                        action: { type: "forward", targetGroup: "a" },
                    },
                    second: {
                        priority: 20,
                        hostHeaders: ["b.example.com"],
                        action: { type: "forward", targetGroup: "b" },
                    },
                    gone: {
                        priority: 30,
                        pathPatterns: ["/old/*"],
                        action: {
                            type: "fixed-response",
                            statusCode: 410,
                            contentType: "application/json",
                            body: "{}",
                        },
                    },
                },
            },
            http: { port: 80, protocol: "HTTP", action: { type: "redirect-https" } },
        },
        accessLogs: { bucketName: "logs" },
        protect: false,
        tags: TAGS,
        ...overrides,
    };
}

describe("component extensions for ticketing and spotmusic (under mocks)", () => {
    before(() => h.install());

    describe("LoadBalancer listener rules", () => {
        it("creates each rule on its listener with its priority, every condition and its action; the default action answers 403", async () => {
            const lb = new LoadBalancer("rules", albArgs());
            await h.settle(lb.loadBalancerArn);
            const listener = h.one("aws:lb/listener:Listener", "rules-https");
            assert.deepStrictEqual(listener.inputs.defaultActions, [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
                },
            ]);
            const listenerArn = await value(lb.listeners[1].arn); // listeners are made in key order: http, https
            const rules = h
                .ofType("aws:lb/listenerRule:ListenerRule", "rules-")
                .sort((x, y) => x.name.localeCompare(y.name));
            assert.deepStrictEqual(
                rules.map((r) => [r.name, r.inputs.listenerArn === listenerArn, r.inputs.priority, r.inputs.tags]),
                [
                    ["rules-https-first", true, 10, TAGS],
                    ["rules-https-gone", true, 30, TAGS],
                    ["rules-https-second", true, 20, TAGS],
                ],
            );
            const [first, gone, second] = rules.map((r) => r.inputs);
            assert.deepStrictEqual(first.conditions, [
                { httpHeader: { httpHeaderName: "X-Origin-Verify", values: ["secret"] } },
                { pathPattern: { values: ["/a*", "/x/*"] } },
            ]);
            assert.deepStrictEqual(first.actions, [
                { type: "forward", targetGroupArn: await value(lb.targetGroupArns.a) },
            ]);
            assert.deepStrictEqual(second.conditions, [{ hostHeader: { values: ["b.example.com"] } }]);
            assert.deepStrictEqual(gone.actions, [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "410", contentType: "application/json", messageBody: "{}" },
                },
            ]);
            assert.strictEqual(lb.listenerRules.length, 3);
            const ingress = h.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rules-in-https").inputs;
            assert.deepStrictEqual(
                [ingress.prefixListId, ingress.cidrIpv4, ingress.fromPort],
                ["pl-cloudfront", undefined, 443],
            );
        });

        it("refuses rules AWS would refuse, and rules on HTTP or network listeners", () => {
            const bad = albArgs();
            bad.listeners.https.rules = {
                "Bad Key": { priority: 0, action: { type: "forward", targetGroup: "nope" } },
                many: {
                    priority: 10,
                    pathPatterns: ["/1", "/2", "/3", "/4"],
                    httpHeader: { name: "X Bad", values: ["a", "b"] },
                    action: { type: "redirect-https" },
                },
                twin: { priority: 10, pathPatterns: ["no-slash"], action: { type: "fixed-response", statusCode: 700 } },
            };
            bad.listeners.http.rules = {
                x: { priority: 1, pathPatterns: ["/x"], action: { type: "forward", targetGroup: "a" } },
            };
            assert.throws(() => new LoadBalancer("bad", bad), {
                message:
                    "LoadBalancer bad: listeners.http.rules belong on an HTTPS listener of an application load balancer; " +
                    "listeners.https.rules use a priority more than once: 0, 10, 10; " +
                    "listeners.https.rules.Bad Key: the key must be 1-31 lower-case letters, digits and -; listeners.https.rules.Bad Key.priority must be an integer from 1 to 50000; got 0; " +
                    'listeners.https.rules.Bad Key needs at least one condition (pathPatterns, hostHeaders or httpHeader); listeners.https.rules.Bad Key.action forwards to unknown target group "nope"; ' +
                    "listeners.https.rules.many: a condition may hold at most 3 values; listeners.https.rules.many: a rule may hold at most 5 condition values; " +
                    'listeners.https.rules.many.httpHeader.name must be an HTTP header name of at most 40 characters; got "X Bad"; listeners.https.rules.many.action must be forward or fixed-response; ' +
                    'listeners.https.rules.twin.pathPatterns: "no-slash" must start with / and hold at most 128 URL characters; listeners.https.rules.twin.action.statusCode must be 200-599; got 700',
            });
        });
    });

    describe("FargateService queue backlog scaling", () => {
        it("adds a target-tracking policy on visible messages per running task", async () => {
            const svc = new FargateService("worker", {
                region: "sa-east-1",
                accountId: "123456789012",
                partition: "aws",
                clusterArn: "arn:aws:ecs:sa-east-1:123456789012:cluster/c",
                clusterName: "c",
                vpcId: "vpc-1",
                subnetIds: ["subnet-a", "subnet-b"],
                cpu: 256,
                memory: 512,
                container: { name: "worker", image: "repo/worker:1" },
                logs: {
                    groupName: "/p/test/worker",
                    kmsKeyArn: "arn:aws:kms:sa-east-1:123456789012:key/logs",
                    retentionInDays: 7,
                },
                autoscaling: {
                    maxCapacity: 10,
                    cpuTargetPercent: null,
                    queueBacklogPerTask: { queueName: "jobs-queue", targetMessagesPerTask: 50 },
                },
                tags: TAGS,
            });
            const serviceName = await h.settle(svc.serviceName);
            assert.deepStrictEqual(
                h.ofType("aws:appautoscaling/policy:Policy", "worker-").map((p) => p.name),
                ["worker-queue-backlog"],
            );
            const config = h.one("aws:appautoscaling/policy:Policy", "worker-queue-backlog").inputs
                .targetTrackingScalingPolicyConfiguration;
            assert.deepStrictEqual(config, {
                targetValue: 50,
                scaleInCooldown: 300,
                scaleOutCooldown: 60,
                customizedMetricSpecification: {
                    metrics: [
                        {
                            id: "visible",
                            label: "Visible messages",
                            returnData: false,
                            metricStat: {
                                stat: "Sum",
                                metric: {
                                    namespace: "AWS/SQS",
                                    metricName: "ApproximateNumberOfMessagesVisible",
                                    dimensions: [{ name: "QueueName", value: "jobs-queue" }],
                                },
                            },
                        },
                        {
                            id: "tasks",
                            label: "Running tasks",
                            returnData: false,
                            metricStat: {
                                stat: "Average",
                                metric: {
                                    namespace: "ECS/ContainerInsights",
                                    metricName: "RunningTaskCount",
                                    dimensions: [
                                        { name: "ClusterName", value: "c" },
                                        { name: "ServiceName", value: serviceName },
                                    ],
                                },
                            },
                        },
                        { id: "backlog", label: "Messages per task", expression: "visible / tasks", returnData: true },
                    ],
                },
            });
        });

        it("refuses a non-positive backlog target", () => {
            assert.throws(
                () =>
                    new FargateService("w2", {
                        region: "sa-east-1",
                        accountId: "1",
                        partition: "aws",
                        clusterArn: "c",
                        clusterName: "c",
                        vpcId: "v",
                        subnetIds: ["a", "b"],
                        cpu: 256,
                        memory: 512,
                        container: { name: "w", image: "i" },
                        logs: { groupName: "/g", kmsKeyArn: "k", retentionInDays: 7 },
                        autoscaling: {
                            maxCapacity: 4,
                            cpuTargetPercent: null,
                            queueBacklogPerTask: { queueName: "q", targetMessagesPerTask: 0 },
                        },
                        tags: TAGS,
                    }),
                {
                    message:
                        "FargateService w2: autoscaling.queueBacklogPerTask.targetMessagesPerTask must be positive; got 0",
                },
            );
        });
    });
});
