/**
 * Every configuration key of the platform's foundation: its Pulumi type, description, default and
 * validation schema. `Pulumi.yaml` declares the same keys (a test keeps the two in step); the config
 * loader reads exactly these keys, plus `platform:<architecture>` for each architecture module.
 *
 * Pulumi passes every config value to the program as a string; `type` says how the loader decodes it
 * (https://www.pulumi.com/docs/iac/concepts/projects/project-file/#config-options).
 */
import { z } from "zod";
import { contains, overlaps, parseCidr, PRIVATE_RANGES } from "../network/cidr";
import { LAYOUT_LIMITS } from "../network/layout";

/** The five architectures this program can deploy (ARCHITECTURES.md). */
export const ARCHITECTURE_NAMES = ["ticketing", "coffee-shop", "spotmusic", "postech", "mtls-api"] as const;
export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

/** Retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Interface endpoints the network can create (service name suffix after `com.amazonaws.<region>.`). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api",
    "ecr.dkr",
    "logs",
    "secretsmanager",
    "sts",
    "ssm",
    "kms",
    "sqs",
    "sns",
    "monitoring",
    "xray",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "elasticloadbalancing",
    "execute-api",
] as const;

/** Tag keys the platform sets itself; config tags may not use them. */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "Architecture", "ManagedBy", "Stack"] as const;

/** A Pulumi config type as declared in `Pulumi.yaml`. */
export type PulumiConfigType = "string" | "integer" | "boolean" | "array" | "object";

export interface KeyDeclaration {
    /** Key without the `platform:` namespace. */
    key: string;
    type: PulumiConfigType;
    /** For arrays, the item type (`items.type` in `Pulumi.yaml`). */
    items?: PulumiConfigType;
    description: string;
    /** Default when the stack does not set the key; absent means the stack must set it. */
    default?: unknown;
    schema: z.ZodType;
}

/**
 * The foundation keys' values once validated: one field per key of {@link FOUNDATION_KEYS}, typed as its
 * schema's output.
 */
export interface FoundationValues {
    environment: "dev" | "staging" | "prod";
    architectures: ArchitectureName[];
    vpcCidr: string;
    reservedCidrs: string[];
    azCount: number;
    natGateways: "single" | "per-az";
    interfaceEndpoints: (typeof INTERFACE_ENDPOINT_SERVICES)[number][];
    logRetentionDays: number;
    logArchiveRetentionDays: number;
    protect: boolean;
    alarmEmail: string;
    alarmSubscriptions: Record<string, AlarmSubscription>;
    tags: Record<string, string>;
    releases: Record<string, string>;
}

/** SNS protocols an alarm subscriber may use (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html). */
export const ALARM_SUBSCRIPTION_PROTOCOLS = ["email", "https", "sms", "sqs", "lambda"] as const;

/** One subscriber of the alarm topic: an SNS protocol and its endpoint. */
export interface AlarmSubscription {
    protocol: (typeof ALARM_SUBSCRIPTION_PROTOCOLS)[number];
    endpoint: string;
}

/**
 * A foundation key's declaration: its `key` names a field of {@link FoundationValues}, its schema (and
 * default) produce that field's type.
 */
export type FoundationKeyDeclaration = {
    [K in keyof FoundationValues]: KeyDeclaration & {
        key: K;
        default?: FoundationValues[K];
        schema: z.ZodType<FoundationValues[K]>;
    };
}[keyof FoundationValues];

const got = (input: unknown) => `got ${JSON.stringify(input)}`;

const cidrSchema = z.string().superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: `must be an IPv4 CIDR block: ${parsed}` });
        return;
    }
    if (!PRIVATE_RANGES.some((r) => contains(r, parsed))) {
        ctx.addIssue({
            code: "custom",
            message: `must lie in an RFC 1918 private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); ${got(value)}`,
        });
    }
    if (parsed.prefix < LAYOUT_LIMITS.minVpcPrefix || parsed.prefix > LAYOUT_LIMITS.maxVpcPrefix) {
        ctx.addIssue({
            code: "custom",
            message:
                `must have a prefix length from /${LAYOUT_LIMITS.minVpcPrefix} to /${LAYOUT_LIMITS.maxVpcPrefix} ` +
                `(the subnet layout cuts it in three tiers); ${got(value)}`,
        });
    }
});

const tagKey = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const tagValue = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** Endpoint formats per protocol (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html, `Endpoint`). */
const ALARM_ENDPOINTS: Record<AlarmSubscription["protocol"], { pattern: RegExp; what: string }> = {
    email: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: "an e-mail address" },
    https: { pattern: /^https:\/\/[^\s/]+(\/\S*)?$/, what: "an https:// URL" },
    sms: { pattern: /^\+[1-9]\d{1,14}$/, what: "an E.164 phone number such as +5511912345678" },
    sqs: { pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/, what: "an SQS queue ARN" },
    lambda: {
        pattern: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/,
        what: "a Lambda function ARN",
    },
};

const alarmSubscriptionSchema = z
    .strictObject(
        {
            protocol: z.enum(ALARM_SUBSCRIPTION_PROTOCOLS, {
                error: (i) => `must be one of ${ALARM_SUBSCRIPTION_PROTOCOLS.join(", ")}; ${got(i.input)}`,
            }),
            endpoint: z.string({ error: (i) => `must be a string; ${got(i.input)}` }),
        },
        { error: (i) => `must be an object { protocol, endpoint }; ${got(i.input)}` },
    )
    .superRefine((s, ctx) => {
        const rule = ALARM_ENDPOINTS[s.protocol];
        if (!rule.pattern.test(s.endpoint))
            ctx.addIssue({
                code: "custom",
                path: ["endpoint"],
                message: `must be ${rule.what} for protocol ${s.protocol}; ${got(s.endpoint)}`,
            });
    });

/**
 * The release value meaning "no image pushed yet": the repository is created, the workload that would
 * run the image is not, and the run prints the commands that push it (docs/first-deploy.md).
 */
export const UNRELEASED = "unreleased";

/** Release identifier: an image tag, an image digest, or an artifact version. */
export const RELEASE_PATTERN = /^(sha256:[a-f0-9]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;

export const FOUNDATION_KEYS: readonly FoundationKeyDeclaration[] = [
    {
        key: "environment",
        type: "string",
        description:
            "Environment name, used in names and the Environment tag: dev, staging or prod. " +
            "prod requires platform:protect true.",
        schema: z.enum(["dev", "staging", "prod"], {
            error: (i) => `must be one of dev, staging, prod; ${got(i.input)}`,
        }),
    },
    {
        key: "architectures",
        type: "array",
        items: "string",
        description: "Architectures this stack deploys, any of: ticketing, coffee-shop, spotmusic, postech, mtls-api.",
        default: [...ARCHITECTURE_NAMES],
        schema: z
            .array(
                z.enum(ARCHITECTURE_NAMES, {
                    error: (i) =>
                        `unknown architecture ${JSON.stringify(i.input)}; allowed: ${ARCHITECTURE_NAMES.join(", ")}`,
                }),
                { error: (i) => `must be a list of architecture names; ${got(i.input)}` },
            )
            .refine((a) => new Set(a).size === a.length, { message: "lists an architecture more than once" }),
    },
    {
        key: "vpcCidr",
        type: "string",
        description:
            "IPv4 CIDR of the VPC, /16 to /20 in an RFC 1918 range (for example 10.10.0.0/16). " +
            "Must not overlap platform:reservedCidrs.",
        schema: cidrSchema,
    },
    {
        key: "reservedCidrs",
        type: "array",
        items: "string",
        description:
            "Networks the VPC must not overlap: other stacks' VPCs, peered VPCs, on-premises ranges reached " +
            "over VPN or Direct Connect.",
        default: [],
        schema: z.array(z.string(), { error: (i) => `must be a list of CIDR blocks; ${got(i.input)}` }),
    },
    {
        key: "azCount",
        type: "integer",
        description:
            `Number of Availability Zones the network spans, ${LAYOUT_LIMITS.minAzCount} to ` +
            `${LAYOUT_LIMITS.maxAzCount} (sa-east-1 has 3).`,
        schema: z
            .number({ error: (i) => `must be an integer; ${got(i.input)}` })
            .int({ error: (i) => `must be an integer; ${got(i.input)}` })
            .min(LAYOUT_LIMITS.minAzCount, {
                error: (i) =>
                    `must be from ${LAYOUT_LIMITS.minAzCount} to ${LAYOUT_LIMITS.maxAzCount}; ${got(i.input)}`,
            })
            .max(LAYOUT_LIMITS.maxAzCount, {
                error: (i) =>
                    `must be from ${LAYOUT_LIMITS.minAzCount} to ${LAYOUT_LIMITS.maxAzCount}; ${got(i.input)}`,
            }),
    },
    {
        key: "natGateways",
        type: "string",
        description:
            "NAT strategy for the private subnets: single (one NAT gateway, cheaper, one AZ's failure cuts " +
            "egress) or per-az (one per AZ, highly available).",
        schema: z.enum(["single", "per-az"], { error: (i) => `must be single or per-az; ${got(i.input)}` }),
    },
    {
        key: "interfaceEndpoints",
        type: "array",
        items: "string",
        description:
            "Interface VPC endpoints to create in the private subnets, any of: " +
            `${INTERFACE_ENDPOINT_SERVICES.join(", ")}.`,
        default: [],
        schema: z
            .array(
                z.enum(INTERFACE_ENDPOINT_SERVICES, {
                    error: (i) =>
                        `unknown interface endpoint ${JSON.stringify(i.input)}; allowed: ` +
                        `${INTERFACE_ENDPOINT_SERVICES.join(", ")}`,
                }),
                { error: (i) => `must be a list of service names; ${got(i.input)}` },
            )
            .refine((a) => new Set(a).size === a.length, { message: "lists a service more than once" }),
    },
    {
        key: "logRetentionDays",
        type: "integer",
        description: `Retention of every CloudWatch log group, in days; one of ${LOG_RETENTION_DAYS.join(", ")}.`,
        schema: z
            .number({ error: (i) => `must be an integer; ${got(i.input)}` })
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
                error: (i) =>
                    "must be one of the retention periods CloudWatch Logs accepts: " +
                    `${LOG_RETENTION_DAYS.join(", ")}; ${got(i.input)}`,
            }),
    },
    {
        key: "logArchiveRetentionDays",
        type: "integer",
        description:
            "Days the log archive bucket keeps access logs before they expire (objects move to Standard-IA " +
            "after 30 days and Glacier Instant Retrieval after 90 when they live that long).",
        default: 365,
        schema: z
            .number({ error: (i) => `must be an integer; ${got(i.input)}` })
            .int({ error: (i) => `must be an integer; ${got(i.input)}` })
            .min(1, { error: (i) => `must be from 1 to 3653; ${got(i.input)}` })
            .max(3653, { error: (i) => `must be from 1 to 3653; ${got(i.input)}` }),
    },
    {
        key: "protect",
        type: "boolean",
        description:
            "Protect stateful resources: deletion protection on databases and tables, Pulumi `protect`, " +
            "final snapshots, KMS key deletion window 30 days. " +
            "Must be true when platform:environment is prod.",
        schema: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }),
    },
    {
        key: "alarmEmail",
        type: "string",
        description: "E-mail address subscribed to the alarm topic (AWS sends a confirmation mail); empty for none.",
        default: "",
        schema: z.union([
            z.literal(""),
            z.email({ error: (i) => `must be an e-mail address or empty; ${got(i.input)}` }),
        ]),
    },
    {
        key: "alarmSubscriptions",
        type: "object",
        description:
            "More subscribers of the alarm topic besides platform:alarmEmail: name -> { protocol, endpoint }, " +
            "protocol email (an address), https (an https:// URL, e.g. an on-call tool's), " +
            "sms (an E.164 number such as +5511912345678), sqs (a queue ARN) or lambda (a function ARN); " +
            "names are 1-32 lower-case letters, digits and hyphens. " +
            "A prod stack needs a subscriber here or in platform:alarmEmail.",
        default: {},
        schema: z
            .record(z.string(), alarmSubscriptionSchema, {
                error: (i) => `must be a map of names to { protocol, endpoint }; ${got(i.input)}`,
            })
            .superRefine((subscriptions, ctx) => {
                for (const name of Object.keys(subscriptions))
                    if (!/^[a-z][a-z0-9-]{0,31}$/.test(name))
                        ctx.addIssue({
                            code: "custom",
                            path: [name],
                            message: "names are 1-32 lower-case letters, digits and hyphens, starting with a letter",
                        });
            }),
    },
    {
        key: "tags",
        type: "object",
        description:
            "Extra tags for every taggable resource (for example CostCenter, Owner). The keys Project, " +
            "Environment, Architecture, ManagedBy and Stack are set by the platform and may not be used.",
        default: {},
        schema: z
            .record(z.string(), z.string({ error: (i) => `tag values must be strings; ${got(i.input)}` }), {
                error: (i) => `must be a map of tag keys to values; ${got(i.input)}`,
            })
            .superRefine((tags, ctx) => {
                for (const [k, v] of Object.entries(tags)) {
                    if ((REQUIRED_TAG_KEYS as readonly string[]).includes(k))
                        ctx.addIssue({
                            code: "custom",
                            path: [k],
                            message:
                                "is set by the platform and may not be overridden (reserved: " +
                                `${REQUIRED_TAG_KEYS.join(", ")})`,
                        });
                    else if (k.toLowerCase().startsWith("aws:"))
                        ctx.addIssue({
                            code: "custom",
                            path: [k],
                            message: "tag keys may not start with aws: (reserved by AWS)",
                        });
                    else if (!tagKey.test(k))
                        ctx.addIssue({
                            code: "custom",
                            path: [k],
                            message: "tag keys are 1-128 letters, digits, spaces and _ . : / = + - @",
                        });
                    if (!tagValue.test(v))
                        ctx.addIssue({
                            code: "custom",
                            path: [k],
                            message: `tag values are 0-256 letters, digits, spaces and _ . : / = + - @; ${got(v)}`,
                        });
                }
                if (Object.keys(tags).length > 50 - REQUIRED_TAG_KEYS.length)
                    ctx.addIssue({
                        code: "custom",
                        message:
                            `at most ${50 - REQUIRED_TAG_KEYS.length} tags (AWS allows 50 per resource, ` +
                            `${REQUIRED_TAG_KEYS.length} are the platform's)`,
                    });
            }),
    },
    {
        key: "releases",
        type: "object",
        description:
            "What to deploy: workload name -> image tag, image digest (sha256:...) or artifact version. " +
            "Promotion copies this key, and only this key, from dev to prod.",
        schema: z.record(
            z.string(),
            z.string({ error: (i) => `must be a string; ${got(i.input)}` }).regex(RELEASE_PATTERN, {
                error: (i) =>
                    "must be an image tag ([A-Za-z0-9_.-], at most 128 characters, not starting with . or -) " +
                    `or a digest sha256:<64 hex>; ${got(i.input)}`,
            }),
            { error: (i) => `must be a map of workload names to versions; ${got(i.input)}` },
        ),
    },
];

/** Cross-key rules, run once every key parsed. Each problem names its key. */
export function crossKeyProblems(values: Partial<FoundationValues>): { key: string; message: string }[] {
    const problems: { key: string; message: string }[] = [];
    if (values.environment === "prod" && values.protect === false) {
        problems.push({
            key: "protect",
            message: "must be true when platform:environment is prod (deletion protection of stateful resources)",
        });
    }
    if (
        values.environment === "prod" &&
        values.alarmEmail === "" &&
        values.alarmSubscriptions !== undefined &&
        Object.keys(values.alarmSubscriptions).length === 0
    ) {
        problems.push({
            key: "alarmEmail",
            message:
                "required when platform:environment is prod: the alarm topic needs a subscriber; " +
                "set an e-mail address here or list subscribers in platform:alarmSubscriptions",
        });
    }
    const vpcCidr = values.vpcCidr;
    const vpc = vpcCidr === undefined ? undefined : parseCidr(vpcCidr);
    (values.reservedCidrs ?? []).forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") {
            problems.push({ key: `reservedCidrs[${i}]`, message: `must be an IPv4 CIDR block: ${parsed}` });
        } else if (vpcCidr !== undefined && vpc && typeof vpc !== "string" && overlaps(vpc, parsed)) {
            problems.push({
                key: "vpcCidr",
                message: `${vpcCidr} overlaps platform:reservedCidrs[${i}] ${text}; choose a range that does not`,
            });
        }
    });
    return problems;
}
