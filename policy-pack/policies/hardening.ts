/**
 * Hardening checks taken from the two public rule sets the pack is measured against (see
 * `../coverage.ts` and the coverage table in the README): the cdk-nag `AwsSolutions` rules
 * (https://github.com/cdklabs/cdk-nag/blob/main/RULES.md) and the AWS Security Hub Foundational
 * Security Best Practices controls (https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html).
 *
 * | policy                                   | rules / controls                    |
 * |------------------------------------------|-------------------------------------|
 * | s3-bucket-ssl-requests-only (stack)      | AwsSolutions-S10, S3.5              |
 * | sqs-queue-ssl-requests-only (stack)      | AwsSolutions-SQS4                   |
 * | sns-topic-ssl-requests-only (stack)      | AwsSolutions-SNS3                   |
 * | sqs-queue-dead-letter-queue (stack)      | AwsSolutions-SQS3                   |
 * | ec2-imdsv2-required                      | EC2.8                               |
 * | ecs-task-definition-container-hardening  | ECS.1, ECS.3, ECS.4, ECS.5          |
 * | ecs-task-definition-no-secret-environment| ECS.8                               |
 * | ecs-cluster-container-insights           | AwsSolutions-ECS4, ECS.12           |
 * | ecr-repository-image-scanning            | ECR.1                               |
 * | ecr-repository-tag-immutability          | ECR.2                               |
 * | lb-drop-invalid-header-fields            | ELB.4                               |
 * | lb-desync-mitigation                     | ELB.12                              |
 * | wafv2-web-acl-has-rules                  | WAF.10                              |
 * | cloudfront-waf                           | AwsSolutions-CFR2, CloudFront.6     |
 * | apigateway-stage-waf (stack)             | AwsSolutions-APIG3, APIGateway.4    |
 * | elasticache-automatic-backups            | ElastiCache.1                       |
 *
 * Every check judges the resource by its own properties (or, for stack policies, by the
 * resources linked to it); absent context means silence, never a guess.
 */
import { parsePolicyDocument, PolicyStatement, wildcardMatch } from "../lib/iam-document";
import type { PolicyResource } from "@pulumi/policy";
import {
    block,
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
 * and SNS (https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit).
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
                        `${spec.noun} ${target.name} accepts requests without TLS: add to its resource policy ${spec.example}.`,
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
        '{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }',
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
        '{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: <queue ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } }',
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
        '{ Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: <topic ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } }',
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
                `queue ${q.name} has no dead-letter queue: set redrivePolicy { deadLetterTargetArn: <DLQ ARN>, maxReceiveCount } ` +
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
                `metadataOptions.httpTokens is ${JSON.stringify(options?.httpTokens ?? null)}: set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } ` +
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
        "ECS containers must not be privileged, must have a read-only root file system, and must not share the host's process namespace or (as root) its network.",
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
                    `container "${name}": set readonlyRootFilesystem: true (write to a volume or tmpfs instead of the image's file system).`,
                );
            }
            if (hostNetwork && !isTrue(c.privileged) && runsAsRoot(c.user)) {
                report(
                    `container "${name}": networkMode "host" with user ${JSON.stringify(c.user ?? null)} runs as root in the host's network namespace: set user to a non-root UID (or use networkMode "awsvpc").`,
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
    description: `ECS containers must not pass credentials (${SECRET_ENVIRONMENT_NAMES.join(", ")}) as plain environment variables.`,
    types: T.ecsTaskDefinition,
    check: (props, _args, report) => {
        for (const c of containers(props) ?? []) {
            for (const e of list(c.environment)) {
                const name = block(e)?.name;
                if (isAmong(name, SECRET_ENVIRONMENT_NAMES)) {
                    report(
                        `container "${text(c.name, "?")}": environment ${name} is stored in plain text in the task definition: ` +
                            "give the task a role instead, or pass it through secrets[] { name, valueFrom: <Secrets Manager or SSM ARN> }.",
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
                `imageTagMutability is ${JSON.stringify(props.imageTagMutability ?? "MUTABLE (default)")}: set "IMMUTABLE" so a pushed tag cannot be replaced with other code.`,
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
        // Default false: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes
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
                `stage ${stage.name} has no web ACL: add an aws.wafv2.WebAclAssociation { resourceArn: <stage ARN>, webAclArn } (REGIONAL scope).`,
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
                `snapshotRetentionLimit is ${JSON.stringify(props.snapshotRetentionLimit ?? null)}: set it to at least 1 day (35 at most).`,
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
];
