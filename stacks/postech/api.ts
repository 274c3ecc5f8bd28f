/**
 * postech's edge: the API Gateway REST API (regional) with AWS WAF, stage and per-client (usage plan) throttling.
 * `POST /auth` -> the `cpf-auth` Lambda; every other route -> the `jwt-authorizer` Lambda (TOKEN authorizer) -> VPC
 * link -> the internal NLB -> the FastAPI pods.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancer } from "../../infra/edge/load-balancer";
import { WebAcl } from "../../infra/edge/web-acl";
import { RestApi } from "../../infra/serverless/rest-api";
import { logGroupName, physicalName } from "../../infra/shared/naming";
import type { Identity } from "./identity";
import { APP, AUTH_BODY_SCHEMA, derive, NAME, NLB_PORT, PostechStep } from "./settings";

/**
 * The internal NLB in front of the FastAPI pods (registered by IP through the AWS Load Balancer Controller's
 * TargetGroupBinding), reached only by API Gateway's VPC link; the pods admit it on the application's port.
 */
export function internalNlb(step: PostechStep, clusterSecurityGroupId: pulumi.Input<string>): LoadBalancer {
    const { name, foundation, tags, child } = step;
    const network = foundation.network;
    const nlb = new LoadBalancer(
        `${name}-nlb`,
        {
            type: "network",
            internal: true,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.private,
            // API Gateway's VPC link reaches the NLB over PrivateLink, from the NLB's own addresses in the VPC.
            ingress: {
                "vpc-link": {
                    port: NLB_PORT,
                    cidrIpv4: network.vpcCidr,
                    // No apostrophe: EC2 refuses it in rule descriptions (aws-value-constraints).
                    description: "API Gateway VPC link (PrivateLink traffic arrives from the NLB addresses in the VPC)",
                },
            },
            targetGroups: {
                api: {
                    port: APP.port,
                    protocol: "TCP",
                    healthCheck: {
                        protocol: "HTTP",
                        path: APP.ready,
                        matcher: "200",
                        intervalSeconds: 10,
                        timeoutSeconds: 5,
                        healthyThreshold: 3,
                        unhealthyThreshold: 3,
                    },
                    deregistrationDelaySeconds: 30,
                    preserveClientIp: false,
                },
            },
            listeners: {
                http: { port: NLB_PORT, protocol: "TCP", action: { type: "forward", targetGroup: "api" } },
            },
            // TCP only (no certificate: postech has no domain), so no access logs: ELB writes NLB access logs
            // only for TLS listeners. Every request is in the API's access log; the flow logs see this hop.
            // PrivateLink traffic from the VPC link is judged by API Gateway's own address, outside the VPC:
            // AWS's guide for VPC link NLBs turns that check off (see LoadBalancerArgs).
            enforceInboundRulesOnPrivateLinkTraffic: false,
            protect: derive(step).protect,
            alarmTopicArn: foundation.alarmTopic.topicArn,
            tags,
        },
        child,
    );
    nlb.allowEgressTo("pods", {
        port: APP.port,
        destinationSecurityGroupId: clusterSecurityGroupId,
        description: "FastAPI pods (and their health checks)",
    });
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-pods-from-nlb`,
        {
            securityGroupId: clusterSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: APP.port,
            toPort: APP.port,
            referencedSecurityGroupId: nlb.securityGroupId,
            description: "FastAPI pods from the internal NLB only",
            tags,
        },
        child,
    );
    return nlb;
}

/**
 * The REST API: `POST /auth` (public, body checked against {@link AUTH_BODY_SCHEMA}) -> `cpf-auth`; `ANY /{proxy+}`
 * behind the `jwt-authorizer` -> VPC link -> the internal NLB; stage throttling, access logs, one API key per
 * client in a usage plan.
 */
export function restApi(step: PostechStep, nlb: LoadBalancer, id: Identity): RestApi {
    const { name, settings: s, foundation, tags, scope, child } = step;
    const { keys, retention } = derive(step);
    const vpcLink = new aws.apigateway.VpcLink(
        `${name}-vpc-link`,
        {
            name: physicalName(scope, "vpc-link", 255),
            description: `${NAME}: API Gateway -> internal NLB -> FastAPI on EKS`,
            targetArn: nlb.loadBalancerArn,
            tags,
        },
        child,
    );
    return new RestApi(
        `${name}-api`,
        {
            apiName: physicalName(scope, "api", 255),
            description: `${NAME}: CPF sign-in and the FastAPI application`,
            authorizers: {
                jwt: {
                    type: "token",
                    function: id.functions.authorizer,
                    resultTtlSeconds: s.api.authorizerCacheSeconds,
                },
            },
            routes: {
                "POST /auth": {
                    auth: {
                        public:
                            "customers exchange their CPF for Cognito tokens here: there is no token yet " +
                            "(WAF, throttling and the API key apply)",
                    },
                    integration: { type: "lambda", function: id.functions.auth },
                    bodySchema: AUTH_BODY_SCHEMA,
                },
                "ANY /{proxy+}": {
                    auth: { authorizer: "jwt" },
                    integration: {
                        type: "vpc-link",
                        vpcLinkId: vpcLink.id,
                        uri: pulumi.interpolate`http://${nlb.dnsName}:${NLB_PORT}/{proxy}`,
                    },
                },
            },
            stage: {
                name: s.api.stageName,
                rateLimit: s.api.rateLimit,
                burstLimit: s.api.burstLimit,
                logs: {
                    accessLogGroupName: logGroupName(scope, "api-access"),
                    kmsKeyArn: keys.logs,
                    retentionInDays: retention,
                },
            },
            usagePlan: {
                rateLimit: s.api.clientRateLimit,
                burstLimit: s.api.clientBurstLimit,
                quotaLimit: s.api.clientDailyQuota,
                quotaPeriod: "DAY",
                apiKeys: s.api.clients,
            },
            accountSettingParent: foundation,
            ...foundation.account,
            tags,
        },
        // No dependsOn on the FastAPI Deployment: its readiness wait must not hold the API back (or, on a first run
        // without a pushed image, keep it from ever being created). Until pods are registered the proxy routes
        // answer 5xx from the NLB; POST /auth works at once.
        child,
    );
}

/** AWS WAF on the API's stage: managed rules and a rate limit per client IP, logs encrypted with the logs key. */
export function waf(step: PostechStep, api: RestApi): WebAcl {
    const { name, settings: s, tags, scope, child } = step;
    const { keys, retention } = derive(step);
    return new WebAcl(
        `${name}-waf`,
        {
            scope: "REGIONAL",
            rateLimit: s.waf.rateLimit,
            logs: {
                groupName: `aws-waf-logs-${physicalName(scope, "api", 200)}`,
                kmsKeyArn: keys.logs,
                retentionInDays: retention,
            },
            associations: { api: api.stageArn },
            tags,
        },
        child,
    );
}
