/**
 * The database users of one RDS instance, created by the program itself at deploy time
 * (`platform:data:DatabaseUsers`):
 *
 * - a Lambda function (`apps/lambdas/db-users`) in the private subnets, its security group allowed out
 *   to the database port (and the database's security group admitting it) and to HTTPS for Secrets
 *   Manager (through the NAT gateway, or the `secretsmanager` interface endpoint where the network has
 *   one: its private DNS name resolves to the endpoint);
 * - its role is the only one that may read the instance's master secret: `secretsmanager:GetSecretValue`
 *   on that secret's ARN, and `kms:Decrypt` on the secrets key only through Secrets Manager
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html);
 * - an `aws.lambda.Invocation` that runs it with `{ engine, database, users }`, on create and again
 *   whenever the user list (input), the instance (`resourceId`, new when the instance is replaced) or
 *   the function's code changes (`triggers`;
 *   https://www.pulumi.com/registry/packages/aws/api-docs/lambda/invocation/).
 *   A function error fails the invocation, and so the `pulumi up` (terraform-provider-aws
 *   `internal/service/lambda/invocation.go`: "Lambda function (%s) returned error: (%s)").
 *
 * What the function does on the database (idempotent, never revokes or drops) is documented in
 * `apps/lambdas/db-users/statements.ts`; user names follow `apps/lambdas/db-users/request.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { bundleLambda, LambdaBundle, LAMBDAS } from "../../apps/lambdas/build";
import { DatabaseUser, DbUsersRequest, requestProblems } from "../../apps/lambdas/db-users/request";
import { LambdaFunction } from "../serverless/lambda-function";
import { RelationalDatabase } from "./relational-database";

export type { DatabaseUser } from "../../apps/lambdas/db-users/request";
export { MYSQL_READ_WRITE, MYSQL_SCHEMA_OWNER } from "../../apps/lambdas/db-users/request";

export interface DatabaseUsersArgs {
    /** The instance whose users these are (engine, database name, port, security group, master secret). */
    database: RelationalDatabase;
    /**
     * The users to ensure, at least one, names unique: 1-63 (PostgreSQL) or 1-32 (MySQL) lower-case
     * letters, digits and `_`, starting with a letter, not reserved. MySQL users list their privileges
     * on the database; PostgreSQL users must not (they get CONNECT and their own schema).
     */
    users: DatabaseUser[];
    /** Physical function name, 1-64 letters, digits, `-` and `_` (names the log group). */
    functionName: string;
    /** The VPC and its private subnets (at least 2), which reach Secrets Manager (NAT or interface endpoint). */
    vpc: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[] };
    /** KMS key ARN of the master secret (the platform's secrets key). */
    secretsKmsKeyArn: pulumi.Input<string>;
    /** The function's log group: KMS key ARN and retention in days. */
    logs: { kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    region: string;
    tags: Record<string, string>;
}

/** Function timeout, seconds: connect (10 s) plus a few statements per user, well inside Lambda's 900. */
export const TIMEOUT_SECONDS = 60;

export class DatabaseUsers extends pulumi.ComponentResource {
    readonly functionName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The function's answer, JSON: `{ engine, database, users: [{ name, created }] }`. */
    readonly result: pulumi.Output<string>;

    constructor(name: string, args: DatabaseUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DatabaseUsers", name, {}, opts);
        const db = args.database;
        const request: DbUsersRequest = { engine: db.engine, database: db.databaseName, users: args.users };
        const problems = requestProblems(request);
        if (problems.length > 0) throw new Error(`DatabaseUsers ${name}: ${problems.join("; ")}`);
        const code = bundleLambda("db-users");

        const fn = this.lambdaFunction(name, args, code);
        const network = this.networkRules(fn, db);
        const invocation = this.invocation(name, args, request, { fn, code, network });

        this.functionName = fn.functionName;
        this.roleArn = fn.roleArn;
        this.securityGroupId = fn.securityGroupId!;
        this.result = invocation.result;
        this.registerOutputs({
            functionName: this.functionName,
            roleArn: this.roleArn,
            securityGroupId: this.securityGroupId,
            result: this.result,
        });
    }

    /** The `db-users` function in the private subnets; its role alone may read the master secret. */
    private lambdaFunction(name: string, args: DatabaseUsersArgs, code: LambdaBundle): LambdaFunction {
        const db = args.database;
        const spec = LAMBDAS["db-users"];
        return new LambdaFunction(
            `${name}-fn`,
            {
                functionName: args.functionName,
                description: spec.description,
                code,
                handler: spec.handler,
                runtime: spec.runtime,
                timeoutSeconds: TIMEOUT_SECONDS,
                environment: {
                    DB_HOST: db.address,
                    DB_PORT: String(db.port),
                    MASTER_SECRET_ARN: db.masterUserSecretArn,
                },
                policyStatements: [
                    {
                        Sid: "ReadTheMasterSecret",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: db.masterUserSecretArn,
                    },
                    {
                        Sid: "DecryptTheMasterSecret",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: args.secretsKmsKeyArn,
                        Condition: {
                            StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` },
                        },
                    },
                ],
                logs: args.logs,
                vpc: args.vpc,
                accountId: args.accountId,
                partition: args.partition,
                region: args.region,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /**
     * The function's egress to the database port and to HTTPS (Secrets Manager), and the database's
     * ingress from the function: what the invocation must wait for.
     */
    private networkRules(fn: LambdaFunction, db: RelationalDatabase): pulumi.Resource[] {
        const engineName = db.engine === "postgres" ? "PostgreSQL" : "MySQL";
        return [
            fn.allowEgressTo("db", {
                port: db.port,
                destinationSecurityGroupId: db.securityGroupId,
                description: `${engineName} to the database whose users it creates`,
            }),
            fn.allowEgressTo("secrets-manager", {
                port: 443,
                cidrIpv4: "0.0.0.0/0",
                description: "HTTPS to Secrets Manager (the interface endpoint, or the NAT gateway)",
            }),
            db.allowFrom("db-users", fn.securityGroupId!, `${engineName} from the database-users function`),
        ];
    }

    /** The deploy-time invocation, run again when the users, the instance or the function's code change. */
    private invocation(
        name: string,
        args: DatabaseUsersArgs,
        request: DbUsersRequest,
        parts: { fn: LambdaFunction; code: LambdaBundle; network: pulumi.Resource[] },
    ): aws.lambda.Invocation {
        return new aws.lambda.Invocation(
            name,
            {
                functionName: parts.fn.functionName,
                input: JSON.stringify(request),
                triggers: {
                    users: JSON.stringify(args.users),
                    instance: args.database.resourceId,
                    code: parts.code.sha256,
                },
            },
            { parent: this, dependsOn: parts.network },
        );
    }
}
