/**
 * postech's settings (`platform:postech`) and constants: the zod schema and its type, the checks that depend on
 * the stack ({@link stackProblems}), the names, ports and pinned charts the tiers share, and the values several
 * steps derive from the context ({@link derive}). Imports nothing from `stacks/postech.ts` or the tier files.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { LambdaName } from "../../apps/lambdas/build";
import type { IamStatement } from "../../infra/compute/fargate-service";
import { got, integerIn, logRetentionDays, textMatching } from "../../infra/config/schema-helpers";
import { Cidr, overlaps, parseCidr } from "../../infra/network/cidr";
import type { PinnedChart } from "../../infra/kubernetes/helm-release";
import type { StepContext } from "../architecture";

export const NAME = "postech";
/**
 * Workloads in `platform:releases`: the FastAPI image tag (pushed by its CI) and the version label of the Lambda
 * bundles built here.
 */
export const WORKLOADS = { api: "postech-api", lambdas: "postech-lambdas" } as const;

/** Kubernetes namespaces. */
export const NAMESPACES = { app: "postech", monitoring: "monitoring", system: "kube-system" } as const;
/** The FastAPI container's port, probe and metrics paths, and UID (the image's unprivileged user). */
export const APP = {
    name: "fastapi",
    port: 8000,
    health: "/health",
    ready: "/ready",
    metrics: "/metrics",
    uid: 10001,
} as const;
/** Port of the internal NLB's listener (API Gateway VPC link -> NLB). */
export const NLB_PORT = 80;
/** Name of the encrypted gp3 StorageClass (Prometheus's volume). */
export const STORAGE_CLASS = "gp3-encrypted";

/**
 * Helm charts, pinned. Bump a version here deliberately (and read the chart's upgrade notes); nothing
 * floats. Sources: the charts' own repositories.
 */
export const CHARTS = {
    loadBalancerController: {
        chart: "aws-load-balancer-controller",
        version: "1.17.1",
        repo: "https://aws.github.io/eks-charts",
    },
    metricsServer: {
        chart: "metrics-server",
        version: "3.13.0",
        repo: "https://kubernetes-sigs.github.io/metrics-server",
    },
    prometheusStack: {
        chart: "kube-prometheus-stack",
        version: "80.7.0",
        repo: "https://prometheus-community.github.io/helm-charts",
    },
    fluentBit: { chart: "aws-for-fluent-bit", version: "0.2.0", repo: "https://aws.github.io/eks-charts" },
    otelCollector: {
        chart: "opentelemetry-collector",
        version: "0.158.3",
        repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    },
} as const satisfies Record<string, PinnedChart>;

/** The Lambda functions of this architecture, by role. */
export const FUNCTIONS = {
    auth: "cpf-auth",
    authorizer: "jwt-authorizer",
    define: "define-auth-challenge",
    create: "create-auth-challenge",
    verify: "verify-auth-challenge",
} as const satisfies Record<string, LambdaName>;

/** Body `POST /auth` accepts (API Gateway rejects anything else with 400 before the Lambda runs). */
export const AUTH_BODY_SCHEMA = {
    title: "CpfSignIn",
    type: "object",
    required: ["cpf"],
    additionalProperties: false,
    properties: {
        cpf: { type: "string", minLength: 11, maxLength: 14, pattern: "^[0-9]{3}\\.?[0-9]{3}\\.?[0-9]{3}-?[0-9]{2}$" },
    },
} as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:postech
// ------------------------------------------------------------------------------------------------

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/;
/**
 * An SES identity ARN ("Resource types defined by Amazon SES" in
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html).
 */
const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:identity\/[^\s]+$/;
/** Documentation address blocks (RFC 5737): examples that no runner ever sends from. */
export const DOCUMENTATION_CIDRS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;

/**
 * What each environment demands of `platform:postech` beyond the schema (the one table of environment
 * differences; ARCHITECTURES.md): `runnerCidrs` — the public endpoint's CIDRs must not overlap a
 * documentation range (an example left in place would lock the deploy out of the cluster);
 * `sesEmail` — Cognito must send through SES, since its own sender's daily quota is below production
 * volume ("For typical production environments, the default email limit is below the required delivery
 * volume":
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html).
 */
export const ENVIRONMENT_RULES: Record<string, { runnerCidrs: "any" | "real"; sesEmail: boolean }> = {
    dev: { runnerCidrs: "any", sesEmail: false },
    staging: { runnerCidrs: "real", sesEmail: false },
    prod: { runnerCidrs: "real", sesEmail: true },
};

/** Error messages too long for the schema's lines (the wording the specs pin). */
const MESSAGES = {
    advancedSecurity: (input: unknown) =>
        "must be OFF, AUDIT or ENFORCED (threat protection; anything but OFF needs the Plus plan); " + got(input),
    sesIdentityArn:
        "the ARN of a verified SES identity such as arn:aws:ses:sa-east-1:111122223333:identity/example.com",
    publicEndpointCidrs: (input: unknown) =>
        "required: the deploy runners' fixed egress CIDRs, the only sources the public API endpoint admits " +
        `(docs/delivery.md); ${got(input)}`,
    documentationRange: (text: string, example: string, environment: string) =>
        `${text} is in the documentation range ${example} (RFC 5737), not a runner's address; ` +
        `in ${environment} set the deploy runners' fixed egress CIDRs (docs/delivery.md)`,
    sesEmailRequired: (environment: string, region: string) =>
        `required in ${environment}: Cognito's own e-mail sender has a daily quota below production volume; ` +
        `set sesIdentityArn to a verified SES identity in ${region} (docs/postech.md)`,
} as const;

const QUANTITY = (what: string) =>
    textMatching(/^[0-9]+(\.[0-9]+)?(m|Mi|Gi)?$/, `a Kubernetes quantity for ${what} such as 250m or 512Mi`);

export const settingsSchema = z.strictObject({
    /** Retention of this architecture's log groups; default the stack's platform:logRetentionDays. */
    logRetentionDays: logRetentionDays().optional(),
    api: z
        .strictObject({
            stageName: textMatching(/^[A-Za-z0-9_-]{1,64}$/, "a stage name (letters, digits, - and _)").default("v1"),
            rateLimit: integerIn(1, 10000, "steady-state requests per second for the whole stage").default(50),
            burstLimit: integerIn(1, 5000, "the stage's burst in requests").default(100),
            /** One API key per client application; every request carries one (x-api-key). */
            clients: z
                .array(textMatching(/^[a-z][a-z0-9-]{0,30}$/, "a client name (lower-case letters, digits and -)"), {
                    error: (i) => `must be a list of client application names; ${got(i.input)}`,
                })
                .min(1, { error: "must name at least one client application" })
                .refine((c) => new Set(c).size === c.length, { error: "lists a client more than once" })
                .default(["app"]),
            clientRateLimit: integerIn(1, 10000, "steady-state requests per second per client").default(20),
            clientBurstLimit: integerIn(1, 5000, "burst per client").default(40),
            clientDailyQuota: integerIn(1, 100_000_000, "requests per client per day").default(100_000),
            authorizerCacheSeconds: integerIn(
                0,
                3600,
                "seconds API Gateway caches the authorizer's answer per token",
            ).default(300),
        })
        .prefault({}),
    waf: z
        .strictObject({ rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(1000) })
        .prefault({}),
    cognito: z
        .strictObject({
            advancedSecurity: z
                .enum(["OFF", "AUDIT", "ENFORCED"], { error: (i) => MESSAGES.advancedSecurity(i.input) })
                .default("OFF"),
            tokenValidityMinutes: integerIn(5, 1440, "minutes the access and id tokens are valid").default(60),
            refreshTokenValidityDays: integerIn(1, 3650, "days the refresh token is valid").default(30),
            /**
             * Cognito sends e-mail through this verified SES identity (`DEVELOPER`); required in prod. Default
             * Cognito's own sender.
             */
            email: z
                .strictObject({
                    sesIdentityArn: textMatching(SES_IDENTITY_ARN, MESSAGES.sesIdentityArn),
                    fromAddress: textMatching(
                        /^([^<>"]{1,64} <)?[^@\s<>]+@[^@\s<>]+(>)?$/,
                        'a sender such as "Postech <no-reply@example.com>" at the identity\'s domain',
                    ).optional(),
                })
                .optional(),
        })
        .prefault({}),
    eks: z
        .strictObject({
            // The newest version EKS supports as of this release: 1.35, in standard support until 2027-03-27 (EKS's
            // release calendar, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; the pack's
            // eks-supported-version flags a version past its standard support, policy-pack/lib/support-calendars.ts).
            version: textMatching(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33").default("1.35"),
            /**
             * Required: the fixed egress addresses of the deploy runners (and operators), the only sources the
             * public API endpoint admits. The deploy path (`pulumi up` in CI) reaches the Kubernetes API through
             * it from the first run; no /0, and in prod no documentation range (see {@link stackProblems}).
             */
            publicEndpointCidrs: z
                .array(textMatching(CIDR, "an IPv4 CIDR such as 198.51.100.7/32"), {
                    error: (i) => MESSAGES.publicEndpointCidrs(i.input),
                })
                .min(1, { error: "must list the deploy runners' fixed egress CIDRs (at least one)" })
                .refine((c) => !c.some((x) => x.endsWith("/0")), {
                    error: "must not hold a /0: the API endpoint would be open to the whole internet",
                }),
            adminRoleArns: z
                .array(textMatching(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN"), {
                    error: (i) => `must be a list of IAM role ARNs; ${got(i.input)}`,
                })
                .default([]),
            /**
             * Roles of this account that may read the cluster (AmazonEKSViewPolicy), by name: the CI preview role, so
             * pull-request previews diff against the live objects.
             */
            viewerRoleNames: z
                .array(textMatching(/^[\w+=,.@-]{1,64}$/, "an IAM role name such as pulumi-ci-dev-preview"), {
                    error: (i) => `must be a list of IAM role names; ${got(i.input)}`,
                })
                .default([]),
            instanceTypes: z
                .array(textMatching(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as t3.medium"))
                .min(1, { error: "must list at least one instance type" })
                .default(["t3.medium"]),
            minNodes: integerIn(1, 100, "the fewest nodes").default(2),
            desiredNodes: integerIn(1, 100, "the nodes to start with").default(2),
            maxNodes: integerIn(1, 100, "the most nodes").default(4),
            nodeDiskGib: integerIn(20, 1000, "GiB of each node's root volume").default(30),
        })
        // An absent `eks` parses as `{}`, so the missing publicEndpointCidrs is reported by its own key.
        .prefault({} as { publicEndpointCidrs: string[] })
        .superRefine((e, ctx) => {
            if (e.desiredNodes < e.minNodes)
                ctx.addIssue({
                    code: "custom",
                    path: ["desiredNodes"],
                    message: `must be at least minNodes (${e.minNodes}); got ${e.desiredNodes}`,
                });
            if (e.maxNodes < e.desiredNodes)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxNodes"],
                    message: `must be at least desiredNodes (${e.desiredNodes}); got ${e.maxNodes}`,
                });
        }),
    app: z
        .strictObject({
            minReplicas: integerIn(2, 100, "the fewest FastAPI pods; at least 2 so they span two zones").default(2),
            maxReplicas: integerIn(2, 100, "the most FastAPI pods").default(6),
            cpuTargetPercent: integerIn(
                10,
                95,
                "the CPU utilisation (percent of the request) the autoscaler holds",
            ).default(70),
            cpuRequest: QUANTITY("CPU").default("250m"),
            cpuLimit: QUANTITY("CPU").default("1"),
            memoryRequest: QUANTITY("memory").default("256Mi"),
            memoryLimit: QUANTITY("memory").default("512Mi"),
        })
        .prefault({})
        .superRefine((a, ctx) => {
            if (a.maxReplicas < a.minReplicas)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxReplicas"],
                    message: `must be at least minReplicas (${a.minReplicas}); got ${a.maxReplicas}`,
                });
        }),
    database: z
        .strictObject({
            instanceClass: textMatching(
                /^db\.[a-z0-9]+\.[a-z0-9]+$/,
                "an RDS instance class such as db.t4g.micro",
            ).default("db.t4g.micro"),
            allocatedStorageGb: integerIn(20, 65536, "GB of storage").default(20),
            maxAllocatedStorageGb: integerIn(20, 65536, "GB storage autoscaling may grow to").default(100),
            multiAz: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }).default(false),
            backupRetentionDays: integerIn(1, 35, "days of automated backups").default(7),
        })
        .prefault({}),
    monitoring: z
        .strictObject({
            prometheusRetentionDays: integerIn(1, 90, "days Prometheus keeps metrics").default(7),
            prometheusStorageGib: integerIn(5, 1000, "GiB of Prometheus's encrypted volume").default(20),
        })
        .prefault({}),
});

export type PostechSettings = z.infer<typeof settingsSchema>;

/**
 * The checks of `platform:postech` that depend on the stack ({@link ENVIRONMENT_RULES}): where the
 * environment says so, no documentation range in `eks.publicEndpointCidrs` and an SES identity for
 * Cognito's e-mail; and that identity in the stack's region (Cognito sends through SES in its own region).
 */
export function stackProblems(
    s: PostechSettings,
    stack: { environment: string; region: string },
): { path: string; message: string }[] {
    const rules = ENVIRONMENT_RULES[stack.environment] ?? ENVIRONMENT_RULES.prod;
    const problems: { path: string; message: string }[] = [];
    s.eks.publicEndpointCidrs.forEach((text, i) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") problems.push({ path: `eks.publicEndpointCidrs[${i}]`, message: cidr });
        if (rules.runnerCidrs === "real" && typeof cidr !== "string") {
            const example = DOCUMENTATION_CIDRS.find((d) => overlaps(cidr, parseCidr(d) as Cidr));
            if (example)
                problems.push({
                    path: `eks.publicEndpointCidrs[${i}]`,
                    message: MESSAGES.documentationRange(text, example, stack.environment),
                });
        }
    });
    const email = s.cognito.email;
    if (rules.sesEmail && email === undefined)
        problems.push({
            path: "cognito.email",
            message: MESSAGES.sesEmailRequired(stack.environment, stack.region),
        });
    const region = email?.sesIdentityArn.split(":")[3];
    if (email && region !== stack.region)
        problems.push({
            path: "cognito.email.sesIdentityArn",
            message: `must be an SES identity in the stack's region ${stack.region}; got one in ${region}`,
        });
    return problems;
}

// ------------------------------------------------------------------------------------------------
// What every step receives, and the values several steps derive from it
// ------------------------------------------------------------------------------------------------

/** The context of every postech step: the architecture's context, its logical name and `{ parent }`. */
export type PostechStep = StepContext<PostechSettings>;

/** Values several tiers derive from the context. */
export interface Derived {
    /** The foundation's KMS key ARNs (`data`, `logs`, `secrets`, ...). */
    keys: PostechStep["foundation"]["keys"]["keyArns"];
    /** The profile's `protect` (retain data, longer recovery windows). */
    protect: boolean;
    /** Days this architecture's log groups keep events: `logRetentionDays`, else the profile's. */
    retention: number;
    /** Log group settings of the components: the logs key and {@link Derived.retention}. */
    logs: { kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
}

/** {@link Derived} of one step context. */
export function derive(step: PostechStep): Derived {
    const { config, settings: s, foundation } = step;
    const keys = foundation.keys.keyArns;
    const retention = s.logRetentionDays ?? config.profile.logRetentionDays;
    return {
        keys,
        protect: config.profile.protect,
        retention,
        logs: { kmsKeyArn: keys.logs, retentionInDays: retention },
    };
}

/** Lets a role decrypt with the secrets key, only through `service` (e.g. `secretsmanager`) in the stack's region. */
export function decryptThrough(step: PostechStep, service: string): IamStatement {
    return {
        Sid: `DecryptThrough${service.replace(/[^A-Za-z]/g, "")}`,
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: step.foundation.keys.keyArns.secrets,
        Condition: { StringEquals: { "kms:ViaService": `${service}.${step.config.region}.amazonaws.com` } },
    };
}
