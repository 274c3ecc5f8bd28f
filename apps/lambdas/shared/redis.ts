/**
 * The product cache: a few Redis commands (`AUTH`, `GET`, `SET ... EX`) over TLS to ElastiCache, with
 * the AUTH token read from Secrets Manager once per container. The cache is an optimisation only:
 * every failure (connection, TLS, AUTH, timeout, protocol) is reported to the caller as a miss, and
 * the caller reads DynamoDB.
 *
 * Why not a Redis library: none is a dependency of this repository yet (ask for `ioredis` to replace
 * this); RESP2 for these three commands is a request of bulk strings and one reply line.
 * Protocol: https://redis.io/docs/latest/develop/reference/protocol-spec/ (RESP2);
 * ElastiCache AUTH with TLS: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html.
 */
import { connect, TLSSocket } from 'node:tls';

/** Milliseconds for connecting plus one command. */
export const TIMEOUT_MS = 500;

/** One RESP2 command: an array of bulk strings. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`).join('')}`;
}

/** A parsed reply: simple string, integer, bulk string (null for nil), or an error. */
export type Reply = { kind: 'simple'; value: string } | { kind: 'integer'; value: number } | { kind: 'bulk'; value: string | null } | { kind: 'error'; message: string };

/** Parses one complete reply at the start of `buf`; `undefined` when more bytes are needed. */
export function parseReply(buf: Buffer): { reply: Reply; rest: Buffer } | undefined {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return undefined;
  const line = buf.subarray(1, eol).toString('utf8');
  const after = buf.subarray(eol + 2);
  switch (String.fromCharCode(buf[0])) {
    case '+':
      return { reply: { kind: 'simple', value: line }, rest: after };
    case '-':
      return { reply: { kind: 'error', message: line }, rest: after };
    case ':':
      return { reply: { kind: 'integer', value: Number(line) }, rest: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: { kind: 'bulk', value: null }, rest: after };
      if (after.length < length + 2) return undefined;
      return { reply: { kind: 'bulk', value: after.subarray(0, length).toString('utf8') }, rest: after.subarray(length + 2) };
    }
    default:
      throw new Error('unexpected RESP reply type');
  }
}

/** Where and how to connect. */
export interface CacheEndpoint {
  host: string;
  port: number;
  authToken: string;
  /** CA certificates (PEM) to trust instead of Node's defaults; default Node's (ElastiCache's certificates chain to Amazon's public CA). */
  ca?: string;
}

/** A connection that runs one command at a time. */
export class RedisConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((r: Reply | Error) => void) | undefined;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (err: Error) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  /** Opens a TLS connection and authenticates. @throws Error on any failure or after {@link TIMEOUT_MS}. */
  static async open(endpoint: CacheEndpoint): Promise<RedisConnection> {
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = connect({ host: endpoint.host, port: endpoint.port, servername: endpoint.host, rejectUnauthorized: true, ca: endpoint.ca, minVersion: 'TLSv1.2' });
      s.setTimeout(TIMEOUT_MS, () => {
        s.destroy();
        reject(new Error('connect timeout'));
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
    const connection = new RedisConnection(socket);
    const auth = await connection.command(['AUTH', endpoint.authToken]);
    if (auth.kind !== 'simple') {
      connection.close();
      throw new Error('AUTH refused');
    }
    return connection;
  }

  /** Sends one command and resolves to its reply (an `error` reply is a value, not a rejection). */
  command(args: string[]): Promise<Reply> {
    if (this.waiting) return Promise.reject(new Error('one command at a time'));
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.close();
        reject(new Error('command timeout'));
      }, TIMEOUT_MS);
      this.waiting = (r) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    if (!this.waiting) return;
    let parsed;
    try {
      parsed = parseReply(this.buffer);
    } catch (err) {
      const w = this.waiting;
      this.waiting = undefined;
      w(err as Error);
      return;
    }
    if (parsed === undefined) return;
    this.buffer = parsed.rest;
    const w = this.waiting;
    this.waiting = undefined;
    w(parsed.reply);
  }
}
