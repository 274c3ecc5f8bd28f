/**
 * The deploy-readiness policies through the pack's analyzer: for each, a compliant, a violating and an
 * unknown-value case (docs/first-deploy.md says what each prevents).
 */
import * as assert from "assert";
import { deployReadinessPolicies, parseImage } from "../../policy-pack/policies/deploy-readiness";
import { only, policyCases, res, TestResource, UNKNOWN, usePack } from "./support/harness";

const URL = "111122223333.dkr.ecr.sa-east-1.amazonaws.com/platform-dev-api";
const DIGEST = `sha256:${"ab".repeat(32)}`;

const repository = () =>
    res(
        "aws:ecr/repository:Repository",
        "api-repo",
        { name: "platform-dev-api" },
        {
            outputs: {
                name: "platform-dev-api",
                repositoryUrl: URL,
                id: "platform-dev-api",
                arn: "arn:aws:ecr:sa-east-1:111122223333:repository/platform-dev-api",
            },
        },
    );
const taskDefinition = (name: string, image: string) =>
    res("aws:ecs/taskDefinition:TaskDefinition", name, {
        family: name,
        containerDefinitions: JSON.stringify([{ name: "api", image, essential: true }]),
    });
const deployment = (name: string, spec: Record<string, unknown>, namespace = "web") =>
    res("kubernetes:apps/v1:Deployment", name, {
        metadata: { name, namespace },
        spec: {
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "nginx:1.27" }] } },
            ...spec,
        },
    });
const hpa = (name: string, target: unknown, namespace = "web") =>
    res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name, {
        metadata: { name, namespace },
        spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 6 },
    });

describe("policy-pack/policies/deploy-readiness (through the analyzer)", () => {
    const pack = usePack();

    it("registers every deploy-readiness policy as mandatory by default", () => {
        const byName = new Map(pack.info.policies.map((p) => [p.name, p]));
        assert.deepStrictEqual(
            deployReadinessPolicies.map((p) => [p.name, byName.get(p.name)?.enforcementLevel]),
            [
                ["acm-validation-completes", "mandatory"],
                ["container-image-pushed", "mandatory"],
                ["eks-addon-after-nodes", "mandatory"],
                ["k8s-replicas-with-hpa", "mandatory"],
                ["alarm-topic-subscribed", "mandatory"],
            ],
        );
    });

    it("parses image references: tag, digest, tag and digest, no tag", () => {
        assert.deepStrictEqual(parseImage(`${URL}:1.2.0`), { repository: URL, tag: "1.2.0" });
        assert.deepStrictEqual(parseImage(`${URL}@${DIGEST}`), { repository: URL, digest: DIGEST });
        assert.deepStrictEqual(parseImage(`${URL}:1.2.0@${DIGEST}`), { repository: URL, digest: DIGEST });
        assert.deepStrictEqual(parseImage("localhost:5000/api"), { repository: "localhost:5000/api", tag: "latest" });
    });

    const record = (name: string, fqdn: string) =>
        res("aws:route53/record:Record", name, { zoneId: "Z0123456789ABC", name: `${fqdn}.`, type: "CNAME", fqdn });
    const validation = (name: string, fqdns: unknown, deps: TestResource[] = []) =>
        res(
            "aws:acm/certificateValidation:CertificateValidation",
            name,
            { certificateArn: "arn:aws:acm:sa-east-1:111122223333:certificate/1", validationRecordFqdns: fqdns },
            { deps: deps.length > 0 ? { validationRecordFqdns: deps } : {} },
        );
    policyCases(pack, "acm-validation-completes", {
        compliant: [
            (() => {
                const r = record("cert-validation-record", "_a1.tickets.example.com");
                return { resources: [r, validation("cert-validation", ["_a1.tickets.example.com"], [r])] };
            })(),
            // Linked by value (state without property dependencies), trailing dot and case ignored.
            {
                resources: [
                    record("by-value-record", "_b2.shop.example.com"),
                    validation("by-value", ["_B2.shop.example.com."]),
                ],
            },
        ],
        violating: [
            (() => {
                const none = validation("no-records", undefined);
                const elsewhere = validation("records-elsewhere", ["_c3.music.example.com"]);
                return {
                    resources: [record("other", "_d4.music.example.com"), none, elsewhere],
                    flagged: [none, elsewhere],
                    message:
                        /validationRecordFqdns (is empty|\(_c3\.music\.example\.com\) names no Route 53 record of this stack), so the validation waits for records nothing in this run creates/,
                };
            })(),
        ],
        unknown: [{ resources: [validation("pending", UNKNOWN)] }],
    });

    policyCases(pack, "container-image-pushed", {
        compliant: [
            // Pinned by digest: it was read from a pushed image.
            { resources: [repository(), taskDefinition("pinned", `${URL}@${DIGEST}`)] },
            // Built and pushed by the program.
            {
                resources: [
                    repository(),
                    res("awsx:ecr:Image", "api-image", { repositoryUrl: URL, imageTag: "1.2.0" }, { component: true }),
                    taskDefinition("built", `${URL}:1.2.0`),
                ],
            },
            // A repository this stack does not create (pushed elsewhere, before).
            {
                resources: [
                    repository(),
                    taskDefinition("elsewhere", "999988887777.dkr.ecr.sa-east-1.amazonaws.com/x:1"),
                ],
            },
        ],
        violating: [
            (() => {
                const task = taskDefinition("by-tag", `${URL}:1.2.0`);
                const app = deployment("app", {});
                const k8s = res("kubernetes:apps/v1:Deployment", "k8s-app", {
                    metadata: { name: "k8s-app", namespace: "web" },
                    spec: { template: { spec: { containers: [{ name: "api", image: `${URL}:2.0.0` }] } } },
                });
                return {
                    resources: [
                        repository(),
                        // Pushes another tag only.
                        res("awsx:ecr:Image", "old", { repositoryUrl: URL, imageTag: "1.0.0" }, { component: true }),
                        task,
                        app,
                        k8s,
                    ],
                    flagged: [task, k8s],
                    message:
                        /image 111122223333\.dkr\.ecr\.sa-east-1\.amazonaws\.com\/platform-dev-api:(1\.2\.0|2\.0\.0) is in ECR repository api-repo, which this stack creates, and nothing in the stack pushes tag/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    repository(),
                    res("aws:ecs/taskDefinition:TaskDefinition", "unknown", { containerDefinitions: UNKNOWN }),
                ],
            },
        ],
    });

    const nodeGroup = () => res("aws:eks/nodeGroup:NodeGroup", "nodes", { clusterName: "c", nodeGroupName: "n" });
    const addon = (name: string, addonName: unknown, dependsOn: TestResource[] = []) =>
        res("aws:eks/addon:Addon", name, { clusterName: "c", addonName }, { dependsOn });
    policyCases(pack, "eks-addon-after-nodes", {
        compliant: [
            (() => {
                const nodes = nodeGroup();
                // Through another resource that waits for the nodes.
                const access = res("aws:eks/accessEntry:AccessEntry", "access", {}, { dependsOn: [nodes] });
                return {
                    resources: [
                        nodes,
                        access,
                        addon("coredns", "coredns", [nodes]),
                        addon("ebs", "aws-ebs-csi-driver", [access]),
                        // Runs no pods that need scheduling before nodes join.
                        addon("vpc-cni", "vpc-cni"),
                    ],
                };
            })(),
            {
                resources: [
                    res(
                        "eks:index:Cluster",
                        "cluster",
                        { skipDefaultNodeGroup: true, corednsAddonOptions: { enabled: false } },
                        { component: true },
                    ),
                ],
            },
        ],
        violating: [
            (() => {
                const early = addon("coredns-early", "coredns");
                const cluster = res(
                    "eks:index:Cluster",
                    "cluster",
                    { skipDefaultNodeGroup: true, corednsAddonOptions: { enabled: true } },
                    { component: true },
                );
                return {
                    resources: [nodeGroup(), early, cluster],
                    flagged: [early, cluster],
                    message:
                        /(add-on coredns runs pods, but nothing makes it wait for a node group|corednsAddonOptions enables the CoreDNS add-on in a cluster without nodes)/,
                };
            })(),
        ],
        unknown: [{ resources: [addon("unknown", UNKNOWN)] }],
    });

    policyCases(pack, "k8s-replicas-with-hpa", {
        compliant: [
            {
                resources: [
                    deployment("app", {}),
                    hpa("app", { apiVersion: "apps/v1", kind: "Deployment", name: "app" }),
                ],
            },
            // The HPA targets another namespace's Deployment of that name.
            {
                resources: [
                    deployment("app", { replicas: 2 }, "other"),
                    hpa("app", { apiVersion: "apps/v1", kind: "Deployment", name: "app" }),
                ],
            },
        ],
        violating: [
            (() => {
                const app = deployment("app", { replicas: 3 });
                return {
                    resources: [app, hpa("app-hpa", { apiVersion: "apps/v1", kind: "Deployment", name: "app" })],
                    flagged: [app],
                    message:
                        /spec\.replicas is 3 while HorizontalPodAutoscaler app-hpa scales this Deployment; remove spec\.replicas/,
                };
            })(),
        ],
        unknown: [
            {
                resources: [
                    deployment("app", { replicas: 3 }),
                    hpa("app-hpa", { apiVersion: "apps/v1", kind: "Deployment", name: UNKNOWN }),
                ],
            },
        ],
    });

    it("alarm-topic-subscribed asks nothing where the config does not require a subscriber (the default)", async () => {
        const topic = res("aws:sns/topic:Topic", "alarms", {});
        const alarm = res(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "cpu",
            { alarmActions: ["arn:aws:test:::alarms"] },
            { deps: { alarmActions: [topic] } },
        );
        assert.deepStrictEqual(only(await pack.run([topic, alarm]), "alarm-topic-subscribed"), []);
    });
});

describe("policy-pack/policies/deploy-readiness alarm-topic-subscribed with requireSubscriber (prod's config)", () => {
    const pack = usePack({ "alarm-topic-subscribed": { enforcementLevel: "mandatory", requireSubscriber: true } });
    const topic = (name: string) => res("aws:sns/topic:Topic", name, {});
    const alarm = (name: string, to: TestResource | typeof UNKNOWN, property = "alarmActions") =>
        typeof to === "string"
            ? res("aws:cloudwatch/metricAlarm:MetricAlarm", name, { [property]: to })
            : res(
                  "aws:cloudwatch/metricAlarm:MetricAlarm",
                  name,
                  { [property]: [`arn:aws:test:::${to.name}`] },
                  { deps: { [property]: [to] } },
              );
    const subscription = (name: string, to: TestResource) =>
        res(
            "aws:sns/topicSubscription:TopicSubscription",
            name,
            { topic: `arn:aws:test:::${to.name}`, protocol: "email", endpoint: "ops@example.com" },
            { deps: { topic: [to] } },
        );

    policyCases(pack, "alarm-topic-subscribed", {
        compliant: [
            (() => {
                const t = topic("alarms");
                // A topic no alarm notifies needs no subscriber.
                return { resources: [t, alarm("cpu", t), subscription("ops", t), topic("orders")] };
            })(),
        ],
        violating: [
            (() => {
                const heard = topic("heard");
                const silent = topic("silent");
                return {
                    resources: [
                        heard,
                        silent,
                        alarm("cpu", heard),
                        alarm("recovered", silent, "okActions"),
                        subscription("ops", heard),
                    ],
                    flagged: [silent],
                    message: /silent: CloudWatch alarms notify this topic, but it has no subscription/,
                };
            })(),
        ],
        unknown: [{ resources: [topic("alarms"), alarm("cpu", UNKNOWN)] }],
    });
});
