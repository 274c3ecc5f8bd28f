/**
 * ticketing, data tier: RDS PostgreSQL, the services' database users (IAM authentication) and the payment
 * provider's secret.
 */
import * as aws from "@pulumi/aws";
import { DatabaseUsers } from "../../infra/data/database-users";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { databaseUsers, relationalDatabase } from "../database";
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
    const retentionInDays = retentionDays(step);
    const db = relationalDatabase(step, "postgres", retentionInDays);
    // The services' PostgreSQL users (IAM authentication); the services that use the database start after them.
    const users = Object.values(DB_USERS).map((user) => ({ name: user }));
    const dbUsers = databaseUsers(step, db, users, retentionInDays);
    return { db, dbUsers, paymentSecret: paymentProviderSecret(step) };
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
