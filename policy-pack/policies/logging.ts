/**
 * Logging: load balancer, CloudFront and API Gateway access logs, CloudTrail log-file
 * validation, Step Functions execution logs, EKS control-plane logs, container log
 * configuration, VPC flow logs, WAF metrics and logging, log retention, S3 server access logs.
 *
 * References: AWS Foundational Security Best Practices (ELB.5, CloudFront.5, APIGateway.1,
 * CloudTrail.4, StepFunctions.1, EKS.8, ECS.9, EC2.6, WAF.10/11, S3.9, RDS.9, CloudWatch retention)
 * https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 */
import type { PolicyResource } from "@pulumi/policy";
import { parsePolicyDocument, wildcardMatch } from "../lib/iam-document";
import {
    block,
    identifiers,
    inlineBlock,
    isAmong,
    isOneOf,
    isSet,
    isTrue,
    list,
    num,
    parseJson,
    Policy,
    resourcePolicy,
    stackPolicy,
    T,
    StackGraph,
    text,
    tokensOf,
} from "../lib/resource";

export const lbAccessLogs = resourcePolicy({
    name: "lb-access-logs",
    description: "Application load balancers must write access logs to S3.",
    types: tokensOf("loadBalancer", "awsxApplicationLoadBalancer"),
    check: (props, args, report) => {
        const type = isOneOf(args.type, T.awsxApplicationLoadBalancer)
            ? "application"
            : (props.loadBalancerType ?? "application");
        if (type !== "application") {
            return; // NLB access logs exist only for TLS listeners; GWLB has none.
        }
        const logs = block(props.accessLogs);
        if (!isTrue(logs?.enabled) || !isSet(logs?.bucket)) {
            report("Set accessLogs: { enabled: true, bucket: <log archive bucket>, prefix: <name> }.");
        }
    },
});

export const cloudfrontAccessLogs = stackPolicy({
    name: "cloudfront-access-logs",
    description:
        "CloudFront distributions must log requests (standard logs to S3 or a CloudWatch log delivery source).",
    check: (graph, _args, report) => {
        const sources = graph.ofType(T.logDeliverySource);
        for (const d of graph.ofType(T.cloudfrontDistribution)) {
            if (isSet(block(d.props.loggingConfig)?.bucket)) {
                continue;
            }
            if (sources.some((s) => graph.pointsTo(s, "resourceArn", d))) {
                continue;
            }
            report(
                "Set loggingConfig: { bucket: <log archive bucket domain name>, prefix: <name> } " +
                    "(or add an aws.cloudwatch.LogDeliverySource with resourceArn = this distribution's ARN).",
                d.urn,
            );
        }
    },
});

export const apigatewayStageAccessLogs = resourcePolicy({
    name: "apigateway-stage-access-logs",
    description: "API Gateway stages must write access logs.",
    types: tokensOf("apigatewayStage", "apigatewayv2Stage"),
    check: (props, _args, report) => {
        const s = block(props.accessLogSettings);
        if (!isSet(s?.destinationArn) || !isSet(s?.format)) {
            report("Set accessLogSettings: { destinationArn: <log group ARN>, format: <JSON access log format> }.");
        }
    },
});

export const cloudtrailLogValidation = resourcePolicy({
    name: "cloudtrail-log-validation",
    description: "CloudTrail trails must enable log-file integrity validation.",
    types: T.cloudtrail,
    check: (props, _args, report) => {
        if (!isTrue(props.enableLogFileValidation)) {
            report("Set enableLogFileValidation: true.");
        }
    },
});

export const sfnLogging = resourcePolicy({
    name: "sfn-logging",
    description: "Step Functions state machines must log executions to CloudWatch Logs.",
    types: T.sfnStateMachine,
    check: (props, _args, report) => {
        const cfg = block(props.loggingConfiguration);
        const level = cfg?.level;
        if (!isAmong(level, ["ALL", "ERROR", "FATAL"]) || !isSet(cfg?.logDestination)) {
            report(
                'Set loggingConfiguration: { level: "ERROR" (or "ALL"), logDestination: "<log group ARN>:*", ' +
                    "includeExecutionData: false }.",
            );
        }
    },
});

/** Control-plane log types a security review needs: API calls, audit trail, authentication. */
const EKS_LOG_TYPES = ["api", "audit", "authenticator"];

export const eksControlPlaneLogs = resourcePolicy({
    name: "eks-control-plane-logs",
    description: "EKS clusters must send api, audit and authenticator control-plane logs to CloudWatch.",
    types: tokensOf("eksCluster", "eksComponentCluster"),
    check: (props, _args, report) => {
        const enabled = list<string>(props.enabledClusterLogTypes);
        const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
        if (missing.length > 0) {
            report(`Add ${missing.map((m) => `"${m}"`).join(", ")} to enabledClusterLogTypes.`);
        }
    },
});

export const ecsContainerLogging = resourcePolicy({
    name: "ecs-container-logging",
    description: "Every container in an ECS task definition must have a log configuration.",
    types: T.ecsTaskDefinition,
    check: (props, _args, report) => {
        const defs = parseJson(props.containerDefinitions);
        if (!Array.isArray(defs)) {
            report("containerDefinitions is not a JSON array of container definitions.");
            return;
        }
        for (const value of defs as unknown[]) {
            const c = block(value);
            if (!isSet(block(c?.logConfiguration)?.logDriver)) {
                report(
                    `Container "${text(c?.name, "?")}": set logConfiguration { logDriver: "awslogs", options: { ` +
                        `awslogs-group, awslogs-region, awslogs-stream-prefix } }.`,
                );
            }
        }
    },
});

export const ec2VpcFlowLogs = stackPolicy({
    name: "ec2-vpc-flow-logs",
    description: "Every VPC must have a flow log.",
    check: (graph, _args, report) => {
        const flowLogs = graph.ofType(T.flowLog);
        for (const vpc of graph.ofType(T.vpc)) {
            if (!flowLogs.some((f) => graph.pointsTo(f, "vpcId", vpc))) {
                report(
                    `VPC ${vpc.name}: add an aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestination: ` +
                        `<encrypted log group> }.`,
                    vpc.urn,
                );
            }
        }
    },
});

export const wafv2Metrics = resourcePolicy({
    name: "wafv2-metrics",
    description: "WAF web ACLs and their rules must publish CloudWatch metrics and sample requests.",
    types: T.wafv2WebAcl,
    check: (props, _args, report) => {
        const v = block(props.visibilityConfig);
        if (!isTrue(v?.cloudwatchMetricsEnabled) || !isTrue(v?.sampledRequestsEnabled)) {
            report(
                "Set visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName }.",
            );
        }
        const rules = props.rules !== undefined ? list(props.rules) : list(parseJson(props.ruleJson));
        for (const value of rules) {
            const r = block(value);
            const rv = block(r?.visibilityConfig ?? r?.VisibilityConfig);
            const metrics = rv?.cloudwatchMetricsEnabled ?? rv?.CloudWatchMetricsEnabled;
            if (!isTrue(metrics)) {
                report(`Rule "${text(r?.name ?? r?.Name, "?")}": set visibilityConfig.cloudwatchMetricsEnabled: true.`);
            }
        }
    },
});

export const wafv2Logging = stackPolicy({
    name: "wafv2-logging",
    description: "WAF web ACLs must have a logging configuration.",
    check: (graph, _args, report) => {
        const configs = graph.ofType(T.wafv2WebAclLogging);
        for (const acl of graph.ofType(T.wafv2WebAcl)) {
            if (!configs.some((c) => graph.pointsTo(c, "resourceArn", acl))) {
                report(
                    "Add an aws.wafv2.WebAclLoggingConfiguration { resourceArn: <this web ACL ARN>, " +
                        "logDestinationConfigs: [<aws-waf-logs-* destination>] }.",
                    acl.urn,
                );
            }
        }
    },
});

export const cloudwatchLogGroupRetention = resourcePolicy({
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch log groups must set a retention period.",
    types: T.logGroup,
    check: (props, _args, report) => {
        const days = num(props.retentionInDays);
        if (days === undefined || days <= 0) {
            report(
                "Set retentionInDays (e.g. 7 in dev, 90 or more in prod); 0/unset keeps logs forever at growing " +
                    "cost and exposure.",
            );
        }
    },
});

/** The service principal S3 server access logging writes as. */
const S3_LOGGING_PRINCIPAL = "logging.s3.amazonaws.com";
/** The ACL grantee of the legacy (ACL-based) S3 log delivery, and the canned ACL that grants it write. */
const LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery";
const LOG_DELIVERY_ACL = "log-delivery-write";

/** The target bucket named by a bucket's inline logging block (`logging`, `loggings`), if any. */
function inlineLogTarget(bucket: PolicyResource): string | undefined {
    const target = inlineBlock(bucket.props, "logging", "loggings")?.targetBucket;
    return isSet(target) ? target : undefined;
}

/** True when a bucket policy document allows `logging.s3.amazonaws.com` to `s3:PutObject`. */
function grantsLogDelivery(policy: unknown): boolean {
    const parsed = parsePolicyDocument(policy);
    if (parsed.kind !== "document") return false;
    return parsed.document.statements.some(
        (s) =>
            s.isAllow &&
            (s.principal?.service ?? []).includes(S3_LOGGING_PRINCIPAL) &&
            (s.actions ?? []).some((a) => wildcardMatch(a, "s3:PutObject")),
    );
}

/** True when an ACL (canned `acl`, inline `grants`, or a BucketAcl's grants) lets the S3 log delivery group write. */
function aclGrantsLogDelivery(props: PolicyResource["props"]): boolean {
    if (props.acl === LOG_DELIVERY_ACL) return true;
    const grants = [...list(props.grants), ...list(block(props.accessControlPolicy)?.grants)];
    return grants.some((g) => {
        const grantee = block(g);
        return (grantee?.uri ?? block(grantee?.grantee)?.uri) === LOG_DELIVERY_GROUP;
    });
}

/**
 * True when `bucket` is itself a server access log destination: another bucket's logging (a
 * BucketLogging, or the inline block of older state) targets it, or its bucket policy or ACL lets the
 * S3 log delivery write to it. Such a bucket is exempt: logging its own access would log the log
 * writes (cdk-nag AwsSolutions-S1 names the log bucket as the expected exception).
 */
function isLogDestination(graph: StackGraph, bucket: PolicyResource): boolean {
    const ids = new Set(identifiers(bucket));
    if (graph.ofType(T.s3BucketLogging).some((l) => graph.pointsTo(l, "targetBucket", bucket))) return true;
    if (graph.ofType(T.s3Bucket).some((b) => b !== bucket && ids.has(inlineLogTarget(b) ?? ""))) return true;
    if (grantsLogDelivery(bucket.props.policy) || aclGrantsLogDelivery(bucket.props)) return true;
    const policies = graph.referrers(bucket, "bucket", T.s3BucketPolicy);
    if (policies.some((p) => grantsLogDelivery(p.props.policy))) return true;
    return graph.referrers(bucket, "bucket", T.s3BucketAcl).some((a) => aclGrantsLogDelivery(a.props));
}

/**
 * Stack level: every bucket logs its requests (a BucketLogging whose `bucket` is the bucket, or the
 * inline `logging`/`loggings` block of state written before v7), unless it is a log destination itself
 * ({@link isLogDestination}). A bucket that logs is never asked what it is, so an unknown log target
 * in a preview is read only for a bucket without logging.
 */
export const s3BucketAccessLogging = stackPolicy({
    name: "s3-bucket-access-logging",
    description:
        "S3 buckets must write server access logs (aws.s3.BucketLogging or the inline logging block); " +
        "a bucket that is itself a log destination is exempt.",
    check: (graph, _args, report) => {
        for (const bucket of graph.ofType(T.s3Bucket)) {
            if (graph.referrers(bucket, "bucket", T.s3BucketLogging).length > 0) continue;
            if (inlineLogTarget(bucket) !== undefined) continue;
            if (isLogDestination(graph, bucket)) continue;
            report(
                `bucket "${bucket.name}" has no server access logging: add an aws.s3.BucketLogging { bucket, ` +
                    "targetBucket: <access-log bucket>, targetPrefix: <bucket name>/ } (the target grants " +
                    `${S3_LOGGING_PRINCIPAL} s3:PutObject in its bucket policy).`,
                bucket.urn,
            );
        }
    },
});

/**
 * Log types each engine must export to CloudWatch Logs: the lists of Security Hub control RDS.9
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-9), by engine prefix. One
 * difference: Aurora PostgreSQL has no `upgrade` log to export (its log types are `postgresql`, `instance` and
 * `iam-db-auth-error`: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html), so the
 * control's `upgrade` is not asked of it. MySQL's `audit` needs the MARIADB_AUDIT_PLUGIN option (RDS for MySQL
 * 8.0.28 and later, 8.4, 5.7: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.html).
 * A second difference, a disagreement: the control's `general` log of MySQL, MariaDB and Aurora MySQL is not asked.
 * It records every statement the server receives with its literal values (personal data in WHERE clauses and
 * INSERTs), on the instance's own I/O; the `audit` log already records who connected and every schema and
 * privilege change, and `slowquery` the expensive statements (policy-pack/README.md, coverage table, RDS.9).
 * Engines not listed (Db2, custom engines) are not judged.
 */
export const RDS_LOG_EXPORTS: readonly { readonly engine: RegExp; readonly logs: readonly string[] }[] = [
    { engine: /^aurora-postgresql$/, logs: ["postgresql"] },
    { engine: /^(mysql|mariadb|aurora|aurora-mysql)$/, logs: ["audit", "error", "slowquery"] },
    { engine: /^postgres$/, logs: ["postgresql", "upgrade"] },
    { engine: /^oracle-/, logs: ["alert", "audit", "trace", "listener"] },
    { engine: /^sqlserver-/, logs: ["error", "agent"] },
];

export const rdsLogExports = resourcePolicy({
    name: "rds-log-exports",
    description:
        "RDS instances and clusters must export their engine's logs to CloudWatch Logs (Security Hub RDS.9 lists).",
    types: tokensOf("rdsInstance", "rdsCluster"),
    check: (props, args, report) => {
        const engine = text(props.engine);
        if (isOneOf(args.type, T.rdsInstance) && engine.startsWith("aurora")) {
            return; // Aurora members export at cluster level.
        }
        const required = RDS_LOG_EXPORTS.find((e) => e.engine.test(engine))?.logs;
        if (required === undefined) return;
        const enabled = list<string>(props.enabledCloudwatchLogsExports);
        const missing = required.filter((l) => !enabled.includes(l));
        if (missing.length > 0) {
            report(
                `enabledCloudwatchLogsExports lacks ${missing.map((m) => `"${m}"`).join(", ")}: ` +
                    `${engine} must export ` +
                    `${required.join(", ")} (audit needs an option group with MARIADB_AUDIT_PLUGIN on MySQL/MariaDB; ` +
                    "slowquery needs slow_query_log = 1 and log_output = FILE).",
            );
        }
    },
});

/** Logging policies, in the order the README lists them. */
export const loggingPolicies: Policy[] = [
    lbAccessLogs,
    cloudfrontAccessLogs,
    apigatewayStageAccessLogs,
    cloudtrailLogValidation,
    sfnLogging,
    eksControlPlaneLogs,
    ecsContainerLogging,
    ec2VpcFlowLogs,
    wafv2Metrics,
    wafv2Logging,
    cloudwatchLogGroupRetention,
    s3BucketAccessLogging,
    rdsLogExports,
];
