/**
 * Loopback harness for the gateway spec: free ports, an echoing upstream that records every
 * request, a tiny DNS server standing in for Cloud Map, the gateway itself started through
 * the real `apps/gateway/entrypoint.sh`, and bounded HTTPS/HTTP clients.
 *
 * Every wait is bounded (a few seconds) and every process or socket this module starts is
 * returned with a `stop()` that the spec calls in `after()`.
 */
import { ChildProcess, spawn } from "child_process";
import * as dgram from "dgram";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";

export const ENTRYPOINT = path.resolve(__dirname, "../../../apps/gateway/entrypoint.sh");

let staged: string | undefined;

/**
 * The entrypoint as the tests run it: a copy of `apps/gateway` (entrypoint.sh and templates/, the
 * image's build context) in a world-readable temp dir, because the unprivileged uid the gateway runs
 * as when the test is root cannot always traverse the checkout (a clone under a 0700 directory).
 * Made once per process and removed when the process exits.
 */
export function stagedEntrypoint(): string {
    if (staged === undefined) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-app-"));
        fs.chmodSync(dir, 0o755);
        const source = path.dirname(ENTRYPOINT);
        fs.cpSync(path.join(source, "templates"), path.join(dir, "templates"), { recursive: true });
        fs.chmodSync(path.join(dir, "templates"), 0o755);
        for (const t of fs.readdirSync(path.join(dir, "templates")))
            fs.chmodSync(path.join(dir, "templates", t), 0o644);
        fs.copyFileSync(ENTRYPOINT, path.join(dir, "entrypoint.sh"));
        fs.chmodSync(path.join(dir, "entrypoint.sh"), 0o755);
        process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        staged = path.join(dir, "entrypoint.sh");
    }
    return staged;
}

/** uid/gid the gateway runs as when the test itself runs as root (the entrypoint refuses root). */
export const UNPRIVILEGED_ID = 65534;

/** Where Debian and the official image put nginx; added to PATH for the entrypoint. */
const SBIN_PATHS = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

export function isRoot(): boolean {
    return typeof process.getuid === "function" && process.getuid() === 0;
}

/** PATH for the gateway: the test's PATH plus the sbin directories nginx lives in. */
export function gatewayPath(): string {
    return [...(process.env.PATH ?? "/usr/bin:/bin").split(":"), ...SBIN_PATHS].join(":");
}

/** Absolute path of `nginx`, or undefined when it is not installed. */
export function findNginx(): string | undefined {
    return findExecutable("nginx");
}

/** Absolute path of executable `name` on the gateway's PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
    for (const dir of gatewayPath().split(":")) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // keep looking
        }
    }
    return undefined;
}

/** Distinct free TCP ports on 127.0.0.1 (held open together so none is handed out twice). */
export async function freePorts(count: number): Promise<number[]> {
    const servers: net.Server[] = [];
    try {
        for (let i = 0; i < count; i++) {
            const server = net.createServer();
            await new Promise<void>((resolve, reject) => {
                server.once("error", reject);
                server.listen(0, "127.0.0.1", () => resolve());
            });
            servers.push(server);
        }
        return servers.map((s) => (s.address() as net.AddressInfo).port);
    } finally {
        await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
}

// ------------------------------------------------------------------ upstream

export interface UpstreamRequest {
    readonly method: string;
    readonly url: string;
    /** Node's lower-cased header map. */
    readonly headers: http.IncomingHttpHeaders;
    /** Raw name/value pairs as received, to count duplicates. */
    readonly rawHeaders: readonly string[];
    readonly bodyLength: number;
}

export interface Upstream {
    readonly port: number;
    /** Every request received since the last `clear()`. */
    readonly requests: UpstreamRequest[];
    clear(): void;
    stop(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records each request and answers 200 with its headers. */
export async function startUpstream(): Promise<Upstream> {
    const requests: UpstreamRequest[] = [];
    const sockets = new Set<net.Socket>();
    const server = http.createServer((req, res) => {
        let bodyLength = 0;
        req.on("data", (chunk: Buffer) => (bodyLength += chunk.length));
        req.on("end", () => {
            requests.push({
                method: req.method ?? "",
                url: req.url ?? "",
                headers: req.headers,
                rawHeaders: req.rawHeaders,
                bodyLength,
            });
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ headers: req.headers }));
        });
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return {
        port: (server.address() as net.AddressInfo).port,
        requests,
        clear: () => void requests.splice(0, requests.length),
        stop: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}

// ------------------------------------------------------------------ DNS (Cloud Map stand-in)

export interface DnsServer {
    /** "127.0.0.1:<port>", the value for DNS_RESOLVER. */
    readonly address: string;
    /** Names asked for (lower case), in order. */
    readonly queries: string[];
    stop(): Promise<void>;
}

/**
 * A UDP DNS server on 127.0.0.1 answering A queries for the names in `records` (TTL `ttl`
 * seconds) and NXDOMAIN for anything else; enough for nginx's resolver.
 */
export async function startDns(records: Record<string, string>, ttl: number): Promise<DnsServer> {
    const queries: string[] = [];
    const socket = dgram.createSocket("udp4");
    socket.on("message", (msg, rinfo) => {
        if (msg.length < 17) return;
        let offset = 12;
        const labels: string[] = [];
        while (offset < msg.length && msg[offset] !== 0) {
            const len = msg[offset];
            labels.push(msg.subarray(offset + 1, offset + 1 + len).toString("ascii"));
            offset += len + 1;
        }
        const questionEnd = offset + 5; // zero label, QTYPE, QCLASS
        if (questionEnd > msg.length) return;
        const name = labels.join(".").toLowerCase();
        const qtype = msg.readUInt16BE(offset + 1);
        queries.push(name);
        const ip = records[name];
        const answer = ip !== undefined && qtype === 1;
        const header = Buffer.alloc(12);
        header.writeUInt16BE(msg.readUInt16BE(0), 0); // id
        header.writeUInt16BE(ip === undefined ? 0x8183 : 0x8180, 2); // response, RD, RA, rcode
        header.writeUInt16BE(1, 4); // QDCOUNT
        header.writeUInt16BE(answer ? 1 : 0, 6); // ANCOUNT
        const parts = [header, msg.subarray(12, questionEnd)];
        if (answer) {
            const rr = Buffer.alloc(16);
            rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
            rr.writeUInt16BE(1, 2); // A
            rr.writeUInt16BE(1, 4); // IN
            rr.writeUInt32BE(ttl, 6);
            rr.writeUInt16BE(4, 10);
            ip.split(".").forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
            parts.push(rr);
        }
        socket.send(Buffer.concat(parts), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(0, "127.0.0.1", () => resolve());
    });
    return {
        address: `127.0.0.1:${socket.address().port}`,
        queries,
        stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    };
}

// ------------------------------------------------------------------ the gateway

export interface GatewayOptions {
    /** Environment for the entrypoint (GATEWAY_*, API_UPSTREAM, DNS_RESOLVER, PEMs). */
    readonly env: Record<string, string>;
    /** Port polled for readiness (GATEWAY_HEALTH_PORT). */
    readonly healthPort: number;
    /** Directory for the stdout capture file (the access log). */
    readonly workDir: string;
    readonly name: string;
}

export interface Gateway {
    /** nginx master pid (the entrypoint execs nginx). */
    readonly pid: number;
    readonly runtimeDir: string;
    /** Everything nginx wrote to stdout so far (the JSON access log). */
    stdout(): string;
    stderr(): string;
    stop(): Promise<void>;
}

export interface EntrypointResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * The command that runs the entrypoint: directly (its #!/bin/sh line), or with `shell` as the
 * interpreter; through setpriv as uid 65534 when the test is root, unless `asRoot`.
 */
function entrypointCommand(args: string[], asRoot = false, shell?: string): [string, string[]] {
    const entrypoint = stagedEntrypoint();
    const direct: [string, string[]] = shell === undefined ? [entrypoint, args] : [shell, [entrypoint, ...args]];
    if (isRoot() && !asRoot) {
        return [
            "setpriv",
            [`--reuid=${UNPRIVILEGED_ID}`, `--regid=${UNPRIVILEGED_ID}`, "--clear-groups", direct[0], ...direct[1]],
        ];
    }
    return direct;
}

/** A fresh, not yet existing runtime directory under the OS temp dir (the entrypoint creates it). */
export function newRuntimeDir(name: string): string {
    return path.join(os.tmpdir(), `gateway-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
}

/**
 * Runs the entrypoint to completion (for `check`/`render` and failure cases); bounded by
 * `timeoutMs` (default 5 s); `shell` runs it with another interpreter (e.g. busybox sh). stdout goes through a file, as for startGateway (nginx -t opens /dev/stdout).
 */
export async function runEntrypoint(
    args: string[],
    env: Record<string, string>,
    opts: { asRoot?: boolean; shell?: string; timeoutMs?: number } = {},
): Promise<EntrypointResult> {
    const [cmd, cmdArgs] = entrypointCommand(args, opts.asRoot, opts.shell);
    const stdoutFile = path.join(
        os.tmpdir(),
        `gateway-entrypoint-${process.pid}-${Math.random().toString(36).slice(2, 10)}.out`,
    );
    const stdoutFd = fs.openSync(stdoutFile, "w", 0o600);
    try {
        if (isRoot()) fs.fchownSync(stdoutFd, UNPRIVILEGED_ID, UNPRIVILEGED_ID);
        const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
            const child = spawn(cmd, cmdArgs, {
                env: { PATH: gatewayPath(), ...env },
                stdio: ["ignore", stdoutFd, "pipe"],
                timeout: opts.timeoutMs ?? 5000,
            });
            let err = "";
            child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
            child.on("error", reject);
            child.on("close", (c) => resolve({ code: c, stderr: err }));
        });
        return { code, stdout: fs.readFileSync(stdoutFile, "utf8"), stderr };
    } finally {
        fs.closeSync(stdoutFd);
        fs.rmSync(stdoutFile, { force: true });
    }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

/**
 * Starts the gateway exactly as the container does (entrypoint.sh with no arguments: validate,
 * write PEMs, render, nginx -t, exec nginx) and waits until the health endpoint answers 200
 * (at most 5 s). nginx's stdout goes to a file, because nginx re-opens /dev/stdout by path.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
    const runtimeDir = opts.env.GATEWAY_RUNTIME_DIR;
    const stdoutFile = path.join(opts.workDir, `${opts.name}.stdout.log`);
    const stdoutFd = fs.openSync(stdoutFile, "w", 0o600);
    if (isRoot()) fs.fchownSync(stdoutFd, UNPRIVILEGED_ID, UNPRIVILEGED_ID);
    const [cmd, cmdArgs] = entrypointCommand([]);
    const child = spawn(cmd, cmdArgs, {
        env: { PATH: gatewayPath(), ...opts.env },
        stdio: ["ignore", stdoutFd, "pipe"],
        detached: true, // its own process group: stop() signals nginx's master and workers together
    });
    fs.closeSync(stdoutFd);
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));

    const stop = async (): Promise<void> => {
        if (child.pid === undefined) return;
        const group = -child.pid;
        try {
            process.kill(group, "SIGTERM");
        } catch {
            return; // already gone
        }
        if (!(await waitForExit(child, 3000))) {
            try {
                process.kill(group, "SIGKILL");
            } catch {
                // gone in between
            }
            await waitForExit(child, 2000);
        }
    };

    const deadline = Date.now() + 5000;
    for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`gateway ${opts.name} exited early (${child.exitCode ?? child.signalCode}):\n${stderr}`);
        }
        const res = await httpGet({ port: opts.healthPort, path: "/healthz", timeoutMs: 500 }).catch(() => undefined);
        if (res?.status === 200) break;
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`gateway ${opts.name} not healthy within 5 s:\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 50));
    }

    return {
        pid: child.pid as number,
        runtimeDir,
        stdout: () => fs.readFileSync(stdoutFile, "utf8"),
        stderr: () => stderr,
        stop,
    };
}

// ------------------------------------------------------------------ clients

export interface Response {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
    /** Negotiated TLS version (HTTPS only), e.g. "TLSv1.3". */
    readonly protocol?: string | null;
    /** Negotiated cipher suite name (HTTPS only). */
    readonly cipher?: string;
}

export interface HttpsOptions {
    readonly port: number;
    readonly path?: string;
    readonly method?: string;
    readonly headers?: http.OutgoingHttpHeaders;
    readonly body?: string | Buffer;
    /** Trust anchor for the server certificate. */
    readonly ca: string;
    /** Client certificate and key (omit for no client certificate). */
    readonly client?: { cert: string; key: string };
    readonly minVersion?: tls.SecureVersion;
    readonly maxVersion?: tls.SecureVersion;
    readonly ciphers?: string;
    readonly timeoutMs?: number;
}

/** One HTTPS request on a fresh connection (no agent, no session reuse), to 127.0.0.1 with SNI localhost. */
export function httpsRequest(o: HttpsOptions): Promise<Response> {
    return new Promise((resolve, reject) => {
        const req = https.request(
            {
                host: "127.0.0.1",
                servername: "localhost",
                port: o.port,
                path: o.path ?? "/",
                method: o.method ?? "GET",
                headers: o.headers,
                ca: o.ca,
                cert: o.client?.cert,
                key: o.client?.key,
                minVersion: o.minVersion,
                maxVersion: o.maxVersion,
                ciphers: o.ciphers,
                agent: false,
                timeout: o.timeoutMs ?? 5000,
            },
            (res) => {
                const socket = res.socket as tls.TLSSocket;
                const protocol = socket.getProtocol();
                const cipher = socket.getCipher().name;
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (d: string) => (body += d));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol, cipher }),
                );
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`request to port ${o.port} timed out`)));
        req.on("error", reject);
        req.end(o.body);
    });
}

/** One plain HTTP request to 127.0.0.1 (no agent), bounded by `timeoutMs` (default 5 s). */
export function httpGet(o: {
    port: number;
    path: string;
    headers?: http.OutgoingHttpHeaders;
    timeoutMs?: number;
}): Promise<Response> {
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: "127.0.0.1",
                port: o.port,
                path: o.path,
                headers: o.headers,
                agent: false,
                timeout: o.timeoutMs ?? 5000,
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (d: string) => (body += d));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`request to port ${o.port} timed out`)));
        req.on("error", reject);
        req.end();
    });
}

/**
 * A plain Node TLS server that accepts TLS 1.1 with the given certificate: the control that
 * proves the TLS 1.1 client used by the spec can really speak TLS 1.1, so the gateway's refusal
 * is the gateway's doing.
 */
export async function startTls11Server(server: {
    cert: string;
    key: string;
}): Promise<{ port: number; stop(): Promise<void> }> {
    const srv = tls.createServer(
        {
            cert: server.cert,
            key: server.key,
            minVersion: "TLSv1.1",
            maxVersion: "TLSv1.1",
            ciphers: "DEFAULT@SECLEVEL=0",
        },
        (socket) => socket.end(),
    );
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
    return {
        port: (srv.address() as net.AddressInfo).port,
        stop: () => new Promise<void>((resolve) => srv.close(() => resolve())),
    };
}

/** Completes (or fails) a bare TLS handshake; resolves with the negotiated version. Bounded by 5 s. */
export function tlsHandshake(o: {
    port: number;
    ca: string;
    client?: { cert: string; key: string };
    minVersion?: tls.SecureVersion;
    maxVersion?: tls.SecureVersion;
    ciphers?: string;
}): Promise<string | null> {
    return new Promise((resolve, reject) => {
        const socket = tls.connect({
            host: "127.0.0.1",
            servername: "localhost",
            port: o.port,
            ca: o.ca,
            cert: o.client?.cert,
            key: o.client?.key,
            minVersion: o.minVersion,
            maxVersion: o.maxVersion,
            ciphers: o.ciphers,
        });
        const timer = setTimeout(() => socket.destroy(new Error("handshake timed out")), 5000);
        socket.once("secureConnect", () => {
            clearTimeout(timer);
            const version = socket.getProtocol();
            socket.destroy();
            resolve(version);
        });
        socket.once("error", (err: Error) => {
            clearTimeout(timer);
            socket.destroy();
            reject(err);
        });
    });
}
