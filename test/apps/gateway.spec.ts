/**
 * The nginx mutual-TLS gateway (apps/gateway), tested for real: nginx on 127.0.0.1 started by
 * the container's own entrypoint.sh, certificates made with openssl, a recording upstream
 * reached through a DNS name (a loopback DNS server stands in for Cloud Map), and clients
 * that are good, bad and spoofing. Both edge modes (nlb, alb) are covered.
 *
 * Needs `nginx` and `openssl` (Debian: `apt-get install -y --no-install-recommends nginx openssl`).
 * Without nginx the suite is skipped with a message, unless CI is set: then it fails.
 * When the test runs as root, the gateway runs as uid 65534 through setpriv, since the
 * entrypoint (like the image) refuses root.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DnsServer,
    ENTRYPOINT,
    Gateway,
    Response,
    Upstream,
    UpstreamRequest,
    findExecutable,
    findNginx,
    freePorts,
    httpGet,
    httpsRequest,
    isRoot,
    newRuntimeDir,
    runEntrypoint,
    startDns,
    startGateway,
    startTls11Server,
    startUpstream,
    tlsHandshake,
} from "./gateway/harness";
import { TestPki, makeTestPki } from "./gateway/pki";

const GATEWAY_DIR = path.resolve(__dirname, "../../apps/gateway");
const API_HOST = "api.mtls-api.local";
/** Small limits so the tests can cross them quickly. */
const BODY_LIMIT_BYTES = 1024;
const RATE_LIMIT_BURST = 20;

const CLIENT_HEADERS = ["x-client-s-dn", "x-client-i-dn", "x-client-serial", "x-client-verify"] as const;

function ciIsSet(): boolean {
    const ci = process.env.CI;
    return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/** How many times header `name` (case-insensitive) appears in a received request. */
function headerCount(req: UpstreamRequest, name: string): number {
    let n = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === name) n++;
    return n;
}

/** The four X-Client-* headers as the upstream received them, each required to appear exactly once. */
function clientHeaders(req: UpstreamRequest): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of CLIENT_HEADERS) {
        assert.equal(headerCount(req, name), 1, `${name} must reach the upstream exactly once`);
        out[name] = req.headers[name] as string;
    }
    return out;
}

function onlyRequest(upstream: Upstream): UpstreamRequest {
    assert.equal(upstream.requests.length, 1, `upstream must see exactly one request, saw ${upstream.requests.length}`);
    return upstream.requests[0];
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 2000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}

describe("apps/gateway: nginx mutual-TLS gateway on loopback", function () {
    this.timeout(20_000);

    let workDir = "";
    let pki: TestPki;
    let upstream: Upstream | undefined;
    let dns: DnsServer | undefined;
    const gateways: Gateway[] = [];
    const runtimeDirs: string[] = [];

    /** Environment shared by every gateway in this file. */
    function baseEnv(
        mode: "nlb" | "alb",
        ports: { tls: number; http: number; health: number },
        runtimeDir: string,
    ): Record<string, string> {
        runtimeDirs.push(runtimeDir);
        return {
            GATEWAY_MODE: mode,
            API_UPSTREAM: `${API_HOST}:${upstream!.port}`,
            DNS_RESOLVER: dns!.address,
            DNS_RESOLVER_VALID: "1s",
            GATEWAY_LISTEN_ADDRESS: "127.0.0.1",
            GATEWAY_TLS_PORT: String(ports.tls),
            GATEWAY_HTTP_PORT: String(ports.http),
            GATEWAY_HEALTH_PORT: String(ports.health),
            GATEWAY_CLIENT_MAX_BODY_SIZE: "1k",
            GATEWAY_RATE_LIMIT: "2r/s",
            GATEWAY_RATE_LIMIT_BURST: String(RATE_LIMIT_BURST),
            GATEWAY_WORKER_PROCESSES: "1",
            GATEWAY_LOG_LEVEL: "warn",
            GATEWAY_RUNTIME_DIR: runtimeDir,
            GATEWAY_TLS_CERT_PEM: pki.server.cert,
            GATEWAY_TLS_KEY_PEM: pki.server.key,
            ...(mode === "nlb" ? { GATEWAY_CLIENT_CA_PEM: pki.ca.cert } : {}),
        };
    }

    before(async function () {
        if (findNginx() === undefined) {
            if (ciIsSet()) {
                throw new Error(
                    "nginx is not installed but CI is set: the gateway test must run in CI (apt-get install -y nginx)",
                );
            }
            console.warn(
                "    [skipped] nginx is not installed (Debian: apt-get install -y --no-install-recommends nginx); set CI=true to make this a failure",
            );
            this.skip();
        }
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-spec-"));
        pki = makeTestPki(workDir);
        upstream = await startUpstream();
        dns = await startDns({ [API_HOST]: "127.0.0.1" }, 1);
    });

    after(async function () {
        for (const g of gateways) await g.stop();
        await upstream?.stop();
        await dns?.stop();
        for (const dir of runtimeDirs) fs.rmSync(dir, { recursive: true, force: true });
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    beforeEach(() => upstream?.clear());

    // ================================================================ nlb mode
    describe("nlb mode (nginx terminates TLS and verifies the client certificate)", () => {
        let gw: Gateway;
        let ports: { tls: number; http: number; health: number };

        before(async () => {
            const [tlsPort, httpPort, healthPort] = await freePorts(3);
            ports = { tls: tlsPort, http: httpPort, health: healthPort };
            gw = await startGateway({
                env: baseEnv("nlb", ports, newRuntimeDir("nlb")),
                healthPort,
                workDir,
                name: "nlb",
            });
            gateways.push(gw);
        });

        const get = (opts: Partial<Parameters<typeof httpsRequest>[0]> = {}): Promise<Response> =>
            httpsRequest({
                port: ports.tls,
                ca: pki.ca.cert,
                client: pki.client,
                path: "/webhooks/orders?id=7",
                ...opts,
            });

        it("valid client certificate: 200, and the API receives the four X-Client-* headers with nginx's values", async () => {
            const res = await get({ method: "POST", body: "{}", headers: { "content-type": "application/json" } });
            assert.equal(res.status, 200);
            const req = onlyRequest(upstream!);
            assert.equal(req.method, "POST");
            assert.equal(req.url, "/webhooks/orders?id=7");
            assert.deepEqual(clientHeaders(req), {
                "x-client-s-dn": "CN=webhook-client-1,O=Acme Webhooks\\, Ltda,C=BR",
                "x-client-i-dn": "CN=mtls-api test CA,O=Acme Webhooks\\, Ltda,C=BR",
                "x-client-serial": "0A1B2C3D4E5F",
                "x-client-verify": "SUCCESS",
            });
            assert.equal(req.headers["x-forwarded-proto"], "https");
            assert.equal(req.headers["x-forwarded-for"], "127.0.0.1");
            assert.equal(req.headers["x-real-ip"], "127.0.0.1");
            assert.equal(
                req.headers.host,
                "127.0.0.1",
                "nginx's $host: the name without the port (the NLB listens on 443)",
            );
            assert.match(String(req.headers["x-request-id"]), /^[0-9a-f]{32}$/);
            assert.equal(res.headers["strict-transport-security"], "max-age=31536000");
            assert.equal(res.headers.server, "nginx", "server_tokens off: no version in the Server header");
        });

        it("the Cloud Map name is resolved through DNS_RESOLVER at request time and re-resolved after the TTL", async () => {
            const before = dns!.queries.filter((q) => q === API_HOST).length;
            assert.ok(before >= 1, "the first proxied request must have asked the resolver for the API's name");
            await new Promise((r) => setTimeout(r, 2100)); // valid=1s, and nginx's clock has 1 s steps
            assert.equal((await get()).status, 200);
            assert.ok(
                dns!.queries.filter((q) => q === API_HOST).length > before,
                "a request after the TTL must resolve again",
            );
        });

        it("no client certificate: 400 'No required SSL certificate was sent', the API sees nothing", async () => {
            const res = await get({ client: undefined });
            assert.equal(res.status, 400);
            assert.match(res.body, /No required SSL certificate was sent/);
            assert.equal(upstream!.requests.length, 0);
        });

        it("client certificate from another CA: 400 certificate error, the API sees nothing", async () => {
            const res = await get({ client: pki.otherClient });
            assert.equal(res.status, 400);
            assert.match(res.body, /The SSL certificate error/);
            assert.equal(upstream!.requests.length, 0);
        });

        it("expired client certificate: 400 certificate error, the API sees nothing", async () => {
            const res = await get({ client: pki.expiredClient });
            assert.equal(res.status, 400);
            assert.match(res.body, /The SSL certificate error/);
            assert.equal(upstream!.requests.length, 0);
        });

        it("TLS 1.3 and TLS 1.2 (ECDHE + AEAD) are accepted", async () => {
            const v13 = await get({ minVersion: "TLSv1.3", maxVersion: "TLSv1.3" });
            assert.equal(v13.status, 200);
            assert.equal(v13.protocol, "TLSv1.3");
            const v12 = await get({ minVersion: "TLSv1.2", maxVersion: "TLSv1.2" });
            assert.equal(v12.status, 200);
            assert.equal(v12.protocol, "TLSv1.2");
            assert.match(String(v12.cipher), /^ECDHE-RSA-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
            assert.equal(upstream!.requests.length, 2);
        });

        it("TLS 1.2 with a CBC (non-AEAD) suite is refused in the handshake", async () => {
            await assert.rejects(
                tlsHandshake({
                    port: ports.tls,
                    ca: pki.ca.cert,
                    client: pki.client,
                    minVersion: "TLSv1.2",
                    maxVersion: "TLSv1.2",
                    ciphers: "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384",
                }),
                /handshake failure|no shared cipher/i,
            );
        });

        it("TLS 1.1 is refused in the handshake (and the same client does speak TLS 1.1 to a server that allows it)", async () => {
            const tls11 = { minVersion: "TLSv1.1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" } as const;
            const control = await startTls11Server(pki.server);
            try {
                assert.equal(await tlsHandshake({ port: control.port, ca: pki.ca.cert, ...tls11 }), "TLSv1.1");
            } finally {
                await control.stop();
            }
            await assert.rejects(
                tlsHandshake({ port: ports.tls, ca: pki.ca.cert, client: pki.client, ...tls11 }),
                /protocol version|unsupported protocol|wrong version number/i,
            );
            assert.equal(upstream!.requests.length, 0);
        });

        it("spoofed X-Client-* (any case, repeated, underscored) and forwarding headers never reach the API", async () => {
            const res = await get({
                headers: {
                    "X-Client-S-DN": "CN=admin,O=Evil",
                    "x-client-i-dn": "CN=Evil CA",
                    "X-CLIENT-SERIAL": "00",
                    "X-Client-Verify": ["SUCCESS", "SUCCESS"],
                    X_Client_S_DN: "CN=admin-underscore",
                    "X-Forwarded-For": "6.6.6.6",
                    "X-Real-IP": "6.6.6.6",
                    Forwarded: "for=6.6.6.6",
                    "X-Amzn-Mtls-Clientcert-Subject": "CN=admin",
                    "X-Request-ID": "attacker-chosen",
                },
            });
            assert.equal(res.status, 200);
            const req = onlyRequest(upstream!);
            assert.deepEqual(clientHeaders(req), {
                "x-client-s-dn": pki.clientSubjectDn,
                "x-client-i-dn": pki.caSubjectDn,
                "x-client-serial": pki.clientSerial,
                "x-client-verify": "SUCCESS",
            });
            assert.equal(headerCount(req, "x_client_s_dn"), 0);
            assert.equal(req.headers["x-forwarded-for"], "127.0.0.1");
            assert.equal(req.headers["x-real-ip"], "127.0.0.1");
            assert.equal(req.headers.forwarded, undefined);
            assert.equal(req.headers["x-amzn-mtls-clientcert-subject"], undefined);
            assert.notEqual(req.headers["x-request-id"], "attacker-chosen");
        });

        it("plain HTTP port answers 301 to https on the same host, path and query", async () => {
            const res = await httpGet({
                port: ports.http,
                path: "/webhooks/orders?id=7",
                headers: { host: "api.example.com" },
            });
            assert.equal(res.status, 301);
            assert.equal(res.headers.location, "https://api.example.com/webhooks/orders?id=7");
            assert.equal(upstream!.requests.length, 0);
        });

        it("health endpoint answers 200 'ok' over plain HTTP without a certificate; other paths 404", async () => {
            const res = await httpGet({ port: ports.health, path: "/healthz" });
            assert.equal(res.status, 200);
            assert.equal(res.body, "ok");
            assert.equal((await httpGet({ port: ports.health, path: "/" })).status, 404);
            assert.equal(upstream!.requests.length, 0);
        });

        it("request body over GATEWAY_CLIENT_MAX_BODY_SIZE: 413, the API sees nothing; at the limit: forwarded", async () => {
            const tooBig = await get({ method: "POST", body: Buffer.alloc(BODY_LIMIT_BYTES * 4, 0x61) });
            assert.equal(tooBig.status, 413);
            assert.equal(upstream!.requests.length, 0);
            const fits = await get({ method: "POST", body: Buffer.alloc(BODY_LIMIT_BYTES, 0x61) });
            assert.equal(fits.status, 200);
            assert.equal(onlyRequest(upstream!).bodyLength, BODY_LIMIT_BYTES);
        });

        it("rate limit per client certificate: 429 after the burst, rejected requests never reach the API, other clients unaffected", async () => {
            const statuses: number[] = [];
            for (let i = 0; i < RATE_LIMIT_BURST + 10; i++) {
                const res = await get({ client: pki.burstClient, path: "/burst" });
                statuses.push(res.status);
                if (res.status === 429) break;
            }
            const firstLimited = statuses.indexOf(429);
            assert.ok(
                firstLimited > RATE_LIMIT_BURST,
                `at least burst+1 requests pass before 429 (got ${statuses.join(",")})`,
            );
            assert.ok(
                firstLimited <= RATE_LIMIT_BURST + 3,
                `429 must come right after the burst (got ${statuses.join(",")})`,
            );
            assert.equal(upstream!.requests.length, firstLimited, "only the admitted requests reach the API");
            assert.equal((await get()).status, 200, "the limit is per client certificate");
        });

        it("writes one JSON access-log line per request to stdout, with the client identity and no query string", async () => {
            await get({ path: "/webhooks/logged?token=secret" });
            const line = await waitFor("the access-log line", () =>
                gw
                    .stdout()
                    .split("\n")
                    .find((l) => l.includes('"/webhooks/logged"')),
            );
            const entry = JSON.parse(line) as Record<string, unknown>;
            assert.equal(entry.status, 200);
            assert.equal(entry.method, "GET");
            assert.equal(entry.path, "/webhooks/logged");
            assert.equal(entry.client_s_dn, pki.clientSubjectDn);
            assert.equal(entry.client_verify, "SUCCESS");
            assert.match(String(entry.tls_protocol), /^TLSv1\.[23]$/);
            assert.ok(!line.includes("secret"), "the query string is not logged");
        });

        it("TLS material: files 0600 in a 0700 directory, owned by the gateway user, never in the configuration", () => {
            const tlsDir = path.join(gw.runtimeDir, "tls");
            assert.equal(fs.statSync(tlsDir).mode & 0o777, 0o700);
            for (const file of ["server.crt", "server.key", "client-ca.crt"]) {
                const st = fs.statSync(path.join(tlsDir, file));
                assert.equal(st.mode & 0o777, 0o600, file);
                if (isRoot()) assert.equal(st.uid, 65534, file);
            }
            assert.equal(fs.readFileSync(path.join(tlsDir, "server.key"), "utf8"), pki.server.key);
            assert.equal(fs.readFileSync(path.join(tlsDir, "client-ca.crt"), "utf8"), pki.ca.cert);
            assert.ok(!gw.stderr().includes("PRIVATE KEY"));
            assert.ok(!gw.stdout().includes("PRIVATE KEY"));
        });
    });

    // ================================================================ CA rotation
    describe("nlb mode with a two-CA bundle (CA rotation)", () => {
        it("accepts clients of both CAs while the bundle holds both", async () => {
            const [tlsPort, httpPort, healthPort] = await freePorts(3);
            const env = baseEnv("nlb", { tls: tlsPort, http: httpPort, health: healthPort }, newRuntimeDir("rotation"));
            env.GATEWAY_CLIENT_CA_PEM = pki.ca.cert + pki.otherCa.cert;
            const gw = await startGateway({ env, healthPort, workDir, name: "rotation" });
            gateways.push(gw);
            for (const client of [pki.client, pki.otherClient]) {
                const res = await httpsRequest({ port: tlsPort, ca: pki.ca.cert, client, path: "/rotation" });
                assert.equal(res.status, 200);
            }
            assert.deepEqual(
                upstream!.requests.map((r) => r.headers["x-client-i-dn"]),
                [pki.caSubjectDn, "CN=other CA,O=Somebody Else,C=US"],
            );
            const expired = await httpsRequest({
                port: tlsPort,
                ca: pki.ca.cert,
                client: pki.expiredClient,
                path: "/rotation",
            });
            assert.equal(expired.status, 400);
        });
    });

    // ================================================================ chain depth and revocation
    describe("nlb mode: client chain depth (OpenSSL verify depth) and revocation (ssl_crl)", () => {
        /** Starts an nlb gateway with `extra` environment; returns its TLS port. */
        async function gatewayWith(name: string, extra: Record<string, string>): Promise<number> {
            const [tlsPort, httpPort, healthPort] = await freePorts(3);
            const env = baseEnv("nlb", { tls: tlsPort, http: httpPort, health: healthPort }, newRuntimeDir(name));
            const gw = await startGateway({ env: { ...env, ...extra }, healthPort, workDir, name });
            gateways.push(gw);
            return tlsPort;
        }
        const status = async (port: number, client: { cert: string; key: string }) =>
            (await httpsRequest({ port, ca: pki.ca.cert, client, path: "/chain" })).status;

        it("by default (depth 0) refuses a client signed by an intermediate the bundle does not hold, even when it sends the intermediate", async () => {
            const port = await gatewayWith("depth-default", {});
            const res = await httpsRequest({ port, ca: pki.ca.cert, client: pki.chainClient, path: "/chain" });
            assert.equal(res.status, 400);
            assert.match(res.body, /The SSL certificate error/);
            assert.equal(await status(port, pki.client), 200, "a client signed directly by a bundle CA is admitted");
            assert.deepEqual(
                upstream!.requests.map((r) => r.headers["x-client-s-dn"]),
                [pki.clientSubjectDn],
            );
        });

        it("GATEWAY_SSL_VERIFY_DEPTH=1 admits exactly one intermediate (the client sends it)", async () => {
            const port = await gatewayWith("depth-1", { GATEWAY_SSL_VERIFY_DEPTH: "1" });
            assert.equal(await status(port, pki.chainClient), 200);
            assert.deepEqual(clientHeaders(onlyRequest(upstream!)), {
                "x-client-s-dn": "CN=webhook-client-chain,O=Acme Webhooks\\, Ltda,C=BR",
                "x-client-i-dn": "CN=mtls-api test intermediate CA,O=Acme Webhooks\\, Ltda,C=BR",
                "x-client-serial": "0C0C0C",
                "x-client-verify": "SUCCESS",
            });
        });

        it("refuses a revoked client certificate and admits the others (CRL of the bundle's CA)", async () => {
            const port = await gatewayWith("crl", { GATEWAY_CLIENT_CRL_PEM: pki.crl("ca", ["client"]) });
            const revoked = await httpsRequest({ port, ca: pki.ca.cert, client: pki.client, path: "/chain" });
            assert.equal(revoked.status, 400);
            assert.match(revoked.body, /The SSL certificate error/);
            assert.equal(await status(port, pki.burstClient), 200, "a certificate the CRL does not list");
            assert.deepEqual(
                upstream!.requests.map((r) => r.headers["x-client-serial"]),
                ["0B0B0B"],
            );
        });

        it("with ssl_crl every CA of the chain needs its CRL (CRL_CHECK_ALL): an intermediate without one is refused", async () => {
            const rootOnly = await gatewayWith("crl-root-only", {
                GATEWAY_SSL_VERIFY_DEPTH: "1",
                GATEWAY_CLIENT_CRL_PEM: pki.crl("ca", []),
            });
            assert.equal(await status(rootOnly, pki.chainClient), 400, "no CRL of the intermediate");
            assert.equal(await status(rootOnly, pki.client), 200, "a direct client needs the bundle CA's CRL only");

            const both = await gatewayWith("crl-both", {
                GATEWAY_SSL_VERIFY_DEPTH: "1",
                GATEWAY_CLIENT_CRL_PEM: pki.crl("ca", []) + pki.crl("intermediate", []),
            });
            assert.equal(await status(both, pki.chainClient), 200);

            const revokedBelow = await gatewayWith("crl-intermediate", {
                GATEWAY_SSL_VERIFY_DEPTH: "1",
                GATEWAY_CLIENT_CRL_PEM: pki.crl("ca", []) + pki.crl("intermediate", ["chain-client"]),
            });
            assert.equal(await status(revokedBelow, pki.chainClient), 400, "revoked by the intermediate's CRL");
        });
    });

    // ================================================================ alb mode
    describe("alb mode (the ALB verifies the certificate and forwards X-Amzn-Mtls-* headers)", () => {
        let ports: { tls: number; http: number; health: number };
        /** What an ALB listener in mutual-TLS verify mode adds for `pki.client`. */
        let albHeaders: Record<string, string>;

        before(async () => {
            const [tlsPort, httpPort, healthPort] = await freePorts(3);
            ports = { tls: tlsPort, http: httpPort, health: healthPort };
            const env = baseEnv("alb", ports, newRuntimeDir("alb"));
            gateways.push(await startGateway({ env, healthPort, workDir, name: "alb" }));
            albHeaders = {
                "X-Amzn-Mtls-Clientcert-Subject": pki.clientSubjectDn,
                "X-Amzn-Mtls-Clientcert-Issuer": pki.caSubjectDn,
                "X-Amzn-Mtls-Clientcert-Serial-Number": pki.clientSerial,
                "X-Amzn-Mtls-Clientcert-Validity": "NotBefore=2026-01-01T00:00:00Z;NotAfter=2027-01-01T00:00:00Z",
                "X-Amzn-Mtls-Clientcert-Leaf": encodeURIComponent(pki.client.cert),
                "X-Forwarded-For": "198.51.100.7, 203.0.113.9",
            };
        });

        // The ALB connects without a client certificate: nginx must not ask for one.
        const get = (headers: Record<string, string | string[]>, p = "/webhooks/alb"): Promise<Response> =>
            httpsRequest({ port: ports.tls, ca: pki.ca.cert, path: p, headers });

        it("request with the ALB's verified-certificate headers: 200, mapped to the four X-Client-* headers", async () => {
            const res = await get(albHeaders);
            assert.equal(res.status, 200);
            const req = onlyRequest(upstream!);
            assert.deepEqual(clientHeaders(req), {
                "x-client-s-dn": pki.clientSubjectDn,
                "x-client-i-dn": pki.caSubjectDn,
                "x-client-serial": pki.clientSerial,
                "x-client-verify": "SUCCESS",
            });
            for (const name of Object.keys(req.headers)) {
                assert.ok(!name.startsWith("x-amzn-mtls-"), `${name} must not reach the API`);
            }
            assert.equal(req.headers["x-forwarded-for"], "198.51.100.7, 203.0.113.9", "the ALB's chain is passed on");
            assert.equal(req.headers["x-real-ip"], "203.0.113.9", "the right-most entry, added by the ALB");
            assert.equal(res.headers["strict-transport-security"], "max-age=31536000");
        });

        for (const missing of [
            "X-Amzn-Mtls-Clientcert-Subject",
            "X-Amzn-Mtls-Clientcert-Issuer",
            "X-Amzn-Mtls-Clientcert-Serial-Number",
            "X-Amzn-Mtls-Clientcert-Leaf",
        ]) {
            it(`without ${missing}: 403, the API sees nothing`, async () => {
                const headers = { ...albHeaders };
                delete headers[missing];
                assert.equal((await get(headers)).status, 403);
                assert.equal(upstream!.requests.length, 0);
            });
        }

        it("without any ALB header but with spoofed X-Client-* headers: 403, the API sees nothing", async () => {
            const res = await get({ "X-Client-S-DN": pki.clientSubjectDn, "X-Client-Verify": "SUCCESS" });
            assert.equal(res.status, 403);
            assert.equal(upstream!.requests.length, 0);
        });

        it("spoofed X-Client-* headers next to the ALB's are replaced by the ALB's values", async () => {
            const res = await get({
                ...albHeaders,
                "X-Client-S-DN": "CN=admin",
                "X-Client-I-DN": "CN=Evil CA",
                "X-Client-Serial": "00",
                "X-Client-Verify": ["FAILED", "SUCCESS"],
            });
            assert.equal(res.status, 200);
            assert.deepEqual(clientHeaders(onlyRequest(upstream!)), {
                "x-client-s-dn": pki.clientSubjectDn,
                "x-client-i-dn": pki.caSubjectDn,
                "x-client-serial": pki.clientSerial,
                "x-client-verify": "SUCCESS",
            });
        });

        it("no plain-HTTP listener (the ALB redirects port 80 itself)", async () => {
            await assert.rejects(httpGet({ port: ports.http, path: "/" }), /ECONNREFUSED/);
        });

        it("health endpoint answers 200 'ok' without a certificate", async () => {
            const res = await httpGet({ port: ports.health, path: "/healthz" });
            assert.equal(res.status, 200);
            assert.equal(res.body, "ok");
        });

        it("TLS 1.1 is refused in the handshake", async () => {
            await assert.rejects(
                tlsHandshake({
                    port: ports.tls,
                    ca: pki.ca.cert,
                    minVersion: "TLSv1.1",
                    maxVersion: "TLSv1.1",
                    ciphers: "DEFAULT@SECLEVEL=0",
                }),
                /protocol version|unsupported protocol|wrong version number/i,
            );
        });
    });

    // ================================================================ entrypoint
    describe("entrypoint.sh validation", () => {
        it("rejects bad values, listing every problem once, and never prints the PEM material", async () => {
            const env = baseEnv("nlb", { tls: 8443, http: 8443, health: 8081 }, newRuntimeDir("invalid"));
            Object.assign(env, {
                API_UPSTREAM: "api.local:8000; include /etc/passwd",
                GATEWAY_CLIENT_MAX_BODY_SIZE: "0",
                GATEWAY_RATE_LIMIT: "fast",
                GATEWAY_CLIENT_CA_PEM: "not a pem",
            });
            const res = await runEntrypoint(["check"], env);
            assert.equal(res.code, 1);
            const lines = res.stderr.trim().split("\n");
            assert.deepEqual(lines, [
                "gateway: invalid configuration:",
                "  - API_UPSTREAM='api.local:8000; include /etc/passwd' must be host:port (e.g. api.mtls-api.local:8000)",
                "  - GATEWAY_TLS_PORT, GATEWAY_HTTP_PORT (nlb mode) and GATEWAY_HEALTH_PORT must differ",
                "  - GATEWAY_CLIENT_MAX_BODY_SIZE='0' must be a non-zero nginx size such as 1m or 512k (0 would disable the limit)",
                "  - GATEWAY_RATE_LIMIT='fast' must be an nginx rate such as 10r/s or 600r/m",
                "  - GATEWAY_CLIENT_CA_PEM is required in nlb mode: the CA bundle that signs client certificates, in PEM",
            ]);
            assert.ok(!res.stderr.includes("PRIVATE KEY"));
            assert.ok(!fs.existsSync(env.GATEWAY_RUNTIME_DIR), "nothing is written when validation fails");
        });

        it("rejects a verify depth above 9, a CRL that is not PEM, and a CRL in alb mode", async () => {
            const nlb = baseEnv("nlb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("invalid-crl"));
            const res = await runEntrypoint(["check"], {
                ...nlb,
                GATEWAY_SSL_VERIFY_DEPTH: "10",
                GATEWAY_CLIENT_CRL_PEM: "not a crl",
            });
            assert.equal(res.code, 1);
            assert.deepEqual(res.stderr.trim().split("\n"), [
                "gateway: invalid configuration:",
                "  - GATEWAY_SSL_VERIFY_DEPTH='10' must be a number of intermediate CAs from 0 to 9 (0 = signed directly by a CA in the bundle)",
                "  - GATEWAY_CLIENT_CRL_PEM must be empty or PEM certificate revocation lists (-----BEGIN X509 CRL-----), one per CA",
            ]);
            const alb = baseEnv("alb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("invalid-crl-alb"));
            const albRes = await runEntrypoint(["check"], { ...alb, GATEWAY_CLIENT_CRL_PEM: pki.crl("ca", []) });
            assert.equal(albRes.code, 1);
            assert.deepEqual(albRes.stderr.trim().split("\n"), [
                "gateway: invalid configuration:",
                "  - GATEWAY_CLIENT_CRL_PEM applies to nlb mode only (in alb mode the trust store holds the revocation lists)",
            ]);
        });

        it("writes the revocation list 0600 and points ssl_crl at it when GATEWAY_CLIENT_CRL_PEM is set", async () => {
            const env = baseEnv("nlb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("render-crl"));
            const crl = pki.crl("ca", ["client"]);
            const res = await runEntrypoint(["check"], { ...env, GATEWAY_CLIENT_CRL_PEM: crl });
            assert.equal(res.code, 0, res.stderr);
            const file = path.join(env.GATEWAY_RUNTIME_DIR, "tls", "client-crl.pem");
            assert.equal(fs.readFileSync(file, "utf8"), crl);
            assert.equal(fs.statSync(file).mode & 0o777, 0o600);
            assert.equal(
                fs.readFileSync(path.join(env.GATEWAY_RUNTIME_DIR, "conf", "crl.conf"), "utf8"),
                `ssl_crl ${file};\n`,
            );
        });

        it("check mode renders and validates both modes with the default ports", async () => {
            for (const mode of ["nlb", "alb"] as const) {
                const env = baseEnv(mode, { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir(`check-${mode}`));
                const res = await runEntrypoint(["check"], env);
                assert.equal(res.code, 0, res.stderr);
                assert.equal(res.stderr.trim(), `gateway: configuration for mode ${mode} is valid`);
                const conf = (file: string): string =>
                    fs.readFileSync(path.join(env.GATEWAY_RUNTIME_DIR, "conf", file), "utf8");
                const directive = (file: string, line: string): void =>
                    assert.match(
                        conf(file),
                        new RegExp(`^\\s*${line.replace(/\s+/g, "\\s+")};`, "m"),
                        `${file}: ${line};`,
                    );
                // Directives whose effect the loopback tests cannot observe in a few seconds.
                for (const line of [
                    "sendfile on",
                    "tcp_nopush on",
                    "server_tokens off",
                    "access_log /dev/stdout gateway_json",
                ]) {
                    directive("nginx.conf", line);
                }
                for (const line of ["proxy_connect_timeout 30s", "proxy_send_timeout 30s", "proxy_read_timeout 30s"]) {
                    directive("proxy.conf", line);
                }
                for (const line of [
                    "ssl_protocols TLSv1.2 TLSv1.3",
                    "ssl_session_tickets off",
                    "ssl_prefer_server_ciphers off",
                ]) {
                    directive("tls.conf", line);
                }
                const edge = conf("edge.conf");
                assert.equal(/^\s*ssl_verify_client on;/m.test(edge), mode === "nlb");
                assert.equal(/^\s*ssl_verify_depth 0;/m.test(edge), mode === "nlb", "direct clients only by default");
                assert.equal(
                    /^\s*include \S+\/conf\/crl\.conf;/m.test(edge),
                    mode === "nlb",
                    "the revocation list is included in nlb mode",
                );
                assert.equal(
                    conf("crl.conf"),
                    "# no client certificate revocation list (GATEWAY_CLIENT_CRL_PEM is empty)\n",
                );
                assert.equal(
                    edge.includes("listen 127.0.0.1:8080"),
                    mode === "nlb",
                    "the redirect server exists in nlb mode only",
                );
                for (const file of fs.readdirSync(path.join(env.GATEWAY_RUNTIME_DIR, "conf"))) {
                    const text = fs.readFileSync(path.join(env.GATEWAY_RUNTIME_DIR, "conf", file), "utf8");
                    assert.ok(!/\$\{[A-Z_]+\}/.test(text), `${file}: every \${VAR} is substituted`);
                    assert.ok(!text.includes("BEGIN"), `${file}: no PEM material in the configuration`);
                }
            }
        });

        it("execs `nginx -g 'daemon off;'` on the rendered configuration, with the PEM variables removed from its environment", async () => {
            // A stand-in nginx first on PATH records how the entrypoint calls it (the real nginx
            // rewrites its environment area with the process title, so /proc/<pid>/environ cannot tell).
            const stubDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-stub-"));
            try {
                fs.chmodSync(stubDir, 0o755);
                fs.writeFileSync(
                    path.join(stubDir, "nginx"),
                    '#!/bin/sh\nfor a in "$@"; do [ "$a" = -t ] && exit 0; done\nenv > "$GATEWAY_RUNTIME_DIR/stub-env"\nprintf \'%s\\n\' "$@" > "$GATEWAY_RUNTIME_DIR/stub-args"\n',
                    { mode: 0o755 },
                );
                const env = baseEnv("nlb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("exec"));
                env.PATH = `${stubDir}:${process.env.PATH ?? "/usr/bin:/bin"}`;
                env.GATEWAY_CLIENT_CRL_PEM = pki.crl("ca", []);
                const res = await runEntrypoint([], env);
                assert.equal(res.code, 0, res.stderr);
                const dir = env.GATEWAY_RUNTIME_DIR;
                assert.deepEqual(fs.readFileSync(path.join(dir, "stub-args"), "utf8").split("\n").slice(0, -1), [
                    "-e",
                    "stderr",
                    "-p",
                    `${dir}/`,
                    "-c",
                    `${dir}/conf/nginx.conf`,
                    "-g",
                    "daemon off;",
                ]);
                const stubEnv = fs.readFileSync(path.join(dir, "stub-env"), "utf8");
                assert.ok(stubEnv.includes("GATEWAY_MODE=nlb"), "the stub saw the environment");
                for (const name of [
                    "GATEWAY_TLS_CERT_PEM",
                    "GATEWAY_TLS_KEY_PEM",
                    "GATEWAY_CLIENT_CA_PEM",
                    "GATEWAY_CLIENT_CRL_PEM",
                ]) {
                    assert.ok(!stubEnv.includes(name), `${name} is unset before exec nginx`);
                }
                assert.ok(!stubEnv.includes("BEGIN"), "no PEM material in nginx's environment");
            } finally {
                fs.rmSync(stubDir, { recursive: true, force: true });
            }
        });

        it("runs under busybox ash, the image's shell and tools (when busybox is installed)", async function () {
            const busybox = findExecutable("busybox");
            if (busybox === undefined) this.skip(); // Debian: apt-get install -y busybox
            // Busybox applets (grep, dirname, id, mkdir, ...) first on PATH, as on Alpine; envsubst and nginx from the system.
            const appletDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-busybox-"));
            try {
                fs.chmodSync(appletDir, 0o755);
                execFileSync(busybox, ["--install", "-s", appletDir]);
                fs.rmSync(path.join(appletDir, "setpriv"), { force: true }); // util-linux's, for the harness
                for (const mode of ["nlb", "alb"] as const) {
                    const env = baseEnv(
                        mode,
                        { tls: 8443, http: 8080, health: 8081 },
                        newRuntimeDir(`busybox-${mode}`),
                    );
                    env.PATH = `${appletDir}:${process.env.PATH ?? "/usr/bin:/bin"}:/usr/sbin:/sbin`;
                    const ok = await runEntrypoint(["check"], env, { shell: path.join(appletDir, "sh") });
                    assert.equal(ok.code, 0, ok.stderr);
                    assert.equal(ok.stderr.trim(), `gateway: configuration for mode ${mode} is valid`);
                    assert.equal(
                        fs.readFileSync(path.join(env.GATEWAY_RUNTIME_DIR, "tls", "server.key"), "utf8"),
                        pki.server.key,
                    );
                }
                const bad = baseEnv("nlb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("busybox-bad"));
                bad.PATH = `${appletDir}:${process.env.PATH ?? "/usr/bin:/bin"}`;
                bad.GATEWAY_RATE_LIMIT = "10r/s\n}";
                const res = await runEntrypoint(["check"], bad, { shell: path.join(appletDir, "sh") });
                assert.equal(res.code, 1);
                assert.match(res.stderr, /GATEWAY_RATE_LIMIT='10r\/s\n\}' must be an nginx rate/);
            } finally {
                fs.rmSync(appletDir, { recursive: true, force: true });
            }
        });

        it("refuses to run as root", async function () {
            if (!isRoot()) this.skip(); // only observable when the test itself runs as root
            const env = baseEnv("nlb", { tls: 8443, http: 8080, health: 8081 }, newRuntimeDir("root"));
            const res = await runEntrypoint(["check"], env, { asRoot: true });
            assert.equal(res.code, 1);
            assert.match(res.stderr, /refusing to run as root/);
            assert.ok(!fs.existsSync(env.GATEWAY_RUNTIME_DIR));
        });
    });
});

// ================================================================== image (no nginx needed)
describe("apps/gateway: Dockerfile and build context", () => {
    const dockerfile = fs.readFileSync(path.join(GATEWAY_DIR, "Dockerfile"), "utf8");
    /** Instructions with continuation lines joined and comments dropped: [KEYWORD, arguments]. */
    const instructions: Array<[string, string]> = dockerfile
        .replace(/\\\n/g, " ")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"))
        .map((l) => {
            const m = /^(\S+)\s+(.*)$/.exec(l);
            assert.ok(m, `unparsable Dockerfile line: ${l}`);
            return [m[1].toUpperCase(), m[2].trim()];
        });
    const args = (keyword: string): string[] => instructions.filter(([k]) => k === keyword).map(([, a]) => a);

    it("builds on the official nginx image, pinned to a patch release", () => {
        assert.deepEqual(args("FROM").length, 1);
        assert.match(args("FROM")[0], /^nginx:\d+\.\d+\.\d+-alpine$/);
    });

    it("runs as the unprivileged nginx user (uid 101), set after every RUN", () => {
        const users = args("USER");
        assert.deepEqual(users, ["101:101"]);
        const lastUser = instructions.findIndex(([k]) => k === "USER");
        const lastRun = instructions.map(([k]) => k).lastIndexOf("RUN");
        assert.ok(
            lastUser > lastRun,
            "no RUN after USER (it would run as the unprivileged user, or hide a later USER root)",
        );
    });

    it("copies only the entrypoint and the templates: no certificate or key is baked in", () => {
        assert.deepEqual(args("ADD"), []);
        assert.deepEqual(args("COPY"), [
            "entrypoint.sh /etc/nginx/gateway/entrypoint.sh",
            "templates/ /etc/nginx/gateway/templates/",
        ]);
        assert.ok(
            !/\.(pem|key|crt|p12)\b/i.test(dockerfile.replace(/^#.*$/gm, "")),
            "no key material file named in an instruction",
        );
        assert.ok(!/PEM/.test(args("ENV").join(" ")), "no PEM variable in ENV");
        const ignore = fs
            .readFileSync(path.join(GATEWAY_DIR, ".dockerignore"), "utf8")
            .split("\n")
            .filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(ignore, ["*", "!entrypoint.sh", "!templates/", "!templates/*.template"]);
    });

    it("starts through entrypoint.sh in exec form, on unprivileged ports 8443/8080/8081", () => {
        assert.deepEqual(
            args("ENTRYPOINT").map((a) => JSON.parse(a) as unknown),
            [["/etc/nginx/gateway/entrypoint.sh"]],
        );
        assert.deepEqual(
            args("CMD").map((a) => JSON.parse(a) as unknown),
            [["run"]],
        );
        assert.deepEqual(args("EXPOSE"), ["8443 8080 8081"]);
        assert.deepEqual(args("STOPSIGNAL"), ["SIGQUIT"]);
        assert.ok((fs.statSync(ENTRYPOINT).mode & 0o111) !== 0, "entrypoint.sh is executable");
    });

    it("docs describe the image as it is: read-only root filesystem, VOLUME /tmp/gateway; ticketing images need VOLUME /tmp", () => {
        assert.deepEqual(args("VOLUME"), ['["/tmp/gateway"]']);
        const mtls = fs.readFileSync(path.resolve(GATEWAY_DIR, "../../docs/mtls-api.md"), "utf8").replace(/\s+/g, " ");
        assert.ok(mtls.includes('declares `VOLUME ["/tmp/gateway"]`'), "docs/mtls-api.md names the image's VOLUME");
        assert.ok(mtls.includes("with a read-only root filesystem (`readonlyRootFilesystem: true`)"));
        for (const wrong of ["root filesystem stays writable", "declares no `VOLUME`"])
            assert.ok(!mtls.includes(wrong), `docs/mtls-api.md still says "${wrong}"`);
        const ticketing = fs.readFileSync(path.resolve(GATEWAY_DIR, "../../docs/ticketing.md"), "utf8");
        assert.match(ticketing.replace(/\s+/g, " "), /non-root user must declare `VOLUME \/tmp`/);
    });

    it("every template the entrypoint renders exists, and every variable it reads is documented in README.md", () => {
        const script = fs.readFileSync(ENTRYPOINT, "utf8");
        const templates = fs.readdirSync(path.join(GATEWAY_DIR, "templates")).sort();
        assert.deepEqual(templates, [
            "edge-alb.conf.template",
            "edge-nlb.conf.template",
            "nginx.conf.template",
            "proxy.conf.template",
            "tls.conf.template",
        ]);
        const readme = fs.readFileSync(path.join(GATEWAY_DIR, "README.md"), "utf8");
        const variables = [...script.matchAll(/^: "\$\{([A-Z_]+):=/gm)].map((m) => m[1]);
        assert.equal(variables.length, 21);
        for (const name of variables) assert.ok(readme.includes(`\`${name}\``), `README.md documents ${name}`);
    });
});
