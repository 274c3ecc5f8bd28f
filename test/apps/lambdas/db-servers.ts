/**
 * Real database servers for the `db-users` tests: PostgreSQL and MariaDB from Debian, each on 127.0.0.1
 * with a port probed free at run time, its own temp data directory, TLS only (a throwaway CA made with
 * openssl, server certificate for IP 127.0.0.1), started and stopped within bounded times.
 *
 * PostgreSQL refuses to run as root: when the test runs as root (CI does), initdb and postgres run as
 * uid/gid 65534 through `setpriv`, and the temp directory is handed to that uid. MariaDB runs as the
 * current user (`--user=root` when root).
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const UNPRIVILEGED_ID = 65534;
export const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/** A started server; `stop` is idempotent. */
export interface DbServer {
    readonly port: number;
    /** PEM of the CA that signed the server certificate. */
    readonly ca: string;
    /** PEM of an unrelated CA (for the fail-closed test). */
    readonly otherCa: string;
    /** Superuser (PostgreSQL `postgres`, MariaDB `root`) password. */
    readonly adminPassword: string;
    stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (probed; another process could take it before the server binds). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** The newest Debian PostgreSQL bin directory, or undefined. */
export function postgresBin(): string | undefined {
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const versions = readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a));
    return versions.length > 0 ? path.join(root, versions[0], "bin") : undefined;
}

/** `mariadbd` (or `mysqld`) and `mariadb-install-db`, or undefined. */
export function mariadbBins(): { server: string; install: string } | undefined {
    const find = (names: string[]) =>
        names.flatMap((n) => ["/usr/sbin", "/usr/bin", "/usr/local/bin"].map((d) => path.join(d, n))).find(existsSync);
    const server = find(["mariadbd", "mysqld"]);
    const install = find(["mariadb-install-db", "mysql_install_db"]);
    return server && install ? { server, install } : undefined;
}

/** Makes `ca.pem`, `other-ca.pem`, `server.pem` and `server.key` (SAN IP:127.0.0.1) in `dir`. */
function makeCertificates(dir: string): { ca: string; otherCa: string } {
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe", timeout: 30_000 });
    for (const ca of ["ca", "other-ca"])
        ssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            `${ca}.key`,
            "-out",
            `${ca}.pem`,
            "-days",
            "2",
            "-subj",
            `/CN=db-users test ${ca}`,
        );
    ssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    );
    writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    ssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    );
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return { ca: read("ca.pem"), otherCa: read("other-ca.pem") };
}

function chownTree(dir: string, id: number): void {
    chownSync(dir, id, id);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) chownTree(p, id);
        else chownSync(p, id, id);
    }
}

/** Runs `cmd` as the unprivileged uid when root. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
    return isRoot()
        ? ["setpriv", [`--reuid=${UNPRIVILEGED_ID}`, `--regid=${UNPRIVILEGED_ID}`, "--clear-groups", cmd, ...args]]
        : [cmd, args];
}

async function waitUntil(
    what: string,
    ready: () => Promise<boolean>,
    child: ChildProcess,
    log: () => string,
    ms = 30_000,
) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
        if (await ready()) return;
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} not ready within ${ms} ms: ${log()}`);
}

function stopper(child: ChildProcess, dir: string, signal: NodeJS.Signals): () => Promise<void> {
    let stopped: Promise<void> | undefined;
    return () =>
        (stopped ??= new Promise<void>((resolve) => {
            const done = () => {
                clearTimeout(timer);
                rmSync(dir, { recursive: true, force: true });
                resolve();
            };
            const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", done);
            child.kill(signal);
        }));
}

function spawnServer(cmd: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string } {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    child.stdout?.on("data", (d) => (output = (output + d).slice(-4000)));
    child.stderr?.on("data", (d) => (output = (output + d).slice(-4000)));
    return { child, log: () => output };
}

/**
 * Starts PostgreSQL: superuser `postgres` with a random password, `hostssl` + SCRAM only (no plaintext,
 * no Unix socket), TLS 1.2 minimum (as `rds.force_ssl` and `ssl_min_protocol_version` on RDS).
 * `ready(port, ca, password)` probes a connection.
 */
export async function startPostgres(
    ready: (port: number, ca: string, password: string) => Promise<boolean>,
): Promise<DbServer> {
    const bin = postgresBin();
    if (!bin) throw new Error("PostgreSQL is not installed (Debian package postgresql)");
    const dir = mkdtempSync(path.join(tmpdir(), "db-users-pg-"));
    try {
        const { ca, otherCa } = makeCertificates(dir);
        const adminPassword = `pw-${process.pid}-${Date.now()}`;
        writeFileSync(path.join(dir, "pwfile"), `${adminPassword}\n`, { mode: 0o600 });
        if (isRoot()) chownTree(dir, UNPRIVILEGED_ID);
        const env = { ...process.env, LC_ALL: "C", LANG: "C" };
        const data = path.join(dir, "data");
        const [initCmd, initArgs] = asServerUser(path.join(bin, "initdb"), [
            "-D",
            data,
            "-U",
            "postgres",
            "--pwfile",
            path.join(dir, "pwfile"),
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        ]);
        execFileSync(initCmd, initArgs, { stdio: "pipe", env, timeout: 60_000 });
        const hba = path.join(data, "pg_hba.conf");
        writeFileSync(hba, "hostssl all all 127.0.0.1/32 scram-sha-256\n");
        if (isRoot()) chownSync(hba, UNPRIVILEGED_ID, UNPRIVILEGED_ID);
        const port = await freePort();
        const [cmd, args] = asServerUser(path.join(bin, "postgres"), [
            "-D",
            data,
            "-p",
            String(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "ssl=on",
            "-c",
            `ssl_cert_file=${path.join(dir, "server.pem")}`,
            "-c",
            `ssl_key_file=${path.join(dir, "server.key")}`,
            "-c",
            "ssl_min_protocol_version=TLSv1.2",
            "-c",
            "fsync=off",
            "-c",
            "shared_buffers=16MB",
            "-c",
            "max_connections=20",
        ]);
        const { child, log } = spawnServer(cmd, args, env);
        const stop = stopper(child, dir, "SIGINT");
        try {
            await waitUntil("postgres", () => ready(port, ca, adminPassword), child, log);
        } catch (err) {
            await stop();
            throw err;
        }
        return { port, ca, otherCa, adminPassword, stop };
    } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}

/**
 * Starts MariaDB: `root`@`127.0.0.1` without a password (as `mariadb-install-db` makes it; loopback
 * only, deleted with the data directory), `require_secure_transport=ON`, TCP on 127.0.0.1 only.
 * `ready(port, ca)` probes a connection.
 */
export async function startMariadb(ready: (port: number, ca: string) => Promise<boolean>): Promise<DbServer> {
    const bins = mariadbBins();
    if (!bins) throw new Error("MariaDB is not installed (Debian package mariadb-server)");
    const dir = mkdtempSync(path.join(tmpdir(), "db-users-mariadb-"));
    try {
        const { ca, otherCa } = makeCertificates(dir);
        const data = path.join(dir, "data");
        const user = isRoot() ? ["--user=root"] : [];
        execFileSync(
            bins.install,
            [
                "--no-defaults",
                ...user,
                `--datadir=${data}`,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            { stdio: "pipe", timeout: 120_000 },
        );
        const port = await freePort();
        const { child, log } = spawnServer(
            bins.server,
            [
                "--no-defaults",
                ...user,
                `--datadir=${data}`,
                `--port=${port}`,
                "--bind-address=127.0.0.1",
                `--socket=${path.join(dir, "mysqld.sock")}`,
                `--pid-file=${path.join(dir, "mysqld.pid")}`,
                `--ssl-ca=${path.join(dir, "ca.pem")}`,
                `--ssl-cert=${path.join(dir, "server.pem")}`,
                `--ssl-key=${path.join(dir, "server.key")}`,
                "--require-secure-transport=ON",
                "--skip-name-resolve",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=16M",
                "--log-error=" + path.join(dir, "error.log"),
            ],
            process.env,
        );
        const stop = stopper(child, dir, "SIGTERM");
        try {
            await waitUntil(
                "mariadbd",
                () => ready(port, ca),
                child,
                () =>
                    log() +
                    (existsSync(path.join(dir, "error.log"))
                        ? execFileSync("tail", ["-20", path.join(dir, "error.log")]).toString()
                        : ""),
            );
        } catch (err) {
            await stop();
            throw err;
        }
        return { port, ca, otherCa, adminPassword: "", stop };
    } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}
