/**
 * DnsCertificate and CdnDistribution on their own, under the offline plan's mocks: certificates with
 * and without a Route 53 zone, the distribution's viewer TLS, origins (HTTPS with custom headers, S3
 * through origin access control and the bucket policy it writes), behaviors and their managed
 * policies, signed-URL key groups, the CLOUDFRONT WAF in us-east-1 with its log key, the v2 access
 * logs, alias records, validation.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import {
    CdnDistribution,
    CdnDistributionArgs,
    CLOUDFRONT_ZONE_ID,
    MANAGED_POLICIES,
} from "../../infra/edge/cdn-distribution";
import { DnsCertificate } from "../../infra/edge/dns-certificate";
import { MANAGED_RULE_GROUPS } from "../../infra/edge/web-acl";
import { PrivateBucket } from "../../infra/storage/private-bucket";
import { componentHarness, Registered, TAGS, value } from "./component-harness";

const h = componentHarness();
const T = {
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    dist: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    acl: "aws:wafv2/webAcl:WebAcl",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    destination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
};
const ARCHIVE = "arn:aws:s3:::log-archive";
const onEdge = (r: Registered) => /::edge-us-east-1::/.test(r.provider ?? "");

describe("CDN components (under mocks)", () => {
    let edge: aws.Provider;
    before(() => {
        h.install();
        edge = new aws.Provider("edge-us-east-1", { region: "us-east-1" });
    });

    describe("DnsCertificate", () => {
        it("requests a DNS-validated certificate and, with a zone, writes the validation record and waits on it", async () => {
            const cert = new DnsCertificate("zoned", {
                domainName: "tickets.example.com",
                hostedZoneId: "Z0123456789ABC",
                tags: TAGS,
            });
            assert.strictEqual(cert.issued, true);
            const arn = await h.settle(cert.certificateArn!);
            const c = h.one(T.cert, "zoned").inputs;
            assert.deepStrictEqual(
                [c.domainName, c.validationMethod, c.keyAlgorithm, c.options, c.tags],
                [
                    "tickets.example.com",
                    "DNS",
                    "RSA_2048",
                    { certificateTransparencyLoggingPreference: "ENABLED" },
                    TAGS,
                ],
            );
            const r = h.one(T.record, "zoned-validation").inputs;
            assert.deepStrictEqual([r.zoneId, r.type, r.ttl, r.allowOverwrite], ["Z0123456789ABC", "CNAME", 300, true]);
            assert.match(r.name, /^_[0-9a-f]{32}\.tickets\.example\.com\.$/);
            assert.match(r.records[0], /\.acm-validations\.aws\.$/);
            const v = h.one(T.validation, "zoned-validation").inputs;
            assert.deepStrictEqual(v.validationRecordFqdns, [r.name.replace(/\.$/, "")]);
            assert.strictEqual(arn, v.certificateArn);
        });

        it("without a zone and pending (the default), requests the certificate and registers nothing that waits on it", async () => {
            const cert = new DnsCertificate("external", { domainName: "api.example.org", tags: TAGS });
            assert.strictEqual(await value(cert.validationRecord.type), "CNAME");
            assert.match(await value(cert.validationRecord.name), /^_[0-9a-f]{32}\.api\.example\.org\.$/);
            assert.strictEqual(h.one(T.cert, "external").inputs.domainName, "api.example.org");
            assert.deepStrictEqual(h.ofType(T.record, "external"), []);
            assert.deepStrictEqual(h.ofType(T.validation, "external"), []);
            assert.strictEqual(cert.issued, false);
            assert.strictEqual(cert.certificateArn, undefined);
        });

        it("without a zone and issued, uses the certificate ACM issued, with no validation resource", async () => {
            const cert = new DnsCertificate("issued", {
                domainName: "api.example.net",
                status: "issued",
                statusKey: "platform:x.domain.certificateStatus",
                tags: TAGS,
            });
            assert.strictEqual(cert.issued, true);
            const arn = await h.settle(cert.certificateArn!);
            assert.match(arn, /^arn:aws:acm:sa-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
            assert.strictEqual(h.one(T.cert, "issued").inputs.domainName, "api.example.net");
            assert.deepStrictEqual(h.ofType(T.record, "issued"), []);
            assert.deepStrictEqual(h.ofType(T.validation, "issued"), []);
        });

        it("refuses bad names and zone ids", () => {
            assert.throws(
                () => new DnsCertificate("bad", { domainName: "*.Example.com", hostedZoneId: "zone", tags: TAGS }),
                {
                    message:
                        'DnsCertificate bad: domainName must be a lower-case DNS name such as tickets.example.com (no wildcard, no trailing dot); got "*.Example.com"; hostedZoneId must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ; got "zone"',
                },
            );
        });
    });

    describe("CdnDistribution", () => {
        const base = (overrides: Partial<CdnDistributionArgs> = {}): CdnDistributionArgs => ({
            accountId: "123456789012",
            partition: "aws",
            edgeProvider: edge,
            description: "test",
            origins: {
                alb: {
                    type: "https",
                    domainName: "origin.tickets.example.com",
                    customHeaders: { "X-Origin-Verify": "s3cr3t" },
                },
            },
            defaultBehavior: { origin: "alb", cache: "dynamic" },
            waf: { logGroupName: "aws-waf-logs-test", retentionInDays: 30 },
            accessLogs: { bucketArn: ARCHIVE },
            tags: TAGS,
            ...overrides,
        });

        it("load balancer origin with a custom domain: HTTPS only, TLS 1.2 to the origin with the secret header, TLSv1.2_2021 to viewers, WAF and logs in us-east-1, alias records", async () => {
            const certificate = new DnsCertificate(
                "shop-certificate",
                { domainName: "tickets.example.com", hostedZoneId: "Z0123456789ABC", tags: TAGS },
                { provider: edge },
            );
            const cdn = new CdnDistribution(
                "shop",
                base({
                    domain: {
                        name: "tickets.example.com",
                        hostedZoneId: "Z0123456789ABC",
                        certificateArn: certificate.certificateArn!,
                    },
                    waf: { logGroupName: "aws-waf-logs-shop", retentionInDays: 30, rateLimit: 500 },
                }),
            );
            const arn = await h.settle(cdn.distributionArn);
            const d = h.one(T.dist, "shop").inputs;
            assert.deepStrictEqual(d.origins, [
                {
                    originId: "alb",
                    domainName: "origin.tickets.example.com",
                    customHeaders: [{ name: "X-Origin-Verify", value: "s3cr3t" }],
                    customOriginConfig: {
                        originProtocolPolicy: "https-only",
                        originSslProtocols: ["TLSv1.2"],
                        httpsPort: 443,
                        httpPort: 80,
                        originReadTimeout: 30,
                        originKeepaliveTimeout: 5,
                    },
                },
            ]);
            assert.deepStrictEqual(d.defaultCacheBehavior, {
                targetOriginId: "alb",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                cachedMethods: ["GET", "HEAD"],
                compress: false,
                cachePolicyId: MANAGED_POLICIES.cachingDisabled,
                originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
                responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
            });
            assert.deepStrictEqual(d.orderedCacheBehaviors, []);
            const cert = h.one(T.validation, "shop-certificate-validation");
            assert.ok(onEdge(h.one(T.cert, "shop-certificate")), "the certificate lives in us-east-1");
            assert.deepStrictEqual(d.viewerCertificate, {
                acmCertificateArn: cert.inputs.certificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            });
            assert.deepStrictEqual(
                [d.aliases, d.httpVersion, d.isIpv6Enabled, d.priceClass, d.enabled, d.restrictions],
                [
                    ["tickets.example.com"],
                    "http2and3",
                    true,
                    "PriceClass_All",
                    true,
                    { geoRestriction: { restrictionType: "none" } },
                ],
            );

            const acl = h.one(T.acl, "shop-waf");
            assert.ok(onEdge(acl));
            assert.strictEqual(acl.inputs.scope, "CLOUDFRONT");
            assert.deepStrictEqual(
                acl.inputs.rules.map((r: any) => r.name),
                ["rate-limit-per-ip", ...MANAGED_RULE_GROUPS],
            );
            assert.strictEqual(acl.inputs.rules[0].statement.rateBasedStatement.limit, 500);
            assert.strictEqual(d.webAclId, await value(cdn.webAclArn));
            assert.match(d.webAclId, /^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\//);
            const logGroup = h.one(T.logGroup, "shop-waf-logs");
            const key = h.one(T.key, "shop-edge-logs-key");
            assert.ok(onEdge(logGroup) && onEdge(key));
            assert.deepStrictEqual([logGroup.inputs.name, logGroup.inputs.retentionInDays], ["aws-waf-logs-shop", 30]);
            assert.match(logGroup.inputs.kmsKeyId, /^arn:aws:kms:us-east-1:123456789012:key\//);
            assert.deepStrictEqual(JSON.parse(key.inputs.policy).Statement[1], {
                Sid: "AllowCloudWatchLogsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "logs.us-east-1.amazonaws.com" },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*",
                    },
                },
            });
            assert.strictEqual(key.inputs.enableKeyRotation, true);

            const source = h.one(T.source, "shop-access-logs");
            assert.ok(onEdge(source));
            assert.deepStrictEqual([source.inputs.logType, source.inputs.resourceArn], ["ACCESS_LOGS", arn]);
            assert.strictEqual(
                h.one(T.destination, "shop-access-logs").inputs.deliveryDestinationConfiguration.destinationResourceArn,
                ARCHIVE,
            );
            assert.deepStrictEqual(h.one(T.delivery, "shop-access-logs").inputs.s3DeliveryConfigurations, [
                { suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
            ]);

            const aliases = h.ofType(T.record, "shop-alias-");
            assert.deepStrictEqual(
                aliases.map((r) => [r.name, r.inputs.type, r.inputs.name, r.inputs.aliases[0].zoneId]),
                [
                    ["shop-alias-a", "A", "tickets.example.com", CLOUDFRONT_ZONE_ID],
                    ["shop-alias-aaaa", "AAAA", "tickets.example.com", CLOUDFRONT_ZONE_ID],
                ],
            );
            assert.strictEqual(await value(cdn.url), "https://tickets.example.com");
        });

        it("private buckets through one origin access control, static and signed behaviors, bucket policies for this distribution; the default certificate without a domain", async () => {
            const bucketArgs = {
                accountId: "123456789012",
                partition: "aws",
                region: "sa-east-1",
                cloudFrontOrigin: true,
                accessLogs: { bucketName: "log-archive" },
                protect: false,
                tags: TAGS,
            };
            const web = new PrivateBucket("web", bucketArgs);
            const audio = new PrivateBucket("tracks", bucketArgs);
            const cdn = new CdnDistribution(
                "media",
                base({
                    origins: {
                        web: { type: "s3", bucket: web },
                        audio: { type: "s3", bucket: audio },
                        api: {
                            type: "https",
                            domainName: "abc.execute-api.sa-east-1.amazonaws.com",
                            readTimeoutSeconds: 60,
                        },
                    },
                    defaultBehavior: { origin: "web", cache: "static" },
                    behaviors: [
                        { pathPattern: "/api/*", origin: "api", cache: "dynamic" },
                        { pathPattern: "/audio/*", origin: "audio", cache: "static", trustedKeyGroupIds: ["kg-1"] },
                    ],
                    defaultRootObject: "index.html",
                    waf: {
                        logGroupName: "aws-waf-logs-media",
                        retentionInDays: 7,
                        kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/edge",
                    },
                    priceClass: "PriceClass_100",
                }),
            );
            const arn = await h.settle(cdn.distributionArn);
            const d = h.one(T.dist, "media").inputs;
            const oac = h.one(T.oac, "media-oac").inputs;
            assert.deepStrictEqual(
                [oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol],
                ["s3", "always", "sigv4"],
            );
            assert.deepStrictEqual(
                d.origins.map((o: any) => [
                    o.originId,
                    o.domainName.replace(/-[0-9a-f]+\.s3\./, "-*.s3."),
                    o.originAccessControlId === undefined,
                    o.customOriginConfig?.originReadTimeout,
                ]),
                [
                    ["api", "abc.execute-api.sa-east-1.amazonaws.com", true, 60],
                    ["audio", "tracks-*.s3.sa-east-1.amazonaws.com", false, undefined],
                    ["web", "web-*.s3.sa-east-1.amazonaws.com", false, undefined],
                ],
            );
            assert.deepStrictEqual(d.defaultCacheBehavior, {
                targetOriginId: "web",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: MANAGED_POLICIES.cachingOptimized,
                responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
            });
            assert.deepStrictEqual(
                d.orderedCacheBehaviors.map((b: any) => [
                    b.pathPattern,
                    b.targetOriginId,
                    b.cachePolicyId,
                    b.trustedKeyGroups,
                ]),
                [
                    ["/api/*", "api", MANAGED_POLICIES.cachingDisabled, undefined],
                    ["/audio/*", "audio", MANAGED_POLICIES.cachingOptimized, ["kg-1"]],
                ],
            );
            assert.deepStrictEqual(
                [d.defaultRootObject, d.priceClass, d.aliases, d.viewerCertificate],
                ["index.html", "PriceClass_100", undefined, { cloudfrontDefaultCertificate: true }],
            );
            assert.deepStrictEqual(h.ofType(T.key, "media"), [], "a given WAF log key is used, none made");
            assert.strictEqual(
                h.one(T.logGroup, "media-waf-logs").inputs.kmsKeyId,
                "arn:aws:kms:us-east-1:123456789012:key/edge",
            );
            for (const b of ["web", "tracks"]) {
                const statements = JSON.parse(h.one(T.policy, `${b}-policy`).inputs.policy).Statement;
                assert.deepStrictEqual(statements[1].Condition, { StringEquals: { "AWS:SourceArn": arn } });
            }
            assert.strictEqual(await value(cdn.url), `https://${await value(cdn.domainName)}`);
            assert.deepStrictEqual(h.ofType(T.cert, "media"), []);
        });

        it("reports every bad argument at once", () => {
            const bucket = new PrivateBucket("twice", {
                accountId: "1",
                partition: "aws",
                region: "sa-east-1",
                cloudFrontOrigin: true,
                accessLogs: { bucketName: "l" },
                protect: false,
                tags: TAGS,
            });
            assert.throws(
                () =>
                    new CdnDistribution(
                        "bad",
                        base({
                            origins: {
                                Alb: {
                                    type: "https",
                                    domainName: "x",
                                    originPath: "/v1/",
                                    customHeaders: { Host: "x", "X-Amz-Date": "y" },
                                    readTimeoutSeconds: 90,
                                },
                                a: { type: "s3", bucket },
                                b: { type: "s3", bucket },
                            },
                            defaultBehavior: { origin: "nowhere", cache: "dynamic" },
                            behaviors: [
                                { pathPattern: "/x/*", origin: "a", cache: "static" },
                                { pathPattern: "/x/*", origin: "a", cache: "none" as "static" },
                            ],
                            domain: {
                                name: "Bad.example.com",
                                certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
                            },
                            waf: { logGroupName: "aws-waf-logs-x", retentionInDays: 2 },
                        }),
                    ),
                {
                    message:
                        'CdnDistribution bad: origins: id "Alb" must be 1-31 lower-case letters, digits and -, starting with a letter; origins.Alb.originPath must start with / and not end with /; got "/v1/"; ' +
                        'origins.Alb.customHeaders: "Host" is not a header CloudFront may add; origins.Alb.customHeaders: "X-Amz-Date" is not a header CloudFront may add; origins.Alb.readTimeoutSeconds must be an integer from 1 to 60; got 90; ' +
                        'origins.b: a bucket may back only one origin; defaultBehavior.origin "nowhere" is not in origins; behaviors[/x/*].cache must be dynamic or static; got "none"; ' +
                        'behaviors list a path pattern more than once: /x/*, /x/*; domain.name must be a lower-case DNS name; got "Bad.example.com"; ' +
                        "waf.retentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 2",
                },
            );
        });
    });
});
