/**
 * The platform program: validate config -> foundation -> selected architectures -> stack outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./infra/config/load";
import { Foundation } from "./infra/foundation";
import { registerPermissionsBoundary, workloadBoundaryArn } from "./infra/security/permissions-boundary";
import { platformTags } from "./infra/shared/tags";
import { ARCHITECTURES } from "./stacks";

const config = loadConfig(ARCHITECTURES);
// Every IAM role gets the bootstrap's permissions boundary (infra/security/permissions-boundary.ts).
registerPermissionsBoundary(
    pulumi
        .all([aws.getPartitionOutput().partition, aws.getCallerIdentityOutput().accountId])
        .apply(([partition, accountId]) => workloadBoundaryArn(partition, accountId)),
);
const foundation = new Foundation("foundation", { config });

const deployed: Record<string, Record<string, pulumi.Input<unknown>>> = {};
for (const name of config.architectures) {
    deployed[name] = ARCHITECTURES[name].deploy({
        config,
        settings: config.settings[name],
        foundation,
        tags: platformTags(config, name),
        scope: { project: config.project, environment: config.environment, architecture: name },
    });
}

export const region = config.region;
export const environment = config.environment;
export const vpcId = foundation.network.vpcId;
export const subnetIds = foundation.network.subnetIds;
export const kmsKeyArns = foundation.keys.keyArns;
export const logArchiveBucket = foundation.logArchive.bucketName;
export const alarmTopicArn = foundation.alarmTopic.topicArn;
export const ecsClusterName = foundation.cluster.clusterName;
export const architectures = deployed;
