/**
 * postech's data tier: RDS PostgreSQL in the isolated subnets (TLS only, master password kept by RDS in Secrets
 * Manager), reached only from the pods' security group.
 */
import * as pulumi from "@pulumi/pulumi";
import { RelationalDatabase } from "../../infra/data/relational-database";
import { physicalName } from "../../infra/shared/naming";
import { derive, PostechStep } from "./settings";

/** The PostgreSQL database of the FastAPI application (`postech`). */
export function database(step: PostechStep): RelationalDatabase {
    const { name, settings: s, foundation, tags, scope, child } = step;
    const { keys, protect, logs } = derive(step);
    const network = foundation.network;
    return new RelationalDatabase(
        `${name}-db`,
        {
            engine: "postgres",
            identifier: physicalName(scope, "db", 63),
            instanceClass: s.database.instanceClass,
            allocatedStorageGb: s.database.allocatedStorageGb,
            maxAllocatedStorageGb: s.database.maxAllocatedStorageGb,
            databaseName: "postech",
            ...foundation.account,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.isolated,
            dataKmsKeyArn: keys.data,
            secretsKmsKeyArn: keys.secrets,
            logs,
            multiAz: s.database.multiAz,
            backupRetentionDays: s.database.backupRetentionDays,
            protect,
            tags,
        },
        child,
    );
}

/** PostgreSQL admits the EKS pods, by the cluster security group, and nothing else. */
export function databaseAccess(db: RelationalDatabase, clusterSecurityGroupId: pulumi.Input<string>): void {
    db.allowFrom("pods", clusterSecurityGroupId, "PostgreSQL from the EKS pods (cluster security group)");
}
