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
 *   the function's code changes (`triggers`; https://www.pulumi.com/registry/packages/aws/api-docs/lambda/invocation/).
 *   A function error fails the invocation, and so the `pulumi up` (terraform-provider-aws
 *   `internal/service/lambda/invocation.go`: "Lambda function (%s) returned error: (%s)").
 *
 * What the function does on the database (idempotent, never revokes or drops) is documented in
 * `apps/lambdas/db-users/statements.ts`; user names follow `apps/lambdas/db-users/request.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { bundleLambda, LAMBDAS } from "../../apps/lambdas/build";
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
        const child = { parent: this };
        const spec = LAMBDAS["db-users"];
        const code = bundleLambda("db-users");
        const engineName = db.engine === "postgres" ? "PostgreSQL" : "MySQL";

        const fn = new LambdaFunction(
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
            child,
        );
        const securityGroupId = fn.securityGroupId!;
        const network = [
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
            db.allowFrom("db-users", securityGroupId, `${engineName} from the database-users function`),
        ];

        const invocation = new aws.lambda.Invocation(
            name,
            {
                functionName: fn.functionName,
                input: JSON.stringify(request),
                triggers: {
                    users: JSON.stringify(args.users),
                    instance: db.resourceId,
                    code: code.sha256,
                },
            },
            { parent: this, dependsOn: network },
        );

        this.functionName = fn.functionName;
        this.roleArn = fn.roleArn;
        this.securityGroupId = securityGroupId;
        this.result = invocation.result;
        this.registerOutputs({
            functionName: this.functionName,
            roleArn: this.roleArn,
            securityGroupId: this.securityGroupId,
            result: this.result,
        });
    }
}
