/**
 * The edge components on their own, under Pulumi mocks in this process: LoadBalancer (both types,
 * listener rules it enforces, validation), WebAcl (both scopes, overrides, validation), TrustStore.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TLS_POLICY, LoadBalancer, LoadBalancerArgs } from "../../infra/edge/load-balancer";
import { TrustStore } from "../../infra/edge/trust-store";
import { MANAGED_RULE_GROUPS, WebAcl } from "../../infra/edge/web-acl";

interface Registered {
    type: string;
    name: string;
    inputs: any;
}
const registered: Registered[] = [];
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};
const ofType = (type: string, prefix: string) => registered.filter((r) => r.type === type && r.name.startsWith(prefix));

describe("edge components (under mocks)", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    return {
                        id: `${a.name}-id`,
                        state: {
                            ...a.inputs,
                            name: a.inputs.name ?? a.name,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                            arnSuffix: `suffix/${a.name}`,
                            versionId: `${a.name}-v1`,
                            bucket: a.inputs.bucket ?? `${a.name}-bucket`,
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
    });

    const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };
    const HC = { protocol: "HTTP" as const, path: "/health" };

    function albArgs(overrides: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs {
        return {
            type: "application",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a", "subnet-b"],
            ingress: { https: { port: 443, cidrIpv4: "0.0.0.0/0", description: "clients" } },
            targetGroups: { web: { port: 8080, protocol: "HTTP", healthCheck: HC } },
            listeners: {
                https: {
                    port: 443,
                    protocol: "HTTPS",
                    certificateArn: "arn:cert",
                    action: { type: "forward", targetGroup: "web" },
                },
                http: { port: 80, protocol: "HTTP", action: { type: "redirect-https" } },
            },
            accessLogs: { bucketName: "logs" },
            protect: true,
            tags: TAGS,
            ...overrides,
        };
    }

    describe("LoadBalancer", () => {
        it("builds an ALB: TLS 1.2+ HTTPS, HTTP only redirecting, invalid headers dropped, protected, logged under elb/", async () => {
            const lb = new LoadBalancer("shop-alb", albArgs({ internal: true, alarmTopicArn: "arn:topic" }));
            await settle(lb.loadBalancerArn);
            const i = one("aws:lb/loadBalancer:LoadBalancer", "shop-alb");
            assert.deepStrictEqual(
                [
                    i.loadBalancerType,
                    i.internal,
                    i.dropInvalidHeaderFields,
                    i.enableDeletionProtection,
                    i.idleTimeout,
                    i.accessLogs,
                    i.securityGroups,
                ],
                [
                    "application",
                    true,
                    true,
                    true,
                    60,
                    { enabled: true, bucket: "logs", prefix: "elb" },
                    ["shop-alb-sg-id"],
                ],
            );
            const https = one("aws:lb/listener:Listener", "shop-alb-https");
            assert.deepStrictEqual(
                [https.protocol, https.sslPolicy, https.certificateArn, https.mutualAuthentication],
                ["HTTPS", DEFAULT_TLS_POLICY, "arn:cert", undefined],
            );
            assert.strictEqual(DEFAULT_TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.deepStrictEqual(one("aws:lb/listener:Listener", "shop-alb-http").defaultActions, [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ]);
            assert.deepStrictEqual(
                ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "shop-alb-").map((a) => [
                    a.name,
                    a.inputs.namespace,
                    a.inputs.metricName,
                ]),
                [
                    ["shop-alb-web-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount"],
                    ["shop-alb-web-no-healthy", "AWS/ApplicationELB", "HealthyHostCount"],
                ],
            );
            assert.deepStrictEqual(ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "shop-alb-"), []);
            lb.allowEgressTo("web", {
                port: 8080,
                destinationSecurityGroupId: "sg-web",
                description: "to the web tasks",
            });
            await settle(lb.loadBalancerArn);
            assert.deepStrictEqual(one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "shop-alb-out-web"), {
                securityGroupId: "shop-alb-sg-id",
                ipProtocol: "tcp",
                fromPort: 8080,
                toPort: 8080,
                referencedSecurityGroupId: "sg-web",
                description: "to the web tasks",
                tags: TAGS,
            });
        });

        it("builds an NLB with a TLS listener (default TLS policy), cross-zone on, client IP not preserved", async () => {
            const lb = new LoadBalancer("tcp-nlb", {
                type: "network",
                vpcId: "vpc-1",
                subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
                ingress: { tls: { port: 443, prefixListId: "pl-clients", description: "partners" } },
                targetGroups: { app: { port: 9443, protocol: "TCP", healthCheck: { protocol: "TCP" } } },
                listeners: {
                    tls: {
                        port: 443,
                        protocol: "TLS",
                        certificateArn: "arn:cert",
                        action: { type: "forward", targetGroup: "app" },
                    },
                },
                accessLogs: { bucketName: "logs" },
                protect: false,
                tags: TAGS,
            });
            await settle(lb.loadBalancerArn);
            const i = one("aws:lb/loadBalancer:LoadBalancer", "tcp-nlb");
            assert.deepStrictEqual(
                [
                    i.loadBalancerType,
                    i.internal,
                    i.enableCrossZoneLoadBalancing,
                    i.dropInvalidHeaderFields,
                    i.idleTimeout,
                ],
                ["network", false, true, undefined, undefined],
            );
            assert.deepStrictEqual(
                [
                    one("aws:lb/listener:Listener", "tcp-nlb-tls").sslPolicy,
                    one("aws:lb/listener:Listener", "tcp-nlb-tls").protocol,
                ],
                [DEFAULT_TLS_POLICY, "TLS"],
            );
            const tg = one("aws:lb/targetGroup:TargetGroup", "tcp-nlb-app");
            assert.deepStrictEqual(
                [tg.preserveClientIp, tg.healthCheck],
                [
                    "false",
                    {
                        enabled: true,
                        protocol: "TCP",
                        port: "traffic-port",
                        interval: 10,
                        timeout: 5,
                        healthyThreshold: 3,
                        unhealthyThreshold: 3,
                    },
                ],
            );
            assert.strictEqual(
                one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "tcp-nlb-in-tls").prefixListId,
                "pl-clients",
            );
            assert.deepStrictEqual(ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "tcp-nlb-"), []);
        });

        it("refuses what would serve plain HTTP, weaken TLS or not fit the load balancer type, all at once", () => {
            assert.throws(
                () =>
                    new LoadBalancer(
                        "a-load-balancer-name-too-long",
                        albArgs({
                            subnetIds: ["subnet-a"],
                            ingress: { open: { port: 443, description: "no source" } },
                            targetGroups: {
                                "web-with-a-long-key": {
                                    port: 8080,
                                    protocol: "TCP",
                                    healthCheck: { protocol: "HTTP" },
                                },
                            },
                            listeners: {
                                http: {
                                    port: 80,
                                    protocol: "HTTP",
                                    action: { type: "forward", targetGroup: "web-with-a-long-key" },
                                },
                                https: {
                                    port: 443,
                                    protocol: "HTTPS",
                                    sslPolicy: "ELBSecurityPolicy-2016-08",
                                    action: { type: "forward", targetGroup: "nope" },
                                },
                                tls: {
                                    port: 443,
                                    protocol: "TLS",
                                    action: { type: "fixed-response", statusCode: 404 },
                                },
                            },
                        }),
                    ),
                {
                    message:
                        "LoadBalancer a-load-balancer-name-too-long: the name must be at most 24 characters (AWS allows 32 with Pulumi's suffix); got 29; " +
                        "subnetIds must hold at least 2 subnets in different Availability Zones; got 1; " +
                        "ingress.open must name exactly one of cidrIpv4, sourceSecurityGroupId, prefixListId; got 0; " +
                        'targetGroups.web-with-a-long-key: "a-load-balancer-name-too-long-web-with-a-long-key" is longer than 24 characters (target group names are limited to 32 with Pulumi\'s suffix); ' +
                        "targetGroups.web-with-a-long-key.protocol must be one of HTTP, HTTPS on an application load balancer; got TCP; " +
                        "targetGroups.web-with-a-long-key.healthCheck.path must start with / for HTTP checks; " +
                        "listeners use a port more than once: 80, 443, 443; " +
                        "listeners.http.action target group protocol does not fit the listener; " +
                        "listeners.http: an HTTP listener may only redirect to HTTPS (action redirect-https); " +
                        "listeners.https: HTTPS needs certificateArn; " +
                        "listeners.https.sslPolicy ELBSecurityPolicy-2016-08 allows TLS older than 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06; " +
                        'listeners.https.action forwards to unknown target group "nope"; ' +
                        "listeners.tls.protocol must be one of HTTP, HTTPS on an application load balancer; got TLS; " +
                        "listeners.tls: TLS needs certificateArn",
                },
            );
        });

        it("refuses ALB-only actions and options on an NLB", () => {
            assert.throws(
                () =>
                    new LoadBalancer("nlb-bad", {
                        type: "network",
                        vpcId: "v",
                        subnetIds: ["a", "b"],
                        ingress: {},
                        targetGroups: {},
                        listeners: { http: { port: 80, protocol: "TCP", action: { type: "redirect-https" } } },
                        accessLogs: { bucketName: "logs" },
                        protect: false,
                        idleTimeoutSeconds: 30,
                        tags: TAGS,
                    }),
                {
                    message:
                        "LoadBalancer nlb-bad: idleTimeoutSeconds applies to application load balancers only; " +
                        "accessLogs: a network load balancer writes access logs only for TLS listeners, and this one has none; leave accessLogs out; " +
                        "listeners.http.action redirect-https is available on application load balancers only; listeners.http.action redirect-https belongs on an HTTP listener",
                },
            );
            assert.throws(
                () =>
                    new LoadBalancer(
                        "alb-bad",
                        albArgs({ accessLogs: undefined, enforceInboundRulesOnPrivateLinkTraffic: false }),
                    ),
                {
                    message:
                        "LoadBalancer alb-bad: enforceInboundRulesOnPrivateLinkTraffic applies to network load balancers only; accessLogs is required on an application load balancer",
                },
            );
        });

        it("logs an NLB only with a TLS listener, and lets PrivateLink traffic past the inbound rules only when told", async () => {
            const tcp = new LoadBalancer("link-nlb", {
                type: "network",
                internal: true,
                vpcId: "vpc-1",
                subnetIds: ["subnet-a", "subnet-b"],
                ingress: {},
                targetGroups: { app: { port: 8000, protocol: "TCP", healthCheck: { protocol: "TCP" } } },
                listeners: { http: { port: 80, protocol: "TCP", action: { type: "forward", targetGroup: "app" } } },
                enforceInboundRulesOnPrivateLinkTraffic: false,
                protect: false,
                tags: TAGS,
            });
            await settle(tcp.loadBalancerArn);
            const i = one("aws:lb/loadBalancer:LoadBalancer", "link-nlb");
            assert.deepStrictEqual(
                [i.accessLogs, i.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic],
                [undefined, "off"],
            );
            // The TLS NLB of the test above keeps AWS's default and its access logs.
            const tls = one("aws:lb/loadBalancer:LoadBalancer", "tcp-nlb");
            assert.deepStrictEqual(
                [tls.accessLogs, tls.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic],
                [{ enabled: true, bucket: "logs", prefix: "elb" }, "on"],
            );
            assert.throws(
                () =>
                    new LoadBalancer("tls-nlb-bad", {
                        type: "network",
                        vpcId: "vpc-1",
                        subnetIds: ["subnet-a", "subnet-b"],
                        ingress: {},
                        targetGroups: { app: { port: 9443, protocol: "TCP", healthCheck: { protocol: "TCP" } } },
                        listeners: {
                            tls: {
                                port: 443,
                                protocol: "TLS",
                                certificateArn: "arn:cert",
                                action: { type: "forward", targetGroup: "app" },
                            },
                        },
                        protect: false,
                        tags: TAGS,
                    }),
                {
                    message:
                        "LoadBalancer tls-nlb-bad: accessLogs is required on a network load balancer with a TLS listener",
                },
            );
        });
    });

    describe("WebAcl", () => {
        it("has the four AWS managed groups after a per-IP rate rule, metrics everywhere, logs with redaction, associations", async () => {
            const acl = new WebAcl("shop-waf", {
                scope: "REGIONAL",
                rateLimit: 500,
                rateLimitWindowSeconds: 60,
                countOnlyRules: { AWSManagedRulesSQLiRuleSet: ["SQLi_BODY"] },
                logs: { groupName: "aws-waf-logs-shop", kmsKeyArn: "arn:key", retentionInDays: 30 },
                associations: { alb: "arn:alb", api: "arn:stage" },
                tags: TAGS,
            });
            await settle(acl.webAclArn);
            const i = one("aws:wafv2/webAcl:WebAcl", "shop-waf");
            assert.deepStrictEqual(
                i.rules.map((r: any) => r.name),
                ["rate-limit-per-ip", ...MANAGED_RULE_GROUPS],
            );
            assert.deepStrictEqual(i.rules[0].statement, {
                rateBasedStatement: { limit: 500, evaluationWindowSec: 60, aggregateKeyType: "IP" },
            });
            assert.deepStrictEqual(i.rules[4].statement.managedRuleGroupStatement.ruleActionOverrides, [
                { name: "SQLi_BODY", actionToUse: { count: {} } },
            ]);
            for (const r of i.rules)
                assert.deepStrictEqual(
                    [r.visibilityConfig.cloudwatchMetricsEnabled, r.visibilityConfig.sampledRequestsEnabled],
                    [true, true],
                    r.name,
                );
            const logGroup = one("aws:cloudwatch/logGroup:LogGroup", "shop-waf-logs");
            assert.deepStrictEqual(
                [logGroup.name, logGroup.kmsKeyId, logGroup.retentionInDays],
                ["aws-waf-logs-shop", "arn:key", 30],
            );
            assert.deepStrictEqual(
                one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "shop-waf-logging")
                    .redactedFields,
                [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            );
            assert.deepStrictEqual(
                ofType("aws:wafv2/webAclAssociation:WebAclAssociation", "shop-waf-").map((a) => [
                    a.name,
                    a.inputs.resourceArn,
                ]),
                [
                    ["shop-waf-alb", "arn:alb"],
                    ["shop-waf-api", "arn:stage"],
                ],
            );
        });

        it("refuses a log group WAF would reject, CloudFront associations, bad limits and unknown groups", () => {
            assert.throws(
                () =>
                    new WebAcl("bad-waf", {
                        scope: "CLOUDFRONT",
                        rateLimit: 5,
                        rateLimitWindowSeconds: 30 as 60,
                        countOnlyRules: { AWSManagedRulesBotControlRuleSet: ["x"] } as any,
                        logs: { groupName: "/waf/logs", kmsKeyArn: "k", retentionInDays: 7 },
                        associations: { cdn: "arn:cf" },
                        tags: TAGS,
                    }),
                {
                    message:
                        "WebAcl bad-waf: rateLimit must be an integer from 10 to 2000000000 requests per window; got 5; rateLimitWindowSeconds must be 60, 120, 300 or 600; got 30; " +
                        'logs.groupName must start with aws-waf-logs- (WAF refuses other names); got "/waf/logs"; ' +
                        "countOnlyRules: unknown rule group AWSManagedRulesBotControlRuleSet; the ACL has AWSManagedRulesAmazonIpReputationList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet; " +
                        "associations are for REGIONAL ACLs; a CloudFront distribution names the ACL in its webAclId",
                },
            );
        });
    });

    describe("TrustStore", () => {
        it("points the trust store at the exact version of the bundle in a private, versioned bucket", async () => {
            const store = new TrustStore("ts", {
                caBundlePem: "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n",
                protect: false,
                tags: TAGS,
            });
            await settle(store.trustStoreArn);
            const object = one("aws:s3/bucketObjectv2:BucketObjectv2", "ts-ca-bundle");
            assert.deepStrictEqual([object.bucket, object.key], ["ts-bucket-id", "ca-bundle.pem"]);
            const t = one("aws:lb/trustStore:TrustStore", "ts");
            assert.deepStrictEqual(
                [t.caCertificatesBundleS3Bucket, t.caCertificatesBundleS3Key, t.caCertificatesBundleS3ObjectVersion],
                ["ts-bucket-id", "ca-bundle.pem", "ts-ca-bundle-v1"],
            );
            assert.deepStrictEqual(
                one("aws:s3/bucketVersioning:BucketVersioning", "ts-versioning").versioningConfiguration,
                { status: "Enabled" },
            );
            assert.strictEqual(one("aws:s3/bucket:Bucket", "ts-bucket").forceDestroy, true);
        });
        it("refuses a name AWS would truncate", () => {
            assert.throws(
                () => new TrustStore("a-trust-store-name-too-long", { caBundlePem: "x", protect: false, tags: TAGS }),
                {
                    message:
                        "TrustStore a-trust-store-name-too-long: the name must be at most 24 characters (trust store names are limited to 32 with Pulumi's suffix); got 27",
                },
            );
        });
    });
});
