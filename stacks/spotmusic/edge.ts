/**
 * spotmusic, edge tier: CloudFront (HTTPS, TLSv1.2_2021, WAF) with its certificate in us-east-1 and three
 * behaviours (web app, signed audio, API), the key group that verifies signed URLs and cookies for audio, and DNS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { CdnDistribution } from "../../infra/edge/cdn-distribution";
import { DnsCertificate } from "../../infra/edge/dns-certificate";
import { JsonSecret } from "../../infra/security/json-secret";
import { distributionArgs, cloudFrontCertificate } from "../cloudfront";
import { ORIGIN_HEADER } from "../ticketing";
import { ApiTier } from "./api";
import { internalApiName, NAME, PATHS, retentionDays, SpotmusicStep } from "./settings";
import { StorageTier } from "./storage";

/** What later steps use of the keys that sign audio URLs and cookies. */
export interface AudioSigning {
    /** The public key CloudFront verifies with; its id is the key pair id web-api signs with. */
    publicKey: aws.cloudfront.PublicKey;
    /** The key group the `/audio/*` behaviour trusts. */
    keyGroup: aws.cloudfront.KeyGroup;
    /** The private key (PEM, `privateKey`) in Secrets Manager, read by web-api. */
    signingSecret: JsonSecret;
}

/** What later steps use of the edge tier. */
export interface EdgeTier {
    /** CloudFront's certificate for `<domain>` (us-east-1). */
    viewerCertificate: DnsCertificate;
    /** The distribution, once the viewer certificate is issued (docs/first-deploy.md). */
    cdn: CdnDistribution | undefined;
}

/**
 * Signed URLs and cookies for audio: an RSA 2048 key pair, its public key in a CloudFront key group, and the
 * private key in Secrets Manager (recovery window 30 days when protected, else 7).
 */
export function audioSigning(step: SpotmusicStep): AudioSigning {
    const { name, foundation, config, tags, child } = step;
    const signingKey = new tls.PrivateKey(`${name}-signing-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
    const publicKey = new aws.cloudfront.PublicKey(
        `${name}-signing-key`,
        {
            encodedKey: signingKey.publicKeyPem,
            comment: `${NAME}: verifies signed URLs and cookies for private audio`,
        },
        child,
    );
    const keyGroup = new aws.cloudfront.KeyGroup(
        `${name}-signers`,
        { items: [publicKey.id], comment: `${NAME}: keys web-api signs audio URLs with` },
        child,
    );
    const signingSecret = new JsonSecret(
        `${name}-signing-key`,
        {
            description: `${NAME}: CloudFront signing key (PEM) for private audio, read by web-api`,
            kmsKeyArn: foundation.keys.keyArns.secrets,
            values: { privateKey: signingKey.privateKeyPem },
            recoveryWindowInDays: config.profile.protect ? 30 : 7,
            tags,
        },
        child,
    );
    return { publicKey, keyGroup, signingSecret };
}

/**
 * CloudFront: the viewer certificate (us-east-1), then the distribution once it is issued. Until the distribution
 * exists, the buckets still refuse requests without TLS.
 */
export function edgeTier(
    step: SpotmusicStep,
    deps: { storage: StorageTier; api: ApiTier; signing: AudioSigning },
): EdgeTier {
    // CloudFront's certificate (us-east-1): the distribution exists once it is issued (docs/first-deploy.md).
    const viewerCertificate = cloudFrontCertificate(step);
    const cdn =
        viewerCertificate.certificateArn === undefined
            ? undefined
            : distribution(step, { ...deps, certificateArn: viewerCertificate.certificateArn });
    // Until the distribution exists, the buckets still refuse requests without TLS.
    if (cdn === undefined)
        for (const bucket of [deps.storage.web, deps.storage.audio]) bucket.denyInsecureTransportOnly();
    return { viewerCertificate, cdn };
}

/**
 * The distribution: the web app by default, `/api/*` to the HTTP API (with the secret origin header), `/audio/*`
 * from the audio bucket for signed requests only; `<domain>` with its certificate, WAF and access logs.
 */
function distribution(
    step: SpotmusicStep,
    deps: { storage: StorageTier; api: ApiTier; signing: AudioSigning; certificateArn: pulumi.Input<string> },
): CdnDistribution {
    const { name, settings: s, child } = step;
    const { storage, api, signing } = deps;
    const waf = { rateLimit: s.waf.rateLimit, retentionInDays: retentionDays(step) };
    return new CdnDistribution(
        `${name}-cdn`,
        distributionArgs(step, deps.certificateArn, waf, {
            origins: {
                web: { type: "s3", bucket: storage.web },
                audio: { type: "s3", bucket: storage.audio },
                api: {
                    type: "https",
                    domainName: api.api.apiEndpoint.apply((e) => e.replace(/^https:\/\//, "")),
                    customHeaders: { [ORIGIN_HEADER]: api.originSecret.result },
                },
            },
            defaultBehavior: { origin: "web", cache: "static" },
            behaviors: [
                { pathPattern: PATHS.api, origin: "api", cache: "dynamic" },
                {
                    pathPattern: PATHS.audio,
                    origin: "audio",
                    cache: "static",
                    trustedKeyGroupIds: [signing.keyGroup.id],
                },
            ],
            defaultRootObject: "index.html",
        }),
        child,
    );
}

/**
 * DNS: with a Route 53 zone, the internal API's record; without one, the records an operator must create (the
 * certificates' validation records and, once the distribution exists, the viewers' CNAME), for the
 * `dnsRecordsToCreate` output.
 */
export function dns(step: SpotmusicStep, deps: { edge: EdgeTier; api: ApiTier }): Record<string, unknown>[] {
    const { name, settings: s, child } = step;
    const { viewerCertificate, cdn } = deps.edge;
    const dnsRecords: Record<string, unknown>[] = [];
    if (s.domain.hostedZoneId === undefined) {
        dnsRecords.push(
            { purpose: "CloudFront certificate validation", ...viewerCertificate.validationRecord },
            { purpose: "internal API certificate validation", ...deps.api.certificate.validationRecord },
            // The distribution, hence its name, exists once the certificates are issued.
            ...(cdn ? [{ purpose: "viewers", name: s.domain.name, type: "CNAME", value: cdn.domainName }] : []),
        );
    } else {
        // The VPC link reaches the ALB by listener ARN; the name only has to match its certificate, but
        // a record keeps it resolvable for operators inside the VPC.
        new aws.route53.Record(
            `${name}-api-internal`,
            {
                zoneId: s.domain.hostedZoneId,
                name: internalApiName(step),
                type: "CNAME",
                ttl: 300,
                records: [deps.api.lb.dnsName],
            },
            child,
        );
    }
    return dnsRecords;
}
