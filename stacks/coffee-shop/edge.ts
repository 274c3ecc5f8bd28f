/**
 * coffee-shop's edge: the static site in a private S3 bucket served by CloudFront (origin access control,
 * TLS 1.2 with the domain's ACM certificate, standard logs) behind a CLOUDFRONT-scope AWS WAF.
 */
import { CdnDistribution } from "../../infra/edge/cdn-distribution";
import { DnsCertificate } from "../../infra/edge/dns-certificate";
import { PrivateBucket } from "../../infra/storage/private-bucket";
import { cloudFrontCertificate, distributionArgs } from "../cloudfront";
import { CoffeeShopStep, logSettings } from "./settings";

/** What the edge step registers. */
export interface Edge {
    /** The site's bucket. */
    site: PrivateBucket;
    /** CloudFront's certificate for `domain.name` (us-east-1). */
    viewerCertificate: DnsCertificate;
    /** The distribution, once the certificate is issued. */
    cdn?: CdnDistribution;
}

/** The site's bucket, CloudFront's certificate and, once it is issued, the distribution with its WAF. */
export function edgeTier(step: CoffeeShopStep): Edge {
    const { config, settings: s, foundation, tags, name, child } = step;
    const site = new PrivateBucket(
        `${name}-site`,
        {
            ...foundation.account,
            cloudFrontOrigin: true,
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            protect: config.profile.protect,
            tags,
        },
        child,
    );
    // CloudFront's certificate (us-east-1): the distribution exists once it is issued (docs/first-deploy.md).
    const viewerCertificate = cloudFrontCertificate(step);
    const waf = { rateLimit: s.waf.siteRateLimit, retentionInDays: logSettings(step).retentionInDays };
    const cdn =
        viewerCertificate.certificateArn === undefined
            ? undefined
            : new CdnDistribution(
                  `${name}-cdn`,
                  distributionArgs(step, viewerCertificate.certificateArn, waf, {
                      origins: { site: { type: "s3", bucket: site } },
                      defaultBehavior: { origin: "site", cache: "static" },
                      defaultRootObject: "index.html",
                  }),
                  child,
              );
    // Until the distribution exists, the bucket still refuses requests without TLS.
    if (cdn === undefined) site.denyInsecureTransportOnly();
    return { site, viewerCertificate, cdn };
}
