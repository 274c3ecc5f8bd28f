/**
 * ticketing, data tier: RDS PostgreSQL, the services' database users (IAM authentication) and the payment
 * provider's secret.
 */
import * as aws from "@pulumi/aws";
import { DatabaseUsers } from "../../infra/data/database-users";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { physicalName } from "../../infra/shared/naming";
import { DB_USERS, NAME, retentionDays, TicketingStep } from "./settings";

/** What later steps use of the data tier. */
export interface DataTier {
    /** The PostgreSQL instance (database `ticketing`, isolated subnets). */
    db: RelationalDatabase;
    /** The services' PostgreSQL users; the services that use the database start after them. */
    dbUsers: DatabaseUsers;
    /** The payment provider's API credentials, read by checkout-service. */
    paymentSecret: aws.secretsmanager.Secret;
}

/** The data tier: PostgreSQL, its users and the payment provider's secret. */
export function dataTier(step: TicketingStep): DataTier {
    const db = database(step);
    return { db, dbUsers: databaseUsers(step, db), paymentSecret: paymentProviderSecret(step) };
}

/** RDS PostgreSQL in the isolated subnets, encrypted with the foundation's data key. */
export function database(step: TicketingStep): RelationalDatabase {
    const { name, settings: s, foundation, config, scope, tags, child } = step;
    const keys = foundation.keys.keyArns;
    return new RelationalDatabase(
        `${name}-db`,
        {
            ...foundation.account,
            engine: "postgres",
            engineVersion: s.database.engineVersion,
            identifier: physicalName(scope, "db", 63),
            instanceClass: s.database.instanceClass,
            allocatedStorageGb: s.database.allocatedStorageGb,
            maxAllocatedStorageGb: s.database.maxAllocatedStorageGb,
            databaseName: NAME,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.isolated,
            dataKmsKeyArn: keys.data,
            secretsKmsKeyArn: keys.secrets,
            logs: { kmsKeyArn: keys.logs, retentionInDays: retentionDays(step) },
            multiAz: s.database.multiAz,
            backupRetentionDays: s.database.backupRetentionDays,
            protect: config.profile.protect,
            performanceInsights: s.database.performanceInsights,
            monitoringIntervalSeconds: s.database.monitoringIntervalSeconds,
            tags,
        },
        child,
    );
}

/**
 * The services' PostgreSQL users (IAM authentication), created at deploy time from inside the VPC; the services
 * that use the database start after them.
 */
export function databaseUsers(step: TicketingStep, db: RelationalDatabase): DatabaseUsers {
    const { name, foundation, scope, tags, child } = step;
    const keys = foundation.keys.keyArns;
    return new DatabaseUsers(
        `${name}-db-users`,
        {
            ...foundation.account,
            database: db,
            users: Object.values(DB_USERS).map((user) => ({ name: user })),
            functionName: physicalName(scope, "db-users", 64),
            vpc: { vpcId: foundation.network.vpcId, subnetIds: foundation.network.subnetIds.private },
            secretsKmsKeyArn: keys.secrets,
            logs: { kmsKeyArn: keys.logs, retentionInDays: retentionDays(step) },
            tags,
        },
        child,
    );
}

/**
 * The payment provider's API credentials: the value is put by an operator (docs/ticketing.md), read by
 * checkout-service at run time.
 */
export function paymentProviderSecret(step: TicketingStep): aws.secretsmanager.Secret {
    const { name, foundation, config, tags, child } = step;
    return new aws.secretsmanager.Secret(
        `${name}-payment-provider`,
        {
            description: `${NAME}: payment provider API credentials (JSON), read by checkout-service`,
            kmsKeyId: foundation.keys.keyArns.secrets,
            recoveryWindowInDays: config.profile.protect ? 30 : 7,
            tags,
        },
        child,
    );
}
