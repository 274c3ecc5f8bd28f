/**
 * The data components on their own, under the offline plan's mocks in this process: RelationalDatabase
 * (PostgreSQL and MySQL: TLS parameters, encryption keys, managed master secret, backups, protection,
 * log groups made first, IAM auth, security group with no rules, validation) and RedisCache (AUTH token
 * in Secrets Manager, TLS required, encryption at rest, failover from multiAz, logs, validation).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parameterGroupFamily, RelationalDatabase, RelationalDatabaseArgs } from "../../infra/data/relational-database";
import { RedisCache, RedisCacheArgs } from "../../infra/data/redis-cache";
import { componentHarness, isSecret, plain, TAGS, value } from "./component-harness";

const h = componentHarness();
const KEYS = {
    data: "arn:aws:kms:sa-east-1:123456789012:key/data",
    secrets: "arn:aws:kms:sa-east-1:123456789012:key/secrets",
    logs: "arn:aws:kms:sa-east-1:123456789012:key/logs",
};
const T = {
    instance: "aws:rds/instance:Instance",
    params: "aws:rds/parameterGroup:ParameterGroup",
    options: "aws:rds/optionGroup:OptionGroup",
    rdsSubnets: "aws:rds/subnetGroup:SubnetGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    group: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
    password: "random:index/randomPassword:RandomPassword",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
};

function dbArgs(overrides: Partial<RelationalDatabaseArgs> = {}): RelationalDatabaseArgs {
    return {
        engine: "postgres",
        identifier: "platform-test-db",
        instanceClass: "db.t4g.micro",
        allocatedStorageGb: 20,
        databaseName: "app",
        region: "sa-east-1",
        accountId: "123456789012",
        partition: "aws",
        vpcId: "vpc-1",
        subnetIds: ["subnet-iso-a", "subnet-iso-b"],
        dataKmsKeyArn: KEYS.data,
        secretsKmsKeyArn: KEYS.secrets,
        logs: { kmsKeyArn: KEYS.logs, retentionInDays: 30 },
        multiAz: false,
        backupRetentionDays: 1,
        protect: false,
        tags: TAGS,
        ...overrides,
    };
}

function cacheArgs(overrides: Partial<RedisCacheArgs> = {}): RedisCacheArgs {
    return {
        nodeType: "cache.t4g.micro",
        multiAz: false,
        vpcId: "vpc-1",
        subnetIds: ["subnet-iso-a", "subnet-iso-b"],
        dataKmsKeyArn: KEYS.data,
        secretsKmsKeyArn: KEYS.secrets,
        logs: { groupNamePrefix: "/platform/test/cache", kmsKeyArn: KEYS.logs, retentionInDays: 30 },
        protect: false,
        tags: TAGS,
        ...overrides,
    };
}

describe("data components (under mocks)", () => {
    before(() => h.install());

    describe("RelationalDatabase", () => {
        it("derives parameter group families from engine versions", () => {
            assert.strictEqual(parameterGroupFamily("postgres", "16"), "postgres16");
            assert.strictEqual(parameterGroupFamily("postgres", "17.2"), "postgres17");
            assert.strictEqual(parameterGroupFamily("mysql", "8.0"), "mysql8.0");
            assert.strictEqual(parameterGroupFamily("mysql", "8.4.3"), "mysql8.4");
        });

        it("PostgreSQL: isolated subnets, encrypted with the data key, managed master secret, TLS forced, backups, insights, logs, IAM auth, no public access", async () => {
            const db = new RelationalDatabase("pg", dbArgs());
            await h.settle(db.instanceArn);
            const i = h.one(T.instance, "pg").inputs;
            assert.deepStrictEqual(
                {
                    identifier: i.identifier,
                    engine: i.engine,
                    engineVersion: i.engineVersion,
                    instanceClass: i.instanceClass,
                    allocatedStorage: i.allocatedStorage,
                    maxAllocatedStorage: i.maxAllocatedStorage,
                    storageType: i.storageType,
                    storageEncrypted: i.storageEncrypted,
                    kmsKeyId: i.kmsKeyId,
                    dbName: i.dbName,
                    username: i.username,
                    password: i.password,
                    manageMasterUserPassword: i.manageMasterUserPassword,
                    masterUserSecretKmsKeyId: i.masterUserSecretKmsKeyId,
                    iamDatabaseAuthenticationEnabled: i.iamDatabaseAuthenticationEnabled,
                    port: i.port,
                    publiclyAccessible: i.publiclyAccessible,
                    multiAz: i.multiAz,
                    backupRetentionPeriod: i.backupRetentionPeriod,
                    copyTagsToSnapshot: i.copyTagsToSnapshot,
                    deletionProtection: i.deletionProtection,
                    skipFinalSnapshot: i.skipFinalSnapshot,
                    finalSnapshotIdentifier: i.finalSnapshotIdentifier,
                    deleteAutomatedBackups: i.deleteAutomatedBackups,
                    autoMinorVersionUpgrade: i.autoMinorVersionUpgrade,
                    allowMajorVersionUpgrade: i.allowMajorVersionUpgrade,
                    performanceInsightsEnabled: i.performanceInsightsEnabled,
                    performanceInsightsKmsKeyId: i.performanceInsightsKmsKeyId,
                    performanceInsightsRetentionPeriod: i.performanceInsightsRetentionPeriod,
                    enabledCloudwatchLogsExports: i.enabledCloudwatchLogsExports,
                    monitoringInterval: i.monitoringInterval,
                    monitoringRoleArn: i.monitoringRoleArn,
                },
                {
                    identifier: "platform-test-db",
                    engine: "postgres",
                    engineVersion: "16",
                    instanceClass: "db.t4g.micro",
                    allocatedStorage: 20,
                    maxAllocatedStorage: undefined,
                    storageType: "gp3",
                    storageEncrypted: true,
                    kmsKeyId: KEYS.data,
                    dbName: "app",
                    username: "dbadmin",
                    password: undefined,
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: KEYS.secrets,
                    iamDatabaseAuthenticationEnabled: true,
                    port: 5432,
                    publiclyAccessible: false,
                    multiAz: false,
                    backupRetentionPeriod: 1,
                    copyTagsToSnapshot: true,
                    deletionProtection: false,
                    skipFinalSnapshot: true,
                    finalSnapshotIdentifier: undefined,
                    deleteAutomatedBackups: true,
                    autoMinorVersionUpgrade: true,
                    allowMajorVersionUpgrade: false,
                    performanceInsightsEnabled: true,
                    performanceInsightsKmsKeyId: KEYS.data,
                    performanceInsightsRetentionPeriod: 7,
                    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                    monitoringInterval: 0,
                    monitoringRoleArn: undefined,
                },
            );
            const subnets = h.one(T.rdsSubnets, "pg-subnets").inputs;
            assert.deepStrictEqual(subnets.subnetIds, ["subnet-iso-a", "subnet-iso-b"]);
            assert.match(i.dbSubnetGroupName, /^pg-subnets-[0-9a-f]{7}$/);
            assert.match(i.parameterGroupName, /^pg-params-[0-9a-f]{7}$/);
            assert.strictEqual(i.optionGroupName, undefined, "PostgreSQL needs no option group");
            assert.deepStrictEqual(i.vpcSecurityGroupIds, [await value(db.securityGroupId)]);
            const params = h.one(T.params, "pg-params").inputs;
            assert.strictEqual(params.family, "postgres16");
            assert.deepStrictEqual(params.parameters, [
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
            ]);
            assert.deepStrictEqual(
                h
                    .ofType(T.logGroup, "pg-log-")
                    .map((l) => [l.name, l.inputs.name, l.inputs.kmsKeyId, l.inputs.retentionInDays]),
                [
                    ["pg-log-postgresql", "/aws/rds/instance/platform-test-db/postgresql", KEYS.logs, 30],
                    ["pg-log-upgrade", "/aws/rds/instance/platform-test-db/upgrade", KEYS.logs, 30],
                ],
            );
            assert.deepStrictEqual(i.tags, TAGS);
            // No rule of either direction until a client is allowed.
            assert.deepStrictEqual(h.ofType(T.ingress, "pg-").concat(h.ofType(T.egress, "pg-")), []);
            assert.deepStrictEqual(h.ofType(T.role, "pg-"), []);
            assert.match(
                await value(db.masterUserSecretArn),
                /^arn:aws:secretsmanager:sa-east-1:123456789012:secret:rds!db-/,
            );
        });

        it("admits a client security group on the database port only, and names its IAM connect ARN", async () => {
            const db = new RelationalDatabase("pg2", dbArgs({ identifier: "pg2" }));
            db.allowFrom("api", "sg-api", "API service");
            const arn = await h.settle(db.connectArn("api_user"));
            const rule = h.one(T.ingress, "pg2-in-api").inputs;
            assert.deepStrictEqual(
                [
                    rule.ipProtocol,
                    rule.fromPort,
                    rule.toPort,
                    rule.referencedSecurityGroupId,
                    rule.cidrIpv4,
                    rule.description,
                ],
                ["tcp", 5432, 5432, "sg-api", undefined, "API service"],
            );
            assert.strictEqual(
                arn,
                `arn:aws:rds-db:sa-east-1:123456789012:dbuser:${await value(db.resourceId)}/api_user`,
            );
            assert.match(arn, /:dbuser:db-[0-9A-F]{26}\/api_user$/);
            assert.throws(() => db.connectArn("bad-user"), {
                message:
                    'RelationalDatabase pg2: dbUser must be 1-63 letters, digits and _, starting with a letter; got "bad-user"',
            });
        });

        it("MySQL, protected and Multi-AZ: require_secure_transport and TLS 1.2+, final snapshot, deletion protection, Enhanced Monitoring role", async () => {
            const db = new RelationalDatabase(
                "my",
                dbArgs({
                    engine: "mysql",
                    identifier: "platform-test-mysql",
                    instanceClass: "db.t4g.medium",
                    multiAz: true,
                    protect: true,
                    backupRetentionDays: 14,
                    maxAllocatedStorageGb: 100,
                    monitoringIntervalSeconds: 60,
                }),
            );
            await h.settle(db.instanceArn);
            const i = h.one(T.instance, "my").inputs;
            assert.deepStrictEqual(
                [
                    i.engine,
                    i.engineVersion,
                    i.port,
                    i.multiAz,
                    i.deletionProtection,
                    i.skipFinalSnapshot,
                    i.finalSnapshotIdentifier,
                    i.deleteAutomatedBackups,
                    i.backupRetentionPeriod,
                    i.maxAllocatedStorage,
                    i.monitoringInterval,
                    i.enabledCloudwatchLogsExports,
                    i.applyImmediately,
                ],
                [
                    "mysql",
                    "8.0",
                    3306,
                    true,
                    true,
                    false,
                    "platform-test-mysql-final",
                    false,
                    14,
                    100,
                    60,
                    ["audit", "error", "slowquery"],
                    false,
                ],
            );
            // The slow query log is written to files RDS publishes; the audit log comes from the option group.
            assert.deepStrictEqual(h.one(T.params, "my-params").inputs.parameters, [
                { name: "require_secure_transport", value: "ON", applyMethod: "immediate" },
                { name: "tls_version", value: "TLSv1.2,TLSv1.3", applyMethod: "pending-reboot" },
                { name: "log_output", value: "FILE", applyMethod: "immediate" },
                { name: "long_query_time", value: "1", applyMethod: "immediate" },
                { name: "slow_query_log", value: "1", applyMethod: "immediate" },
            ]);
            assert.strictEqual(h.one(T.params, "my-params").inputs.family, "mysql8.0");
            const options = h.one(T.options, "my-options").inputs;
            assert.deepStrictEqual(
                [options.engineName, options.majorEngineVersion, options.options],
                [
                    "mysql",
                    "8.0",
                    [
                        {
                            optionName: "MARIADB_AUDIT_PLUGIN",
                            optionSettings: [{ name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" }],
                        },
                    ],
                ],
            );
            assert.match(i.optionGroupName, /^my-options-[0-9a-f]{7}$/);
            const role = h.one(T.role, "my-monitoring").inputs;
            assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "monitoring.rds.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
            ]);
            assert.strictEqual(
                h.one(T.attachment, "my-monitoring").inputs.policyArn,
                "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            );
            assert.match(i.monitoringRoleArn, /^arn:aws:iam::123456789012:role\/my-monitoring-[0-9a-f]{7}$/);
        });

        it("reports every bad argument at once, naming the component and field", () => {
            assert.throws(
                () =>
                    new RelationalDatabase(
                        "bad",
                        dbArgs({
                            engine: "mysql",
                            engineVersion: "5.7",
                            identifier: "Bad_Name",
                            instanceClass: "t3.micro",
                            allocatedStorageGb: 10,
                            maxAllocatedStorageGb: 5,
                            databaseName: "1app",
                            masterUsername: "admin",
                            subnetIds: ["subnet-a"],
                            backupRetentionDays: 0,
                            logs: { kmsKeyArn: KEYS.logs, retentionInDays: 10 },
                            monitoringIntervalSeconds: 7 as 5,
                            parameters: { require_secure_transport: "OFF" },
                        }),
                    ),
                {
                    message:
                        'RelationalDatabase bad: engineVersion must be a MySQL 8.0 or 8.4 version such as 8.0 or 8.0.40; got "5.7"; ' +
                        'identifier must be 1-63 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen; got "Bad_Name"; ' +
                        'instanceClass must be an RDS class such as db.t4g.micro; got "t3.micro"; ' +
                        "allocatedStorageGb must be an integer from 20 to 65536; got 10; " +
                        "maxAllocatedStorageGb must be an integer above allocatedStorageGb (10) and at most 65536; got 5; " +
                        'databaseName must be 1-63 letters, digits and _, starting with a letter; got "1app"; ' +
                        'masterUsername must be 1-16 letters, digits and _, starting with a letter, and not a reserved name; got "admin"; ' +
                        "subnetIds must hold at least 2 subnets in different Availability Zones; got 1; " +
                        "backupRetentionDays must be an integer from 1 to 35; got 0; " +
                        "logs.retentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 10; " +
                        "monitoringIntervalSeconds must be 0, 1, 5, 10, 15, 30 or 60; got 7; " +
                        "parameters.require_secure_transport is set by the component (connections must use TLS)",
                },
            );
        });

        it("refuses a MySQL 8.0 before 8.0.28 (no audit plugin) and a caller's log parameter", () => {
            assert.throws(
                () =>
                    new RelationalDatabase(
                        "old",
                        dbArgs({
                            engine: "mysql",
                            engineVersion: "8.0.27",
                            instanceClass: "db.t4g.medium",
                            parameters: { slow_query_log: "0" },
                        }),
                    ),
                {
                    message:
                        "RelationalDatabase old: engineVersion must be 8.0.28 or later, for the audit log " +
                        "(MariaDB Audit Plugin); got 8.0.27; " +
                        "parameters.slow_query_log is set by the component (the exported logs)",
                },
            );
        });

        it("refuses Performance Insights for MySQL on classes that have none", () => {
            assert.throws(
                () => new RelationalDatabase("tiny", dbArgs({ engine: "mysql", instanceClass: "db.t4g.small" })),
                {
                    message:
                        "RelationalDatabase tiny: performanceInsights is not available for MySQL on db.t4g.small; choose db.t4g.medium or larger, or turn it off",
                },
            );
            assert.doesNotThrow(
                () =>
                    new RelationalDatabase(
                        "tiny-ok",
                        dbArgs({
                            engine: "mysql",
                            identifier: "tiny-ok",
                            instanceClass: "db.t4g.small",
                            performanceInsights: false,
                        }),
                    ),
            );
        });
    });

    describe("RedisCache", () => {
        it("single node: TLS required, encrypted with the data key, AUTH token from a random password kept in Secrets Manager, logs, snapshots, no failover", async () => {
            const cache = new RedisCache("cache", cacheArgs());
            await h.settle(cache.primaryEndpoint);
            const g = h.one(T.group, "cache").inputs;
            const password = h.one(T.password, "cache-auth-token").inputs;
            assert.deepStrictEqual([password.length, password.special], [64, false]);
            assert.deepStrictEqual(
                {
                    engine: g.engine,
                    engineVersion: g.engineVersion,
                    nodeType: g.nodeType,
                    numCacheClusters: g.numCacheClusters,
                    port: g.port,
                    atRestEncryptionEnabled: g.atRestEncryptionEnabled,
                    kmsKeyId: g.kmsKeyId,
                    transitEncryptionEnabled: g.transitEncryptionEnabled,
                    transitEncryptionMode: g.transitEncryptionMode,
                    automaticFailoverEnabled: g.automaticFailoverEnabled,
                    multiAzEnabled: g.multiAzEnabled,
                    snapshotRetentionLimit: g.snapshotRetentionLimit,
                    finalSnapshotIdentifier: g.finalSnapshotIdentifier,
                    autoMinorVersionUpgrade: g.autoMinorVersionUpgrade,
                    authTokenUpdateStrategy: g.authTokenUpdateStrategy,
                },
                {
                    engine: "redis",
                    engineVersion: "7.1",
                    nodeType: "cache.t4g.micro",
                    numCacheClusters: 1,
                    port: 6379,
                    atRestEncryptionEnabled: true,
                    kmsKeyId: KEYS.data,
                    transitEncryptionEnabled: true,
                    transitEncryptionMode: "required",
                    automaticFailoverEnabled: false,
                    multiAzEnabled: false,
                    snapshotRetentionLimit: 7,
                    finalSnapshotIdentifier: undefined,
                    autoMinorVersionUpgrade: true,
                    authTokenUpdateStrategy: "ROTATE",
                },
            );
            assert.ok(isSecret(g.authToken), "the AUTH token is a secret");
            assert.match(plain(g.authToken), /^offline[0-9a-f]{57}$/, "the AUTH token is the random password's result");
            const secret = h.one(T.secret, "cache-auth").inputs;
            assert.deepStrictEqual([secret.kmsKeyId, secret.recoveryWindowInDays], [KEYS.secrets, 7]);
            assert.deepStrictEqual(JSON.parse(plain(h.one(T.secretVersion, "cache-auth-value").inputs.secretString)), {
                authToken: plain(g.authToken),
            });
            assert.deepStrictEqual(g.logDeliveryConfigurations, [
                {
                    destination: "/platform/test/cache/slow-log",
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType: "slow-log",
                },
                {
                    destination: "/platform/test/cache/engine-log",
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType: "engine-log",
                },
            ]);
            for (const l of h.ofType(T.logGroup, "cache-"))
                assert.deepStrictEqual([l.inputs.kmsKeyId, l.inputs.retentionInDays], [KEYS.logs, 30]);
            assert.deepStrictEqual(h.one(T.cacheSubnets, "cache-subnets").inputs.subnetIds, [
                "subnet-iso-a",
                "subnet-iso-b",
            ]);
            assert.deepStrictEqual(h.ofType(T.ingress, "cache-").concat(h.ofType(T.egress, "cache-")), []);
            const ref = cache.authTokenRef();
            assert.deepStrictEqual(
                [await value(ref.secretArn), ref.jsonKey],
                [await value(cache.authSecretArn), "authToken"],
            );
            assert.match(
                await value(cache.primaryEndpoint),
                /^master\.cache-[0-9a-f]{7}\.[0-9a-f]{6}\.sae1\.cache\.amazonaws\.com$/,
            );
        });

        it("Multi-AZ with replicas and protection: automatic failover, final snapshot, 30-day secret recovery; admits a client on 6379", async () => {
            const cache = new RedisCache(
                "ha",
                cacheArgs({ multiAz: true, replicas: 2, protect: true, snapshotRetentionDays: 14 }),
            );
            cache.allowFrom("api", "sg-api", "API service");
            await h.settle(cache.primaryEndpoint);
            const g = h.one(T.group, "ha").inputs;
            assert.deepStrictEqual(
                [
                    g.numCacheClusters,
                    g.automaticFailoverEnabled,
                    g.multiAzEnabled,
                    g.finalSnapshotIdentifier,
                    g.snapshotRetentionLimit,
                    g.applyImmediately,
                ],
                [3, true, true, "ha-final", 14, false],
            );
            assert.strictEqual(h.one(T.secret, "ha-auth").inputs.recoveryWindowInDays, 30);
            // One member cluster per node, named <replication group id>-00N: the ids its metrics carry.
            const groupId = await h.settle(cache.replicationGroupId);
            assert.deepStrictEqual(Object.keys(cache.memberClusterIds), ["001", "002", "003"]);
            assert.deepStrictEqual(
                await h.settle(pulumi.all(Object.values(cache.memberClusterIds))),
                ["001", "002", "003"].map((n) => `${groupId}-${n}`),
            );
            const rule = h.one(T.ingress, "ha-in-api").inputs;
            assert.deepStrictEqual(
                [rule.ipProtocol, rule.fromPort, rule.toPort, rule.referencedSecurityGroupId],
                ["tcp", 6379, 6379, "sg-api"],
            );
        });

        it("reports every bad argument at once", () => {
            assert.throws(
                () =>
                    new RedisCache(
                        "bad",
                        cacheArgs({
                            nodeType: "t4g.micro",
                            engineVersion: "5",
                            replicas: 6,
                            multiAz: true,
                            subnetIds: ["a"],
                            snapshotRetentionDays: 40,
                        }),
                    ),
                {
                    message:
                        'RedisCache bad: nodeType must be an ElastiCache node type such as cache.t4g.micro; got "t4g.micro"; engineVersion must be a Redis OSS version such as 7.1; got "5"; ' +
                        "replicas must be an integer from 0 to 5; got 6; subnetIds must hold at least 2 subnets in different Availability Zones; got 1; snapshotRetentionDays must be an integer from 0 to 35; got 40",
                },
            );
            assert.throws(() => new RedisCache("lonely", cacheArgs({ multiAz: true })), {
                message: "RedisCache lonely: multiAz needs at least 1 replica to fail over to",
            });
        });
    });
});
