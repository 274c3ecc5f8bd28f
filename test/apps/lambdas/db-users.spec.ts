/**
 * The `db-users` function's SQL against real servers: PostgreSQL and MariaDB from Debian, started here
 * on 127.0.0.1 (free port, temp data directory, TLS only, see ./db-servers.ts).
 *
 * What vanilla servers lack, and how it is handled honestly:
 * - PostgreSQL has no `rds_iam` role: a stand-in role of that name is created first, and the master
 *   user is, as on RDS, not a superuser (CREATEROLE, owner of the database, ADMIN on `rds_iam`).
 * - MariaDB has no `AWSAuthenticationPlugin`. The exact RDS statement is sent to it and must fail with
 *   the error the RDS guide quotes for an instance without the plugin (1524 "Plugin
 *   'AWSAuthenticationPlugin' is not loaded"), which shows the server parsed it; the statement text is
 *   asserted exactly; the rest of the flow (existence check, REQUIRE SSL, grants, idempotency) runs
 *   against MariaDB with the authentication clause replaced by `IDENTIFIED WITH unix_socket AS 'RDS'`,
 *   a plugin MariaDB has.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { Connection, createConnection } from "mysql2/promise";
import { Client } from "pg";

import { X509Certificate } from "node:crypto";

import {
    ensureUsers,
    handler,
    RDS_CA_CERTIFICATES,
    readCaBundle,
    Target,
} from "../../../apps/lambdas/db-users/handler";
import {
    DbUsersRequest,
    MYSQL_READ_WRITE,
    MYSQL_SCHEMA_OWNER,
    requestProblems,
} from "../../../apps/lambdas/db-users/request";
import { mysqlStatements, postgresStatements } from "../../../apps/lambdas/db-users/statements";
import { DbServer, startMariadb, startPostgres } from "./db-servers";

const MASTER = { username: "dbadmin", password: "master-password-1" };
const tls = (ca: string) => ({ ca, rejectUnauthorized: true });
const quiet = async <T>(fn: () => Promise<T>): Promise<T> => {
    const original = console.log;
    console.log = () => undefined;
    try {
        return await fn();
    } finally {
        console.log = original;
    }
};

describe("apps/lambdas/db-users: the request", () => {
    it("accepts a valid request of either engine", () => {
        assert.deepEqual(
            requestProblems({ engine: "postgres", database: "ticketing", users: [{ name: "ticket_service" }] }),
            [],
        );
        assert.deepEqual(
            requestProblems({
                engine: "mysql",
                database: "spotmusic",
                users: [{ name: "web_api", privileges: ["SELECT"] }],
            }),
            [],
        );
    });

    it("refuses bad user names, duplicates, reserved names and privileges, naming each", () => {
        const problems = requestProblems({
            engine: "postgres",
            database: "ticketing",
            users: [
                { name: "x'; DROP ROLE dbadmin; --" },
                { name: "Ticket" },
                { name: "pg_signal" },
                { name: "rdsadmin" },
                { name: "a".repeat(64) },
                { name: "ok" },
                { name: "ok" },
                { name: "p", privileges: ["SELECT"] },
            ],
        });
        assert.deepEqual(problems, [
            `users[0]: user name must be 1-63 lower-case letters, digits and _, starting with a letter; got "x'; DROP ROLE dbadmin; --"`,
            'users[1]: user name must be 1-63 lower-case letters, digits and _, starting with a letter; got "Ticket"',
            'users[2]: user name "pg_signal" is reserved by RDS or the engine (postgres, root, admin, rdsadmin, rdsrepladmin, rdsproxyadmin, mysql, pg_*, rds_*, mysql_*)',
            'users[3]: user name "rdsadmin" is reserved by RDS or the engine (postgres, root, admin, rdsadmin, rdsrepladmin, rdsproxyadmin, mysql, pg_*, rds_*, mysql_*)',
            `users[4]: user name must be 1-63 lower-case letters, digits and _, starting with a letter; got "${"a".repeat(64)}"`,
            "users[6]: user name ok is listed twice",
            "users[7].privileges applies to MySQL only (PostgreSQL users get CONNECT and their own schema)",
        ]);
        assert.deepEqual(
            requestProblems({
                engine: "mysql",
                database: "spot-music",
                users: [{ name: "a".repeat(33), privileges: ["SELECT", "SUPER"] }, { name: "b" }],
            }),
            [
                'database must be 1-63 letters, digits and _, starting with a letter; got "spot-music"',
                `users[0]: user name must be 1-32 lower-case letters, digits and _, starting with a letter; got "${"a".repeat(33)}"`,
                'users[0].privileges: "SUPER" is not one of SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES',
                "users[1].privileges must be a non-empty list of SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES",
            ],
        );
        assert.deepEqual(requestProblems({ engine: "oracle" }), ['engine must be postgres or mysql; got "oracle"']);
        assert.deepEqual(requestProblems({ engine: "mysql", database: "d", users: [] }), [
            "users must be a non-empty list",
        ]);
    });

    it("refuses a bad request before connecting (the port is closed; the error is the validation's)", async () => {
        const target: Target = { host: "127.0.0.1", port: 1, ca: "x", ...MASTER };
        await assert.rejects(
            ensureUsers({ engine: "postgres", database: "ticketing", users: [{ name: 'evil"; DROP' }] }, target),
            /^Error: db-users: invalid request: users\[0\]: user name must be/,
        );
        await assert.rejects(
            ensureUsers({ engine: "postgres", database: "ticketing", users: [{ name: "dbadmin" }] }, target),
            /^Error: db-users: dbadmin is the master user; it cannot be a service user$/,
        );
    });

    it("trusts the RDS certificate authorities (global bundle): every one an RDS CA, this region's G1 roots included", () => {
        const certs = RDS_CA_CERTIFICATES.map((pem) => new X509Certificate(pem));
        const names = certs.map((c) => /CN=([^\n]+)/.exec(c.subject)![1]);
        assert.ok(certs.length >= 100, `only ${certs.length} certificates`);
        assert.deepStrictEqual(
            names.filter((n) => !n.startsWith("Amazon RDS ")),
            [],
        );
        assert.ok(certs.every((c) => c.ca));
        for (const root of ["RSA2048", "RSA4096", "ECC384"])
            for (const region of ["sa-east-1", "us-east-1"])
                assert.ok(names.includes(`Amazon RDS ${region} Root CA ${root} G1`), `${region} ${root}`);
    });

    it("the handler reads DB_CA_FILE before the master secret, and fails when it is unreadable", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            DB_HOST: "db.example.internal",
            DB_PORT: "5432",
            MASTER_SECRET_ARN: "arn:aws:secretsmanager:sa-east-1:123456789012:secret:rds!db-x",
            DB_CA_FILE: "/nonexistent/ca.pem",
        });
        try {
            await assert.rejects(
                handler({ engine: "postgres", database: "ticketing", users: [{ name: "ticket_service" }] }),
                /^Error: db-users: cannot read the CA bundle \/nonexistent\/ca\.pem .*refusing to connect/,
            );
            delete process.env.DB_HOST;
            await assert.rejects(
                handler({ engine: "postgres", database: "ticketing", users: [{ name: "ticket_service" }] }),
                /^Error: db-users: DB_HOST is not set$/,
            );
        } finally {
            process.env = saved;
        }
    });

    it("fails closed without a CA bundle", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "db-users-ca-"));
        try {
            assert.throws(
                () => readCaBundle(path.join(dir, "absent.pem")),
                /cannot read the CA bundle .*absent\.pem .*refusing to connect/,
            );
            writeFileSync(path.join(dir, "empty.pem"), "");
            assert.throws(
                () => readCaBundle(path.join(dir, "empty.pem")),
                /empty\.pem holds no PEM certificate; refusing to connect/,
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("apps/lambdas/db-users: the statements", () => {
    it("PostgreSQL: the RDS guide's CREATE USER and GRANT rds_iam, CONNECT, and the user's own schema, identifiers quoted", () => {
        assert.deepEqual(postgresStatements("ticketing", "ticket_service", false), [
            'CREATE USER "ticket_service"',
            'GRANT rds_iam TO "ticket_service"',
            'GRANT CONNECT ON DATABASE "ticketing" TO "ticket_service"',
            'CREATE SCHEMA IF NOT EXISTS "ticket_service"',
            'GRANT USAGE, CREATE ON SCHEMA "ticket_service" TO "ticket_service"',
        ]);
        assert.deepEqual(postgresStatements("ticketing", "ticket_service", true).slice(0, 1), [
            'GRANT rds_iam TO "ticket_service"',
        ]);
    });

    it("MySQL: the RDS guide's CREATE USER ... IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS', REQUIRE SSL and the listed privileges", () => {
        assert.deepEqual(mysqlStatements("spotmusic", { name: "web_api", privileges: MYSQL_SCHEMA_OWNER }, false), [
            "CREATE USER `web_api`@`%` IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
            "ALTER USER `web_api`@`%` REQUIRE SSL",
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON `spotmusic`.* TO `web_api`@`%`",
        ]);
        assert.deepEqual(mysqlStatements("spotmusic", { name: "workers", privileges: MYSQL_READ_WRITE }, true), [
            "ALTER USER `workers`@`%` REQUIRE SSL",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `spotmusic`.* TO `workers`@`%`",
        ]);
        assert.throws(
            () => mysqlStatements("spotmusic", { name: "w", privileges: ["SUPER" as "SELECT"] }, true),
            /unknown MySQL privilege "SUPER"/,
        );
    });
});

describe("apps/lambdas/db-users against a real PostgreSQL", function () {
    this.timeout(120_000);
    let server: DbServer;
    const superuser = (database = "postgres") =>
        new Client({
            host: "127.0.0.1",
            port: server.port,
            user: "postgres",
            password: server.adminPassword,
            database,
            ssl: tls(server.ca),
        });
    const sql = async (text: string, database = "ticketing") => {
        const c = superuser(database);
        await c.connect();
        try {
            return (await c.query(text)).rows;
        } finally {
            await c.end();
        }
    };
    const target = (): Target => ({ host: "127.0.0.1", port: server.port, ca: server.ca, ...MASTER });
    const REQUEST: DbUsersRequest = {
        engine: "postgres",
        database: "ticketing",
        users: [{ name: "ticket_service" }, { name: "product_service" }, { name: "order" }],
    };
    /** Roles, memberships, database and schema privileges of every non-system role: the state a run may change. */
    const snapshot = () =>
        sql(`SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolconnlimit, r.rolpassword IS NOT NULL AS has_password,
                    ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1)::text[] AS member_of,
                    has_database_privilege(r.rolname, 'ticketing', 'CONNECT') AS can_connect,
                    ARRAY(SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                          AND has_schema_privilege(r.rolname, n.oid, 'CREATE') ORDER BY 1)::text[] AS can_create_in
               FROM pg_authid r WHERE r.rolname NOT LIKE 'pg\\_%' ORDER BY r.rolname`);

    before(async function () {
        server = await startPostgres(async (port, ca, password) => {
            const c = new Client({
                host: "127.0.0.1",
                port,
                user: "postgres",
                password,
                database: "postgres",
                ssl: tls(ca),
                connectionTimeoutMillis: 2000,
            });
            try {
                await c.connect();
                await c.end();
                return true;
            } catch {
                return false;
            }
        });
        // As on RDS: rds_iam exists, the master user is not a superuser, owns the database and may grant rds_iam.
        await sql("CREATE ROLE rds_iam", "postgres");
        await sql(`CREATE ROLE dbadmin LOGIN CREATEROLE PASSWORD '${MASTER.password}'`, "postgres");
        await sql("GRANT rds_iam TO dbadmin WITH ADMIN OPTION", "postgres");
        await sql("CREATE DATABASE ticketing OWNER dbadmin", "postgres");
        // Users that exist before the first run: one unrelated, one listed (made by hand earlier).
        await sql("CREATE ROLE legacy_app LOGIN PASSWORD 'legacy' CONNECTION LIMIT 3", "postgres");
        await sql("GRANT CONNECT ON DATABASE ticketing TO legacy_app", "postgres");
        await sql("CREATE ROLE product_service LOGIN CONNECTION LIMIT 7", "postgres");
    });
    after(async () => server?.stop());

    it("creates the missing users, each with rds_iam, CONNECT and its own schema, and reports which it created", async () => {
        const before = await snapshot();
        const result = await quiet(() => ensureUsers(REQUEST, target()));
        assert.deepEqual(result, {
            engine: "postgres",
            database: "ticketing",
            users: [
                { name: "ticket_service", created: true },
                { name: "product_service", created: false },
                { name: "order", created: true },
            ],
        });
        const after = await snapshot();
        const role = (rows: Record<string, unknown>[], name: string) => rows.find((r) => r.rolname === name);
        for (const name of ["ticket_service", "order", "product_service"]) {
            assert.deepEqual(
                { ...role(after, name), rolconnlimit: undefined },
                {
                    rolname: name,
                    rolsuper: false,
                    rolcreaterole: false,
                    rolcreatedb: false,
                    rolcanlogin: true,
                    rolconnlimit: undefined,
                    has_password: false,
                    member_of: ["rds_iam"],
                    can_connect: true,
                    can_create_in: [name],
                },
                name,
            );
        }
        // The listed user that existed keeps its own attributes; the unrelated user is untouched.
        assert.equal(role(after, "product_service")!.rolconnlimit, 7);
        assert.deepEqual(role(after, "legacy_app"), role(before, "legacy_app"));
        // The master user only gains the schemas it created (it owns them).
        assert.deepEqual(role(after, "dbadmin"), {
            ...role(before, "dbadmin"),
            can_create_in: ["order", "product_service", "public", "ticket_service"],
        });
        // The schemas belong to the master user; each service works in its own one only.
        assert.deepEqual(
            await sql(
                "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ('ticket_service','product_service','order') ORDER BY 1",
            ),
            [
                { nspname: "order", owner: "dbadmin" },
                { nspname: "product_service", owner: "dbadmin" },
                { nspname: "ticket_service", owner: "dbadmin" },
            ],
        );
    });

    it("is idempotent: a second run creates nothing and changes nothing", async () => {
        const before = await snapshot();
        const result = await quiet(() => ensureUsers(REQUEST, target()));
        assert.deepEqual(
            result.users.map((u) => u.created),
            [false, false, false],
        );
        assert.deepEqual(await snapshot(), before);
    });

    it("a service can create tables in its own schema (found through the default search_path) and not in another's", async () => {
        const c = superuser("ticketing");
        await c.connect();
        try {
            await c.query('SET ROLE "ticket_service"');
            await c.query("CREATE TABLE events (id int)");
            assert.deepEqual(
                (await c.query("SELECT schemaname, tableowner FROM pg_tables WHERE tablename = 'events'")).rows,
                [{ schemaname: "ticket_service", tableowner: "ticket_service" }],
            );
            await assert.rejects(
                c.query("CREATE TABLE product_service.stolen (id int)"),
                /permission denied for schema product_service/,
            );
        } finally {
            await c.end();
        }
    });

    it("refuses a server certificate from another CA (no fallback to an unverified connection)", async () => {
        await assert.rejects(
            ensureUsers(REQUEST, { ...target(), ca: server.otherCa }),
            /self[- ]signed certificate|unable to verify|unable to get local issuer/,
        );
        // The function's default anchors (the RDS CAs) do not trust this server either.
        await assert.rejects(
            ensureUsers(REQUEST, { ...target(), ca: RDS_CA_CERTIFICATES.join("\n") }),
            /self[- ]signed certificate|unable to verify|unable to get local issuer/,
        );
    });
});

describe("apps/lambdas/db-users against a real MariaDB", function () {
    this.timeout(180_000);
    let server: DbServer;
    const connect = (user = "root", password = "", ca = server.ca, port = server.port): Promise<Connection> =>
        createConnection({ host: "127.0.0.1", port, user, password, ssl: tls(ca), connectTimeout: 2000 });
    const sql = async (text: string): Promise<Record<string, unknown>[]> => {
        const c = await connect();
        try {
            return (await c.query(text))[0] as Record<string, unknown>[];
        } finally {
            await c.end();
        }
    };
    const grants = async (account: string) => (await sql(`SHOW GRANTS FOR ${account}`)).map((r) => Object.values(r)[0]);
    const target = (): Target => ({ host: "127.0.0.1", port: server.port, ca: server.ca, ...MASTER });
    /** Replaces the RDS plugin, which MariaDB does not have, by one it has (see the file comment). */
    const STAND_IN = "IDENTIFIED WITH unix_socket AS 'RDS'";
    const REQUEST: DbUsersRequest = {
        engine: "mysql",
        database: "spotmusic",
        users: [
            { name: "web_api", privileges: MYSQL_SCHEMA_OWNER },
            { name: "workers", privileges: MYSQL_READ_WRITE },
            { name: "order", privileges: ["SELECT"] },
        ],
    };

    before(async function () {
        server = await startMariadb(async (port, ca) => {
            try {
                const c = await createConnection({
                    host: "127.0.0.1",
                    port,
                    user: "root",
                    ssl: tls(ca),
                    connectTimeout: 2000,
                });
                await c.end();
                return true;
            } catch {
                return false;
            }
        });
        await sql("CREATE DATABASE spotmusic");
        await sql(`CREATE USER dbadmin@'%' IDENTIFIED BY '${MASTER.password}'`);
        await sql("GRANT ALL PRIVILEGES ON *.* TO dbadmin@'%' WITH GRANT OPTION");
        await sql("CREATE USER legacy_app@'%' IDENTIFIED BY 'legacy'");
        await sql("GRANT SELECT ON spotmusic.* TO legacy_app@'%'");
        await sql("CREATE USER workers@'%' IDENTIFIED BY 'made-by-hand'");
    });
    after(async () => server?.stop());

    it("MariaDB parses the RDS CREATE USER and refuses it only for the missing plugin (error 1524, as the RDS guide says)", async () => {
        await assert.rejects(
            quiet(() => ensureUsers(REQUEST, target())),
            (err: { errno?: number; message: string }) =>
                err.errno === 1524 && err.message === "Plugin 'AWSAuthenticationPlugin' is not loaded",
        );
        assert.deepEqual(await sql("SELECT User FROM mysql.user WHERE User = 'web_api'"), []);
    });

    it("creates the missing users with REQUIRE SSL and exactly the listed privileges on the database", async () => {
        const legacyBefore = await grants("legacy_app@'%'");
        const result = await quiet(() => ensureUsers(REQUEST, target(), STAND_IN));
        assert.deepEqual(result.users, [
            { name: "web_api", created: true },
            { name: "workers", created: false },
            { name: "order", created: true },
        ]);
        assert.deepEqual(await grants("web_api@'%'"), [
            "GRANT USAGE ON *.* TO `web_api`@`%` IDENTIFIED VIA unix_socket USING 'RDS' REQUIRE SSL",
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER ON `spotmusic`.* TO `web_api`@`%`",
        ]);
        assert.deepEqual(await grants("`order`@'%'"), [
            "GRANT USAGE ON *.* TO `order`@`%` IDENTIFIED VIA unix_socket USING 'RDS' REQUIRE SSL",
            "GRANT SELECT ON `spotmusic`.* TO `order`@`%`",
        ]);
        // The listed user that existed is not re-created (its password stays); it gets REQUIRE SSL and its grants.
        const [workers] = await sql("SELECT plugin, ssl_type FROM mysql.user WHERE User = 'workers'");
        assert.deepEqual(workers, { plugin: "mysql_native_password", ssl_type: "ANY" });
        assert.deepEqual(
            (await grants("workers@'%'"))[1],
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `spotmusic`.* TO `workers`@`%`",
        );
        assert.deepEqual(await grants("legacy_app@'%'"), legacyBefore);
    });

    it("is idempotent: a second run creates nothing and changes no grant", async () => {
        const accounts = ["web_api@'%'", "workers@'%'", "`order`@'%'", "legacy_app@'%'", "dbadmin@'%'"];
        const before = await Promise.all(accounts.map(grants));
        const result = await quiet(() => ensureUsers(REQUEST, target(), STAND_IN));
        assert.deepEqual(
            result.users.map((u) => u.created),
            [false, false, false],
        );
        assert.deepEqual(await Promise.all(accounts.map(grants)), before);
    });

    it("refuses a server certificate from another CA (no fallback to an unverified connection)", async () => {
        await assert.rejects(
            ensureUsers(REQUEST, { ...target(), ca: server.otherCa }, STAND_IN),
            /self[- ]signed certificate|unable to verify|unable to get local issuer/,
        );
    });
});
