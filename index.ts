/**
 * The platform program: validate config -> foundation -> selected architectures -> stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./infra/config/load";
import { Foundation } from "./infra/foundation";
import { platformTags } from "./infra/shared/tags";
import { ARCHITECTURES } from "./stacks";

const config = loadConfig(ARCHITECTURES);
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
