/**
 * mtls-api's public key infrastructure: the private CAs, the server certificate and the webhook clients'
 * certificates, the gateway's TLS secret and, in alb mode, the ALB's ACM certificate and trust store.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TrustStore } from "../../infra/edge/trust-store";
import { JsonSecret } from "../../infra/security/json-secret";
import { IssuedCertificate, PrivateCertificateAuthority } from "../../infra/security/private-ca";
import { MtlsApiStep, NAME } from "./settings";

/** The private CAs and what they issue. */
export interface Pki {
    /** The CA that signs the server and client certificates. */
    issuer: PrivateCertificateAuthority;
    /** Every CA of `certificateAuthorities`, PEM, concatenated in that order. */
    caBundlePem: pulumi.Output<string>;
    /** The server certificate for `serverName`, with its key. */
    server: IssuedCertificate;
    /** Client name -> its certificate (PEM), by name. */
    clientCertificates: Record<string, pulumi.Output<string>>;
}

const pemJoin = (pems: string[]) => pems.map((p) => (p.endsWith("\n") ? p : `${p}\n`)).join("");

/** The private CAs (`<name>-ca-<id>`), the server certificate and the clients' certificates. */
export function privateCa(step: MtlsApiStep): Pki {
    const { config, settings: s, name, child } = step;
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
    const issuer = cas[s.issuingCertificateAuthority ?? s.certificateAuthorities[s.certificateAuthorities.length - 1]];
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
    return { issuer, caBundlePem, server, clientCertificates };
}

/** The gateway's TLS material, written to files by its entrypoint at start (never in the image). */
export function gatewayTlsSecret(step: MtlsApiStep, { server, caBundlePem }: Pki): JsonSecret {
    const { config, settings: s, foundation, tags, name, child } = step;
    const nlb = s.edgeMode === "nlb";
    return new JsonSecret(
        `${name}-gateway-tls`,
        {
            description: `${NAME} gateway: server certificate and key${nlb ? ", client CA bundle" : ""}`,
            kmsKeyArn: foundation.keys.keyArns.secrets,
            values: {
                certificate: server.certificatePem,
                privateKey: server.privateKeyPem!,
                ...(nlb ? { clientCaBundle: caBundlePem } : {}),
            },
            recoveryWindowInDays: config.profile.protect ? 30 : 7,
            tags,
        },
        child,
    );
}

/** alb mode: what the ALB's HTTPS listener presents and verifies clients against. */
export interface AlbTrust {
    /** ACM's copy of the server certificate. */
    certificate: aws.acm.Certificate;
    /** The CA bundle and the clients' revocations. */
    trustStore: TrustStore;
}

/** ACM holds the server certificate for the ALB; the ALB verifies clients against the trust store. */
export function albTrust(step: MtlsApiStep, { issuer, caBundlePem, server }: Pki): AlbTrust {
    const { config, settings: s, tags, name, child } = step;
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
        { caBundlePem, revocationListsPem: s.clientCrlPem, protect: config.profile.protect, tags },
        child,
    );
    return { certificate, trustStore };
}
