/**
 * The security components on their own, under Pulumi mocks in this process: the private CA (what it
 * issues, with which key usages) and the JSON secret (KMS key, recovery window, version-pinned refs).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { JsonSecret } from "../../infra/security/json-secret";
import { PrivateCertificateAuthority } from "../../infra/security/private-ca";

interface Registered {
    type: string;
    name: string;
    inputs: any;
}
const registered: Registered[] = [];
async function settle<T>(o: pulumi.Output<T>): Promise<T> {
    const value = await new Promise<T>((resolve) => o.apply(resolve));
    for (let seen = -1; seen !== registered.length;) {
        seen = registered.length;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return value;
}
const one = (type: string, name: string) => {
    const found = registered.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
    return found[0].inputs;
};

describe("security components (under mocks)", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                    return {
                        id: `${a.name}-id`,
                        state: {
                            ...a.inputs,
                            arn: `arn:aws:mock:sa-east-1:123456789012:${a.name}`,
                            versionId: `${a.name}-v1`,
                            certPem: `PEM(${a.name})`,
                            certRequestPem: `CSR(${a.name})`,
                            privateKeyPem: `KEY(${a.name})`,
                            privateKeyPemPkcs8: `PKCS8(${a.name})`,
                        },
                    };
                },
                call: () => ({}),
            },
            "platform",
            "test",
            false,
        );
    });

    /** How a secret input reaches the mocks: Pulumi's secret signature around the value. */
    const asSecret = (value: unknown) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value,
    });
    const TAGS = { Project: "platform", Environment: "test", Architecture: "test", ManagedBy: "pulumi", Stack: "test" };

    describe("PrivateCertificateAuthority", () => {
        it("makes a P-384 CA that signs leaves only, and issues server and client certificates with separate key usages", async () => {
            const ca = new PrivateCertificateAuthority("pki", {
                commonName: "Test CA",
                organization: "platform",
                validityDays: 1825,
            });
            const server = ca.issueServerCertificate("web", {
                dnsNames: ["api.example.com", "*.api.example.com"],
                validityDays: 90,
                renewBeforeDays: 10,
            });
            const client = ca.signClientCertificate("client-acme", { csrPem: "CSR-OF-ACME" });
            const [caPem, serverPem, serverKey, clientPem] = await Promise.all([
                settle(ca.certificatePem),
                settle(server.certificatePem),
                settle(server.privateKeyPem!),
                settle(client.certificatePem),
            ]);
            assert.deepStrictEqual(one("tls:index/privateKey:PrivateKey", "pki-key"), {
                algorithm: "ECDSA",
                ecdsaCurve: "P384",
            });
            const cert = one("tls:index/selfSignedCert:SelfSignedCert", "pki-certificate");
            assert.deepStrictEqual(
                [
                    cert.isCaCertificate,
                    cert.maxPathLength,
                    cert.validityPeriodHours,
                    cert.allowedUses,
                    cert.subject,
                    cert.privateKeyPem,
                ],
                [
                    true,
                    0,
                    1825 * 24,
                    ["cert_signing", "crl_signing", "digital_signature"],
                    { commonName: "Test CA", organization: "platform" },
                    asSecret("KEY(pki-key)"),
                ],
            );
            assert.deepStrictEqual(one("tls:index/privateKey:PrivateKey", "pki-web-key"), {
                algorithm: "ECDSA",
                ecdsaCurve: "P256",
            });
            assert.deepStrictEqual(one("tls:index/certRequest:CertRequest", "pki-web-request").dnsNames, [
                "api.example.com",
                "*.api.example.com",
            ]);
            const s = one("tls:index/locallySignedCert:LocallySignedCert", "pki-web-certificate");
            assert.deepStrictEqual(
                [
                    s.certRequestPem,
                    s.caCertPem,
                    s.caPrivateKeyPem,
                    s.allowedUses,
                    s.validityPeriodHours,
                    s.earlyRenewalHours,
                ],
                [
                    "CSR(pki-web-request)",
                    "PEM(pki-certificate)",
                    asSecret("KEY(pki-key)"),
                    ["digital_signature", "server_auth"],
                    90 * 24,
                    10 * 24,
                ],
            );
            const c = one("tls:index/locallySignedCert:LocallySignedCert", "pki-client-acme-certificate");
            assert.deepStrictEqual(
                [c.certRequestPem, c.caCertPem, c.allowedUses, c.validityPeriodHours, c.earlyRenewalHours],
                ["CSR-OF-ACME", "PEM(pki-certificate)", ["digital_signature", "client_auth"], 365 * 24, 30 * 24],
            );
            assert.deepStrictEqual(
                [caPem, serverPem, serverKey, clientPem],
                [
                    "PEM(pki-certificate)",
                    "PEM(pki-web-certificate)",
                    "PKCS8(pki-web-key)",
                    "PEM(pki-client-acme-certificate)",
                ],
            );
            assert.strictEqual(client.privateKeyPem, undefined, "the client keeps its key");
        });

        it("refuses bad validity and names", () => {
            assert.throws(() => new PrivateCertificateAuthority("bad-ca", { commonName: "", validityDays: 10 }), {
                message:
                    "PrivateCertificateAuthority bad-ca: validityDays must be an integer from 30 to 7300; got 10; commonName must be 1-64 characters; got 0",
            });
            const ca = new PrivateCertificateAuthority("ok-ca", { commonName: "CA" });
            assert.throws(
                () =>
                    ca.issueServerCertificate("web", {
                        dnsNames: ["Bad_Name"],
                        validityDays: 900,
                        renewBeforeDays: 900,
                    }),
                {
                    message:
                        'PrivateCertificateAuthority ok-ca server certificate web: validityDays must be an integer from 1 to 825; got 900; renewBeforeDays must be an integer from 0 to less than validityDays; got 900; dnsNames: "Bad_Name" is not a lower-case DNS name',
                },
            );
            assert.throws(() => ca.signClientCertificate("c", { csrPem: "x", validityDays: 30, renewBeforeDays: 30 }), {
                message:
                    "PrivateCertificateAuthority ok-ca client certificate c: renewBeforeDays must be an integer from 0 to less than validityDays; got 30",
            });
        });
    });

    describe("JsonSecret", () => {
        it("encrypts with the given key, keeps a recovery window and hands out version-pinned references", async () => {
            const secret = new JsonSecret("tls", {
                description: "d",
                kmsKeyArn: "arn:key",
                values: { b: "2", a: pulumi.secret("1") },
                tags: TAGS,
            });
            await settle(secret.versionId);
            const s = one("aws:secretsmanager/secret:Secret", "tls");
            assert.deepStrictEqual([s.kmsKeyId, s.recoveryWindowInDays, s.tags], ["arn:key", 30, TAGS]);
            const v = one("aws:secretsmanager/secretVersion:SecretVersion", "tls-value");
            assert.deepStrictEqual([v.secretId, v.secretString], ["tls-id", asSecret('{"a":"1","b":"2"}')]);
            assert.deepStrictEqual(secret.keys, ["a", "b"]);
            const ref = secret.ref("a");
            assert.deepStrictEqual(
                [await settle(pulumi.output(ref.secretArn)), ref.jsonKey, await settle(pulumi.output(ref.versionId!))],
                ["arn:aws:mock:sa-east-1:123456789012:tls", "a", "tls-value-v1"],
            );
            assert.throws(() => secret.ref("c"), { message: 'JsonSecret tls: no key "c"; it holds a, b' });
            assert.strictEqual(await new Promise((resolve) => (secret.versionId as any).isSecret.then(resolve)), false);
        });
        it("refuses bad keys and a recovery window AWS rejects", () => {
            assert.throws(
                () =>
                    new JsonSecret("bad-secret", {
                        description: "d",
                        kmsKeyArn: "k",
                        values: { "a-b": "x" },
                        recoveryWindowInDays: 3,
                        tags: TAGS,
                    }),
                {
                    message:
                        'JsonSecret bad-secret: values: key "a-b" must be 1-256 letters, digits and _; recoveryWindowInDays must be an integer from 7 to 30; got 3',
                },
            );
        });
    });
});
