/**
 * The data steps ticketing and spotmusic share: an RDS instance in the isolated subnets, sized and protected
 * by `platform:<architecture>.database`, and its IAM-authenticated users, created at deploy time by a function
 * inside the VPC.
 */
import { z } from "zod";
import { DatabaseUser, DatabaseUsers } from "../infra/data/database-users";
import { DatabaseEngine, RelationalDatabase } from "../infra/data/relational-database";
import { databaseSettings } from "../infra/config/component-settings";
import { DashboardGraph } from "../infra/observability/dashboard";
import { physicalName } from "../infra/shared/naming";
import { StepContext } from "./architecture";

/** `platform:<architecture>.database`, as `databaseSettings` parses it. */
export type DatabaseSetting = z.infer<ReturnType<typeof databaseSettings>>;

/** A step of an architecture whose settings hold `database`. */
export type DatabaseStep = StepContext<{ database: DatabaseSetting }>;

/**
 * `<name>-db`: RDS `engine` in the isolated subnets, database and identifier named after the architecture,
 * storage encrypted with the foundation's data key, the master password in Secrets Manager under the secrets
 * key, engine logs kept `retentionInDays` days under the logs key.
 */
export function relationalDatabase(
    step: DatabaseStep,
    engine: DatabaseEngine,
    retentionInDays: number,
): RelationalDatabase {
    const { name, settings: s, foundation, config, scope, tags, child } = step;
    const keys = foundation.keys.keyArns;
    return new RelationalDatabase(
        `${name}-db`,
        {
            ...foundation.account,
            engine,
            engineVersion: s.database.engineVersion,
            identifier: physicalName(scope, "db", 63),
            instanceClass: s.database.instanceClass,
            allocatedStorageGb: s.database.allocatedStorageGb,
            maxAllocatedStorageGb: s.database.maxAllocatedStorageGb,
            databaseName: scope.architecture,
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.subnetIds.isolated,
            dataKmsKeyArn: keys.data,
            secretsKmsKeyArn: keys.secrets,
            logs: { kmsKeyArn: keys.logs, retentionInDays },
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
 * `<name>-db-users`: `users` on `db`, created by the `<scope>-db-users` function in the private subnets
 * (which reach Secrets Manager for the master password), its log group kept `retentionInDays` days.
 */
export function databaseUsers(
    step: DatabaseStep,
    db: RelationalDatabase,
    users: DatabaseUser[],
    retentionInDays: number,
): DatabaseUsers {
    const { name, foundation, scope, tags, child } = step;
    const keys = foundation.keys.keyArns;
    return new DatabaseUsers(
        `${name}-db-users`,
        {
            ...foundation.account,
            database: db,
            users,
            functionName: physicalName(scope, "db-users", 64),
            vpc: { vpcId: foundation.network.vpcId, subnetIds: foundation.network.subnetIds.private },
            secretsKmsKeyArn: keys.secrets,
            logs: { kmsKeyArn: keys.logs, retentionInDays },
            tags,
        },
        child,
    );
}

/** The database's dashboard graph: CPU (%, average) and connections (maximum) of the RDS instance. */
export function databaseGraph(db: RelationalDatabase): DashboardGraph {
    return {
        title: "RDS: CPU (%) and connections",
        metrics: [
            {
                namespace: "AWS/RDS",
                metricName: "CPUUtilization",
                dimensions: { DBInstanceIdentifier: db.instanceIdentifier },
                label: "CPU",
            },
            {
                namespace: "AWS/RDS",
                metricName: "DatabaseConnections",
                dimensions: { DBInstanceIdentifier: db.instanceIdentifier },
                label: "connections",
                stat: "Maximum",
            },
        ],
    };
}
