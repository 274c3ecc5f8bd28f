/**
 * Hardening checks taken from the two public rule sets the pack is measured against (see
 * `../coverage.ts` and the coverage table in the README): the cdk-nag `AwsSolutions` rules
 * (https://github.com/cdklabs/cdk-nag/blob/main/RULES.md) and the AWS Security Hub Foundational
 * Security Best Practices controls (https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html).
 *
 * Which rule or control each policy implements is recorded in `../coverage.ts` (one row per rule
 * or control), not repeated here.
 *
 * Every check judges the resource by its own properties (or, for stack policies, by the
 * resources linked to it); absent context means silence, never a guess.
 */
import { parsePolicyDocument, PolicyStatement, wildcardMatch } from "../lib/iam-document";
import type { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { checkDate, eksVersionRow, isOnOrAfter, LAMBDA_RUNTIMES } from "../lib/support-calendars";
import {
    block,
    isAmong,
    isFalse,
    isOneOf,
    isSet,
    isTrue,
    list,
    num,
    parseJson,
    Policy,
    resourcePolicy,
    stackPolicy,
    StackGraph,
    T,
    text,
    tokensOf,
} from "../lib/resource";

// ---------------------------------------------------------------------------------------------
// Transport: resource policies that deny requests without TLS
// ---------------------------------------------------------------------------------------------

/**
 * True when `s` denies every principal the `action` over plain HTTP: `Effect: Deny`, `Principal: "*"`
 * (or `{"AWS": "*"}`), an `Action` that covers `action`, and `Bool`/`BoolIfExists`
 * `aws:SecureTransport: "false"`. This is the statement AWS documents for S3
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit),
 * SQS (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html)
 * and SNS
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit).
 */
export function deniesInsecureTransport(s: PolicyStatement, action: string, objects: boolean): boolean {
    if ((s.effect ?? "").toLowerCase() !== "deny" || s.principal?.wildcard !== true) return false;
    if (!(s.actions ?? []).some((a) => wildcardMatch(a, action))) return false;
    if (objects && !(s.resources ?? []).some((r) => r === "*" || r.endsWith("/*"))) return false;
    return s.conditions.some(
        (c) =>
            /^Bool(IfExists)?$/i.test(c.operator) &&
            c.key.toLowerCase() === "aws:securetransport" &&
            c.values.some((v) => v.toLowerCase() === "false"),
    );
}

interface SslSpec {
    name: string;
    description: string;
    noun: string;
    targets: readonly string[];
    /** Standalone policy resources and the property that names the target. */
    policies: readonly string[];
    link: string;
    /** The action a `Deny` must cover (`s3:GetObject` for S3 means `s3:*` or `*`). */
    action: string;
    /** S3 only: the statement must cover objects (`arn:...:bucket/*`). */
    objects: boolean;
    example: string;
}

function sslPolicy(spec: SslSpec): Policy {
    return stackPolicy({
        name: spec.name,
        description: spec.description,
        check: (graph, _args, report) => {
            for (const target of graph.ofType(spec.targets)) {
                const docs: unknown[] = [
                    target.props.policy,
                    ...graph.referrers(target, spec.link, spec.policies).map((p): unknown => p.props.policy),
                ];
                const ok = docs.some((d) => {
                    const parsed = parsePolicyDocument(d);
                    return (
                        parsed.kind === "document" &&
                        parsed.document.statements.some((s) => deniesInsecureTransport(s, spec.action, spec.objects))
                    );
                });
                if (!ok) {
                    report(
                        `${spec.noun} ${target.name} accepts requests without TLS: add to its resource policy ` +
                            `${spec.example}.`,
                        target.urn,
                    );
                }
            }
        },
    });
}

export const s3BucketSslRequestsOnly = sslPolicy({
    name: "s3-bucket-ssl-requests-only",
    description: "S3 bucket policies must deny requests that do not use TLS (aws:SecureTransport false).",
    noun: "bucket",
    targets: T.s3Bucket,
    policies: T.s3BucketPolicy,
    link: "bucket",
    action: "s3:GetObject",
    objects: true,
    example:
        '{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], ' +
        'Condition: { Bool: { "aws:SecureTransport": "false" } } }',
});

export const sqsQueueSslRequestsOnly = sslPolicy({
    name: "sqs-queue-ssl-requests-only",
    description: "SQS queue policies must deny requests that do not use TLS (aws:SecureTransport false).",
    noun: "queue",
    targets: T.sqsQueue,
    policies: T.sqsQueuePolicy,
    link: "queueUrl",
    action: "sqs:SendMessage",
    objects: false,
    example:
        '{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: <queue ARN>, Condition: { Bool: { ' +
        '"aws:SecureTransport": "false" } } }',
});

export const snsTopicSslRequestsOnly = sslPolicy({
    name: "sns-topic-ssl-requests-only",
    description: "SNS topic policies must deny publishing without TLS (aws:SecureTransport false).",
    noun: "topic",
    targets: T.snsTopic,
    policies: T.snsTopicPolicy,
    link: "arn",
    action: "sns:Publish",
    objects: false,
    example:
        '{ Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: <topic ARN>, Condition: { Bool: ' +
        '{ "aws:SecureTransport": "false" } } }',
});

// ---------------------------------------------------------------------------------------------
// SQS dead-letter queues
// ---------------------------------------------------------------------------------------------

/** The `deadLetterTargetArn` of a queue's `redrivePolicy` (JSON string or object), if any. */
function deadLetterTarget(redrivePolicy: unknown): string | undefined {
    const v = block(parseJson(redrivePolicy))?.deadLetterTargetArn;
    return isSet(v) ? v : undefined;
}

/** True when `q` is the dead-letter queue of another queue in the stack. */
function isDeadLetterQueue(graph: StackGraph, q: PolicyResource): boolean {
    const arn: unknown = q.props.arn;
    return graph.ofType(T.sqsQueue).some((other) => {
        if (other.urn === q.urn) return false;
        if ((other.propertyDependencies.redrivePolicy ?? []).some((d) => d.urn === q.urn)) return true;
        return isSet(arn) && deadLetterTarget(other.props.redrivePolicy) === arn;
    });
}

export const sqsQueueDeadLetterQueue = stackPolicy({
    name: "sqs-queue-dead-letter-queue",
    description: "SQS queues must have a dead-letter queue (redrivePolicy), unless they are one.",
    check: (graph, _args, report) => {
        const redrives = graph.ofType(["aws:sqs/redrivePolicy:RedrivePolicy"]);
        for (const q of graph.ofType(T.sqsQueue)) {
            if (deadLetterTarget(q.props.redrivePolicy) !== undefined) continue;
            if (redrives.some((r) => graph.pointsTo(r, "queueUrl", q))) continue;
            if (isDeadLetterQueue(graph, q)) continue;
            report(
                `queue ${q.name} has no dead-letter queue: set redrivePolicy { deadLetterTargetArn: <DLQ ` +
                    `ARN>, maxReceiveCount } ` +
                    "so messages that keep failing are kept for inspection instead of retried forever or lost.",
                q.urn,
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// EC2 instance metadata
// ---------------------------------------------------------------------------------------------

export const ec2Imdsv2Required = resourcePolicy({
    name: "ec2-imdsv2-required",
    description: "EC2 instances and launch templates must require IMDSv2 (metadataOptions.httpTokens required).",
    types: tokensOf("ec2Instance", "ec2LaunchTemplate"),
    check: (props, _args, report) => {
        // Older providers hold metadataOptions as a one-element list.
        const options = block(list(props.metadataOptions)[0]);
        if (options?.httpEndpoint === "disabled") return; // No metadata service at all.
        // Without httpTokens the instance accepts IMDSv1 unless its AMI says otherwise
        // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html).
        if (options?.httpTokens !== "required") {
            report(
                `metadataOptions.httpTokens is ${JSON.stringify(options?.httpTokens ?? null)}: set ` +
                    `metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } ` +
                    "so credentials cannot be read from the metadata service with a plain GET (SSRF).",
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// ECS task definitions and clusters
// ---------------------------------------------------------------------------------------------

/** Container definitions of a task definition, or `undefined` when the JSON is not a list. */
function containers(props: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>[] | undefined {
    const defs = parseJson(props.containerDefinitions);
    return Array.isArray(defs) ? (defs as unknown[]).map((d) => block(d) ?? {}) : undefined;
}

/** True for a container user that is root (`root`, `0`, `root:...`, `0:...`) or unset. */
function runsAsRoot(user: unknown): boolean {
    if (!isSet(user)) return true;
    const name = user.split(":")[0];
    return name === "root" || name === "0";
}

export const ecsTaskDefinitionContainerHardening = resourcePolicy({
    name: "ecs-task-definition-container-hardening",
    description:
        "ECS containers must not be privileged, must have a read-only root file system, and must not share the " +
        "host's process namespace or (as root) its network.",
    types: T.ecsTaskDefinition,
    check: (props, _args, report) => {
        // Parameters: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
        if (props.pidMode === "host") {
            report('pidMode is "host": remove it (or use "task") so containers cannot see or signal host processes.');
        }
        const defs = containers(props);
        if (defs === undefined) return; // ecs-container-logging reports malformed definitions.
        const hostNetwork = props.networkMode === "host";
        for (const c of defs) {
            const name = text(c.name, "?");
            if (isTrue(c.privileged)) {
                report(`container "${name}": privileged is true (root on the host): remove it.`);
            }
            if (!isTrue(c.readonlyRootFilesystem)) {
                report(
                    `container "${name}": set readonlyRootFilesystem: true (write to a volume or tmpfs instead ` +
                        `of the image's file system).`,
                );
            }
            if (hostNetwork && !isTrue(c.privileged) && runsAsRoot(c.user)) {
                report(
                    `container "${name}": networkMode "host" with user ${JSON.stringify(c.user ?? null)} runs as ` +
                        `root in the host's network namespace: set user to a non-root UID (or use networkMode ` +
                        `"awsvpc").`,
                );
            }
        }
    },
});

/**
 * Environment variable names that carry AWS credentials or registry credentials, the list the
 * AWS Config rule behind ECS.8 uses by default
 * (https://docs.aws.amazon.com/config/latest/developerguide/ecs-no-environment-secrets.html).
 */
export const SECRET_ENVIRONMENT_NAMES: readonly string[] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "ECS_ENGINE_AUTH_DATA",
];

export const ecsTaskDefinitionNoSecretEnvironment = resourcePolicy({
    name: "ecs-task-definition-no-secret-environment",
    description:
        `ECS containers must not pass credentials (${SECRET_ENVIRONMENT_NAMES.join(", ")}) as plain environment ` +
        `variables.`,
    types: T.ecsTaskDefinition,
    check: (props, _args, report) => {
        for (const c of containers(props) ?? []) {
            for (const e of list(c.environment)) {
                const name = block(e)?.name;
                if (isAmong(name, SECRET_ENVIRONMENT_NAMES)) {
                    report(
                        `container "${text(c.name, "?")}": environment ${name} is stored in plain text in ` +
                            `the task definition: ` +
                            "give the task a role instead, or pass it through secrets[] { name, valueFrom: <Secrets " +
                            "Manager or SSM ARN> }.",
                    );
                }
            }
        }
    },
});

export const ecsClusterContainerInsights = resourcePolicy({
    name: "ecs-cluster-container-insights",
    description: "ECS clusters must enable CloudWatch Container Insights.",
    types: ["aws:ecs/cluster:Cluster"],
    check: (props, _args, report) => {
        // settings [{ name: "containerInsights", value: "enabled" | "enhanced" | "disabled" }]
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html
        const setting = list(props.settings).find((s) => block(s)?.name === "containerInsights");
        if (!isAmong(block(setting)?.value, ["enabled", "enhanced"])) {
            report('Set settings: [{ name: "containerInsights", value: "enabled" }] (or "enhanced").');
        }
    },
});

// ---------------------------------------------------------------------------------------------
// ECR repositories
// ---------------------------------------------------------------------------------------------

export const ecrRepositoryImageScanning = resourcePolicy({
    name: "ecr-repository-image-scanning",
    description: "ECR repositories must scan images on push.",
    types: T.ecrRepository,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
        const scanning = block(list(props.imageScanningConfiguration)[0]);
        if (!isTrue(scanning?.scanOnPush)) {
            report("Set imageScanningConfiguration: { scanOnPush: true } (or an account registry scanning rule).");
        }
    },
});

export const ecrRepositoryTagImmutability = resourcePolicy({
    name: "ecr-repository-tag-immutability",
    description: "ECR repositories must make image tags immutable.",
    types: T.ecrRepository,
    check: (props, _args, report) => {
        // MUTABLE is the default: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
        if (!isAmong(props.imageTagMutability, ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"])) {
            report(
                `imageTagMutability is ${JSON.stringify(props.imageTagMutability ?? "MUTABLE (default)")}: set ` +
                    `"IMMUTABLE" so a pushed tag cannot be replaced with other code.`,
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Application load balancers
// ---------------------------------------------------------------------------------------------

/** True for an application load balancer (`loadBalancerType` defaults to "application"). */
function isApplicationLb(props: Readonly<Record<string, unknown>>): boolean {
    const t: unknown = props.loadBalancerType;
    return t === undefined || t === null || t === "application";
}

export const lbDropInvalidHeaderFields = resourcePolicy({
    name: "lb-drop-invalid-header-fields",
    description: "Application load balancers must drop HTTP headers with invalid names.",
    types: T.loadBalancer,
    check: (props, _args, report) => {
        // Default false:
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes
        if (isApplicationLb(props) && !isTrue(props.dropInvalidHeaderFields)) {
            report("Set dropInvalidHeaderFields: true (request smuggling through malformed headers).");
        }
    },
});

export const lbDesyncMitigation = resourcePolicy({
    name: "lb-desync-mitigation",
    description: 'Application load balancers must use the "defensive" or "strictest" desync mitigation mode.',
    types: T.loadBalancer,
    check: (props, _args, report) => {
        // Modes monitor | defensive (default) | strictest:
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode
        const mode: unknown = props.desyncMitigationMode;
        if (
            isApplicationLb(props) &&
            mode !== undefined &&
            mode !== null &&
            !isAmong(mode, ["defensive", "strictest"])
        ) {
            report(`desyncMitigationMode is ${JSON.stringify(mode)}: use "defensive" (the default) or "strictest".`);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// WAF
// ---------------------------------------------------------------------------------------------

export const wafv2WebAclHasRules = resourcePolicy({
    name: "wafv2-web-acl-has-rules",
    description: "WAF web ACLs must contain at least one rule or rule group.",
    types: T.wafv2WebAcl,
    check: (props, _args, report) => {
        // Rules may also be given as one JSON document (ruleJson).
        if (list(props.rules).length === 0 && !isSet(props.ruleJson)) {
            report(
                "The web ACL has no rules, so it only applies its default action: add managed rule groups or rules.",
            );
        }
    },
});

export const cloudfrontWaf = resourcePolicy({
    name: "cloudfront-waf",
    description: "CloudFront distributions must be associated with a WAF web ACL.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        if (!isSet(props.webAclId)) {
            report("Set webAclId to the ARN of a WAFv2 web ACL with scope CLOUDFRONT (us-east-1).");
        }
    },
});

export const apigatewayStageWaf = stackPolicy({
    name: "apigateway-stage-waf",
    description: "API Gateway REST API stages must be associated with a WAF web ACL.",
    check: (graph, _args, report) => {
        const associations = graph.ofType(["aws:wafv2/webAclAssociation:WebAclAssociation"]);
        for (const stage of graph.ofType(T.apigatewayStage)) {
            if (isSet(stage.props.webAclArn)) continue; // Output: the web ACL AWS reports for the stage.
            if (associations.some((a) => graph.pointsTo(a, "resourceArn", stage))) continue;
            report(
                `stage ${stage.name} has no web ACL: add an aws.wafv2.WebAclAssociation { resourceArn: <stage ` +
                    `ARN>, webAclArn } (REGIONAL scope).`,
                stage.urn,
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// ElastiCache
// ---------------------------------------------------------------------------------------------

export const elasticacheAutomaticBackups = resourcePolicy({
    name: "elasticache-automatic-backups",
    description: "ElastiCache Redis/Valkey replication groups and clusters must keep automatic backups.",
    types: tokensOf("elasticacheReplicationGroup", "elasticacheCluster"),
    check: (props, args, report) => {
        // Memcached has no backups; a cluster that joins a replication group inherits its setting.
        if (
            isOneOf(args.type, T.elasticacheCluster) &&
            (props.engine === "memcached" || isSet(props.replicationGroupId))
        )
            return;
        // Default 0 = off: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html
        const days = num(props.snapshotRetentionLimit);
        if (days === undefined || days < 1) {
            report(
                `snapshotRetentionLimit is ${JSON.stringify(props.snapshotRetentionLimit ?? null)}: set it to at ` +
                    `least 1 day (35 at most).`,
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// API Gateway REST stages
// ---------------------------------------------------------------------------------------------

const METHOD_SETTINGS = ["aws:apigateway/methodSettings:MethodSettings"];

/** MethodSettings of a REST stage: linked through `stageName`, or by equal restApi and stageName. */
function methodSettingsOf(graph: StackGraph, stage: PolicyResource): PolicyResource[] {
    return graph.ofType(METHOD_SETTINGS).filter((m) => {
        const deps = m.propertyDependencies.stageName ?? [];
        if (deps.length > 0) return deps.some((d) => d.urn === stage.urn);
        return (
            isSet(m.props.stageName) &&
            m.props.stageName === stage.props.stageName &&
            m.props.restApi === stage.props.restApi
        );
    });
}

export const apigatewayStageExecutionLogging = stackPolicy({
    name: "apigateway-stage-execution-logging",
    description:
        'API Gateway REST API stages must log execution to CloudWatch for all methods (loggingLevel "ERROR" ' +
        'or "INFO").',
    check: (graph, _args, report) => {
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
        for (const stage of graph.ofType(T.apigatewayStage)) {
            const all = methodSettingsOf(graph, stage).filter((m) => m.props.methodPath === "*/*");
            if (all.some((m) => isAmong(block(m.props.settings)?.loggingLevel, ["ERROR", "INFO"]))) continue;
            report(
                `stage ${stage.name} has no execution logging for all methods: add an ` +
                    `aws.apigateway.MethodSettings { restApi, stageName, methodPath: "*/*", settings: { ` +
                    `loggingLevel: "ERROR" } }.`,
                stage.urn,
            );
        }
    },
});

export const apigatewayCacheEncrypted = resourcePolicy({
    name: "apigateway-cache-encrypted",
    description: "API Gateway REST method caches must be encrypted.",
    types: METHOD_SETTINGS,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
        const settings = block(props.settings);
        if (isTrue(settings?.cachingEnabled) && !isTrue(settings?.cacheDataEncrypted)) {
            report("settings.cachingEnabled is true: set settings.cacheDataEncrypted: true.");
        }
    },
});

export const apigatewayStageXrayTracing = resourcePolicy({
    name: "apigateway-stage-xray-tracing",
    description: "API Gateway REST API stages must enable X-Ray tracing.",
    types: T.apigatewayStage,
    check: (props, _args, report) => {
        if (!isTrue(props.xrayTracingEnabled)) report("Set xrayTracingEnabled: true.");
    },
});

export const sfnXrayTracing = resourcePolicy({
    name: "sfn-xray-tracing",
    description: "Step Functions state machines must enable X-Ray tracing.",
    types: T.sfnStateMachine,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html
        if (!isTrue(block(list(props.tracingConfiguration)[0])?.enabled)) {
            report("Set tracingConfiguration: { enabled: true }.");
        }
    },
});

// ---------------------------------------------------------------------------------------------
// CloudFront S3 origins
// ---------------------------------------------------------------------------------------------

/**
 * True for an S3 REST endpoint (`<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3.amazonaws.com`,
 * `<bucket>.s3-<region>.amazonaws.com`); S3 website endpoints (`s3-website`) are custom origins.
 */
export function isS3RestOrigin(domain: unknown): boolean {
    return (
        typeof domain === "string" &&
        !domain.includes(".s3-website") &&
        /\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(domain)
    );
}

export const cloudfrontS3OriginAccessControl = resourcePolicy({
    name: "cloudfront-s3-origin-access-control",
    description: "CloudFront S3 origins must use origin access control.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
        for (const o of list(props.origins)) {
            const origin = block(o);
            if (!isS3RestOrigin(origin?.domainName) || isSet(origin?.originAccessControlId)) continue;
            report(
                `origin ${text(origin?.originId, "?")} (${text(origin?.domainName)}) is an S3 bucket without ` +
                    `originAccessControlId: ` +
                    "create an aws.cloudfront.OriginAccessControl (signingBehavior always, sigv4) and allow only " +
                    "this distribution in the bucket policy (origin access identities are legacy).",
            );
        }
    },
});

export const cloudfrontDefaultRootObject = resourcePolicy({
    name: "cloudfront-default-root-object",
    description: "CloudFront distributions with an S3 origin must set a default root object.",
    types: T.cloudfrontDistribution,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DefaultRootObject.html
        const s3 = list(props.origins).some((o) => isS3RestOrigin(block(o)?.domainName));
        if (s3 && !isSet(props.defaultRootObject)) {
            report('Set defaultRootObject (e.g. "index.html") so a request for "/" does not reach the bucket root.');
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Compute and data: small settings
// ---------------------------------------------------------------------------------------------

export const autoscalingGroupLaunchTemplate = resourcePolicy({
    name: "autoscaling-group-launch-template",
    description: "Auto Scaling groups must use launch templates, not launch configurations.",
    types: ["aws:autoscaling/group:Group"],
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-configurations.html (no new features, no IMDSv2
        // defaults)
        if (isSet(props.launchConfiguration)) {
            report("launchConfiguration is set: use launchTemplate (or mixedInstancesPolicy) instead.");
        }
    },
});

export const cloudtrailCloudwatchLogs = resourcePolicy({
    name: "cloudtrail-cloudwatch-logs",
    description: "CloudTrail trails must also deliver to CloudWatch Logs.",
    types: T.cloudtrail,
    check: (props, _args, report) => {
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
        if (!isSet(props.cloudWatchLogsGroupArn) || !isSet(props.cloudWatchLogsRoleArn)) {
            report(
                'Set cloudWatchLogsGroupArn ("<log group ARN>:*") and cloudWatchLogsRoleArn so API activity ' +
                    "can be alarmed on.",
            );
        }
    },
});

export const ecrRepositoryLifecyclePolicy = stackPolicy({
    name: "ecr-repository-lifecycle-policy",
    description: "ECR repositories must have a lifecycle policy.",
    check: (graph, _args, report) => {
        const policies = graph.ofType(["aws:ecr/lifecyclePolicy:LifecyclePolicy"]);
        for (const repo of graph.ofType(T.ecrRepository)) {
            if (policies.some((p) => graph.pointsTo(p, "repository", repo))) continue;
            report(
                `repository ${repo.name} keeps every image forever: add an aws.ecr.LifecyclePolicy { repository, ` +
                    `policy } that expires old and untagged images.`,
                repo.urn,
            );
        }
    },
});

export const ecsFargateLatestPlatform = resourcePolicy({
    name: "ecs-fargate-latest-platform",
    description: 'ECS Fargate services must run the latest platform version ("LATEST" or unset).',
    types: T.ecsService,
    check: (props, _args, report) => {
        // Linux 1.4.0 and Windows 1.0.0 are the latest versions:
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html
        const v: unknown = props.platformVersion;
        const fargate =
            props.launchType === "FARGATE" ||
            list(props.capacityProviderStrategies).some((c) =>
                isAmong(block(c)?.capacityProvider, ["FARGATE", "FARGATE_SPOT"]),
            );
        if (fargate && isSet(v) && !["LATEST", "1.4.0", "1.0.0"].includes(v)) {
            report(`platformVersion is "${v}": use "LATEST" so tasks get the platform's security fixes.`);
        }
    },
});

export const elasticacheAutoMinorVersionUpgrade = resourcePolicy({
    name: "elasticache-auto-minor-version-upgrade",
    description: "ElastiCache must apply minor engine versions automatically.",
    types: tokensOf("elasticacheReplicationGroup", "elasticacheCluster"),
    check: (props, _args, report) => {
        // Default true:
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
        if (isFalse(props.autoMinorVersionUpgrade)) report("autoMinorVersionUpgrade is false: remove it or set true.");
    },
});

export const rdsIamAuthentication = resourcePolicy({
    name: "rds-iam-authentication",
    description: "RDS MySQL, MariaDB and PostgreSQL databases must enable IAM database authentication.",
    types: tokensOf("rdsInstance", "rdsCluster"),
    check: (props, args, report) => {
        // Engines: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html
        const engine = text(props.engine);
        if (isOneOf(args.type, T.rdsInstance) && engine.startsWith("aurora")) return; // Set on the cluster.
        if (!/^(aurora|mysql|mariadb|postgres)/.test(engine)) return;
        if (!isTrue(props.iamDatabaseAuthenticationEnabled)) {
            report("Set iamDatabaseAuthenticationEnabled: true (short-lived tokens instead of long-lived passwords).");
        }
    },
});

export const rdsAutoMinorVersionUpgrade = resourcePolicy({
    name: "rds-auto-minor-version-upgrade",
    description: "RDS instances must apply minor engine versions automatically.",
    types: T.rdsInstance,
    check: (props, _args, report) => {
        // Default true: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html
        if (isFalse(props.autoMinorVersionUpgrade)) report("autoMinorVersionUpgrade is false: remove it or set true.");
    },
});

export const lambdaVpcMultiAz = resourcePolicy({
    name: "lambda-vpc-multi-az",
    description: "Lambda functions in a VPC must use subnets in more than one Availability Zone.",
    types: T.lambdaFunction,
    check: (props, _args, report) => {
        const subnets = list(block(list(props.vpcConfig)[0])?.subnetIds);
        if (subnets.length === 1) {
            report("vpcConfig.subnetIds has one subnet: give the function subnets in at least two Availability Zones.");
        }
    },
});

export const ec2SubnetNoAutoPublicIp = resourcePolicy({
    name: "ec2-subnet-no-auto-public-ip",
    description: "Subnets must not assign public IPv4 addresses automatically.",
    types: T.subnet,
    check: (props, _args, report) => {
        if (isTrue(props.mapPublicIpOnLaunch)) {
            report(
                "mapPublicIpOnLaunch is true, so every instance launched here is on the internet: set it to false " +
                    "and give public IPs only to load balancers and NAT gateways.",
            );
        }
    },
});

export const cognitoUserPoolPasswordPolicy = resourcePolicy({
    name: "cognito-user-pool-password-policy",
    description:
        "Cognito user pool password policies must require at least 8 characters with uppercase, numbers and symbols.",
    types: ["aws:cognito/userPool:UserPool"],
    check: (props, _args, report) => {
        // Absent: Cognito's default policy applies
        // (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html).
        const policy = block(list(props.passwordPolicy)[0]);
        if (policy === undefined) return;
        const min = num(policy.minimumLength);
        const weak = [
            ...(min !== undefined && min < 8 ? [`minimumLength ${min}`] : []),
            ...["requireUppercase", "requireNumbers", "requireSymbols"].filter((k) => isFalse(policy[k])),
        ];
        if (weak.length > 0) {
            report(
                `passwordPolicy is weak (${weak.join(", ")}): require minimumLength >= 8, uppercase, numbers and ` +
                    `symbols.`,
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// S3 lifecycle
// ---------------------------------------------------------------------------------------------

const S3_LIFECYCLE = [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];

export const s3BucketLifecycle = stackPolicy({
    name: "s3-bucket-lifecycle",
    description:
        "S3 buckets must have a lifecycle configuration (a BucketLifecycleConfiguration, or inline lifecycleRules).",
    check: (graph, _args, report) => {
        for (const bucket of graph.ofType(T.s3Bucket)) {
            if (graph.referrers(bucket, "bucket", S3_LIFECYCLE).length > 0) continue;
            // Providers before v7: inline lifecycleRules on the bucket.
            if (list(bucket.props.lifecycleRules).some((r) => isTrue(block(r)?.enabled))) continue;
            report(
                `bucket ${bucket.name} has no lifecycle rules: add an aws.s3.BucketLifecycleConfiguration that ` +
                    `expires noncurrent versions and aborts incomplete multipart uploads.`,
                bucket.urn,
            );
        }
    },
});

export const elasticacheSubnetGroup = resourcePolicy({
    name: "elasticache-subnet-group",
    description: "ElastiCache replication groups and clusters must name their own subnet group (not the default one).",
    types: tokensOf("elasticacheReplicationGroup", "elasticacheCluster"),
    check: (props, args, report) => {
        // Without subnetGroupName the cache goes to the default subnet group, in the default VPC's
        // subnets: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SubnetGroups.html
        if (isOneOf(args.type, T.elasticacheCluster) && isSet(props.replicationGroupId)) return;
        const name: unknown = props.subnetGroupName;
        if (!isSet(name) || name === "default") {
            report(
                "Set subnetGroupName to a subnet group of private subnets (the default group uses the default VPC).",
            );
        }
    },
});

// ---------------------------------------------------------------------------------------------
// Support calendars: Lambda runtimes and EKS Kubernetes versions past AWS's published dates
// ---------------------------------------------------------------------------------------------

/** Config of `lambda-supported-runtime` and `eks-supported-version`. */
export interface SupportCalendarConfig {
    /** Check date `YYYY-MM-DD` (UTC). Default: the day the check runs. Tests pin it. */
    asOf?: string;
}

const CALENDAR_CONFIG: PolicyConfigSchema = {
    properties: { asOf: { type: "string", minLength: 10, maxLength: 10 } },
};

export const lambdaSupportedRuntime = resourcePolicy({
    name: "lambda-supported-runtime",
    description:
        "Lambda functions must not use a runtime past its AWS deprecation date " +
        "(lib/support-calendars.ts, as of `asOf`).",
    types: T.lambdaFunction,
    configSchema: CALENDAR_CONFIG,
    check: (props, args, report) => {
        if (props.runtime === undefined || props.runtime === null) return; // Container images carry their own.
        const runtime = text(props.runtime);
        const row = LAMBDA_RUNTIMES.find((r) => r.runtime === runtime);
        if (row === undefined) return; // Newer than the table, or not a managed runtime: not judged.
        const today = checkDate(args.getConfig<SupportCalendarConfig>().asOf);
        if (isOnOrAfter(today, row.deprecated)) {
            report(
                `runtime "${runtime}" was deprecated on ${row.deprecated} (${row.source}): move to a supported ` +
                    "runtime of the same language (no security patches after deprecation).",
            );
        }
    },
});

export const eksSupportedVersion = resourcePolicy({
    name: "eks-supported-version",
    description:
        "EKS clusters must run a Kubernetes version in standard support (lib/support-calendars.ts, as of `asOf`).",
    types: tokensOf("eksCluster", "eksComponentCluster"),
    configSchema: CALENDAR_CONFIG,
    check: (props, args, report) => {
        if (props.version === undefined || props.version === null) return; // EKS's default at creation: not judged.
        const version = text(props.version);
        const row = eksVersionRow(version);
        if (row === undefined) return; // Newer than the table: not judged.
        const today = checkDate(args.getConfig<SupportCalendarConfig>().asOf);
        if (isOnOrAfter(today, row.standardSupportEnds)) {
            const extended = isOnOrAfter(today, row.extendedSupportEnds)
                ? `its extended support ended on ${row.extendedSupportEnds} (EKS upgrades such clusters itself)`
                : `it runs on paid extended support until ${row.extendedSupportEnds}`;
            report(
                `version "${version}" left standard support on ${row.standardSupportEnds} and ${extended} ` +
                    `(${row.source}): upgrade to a version in standard support.`,
            );
        }
    },
});

export const hardeningPolicies: Policy[] = [
    s3BucketSslRequestsOnly,
    sqsQueueSslRequestsOnly,
    snsTopicSslRequestsOnly,
    sqsQueueDeadLetterQueue,
    ec2Imdsv2Required,
    ecsTaskDefinitionContainerHardening,
    ecsTaskDefinitionNoSecretEnvironment,
    ecsClusterContainerInsights,
    ecrRepositoryImageScanning,
    ecrRepositoryTagImmutability,
    lbDropInvalidHeaderFields,
    lbDesyncMitigation,
    wafv2WebAclHasRules,
    cloudfrontWaf,
    apigatewayStageWaf,
    elasticacheAutomaticBackups,
    apigatewayStageExecutionLogging,
    apigatewayCacheEncrypted,
    apigatewayStageXrayTracing,
    sfnXrayTracing,
    cloudfrontS3OriginAccessControl,
    cloudfrontDefaultRootObject,
    autoscalingGroupLaunchTemplate,
    cloudtrailCloudwatchLogs,
    ecrRepositoryLifecyclePolicy,
    ecsFargateLatestPlatform,
    elasticacheAutoMinorVersionUpgrade,
    rdsIamAuthentication,
    rdsAutoMinorVersionUpgrade,
    lambdaVpcMultiAz,
    ec2SubnetNoAutoPublicIp,
    cognitoUserPoolPasswordPolicy,
    s3BucketLifecycle,
    elasticacheSubnetGroup,
    lambdaSupportedRuntime,
    eksSupportedVersion,
];
