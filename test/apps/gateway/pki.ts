/**
 * Test PKI for the gateway spec, made with the `openssl` CLI (OpenSSL 3.0 on Debian 12).
 *
 * - `ca`: the private CA the gateway trusts (EC P-256, self-signed, 2 days).
 * - `otherCa`: an unrelated CA; its client must be refused.
 * - `server`: RSA 2048 server certificate from `ca`, SAN DNS:localhost and IP:127.0.0.1.
 * - `client`: the valid webhook client (EC P-256, from `ca`, fixed serial 0x0A1B2C3D4E5F).
 * - `burstClient`: a second valid client, so the rate-limit test has its own bucket.
 * - `otherClient`: same subject as `client`, signed by `otherCa`.
 * - `expiredClient`: from `ca`, valid 2020-01-01 to 2020-01-02, made with `openssl ca`
 *   (`openssl x509` in 3.0 has no way to set a start date).
 * - `intermediate`: a CA signed by `ca` (pathlen 0), never in the gateway's bundle.
 * - `chainClient`: a client signed by `intermediate`; its `cert` is the chain it presents
 *   (leaf, then the intermediate).
 * - `crl(issuer, revoked)`: a CRL of `ca` or `intermediate` listing the named certificates, made
 *   with `openssl ca -revoke` and `-gencrl` as the revocation procedure in docs/mtls-api.md does.
 *
 * The expected DN strings are written out by hand (RFC 2253, as nginx >= 1.11.6 prints
 * `$ssl_client_s_dn`), not derived with openssl, so the test checks nginx's output format.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface KeyPair {
    /** Certificate, PEM. */
    readonly cert: string;
    /** Private key, PEM (PKCS#8). */
    readonly key: string;
}

export interface TestPki {
    readonly ca: KeyPair;
    readonly otherCa: KeyPair;
    readonly server: KeyPair;
    readonly client: KeyPair;
    readonly burstClient: KeyPair;
    readonly otherClient: KeyPair;
    readonly expiredClient: KeyPair;
    readonly intermediate: KeyPair;
    readonly chainClient: KeyPair;
    /** A PEM CRL issued by `issuer` that revokes the named certificates (none: an empty CRL). */
    crl(issuer: "ca" | "intermediate", revoked: CertName[]): string;
    /** `client`'s subject as nginx and the ALB print it (RFC 2253). */
    readonly clientSubjectDn: string;
    /** `ca`'s subject, i.e. `client`'s issuer, RFC 2253. */
    readonly caSubjectDn: string;
    /** `client`'s serial as nginx prints `$ssl_client_serial`: upper-case hex, no separators. */
    readonly clientSerial: string;
}

/** Certificates a test CRL can revoke (their files under the PKI directory). */
export type CertName = "client" | "burst-client" | "chain-client";

const ORG = "/C=BR/O=Acme Webhooks, Ltda";
const CLIENT_SERIAL = "0A1B2C3D4E5F";

/** Runs openssl with `args` in `dir`; throws with openssl's stderr when it fails. */
function openssl(dir: string, args: string[]): void {
    try {
        execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
    } catch (err) {
        const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
        throw new Error(`openssl ${args[0]} failed: ${stderr || String(err)}`, { cause: err });
    }
}

function read(dir: string, name: string): string {
    return fs.readFileSync(path.join(dir, name), "utf8");
}

function ecKey(dir: string, name: string): void {
    openssl(dir, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", `${name}.key`]);
}

function selfSignedCa(dir: string, name: string, subject: string): KeyPair {
    ecKey(dir, name);
    openssl(dir, [
        "req",
        "-x509",
        "-new",
        "-key",
        `${name}.key`,
        "-subj",
        subject,
        "-days",
        "2",
        "-sha256",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        `${name}.crt`,
    ]);
    return { cert: read(dir, `${name}.crt`), key: read(dir, `${name}.key`) };
}

/** Signs `name.csr` with CA `ca` using `openssl x509 -req`, extensions from `ext` lines. */
function sign(dir: string, name: string, ca: string, serial: string, ext: string[]): KeyPair {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext.join("\n") + "\n");
    openssl(dir, [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        `${ca}.crt`,
        "-CAkey",
        `${ca}.key`,
        "-set_serial",
        `0x${serial}`,
        "-days",
        "2",
        "-sha256",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.crt`,
    ]);
    return { cert: read(dir, `${name}.crt`), key: read(dir, `${name}.key`) };
}

const CLIENT_EXT = [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=clientAuth",
];

function client(dir: string, name: string, ca: string, cn: string, serial: string): KeyPair {
    ecKey(dir, name);
    openssl(dir, ["req", "-new", "-key", `${name}.key`, "-subj", `${ORG}/CN=${cn}`, "-out", `${name}.csr`]);
    return sign(dir, name, ca, serial, CLIENT_EXT);
}

/** An `openssl ca` configuration for CA `ca` with its own empty database; returns the config file name. */
function caConfig(dir: string, ca: string, db: string): string {
    const dbDir = path.join(dir, db);
    fs.mkdirSync(dbDir);
    fs.writeFileSync(path.join(dbDir, "index.txt"), "");
    fs.writeFileSync(path.join(dbDir, "serial"), "0E0E0E\n");
    fs.writeFileSync(path.join(dbDir, "crlnumber"), "01\n");
    fs.writeFileSync(
        path.join(dir, `${db}.cnf`),
        [
            "[ ca ]",
            "default_ca = test_ca",
            "[ test_ca ]",
            `dir = ${dbDir}`,
            "database = $dir/index.txt",
            "serial = $dir/serial",
            "crlnumber = $dir/crlnumber",
            "new_certs_dir = $dir",
            `certificate = ${path.join(dir, `${ca}.crt`)}`,
            `private_key = ${path.join(dir, `${ca}.key`)}`,
            "default_md = sha256",
            "default_crl_days = 2",
            "policy = policy_any",
            "unique_subject = no",
            "preserve = yes",
            "x509_extensions = client_ext",
            "[ policy_any ]",
            "countryName = optional",
            "organizationName = optional",
            "commonName = supplied",
            "[ client_ext ]",
            ...CLIENT_EXT,
            "",
        ].join("\n"),
    );
    return `${db}.cnf`;
}

let crls = 0;

/** `openssl ca -revoke` each named certificate in a fresh database of `issuer`, then `-gencrl`. */
function makeCrl(dir: string, issuer: string, revoked: CertName[]): string {
    const cnf = caConfig(dir, issuer, `crl-db-${++crls}`);
    for (const name of revoked) openssl(dir, ["ca", "-batch", "-config", cnf, "-revoke", `${name}.crt`]);
    openssl(dir, ["ca", "-batch", "-config", cnf, "-gencrl", "-out", `crl-${crls}.pem`]);
    return read(dir, `crl-${crls}.pem`);
}

/** Makes every certificate under `dir` (which must exist and be empty). About 0.3 s. */
export function makeTestPki(dir: string): TestPki {
    const ca = selfSignedCa(dir, "ca", `${ORG}/CN=mtls-api test CA`);
    const otherCa = selfSignedCa(dir, "other-ca", "/C=US/O=Somebody Else/CN=other CA");

    openssl(dir, [
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-subj",
        `${ORG}/CN=localhost`,
        "-out",
        "server.csr",
    ]);
    const server = sign(dir, "server", "ca", "1001", [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]);

    const validClient = client(dir, "client", "ca", "webhook-client-1", CLIENT_SERIAL);
    const burstClient = client(dir, "burst-client", "ca", "webhook-client-burst", "0B0B0B");
    const otherClient = client(dir, "other-client", "other-ca", "webhook-client-1", CLIENT_SERIAL);

    // An intermediate CA under `ca` (never in the gateway's bundle) and a client it signed.
    ecKey(dir, "intermediate");
    openssl(dir, [
        "req",
        "-new",
        "-key",
        "intermediate.key",
        "-subj",
        `${ORG}/CN=mtls-api test intermediate CA`,
        "-out",
        "intermediate.csr",
    ]);
    const intermediate = sign(dir, "intermediate", "ca", "1C1C1C", [
        "basicConstraints=critical,CA:TRUE,pathlen:0",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    const chainLeaf = client(dir, "chain-client", "intermediate", "webhook-client-chain", "0C0C0C");
    const chainClient = { cert: chainLeaf.cert + intermediate.cert, key: chainLeaf.key };

    // Expired: `openssl ca` is the OpenSSL 3.0 way to choose explicit validity dates.
    ecKey(dir, "expired-client");
    openssl(dir, [
        "req",
        "-new",
        "-key",
        "expired-client.key",
        "-subj",
        `${ORG}/CN=webhook-client-expired`,
        "-out",
        "expired-client.csr",
    ]);
    const caCnf = caConfig(dir, "ca", "ca-db");
    openssl(dir, [
        "ca",
        "-batch",
        "-notext",
        "-config",
        caCnf,
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20200102000000Z",
        "-in",
        "expired-client.csr",
        "-out",
        "expired-client.crt",
    ]);
    const expiredClient = { cert: read(dir, "expired-client.crt"), key: read(dir, "expired-client.key") };

    return {
        ca,
        otherCa,
        server,
        client: validClient,
        burstClient,
        otherClient,
        expiredClient,
        intermediate,
        chainClient,
        crl: (issuer, revoked) => makeCrl(dir, issuer, revoked),
        clientSubjectDn: "CN=webhook-client-1,O=Acme Webhooks\\, Ltda,C=BR",
        caSubjectDn: "CN=mtls-api test CA,O=Acme Webhooks\\, Ltda,C=BR",
        clientSerial: CLIENT_SERIAL,
    };
}
