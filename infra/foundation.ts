/**
 * The foundation every architecture builds on (`platform:foundation:Foundation`): network, KMS keys,
 * log archive bucket, alarm topic, ECS cluster, and the `us-east-1` provider for what CloudFront
 * requires there (ACM certificates, CLOUDFRONT-scope WAF web ACLs).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EcsCluster } from "./compute/ecs-cluster";
import { PlatformConfig } from "./config/load";
import { Network } from "./network/network";
import { AlarmTopic } from "./observability/alarm-topic";
import { LogArchiveBucket } from "./observability/log-archive-bucket";
import { PlatformKeys } from "./security/kms-keys";
import { CLOUDFRONT_REGION } from "./shared/aws-facts";
import { logGroupName, NameScope } from "./shared/naming";
import { platformTags } from "./shared/tags";

export const FOUNDATION = "foundation";

/** The account, partition and workload region resources are created in (ARNs, policies, conditions). */
export interface AwsAccount {
    readonly region: string;
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
}

export class Foundation extends pulumi.ComponentResource {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    /** `accountId`, `partition` and the workload region together, as most components take them. */
    readonly account: AwsAccount;
    readonly network: Network;
    readonly keys: PlatformKeys;
    readonly logArchive: LogArchiveBucket;
    readonly alarmTopic: AlarmTopic;
    readonly cluster: EcsCluster;
    /** Provider in us-east-1 for ACM certificates and WAF web ACLs used by CloudFront. */
    readonly edgeProvider: aws.Provider;

    constructor(name: string, args: { config: PlatformConfig }, opts?: pulumi.ComponentResourceOptions) {
        super("platform:foundation:Foundation", name, {}, opts);
        const { config } = args;
        const { profile } = config;
        const child = { parent: this };
        const tags = platformTags(config, FOUNDATION);
        const scope: NameScope = { project: config.project, environment: config.environment, architecture: FOUNDATION };

        this.accountId = aws.getCallerIdentityOutput({}, child).accountId;
        this.partition = aws.getPartitionOutput({}, child).partition;
        this.account = { accountId: this.accountId, partition: this.partition, region: config.region };
        const account = this.account;

        this.edgeProvider = new aws.Provider(`${name}-${CLOUDFRONT_REGION}`, { region: CLOUDFRONT_REGION }, child);

        this.keys = new PlatformKeys(
            `${name}-keys`,
            {
                ...account,
                aliasPrefix: `${config.project}-${config.environment}`,
                deletionWindowInDays: profile.protect ? 30 : 7,
                tags,
            },
            child,
        );

        this.network = new Network(
            `${name}-network`,
            {
                ...account,
                cidrBlock: profile.network.vpcCidr,
                azCount: profile.network.azCount,
                natGateways: profile.network.natGateways,
                interfaceEndpoints: profile.network.interfaceEndpoints,
                flowLogs: {
                    logGroupName: logGroupName(scope, "vpc-flow-logs"),
                    kmsKeyArn: this.keys.keyArns.logs,
                    retentionInDays: profile.logRetentionDays,
                },
                tags,
            },
            child,
        );

        this.logArchive = new LogArchiveBucket(
            `${name}-log-archive`,
            {
                ...account,
                retentionInDays: profile.logArchiveRetentionDays,
                protect: profile.protect,
                tags,
            },
            child,
        );

        this.alarmTopic = new AlarmTopic(
            `${name}-alarms`,
            {
                ...account,
                kmsKeyArn: this.keys.keyArns.messaging,
                email: profile.alarmEmail,
                subscriptions: profile.alarmSubscriptions,
                tags,
            },
            child,
        );

        this.cluster = new EcsCluster(
            `${name}-cluster`,
            {
                execLogGroupName: logGroupName(scope, "ecs-exec"),
                logsKmsKeyArn: this.keys.keyArns.logs,
                logRetentionInDays: profile.logRetentionDays,
                tags,
            },
            child,
        );

        this.registerOutputs({});
    }
}
