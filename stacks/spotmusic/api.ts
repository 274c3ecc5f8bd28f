/**
 * spotmusic, API tier: the API Gateway HTTP API (JWT authorizer, access logs, throttling) and, behind its VPC
 * link, the internal ALB (HTTPS with its own certificate; its rule requires the secret origin header CloudFront
 * adds) that forwards to web-api.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DnsCertificate } from "../../infra/edge/dns-certificate";
import { ListenerSpec, LoadBalancer, TargetGroupSpec } from "../../infra/edge/load-balancer";
import { logGroupName } from "../../infra/shared/naming";
import { HEALTH_PATH, ORIGIN_HEADER, SERVICE_PORT } from "../ticketing";
import {
    ACCESS_LOG_FORMAT,
    API_ROUTE,
    internalApiName,
    NAME,
    PATHS,
    retentionDays,
    SpotmusicStep,
    STAGE,
} from "./settings";

/** The health check of web-api's target group. */
const TARGET_HEALTH: TargetGroupSpec["healthCheck"] = {
    protocol: "HTTP",
    path: HEALTH_PATH,
    matcher: "200",
    intervalSeconds: 15,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
};

/** What later steps use of the API tier. */
export interface ApiTier {
    /** The internal ALB's certificate (`api-internal.<domain>`); web-api and the route wait until it is issued. */
    certificate: DnsCertificate;
    /** The value of the origin header CloudFront adds and the ALB's rule requires. */
    originSecret: random.RandomPassword;
    /** The internal ALB with web-api's target group (`web-api`). */
    lb: LoadBalancer;
    /** The HTTP API CloudFront forwards `/api/*` to. */
    api: aws.apigatewayv2.Api;
}

/** The API tier: the internal ALB behind a VPC link, and the HTTP API in front of it. */
export function apiTier(step: SpotmusicStep): ApiTier {
    const certificate = apiCertificate(step);
    const originSecret = new random.RandomPassword(
        `${step.name}-origin-verify`,
        { length: 48, special: false },
        step.child,
    );
    const vpcLinkSg = vpcLinkSecurityGroup(step);
    const lb = internalLoadBalancer(step, { certificate, originSecret, vpcLinkSg });
    const api = httpApi(step, { certificate, vpcLinkSg, lb });
    return { certificate, originSecret, lb, api };
}

/** The internal ALB's certificate, `api-internal.<domain>` (DNS validation). */
export function apiCertificate(step: SpotmusicStep): DnsCertificate {
    const { name, settings: s, tags, child } = step;
    return new DnsCertificate(
        `${name}-api-certificate`,
        {
            domainName: internalApiName(step),
            hostedZoneId: s.domain.hostedZoneId,
            status: s.domain.certificateStatus,
            statusKey: `platform:${NAME}.domain.certificateStatus`,
            tags,
        },
        child,
    );
}

/** The VPC link ENIs' security group: no ingress rule; its one egress rule (HTTPS to the ALB) comes with the ALB. */
export function vpcLinkSecurityGroup(step: SpotmusicStep): aws.ec2.SecurityGroup {
    const { name, foundation, tags, child } = step;
    return new aws.ec2.SecurityGroup(
        `${name}-vpc-link-sg`,
        {
            vpcId: foundation.network.vpcId,
            description: `${NAME}: API Gateway VPC link ENIs; HTTPS to the internal load balancer only`,
            revokeRulesOnDelete: true,
            tags: { ...tags, Name: `${name}-vpc-link-sg` },
        },
        child,
    );
}

/**
 * The internal ALB in the private subnets, reachable on 443 from the VPC link only, with web-api's target group;
 * its HTTPS listener once the certificate is issued. The VPC link's security group may reach it on 443.
 */
export function internalLoadBalancer(
    step: SpotmusicStep,
    deps: { certificate: DnsCertificate; originSecret: random.RandomPassword; vpcLinkSg: aws.ec2.SecurityGroup },
): LoadBalancer {
    const { name, foundation, config, tags, child } = step;
    const { certificate, originSecret, vpcLinkSg } = deps;
    const lb = new LoadBalancer(
        `${name}-lb`,
        {
            type: "application",
            internal: true,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.private,
            ingress: {
                https: {
                    port: 443,
                    sourceSecurityGroupId: vpcLinkSg.id,
                    description: "HTTPS from the API Gateway VPC link only",
                },
            },
            targetGroups: { "web-api": { port: SERVICE_PORT, protocol: "HTTP", healthCheck: TARGET_HEALTH } },
            // No listener until the internal API certificate is issued (docs/first-deploy.md).
            listeners: certificate.certificateArn
                ? { https: httpsListener(certificate.certificateArn, originSecret) }
                : {},
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            protect: config.profile.protect,
            alarmTopicArn: foundation.alarmTopic.topicArn,
            tags,
        },
        child,
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-vpc-link-out-lb`,
        {
            securityGroupId: vpcLinkSg.id,
            referencedSecurityGroupId: lb.securityGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS to the internal load balancer",
            tags,
        },
        child,
    );
    return lb;
}

/** The ALB's HTTPS listener: `/api/*` with the secret origin header goes to web-api, anything else gets 403. */
function httpsListener(certificateArn: pulumi.Input<string>, originSecret: random.RandomPassword): ListenerSpec {
    return {
        port: 443,
        protocol: "HTTPS",
        certificateArn,
        action: { type: "fixed-response", statusCode: 403, body: "Forbidden" },
        rules: {
            api: {
                priority: 10,
                httpHeader: { name: ORIGIN_HEADER, values: [originSecret.result] },
                pathPatterns: [PATHS.api],
                action: { type: "forward", targetGroup: "web-api" },
            },
        },
    };
}

/**
 * The HTTP API: a JWT authorizer (`auth.issuer`, `auth.audiences`), the VPC link, the route to web-api once the
 * certificate is issued, and the `$default` stage.
 */
export function httpApi(
    step: SpotmusicStep,
    deps: { certificate: DnsCertificate; vpcLinkSg: aws.ec2.SecurityGroup; lb: LoadBalancer },
): aws.apigatewayv2.Api {
    const { name, settings: s, foundation, tags, child } = step;
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            protocolType: "HTTP",
            description: `${NAME}: the web API (JWT), reached through CloudFront at /api/*`,
            tags,
        },
        child,
    );
    const vpcLink = new aws.apigatewayv2.VpcLink(
        `${name}-vpc-link`,
        { securityGroupIds: [deps.vpcLinkSg.id], subnetIds: foundation.network.subnetIds.private, tags },
        child,
    );
    const authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-jwt`,
        {
            apiId: api.id,
            authorizerType: "JWT",
            identitySources: ["$request.header.Authorization"],
            jwtConfiguration: { issuer: s.auth.issuer, audiences: s.auth.audiences },
        },
        child,
    );
    // The integration forwards to the HTTPS listener: both wait for the internal API certificate.
    const route = deps.certificate.issued ? apiRoute(step, { api, vpcLink, authorizer, lb: deps.lb }) : undefined;
    apiStage(step, api, route);
    return api;
}

/**
 * The API's route to web-api: an HTTP_PROXY integration through the VPC link to the internal ALB's HTTPS
 * listener.
 */
export function apiRoute(
    step: SpotmusicStep,
    deps: {
        api: aws.apigatewayv2.Api;
        vpcLink: aws.apigatewayv2.VpcLink;
        authorizer: aws.apigatewayv2.Authorizer;
        lb: LoadBalancer;
    },
): aws.apigatewayv2.Route {
    const { name, child } = step;
    const { api, vpcLink, authorizer, lb } = deps;
    const integration = new aws.apigatewayv2.Integration(
        `${name}-web-api`,
        {
            apiId: api.id,
            description: "web-api through the VPC link and the internal load balancer",
            integrationType: "HTTP_PROXY",
            integrationMethod: "ANY",
            integrationUri: lb.listeners[0].arn,
            connectionType: "VPC_LINK",
            connectionId: vpcLink.id,
            payloadFormatVersion: "1.0",
            timeoutMilliseconds: 30000,
            tlsConfig: { serverNameToVerify: internalApiName(step) },
        },
        child,
    );
    return new aws.apigatewayv2.Route(
        `${name}-api-route`,
        {
            apiId: api.id,
            routeKey: API_ROUTE,
            authorizationType: "JWT",
            authorizerId: authorizer.id,
            target: pulumi.interpolate`integrations/${integration.id}`,
        },
        child,
    );
}

/** The `$default` stage: auto-deployed, JSON access logs, throttling and detailed metrics; after the route. */
export function apiStage(
    step: SpotmusicStep,
    api: aws.apigatewayv2.Api,
    route: aws.apigatewayv2.Route | undefined,
): aws.apigatewayv2.Stage {
    const { name, settings: s, foundation, scope, tags, child } = step;
    const accessLogs = new aws.cloudwatch.LogGroup(
        `${name}-api-access-logs`,
        {
            name: logGroupName(scope, "api-access"),
            retentionInDays: retentionDays(step),
            kmsKeyId: foundation.keys.keyArns.logs,
            tags,
        },
        child,
    );
    return new aws.apigatewayv2.Stage(
        `${name}-api`,
        {
            apiId: api.id,
            name: STAGE,
            autoDeploy: true,
            accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
            defaultRouteSettings: {
                throttlingBurstLimit: s.api.throttlingBurstLimit,
                throttlingRateLimit: s.api.throttlingRateLimit,
                detailedMetricsEnabled: true,
            },
            tags,
        },
        { ...child, dependsOn: route ? [route] : [] },
    );
}
