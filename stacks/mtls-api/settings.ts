/**
 * mtls-api's settings (`platform:mtls-api`), their error messages and the architecture's constants.
 */
import { z } from "zod";
import { got, integerIn, logRetentionDays, textMatching } from "../../infra/config/schema-helpers";
import { fargateServiceSettings } from "../../infra/config/component-settings";
import { DNS_NAME } from "../../infra/edge/dns-certificate";
import { crlBlocks } from "../../infra/edge/trust-store";
import type { StepContext } from "../architecture";

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
/** One PEM certificate signing request, as `clients.<name>.csrPem` must hold. */
const CSR_PEM =
    /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[\s\S]+\r?\n-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

/**
 * nlb mode: the gateway's `GATEWAY_SSL_VERIFY_DEPTH` (nginx `ssl_verify_depth`, OpenSSL's verify depth:
 * the most intermediate CAs between a client certificate and a CA of the bundle). 0: the CAs of
 * `certificateAuthorities` sign client certificates directly (maxPathLength 0), so a certificate from
 * any intermediate is refused; nginx's default, 1, would admit one. apps/gateway/README.md, "Client chain".
 */
export const CLIENT_VERIFY_DEPTH = 0;

/** The settings' error messages too long for one line of the schema. */
const MESSAGES = {
    edgeMode: (input: unknown) =>
        "must be nlb (NLB passthrough, nginx verifies client certificates) or alb (ALB mutual TLS with WAF); " +
        got(input),
    serverNameDns: (input: unknown) =>
        `must be a lower-case DNS name such as webhooks.example.com (no wildcard, no trailing dot); ${got(input)}`,
    csrPem: "must be one PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- ...)",
    clientName: (client: string) =>
        "is not a client name: use 1-31 lower-case letters, digits and -, starting with a letter or digit; " +
        got(client),
    clientCrlPem:
        "must be one or more PEM certificate revocation lists (-----BEGIN X509 CRL----- ...) and nothing else",
    crlPerCa: (cas: number, crls: number) =>
        `must hold a CRL of every CA in certificateAuthorities (${cas}); got ${crls}: ` +
        "nginx checks a CRL for every CA of a client's chain and refuses clients of a CA without one",
    issuingCa: (cas: string[], id: string) => `must be one of certificateAuthorities (${cas.join(", ")}); ${got(id)}`,
};

/** Passed to nginx (apps/gateway/README.md, "Limits"); same patterns as the entrypoint checks. */
const limitsSchema = z
    .strictObject({
        clientMaxBodySize: textMatching(/^[1-9][0-9]{0,8}[kKmM]?$/, "a non-zero nginx size such as 1m or 512k").default(
            "1m",
        ),
        rateLimit: textMatching(/^[1-9][0-9]{0,5}r\/[sm]$/, "an nginx rate such as 10r/s or 600r/m").default("10r/s"),
        rateLimitBurst: integerIn(0, 999999, "the requests a client may make at once above the rate").default(20),
    })
    .prefault({});

/** Webhook clients: name -> their certificate signing request (PEM). The client keeps its key. */
const clientsSchema = z
    .record(
        z.string(),
        z.strictObject({
            csrPem: z
                .string({ error: (i) => `must be a PEM certificate signing request; ${got(i.input)}` })
                .refine((s) => CSR_PEM.test(s.trim() + "\n"), { error: MESSAGES.csrPem }),
        }),
        { error: (i) => `must be a map of client names to { csrPem }; ${got(i.input)}` },
    )
    .superRefine((clients, ctx) => {
        for (const client of Object.keys(clients)) {
            if (!CLIENT_NAME.test(client))
                ctx.addIssue({ code: "custom", path: [client], message: MESSAGES.clientName(client) });
        }
    })
    .default({});

/**
 * Revoked client certificates: one PEM certificate revocation list per CA of certificateAuthorities,
 * concatenated (public data, not a secret). nlb: the gateway's ssl_crl; alb: the trust store's
 * revocations. docs/mtls-api.md, "Revoking a client certificate".
 */
const clientCrlPemSchema = z
    .string({ error: (i) => `must be PEM certificate revocation lists; ${got(i.input)}` })
    .refine(
        (pem) =>
            crlBlocks(pem).length > 0 &&
            pem.replace(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g, "").trim() === "",
        { error: MESSAGES.clientCrlPem },
    )
    .optional();

export const settingsSchema = z
    .strictObject({
        edgeMode: z.enum(["nlb", "alb"], { error: (i) => MESSAGES.edgeMode(i.input) }).default("nlb"),
        serverName: z
            .string({
                error: (i) =>
                    i.input === undefined
                        ? "required: the DNS name webhook clients connect to, e.g. webhooks.example.com"
                        : `must be a DNS name; ${got(i.input)}`,
            })
            .regex(DNS_NAME, { error: (i) => MESSAGES.serverNameDns(i.input) }),
        logRetentionDays: logRetentionDays().default(7),
        gateway: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
        api: fargateServiceSettings({ cpu: 512, memory: 1024 }).prefault({}),
        limits: limitsSchema,
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
        clients: clientsSchema,
        clientCertificateValidityDays: integerIn(1, 825, "days a client certificate is valid").default(365),
        clientCrlPem: clientCrlPemSchema,
    })
    .superRefine((s, ctx) => {
        if (s.clientCrlPem !== undefined && crlBlocks(s.clientCrlPem).length < s.certificateAuthorities.length) {
            ctx.addIssue({
                code: "custom",
                path: ["clientCrlPem"],
                message: MESSAGES.crlPerCa(s.certificateAuthorities.length, crlBlocks(s.clientCrlPem).length),
            });
        }
        if (
            s.issuingCertificateAuthority !== undefined &&
            !s.certificateAuthorities.includes(s.issuingCertificateAuthority)
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["issuingCertificateAuthority"],
                message: MESSAGES.issuingCa(s.certificateAuthorities, s.issuingCertificateAuthority),
            });
        }
    });

export type MtlsApiSettings = z.infer<typeof settingsSchema>;

/** What every mtls-api step receives. */
export type MtlsApiStep = StepContext<MtlsApiSettings>;

/** The gateway's container ports: nlb mode adds the plain HTTP port (nginx answers 301 to https). */
export function gatewayPorts(s: MtlsApiSettings): number[] {
    return s.edgeMode === "nlb"
        ? [PORTS.gatewayTls, PORTS.gatewayHttp, PORTS.gatewayHealth]
        : [PORTS.gatewayTls, PORTS.gatewayHealth];
}
