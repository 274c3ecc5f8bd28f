/**
 * ticketing: the settings schema (`platform:ticketing`), its type and the architecture's constants (services,
 * routes, ports, headers, database users, bucket prefixes). Imports nothing from `stacks/ticketing.ts` or the
 * tier files.
 */
import { z } from "zod";
import { databaseSettings, domainSettings, fargateServiceSettings } from "../../infra/config/component-settings";
import { got, integerIn, logRetentionDays } from "../../infra/config/schema-helpers";
import { StepContext } from "../architecture";

export const NAME = "ticketing";
/** The services and their workloads in `platform:releases` (image tags pushed by each service's CI). */
export const SERVICES = ["ticket", "reservation", "checkout", "product", "notification"] as const;
export type ServiceKey = (typeof SERVICES)[number];
export const WORKLOADS: Record<ServiceKey, string> = {
    ticket: "ticket-service",
    reservation: "reservation-service",
    checkout: "checkout-service",
    product: "product-service",
    notification: "notification-service",
};
/**
 * Services behind the load balancer, with their rule priority and path patterns (at most 3 per rule with the
 * header).
 */
export const ROUTES: Record<Exclude<ServiceKey, "notification">, { priority: number; paths: string[] }> = {
    ticket: { priority: 10, paths: ["/api/events*", "/api/tickets*"] },
    reservation: { priority: 20, paths: ["/api/reservations*"] },
    checkout: { priority: 30, paths: ["/api/checkout*", "/api/orders*"] },
    product: { priority: 40, paths: ["/api/products*"] },
};
/** The services behind the load balancer (the keys of ROUTES). */
export type RoutedService = keyof typeof ROUTES;
/** The port every service listens on, and its health endpoint (the image contract, docs/ticketing.md). */
export const SERVICE_PORT = 8080;
export const HEALTH_PATH = "/health";
/** The header CloudFront adds and the listener rules require. */
export const ORIGIN_HEADER = "X-Origin-Verify";
/**
 * The CloudFront origin-facing managed prefix list
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html).
 */
export const CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing";
/** Database users, one per service that uses the database (IAM authentication). */
export const DB_USERS: Partial<Record<ServiceKey, string>> = {
    ticket: "ticket_service",
    reservation: "reservation_service",
    checkout: "checkout_service",
    product: "product_service",
};
/** Prefixes of the assets bucket. */
export const PREFIXES = { receipts: "receipts/", tickets: "tickets/" } as const;

// ------------------------------------------------------------------------------------------------
// Settings: platform:ticketing
// ------------------------------------------------------------------------------------------------

export const settingsSchema = z.strictObject({
    domain: domainSettings("tickets.example.com"),
    /**
     * Retention of the services', WAF and database log groups; default the stack's
     * platform:logRetentionDays.
     */
    logRetentionDays: logRetentionDays().optional(),
    ticket: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    reservation: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    checkout: fargateServiceSettings({ cpu: 512, memory: 1024 }).prefault({}),
    product: fargateServiceSettings({ cpu: 256, memory: 512 }).prefault({}),
    notification: fargateServiceSettings({ cpu: 256, memory: 512 })
        .extend({
            backlogPerTask: integerIn(1, 10000, "the queued notifications per task autoscaling holds").default(100),
        })
        .prefault({}),
    /**
     * How long a reservation holds seats before its expiry message arrives (SQS delivery delay, at most 15
     * minutes).
     */
    reservationHoldSeconds: integerIn(
        60,
        900,
        "seconds a reservation holds its seats (the SQS delay limit is 900)",
    ).default(600),
    database: databaseSettings({ instanceClass: "db.t4g.micro", engineVersion: "16" }).prefault({}),
    /** Days overwritten or deleted receipts and ticket images stay recoverable. */
    assetsNoncurrentVersionDays: integerIn(1, 3650, "days a noncurrent object version is kept").default(90),
    waf: z
        .strictObject({
            rateLimit: integerIn(10, 2_000_000_000, "requests per client IP per 5 minutes").default(2000),
        })
        .prefault({}),
    alarms: z
        .strictObject({
            target5xxPerMinute: integerIn(0, 100000, "target 5XX responses per minute").default(10),
            elb5xxPerMinute: integerIn(0, 100000, "load balancer 5XX responses per minute").default(10),
            p99LatencySeconds: z
                .number({ error: (i) => `must be seconds; ${got(i.input)}` })
                .positive({ error: (i) => `must be a positive number of seconds; ${got(i.input)}` })
                .default(2),
            queueAgeSeconds: integerIn(60, 1209600, "seconds the oldest notification may wait").default(300),
            dbCpuPercent: integerIn(10, 100, "database CPU percent").default(80),
            dbFreeStorageGb: integerIn(1, 65536, "GiB of free database storage").default(2),
        })
        .prefault({}),
});

export type TicketingSettings = z.infer<typeof settingsSchema>;

// ------------------------------------------------------------------------------------------------
// What every step derives the same way
// ------------------------------------------------------------------------------------------------

/** What every ticketing step receives: the architecture context, the component's name and `{ parent }`. */
export type TicketingStep = StepContext<TicketingSettings>;

/** The services' name in resource names, log groups and descriptions (`ticket-service`). */
export const label = (svc: ServiceKey): string => `${svc}-service`;

/** Retention in days of the services', WAF and database log groups: the setting, else the profile's. */
export const retentionDays = (step: TicketingStep): number =>
    step.settings.logRetentionDays ?? step.config.profile.logRetentionDays;

/** The ALB's name, which CloudFront uses as its origin: `origin.<domain>`. */
export const originDomainName = (step: TicketingStep): string => `origin.${step.settings.domain.name}`;
