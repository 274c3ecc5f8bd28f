/**
 * spotmusic, data tier: RDS MySQL (IAM authentication), the workloads' MySQL users and ElastiCache Redis (TLS,
 * AUTH token in Secrets Manager).
 */
import { DatabaseUsers, MYSQL_READ_WRITE, MYSQL_SCHEMA_OWNER } from "../../infra/data/database-users";
import { RedisCache } from "../../infra/data/redis-cache";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { logGroupName } from "../../infra/shared/naming";
import { databaseUsers, relationalDatabase } from "../database";
import { DB_USERS, retentionDays, SpotmusicStep } from "./settings";

/** What later steps use of the data tier. */
export interface DataTier {
    /** The MySQL instance (database `spotmusic`, isolated subnets). */
    db: RelationalDatabase;
    /** The workloads' MySQL users; both workloads start after them. */
    dbUsers: DatabaseUsers;
    /** Redis (TLS, AUTH token), isolated subnets. */
    cache: RedisCache;
}

/** The data tier: MySQL, its users and Redis. */
export function dataTier(step: SpotmusicStep): DataTier {
    const retentionInDays = retentionDays(step);
    const db = relationalDatabase(step, "mysql", retentionInDays);
    // The workloads' MySQL users (IAM authentication): web-api owns the schema (runs the migration), workers
    // read and write data. Both start after them.
    const users = [
        { name: DB_USERS.webApi, privileges: MYSQL_SCHEMA_OWNER },
        { name: DB_USERS.workers, privileges: MYSQL_READ_WRITE },
    ];
    return { db, dbUsers: databaseUsers(step, db, users, retentionInDays), cache: redisCache(step) };
}

/** ElastiCache Redis in the isolated subnets: TLS, AUTH token in Secrets Manager, engine logs, snapshots. */
export function redisCache(step: SpotmusicStep): RedisCache {
    const { name, settings: s, foundation, config, scope, tags, child } = step;
    const keys = foundation.keys.keyArns;
    return new RedisCache(
        `${name}-cache`,
        {
            nodeType: s.cache.nodeType,
            replicas: s.cache.replicas,
            multiAz: s.cache.multiAz,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.isolated,
            dataKmsKeyArn: keys.data,
            secretsKmsKeyArn: keys.secrets,
            logs: {
                groupNamePrefix: logGroupName(scope, "cache"),
                kmsKeyArn: keys.logs,
                retentionInDays: retentionDays(step),
            },
            snapshotRetentionDays: s.cache.snapshotRetentionDays,
            protect: config.profile.protect,
            tags,
        },
        child,
    );
}
