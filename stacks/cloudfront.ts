/**
 * The edge steps that coffee-shop, spotmusic and ticketing share: a custom domain served by CloudFront.
 * CloudFront's certificate is requested in us-east-1 and the distribution exists only once ACM has issued it
 * (first-deployment rule, docs/first-deploy.md); every distribution has the same account, description,
 * domain, AWS WAF, access logs and tags, and differs only in its origins and behaviors.
 */
import * as pulumi from "@pulumi/pulumi";
import { CdnDistributionArgs } from "../infra/edge/cdn-distribution";
import { CertificateStatus, DnsCertificate } from "../infra/edge/dns-certificate";
import { physicalName } from "../infra/shared/naming";
import { StepContext } from "./architecture";

/** A custom domain, as `domainSettings` (infra/config/component-settings.ts) parses it. */
export interface DomainSetting {
    /** The DNS name viewers use. */
    name: string;
    /** The Route 53 zone to write records in; absent, the records are stack outputs. */
    hostedZoneId?: string;
    /** `pending` (default) or `issued`: where the certificates of a domain without a zone here are. */
    certificateStatus: CertificateStatus;
}

/** A step of an architecture whose settings hold `domain`. */
export type DomainStep = StepContext<{ domain: DomainSetting }>;

/**
 * A DNS-validated ACM certificate for `domainName`, its status read from
 * `platform:<architecture>.domain.certificateStatus`; `opts` places it (the edge provider for CloudFront's).
 */
export function domainCertificate(
    step: DomainStep,
    logicalName: string,
    domainName: string,
    opts: pulumi.ComponentResourceOptions,
): DnsCertificate {
    const { settings: s, scope, tags } = step;
    return new DnsCertificate(
        logicalName,
        {
            domainName,
            hostedZoneId: s.domain.hostedZoneId,
            status: s.domain.certificateStatus,
            statusKey: `platform:${scope.architecture}.domain.certificateStatus`,
            tags,
        },
        opts,
    );
}

/**
 * CloudFront's certificate for `domain.name` (`<name>-cdn-certificate`), in us-east-1 through the foundation's
 * edge provider: CloudFront accepts only certificates from that Region
 * (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
 */
export function cloudFrontCertificate(step: DomainStep): DnsCertificate {
    return domainCertificate(step, `${step.name}-cdn-certificate`, step.settings.domain.name, {
        ...step.child,
        provider: step.foundation.edgeProvider,
    });
}

/** The distribution's own part: its origins and behaviors. */
export type DistributionRoutes = Pick<
    CdnDistributionArgs,
    "origins" | "defaultBehavior" | "behaviors" | "defaultRootObject"
>;

/**
 * The arguments of the domain's distribution: `routes`, with what every one has in common (account, edge
 * provider, `<architecture>: <domain>` description, the domain with its issued certificate, WAF at
 * `wafRateLimit` requests per IP per 5 minutes logging to `aws-waf-logs-<scope>-cdn` for `retentionInDays`,
 * access logs to the log archive, tags).
 */
export function distributionArgs(
    step: DomainStep,
    certificateArn: pulumi.Input<string>,
    waf: { rateLimit: number; retentionInDays: number },
    routes: DistributionRoutes,
): CdnDistributionArgs {
    const { settings: s, foundation, scope, tags } = step;
    return {
        accountId: foundation.accountId,
        partition: foundation.partition,
        edgeProvider: foundation.edgeProvider,
        description: `${scope.architecture}: ${s.domain.name}`,
        ...routes,
        domain: { name: s.domain.name, hostedZoneId: s.domain.hostedZoneId, certificateArn },
        waf: {
            rateLimit: waf.rateLimit,
            logGroupName: `aws-waf-logs-${physicalName(scope, "cdn", 200)}`,
            retentionInDays: waf.retentionInDays,
        },
        accessLogs: { bucketArn: foundation.logArchive.bucketArn },
        tags,
    };
}
