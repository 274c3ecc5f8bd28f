/**
 * A relational database on Amazon RDS (`platform:data:RelationalDatabase`), PostgreSQL or MySQL, with
 * everything it owns:
 *
 * - its own DB subnet group on the isolated subnets (no route to the internet) and its own security
 *   group with no ingress until the caller allows a client security group
 *   ({@link RelationalDatabase.allowFrom}) and no egress at all (RDS needs none);
 * - storage encrypted with the caller's KMS key (the platform's data key); the master password made,
 *   kept and rotated by RDS in Secrets Manager (`manageMasterUserPassword`), encrypted with the secrets
 *   key;
 * - a parameter group that refuses plaintext connections (`rds.force_ssl=1` and TLS 1.2 minimum for
 *   PostgreSQL; `require_secure_transport=ON` and `tls_version=TLSv1.2,TLSv1.3` for MySQL) and, for MySQL,
 *   writes the slow query log to files RDS can publish; for MySQL, an option group with the audit plugin;
 * - automated backups for `backupRetentionDays`, copied tags on snapshots, a final snapshot and deletion
 *   protection when `protect`;
 * - Performance Insights encrypted with the data key (7 days, the free retention);
 * - engine logs exported to CloudWatch Logs into log groups made here first, so they get the logs KMS
 *   key and a retention (RDS would otherwise create them unencrypted and kept forever);
 * - IAM database authentication on, so applications connect with short-lived tokens
 *   ({@link RelationalDatabase.connectArn}) instead of the master password; no public access;
 *   automatic minor version upgrades; optional Enhanced Monitoring with its own role.
 *
 * References: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";

export type DatabaseEngine = "postgres" | "mysql";

export interface RelationalDatabaseArgs {
    engine: DatabaseEngine;
    /**
     * Engine version: a major version (`16`, `8.0`) lets RDS pick the current minor and upgrade it;
     * a full version (`16.6`, `8.0.40`) pins the first one. Default `16` (PostgreSQL) or `8.0` (MySQL).
     */
    engineVersion?: string;
    /**
     * Physical DB instance identifier (fixed: it names the log groups): 1-63 lower-case letters, digits
     * and `-`, starting with a letter.
     */
    identifier: string;
    /** Instance class, e.g. `db.t4g.micro`. */
    instanceClass: string;
    /** Allocated gp3 storage in GiB, 20-65536. */
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling in GiB, above `allocatedStorageGb`. Default none (no autoscaling). */
    maxAllocatedStorageGb?: number;
    /**
     * Name of the database created with the instance: letters, digits and `_`, starting with a letter,
     * 1-63.
     */
    databaseName: string;
    /** Master user name. Default `dbadmin`. */
    masterUsername?: string;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ, at least 2 (RDS requires two AZs in a subnet group). */
    subnetIds: pulumi.Input<string>[];
    /** KMS key ARN of storage, snapshots and Performance Insights (the platform's data key). */
    dataKmsKeyArn: pulumi.Input<string>;
    /** KMS key ARN of the master user secret (the platform's secrets key). */
    secretsKmsKeyArn: pulumi.Input<string>;
    /** Log groups of the exported engine logs: KMS key (the logs key) and retention in days. */
    logs: { kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** A standby in a second AZ with synchronous replication. */
    multiAz: boolean;
    /** Days automated backups are kept, 1-35. */
    backupRetentionDays: number;
    /** Deletion protection, a final snapshot on delete, and Pulumi `protect`. */
    protect: boolean;
    /**
     * Performance Insights (7 days, free tier). Default true. MySQL does not offer it on
     * db.t2/t3/t4g micro and small classes.
     */
    performanceInsights?: boolean;
    /** Enhanced Monitoring interval in seconds: 0 (off), 1, 5, 10, 15, 30 or 60. Default 0. */
    monitoringIntervalSeconds?: 0 | 1 | 5 | 10 | 15 | 30 | 60;
    /** Extra engine parameters (dynamic ones apply at once, static ones at the next reboot). Default none. */
    parameters?: Record<string, string>;
    tags: Record<string, string>;
}

/**
 * Per engine: default version, port and the logs exported to CloudWatch Logs. MySQL's `audit` comes from the
 * MariaDB Audit Plugin option ({@link AUDIT_PLUGIN}) and `slowquery` from {@link LOG_PARAMETERS}; its `general`
 * log (every statement, with its literal values) is left off: policy-pack/README.md, FSBP RDS.9.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html
 */
const ENGINE_DEFAULTS: Record<DatabaseEngine, { version: string; port: number; logs: string[] }> = {
    postgres: { version: "16", port: 5432, logs: ["postgresql", "upgrade"] },
    mysql: { version: "8.0", port: 3306, logs: ["audit", "error", "slowquery"] },
};

/**
 * Parameters that write the exported logs, per engine. RDS for MySQL writes the slow query log only with
 * `slow_query_log = 1`, and publishes it to CloudWatch Logs only with `log_output = FILE`; statements slower
 * than `long_query_time` seconds are logged.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html
 */
export const LOG_PARAMETERS: Record<
    DatabaseEngine,
    { name: string; value: string; applyMethod: "immediate" | "pending-reboot" }[]
> = {
    postgres: [],
    mysql: [
        { name: "log_output", value: "FILE", applyMethod: "immediate" },
        { name: "long_query_time", value: "1", applyMethod: "immediate" },
        { name: "slow_query_log", value: "1", applyMethod: "immediate" },
    ],
};

/**
 * MySQL's audit log: the MariaDB Audit Plugin option, recording connections (and failed ones) and the
 * statements that change schema (DDL) or privileges (DCL). It needs MySQL 8.0.28 or later, or 8.4.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.AuditPlugin.html
 */
export const AUDIT_PLUGIN = {
    optionName: "MARIADB_AUDIT_PLUGIN",
    optionSettings: [{ name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" }],
};

/** Parameters that refuse plaintext connections and TLS older than 1.2, per engine. */
export const TLS_PARAMETERS: Record<
    DatabaseEngine,
    { name: string; value: string; applyMethod: "immediate" | "pending-reboot" }[]
> = {
    postgres: [
        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
        { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
    ],
    mysql: [
        { name: "require_secure_transport", value: "ON", applyMethod: "immediate" },
        { name: "tls_version", value: "TLSv1.2,TLSv1.3", applyMethod: "pending-reboot" },
    ],
};

/** Classes on which RDS for MySQL offers no Performance Insights / Database Insights. */
const MYSQL_NO_INSIGHTS = /^db\.(t2|t3|t4g)\.(micro|small)$/;

/** The parameter group family of an engine version: `postgres16`, `mysql8.0`. */
export function parameterGroupFamily(engine: DatabaseEngine, version: string): string {
    const parts = version.split(".");
    return engine === "postgres" ? `postgres${parts[0]}` : `mysql${parts[0]}.${parts[1] ?? "0"}`;
}

/** Every problem of the arguments, each naming its field, in the order of the fields' concerns. */
function problemsOf(args: RelationalDatabaseArgs): string[] {
    return [
        ...engineProblems(args),
        ...instanceProblems(args),
        ...databaseProblems(args),
        ...availabilityProblems(args),
        ...observabilityProblems(args),
        ...parameterProblems(args),
    ];
}

/** The engine and its version. */
function engineProblems(args: RelationalDatabaseArgs): string[] {
    const version = args.engineVersion ?? ENGINE_DEFAULTS[args.engine]?.version;
    if (!["postgres", "mysql"].includes(args.engine))
        return [`engine must be postgres or mysql; got ${JSON.stringify(args.engine)}`];
    if (args.engine === "postgres" && !/^\d{2}(\.\d+)?$/.test(version))
        return [`engineVersion must be a PostgreSQL version such as 16 or 16.6; got ${JSON.stringify(version)}`];
    if (args.engine === "mysql" && !/^8\.[04](\.\d+)?$/.test(version))
        return [
            `engineVersion must be a MySQL 8.0 or 8.4 version such as 8.0 or 8.0.40; got ${JSON.stringify(version)}`,
        ];
    if (args.engine === "mysql" && /^8\.0\.\d+$/.test(version) && Number(version.split(".")[2]) < 28)
        return [`engineVersion must be 8.0.28 or later, for the audit log (MariaDB Audit Plugin); got ${version}`];
    return [];
}

/** The instance identifier, class and storage. */
function instanceProblems(args: RelationalDatabaseArgs): string[] {
    const p: string[] = [];
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(args.identifier) || args.identifier.endsWith("-"))
        p.push(
            "identifier must be 1-63 lower-case letters, digits and single hyphens, " +
                `starting with a letter and not ending with a hyphen; got ${JSON.stringify(args.identifier)}`,
        );
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.instanceClass))
        p.push(`instanceClass must be an RDS class such as db.t4g.micro; got ${JSON.stringify(args.instanceClass)}`);
    if (!Number.isInteger(args.allocatedStorageGb) || args.allocatedStorageGb < 20 || args.allocatedStorageGb > 65536)
        p.push(`allocatedStorageGb must be an integer from 20 to 65536; got ${args.allocatedStorageGb}`);
    if (
        args.maxAllocatedStorageGb !== undefined &&
        (!Number.isInteger(args.maxAllocatedStorageGb) ||
            args.maxAllocatedStorageGb <= args.allocatedStorageGb ||
            args.maxAllocatedStorageGb > 65536)
    ) {
        p.push(
            `maxAllocatedStorageGb must be an integer above allocatedStorageGb (${args.allocatedStorageGb}) ` +
                `and at most 65536; got ${args.maxAllocatedStorageGb}`,
        );
    }
    return p;
}

/** The database created with the instance and its master user. */
function databaseProblems(args: RelationalDatabaseArgs): string[] {
    const p: string[] = [];
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(args.databaseName))
        p.push(
            "databaseName must be 1-63 letters, digits and _, starting with a letter; " +
                `got ${JSON.stringify(args.databaseName)}`,
        );
    const user = args.masterUsername ?? "dbadmin";
    if (
        !/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(user) ||
        ["admin", "postgres", "rdsadmin", "root"].includes(user.toLowerCase())
    )
        p.push(
            "masterUsername must be 1-16 letters, digits and _, starting with a letter, and not a reserved name; " +
                `got ${JSON.stringify(user)}`,
        );
    return p;
}

/** Subnets in two Availability Zones and the automated backups' retention. */
function availabilityProblems(args: RelationalDatabaseArgs): string[] {
    const p: string[] = [];
    if (args.subnetIds.length < 2)
        p.push(
            "subnetIds must hold at least 2 subnets in different Availability Zones; " + `got ${args.subnetIds.length}`,
        );
    if (!Number.isInteger(args.backupRetentionDays) || args.backupRetentionDays < 1 || args.backupRetentionDays > 35)
        p.push(`backupRetentionDays must be an integer from 1 to 35; got ${args.backupRetentionDays}`);
    return p;
}

/** Log retention, Performance Insights on the class, Enhanced Monitoring's interval. */
function observabilityProblems(args: RelationalDatabaseArgs): string[] {
    const p: string[] = [];
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        p.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    if (args.engine === "mysql" && (args.performanceInsights ?? true) && MYSQL_NO_INSIGHTS.test(args.instanceClass)) {
        p.push(
            `performanceInsights is not available for MySQL on ${args.instanceClass}; ` +
                "choose db.t4g.medium or larger, or turn it off",
        );
    }
    const interval = args.monitoringIntervalSeconds ?? 0;
    if (![0, 1, 5, 10, 15, 30, 60].includes(interval))
        p.push(`monitoringIntervalSeconds must be 0, 1, 5, 10, 15, 30 or 60; got ${interval}`);
    return p;
}

/** Extra parameters may not override the TLS or log parameters. */
function parameterProblems(args: RelationalDatabaseArgs): string[] {
    const tlsNames = (TLS_PARAMETERS[args.engine] ?? []).map((t) => t.name);
    const logNames = (LOG_PARAMETERS[args.engine] ?? []).map((t) => t.name);
    return Object.keys(args.parameters ?? {}).flatMap((name) => {
        if (tlsNames.includes(name)) return [`parameters.${name} is set by the component (connections must use TLS)`];
        if (logNames.includes(name)) return [`parameters.${name} is set by the component (the exported logs)`];
        return [];
    });
}

/** What the DB instance is built on, made by the steps before it. */
interface DatabaseParts {
    subnetGroup: aws.rds.SubnetGroup;
    parameterGroup: aws.rds.ParameterGroup;
    /** MySQL's, with the audit plugin. */
    optionGroup: aws.rds.OptionGroup | undefined;
    logGroups: aws.cloudwatch.LogGroup[];
    monitoringRole: aws.iam.Role | undefined;
}

export class RelationalDatabase extends pulumi.ComponentResource {
    readonly instanceArn: pulumi.Output<string>;
    /** The instance identifier: the `DBInstanceIdentifier` dimension of its metrics. */
    readonly instanceIdentifier: pulumi.Output<string>;
    /** Host name clients connect to (the primary, following failovers). */
    readonly address: pulumi.Output<string>;
    readonly port: number;
    readonly databaseName: string;
    readonly engine: DatabaseEngine;
    /** `db-...`: the resource id IAM database authentication ARNs name. */
    readonly resourceId: pulumi.Output<string>;
    /**
     * ARN of the Secrets Manager secret RDS keeps the master user's credentials in (`username`,
     * `password`).
     */
    readonly masterUserSecretArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    private readonly componentName: string;
    private readonly tags: Record<string, string>;
    private readonly account: { region: string; accountId: pulumi.Input<string>; partition: pulumi.Input<string> };

    constructor(name: string, args: RelationalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:RelationalDatabase", name, {}, opts);
        const problems = problemsOf(args);
        if (problems.length > 0) throw new Error(`RelationalDatabase ${name}: ${problems.join("; ")}`);
        this.componentName = name;
        this.tags = args.tags;
        this.account = { region: args.region, accountId: args.accountId, partition: args.partition };
        const defaults = ENGINE_DEFAULTS[args.engine];
        const version = args.engineVersion ?? defaults.version;
        this.port = defaults.port;
        this.databaseName = args.databaseName;
        this.engine = args.engine;

        const subnetGroup = this.subnetGroup(name, args);
        this.securityGroupId = this.securityGroup(name, args).id;
        const parameterGroup = this.parameterGroup(name, args, version);
        const optionGroup = this.optionGroup(name, args, version);
        const logGroups = this.logGroups(name, args, defaults.logs);
        const monitoringRole = this.monitoringRole(name, args);
        const parts = { subnetGroup, parameterGroup, optionGroup, logGroups, monitoringRole };
        const instance = this.instance(name, args, version, parts);

        this.instanceArn = instance.arn;
        this.instanceIdentifier = instance.identifier;
        this.address = instance.address;
        this.resourceId = instance.resourceId;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        this.registerOutputs({
            instanceArn: this.instanceArn,
            address: this.address,
            securityGroupId: this.securityGroupId,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }

    /** Its own DB subnet group on the isolated subnets. */
    private subnetGroup(name: string, args: RelationalDatabaseArgs): aws.rds.SubnetGroup {
        return new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: `${name}: isolated subnets (no route to the internet)`,
                subnetIds: args.subnetIds,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** Its own security group: no ingress until {@link RelationalDatabase.allowFrom}, no egress. */
    private securityGroup(name: string, args: RelationalDatabaseArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `RDS ${name}: ingress only from the client security groups allowed explicitly; no egress`,
                revokeRulesOnDelete: true,
                tags: { ...args.tags, Name: `${name}-sg` },
            },
            { parent: this },
        );
    }

    /** The TLS-only parameter group with the log parameters, plus the caller's (applied at the next reboot). */
    private parameterGroup(name: string, args: RelationalDatabaseArgs, version: string): aws.rds.ParameterGroup {
        return new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: parameterGroupFamily(args.engine, version),
                description: `${name}: TLS-only connections`,
                parameters: [
                    ...TLS_PARAMETERS[args.engine],
                    ...LOG_PARAMETERS[args.engine],
                    ...Object.entries(args.parameters ?? {})
                        .sort(([a], [b]) => a.localeCompare(b))
                        .map(([n, value]) => ({ name: n, value, applyMethod: "pending-reboot" })),
                ],
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** MySQL's option group with the audit plugin ({@link AUDIT_PLUGIN}); none for PostgreSQL. */
    private optionGroup(name: string, args: RelationalDatabaseArgs, version: string): aws.rds.OptionGroup | undefined {
        if (args.engine !== "mysql") return undefined;
        return new aws.rds.OptionGroup(
            `${name}-options`,
            {
                engineName: "mysql",
                majorEngineVersion: version.split(".").slice(0, 2).join("."),
                optionGroupDescription: `${name}: audit log (MariaDB Audit Plugin)`,
                options: [AUDIT_PLUGIN],
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** One log group per exported engine log, with the logs key and a retention. */
    private logGroups(name: string, args: RelationalDatabaseArgs, logs: string[]): aws.cloudwatch.LogGroup[] {
        // Created before the instance, so RDS writes into encrypted groups with a retention.
        return logs.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-log-${log}`,
                    {
                        name: `/aws/rds/instance/${args.identifier}/${log}`,
                        retentionInDays: args.logs.retentionInDays,
                        kmsKeyId: args.logs.kmsKeyArn,
                        tags: args.tags,
                    },
                    { parent: this },
                ),
        );
    }

    /** The Enhanced Monitoring role, when `monitoringIntervalSeconds` is above 0. */
    private monitoringRole(name: string, args: RelationalDatabaseArgs): aws.iam.Role | undefined {
        if ((args.monitoringIntervalSeconds ?? 0) === 0) return undefined;
        const role = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `Enhanced Monitoring of ${name}: publishes OS metrics to CloudWatch Logs`,
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "monitoring.rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                        },
                    ],
                }),
                tags: args.tags,
            },
            { parent: this },
        );
        const policy = "service-role/AmazonRDSEnhancedMonitoringRole";
        new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}` },
            { parent: this },
        );
        return role;
    }

    /** The DB instance itself, after its log groups; protected (and kept on delete) when `protect`. */
    private instance(
        name: string,
        args: RelationalDatabaseArgs,
        version: string,
        parts: DatabaseParts,
    ): aws.rds.Instance {
        const defaults = ENGINE_DEFAULTS[args.engine];
        const insights = args.performanceInsights ?? true;
        return new aws.rds.Instance(
            name,
            {
                identifier: args.identifier,
                engine: args.engine,
                engineVersion: version,
                instanceClass: args.instanceClass,
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: args.dataKmsKeyArn,
                dbName: args.databaseName,
                username: args.masterUsername ?? "dbadmin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.secretsKmsKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                port: defaults.port,
                dbSubnetGroupName: parts.subnetGroup.name,
                vpcSecurityGroupIds: [this.securityGroupId],
                publiclyAccessible: false,
                networkType: "IPV4",
                parameterGroupName: parts.parameterGroup.name,
                optionGroupName: parts.optionGroup?.name,
                multiAz: args.multiAz,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:04:30-sun:05:30",
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: !args.protect,
                deletionProtection: args.protect,
                skipFinalSnapshot: !args.protect,
                finalSnapshotIdentifier: args.protect ? `${args.identifier}-final` : undefined,
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: false,
                performanceInsightsEnabled: insights,
                performanceInsightsKmsKeyId: insights ? args.dataKmsKeyArn : undefined,
                performanceInsightsRetentionPeriod: insights ? 7 : undefined,
                enabledCloudwatchLogsExports: defaults.logs,
                monitoringInterval: args.monitoringIntervalSeconds ?? 0,
                monitoringRoleArn: parts.monitoringRole?.arn,
                applyImmediately: !args.protect,
                tags: args.tags,
            },
            { parent: this, dependsOn: parts.logGroups, protect: args.protect },
        );
    }

    /**
     * Admits TCP on the database port from `sourceSecurityGroupId` (rule `<name>-in-<key>`). The
     * client's own security group needs the matching egress rule.
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
                fromPort: this.port,
                toPort: this.port,
                description,
                tags: this.tags,
            },
            { parent: this },
        );
    }

    /**
     * The resource of `rds-db:connect` for one database user:
     * `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<user>`.
     * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
     */
    connectArn(dbUser: string): pulumi.Output<string> {
        if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(dbUser))
            throw new Error(
                `RelationalDatabase ${this.componentName}: ` +
                    "dbUser must be 1-63 letters, digits and _, starting with a letter; " +
                    `got ${JSON.stringify(dbUser)}`,
            );
        const { partition, region, accountId } = this.account;
        return pulumi.interpolate`arn:${partition}:rds-db:${region}:${accountId}:dbuser:${this.resourceId}/${dbUser}`;
    }
}
