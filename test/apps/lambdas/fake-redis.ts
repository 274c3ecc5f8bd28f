/**
 * A local TLS Redis stand-in for the bundle tests: a `node:tls` server on 127.0.0.1 with a self-signed
 * certificate made by openssl (SAN `IP:127.0.0.1`), speaking just enough RESP2 for ioredis's handshake
 * and the products cache: `AUTH <token>` (required before anything else, like ElastiCache with an AUTH
 * token), `INFO`, `GET`, `SET key value EX seconds`. Every command is recorded, its name upper-cased
 * (the AUTH argument too, so a test can assert which token was sent).
 *
 * RESP2: https://redis.io/docs/latest/develop/reference/protocol-spec/
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createServer, Server, TLSSocket } from "node:tls";

/** Parses complete RESP arrays of bulk strings at the start of `buf`; returns them and the rest. */
export function parseCommands(buf: Buffer): { commands: string[][]; rest: Buffer } {
    const commands: string[][] = [];
    let at = 0;
    for (;;) {
        const parsed = parseArray(buf, at);
        if (parsed === undefined) break;
        commands.push(parsed.args);
        at = parsed.next;
    }
    return { commands, rest: buf.subarray(at) };
}

function parseArray(buf: Buffer, at: number): { args: string[]; next: number } | undefined {
    const line = (from: number) => {
        const eol = buf.indexOf("\r\n", from);
        return eol < 0 ? undefined : { text: buf.subarray(from, eol).toString("utf8"), next: eol + 2 };
    };
    const head = line(at);
    if (head === undefined) return undefined;
    if (!head.text.startsWith("*")) throw new Error(`fake redis: expected an array, got ${JSON.stringify(head.text)}`);
    const args: string[] = [];
    let next = head.next;
    for (let i = 0; i < Number(head.text.slice(1)); i++) {
        const size = line(next);
        if (size === undefined) return undefined;
        const length = Number(size.text.slice(1));
        if (buf.length < size.next + length + 2) return undefined;
        args.push(buf.subarray(size.next, size.next + length).toString("utf8"));
        next = size.next + length + 2;
    }
    return { args, next };
}

const bulk = (value: string | undefined) =>
    value === undefined ? "$-1\r\n" : `$${Buffer.byteLength(value)}\r\n${value}\r\n`;

export class FakeRedis {
    /** Every command received, in order, across connections. */
    readonly commands: string[][] = [];
    /** key -> [value, EX seconds]. */
    readonly store = new Map<string, [string, number | undefined]>();
    private server?: Server;
    private dir?: string;
    /** The server certificate (PEM): trust it to connect. */
    ca = "";
    /** File holding {@link ca}, for `NODE_EXTRA_CA_CERTS`. */
    caFile = "";
    port = 0;

    constructor(private readonly token: string) {}

    async start(): Promise<void> {
        this.dir = mkdtempSync(path.join(tmpdir(), "fake-redis-"));
        const key = path.join(this.dir, "key.pem");
        this.caFile = path.join(this.dir, "cert.pem");
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key,
                "-out",
                this.caFile,
            ],
            { stdio: "ignore", timeout: 10_000 },
        );
        this.ca = readFileSync(this.caFile, "utf8");
        this.server = createServer(
            { key: readFileSync(key), cert: this.ca, minVersion: "TLSv1.2" },
            (socket: TLSSocket) => this.serve(socket),
        );
        this.server.on("tlsClientError", () => undefined);
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.port = (this.server.address() as AddressInfo).port;
    }

    reset(): void {
        this.commands.length = 0;
        this.store.clear();
    }

    stop(): Promise<void> {
        return new Promise((resolve) => {
            if (this.dir) rmSync(this.dir, { recursive: true, force: true });
            if (this.server) this.server.close(() => resolve());
            else resolve();
        });
    }

    private serve(socket: TLSSocket): void {
        let authed = false;
        let buf = Buffer.alloc(0);
        socket.on("error", () => undefined);
        socket.on("data", (chunk: Buffer) => {
            buf = Buffer.concat([buf, chunk]);
            const { commands, rest } = parseCommands(buf);
            buf = rest;
            for (const [name, ...args] of commands) {
                const cmd = name.toUpperCase();
                this.commands.push([cmd, ...args]);
                if (cmd === "AUTH") {
                    authed = args.length === 1 && args[0] === this.token;
                    socket.write(
                        authed ? "+OK\r\n" : "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    );
                } else if (!authed) socket.write("-NOAUTH Authentication required.\r\n");
                else if (cmd === "INFO")
                    socket.write(bulk("# Server\r\nredis_version:7.1.0\r\n# Persistence\r\nloading:0\r\n"));
                else if (cmd === "GET") socket.write(bulk(this.store.get(args[0])?.[0]));
                else if (cmd === "SET") {
                    const ex = args[2]?.toUpperCase() === "EX" ? Number(args[3]) : undefined;
                    this.store.set(args[0], [args[1], ex]);
                    socket.write("+OK\r\n");
                } else socket.write(`-ERR unknown command '${name}'\r\n`);
            }
        });
    }
}
