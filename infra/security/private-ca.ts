/**
 * A private certificate authority made with `@pulumi/tls` (`platform:security:PrivateCertificateAuthority`):
 * an ECDSA P-384 key and a self-signed CA certificate, which issues server certificates (key made
 * here) and signs client certificate requests (key kept by the client).
 *
 * Where the keys live: every private key is an output of a `tls.PrivateKey`, stored in the Pulumi
 * state encrypted as a secret and nowhere else unless the caller puts it somewhere (the server key
 * goes to Secrets Manager; the CA key never leaves the state). The state backend must therefore be
 * encrypted and access to it restricted like access to the CA itself.
 *
 * Renewal: issued certificates carry `earlyRenewalHours`; a `pulumi up` inside that window replaces
 * them. Certificates depend on the CA certificate, so replacing the CA reissues everything it signed.
 *
 * https://www.pulumi.com/registry/packages/tls/api-docs/locallysignedcert/
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

export interface PrivateCertificateAuthorityArgs {
    /** Subject common name of the CA certificate, e.g. `mtls-api webhook CA ca1`. */
    commonName: string;
    /** Subject organization. Default none. */
    organization?: string;
    /** Validity of the CA certificate in days, 30-7300. Default 3650 (ten years). */
    validityDays?: number;
}

/** What issuing a certificate yields. */
export interface IssuedCertificate {
    /** The certificate, PEM. */
    certificatePem: pulumi.Output<string>;
    /** Its private key, PKCS#8 PEM, secret (absent when the client kept its key). */
    privateKeyPem?: pulumi.Output<string>;
}

/** Validity of an issued certificate: total and the renewal window before its end. */
export interface Validity {
    /** Days the certificate is valid, 1-825. Default 365. */
    validityDays?: number;
    /** Days before expiry from which `pulumi up` reissues it. Default 30. */
    renewBeforeDays?: number;
}

const HOURS = 24;
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function validityProblems(v: Validity): string[] {
    const days = v.validityDays ?? 365;
    const renew = v.renewBeforeDays ?? 30;
    const p: string[] = [];
    if (!Number.isInteger(days) || days < 1 || days > 825)
        p.push(`validityDays must be an integer from 1 to 825; got ${days}`);
    if (!Number.isInteger(renew) || renew < 0 || renew >= days)
        p.push(`renewBeforeDays must be an integer from 0 to less than validityDays; got ${renew}`);
    return p;
}

export class PrivateCertificateAuthority extends pulumi.ComponentResource {
    /** The CA certificate, PEM: what clients and load balancers trust. */
    readonly certificatePem: pulumi.Output<string>;
    private readonly keyPem: pulumi.Output<string>;
    private readonly componentName: string;

    constructor(name: string, args: PrivateCertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:PrivateCertificateAuthority", name, {}, opts);
        const days = args.validityDays ?? 3650;
        const problems: string[] = [];
        if (!Number.isInteger(days) || days < 30 || days > 7300)
            problems.push(`validityDays must be an integer from 30 to 7300; got ${days}`);
        if (args.commonName.length < 1 || args.commonName.length > 64)
            problems.push(`commonName must be 1-64 characters; got ${args.commonName.length}`);
        if (problems.length > 0) throw new Error(`PrivateCertificateAuthority ${name}: ${problems.join("; ")}`);
        this.componentName = name;

        const key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P384" }, { parent: this });
        const certificate = new tls.SelfSignedCert(
            `${name}-certificate`,
            {
                privateKeyPem: key.privateKeyPem,
                isCaCertificate: true,
                // Signs leaf certificates only, never another CA.
                maxPathLength: 0,
                setSubjectKeyId: true,
                subject: { commonName: args.commonName, organization: args.organization },
                validityPeriodHours: days * HOURS,
                allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            },
            { parent: this },
        );
        this.keyPem = key.privateKeyPem;
        this.certificatePem = certificate.certPem;
        this.registerOutputs({ certificatePem: this.certificatePem });
    }

    /**
     * Issues a TLS server certificate for `dnsNames` with a new ECDSA P-256 key (extended key usage
     * serverAuth only, so it can never pass as a client certificate). Children `<ca>-<key>-key`,
     * `-request`, `-certificate`.
     */
    issueServerCertificate(
        key: string,
        args: { dnsNames: string[]; organization?: string } & Validity,
    ): IssuedCertificate {
        const problems = validityProblems(args);
        if (args.dnsNames.length === 0) problems.push("dnsNames must hold at least one name");
        for (const n of args.dnsNames)
            if (!DNS_NAME.test(n)) problems.push(`dnsNames: ${JSON.stringify(n)} is not a lower-case DNS name`);
        if (problems.length > 0)
            throw new Error(
                `PrivateCertificateAuthority ${this.componentName} server certificate ${key}: ${problems.join("; ")}`,
            );
        const prefix = `${this.componentName}-${key}`;
        const privateKey = new tls.PrivateKey(
            `${prefix}-key`,
            { algorithm: "ECDSA", ecdsaCurve: "P256" },
            { parent: this },
        );
        const request = new tls.CertRequest(
            `${prefix}-request`,
            {
                privateKeyPem: privateKey.privateKeyPem,
                subject: { commonName: args.dnsNames[0], organization: args.organization },
                dnsNames: args.dnsNames,
            },
            { parent: this },
        );
        const certificate = this.sign(prefix, request.certRequestPem, ["digital_signature", "server_auth"], args);
        return { certificatePem: certificate, privateKeyPem: privateKey.privateKeyPemPkcs8 };
    }

    /**
     * Signs a client's certificate signing request (PEM) for mutual TLS (extended key usage
     * clientAuth only). The client keeps its private key. Child `<ca>-<key>-certificate`.
     */
    signClientCertificate(key: string, args: { csrPem: pulumi.Input<string> } & Validity): IssuedCertificate {
        const problems = validityProblems(args);
        if (problems.length > 0)
            throw new Error(
                `PrivateCertificateAuthority ${this.componentName} client certificate ${key}: ${problems.join("; ")}`,
            );
        return {
            certificatePem: this.sign(
                `${this.componentName}-${key}`,
                args.csrPem,
                ["digital_signature", "client_auth"],
                args,
            ),
        };
    }

    private sign(
        prefix: string,
        csrPem: pulumi.Input<string>,
        allowedUses: string[],
        v: Validity,
    ): pulumi.Output<string> {
        const days = v.validityDays ?? 365;
        return new tls.LocallySignedCert(
            `${prefix}-certificate`,
            {
                certRequestPem: csrPem,
                caPrivateKeyPem: this.keyPem,
                caCertPem: this.certificatePem,
                validityPeriodHours: days * HOURS,
                earlyRenewalHours: (v.renewBeforeDays ?? 30) * HOURS,
                setSubjectKeyId: true,
                allowedUses,
            },
            { parent: this },
        ).certPem;
    }
}
