/**
 * The request the `db-users` function accepts, and its validation, shared by the handler (which refuses
 * a bad request before connecting) and the Pulumi component `platform:data:DatabaseUsers` (which refuses
 * it before registering anything).
 *
 * User names are a deliberately narrow subset of what both engines accept unquoted, so that the same
 * name is valid, case-stable and quoting-free everywhere it appears (SQL, the IAM policy's
 * `rds-db:connect` ARN, the service's `DB_USER`):
 *
 * - PostgreSQL: identifiers begin with a letter or `_`, continue with letters, digits, `_` or `$`, and
 *   are at most NAMEDATALEN-1 = 63 bytes
 *   (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS); role
 *   names beginning with `pg_` are reserved (https://www.postgresql.org/docs/current/database-roles.html).
 * - MySQL: user names are at most 32 characters
 *   (https://dev.mysql.com/doc/refman/8.0/en/user-names.html); unquoted identifiers may hold
 *   `[0-9a-zA-Z$_]` (https://dev.mysql.com/doc/refman/8.0/en/identifiers.html).
 * - IAM database authentication: "The user name used for IAM authentication must match the case of
 *   the user name in the database"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html),
 *   hence lower case only.
 *
 * Accepted here: `^[a-z][a-z0-9_]*$`, at most 63 (PostgreSQL) or 32 (MySQL) characters, not a name RDS
 * or the engine keeps for itself (`rdsadmin`, `rds_*`, `pg_*`, `postgres`, `root`, `mysql`, ...).
 */

export type Engine = "postgres" | "mysql";

/**
 * Privileges a MySQL user may be granted on the architecture's database (`<database>.*`); nothing on
 * `*.*`, no `GRANT OPTION`, no administrative privilege.
 * https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html
 */
export const MYSQL_PRIVILEGES = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "ALTER",
    "INDEX",
    "DROP",
    "REFERENCES",
] as const;
export type MysqlPrivilege = (typeof MYSQL_PRIVILEGES)[number];

/** Data read and write, no schema change (a MySQL user that does not own the schema). */
export const MYSQL_READ_WRITE: readonly MysqlPrivilege[] = ["SELECT", "INSERT", "UPDATE", "DELETE"];
/** Data read and write plus schema changes on the database (the MySQL user that runs the schema migration). */
export const MYSQL_SCHEMA_OWNER: readonly MysqlPrivilege[] = [...MYSQL_PRIVILEGES];

/** One database user to ensure. */
export interface DatabaseUser {
    /** The user name (see the module comment for the rules). */
    readonly name: string;
    /**
     * MySQL only, required there: privileges on `<database>.*`, from {@link MYSQL_PRIVILEGES}.
     * PostgreSQL users always get the same fixed set (CONNECT on the database, USAGE and CREATE on
     * their own schema) and must not set this.
     */
    readonly privileges?: readonly MysqlPrivilege[];
}

/** The function's input (the `aws.lambda.Invocation` `input`). */
export interface DbUsersRequest {
    readonly engine: Engine;
    /** The database the users work in (the instance's `dbName`). */
    readonly database: string;
    /** At least one user, names unique. */
    readonly users: readonly DatabaseUser[];
}

/** Maximum user name length per engine. */
export const MAX_USER_NAME_LENGTH: Record<Engine, number> = { postgres: 63, mysql: 32 };

const USER_NAME = /^[a-z][a-z0-9_]*$/;
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const RESERVED_NAMES = new Set(["postgres", "root", "admin", "rdsadmin", "rdsrepladmin", "rdsproxyadmin", "mysql"]);
const RESERVED_PREFIXES = ["pg_", "rds_", "mysql_"];

/** Why `name` cannot be a user of `engine`, or undefined when it can. */
export function userNameProblem(engine: Engine, name: unknown): string | undefined {
    const max = MAX_USER_NAME_LENGTH[engine];
    if (typeof name !== "string" || !USER_NAME.test(name) || name.length > max)
        return (
            `user name must be 1-${max} lower-case letters, digits and _, starting with a letter; ` +
            `got ${JSON.stringify(name)}`
        );
    if (!RESERVED_NAMES.has(name) && !RESERVED_PREFIXES.some((p) => name.startsWith(p))) return undefined;
    const reserved = [...RESERVED_NAMES, ...RESERVED_PREFIXES.map((p) => `${p}*`)].join(", ");
    return `user name ${JSON.stringify(name)} is reserved by RDS or the engine (${reserved})`;
}

/**
 * Every problem with `request` (empty when it is valid): engine, database name, user names (rules
 * above, unique), and privileges (required and from {@link MYSQL_PRIVILEGES} for MySQL, absent for
 * PostgreSQL).
 */
export function requestProblems(request: unknown): string[] {
    const r = (request ?? {}) as Partial<DbUsersRequest>;
    const p: string[] = [];
    if (r.engine !== "postgres" && r.engine !== "mysql") {
        return [`engine must be postgres or mysql; got ${JSON.stringify(r.engine)}`];
    }
    if (typeof r.database !== "string" || !DATABASE_NAME.test(r.database))
        p.push(
            `database must be 1-63 letters, digits and _, starting with a letter; got ${JSON.stringify(r.database)}`,
        );
    if (!Array.isArray(r.users) || r.users.length === 0) {
        p.push("users must be a non-empty list");
        return p;
    }
    const seen = new Set<string>();
    r.users.forEach((user: DatabaseUser, i: number) => {
        const problem = userNameProblem(r.engine!, user?.name);
        if (problem) p.push(`users[${i}]: ${problem}`);
        else if (seen.has(user.name)) p.push(`users[${i}]: user name ${user.name} is listed twice`);
        seen.add(user?.name);
        p.push(...privilegeProblems(r.engine!, user, i));
    });
    return p;
}

function privilegeProblems(engine: Engine, user: DatabaseUser, i: number): string[] {
    if (engine === "postgres") {
        return user?.privileges === undefined
            ? []
            : [`users[${i}].privileges applies to MySQL only (PostgreSQL users get CONNECT and their own schema)`];
    }
    const privileges: unknown = user?.privileges;
    if (!Array.isArray(privileges) || privileges.length === 0)
        return [`users[${i}].privileges must be a non-empty list of ${MYSQL_PRIVILEGES.join(", ")}`];
    return (privileges as unknown[])
        .filter((x) => !(MYSQL_PRIVILEGES as readonly string[]).includes(x as string))
        .map((x) => `users[${i}].privileges: ${JSON.stringify(x)} is not one of ${MYSQL_PRIVILEGES.join(", ")}`);
}
