/**
 * The SQL the `db-users` function runs, per engine, and the idempotent "ensure" loops that run it.
 *
 * Identifiers are never concatenated raw: every user, database and schema name is validated
 * ({@link requestProblems}) AND quoted with the driver's own escaping (`pg`'s `escapeIdentifier`,
 * mysql2's `escapeId` with qualified names forbidden); the only other words in the SQL are constants of
 * this module and MySQL privileges taken from the {@link MYSQL_PRIVILEGES} allow-list. Lookups use bound
 * parameters.
 *
 * PostgreSQL, per user (statements from the RDS guide,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html#UsingWithRDS.IAMDBAuth.DBAccounts.PostgreSQL:
 * "CREATE USER db_userx; GRANT rds_iam TO db_userx;"), in one transaction:
 *   CREATE USER "<user>"                              -- only when pg_roles has no such role
 *   GRANT rds_iam TO "<user>"                         -- IAM tokens instead of a password
 *   GRANT CONNECT ON DATABASE "<database>" TO "<user>"
 *   CREATE SCHEMA IF NOT EXISTS "<user>"              -- the service's own schema, owned by the master user
 *   GRANT USAGE, CREATE ON SCHEMA "<user>" TO "<user>" -- it creates (and so owns) its tables there
 * The default `search_path` (`"$user", public`) finds the schema named after the user without any
 * setting; no service gets any privilege on another service's schema.
 *
 * MySQL, per user (the RDS guide, same page, MariaDB and MySQL section:
 * "CREATE USER 'jane_doe' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';" and
 * "ALTER USER 'jane_doe'@'%' REQUIRE SSL;"):
 *   CREATE USER `<user>`@`%` IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'  -- only when mysql.user has none
 *   ALTER USER `<user>`@`%` REQUIRE SSL
 *   GRANT <privileges> ON `<database>`.* TO `<user>`@`%`
 *
 * Nothing is ever revoked or dropped: a user that leaves the list keeps its grants until removed by
 * hand (the RDS guide: "If you remove a user ... remove the database account with the DROP USER
 * statement"), and a user that already exists is not re-created or altered beyond the grants above.
 */
import { escapeIdentifier } from "pg";
import { escapeId } from "mysql2";

import { DatabaseUser, DbUsersRequest, MYSQL_PRIVILEGES, MysqlPrivilege } from "./request";

/** The role RDS for PostgreSQL provides for IAM database authentication. */
export const RDS_IAM_ROLE = "rds_iam";
/** The authentication clause of the RDS guide for MySQL users that sign in with IAM tokens. */
export const RDS_MYSQL_AUTH = "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'";
/** The host part of every MySQL account made here: any host (the security groups decide who connects). */
export const MYSQL_HOST = "%";

/** What happened to one user. */
export interface UserOutcome {
    readonly name: string;
    /** True when this run created the user; false when it already existed (its grants were ensured). */
    readonly created: boolean;
}

/** The part of `pg.Client` used here. */
export interface PgQueryable {
    query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

/** The part of a mysql2/promise connection used here. */
export interface MysqlQueryable {
    query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
}

/** The PostgreSQL statements for `user` in `database`; `exists` leaves out CREATE USER. */
export function postgresStatements(database: string, user: string, exists: boolean): string[] {
    const role = escapeIdentifier(user);
    return [
        ...(exists ? [] : [`CREATE USER ${role}`]),
        `GRANT ${RDS_IAM_ROLE} TO ${role}`,
        `GRANT CONNECT ON DATABASE ${escapeIdentifier(database)} TO ${role}`,
        `CREATE SCHEMA IF NOT EXISTS ${role}`,
        `GRANT USAGE, CREATE ON SCHEMA ${role} TO ${role}`,
    ];
}

/** Quotes a MySQL identifier; a dot is refused rather than read as a qualifier. */
function mysqlId(name: string): string {
    return escapeId(name, true);
}

/**
 * The MySQL statements for `user` in `database`; `exists` leaves out CREATE USER. `authClause` is the
 * RDS one; tests against a server without the RDS plugin pass another (see test/apps/lambdas/db-users.spec.ts).
 */
export function mysqlStatements(
    database: string,
    user: DatabaseUser,
    exists: boolean,
    authClause: string = RDS_MYSQL_AUTH,
): string[] {
    const account = `${mysqlId(user.name)}@${mysqlId(MYSQL_HOST)}`;
    // Each privilege is the allow-list's own constant, never the caller's string.
    const privileges = (user.privileges ?? []).map((p: MysqlPrivilege) => {
        const known = MYSQL_PRIVILEGES.find((k) => k === p);
        if (known === undefined) throw new Error(`unknown MySQL privilege ${JSON.stringify(p)}`);
        return known;
    });
    if (privileges.length === 0) throw new Error(`no MySQL privileges for ${user.name}`);
    return [
        ...(exists ? [] : [`CREATE USER ${account} ${authClause}`]),
        `ALTER USER ${account} REQUIRE SSL`,
        `GRANT ${privileges.join(", ")} ON ${mysqlId(database)}.* TO ${account}`,
    ];
}

/** Ensures every user of a PostgreSQL request, one transaction per user. */
export async function ensurePostgresUsers(client: PgQueryable, request: DbUsersRequest): Promise<UserOutcome[]> {
    const outcomes: UserOutcome[] = [];
    for (const user of request.users) {
        await client.query("BEGIN");
        try {
            const found = await client.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [user.name]);
            const exists = (found.rowCount ?? 0) > 0;
            for (const sql of postgresStatements(request.database, user.name, exists)) await client.query(sql);
            await client.query("COMMIT");
            outcomes.push({ name: user.name, created: !exists });
        } catch (err) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw err;
        }
    }
    return outcomes;
}

/** Ensures every user of a MySQL request (account statements commit implicitly in MySQL). */
export async function ensureMysqlUsers(
    connection: MysqlQueryable,
    request: DbUsersRequest,
    authClause: string = RDS_MYSQL_AUTH,
): Promise<UserOutcome[]> {
    const outcomes: UserOutcome[] = [];
    for (const user of request.users) {
        const [rows] = await connection.query("SELECT COUNT(*) AS n FROM mysql.user WHERE User = ? AND Host = ?", [
            user.name,
            MYSQL_HOST,
        ]);
        const exists = Number((rows as { n: number | string }[])[0]?.n ?? 0) > 0;
        for (const sql of mysqlStatements(request.database, user, exists, authClause)) await connection.query(sql);
        outcomes.push({ name: user.name, created: !exists });
    }
    return outcomes;
}
