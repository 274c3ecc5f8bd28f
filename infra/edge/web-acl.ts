/**
 * An AWS WAF web ACL (`platform:edge:WebAcl`) with the AWS managed rule groups every public HTTP
 * entry point should have, a rate-based rule per client IP, CloudWatch metrics and sampled requests
 * on the ACL and every rule, logging to a KMS-encrypted log group (`aws-waf-logs-*`, the prefix WAF
 * requires), and optional association with regional resources (ALB, API Gateway stage, ...).
 *
 * Scope: `REGIONAL` for ALBs and API Gateway (the default provider's region); `CLOUDFRONT` for
 * distributions, which must live in us-east-1: pass the foundation's `edgeProvider` in the
 * component's options (`{ provider }`), and a log group KMS key of that region. A CloudFront
 * distribution attaches the ACL itself (`webAclId`), so associations are REGIONAL only.
 * WAF cannot attach to a Network Load Balancer.
 *
 * Rule groups: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html;
 * rate rules: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html;
 * logging: https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../config/keys";

/** The AWS managed rule groups of every web ACL, in evaluation order after the rate rule. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;
export type ManagedRuleGroup = (typeof MANAGED_RULE_GROUPS)[number];

/** Name of the rate-based rule. */
export const RATE_RULE_NAME = "rate-limit-per-ip";

export interface WebAclArgs {
    scope: "REGIONAL" | "CLOUDFRONT";
    /**
     * Requests one client IP may make per evaluation window before it is blocked, 10-2,000,000,000. Default
     * 2000.
     */
    rateLimit?: number;
    /** Rate evaluation window in seconds: 60, 120, 300 or 600. Default 300. */
    rateLimitWindowSeconds?: 60 | 120 | 300 | 600;
    /**
     * Rules of the managed groups to only count (not block), by group, e.g.
     * `{ AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] }` when the origin enforces its own
     * body limit above the rule's 8 KB. Default none.
     */
    countOnlyRules?: Partial<Record<ManagedRuleGroup, string[]>>;
    /** Log group: name starting with `aws-waf-logs-`, KMS key (of the ACL's region), retention in days. */
    logs: { groupName: string; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
    /** Request headers replaced by `REDACTED` in the logs (lower case). Default `authorization`, `cookie`. */
    redactedHeaders?: string[];
    /** Regional resources (ALB ARNs, ...) to protect, keyed by a stable name. Default none. */
    associations?: Record<string, pulumi.Input<string>>;
    tags: Record<string, string>;
}

const METRIC = /^[A-Za-z0-9_-]{1,128}$/;

/** Every problem of the arguments, each naming its field. */
function problemsOf(name: string, args: WebAclArgs): string[] {
    const rateLimit = args.rateLimit ?? 2000;
    const window = args.rateLimitWindowSeconds ?? 300;
    const problems: string[] = [];
    if (!["REGIONAL", "CLOUDFRONT"].includes(args.scope))
        problems.push(`scope must be REGIONAL or CLOUDFRONT; got ${JSON.stringify(args.scope)}`);
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000)
        problems.push(`rateLimit must be an integer from 10 to 2000000000 requests per window; got ${rateLimit}`);
    if (![60, 120, 300, 600].includes(window))
        problems.push(`rateLimitWindowSeconds must be 60, 120, 300 or 600; got ${window}`);
    if (!/^aws-waf-logs-[A-Za-z0-9_./#-]{1,499}$/.test(args.logs.groupName))
        problems.push(
            "logs.groupName must start with aws-waf-logs- (WAF refuses other names); " +
                `got ${JSON.stringify(args.logs.groupName)}`,
        );
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logs.retentionInDays))
        problems.push(
            `logs.retentionInDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); ` +
                `got ${args.logs.retentionInDays}`,
        );
    for (const group of Object.keys(args.countOnlyRules ?? {})) {
        if (!(MANAGED_RULE_GROUPS as readonly string[]).includes(group))
            problems.push(`countOnlyRules: unknown rule group ${group}; the ACL has ${MANAGED_RULE_GROUPS.join(", ")}`);
    }
    if (args.scope === "CLOUDFRONT" && Object.keys(args.associations ?? {}).length > 0)
        problems.push("associations are for REGIONAL ACLs; a CloudFront distribution names the ACL in its webAclId");
    if (!METRIC.test(`${name}-${RATE_RULE_NAME}`))
        problems.push(
            `the name must be letters, digits, - and _ (it prefixes metric names); got ${JSON.stringify(name)}`,
        );
    return problems;
}

/** CloudWatch metrics and sampled requests, metric `<name>-<metric>` (at most 128 characters). */
function visibility(name: string, metric: string): aws.types.input.wafv2.WebAclVisibilityConfig {
    return {
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: `${name}-${metric}`.slice(0, 128),
    };
}

/** The rules: the per-IP rate rule first (block), then the managed rule groups with their count-only rules. */
function rulesOf(name: string, args: WebAclArgs): aws.types.input.wafv2.WebAclRule[] {
    const rateLimit = args.rateLimit ?? 2000;
    const window = args.rateLimitWindowSeconds ?? 300;
    return [
        {
            name: RATE_RULE_NAME,
            priority: 0,
            action: { block: {} },
            statement: {
                rateBasedStatement: { limit: rateLimit, evaluationWindowSec: window, aggregateKeyType: "IP" },
            },
            visibilityConfig: visibility(name, RATE_RULE_NAME),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
            name: group,
            priority: i + 1,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: group,
                    ruleActionOverrides: (args.countOnlyRules?.[group] ?? []).map((rule) => ({
                        name: rule,
                        actionToUse: { count: {} },
                    })),
                },
            },
            visibilityConfig: visibility(name, group),
        })),
    ];
}

export class WebAcl extends pulumi.ComponentResource {
    readonly webAclArn: pulumi.Output<string>;
    readonly webAclId: pulumi.Output<string>;
    /** The ACL's name: the `WebACL` dimension of its `AWS/WAFV2` metrics. */
    readonly webAclName: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:WebAcl", name, {}, opts);
        const problems = problemsOf(name, args);
        if (problems.length > 0) throw new Error(`WebAcl ${name}: ${problems.join("; ")}`);

        const acl = new aws.wafv2.WebAcl(
            name,
            {
                scope: args.scope,
                description: `${name}: AWS managed rules and a per-IP rate limit`,
                defaultAction: { allow: {} },
                rules: rulesOf(name, args),
                visibilityConfig: visibility(name, "all"),
                tags: args.tags,
            },
            { parent: this },
        );
        const logGroup = this.logging(name, args, acl);
        this.associations(name, args, acl);

        this.webAclArn = acl.arn;
        this.webAclId = acl.id;
        this.webAclName = acl.name;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName });
    }

    /** The KMS-encrypted log group and the ACL's logging into it, with the redacted headers. */
    private logging(name: string, args: WebAclArgs, acl: aws.wafv2.WebAcl): aws.cloudwatch.LogGroup {
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: args.logs.groupName,
                retentionInDays: args.logs.retentionInDays,
                kmsKeyId: args.logs.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: (args.redactedHeaders ?? ["authorization", "cookie"]).map((header) => ({
                    singleHeader: { name: header.toLowerCase() },
                })),
            },
            { parent: this },
        );
        return logGroup;
    }

    /** The associations with regional resources, in key order. */
    private associations(name: string, args: WebAclArgs, acl: aws.wafv2.WebAcl): void {
        const associations = Object.entries(args.associations ?? {}).sort(([a], [b]) => a.localeCompare(b));
        for (const [key, resourceArn] of associations) {
            new aws.wafv2.WebAclAssociation(`${name}-${key}`, { resourceArn, webAclArn: acl.arn }, { parent: this });
        }
    }
}
