/**
 * The connection to the coffee-shop product cache (ElastiCache Redis OSS, cluster mode disabled, TLS
 * in transit and an AUTH token) through `ioredis` 5, opened once per execution environment and reused
 * across invocations while it stays up.
 *
 * The cache is an optimisation only: every failure (secret, connection, TLS, AUTH, timeout) makes
 * {@link cacheClient} resolve to `undefined` and the caller reads the table instead; the next
 * invocation tries again. Timeouts are short ({@link CONNECT_TIMEOUT_MS}, {@link COMMAND_TIMEOUT_MS}),
 * nothing is queued or retried while disconnected (a command then fails at once), and ioredis does not
 * reconnect in the background: a dropped connection ends the client, and the next invocation opens a
 * new one.
 *
 * The AUTH token is read from Secrets Manager (a JSON secret `{"authToken": "..."}`, as the RedisCache
 * component writes it) each time a connection is opened, so a rotated token is picked up by the next
 * connection. It is never logged: ioredis's `error` events are consumed here (ioredis would otherwise
 * print them), and callers log error names only.
 *
 * Docs: https://redis.github.io/ioredis/interfaces/CommonRedisOptions.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html (AUTH with TLS),
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Redis, RedisOptions } from "ioredis";

import { CLIENT_CONFIG } from "./aws-clients";

/** Milliseconds to open the TCP + TLS connection and authenticate. */
export const CONNECT_TIMEOUT_MS = 1_000;
/** Milliseconds for one command's reply. */
export const COMMAND_TIMEOUT_MS = 500;

/** Where the cache is: `host` and `port` of the primary endpoint, the ARN of the AUTH secret. */
export interface CacheEndpoint {
    readonly host: string;
    readonly port: number;
    readonly secretArn: string;
}

/**
 * The ioredis options for one connection: verified TLS (Node's default trust store, which holds the
 * Amazon CA ElastiCache's certificates chain to; the host name is checked), `AUTH <password>`, lazy
 * connect (opened by {@link cacheClient}, which awaits it), the timeouts above, no offline queue, no
 * per-command retries, no background reconnection, and no `CLIENT SETINFO` round trip.
 */
export function cacheOptions(host: string, port: number, password: string): RedisOptions {
    return {
        host,
        port,
        password,
        tls: {},
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        commandTimeout: COMMAND_TIMEOUT_MS,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        disableClientInfo: true,
    };
}

/** Makes a client from options; tests replace `create` (for example with `ioredis-mock`). */
export const cacheClientFactory: { create: (options: RedisOptions) => Redis } = {
    create: (options) => new Redis(options),
};

const secrets = new SecretsManagerClient(CLIENT_CONFIG);
let current: Promise<Redis | undefined> | undefined;

/** The `authToken` of the cache secret. @throws Error (without the value) when absent or empty. */
async function authToken(secretArn: string): Promise<string> {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const token = (JSON.parse(secret.SecretString ?? "{}") as { authToken?: unknown }).authToken;
    if (typeof token !== "string" || token === "") throw new Error("cache secret has no authToken");
    return token;
}

async function open(endpoint: CacheEndpoint, self: () => Promise<Redis | undefined> | undefined): Promise<Redis> {
    const redis = cacheClientFactory.create(
        cacheOptions(endpoint.host, endpoint.port, await authToken(endpoint.secretArn)),
    );
    // Failures reach the caller through the rejected commands; without a listener ioredis prints them.
    redis.on("error", () => undefined);
    redis.once("end", () => {
        if (current === self()) current = undefined;
    });
    try {
        await redis.connect();
    } catch (err) {
        redis.disconnect();
        throw err;
    }
    return redis;
}

/**
 * The open cache connection, opening it on first use; `undefined` when `endpoint` is `undefined` (no
 * cache configured) or the cache cannot be reached now (the next call tries again).
 */
export function cacheClient(endpoint: CacheEndpoint | undefined): Promise<Redis | undefined> {
    if (endpoint === undefined) return Promise.resolve(undefined);
    if (current === undefined) {
        const opening: Promise<Redis | undefined> = open(endpoint, () => opening).catch(() => {
            if (current === opening) current = undefined;
            return undefined;
        });
        current = opening;
    }
    return current;
}

/** Closes and forgets the connection (after a failed command, so the next call opens a new one). */
export function dropCacheClient(): void {
    const closing = current;
    current = undefined;
    void closing?.then((redis) => redis?.disconnect());
}
