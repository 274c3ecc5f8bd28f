/**
 * A Redis OSS cache on Amazon ElastiCache (`platform:data:RedisCache`): one replication group
 * (cluster mode off: a primary and `replicas` read replicas) with
 *
 * - its own cache subnet group on the isolated subnets and its own security group with no ingress
 *   until the caller allows a client ({@link RedisCache.allowFrom}) and no egress;
 * - encryption at rest with the caller's KMS key (the platform's data key) and TLS required in
 *   transit (`transitEncryptionMode: required`);
 * - an AUTH token made by `random.RandomPassword` (64 letters and digits), kept in Secrets Manager
 *   with the secrets key under the JSON key `authToken` ({@link RedisCache.authTokenRef} for ECS);
 *   the token is also in the Pulumi state, as a secret;
 * - automatic failover and Multi-AZ when `multiAz` (needs at least one replica);
 * - daily snapshots kept `snapshotRetentionDays`, a final snapshot when `protect`;
 * - slow and engine logs to KMS-encrypted log groups with a retention.
 *
 * References: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SecretRef } from "../compute/fargate-service";
import { LOG_RETENTION_DAYS } from "../config/keys";
import { JsonSecret } from "../security/json-secret";

export const REDIS_PORT = 6379;

export interface RedisCacheArgs {
    /** Node type, e.g. `cache.t4g.micro`. */
    nodeType: string;
    /** Redis OSS engine version. Default `7.1`. */
    engineVersion?: string;
    /** Read replicas besides the primary, 0-5. Default 0. */
    replicas?: number;
    /** Automatic failover to a replica in another AZ; needs `replicas` of at least 1. */
    multiAz: boolean;
    vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ, at least 2. */
    subnetIds: pulumi.Input<string>[];
    /** KMS key ARN for data at rest and snapshots (the platform's data key). */
    dataKmsKeyArn: pulumi.Input<string>;
    /** KMS key ARN of the AUTH token secret (the platform's secrets key). */
    secretsKmsKeyArn: pulumi.Input<string>;
    /**
     * Log groups of the slow log and engine log: name prefix (`<prefix>/slow-log`), KMS key (logs key),
     * retention in days.
     */
    logs: { groupNamePrefix: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** Days daily snapshots are kept, 0-35 (0: none). Default 7. */
    snapshotRetentionDays?: number;
    /**
     * A final snapshot on delete and Pulumi `protect`; the secret keeps a 30-day recovery window (7
     * otherwise).
     */
    protect: boolean;
    tags: Record<string, string>;
}

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

function problemsOf(args: RedisCacheArgs): string[] {
    const p: string[] = [];
    const replicas = args.replicas ?? 0;
    const snapshots = args.snapshotRetentionDays ?? 7;
    if (!NODE_TYPE.test(args.nodeType))
        p.push(
            "nodeType must be an ElastiCache node type such as cache.t4g.micro; " +
                `got ${JSON.stringify(args.nodeType)}`,
        );
    if (args.engineVersion !== undefined && !/^[67]\.\d+$/.test(args.engineVersion))
        p.push(`engineVersion must be a Redis OSS version such as 7.1; got ${JSON.stringify(args.engineVersion)}`);
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5)
        p.push(`replicas must be an integer from 0 to 5; got ${replicas}`);
    if (args.multiAz && replicas < 1) p.push("multiAz needs at least 1 replica to fail over to");
    if (args.subnetIds.length < 2)
        p.push(
            "subnetIds must hold at least 2 subnets in different Availability Zones; " + `got ${args.subnetIds.length}`,
        );
    if (!Number.isInteger(snapshots) || snapshots < 0 || snapshots > 35)
        p.push(`snapshotRetentionDays must be an integer from 0 to 35; got ${snapshots}`);
    if (!/^[A-Za-z0-9_./#-]{1,480}$/.test(args.logs.groupNamePrefix))
        p.push(
            `logs.groupNamePrefix must be a log group name prefix; got ${JSON.stringify(args.logs.groupNamePrefix)}`,
        );
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        p.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    return p;
}

/** The logs ElastiCache delivers, each to its own log group. */
const LOG_TYPES = ["slow-log", "engine-log"] as const;

/** `{ "001": "<group id>-001", ... }`: the member clusters' ids of a cluster-mode-disabled group. */
function memberClusterIds(groupId: pulumi.Output<string>, nodes: number): Record<string, pulumi.Output<string>> {
    const ids: Record<string, pulumi.Output<string>> = {};
    for (let n = 1; n <= nodes; n++) {
        const number = String(n).padStart(3, "0");
        ids[number] = pulumi.interpolate`${groupId}-${number}`;
    }
    return ids;
}

/** What the replication group is built on, made by the steps before it. */
interface CacheParts {
    token: random.RandomPassword;
    subnetGroup: aws.elasticache.SubnetGroup;
    logGroups: aws.cloudwatch.LogGroup[];
}

export class RedisCache extends pulumi.ComponentResource {
    readonly replicationGroupId: pulumi.Output<string>;
    /**
     * The member clusters (one node each) by their number: `{ "001": "<replication group id>-001", ... }`,
     * one per node (1 + `replicas`). ElastiCache names the member clusters of a cluster-mode-disabled
     * replication group `<replication-group-id>-001`, `-002`, ... (example output of
     * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.ViewDetails.CLI.html), and
     * publishes the engine's metrics per `CacheClusterId` (and `CacheNodeId`), not per replication group
     * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.html): alarms and graphs
     * watch these ids.
     */
    readonly memberClusterIds: Record<string, pulumi.Output<string>>;
    readonly replicationGroupArn: pulumi.Output<string>;
    /** Host name of the primary (writes), following failovers. */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Host name spreading reads over the replicas. */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port = REDIS_PORT;
    readonly securityGroupId: pulumi.Output<string>;
    /** The secret holding `{"authToken": ...}`. */
    readonly authSecretArn: pulumi.Output<string>;
    private readonly authSecret: JsonSecret;
    private readonly componentName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:RedisCache", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`RedisCache ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.tags = args.tags;

        const token = this.authToken(name);
        this.authSecret = this.authTokenSecret(name, args, token);
        this.authSecretArn = this.authSecret.secretArn;
        const subnetGroup = this.subnetGroup(name, args);
        this.securityGroupId = this.securityGroup(name, args).id;
        const logGroups = this.logGroups(name, args);
        const group = this.replicationGroup(name, args, { token, subnetGroup, logGroups });

        this.replicationGroupId = group.id;
        this.memberClusterIds = memberClusterIds(group.id, 1 + (args.replicas ?? 0));
        this.replicationGroupArn = group.arn;
        this.primaryEndpoint = group.primaryEndpointAddress;
        this.readerEndpoint = group.readerEndpointAddress;
        this.registerOutputs({
            replicationGroupArn: this.replicationGroupArn,
            primaryEndpoint: this.primaryEndpoint,
            securityGroupId: this.securityGroupId,
            authSecretArn: this.authSecretArn,
        });
    }

    /** The AUTH token: 64 letters and digits. */
    private authToken(name: string): random.RandomPassword {
        // ElastiCache accepts 16-128 printable characters without spaces, / " @; letters and digits avoid any
        // quoting.
        return new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, { parent: this });
    }

    /** The secret holding the AUTH token for clients, encrypted with the secrets key. */
    private authTokenSecret(name: string, args: RedisCacheArgs, token: random.RandomPassword): JsonSecret {
        return new JsonSecret(
            `${name}-auth`,
            {
                description: `${name}: Redis AUTH token`,
                kmsKeyArn: args.secretsKmsKeyArn,
                values: { authToken: token.result },
                recoveryWindowInDays: args.protect ? 30 : 7,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** Its own cache subnet group on the isolated subnets. */
    private subnetGroup(name: string, args: RedisCacheArgs): aws.elasticache.SubnetGroup {
        return new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                description: `${name}: isolated subnets (no route to the internet)`,
                subnetIds: args.subnetIds,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** Its own security group: no ingress until {@link RedisCache.allowFrom}, no egress. */
    private securityGroup(name: string, args: RedisCacheArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description:
                    `ElastiCache ${name}: ingress only from the client security groups allowed explicitly; ` +
                    "no egress",
                revokeRulesOnDelete: true,
                tags: { ...args.tags, Name: `${name}-sg` },
            },
            { parent: this },
        );
    }

    /** The slow log's and engine log's groups, in the order of {@link LOG_TYPES}. */
    private logGroups(name: string, args: RedisCacheArgs): aws.cloudwatch.LogGroup[] {
        return LOG_TYPES.map(
            (type) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${type}`,
                    {
                        name: `${args.logs.groupNamePrefix}/${type}`,
                        retentionInDays: args.logs.retentionInDays,
                        kmsKeyId: args.logs.kmsKeyArn,
                        tags: args.tags,
                    },
                    { parent: this },
                ),
        );
    }

    /** The replication group: TLS and AUTH required, encrypted at rest, logs delivered to its groups. */
    private replicationGroup(name: string, args: RedisCacheArgs, parts: CacheParts): aws.elasticache.ReplicationGroup {
        const snapshots = args.snapshotRetentionDays ?? 7;
        return new aws.elasticache.ReplicationGroup(
            name,
            {
                description: `${name}: Redis OSS, TLS and AUTH required, encrypted at rest`,
                engine: "redis",
                engineVersion: args.engineVersion ?? "7.1",
                nodeType: args.nodeType,
                numCacheClusters: 1 + (args.replicas ?? 0),
                port: REDIS_PORT,
                subnetGroupName: parts.subnetGroup.name,
                securityGroupIds: [this.securityGroupId],
                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKmsKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: parts.token.result,
                authTokenUpdateStrategy: "ROTATE",
                automaticFailoverEnabled: args.multiAz,
                multiAzEnabled: args.multiAz,
                snapshotRetentionLimit: snapshots,
                snapshotWindow: snapshots > 0 ? "03:00-04:00" : undefined,
                maintenanceWindow: "sun:04:30-sun:05:30",
                finalSnapshotIdentifier: args.protect ? `${name}-final` : undefined,
                autoMinorVersionUpgrade: true,
                applyImmediately: !args.protect,
                logDeliveryConfigurations: LOG_TYPES.map((logType, i) => ({
                    destination: parts.logGroups[i].name,
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType,
                })),
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );
    }

    /** The AUTH token for `FargateService` container secrets, pinned to the version written here. */
    authTokenRef(): SecretRef {
        return this.authSecret.ref("authToken");
    }

    /**
     * Admits TCP 6379 from `sourceSecurityGroupId` (rule `<name>-in-<key>`); the client needs the matching
     * egress.
     */
    allowFrom(
        key: string,
        sourceSecurityGroupId: pulumi.Input<string>,
        description: string,
    ): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.componentName}-in-${key}`,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: sourceSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: REDIS_PORT,
                toPort: REDIS_PORT,
                description,
                tags: this.tags,
            },
            { parent: this },
        );
    }
}
