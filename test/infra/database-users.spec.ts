/**
 * DatabaseUsers on its own, under the offline plan's mocks: the function's role (exactly its logs,
 * traces, network interfaces, the master secret and the secrets key through Secrets Manager), its
 * security group rules and the database's rule admitting it, the function's settings, the invocation's
 * input and triggers, and validation before anything registers.
 */
import * as assert from "assert";
import { bundleLambda } from "../../apps/lambdas/build";
import { MYSQL_READ_WRITE, MYSQL_SCHEMA_OWNER } from "../../apps/lambdas/db-users/request";
import { DatabaseUsers, DatabaseUsersArgs } from "../../infra/data/database-users";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { componentHarness, plain, TAGS, value } from "./component-harness";

const h = componentHarness();
const KEYS = {
    data: "arn:aws:kms:sa-east-1:123456789012:key/data",
    secrets: "arn:aws:kms:sa-east-1:123456789012:key/secrets",
    logs: "arn:aws:kms:sa-east-1:123456789012:key/logs",
};
const T = {
    fn: "aws:lambda/function:Function",
    invocation: "aws:lambda/invocation:Invocation",
    policy: "aws:iam/rolePolicy:RolePolicy",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};
const ACCOUNT = { region: "sa-east-1", accountId: "123456789012", partition: "aws" };
const PRIVATE = ["subnet-private-a", "subnet-private-b"];

function database(name: string, engine: "postgres" | "mysql"): RelationalDatabase {
    return new RelationalDatabase(name, {
        ...ACCOUNT,
        engine,
        identifier: name,
        instanceClass: engine === "mysql" ? "db.t4g.medium" : "db.t4g.micro",
        allocatedStorageGb: 20,
        databaseName: engine === "mysql" ? "spotmusic" : "ticketing",
        vpcId: "vpc-1",
        subnetIds: ["subnet-iso-a", "subnet-iso-b"],
        dataKmsKeyArn: KEYS.data,
        secretsKmsKeyArn: KEYS.secrets,
        logs: { kmsKeyArn: KEYS.logs, retentionInDays: 30 },
        multiAz: false,
        backupRetentionDays: 1,
        protect: false,
        tags: TAGS,
    });
}

function usersArgs(db: RelationalDatabase, overrides: Partial<DatabaseUsersArgs> = {}): DatabaseUsersArgs {
    return {
        ...ACCOUNT,
        database: db,
        users: [{ name: "ticket_service" }, { name: "product_service" }],
        functionName: "platform-test-db-users",
        vpc: { vpcId: "vpc-1", subnetIds: PRIVATE },
        secretsKmsKeyArn: KEYS.secrets,
        logs: { kmsKeyArn: KEYS.logs, retentionInDays: 30 },
        tags: TAGS,
        ...overrides,
    };
}

describe("DatabaseUsers (under mocks)", () => {
    before(() => h.install());

    describe("PostgreSQL", () => {
        let db: RelationalDatabase;
        let users: DatabaseUsers;
        before(async () => {
            db = database("pg-db", "postgres");
            users = new DatabaseUsers("pg-users", usersArgs(db));
            await h.settle(users.result);
        });

        it("its role may read exactly the master secret, and decrypt with the secrets key only through Secrets Manager", async () => {
            const policy = JSON.parse(await value(h.one(T.policy, "pg-users-fn-policy").inputs.policy));
            const logGroupArn = "arn:aws:logs:sa-east-1:123456789012:log-group:/aws/lambda/platform-test-db-users";
            assert.deepStrictEqual(policy, {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "WriteItsLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: `${logGroupArn}:*`,
                    },
                    {
                        Sid: "SendTraces",
                        Effect: "Allow",
                        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                        Resource: "*",
                    },
                    {
                        Sid: "ManageItsNetworkInterfaces",
                        Effect: "Allow",
                        Action: [
                            "ec2:CreateNetworkInterface",
                            "ec2:DeleteNetworkInterface",
                            "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets",
                            "ec2:AssignPrivateIpAddresses",
                            "ec2:UnassignPrivateIpAddresses",
                        ],
                        Resource: "*",
                    },
                    {
                        Sid: "ReadTheMasterSecret",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: await value(db.masterUserSecretArn),
                    },
                    {
                        Sid: "DecryptTheMasterSecret",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: KEYS.secrets,
                        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
                    },
                ],
            });
            assert.match(
                await value(db.masterUserSecretArn),
                /^arn:aws:secretsmanager:sa-east-1:123456789012:secret:rds!db-/,
            );
        });

        it("runs in the private subnets, out only to the database port and HTTPS; the database admits it on 5432", async () => {
            const fnSg = await value(users.securityGroupId);
            const dbSg = await value(db.securityGroupId);
            const egress = h
                .ofType(T.egress, "pg-users-")
                .map((r) => ({ name: r.name, ...plain(r.inputs) }))
                .sort((a, b) => a.name.localeCompare(b.name));
            assert.deepStrictEqual(
                egress.map(
                    ({ name, securityGroupId, ipProtocol, fromPort, toPort, referencedSecurityGroupId, cidrIpv4 }) => ({
                        name,
                        securityGroupId,
                        ipProtocol,
                        fromPort,
                        toPort,
                        referencedSecurityGroupId,
                        cidrIpv4,
                    }),
                ),
                [
                    {
                        name: "pg-users-fn-out-db",
                        securityGroupId: fnSg,
                        ipProtocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        referencedSecurityGroupId: dbSg,
                        cidrIpv4: undefined,
                    },
                    {
                        name: "pg-users-fn-out-secrets-manager",
                        securityGroupId: fnSg,
                        ipProtocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        referencedSecurityGroupId: undefined,
                        cidrIpv4: "0.0.0.0/0",
                    },
                ],
            );
            const ingress = plain(h.one(T.ingress, "pg-db-in-db-users").inputs);
            assert.deepStrictEqual(
                [
                    ingress.securityGroupId,
                    ingress.referencedSecurityGroupId,
                    ingress.ipProtocol,
                    ingress.fromPort,
                    ingress.toPort,
                ],
                [dbSg, fnSg, "tcp", 5432, 5432],
            );
            assert.deepStrictEqual(
                h.ofType(T.ingress, "pg-users-"),
                [],
                "nothing may call the function over the network",
            );
            const fn = plain(h.one(T.fn, "pg-users-fn").inputs);
            assert.deepStrictEqual(fn.vpcConfig.subnetIds, PRIVATE);
            assert.deepStrictEqual(fn.vpcConfig.securityGroupIds, [fnSg]);
        });

        it("the function: the db-users bundle, 60 s, host, port and secret ARN in its environment (no secret value)", async () => {
            const fn = plain(h.one(T.fn, "pg-users-fn").inputs);
            assert.strictEqual(fn.name, "platform-test-db-users");
            assert.strictEqual(fn.handler, "index.handler");
            assert.strictEqual(fn.runtime, "nodejs22.x");
            assert.strictEqual(fn.timeout, 60);
            assert.strictEqual(fn.tags.CodeSha256, bundleLambda("db-users").sha256);
            assert.deepStrictEqual(fn.environment.variables, {
                DB_HOST: await value(db.address),
                DB_PORT: "5432",
                MASTER_SECRET_ARN: await value(db.masterUserSecretArn),
            });
        });

        it("the invocation: the request as input, re-run when the users, the instance or the code change", async () => {
            const inv = plain(h.one(T.invocation, "pg-users").inputs);
            assert.strictEqual(inv.functionName, "platform-test-db-users");
            assert.strictEqual(
                inv.input,
                '{"engine":"postgres","database":"ticketing","users":[{"name":"ticket_service"},{"name":"product_service"}]}',
            );
            assert.deepStrictEqual(inv.triggers, {
                users: '[{"name":"ticket_service"},{"name":"product_service"}]',
                instance: await value(db.resourceId),
                code: bundleLambda("db-users").sha256,
            });
            assert.strictEqual(inv.lifecycleScope, undefined, "CREATE_ONLY (the default): never invoked on delete");
            assert.deepStrictEqual(JSON.parse(await value(users.result)), {
                engine: "postgres",
                database: "ticketing",
                users: [
                    { name: "ticket_service", created: true },
                    { name: "product_service", created: true },
                ],
            });
        });
    });

    it("MySQL: port 3306 both ways and the privileges in the input", async () => {
        const db = database("my-db", "mysql");
        const users = new DatabaseUsers(
            "my-users",
            usersArgs(db, {
                users: [
                    { name: "web_api", privileges: MYSQL_SCHEMA_OWNER },
                    { name: "workers", privileges: MYSQL_READ_WRITE },
                ],
            }),
        );
        await h.settle(users.result);
        assert.deepStrictEqual(
            h.ofType(T.egress, "my-users-fn-out-db").map((r) => [r.inputs.fromPort, r.inputs.toPort]),
            [[3306, 3306]],
        );
        assert.deepStrictEqual([h.one(T.ingress, "my-db-in-db-users").inputs.fromPort], [3306]);
        assert.deepStrictEqual(JSON.parse(h.one(T.invocation, "my-users").inputs.input), {
            engine: "mysql",
            database: "spotmusic",
            users: [
                {
                    name: "web_api",
                    privileges: [
                        "SELECT",
                        "INSERT",
                        "UPDATE",
                        "DELETE",
                        "CREATE",
                        "ALTER",
                        "INDEX",
                        "DROP",
                        "REFERENCES",
                    ],
                },
                { name: "workers", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"] },
            ],
        });
    });

    it("refuses bad user names and engine mismatches before registering anything", () => {
        const db = database("bad-db", "postgres");
        assert.throws(
            () =>
                new DatabaseUsers(
                    "bad-users",
                    usersArgs(db, {
                        users: [
                            { name: "Robert'); DROP TABLE students;--" },
                            { name: "web_api", privileges: ["SELECT"] },
                        ],
                    }),
                ),
            {
                message:
                    'DatabaseUsers bad-users: users[0]: user name must be 1-63 lower-case letters, digits and _, starting with a letter; got "Robert\'); DROP TABLE students;--"; users[1].privileges applies to MySQL only (PostgreSQL users get CONNECT and their own schema)',
            },
        );
        assert.throws(
            () => new DatabaseUsers("none-users", usersArgs(db, { users: [] })),
            /users must be a non-empty list/,
        );
        assert.deepStrictEqual(
            h.registered
                .filter((r) => r.type !== "platform:data:DatabaseUsers")
                .filter(
                    (r) =>
                        r.name.startsWith("bad-users") ||
                        r.name.startsWith("none-users") ||
                        r.name === "bad-db-in-db-users",
                ),
            [],
        );
    });
});
