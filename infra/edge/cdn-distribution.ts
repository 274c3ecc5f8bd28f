/**
 * A CloudFront distribution with its WAF and logs (`platform:edge:CdnDistribution`):
 *
 * - viewers: HTTPS only (`redirect-to-https` on every behavior), HTTP/2 and HTTP/3, IPv6; with a
 *   `domain`, its issued ACM certificate in us-east-1 (the caller's `DnsCertificate`), SNI and `TLSv1.2_2021` as the
 *   minimum; without one, the `*.cloudfront.net` certificate (CloudFront then negotiates what the
 *   viewer offers, TLS 1.0 included: only acceptable for a development stack);
 * - origins: `https` (a load balancer or API behind its own certificate: HTTPS only, TLS 1.2, with
 *   custom headers such as a secret origin-verify header the origin requires), or `s3` (a
 *   {@link PrivateBucket} made with `cloudFrontOrigin`, read through one origin access control, SigV4;
 *   the component writes the bucket's policy for this distribution);
 * - behaviors: `dynamic` (nothing cached, every method, all viewer headers, cookies and query strings
 *   but Host forwarded) or `static` (CachingOptimized, GET/HEAD/OPTIONS, compressed); optional trusted
 *   key groups, so the behavior serves only signed URLs or signed cookies; AWS's security response
 *   headers (HSTS, nosniff, frame options, referrer policy) on every response;
 * - a CLOUDFRONT-scope WAF web ACL ({@link WebAcl}: AWS managed rule groups and a per-IP rate rule),
 *   logging to a log group in us-east-1 encrypted with a us-east-1 key (the caller's, or one made here:
 *   CloudWatch Logs needs a key of its own region);
 * - standard access logs (v2, CloudWatch Logs delivery) to the log archive bucket, under
 *   `AWSLogs/<account>/CloudFront/<distribution id>/...`. The legacy logging needs bucket ACLs, which
 *   the archive (BucketOwnerEnforced) disables.
 *
 * Everything CloudFront requires in us-east-1 (web ACL, its log group and key, the log
 * delivery source) uses `edgeProvider`; pass the foundation's.
 *
 * References:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-trusted-signers.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";
import { CLOUDFRONT_REGION } from "../shared/aws-facts";
import type { PrivateBucket } from "../storage/private-bucket";
import { DNS_NAME } from "./dns-certificate";
import { WebAcl } from "./web-acl";

/**
 * Managed policies (ids are the same in every account).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 */
export const MANAGED_POLICIES = {
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;

/** The hosted zone of every CloudFront alias target. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

/** An origin reached over HTTPS (a load balancer, an API Gateway endpoint). */
export interface HttpsOrigin {
    type: "https";
    /** Host name CloudFront connects to; the origin's certificate must be valid for it. */
    domainName: pulumi.Input<string>;
    /** Path prefixed to every request, e.g. `/prod`. Default none. */
    originPath?: string;
    /** Headers CloudFront adds to every origin request (e.g. the secret the origin checks). Default none. */
    customHeaders?: Record<string, pulumi.Input<string>>;
    /** Seconds CloudFront waits for a response, 1-60. Default 30. */
    readTimeoutSeconds?: number;
}

/** A private bucket read through origin access control. */
export interface S3Origin {
    type: "s3";
    bucket: PrivateBucket;
}

export type CdnOrigin = HttpsOrigin | S3Origin;

export interface CdnBehavior {
    /** Key of the origin in `origins`. */
    origin: string;
    /** `dynamic`: no caching, all methods, viewer values but Host forwarded; `static`: cached, GET/HEAD/OPTIONS. */
    cache: "dynamic" | "static";
    /** Key group ids whose keys sign the URLs or cookies this behavior requires. Default none (public). */
    trustedKeyGroupIds?: pulumi.Input<string>[];
}

export interface CdnDistributionArgs {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Provider in us-east-1 (the foundation's `edgeProvider`). */
    edgeProvider: aws.Provider;
    /** What the distribution is for (comment, at most 128 characters). */
    description: string;
    /** Origins keyed by a stable id (`alb`, `web`, `audio`). */
    origins: Record<string, CdnOrigin>;
    defaultBehavior: CdnBehavior;
    /** Path behaviors in evaluation order, e.g. `{ pathPattern: "/api/*", ... }`. Default none. */
    behaviors?: (CdnBehavior & { pathPattern: string })[];
    /** Object served for `/`, e.g. `index.html`. Default none. */
    defaultRootObject?: string;
    /**
     * Custom name (alias) with its issued ACM certificate in us-east-1 (a `DnsCertificate` made
     * with the `edgeProvider`; CloudFront refuses an alias without an issued certificate that covers it,
     * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html), and the Route 53
     * zone to write the alias records in. Default none (the `*.cloudfront.net` name).
     */
    domain?: { name: string; certificateArn: pulumi.Input<string>; hostedZoneId?: string };
    waf: {
        /** Requests per client IP per 5 minutes before WAF blocks it. Default 2000. */
        rateLimit?: number;
        /** WAF log group (`aws-waf-logs-...`, in us-east-1) and its retention in days. */
        logGroupName: string;
        retentionInDays: number;
        /** KMS key ARN in us-east-1 for the WAF log group; default a key made here. */
        kmsKeyArn?: pulumi.Input<string>;
    };
    /** Access logs: the log archive bucket's ARN. */
    accessLogs: { bucketArn: pulumi.Input<string> };
    /** `PriceClass_All` (default: every edge, South America included), `PriceClass_200` or `PriceClass_100`. */
    priceClass?: "PriceClass_All" | "PriceClass_200" | "PriceClass_100";
    tags: Record<string, string>;
}

const ORIGIN_ID = /^[a-z][a-z0-9-]{0,30}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
/**
 * Headers CloudFront refuses as custom origin headers
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html).
 */
const FORBIDDEN_HEADERS = [
    "cache-control",
    "connection",
    "content-length",
    "cookie",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "pragma",
    "proxy-authorization",
    "proxy-connection",
    "range",
    "request-range",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-real-ip",
];

function problemsOf(args: CdnDistributionArgs): string[] {
    const p: string[] = [];
    const origins = Object.entries(args.origins);
    if (origins.length === 0) p.push("origins must hold at least one origin");
    const buckets = new Set<PrivateBucket>();
    for (const [id, o] of origins) {
        if (!ORIGIN_ID.test(id))
            p.push(
                `origins: id ${JSON.stringify(id)} must be 1-31 lower-case letters, digits and -, ` +
                    "starting with a letter",
            );
        if (o.type === "https") {
            if (o.originPath !== undefined && !/^\/[A-Za-z0-9._~/-]*[^/]$/.test(o.originPath))
                p.push(
                    `origins.${id}.originPath must start with / and not end with /; ` +
                        `got ${JSON.stringify(o.originPath)}`,
                );
            for (const h of Object.keys(o.customHeaders ?? {})) {
                if (!HEADER_NAME.test(h) || FORBIDDEN_HEADERS.includes(h.toLowerCase()) || /^x-(amz|edge)-/i.test(h))
                    p.push(`origins.${id}.customHeaders: ${JSON.stringify(h)} is not a header CloudFront may add`);
            }
            const timeout = o.readTimeoutSeconds ?? 30;
            if (!Number.isInteger(timeout) || timeout < 1 || timeout > 60)
                p.push(`origins.${id}.readTimeoutSeconds must be an integer from 1 to 60; got ${timeout}`);
        } else if (o.type === "s3") {
            if (buckets.has(o.bucket)) p.push(`origins.${id}: a bucket may back only one origin`);
            buckets.add(o.bucket);
        } else {
            p.push(`origins.${id}.type must be https or s3`);
        }
    }
    const behaviors = [{ ...args.defaultBehavior, pathPattern: "default" }, ...(args.behaviors ?? [])];
    for (const b of behaviors) {
        const at = b.pathPattern === "default" ? "defaultBehavior" : `behaviors[${b.pathPattern}]`;
        if (!(b.origin in args.origins)) p.push(`${at}.origin ${JSON.stringify(b.origin)} is not in origins`);
        if (!["dynamic", "static"].includes(b.cache))
            p.push(`${at}.cache must be dynamic or static; got ${JSON.stringify(b.cache)}`);
    }
    const patterns = (args.behaviors ?? []).map((b) => b.pathPattern);
    for (const pattern of patterns)
        if (!/^\/?[A-Za-z0-9._~/*?-]{1,255}$/.test(pattern) || pattern === "*")
            p.push(
                `behaviors: path pattern ${JSON.stringify(pattern)} is not a CloudFront path pattern ` +
                    "(or is the default)",
            );
    if (new Set(patterns).size !== patterns.length)
        p.push(`behaviors list a path pattern more than once: ${patterns.join(", ")}`);
    if (args.domain && !DNS_NAME.test(args.domain.name))
        p.push(`domain.name must be a lower-case DNS name; got ${JSON.stringify(args.domain.name)}`);
    if (args.defaultRootObject !== undefined && !/^[A-Za-z0-9._-]{1,255}$/.test(args.defaultRootObject))
        p.push(
            "defaultRootObject must be an object name such as index.html; " +
                `got ${JSON.stringify(args.defaultRootObject)}`,
        );
    if (args.description.length > 128)
        p.push(`description must be at most 128 characters; got ${args.description.length}`);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.waf.retentionInDays))
        p.push(
            `waf.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.waf.retentionInDays}`,
        );
    return p;
}

const READ_METHODS = ["GET", "HEAD"];
const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

export class CdnDistribution extends pulumi.ComponentResource {
    readonly distributionId: pulumi.Output<string>;
    readonly distributionArn: pulumi.Output<string>;
    /** `dxxxx.cloudfront.net`. */
    readonly domainName: pulumi.Output<string>;
    /** `https://<custom domain or cloudfront domain>`. */
    readonly url: pulumi.Output<string>;
    readonly webAclArn: pulumi.Output<string>;
    /** The web ACL's name: the `WebACL` dimension of its metrics (in us-east-1, `Region` dimension absent). */
    readonly webAclName: pulumi.Output<string>;

    constructor(name: string, args: CdnDistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:CdnDistribution", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`CdnDistribution ${name}: ${problems.join("; ")}`);

        const webAcl = this.waf(name, args);
        const distribution = this.distribution(name, args, this.origins(name, args), webAcl);
        for (const o of Object.values(args.origins)) if (o.type === "s3") o.bucket.allowCloudFront(distribution.arn);
        this.accessLogs(name, args, distribution);
        this.aliasRecords(name, args, distribution);

        this.distributionId = distribution.id;
        this.distributionArn = distribution.arn;
        this.domainName = distribution.domainName;
        this.url = args.domain
            ? pulumi.output(`https://${args.domain.name}`)
            : pulumi.interpolate`https://${distribution.domainName}`;
        this.webAclArn = webAcl.webAclArn;
        this.webAclName = webAcl.webAclName;
        this.registerOutputs({
            distributionId: this.distributionId,
            distributionArn: this.distributionArn,
            domainName: this.domainName,
            url: this.url,
            webAclArn: this.webAclArn,
        });
    }

    /** The CLOUDFRONT-scope web ACL (us-east-1), logging with the caller's key or one made by {@link wafLogsKey}. */
    private waf(name: string, args: CdnDistributionArgs): WebAcl {
        return new WebAcl(
            `${name}-waf`,
            {
                scope: "CLOUDFRONT",
                rateLimit: args.waf.rateLimit,
                logs: {
                    groupName: args.waf.logGroupName,
                    kmsKeyArn: args.waf.kmsKeyArn ?? this.wafLogsKey(name, args).arn,
                    retentionInDays: args.waf.retentionInDays,
                },
                tags: args.tags,
            },
            { parent: this, provider: args.edgeProvider },
        );
    }

    /**
     * A KMS key in us-east-1 for the WAF log group (CloudWatch Logs needs a key of its own region): the account's
     * IAM policies and CloudWatch Logs of this account in us-east-1 may use it; yearly rotation.
     */
    private wafLogsKey(name: string, args: CdnDistributionArgs): aws.kms.Key {
        const { partition, accountId } = args;
        const logGroups = pulumi.interpolate`arn:${partition}:logs:${CLOUDFRONT_REGION}:${accountId}:log-group:*`;
        return new aws.kms.Key(
            `${name}-edge-logs-key`,
            {
                description: `Encrypts the WAF log group of ${name} in ${CLOUDFRONT_REGION}`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: 30,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EnableIAMPoliciesOfTheAccount",
                            Effect: "Allow",
                            Principal: {
                                AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root`,
                            },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "AllowCloudWatchLogsOfThisAccount",
                            Effect: "Allow",
                            Principal: { Service: `logs.${CLOUDFRONT_REGION}.amazonaws.com` },
                            Action: [
                                "kms:Encrypt*",
                                "kms:Decrypt*",
                                "kms:ReEncrypt*",
                                "kms:GenerateDataKey*",
                                "kms:Describe*",
                            ],
                            Resource: "*",
                            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroups } },
                        },
                    ],
                }),
                tags: { ...args.tags, Purpose: "logs" },
            },
            { parent: this, provider: args.edgeProvider },
        );
    }

    /**
     * The distribution's origins sorted by id: `s3` ones through one origin access control (made here when there
     * is any), `https` ones HTTPS only with TLS 1.2 and their custom headers sorted by name.
     */
    private origins(name: string, args: CdnDistributionArgs): aws.types.input.cloudfront.DistributionOrigin[] {
        const s3Origins = Object.entries(args.origins).filter(([, o]) => o.type === "s3");
        const oac =
            s3Origins.length > 0
                ? new aws.cloudfront.OriginAccessControl(
                      `${name}-oac`,
                      {
                          description: `${name}: signs requests to its private buckets`,
                          originAccessControlOriginType: "s3",
                          signingBehavior: "always",
                          signingProtocol: "sigv4",
                      },
                      { parent: this },
                  )
                : undefined;
        return Object.entries(args.origins)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([id, o]): aws.types.input.cloudfront.DistributionOrigin => {
                if (o.type === "s3") {
                    return {
                        originId: id,
                        domainName: o.bucket.bucketRegionalDomainName,
                        originAccessControlId: oac!.id,
                    };
                }
                return {
                    originId: id,
                    domainName: o.domainName,
                    originPath: o.originPath,
                    customHeaders: Object.entries(o.customHeaders ?? {})
                        .sort(([a], [b]) => a.localeCompare(b))
                        .map(([headerName, value]) => ({ name: headerName, value })),
                    customOriginConfig: {
                        originProtocolPolicy: "https-only",
                        originSslProtocols: ["TLSv1.2"],
                        httpsPort: 443,
                        httpPort: 80,
                        originReadTimeout: o.readTimeoutSeconds ?? 30,
                        originKeepaliveTimeout: 5,
                    },
                };
            });
    }

    /** The distribution: HTTP/2 and 3, IPv6, the caller's certificate (SNI, TLSv1.2_2021) or CloudFront's, the WAF. */
    private distribution(
        name: string,
        args: CdnDistributionArgs,
        origins: aws.types.input.cloudfront.DistributionOrigin[],
        webAcl: WebAcl,
    ): aws.cloudfront.Distribution {
        return new aws.cloudfront.Distribution(
            name,
            {
                enabled: true,
                comment: args.description,
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: args.priceClass ?? "PriceClass_All",
                aliases: args.domain ? [args.domain.name] : undefined,
                defaultRootObject: args.defaultRootObject,
                origins,
                defaultCacheBehavior: cacheBehavior(args.defaultBehavior),
                orderedCacheBehaviors: (args.behaviors ?? []).map((b) => ({
                    pathPattern: b.pathPattern,
                    ...cacheBehavior(b),
                })),
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: args.domain
                    ? {
                          acmCertificateArn: args.domain.certificateArn,
                          sslSupportMethod: "sni-only",
                          minimumProtocolVersion: "TLSv1.2_2021",
                      }
                    : { cloudfrontDefaultCertificate: true },
                webAclId: webAcl.webAclArn,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** Standard access logs (v2): a delivery source in us-east-1 to the log archive bucket, in Parquet. */
    private accessLogs(name: string, args: CdnDistributionArgs, distribution: aws.cloudfront.Distribution): void {
        const edge = { parent: this, provider: args.edgeProvider };
        const tags = args.tags;
        const source = new aws.cloudwatch.LogDeliverySource(
            `${name}-access-logs`,
            {
                logType: "ACCESS_LOGS",
                resourceArn: distribution.arn,
                tags,
            },
            edge,
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-access-logs`,
            {
                outputFormat: "parquet",
                deliveryDestinationConfiguration: { destinationResourceArn: args.accessLogs.bucketArn },
                tags,
            },
            edge,
        );
        new aws.cloudwatch.LogDelivery(
            `${name}-access-logs`,
            {
                deliverySourceName: source.name,
                deliveryDestinationArn: destination.arn,
                s3DeliveryConfigurations: [
                    { suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
                ],
                tags,
            },
            edge,
        );
    }

    /** A and AAAA alias records of the custom name when the caller gave its hosted zone. */
    private aliasRecords(name: string, args: CdnDistributionArgs, distribution: aws.cloudfront.Distribution): void {
        if (args.domain?.hostedZoneId === undefined) return;
        for (const type of ["A", "AAAA"]) {
            new aws.route53.Record(
                `${name}-alias-${type.toLowerCase()}`,
                {
                    zoneId: args.domain.hostedZoneId,
                    name: args.domain.name,
                    type,
                    aliases: [
                        { name: distribution.domainName, zoneId: CLOUDFRONT_ZONE_ID, evaluateTargetHealth: false },
                    ],
                },
                { parent: this },
            );
        }
    }
}

/**
 * A cache behavior: `dynamic` (CachingDisabled, every method, AllViewerExceptHostHeader) or `static`
 * (CachingOptimized, GET/HEAD/OPTIONS, compressed); HTTPS only and the security headers policy either way.
 */
function cacheBehavior(b: CdnBehavior) {
    const dynamic = b.cache === "dynamic";
    return {
        targetOriginId: b.origin,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: dynamic ? ALL_METHODS : [...READ_METHODS, "OPTIONS"],
        cachedMethods: READ_METHODS,
        compress: !dynamic,
        cachePolicyId: dynamic ? MANAGED_POLICIES.cachingDisabled : MANAGED_POLICIES.cachingOptimized,
        originRequestPolicyId: dynamic ? MANAGED_POLICIES.allViewerExceptHostHeader : undefined,
        responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
        trustedKeyGroups: b.trustedKeyGroupIds,
    };
}
