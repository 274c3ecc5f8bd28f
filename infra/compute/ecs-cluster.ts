/**
 * The shared ECS cluster (`platform:compute:EcsCluster`): Container Insights on, Fargate and Fargate
 * Spot capacity providers (Fargate by default), and ECS Exec sessions logged to an encrypted log group.
 *
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface EcsClusterArgs {
    /** Log group for ECS Exec session logs. */
    execLogGroupName: string;
    /** KMS key ARN for the exec log group and the exec session data channel. */
    logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the exec log group, in days (a CloudWatch Logs retention value). */
    logRetentionInDays: number;
    tags: Record<string, string>;
}

export class EcsCluster extends pulumi.ComponentResource {
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:EcsCluster", name, {}, opts);
        const child = { parent: this };
        const execLogs = new aws.cloudwatch.LogGroup(
            `${name}-exec-logs`,
            {
                name: args.execLogGroupName,
                retentionInDays: args.logRetentionInDays,
                kmsKeyId: args.logsKmsKeyArn,
                tags: args.tags,
            },
            child,
        );
        const cluster = new aws.ecs.Cluster(
            name,
            {
                settings: [{ name: "containerInsights", value: "enabled" }],
                configuration: {
                    executeCommandConfiguration: {
                        kmsKeyId: args.logsKmsKeyArn,
                        logging: "OVERRIDE",
                        logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: true },
                    },
                },
                tags: args.tags,
            },
            child,
        );
        new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
            },
            child,
        );
        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName });
    }
}
