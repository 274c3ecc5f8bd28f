/**
 * coffee-shop's settings (`platform:coffee-shop`), their error messages and the architecture's constants.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { certificateStatusSetting } from "../../infra/config/component-settings";
import { got, integerIn, logRetentionDays, textMatching } from "../../infra/config/schema-helpers";
import { DNS_NAME } from "../../infra/edge/dns-certificate";
import type { StepContext } from "../architecture";

export const NAME = "coffee-shop";
/** Workloads in `platform:releases`: the version label of the Lambda bundles built here. */
export const WORKLOADS = { lambdas: "coffee-shop-lambdas" } as const;
/** Name of the products table's category index (apps/lambdas/products). */
export const CATEGORY_INDEX = "by-category";
/** Source of the events the workflow publishes (the same the orders API uses). */
export const WORKFLOW_EVENT_SOURCE = "coffee-shop.orders";
/** The event that starts the order workflow. */
export const ORDER_PLACED_PATTERN = { source: [WORKFLOW_EVENT_SOURCE], "detail-type": ["OrderPlaced"] };

/** Body `POST /orders` accepts (API Gateway answers 400 for anything else before the function runs). */
export const ORDER_BODY_SCHEMA = {
    title: "PlaceOrder",
    type: "object",
    required: ["items"],
    additionalProperties: false,
    properties: {
        items: {
            type: "array",
            minItems: 1,
            maxItems: 20,
            items: {
                type: "object",
                required: ["productId", "quantity"],
                additionalProperties: false,
                properties: {
                    productId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
                    quantity: { type: "integer", minimum: 1, maximum: 20 },
                },
            },
        },
    },
} as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:coffee-shop
// ------------------------------------------------------------------------------------------------

/** The settings' error messages too long for one line of the schema. */
const MESSAGES = {
    domainName: (input: unknown) =>
        `must be a lower-case DNS name such as shop.example.com (no wildcard, no trailing dot); ${got(input)}`,
    domainRequired:
        "required: { name: the shop's DNS name such as shop.example.com, hostedZoneId?: its Route 53 zone, " +
        "certificateStatus?: pending or issued }",
    advancedSecurity: (input: unknown) =>
        `must be OFF, AUDIT or ENFORCED (threat protection; anything but OFF needs the Plus plan); ${got(input)}`,
};

/**
 * The site's DNS name (CloudFront serves it with an ACM certificate, TLS 1.2 minimum); the Route 53 zone is
 * optional.
 */
const domainSchema = z.strictObject(
    {
        name: z
            .string({
                error: (i) =>
                    i.input === undefined
                        ? "required: the DNS name of the shop, e.g. shop.example.com"
                        : `must be a DNS name; ${got(i.input)}`,
            })
            .regex(DNS_NAME, { error: (i) => MESSAGES.domainName(i.input) }),
        hostedZoneId: textMatching(
            /^Z[A-Z0-9]{1,31}$/,
            "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
        ).optional(),
        certificateStatus: certificateStatusSetting(),
    },
    {
        error: (i) =>
            i.input === undefined
                ? MESSAGES.domainRequired
                : `must be an object { name, hostedZoneId?, certificateStatus? }; ${got(i.input)}`,
    },
);

const cognitoSchema = z
    .strictObject({
        mfa: z
            .enum(["OPTIONAL", "ON"], { error: (i) => `must be OPTIONAL or ON (TOTP); ${got(i.input)}` })
            .default("OPTIONAL"),
        advancedSecurity: z
            .enum(["OFF", "AUDIT", "ENFORCED"], { error: (i) => MESSAGES.advancedSecurity(i.input) })
            .default("OFF"),
        passwordMinimumLength: integerIn(12, 99, "characters of the shortest password").default(12),
    })
    .prefault({});

const cacheSchema = z
    .strictObject({
        nodeType: textMatching(
            /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
            "an ElastiCache node type such as cache.t4g.micro",
        ).default("cache.t4g.micro"),
        replicas: integerIn(0, 5, "read replicas besides the primary").default(0),
        multiAz: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }).default(false),
        ttlSeconds: integerIn(1, 86400, "seconds a catalogue entry stays cached").default(300),
    })
    .prefault({})
    .superRefine((c, ctx) => {
        if (c.multiAz && c.replicas < 1)
            ctx.addIssue({
                code: "custom",
                path: ["replicas"],
                message: `must be at least 1 when multiAz is true (failover needs a replica); got ${c.replicas}`,
            });
    });

export const settingsSchema = z.strictObject({
    /** Retention of this architecture's log groups; default the stack's platform:logRetentionDays. */
    logRetentionDays: logRetentionDays().optional(),
    domain: domainSchema,
    api: z
        .strictObject({
            stageName: textMatching(/^[A-Za-z0-9_-]{1,64}$/, "a stage name (letters, digits, - and _)").default("v1"),
            rateLimit: integerIn(1, 10000, "steady-state requests per second for the whole stage").default(100),
            burstLimit: integerIn(1, 5000, "the stage's burst in requests").default(200),
        })
        .prefault({}),
    waf: z
        .strictObject({
            siteRateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes to the site").default(
                2000,
            ),
            apiRateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes to the API").default(1000),
        })
        .prefault({}),
    cognito: cognitoSchema,
    cache: cacheSchema,
    payment: z
        .strictObject({
            limitCents: integerIn(
                1,
                100_000_000,
                "the largest order total, in cents, the simulated gateway approves",
            ).default(50_000),
        })
        .prefault({}),
    alarms: z
        .strictObject({
            api5xxPerMinute: integerIn(1, 100000, "API 5xx responses per minute that alarm").default(5),
            fulfilmentAgeSeconds: integerIn(
                60,
                1209600,
                "age in seconds of the oldest fulfilment message that alarms",
            ).default(900),
        })
        .prefault({}),
});

export type CoffeeShopSettings = z.infer<typeof settingsSchema>;

/** What every coffee-shop step receives. */
export type CoffeeShopStep = StepContext<CoffeeShopSettings>;

/** Log group settings of the architecture: the logs key and `logRetentionDays` (default the stack's). */
export function logSettings(step: CoffeeShopStep): { kmsKeyArn: pulumi.Output<string>; retentionInDays: number } {
    return {
        kmsKeyArn: step.foundation.keys.keyArns.logs,
        retentionInDays: step.settings.logRetentionDays ?? step.config.profile.logRetentionDays,
    };
}

/** The site's URL, `https://<domain.name>`: the API's CORS origin. */
export const siteUrl = (s: CoffeeShopSettings) => `https://${s.domain.name}`;
