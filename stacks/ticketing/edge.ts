/**
 * ticketing, edge tier: the origin certificate and the origin-only Application Load Balancer (443 from the
 * CloudFront origin-facing prefix list; rules require the secret origin header, default 403), its DNS record,
 * and CloudFront with AWS WAF and its us-east-1 certificate.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CdnDistribution } from "../../infra/edge/cdn-distribution";
import { DnsCertificate } from "../../infra/edge/dns-certificate";
import { LoadBalancer, ListenerRuleSpec, TargetGroupSpec } from "../../infra/edge/load-balancer";
import { cloudFrontCertificate, distributionArgs, domainCertificate } from "../cloudfront";
import {
    CLOUDFRONT_ORIGIN_FACING,
    HEALTH_PATH,
    ORIGIN_HEADER,
    originDomainName,
    retentionDays,
    ROUTES,
    RoutedService,
    SERVICE_PORT,
    TicketingStep,
} from "./settings";

const TARGET_HEALTH: TargetGroupSpec["healthCheck"] = {
    protocol: "HTTP",
    path: HEALTH_PATH,
    matcher: "200",
    intervalSeconds: 15,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
};

/** A DNS record the operator creates where the domain has no Route 53 hosted zone here. */
export interface DnsRecord {
    name: string;
    type: string;
    value: pulumi.Output<string>;
}

/** What later steps use of the edge tier. */
export interface EdgeTier {
    /** `origin.<domain>`, the ALB's name CloudFront connects to. */
    originName: string;
    /** The ALB's certificate; services behind the load balancer start once it is issued. */
    originCertificate: DnsCertificate;
    /** The value of the origin header CloudFront adds and the listener rules require. */
    originSecret: random.RandomPassword;
    /** The origin-only ALB, one target group per routed service. */
    lb: LoadBalancer;
    /** The origin's CNAME to create by hand, where the domain has no hosted zone here. */
    originRecord?: DnsRecord;
    /** CloudFront's certificate (us-east-1). */
    viewerCertificate: DnsCertificate;
    /** The distribution, once its certificate is issued. */
    cdn?: CdnDistribution;
}

/** The edge tier: origin certificate, ALB and its DNS name, then CloudFront and WAF in front of it. */
export function edgeTier(step: TicketingStep): EdgeTier {
    const { name, child } = step;
    const originCertificate = domainCertificate(step, `${name}-origin-certificate`, originDomainName(step), child);
    const originSecret = new random.RandomPassword(`${name}-origin-verify`, { length: 48, special: false }, child);
    const lb = loadBalancer(step, originCertificate, originSecret);
    const originRecord = originDns(step, lb);
    // CloudFront's certificate (us-east-1): the distribution exists once it is issued (docs/first-deploy.md).
    const viewerCertificate = cloudFrontCertificate(step);
    const cdn = cdnDistribution(step, viewerCertificate, originSecret);
    return {
        originName: originDomainName(step),
        originCertificate,
        originSecret,
        lb,
        originRecord,
        viewerCertificate,
        cdn,
    };
}

/** The listener rules: each routed service's paths, only with the secret origin header. */
export function listenerRules(originSecret: random.RandomPassword): Record<string, ListenerRuleSpec> {
    const rules: Record<string, ListenerRuleSpec> = {};
    for (const svc of Object.keys(ROUTES) as RoutedService[]) {
        rules[svc] = {
            priority: ROUTES[svc].priority,
            httpHeader: { name: ORIGIN_HEADER, values: [originSecret.result] },
            pathPatterns: ROUTES[svc].paths,
            action: { type: "forward", targetGroup: svc },
        };
    }
    return rules;
}

/** The origin-only ALB in the public subnets: HTTPS from CloudFront's origin-facing servers only. */
export function loadBalancer(
    step: TicketingStep,
    originCertificate: DnsCertificate,
    originSecret: random.RandomPassword,
): LoadBalancer {
    const { name, foundation, config, tags, child } = step;
    const cloudFrontPrefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING }, child);
    const routed = Object.keys(ROUTES) as RoutedService[];
    return new LoadBalancer(
        `${name}-lb`,
        {
            type: "application",
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.public,
            // One rule: the prefix list weighs ~55 of the group's 60 inbound rules.
            ingress: {
                https: {
                    port: 443,
                    prefixListId: cloudFrontPrefixList.id,
                    description: "HTTPS from CloudFront origin-facing servers only",
                },
            },
            targetGroups: Object.fromEntries(
                routed.map((svc) => [svc, { port: SERVICE_PORT, protocol: "HTTP", healthCheck: TARGET_HEALTH }]),
            ),
            // No listener until the origin certificate is issued (docs/first-deploy.md).
            listeners: originCertificate.certificateArn
                ? {
                      https: {
                          port: 443,
                          protocol: "HTTPS",
                          certificateArn: originCertificate.certificateArn,
                          action: { type: "fixed-response", statusCode: 403, body: "Forbidden" },
                          rules: listenerRules(originSecret),
                      },
                  }
                : {},
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            protect: config.profile.protect,
            alarmTopicArn: foundation.alarmTopic.topicArn,
            tags,
        },
        child,
    );
}

/**
 * `origin.<domain>` to the ALB: an alias record in the hosted zone, or, without one, the CNAME the operator
 * creates (returned).
 */
export function originDns(step: TicketingStep, lb: LoadBalancer): DnsRecord | undefined {
    const { name, settings: s, child } = step;
    const originName = originDomainName(step);
    if (s.domain.hostedZoneId === undefined) return { name: originName, type: "CNAME", value: lb.dnsName };
    new aws.route53.Record(
        `${name}-origin`,
        {
            zoneId: s.domain.hostedZoneId,
            name: originName,
            type: "A",
            aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: false }],
        },
        child,
    );
    return undefined;
}

/** CloudFront with AWS WAF in front of the ALB, sending the origin header; none until its certificate is issued. */
export function cdnDistribution(
    step: TicketingStep,
    viewerCertificate: DnsCertificate,
    originSecret: random.RandomPassword,
): CdnDistribution | undefined {
    const { name, settings: s, child } = step;
    if (viewerCertificate.certificateArn === undefined) return undefined;
    const waf = { rateLimit: s.waf.rateLimit, retentionInDays: retentionDays(step) };
    return new CdnDistribution(
        `${name}-cdn`,
        distributionArgs(step, viewerCertificate.certificateArn, waf, {
            origins: {
                alb: {
                    type: "https",
                    domainName: originDomainName(step),
                    customHeaders: { [ORIGIN_HEADER]: originSecret.result },
                },
            },
            defaultBehavior: { origin: "alb", cache: "dynamic" },
        }),
        child,
    );
}

/**
 * The records the operator creates where the domain has no hosted zone here (the `dnsRecordsToCreate` output):
 * both certificates' validation records, the origin and, once it exists, the distribution.
 */
export function dnsRecordsToCreate(step: TicketingStep, edge: EdgeTier): Record<string, unknown>[] {
    const s = step.settings;
    if (s.domain.hostedZoneId !== undefined) return [];
    const { viewerCertificate, originCertificate, originRecord, cdn } = edge;
    return [
        { purpose: "CloudFront certificate validation", ...viewerCertificate.validationRecord },
        { purpose: "origin certificate validation", ...originCertificate.validationRecord },
        { purpose: "origin (CloudFront -> ALB)", ...originRecord! },
        // The distribution, hence its name, exists once the certificates are issued.
        ...(cdn ? [{ purpose: "viewers", name: s.domain.name, type: "CNAME", value: cdn.domainName }] : []),
    ];
}
