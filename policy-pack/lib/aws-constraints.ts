/**
 * The constraints AWS documents for the string values this program sets (physical names, descriptions,
 * identifiers, tags), one row per resource property with the AWS API reference it follows; checked by
 * the `aws-value-constraints` policy on every resource of a preview or plan. A value AWS refuses fails
 * the `pulumi up` (after everything before it was created); a check in the preview fails first.
 *
 * Auto-naming: when a name property is absent, Pulumi names the resource `<logical name>-<7 random hex>`
 * (8 characters after the logical name; lower-cased where the provider lower-cases the name, e.g. RDS
 * and ElastiCache identifiers), and refuses a logical name too long for the suffix: "name '%s' plus %d
 * random chars is longer than maximum length %d" (`NewUniqueHex` in pulumi/sdk go/common/resource;
 * https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming). The rows marked `autoName`
 * check that name: the logical name plus the suffix must fit the limit and the character set. During a
 * real preview the engine sends the provider's auto-name with the inputs; the check reads it then.
 */

/** A rule on one string property of some resource types. */
export interface ValueConstraint {
    /** What the value is, for messages (`security group rule description`). */
    what: string;
    /** Resource type tokens. */
    types: readonly string[];
    /**
     * Property path in the inputs: `name`, `visibilityConfig.metricName`; `[]` walks every element of a
     * list: `ingress[].description`, `rules[].visibilityConfig.metricName`.
     */
    property: string;
    minLength?: number;
    maxLength: number;
    /** The whole value must match (anchored here). */
    pattern?: RegExp;
    /** The character set or shape as AWS states it, for messages. */
    allowed: string;
    /** Values AWS reserves. */
    reserved?: readonly string[];
    /** Prefixes AWS reserves (`internal-` for load balancers, `aws`/`ssm` for parameters), compared ignoring case. */
    reservedPrefixes?: readonly string[];
    /** Absent: Pulumi auto-names it `<logical name>-<7 hex>` (`lower`: lower-cased). */
    autoName?: { lower?: boolean };
    /** Only when the resource's inputs satisfy this (e.g. a rule that references a security group). */
    when?: (props: Readonly<Record<string, unknown>>, element: Readonly<Record<string, unknown>>) => boolean;
    /** The AWS API reference that states the constraint. */
    source: string;
}

/** Length of Pulumi's auto-name suffix: `-` and 7 hex digits. */
export const AUTO_NAME_SUFFIX = 8;

const SG_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const SG_RULE_REFERENCE_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_PATH = /^(\/|\/[\u0021-\u007F]*\/)$/;
// Tab, line feed and carriage return are allowed characters (AWS's own pattern).
// eslint-disable-next-line no-control-regex
const IAM_DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const RDS_IDENTIFIER = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;
const LB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const SG = ["aws:ec2/securityGroup:SecurityGroup"];
const SG_RULES = [
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];
const LEGACY_SG_RULE = ["aws:ec2/securityGroupRule:SecurityGroupRule"];
const LB = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const TG = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
const WAF_ACL = ["aws:wafv2/webAcl:WebAcl"];

/**
 * True when `key` is among `rule`'s inputs. Only the key is looked at, never the value: a security group id
 * is unknown during a first preview, but the engine sends the key (absent inputs are not sent).
 */
const has = (rule: Readonly<Record<string, unknown>>, key: string) => Object.prototype.hasOwnProperty.call(rule, key);
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
/** A rule that references a security group or a prefix list (the description's stricter character set). */
const referencesGroupOrPrefixList = (
    _props: Readonly<Record<string, unknown>>,
    rule: Readonly<Record<string, unknown>>,
) =>
    has(rule, "referencedSecurityGroupId") ||
    has(rule, "prefixListId") ||
    has(rule, "sourceSecurityGroupId") ||
    (has(rule, "prefixListIds") && nonEmpty(rule.prefixListIds)) ||
    (has(rule, "securityGroups") && nonEmpty(rule.securityGroups)) ||
    (has(rule, "self") && rule.self === true);
const referencesOnlyAddresses = (p: Readonly<Record<string, unknown>>, rule: Readonly<Record<string, unknown>>) =>
    !referencesGroupOrPrefixList(p, rule);

/** The table. Rows for the same property apply together (a value must meet all of them). */
export const VALUE_CONSTRAINTS: readonly ValueConstraint[] = [
    // EC2 security groups -----------------------------------------------------------------------
    {
        what: "security group description",
        types: SG,
        property: "description",
        maxLength: 255,
        pattern: SG_CHARS,
        allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    },
    {
        what: "security group name",
        types: SG,
        property: "name",
        maxLength: 255,
        pattern: SG_CHARS,
        allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*; not starting with sg-",
        reservedPrefixes: ["sg-"],
        autoName: {},
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    },
    ...(["ingress[].description", "egress[].description"] as const).flatMap((property) => [
        {
            what: "security group rule description (IPv4/IPv6 range)",
            types: SG,
            property,
            maxLength: 255,
            pattern: SG_CHARS,
            allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
            when: referencesOnlyAddresses,
            source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html",
        },
        {
            what: "security group rule description (referencing a security group or prefix list)",
            types: SG,
            property,
            maxLength: 255,
            pattern: SG_RULE_REFERENCE_CHARS,
            allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$* (no &)",
            when: referencesGroupOrPrefixList,
            source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html",
        },
    ]),
    {
        what: "security group rule description (IPv4/IPv6 range)",
        types: [...SG_RULES, ...LEGACY_SG_RULE],
        property: "description",
        maxLength: 255,
        pattern: SG_CHARS,
        allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
        when: referencesOnlyAddresses,
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html",
    },
    {
        what: "security group rule description (referencing a security group or prefix list)",
        types: [...SG_RULES, ...LEGACY_SG_RULE],
        property: "description",
        maxLength: 255,
        pattern: SG_RULE_REFERENCE_CHARS,
        allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$* (no &)",
        when: referencesGroupOrPrefixList,
        // API_PrefixListId.html states the same set for a rule that references a prefix list.
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html",
    },
    // Elastic Load Balancing ------------------------------------------------------------------------
    {
        what: "load balancer name",
        types: LB,
        property: "name",
        minLength: 1,
        maxLength: 32,
        pattern: LB_NAME,
        allowed:
            "alphanumeric characters or hyphens, not beginning or ending with a hyphen, not beginning with internal-",
        reservedPrefixes: ["internal-"],
        autoName: {},
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    },
    {
        what: "target group name",
        types: TG,
        property: "name",
        minLength: 1,
        maxLength: 32,
        pattern: LB_NAME,
        allowed: "alphanumeric characters or hyphens, not beginning or ending with a hyphen",
        autoName: {},
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    // IAM ------------------------------------------------------------------------------------------
    {
        what: "IAM role name",
        types: ["aws:iam/role:Role"],
        property: "name",
        minLength: 1,
        maxLength: 64,
        pattern: IAM_NAME,
        allowed: "upper and lowercase alphanumeric characters and _+=,.@-",
        autoName: {},
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    },
    {
        what: "IAM role or policy path",
        types: ["aws:iam/role:Role", "aws:iam/policy:Policy"],
        property: "path",
        minLength: 1,
        maxLength: 512,
        pattern: IAM_PATH,
        allowed: "/ alone, or beginning and ending with /, ASCII ! (\\u0021) through DEL (\\u007F)",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    },
    {
        what: "IAM role or policy description",
        types: ["aws:iam/role:Role", "aws:iam/policy:Policy"],
        property: "description",
        maxLength: 1000,
        pattern: IAM_DESCRIPTION,
        allowed: "tab, line feed, carriage return, and \\u0020-\\u007E, \\u00A1-\\u00FF",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    },
    {
        what: "IAM policy name",
        types: ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy"],
        property: "name",
        minLength: 1,
        maxLength: 128,
        pattern: IAM_NAME,
        allowed: "upper and lowercase alphanumeric characters and _+=,.@-",
        autoName: {},
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html",
    },
    // Lambda, Logs, Step Functions, EventBridge ------------------------------------------------------
    {
        what: "Lambda function name",
        types: ["aws:lambda/function:Function"],
        property: "name",
        minLength: 1,
        maxLength: 64,
        pattern: /^[a-zA-Z0-9_-]+$/,
        allowed: "letters, digits, - and _ (64 characters for a name alone)",
        autoName: {},
        source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    },
    {
        what: "log group name",
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        property: "name",
        minLength: 1,
        maxLength: 512,
        pattern: /^[.\-_/#A-Za-z0-9]+$/,
        allowed: "a-z, A-Z, 0-9, _ - / . #",
        autoName: {},
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    },
    {
        what: "state machine name",
        types: ["aws:sfn/stateMachine:StateMachine"],
        property: "name",
        minLength: 1,
        maxLength: 80,
        // With CloudWatch Logs logging (mandatory here: sfn-logging) only 0-9, A-Z, a-z, - and _.
        pattern: /^[0-9A-Za-z_-]+$/,
        allowed: "0-9, A-Z, a-z, - and _ (needed for logging to CloudWatch Logs)",
        autoName: {},
        source: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html",
    },
    {
        what: "EventBridge event bus name",
        types: ["aws:cloudwatch/eventBus:EventBus"],
        property: "name",
        minLength: 1,
        maxLength: 256,
        pattern: /^[/.\-_A-Za-z0-9]+$/,
        allowed: "/ . - _ A-Z a-z 0-9",
        source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html",
    },
    {
        what: "EventBridge rule name",
        types: ["aws:cloudwatch/eventRule:EventRule"],
        property: "name",
        minLength: 1,
        maxLength: 64,
        pattern: /^[.\-_A-Za-z0-9]+$/,
        allowed: ". - _ A-Z a-z 0-9",
        autoName: {},
        source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    },
    {
        what: "EventBridge rule or archive description",
        types: ["aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventArchive:EventArchive"],
        property: "description",
        maxLength: 512,
        allowed: "up to 512 characters",
        source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    },
    // Databases and caches --------------------------------------------------------------------------
    {
        what: "RDS DB instance identifier",
        types: ["aws:rds/instance:Instance"],
        property: "identifier",
        minLength: 1,
        maxLength: 63,
        pattern: RDS_IDENTIFIER,
        allowed: "letters, numbers or hyphens; first a letter; no trailing hyphen or two consecutive hyphens",
        autoName: { lower: true },
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    },
    {
        what: "ElastiCache replication group id",
        types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
        property: "replicationGroupId",
        minLength: 1,
        maxLength: 40,
        pattern: RDS_IDENTIFIER,
        allowed: "alphanumeric characters or hyphens; first a letter; no trailing hyphen or two consecutive hyphens",
        autoName: { lower: true },
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    },
    // Messaging ---------------------------------------------------------------------------------------
    {
        what: "SQS queue name",
        types: ["aws:sqs/queue:Queue"],
        property: "name",
        minLength: 1,
        maxLength: 80,
        pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        allowed: "alphanumeric characters, - and _; a FIFO queue's name ends with .fifo",
        autoName: {},
        source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
    },
    {
        what: "SNS topic name",
        types: ["aws:sns/topic:Topic"],
        property: "name",
        minLength: 1,
        maxLength: 256,
        pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        allowed: "ASCII letters, numbers, _ and -; a FIFO topic's name ends with .fifo",
        autoName: {},
        source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    },
    // ECR, WAF, Cognito, secrets ---------------------------------------------------------------------
    {
        what: "ECR repository name",
        types: ["aws:ecr/repository:Repository"],
        property: "name",
        minLength: 2,
        maxLength: 256,
        pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        allowed: "lower-case components of a-z 0-9 separated by . _ - and /",
        source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    },
    {
        what: "WAF web ACL or rule name",
        types: WAF_ACL,
        property: "name",
        minLength: 1,
        maxLength: 128,
        pattern: /^[\w-]+$/,
        allowed: "A-Z a-z 0-9 _ -",
        autoName: {},
        source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
    },
    {
        what: "WAF web ACL or rule name",
        types: WAF_ACL,
        property: "rules[].name",
        minLength: 1,
        maxLength: 128,
        pattern: /^[\w-]+$/,
        allowed: "A-Z a-z 0-9 _ -",
        source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html",
    },
    ...(["visibilityConfig.metricName", "rules[].visibilityConfig.metricName"] as const).map((property) => ({
        what: "WAF CloudWatch metric name",
        types: WAF_ACL,
        property,
        minLength: 1,
        maxLength: 255,
        pattern: /^[\w#:.\-/]+$/,
        allowed: "A-Z a-z 0-9 _ # : . - /, no whitespace, not a name AWS WAF reserves (All, Default_Action)",
        reserved: ["All", "Default_Action"],
        source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html",
    })),
    {
        what: "Cognito user pool name",
        types: ["aws:cognito/userPool:UserPool"],
        property: "name",
        minLength: 1,
        maxLength: 128,
        pattern: /^[\w\s+=,.@-]+$/,
        allowed: "word characters, whitespace and +=,.@-",
        source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html",
    },
    {
        what: "Cognito app client name",
        types: ["aws:cognito/userPoolClient:UserPoolClient"],
        property: "name",
        minLength: 1,
        maxLength: 128,
        pattern: /^[\w\s+=,.@-]+$/,
        allowed: "word characters, whitespace and +=,.@-",
        source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html",
    },
    {
        what: "Secrets Manager secret name",
        types: ["aws:secretsmanager/secret:Secret"],
        property: "name",
        minLength: 1,
        maxLength: 512,
        pattern: /^[A-Za-z0-9/_+=.@-]+$/,
        allowed: "ASCII letters, numbers and /_+=.@-",
        autoName: {},
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
    },
    {
        what: "SSM parameter name",
        types: ["aws:ssm/parameter:Parameter"],
        property: "name",
        minLength: 1,
        maxLength: 2048,
        pattern: /^[a-zA-Z0-9_.\-/]+$/,
        allowed: "a-z A-Z 0-9 _ . - / (no spaces); not prefixed with aws or ssm, in any case",
        reservedPrefixes: ["aws", "ssm", "/aws", "/ssm"],
        autoName: {},
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html", // naming constraints of Name
    },
];

/** Tags: every key and value of `tags` on every resource. */
export const TAG_CONSTRAINTS = {
    key: { minLength: 1, maxLength: 128 },
    value: { maxLength: 256 },
    pattern: TAG_CHARS,
    allowed: "Unicode letters, digits, whitespace and _ . : / = + - @; keys not starting with aws:",
    reservedPrefix: "aws:",
    source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html",
} as const;

/** The values at `path` in `props` (`a[].b` walks a list), each with the element it belongs to. */
export function valuesAt(
    props: Readonly<Record<string, unknown>>,
    path: string,
): { value: unknown; element: Readonly<Record<string, unknown>>; at: string }[] {
    let current: { value: unknown; element: Readonly<Record<string, unknown>>; at: string }[] = [
        { value: props, element: props, at: "" },
    ];
    for (const part of path.split(".")) {
        const isList = part.endsWith("[]");
        const key = isList ? part.slice(0, -2) : part;
        const next: typeof current = [];
        for (const c of current) {
            if (typeof c.value !== "object" || c.value === null) continue;
            const v = (c.value as Record<string, unknown>)[key];
            const at = c.at === "" ? key : `${c.at}.${key}`;
            if (isList) {
                if (!Array.isArray(v)) continue;
                v.forEach((item: unknown, i) => {
                    const element = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
                    next.push({ value: item, element, at: `${at}[${i}]` });
                });
            } else next.push({ value: v, element: c.element, at });
        }
        current = next;
    }
    return current;
}

/** What is wrong with `value` under `row` (`undefined`: nothing). */
export function violation(row: ValueConstraint, value: string): string | undefined {
    const problems: string[] = [];
    if (row.minLength !== undefined && value.length < row.minLength)
        problems.push(`shorter than ${row.minLength} characters`);
    if (value.length > row.maxLength) problems.push(`${value.length} characters, more than ${row.maxLength}`);
    if (row.pattern && !row.pattern.test(value)) {
        // For a character-set rule, name the characters AWS refuses.
        const charset = /^\^\[.*\][*+]\$$/.test(row.pattern.source) && !row.pattern.source.includes("(?");
        const bad = charset ? [...new Set([...value].filter((ch) => !row.pattern!.test(ch)))] : [];
        problems.push(
            bad.length > 0 ? `has ${bad.map((c) => JSON.stringify(c)).join(", ")}` : "does not have that shape",
        );
    }
    if (row.reserved?.includes(value)) problems.push("is reserved");
    for (const prefix of row.reservedPrefixes ?? [])
        if (value.toLowerCase().startsWith(prefix.toLowerCase())) problems.push(`starts with ${prefix}`);
    return problems.length > 0 ? problems.join("; ") : undefined;
}
