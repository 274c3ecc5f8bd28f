/**
 * mtls-api's edge: the load balancer of `edgeMode` (nlb: TCP passthrough to the gateway; alb: mutual TLS
 * against the trust store) and, in alb mode, the regional AWS WAF web ACL.
 */
import { ListenerSpec, LoadBalancer, TargetGroupSpec } from "../../infra/edge/load-balancer";
import { WebAcl } from "../../infra/edge/web-acl";
import { physicalName } from "../../infra/shared/naming";
import { albTrust, Pki } from "./pki";
import { MtlsApiStep, PORTS } from "./settings";

/** What the edge step registers. */
export interface Edge {
    /** The NLB (`<name>-nlb`, target groups tls and http) or the ALB (`<name>-alb`, target group gateway). */
    lb: LoadBalancer;
    /** alb mode only: the web ACL associated with the ALB. */
    webAcl?: WebAcl;
}

/** The gateway's load balancer health check (apps/gateway: GET /healthz on 8081, no certificate). */
const GATEWAY_HEALTH_CHECK: TargetGroupSpec["healthCheck"] = {
    protocol: "HTTP",
    port: PORTS.gatewayHealth,
    path: "/healthz",
    matcher: "200",
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
};

const world = (port: number, description: string) => ({ port, cidrIpv4: "0.0.0.0/0", description });

/** The load balancer of `edgeMode`, and in alb mode its certificate, trust store and web ACL. */
export function edgeTier(step: MtlsApiStep, pki: Pki): Edge {
    if (step.settings.edgeMode === "nlb") return { lb: networkLoadBalancer(step) };
    const lb = applicationLoadBalancer(step, pki);
    return { lb, webAcl: albWebAcl(step, lb) };
}

/** nlb mode: 443 -> gateway 8443 (nginx terminates TLS), 80 -> gateway 8080 (nginx answers 301). */
function networkLoadBalancer(step: MtlsApiStep): LoadBalancer {
    const { config, foundation, tags, name, child } = step;
    return new LoadBalancer(
        `${name}-nlb`,
        {
            type: "network",
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.public,
            ingress: {
                https: world(443, "Webhook clients: TLS passed through to the gateway"),
                http: world(80, "Plain HTTP, answered by the gateway with 301 to https"),
            },
            targetGroups: {
                tls: {
                    port: PORTS.gatewayTls,
                    protocol: "TCP",
                    healthCheck: GATEWAY_HEALTH_CHECK,
                    preserveClientIp: false,
                },
                http: {
                    port: PORTS.gatewayHttp,
                    protocol: "TCP",
                    healthCheck: GATEWAY_HEALTH_CHECK,
                    preserveClientIp: false,
                },
            },
            listeners: {
                tls: { port: 443, protocol: "TCP", action: { type: "forward", targetGroup: "tls" } },
                http: { port: 80, protocol: "TCP", action: { type: "forward", targetGroup: "http" } },
            },
            // No access logs: ELB writes NLB access logs only for TLS listeners, and this NLB passes TCP
            // through.
            protect: config.profile.protect,
            alarmTopicArn: foundation.alarmTopic.topicArn,
            tags,
        },
        child,
    );
}

/** alb mode: HTTPS with mutual TLS in verify mode -> gateway HTTPS 8443; HTTP 301 to HTTPS only. */
function applicationLoadBalancer(step: MtlsApiStep, pki: Pki): LoadBalancer {
    const { config, foundation, tags, name, child } = step;
    const { certificate, trustStore } = albTrust(step, pki);
    const https: ListenerSpec = {
        port: 443,
        protocol: "HTTPS",
        certificateArn: certificate.arn,
        mutualAuthentication: {
            trustStoreArn: trustStore.trustStoreArn,
            ignoreClientCertificateExpiry: false,
            advertiseTrustStoreCaNames: true,
        },
        action: { type: "forward", targetGroup: "gateway" },
    };
    return new LoadBalancer(
        `${name}-alb`,
        {
            type: "application",
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.public,
            ingress: {
                https: world(443, "Webhook clients: mutual TLS verified by the ALB"),
                http: world(80, "Plain HTTP, redirected to HTTPS by the ALB"),
            },
            targetGroups: {
                gateway: { port: PORTS.gatewayTls, protocol: "HTTPS", healthCheck: GATEWAY_HEALTH_CHECK },
            },
            listeners: { https, http: { port: 80, protocol: "HTTP", action: { type: "redirect-https" } } },
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            protect: config.profile.protect,
            alarmTopicArn: foundation.alarmTopic.topicArn,
            tags,
        },
        child,
    );
}

/** alb mode: AWS WAF (rate limit per client IP, AWS managed rules) on the ALB. */
function albWebAcl(step: MtlsApiStep, lb: LoadBalancer): WebAcl {
    const { settings: s, foundation, tags, scope, name, child } = step;
    return new WebAcl(
        `${name}-waf`,
        {
            scope: "REGIONAL",
            rateLimit: s.waf.rateLimit,
            // nginx enforces the body limit (limits.clientMaxBodySize); the rule's 8 KB would refuse ordinary
            // webhooks.
            countOnlyRules: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] },
            logs: {
                groupName: `aws-waf-logs-${physicalName(scope, "alb", 200)}`,
                kmsKeyArn: foundation.keys.keyArns.logs,
                retentionInDays: s.logRetentionDays,
            },
            associations: { alb: lb.loadBalancerArn },
            tags,
        },
        child,
    );
}
