/**
 * mtls-api (seed 004): a Python API on ECS Fargate that only webhook clients holding a certificate
 * from the private CA can call, behind the nginx gateway in `apps/gateway`. See docs/mtls-api.md.
 *
 * Two edge modes (`platform:mtls-api.edgeMode`):
 * - `nlb` (default): NLB with TCP passthrough, 443 -> gateway 8443 (nginx terminates TLS and verifies
 *   the client certificate), 80 -> gateway 8080 (nginx answers 301 to https); health HTTP 8081.
 * - `alb`: ALB with AWS WAF; HTTPS listener with mutual TLS in verify mode against a trust store
 *   holding the private CA -> gateway HTTPS 8443; HTTP listener 301 to HTTPS only.
 * Both: the gateway reaches the API (port 8000) through Cloud Map (`api.mtls-api.internal`); the API
 * admits only the gateway's security group, the gateway only the load balancer's.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { FargateService, SecretRef } from "../infra/compute/fargate-service";
import { EcrRepository } from "../infra/compute/ecr-repository";
import { ServiceNamespace } from "../infra/compute/service-namespace";
import { fargateServiceSettings } from "../infra/config/component-settings";
import { got, integerIn, logRetentionDays, textMatching } from "../infra/config/schema-helpers";
import { DNS_NAME } from "../infra/edge/dns-certificate";
import { LoadBalancer, ListenerSpec, TargetGroupSpec } from "../infra/edge/load-balancer";
import { crlBlocks, TrustStore } from "../infra/edge/trust-store";
import { WebAcl } from "../infra/edge/web-acl";
import { formatCidr, parseCidr, Cidr } from "../infra/network/cidr";
import { Dashboard, DashboardGraph } from "../infra/observability/dashboard";
import { JsonSecret } from "../infra/security/json-secret";
import { PrivateCertificateAuthority } from "../infra/security/private-ca";
import { logGroupName, physicalName } from "../infra/shared/naming";
import { ArchitectureContext, ArchitectureModule } from "./architecture";

export const NAME = "mtls-api";
/** Workloads in `platform:releases`: the gateway image tag (built here) and the API image tag (pushed by its CI). */
export const WORKLOADS = { gateway: "mtls-gateway", api: "mtls-api" } as const;

/** Container ports of the gateway image (apps/gateway/README.md) and of the API. */
export const PORTS = { gatewayTls: 8443, gatewayHttp: 8080, gatewayHealth: 8081, api: 8000 } as const;
/** Cloud Map namespace and the API's name in it. */
export const NAMESPACE = "mtls-api.internal";
export const API_DISCOVERY_NAME = "api";

// ------------------------------------------------------------------------------------------------
// Settings: platform:mtls-api
// ------------------------------------------------------------------------------------------------

const CLIENT_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * nlb mode: the gateway's `GATEWAY_SSL_VERIFY_DEPTH` (nginx `ssl_verify_depth`, OpenSSL's verify depth:
 * the most intermediate CAs between a client certificate and a CA of the bundle). 0: the CAs of
 * `certificateAuthorities` sign client certificates directly (maxPathLength 0), so a certificate from
 * any intermediate is refused; nginx's default, 1, would admit one. apps/gateway/README.md, "Client chain".
 */
export const CLIENT_VERIFY_DEPTH = 0;

export const settingsSchema = z
    .strictObject({
        edgeMode: z
            .enum(["nlb", "alb"], {
                error: (i) =>
                    `must be nlb (NLB passthrough, nginx verifies client certificates) or alb (ALB mutual TLS with WAF); ${got(i.input)}`,
            })
            .default("nlb"),
        serverName: z
            .string({
                error: (i) =>
                    i.input === undefined
                        ? "required: the DNS name webhook clients connect to, e.g. webhooks.example.com"
                        : `must be a DNS name; ${got(i.input)}`,
            })
            .regex(DNS_NAME, {
                error: (i) =>
                    `must be a lower-case DNS name such as webhooks.example.com (no wildcard, no trailing dot); ${got(i.input)}`,
            }),
        logRetentionDays: logRetentionDays().default(7),
        gateway: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
        api: fargateServiceSettings({ cpu: 512, memory: 1024 }).prefault({}),
        /** Passed to nginx (apps/gateway/README.md, "Limits"); same patterns as the entrypoint checks. */
        limits: z
            .strictObject({
                clientMaxBodySize: textMatching(
                    /^[1-9][0-9]{0,8}[kKmM]?$/,
                    "a non-zero nginx size such as 1m or 512k",
                ).default("1m"),
                rateLimit: textMatching(/^[1-9][0-9]{0,5}r\/[sm]$/, "an nginx rate such as 10r/s or 600r/m").default(
                    "10r/s",
                ),
                rateLimitBurst: integerIn(0, 999999, "the requests a client may make at once above the rate").default(
                    20,
                ),
            })
            .prefault({}),
        /** alb mode: requests per client IP per 5 minutes before WAF blocks it. */
        waf: z
            .strictObject({
                rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(2000),
            })
            .prefault({}),
        /** Ids of the private CAs clients may chain to; see docs/mtls-api.md, "Rotating the CA". */
        certificateAuthorities: z
            .array(textMatching(/^[a-z0-9]{1,12}$/, "a CA id of 1-12 lower-case letters and digits"), {
                error: (i) => `must be a list of CA ids; ${got(i.input)}`,
            })
            .min(1, { error: "must name at least one CA" })
            .max(3, { error: "must name at most 3 CAs (two during a rotation)" })
            .refine((ids) => new Set(ids).size === ids.length, { error: "lists a CA more than once" })
            .default(["1"]),
        /** The CA that signs the server and client certificates. Default the last of certificateAuthorities. */
        issuingCertificateAuthority: textMatching(/^[a-z0-9]{1,12}$/, "a CA id from certificateAuthorities").optional(),
        serverCertificateValidityDays: integerIn(30, 825, "days the server certificate is valid").default(365),
        /** Webhook clients: name -> their certificate signing request (PEM). The client keeps its key. */
        clients: z
            .record(
                z.string(),
                z.strictObject({
                    csrPem: z
                        .string({ error: (i) => `must be a PEM certificate signing request; ${got(i.input)}` })
                        .refine(
                            (s) =>
                                /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[\s\S]+\r?\n-----END (NEW )?CERTIFICATE REQUEST-----\s*$/.test(
                                    s.trim() + "\n",
                                ),
                            {
                                error: "must be one PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- ...)",
                            },
                        ),
                }),
                { error: (i) => `must be a map of client names to { csrPem }; ${got(i.input)}` },
            )
            .superRefine((clients, ctx) => {
                for (const client of Object.keys(clients)) {
                    if (!CLIENT_NAME.test(client))
                        ctx.addIssue({
                            code: "custom",
                            path: [client],
                            message: `is not a client name: use 1-31 lower-case letters, digits and -, starting with a letter or digit; ${got(client)}`,
                        });
                }
            })
            .default({}),
        clientCertificateValidityDays: integerIn(1, 825, "days a client certificate is valid").default(365),
        /**
         * Revoked client certificates: one PEM certificate revocation list per CA of certificateAuthorities,
         * concatenated (public data, not a secret). nlb: the gateway's ssl_crl; alb: the trust store's
         * revocations. docs/mtls-api.md, "Revoking a client certificate".
         */
        clientCrlPem: z
            .string({ error: (i) => `must be PEM certificate revocation lists; ${got(i.input)}` })
            .refine(
                (pem) =>
                    crlBlocks(pem).length > 0 &&
                    pem.replace(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g, "").trim() === "",
                {
                    error: "must be one or more PEM certificate revocation lists (-----BEGIN X509 CRL----- ...) and nothing else",
                },
            )
            .optional(),
    })
    .superRefine((s, ctx) => {
        if (s.clientCrlPem !== undefined && crlBlocks(s.clientCrlPem).length < s.certificateAuthorities.length) {
            ctx.addIssue({
                code: "custom",
                path: ["clientCrlPem"],
                message: `must hold a CRL of every CA in certificateAuthorities (${s.certificateAuthorities.length}); got ${crlBlocks(s.clientCrlPem).length}: nginx checks a CRL for every CA of a client's chain and refuses clients of a CA without one`,
            });
        }
        if (
            s.issuingCertificateAuthority !== undefined &&
            !s.certificateAuthorities.includes(s.issuingCertificateAuthority)
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["issuingCertificateAuthority"],
                message: `must be one of certificateAuthorities (${s.certificateAuthorities.join(", ")}); ${got(s.issuingCertificateAuthority)}`,
            });
        }
    });

export type MtlsApiSettings = z.infer<typeof settingsSchema>;

// ------------------------------------------------------------------------------------------------
// The architecture
// ------------------------------------------------------------------------------------------------

/** The VPC's DNS resolver: the network address plus two (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html). */
export function vpcResolver(vpcCidr: string): string {
    const cidr = parseCidr(vpcCidr) as Cidr;
    return formatCidr({ base: cidr.base + 2, prefix: 32 }).replace(/\/32$/, "");
}

const pemJoin = (pems: string[]) => pems.map((p) => (p.endsWith("\n") ? p : `${p}\n`)).join("");

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

export class MtlsApi extends pulumi.ComponentResource {
    readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, ctx: ArchitectureContext<MtlsApiSettings>, opts?: pulumi.ComponentResourceOptions) {
        super("platform:architecture:MtlsApi", name, {}, opts);
        const { config, settings: s, foundation, tags, scope } = ctx;
        const child = { parent: this };
        const account = foundation.account;
        const network = foundation.network;
        const keys = foundation.keys.keyArns;
        const protect = config.profile.protect;
        const nlb = s.edgeMode === "nlb";

        // ------------------------------------------------------------ private CA and certificates
        const cas = Object.fromEntries(
            s.certificateAuthorities.map((id) => [
                id,
                new PrivateCertificateAuthority(
                    `${name}-ca-${id}`,
                    {
                        commonName: `${s.serverName} webhook CA ${id}`,
                        organization: config.project,
                    },
                    child,
                ),
            ]),
        );
        const issuer =
            cas[s.issuingCertificateAuthority ?? s.certificateAuthorities[s.certificateAuthorities.length - 1]];
        const caBundlePem = pulumi.all(s.certificateAuthorities.map((id) => cas[id].certificatePem)).apply(pemJoin);
        const server = issuer.issueServerCertificate("server", {
            dnsNames: [s.serverName],
            organization: config.project,
            validityDays: s.serverCertificateValidityDays,
        });
        const clientCertificates = Object.fromEntries(
            Object.entries(s.clients)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([client, c]) => [
                    client,
                    issuer.signClientCertificate(`client-${client}`, {
                        csrPem: c.csrPem,
                        validityDays: s.clientCertificateValidityDays,
                    }).certificatePem,
                ]),
        );

        // The gateway's TLS material, written to files by its entrypoint at start (never in the image).
        const tlsSecret = new JsonSecret(
            `${name}-gateway-tls`,
            {
                description: `${NAME} gateway: server certificate and key${nlb ? ", client CA bundle" : ""}`,
                kmsKeyArn: keys.secrets,
                values: {
                    certificate: server.certificatePem,
                    privateKey: server.privateKeyPem!,
                    ...(nlb ? { clientCaBundle: caBundlePem } : {}),
                },
                recoveryWindowInDays: protect ? 30 : 7,
                tags,
            },
            child,
        );

        // ------------------------------------------------------------ images
        const gatewayRepo = new EcrRepository(
            `${name}-gateway-repo`,
            { repositoryName: physicalName(scope, "gateway", 256), kmsKeyArn: keys.data, protect, tags },
            child,
        );
        const apiRepo = new EcrRepository(
            `${name}-api-repo`,
            { repositoryName: physicalName(scope, "api", 256), kmsKeyArn: keys.data, protect, tags },
            child,
        );
        const gatewayImage = new awsx.ecr.Image(
            `${name}-gateway-image`,
            {
                repositoryUrl: gatewayRepo.repositoryUrl,
                context: path.join(__dirname, "..", "apps", "gateway"),
                platform: "linux/amd64",
                imageTag: config.releases[WORKLOADS.gateway],
            },
            child,
        );
        // The API image is pushed by its own CI: checked in the repository, or no API service while unreleased.
        const apiImage = apiRepo.releaseImage(WORKLOADS.api, config.releases[WORKLOADS.api]);

        // ------------------------------------------------------------ API (private, via Cloud Map)
        const namespace = new ServiceNamespace(
            `${name}-discovery`,
            {
                namespaceName: NAMESPACE,
                vpcId: network.vpcId,
                description: `${NAME}: the API's private DNS name`,
                tags,
            },
            child,
        );
        const common = {
            ...account,
            clusterArn: foundation.cluster.clusterArn,
            clusterName: foundation.cluster.clusterName,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.private,
            tags,
        };
        const api =
            apiImage === undefined
                ? undefined
                : new FargateService(
                      `${name}-api`,
                      {
                          ...common,
                          family: physicalName(scope, "api", 255),
                          cpu: s.api.cpu,
                          memory: s.api.memory,
                          desiredCount: s.api.desiredCount,
                          container: {
                              name: "api",
                              image: apiImage,
                              portMappings: [{ containerPort: PORTS.api }],
                              environment: { PORT: String(PORTS.api) },
                              readonlyRootFilesystem: true,
                              scratchPaths: ["/tmp"],
                          },
                          logs: {
                              groupName: logGroupName(scope, "api"),
                              kmsKeyArn: keys.logs,
                              retentionInDays: s.logRetentionDays,
                          },
                          ecrRepositoryArns: [apiRepo.repositoryArn],
                          serviceDiscovery: {
                              namespaceId: namespace.namespaceId,
                              namespaceName: namespace.namespaceName,
                              name: API_DISCOVERY_NAME,
                          },
                          autoscaling: { maxCapacity: s.api.maxCount, cpuTargetPercent: s.api.cpuTargetPercent },
                      },
                      child,
                  );
        // The gateway resolves the API's Cloud Map name per request, so it starts before the API exists.
        const apiHostname = `${API_DISCOVERY_NAME}.${NAMESPACE}`;

        // ------------------------------------------------------------ edge
        const world = (port: number, description: string) => ({ port, cidrIpv4: "0.0.0.0/0", description });
        let lb: LoadBalancer;
        let webAcl: WebAcl | undefined;
        if (nlb) {
            lb = new LoadBalancer(
                `${name}-nlb`,
                {
                    type: "network",
                    vpcId: network.vpcId,
                    subnetIds: network.subnetIds.public,
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
                    // No access logs: ELB writes NLB access logs only for TLS listeners, and this NLB passes TCP through.
                    protect,
                    alarmTopicArn: foundation.alarmTopic.topicArn,
                    tags,
                },
                child,
            );
        } else {
            // ACM holds the server certificate for the ALB; the ALB verifies clients against the trust store.
            const certificate = new aws.acm.Certificate(
                `${name}-server-certificate`,
                {
                    certificateBody: server.certificatePem,
                    privateKey: server.privateKeyPem!,
                    certificateChain: issuer.certificatePem,
                    tags,
                },
                child,
            );
            const trustStore = new TrustStore(
                `${name}-trust-store`,
                { caBundlePem, revocationListsPem: s.clientCrlPem, protect, tags },
                child,
            );
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
            lb = new LoadBalancer(
                `${name}-alb`,
                {
                    type: "application",
                    vpcId: network.vpcId,
                    subnetIds: network.subnetIds.public,
                    ingress: {
                        https: world(443, "Webhook clients: mutual TLS verified by the ALB"),
                        http: world(80, "Plain HTTP, redirected to HTTPS by the ALB"),
                    },
                    targetGroups: {
                        gateway: { port: PORTS.gatewayTls, protocol: "HTTPS", healthCheck: GATEWAY_HEALTH_CHECK },
                    },
                    listeners: { https, http: { port: 80, protocol: "HTTP", action: { type: "redirect-https" } } },
                    accessLogs: { bucketName: foundation.logArchive.bucketName },
                    protect,
                    alarmTopicArn: foundation.alarmTopic.topicArn,
                    tags,
                },
                child,
            );
            webAcl = new WebAcl(
                `${name}-waf`,
                {
                    scope: "REGIONAL",
                    rateLimit: s.waf.rateLimit,
                    // nginx enforces the body limit (limits.clientMaxBodySize); the rule's 8 KB would refuse ordinary webhooks.
                    countOnlyRules: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] },
                    logs: {
                        groupName: `aws-waf-logs-${physicalName(scope, "alb", 200)}`,
                        kmsKeyArn: keys.logs,
                        retentionInDays: s.logRetentionDays,
                    },
                    associations: { alb: lb.loadBalancerArn },
                    tags,
                },
                child,
            );
        }

        // ------------------------------------------------------------ gateway (nginx)
        const gatewayPorts = nlb
            ? [PORTS.gatewayTls, PORTS.gatewayHttp, PORTS.gatewayHealth]
            : [PORTS.gatewayTls, PORTS.gatewayHealth];
        const secrets: Record<string, SecretRef> = {
            GATEWAY_TLS_CERT_PEM: tlsSecret.ref("certificate"),
            GATEWAY_TLS_KEY_PEM: tlsSecret.ref("privateKey"),
            ...(nlb ? { GATEWAY_CLIENT_CA_PEM: tlsSecret.ref("clientCaBundle") } : {}),
        };
        const gateway = new FargateService(
            `${name}-gateway`,
            {
                ...common,
                family: physicalName(scope, "gateway", 255),
                cpu: s.gateway.cpu,
                memory: s.gateway.memory,
                desiredCount: s.gateway.desiredCount,
                container: {
                    name: "gateway",
                    image: gatewayImage.imageUri,
                    portMappings: gatewayPorts.map((containerPort) => ({ containerPort })),
                    environment: {
                        GATEWAY_MODE: s.edgeMode,
                        API_UPSTREAM: `${apiHostname}:${PORTS.api}`,
                        DNS_RESOLVER: vpcResolver(network.vpcCidr),
                        GATEWAY_SERVER_NAME: s.serverName,
                        GATEWAY_TLS_PORT: String(PORTS.gatewayTls),
                        ...(nlb ? { GATEWAY_HTTP_PORT: String(PORTS.gatewayHttp) } : {}),
                        GATEWAY_HEALTH_PORT: String(PORTS.gatewayHealth),
                        GATEWAY_CLIENT_MAX_BODY_SIZE: s.limits.clientMaxBodySize,
                        GATEWAY_RATE_LIMIT: s.limits.rateLimit,
                        GATEWAY_RATE_LIMIT_BURST: String(s.limits.rateLimitBurst),
                        ...(nlb ? { GATEWAY_SSL_VERIFY_DEPTH: String(CLIENT_VERIFY_DEPTH) } : {}),
                        // Public data: in the task definition, so new CRLs roll the service (tasks read them at start).
                        ...(nlb && s.clientCrlPem !== undefined ? { GATEWAY_CLIENT_CRL_PEM: s.clientCrlPem } : {}),
                    },
                    secrets,
                    // The image's unprivileged user (apps/gateway/Dockerfile: USER 101:101).
                    user: "101:101",
                    // The entrypoint writes the rendered configuration and TLS files to /tmp/gateway, the
                    // image's declared VOLUME, so a bind mount there keeps the image's ownership (101:101).
                    readonlyRootFilesystem: true,
                    scratchPaths: ["/tmp/gateway"],
                    healthCheck: {
                        command: [
                            "CMD-SHELL",
                            `wget -q -O /dev/null http://127.0.0.1:${PORTS.gatewayHealth}/healthz || exit 1`,
                        ],
                        intervalSeconds: 15,
                        timeoutSeconds: 5,
                        retries: 3,
                        startPeriodSeconds: 10,
                    },
                },
                logs: {
                    groupName: logGroupName(scope, "gateway"),
                    kmsKeyArn: keys.logs,
                    retentionInDays: s.logRetentionDays,
                },
                ecrRepositoryArns: [gatewayRepo.repositoryArn],
                secretsKmsKeyArn: keys.secrets,
                loadBalancers: nlb
                    ? [
                          { targetGroupArn: lb.targetGroupArns.tls, containerPort: PORTS.gatewayTls },
                          { targetGroupArn: lb.targetGroupArns.http, containerPort: PORTS.gatewayHttp },
                      ]
                    : [{ targetGroupArn: lb.targetGroupArns.gateway, containerPort: PORTS.gatewayTls }],
                waitFor: lb.listeners,
                autoscaling: { maxCapacity: s.gateway.maxCount, cpuTargetPercent: s.gateway.cpuTargetPercent },
            },
            child,
        );

        // ------------------------------------------------------------ who may reach whom
        const portPurpose: Record<number, string> = {
            [PORTS.gatewayTls]: "TLS",
            [PORTS.gatewayHttp]: "HTTP redirect",
            [PORTS.gatewayHealth]: "health checks",
        };
        for (const port of gatewayPorts) {
            gateway.allowIngressFrom(`lb-${port}`, {
                port,
                sourceSecurityGroupId: lb.securityGroupId,
                description: `${portPurpose[port]} from the ${s.edgeMode.toUpperCase()} only`,
            });
            lb.allowEgressTo(`gateway-${port}`, {
                port,
                destinationSecurityGroupId: gateway.securityGroupId,
                description: `${portPurpose[port]} to the gateway`,
            });
        }
        if (api) {
            api.allowIngressFrom("gateway", {
                port: PORTS.api,
                sourceSecurityGroupId: gateway.securityGroupId,
                description: "HTTP from the nginx gateway only",
            });
            gateway.allowEgressTo("api", {
                port: PORTS.api,
                destinationSecurityGroupId: api.securityGroupId,
                description: "HTTP to the API through Cloud Map",
            });
        }
        const services: Record<string, FargateService> = api ? { gateway, api } : { gateway };

        // ------------------------------------------------------------ dashboard
        const lbDims = (tg: string) => ({ TargetGroup: lb.targetGroupArnSuffixes[tg], LoadBalancer: lb.arnSuffix });
        const ecsDims = (service: FargateService) => ({
            ClusterName: foundation.cluster.clusterName,
            ServiceName: service.serviceName,
        });
        const graphs: DashboardGraph[] = [
            {
                title: "Load balancer: healthy and unhealthy gateway tasks",
                metrics: Object.keys(lb.targetGroupArns).flatMap((tg) => [
                    {
                        namespace: lb.metricNamespace,
                        metricName: "HealthyHostCount",
                        dimensions: lbDims(tg),
                        stat: "Minimum",
                        label: `${tg} healthy`,
                    },
                    {
                        namespace: lb.metricNamespace,
                        metricName: "UnHealthyHostCount",
                        dimensions: lbDims(tg),
                        stat: "Maximum",
                        label: `${tg} unhealthy`,
                    },
                ]),
            },
            nlb
                ? {
                      title: "NLB: TCP flows and resets",
                      stat: "Sum",
                      metrics: [
                          "NewFlowCount",
                          "ActiveFlowCount",
                          "TCP_Client_Reset_Count",
                          "TCP_Target_Reset_Count",
                      ].map((metricName) => ({
                          namespace: lb.metricNamespace,
                          metricName,
                          dimensions: { LoadBalancer: lb.arnSuffix },
                      })),
                  }
                : {
                      title: "ALB: requests, TLS and HTTP errors",
                      stat: "Sum",
                      metrics: [
                          "RequestCount",
                          "ClientTLSNegotiationErrorCount",
                          "HTTPCode_ELB_4XX_Count",
                          "HTTPCode_ELB_5XX_Count",
                          "HTTPCode_Target_5XX_Count",
                      ].map((metricName) => ({
                          namespace: lb.metricNamespace,
                          metricName,
                          dimensions: { LoadBalancer: lb.arnSuffix },
                      })),
                  },
            {
                title: "ECS: CPU utilisation (%)",
                metrics: Object.entries(services).map(([label, svc]) => ({
                    namespace: "AWS/ECS",
                    metricName: "CPUUtilization",
                    dimensions: ecsDims(svc),
                    label,
                })),
            },
            {
                title: "ECS: memory utilisation (%)",
                metrics: Object.entries(services).map(([label, svc]) => ({
                    namespace: "AWS/ECS",
                    metricName: "MemoryUtilization",
                    dimensions: ecsDims(svc),
                    label,
                })),
            },
        ];
        if (webAcl) {
            const acl = webAcl;
            graphs.push({
                title: "WAF: blocked and allowed requests",
                stat: "Sum",
                metrics: ["BlockedRequests", "AllowedRequests"].map((metricName) => ({
                    namespace: "AWS/WAFV2",
                    metricName,
                    dimensions: { WebACL: acl.webAclName, Region: config.region, Rule: "ALL" },
                })),
            });
        }
        const dashboard = new Dashboard(
            `${name}-dashboard`,
            { dashboardName: physicalName(scope, "dashboard", 255), region: config.region, graphs },
            child,
        );

        this.outputs = {
            edgeMode: s.edgeMode,
            endpoint: `https://${s.serverName}`,
            loadBalancerDnsName: lb.dnsName,
            ecrRepositoryUrls: { gateway: gatewayRepo.repositoryUrl, api: apiRepo.repositoryUrl },
            serviceNames: Object.fromEntries(Object.entries(services).map(([k, svc]) => [k, svc.serviceName])),
            apiDiscoveryName: apiHostname,
            caCertificatePem: issuer.certificatePem,
            caBundlePem,
            clientCertificates,
            dashboardName: dashboard.dashboardName,
            ...(webAcl ? { webAclArn: webAcl.webAclArn } : {}),
        };
        this.registerOutputs(this.outputs);
    }
}

export const mtlsApi: ArchitectureModule<MtlsApiSettings> = {
    name: NAME,
    description: "Webhook API behind an nginx mutual-TLS gateway on ECS Fargate (NLB passthrough or ALB mTLS with WAF)",
    workloads: [WORKLOADS.gateway, WORKLOADS.api],
    settings: settingsSchema,
    deploy: (ctx) => new MtlsApi(NAME, ctx).outputs,
};
