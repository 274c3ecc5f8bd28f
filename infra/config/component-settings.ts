/**
 * Settings schemas of the components several architectures configure alike: a Fargate service's size
 * and scaling, a custom domain, a relational database. Each architecture embeds them in its own
 * `platform:<architecture>` schema with its defaults.
 */
import { z } from "zod";
import { fargateSizeProblem } from "../compute/fargate-sizes";
import { CERTIFICATE_STATUSES, DNS_NAME } from "../edge/dns-certificate";
import { got, integerIn, textMatching } from "./schema-helpers";

/** Size, count and scaling of one Fargate service (shared by the container architectures). */
export const fargateServiceSettings = (defaults: {
    cpu: number;
    memory: number;
    desiredCount?: number;
    maxCount?: number;
}) =>
    z
        .strictObject({
            cpu: z
                .number({ error: (i) => `must be Fargate CPU units (256, 512, 1024, ...); ${got(i.input)}` })
                .default(defaults.cpu),
            memory: z.number({ error: (i) => `must be MiB of memory; ${got(i.input)}` }).default(defaults.memory),
            desiredCount: integerIn(
                2,
                100,
                "the number of tasks; at least 2 so they span two Availability Zones",
            ).default(defaults.desiredCount ?? 2),
            maxCount: integerIn(2, 100, "the most tasks autoscaling may run").default(defaults.maxCount ?? 4),
            cpuTargetPercent: integerIn(10, 90, "the average CPU utilisation autoscaling holds, in percent").default(
                60,
            ),
        })
        .superRefine((s, ctx) => {
            const size = fargateSizeProblem(s.cpu, s.memory);
            if (size) ctx.addIssue({ code: "custom", path: [size.field], message: size.message });
            if (s.maxCount < s.desiredCount)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxCount"],
                    message: `must be at least desiredCount (${s.desiredCount}); got ${s.maxCount}`,
                });
        });

/**
 * Where the ACM certificates of a domain without a Route 53 zone are (docs/first-deploy.md): `pending`
 * (default: requested, the validation records printed, nothing that needs them created) or `issued`.
 */
export const certificateStatusSetting = () =>
    z
        .enum(CERTIFICATE_STATUSES, {
            error: (i) =>
                "must be pending (the validation records are not created yet) " +
                `or issued (ACM issued the certificates); ${got(i.input)}`,
        })
        .default("pending");

/**
 * A custom domain: the name viewers use, and the Route 53 zone to write records in (absent: records are
 * outputs).
 */
export const domainSettings = (example: string) =>
    z.strictObject(
        {
            name: z
                .string({
                    error: (i) =>
                        i.input === undefined
                            ? `required: the DNS name viewers use, e.g. ${example}`
                            : `must be a DNS name; ${got(i.input)}`,
                })
                .regex(DNS_NAME, {
                    error: (i) =>
                        `must be a lower-case DNS name such as ${example} (no wildcard, no trailing dot); ` +
                        got(i.input),
                }),
            hostedZoneId: textMatching(
                /^Z[A-Z0-9]{1,31}$/,
                "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
            ).optional(),
            certificateStatus: certificateStatusSetting(),
        },
        { error: (i) => `must be an object { name, hostedZoneId?, certificateStatus? }; ${got(i.input)}` },
    );

/** The relational database's size and protection (shared by the container architectures). */
export const databaseSettings = (defaults: { instanceClass: string; engineVersion: string }) =>
    z
        .strictObject({
            instanceClass: textMatching(
                /^db\.[a-z0-9]+\.[a-z0-9]+$/,
                "an RDS instance class such as db.t4g.micro",
            ).default(defaults.instanceClass),
            engineVersion: textMatching(/^\d+(\.\d+){0,2}$/, "an engine version such as 16 or 8.0").default(
                defaults.engineVersion,
            ),
            allocatedStorageGb: integerIn(20, 65536, "GiB of gp3 storage").default(20),
            maxAllocatedStorageGb: integerIn(21, 65536, "the GiB storage autoscaling may grow to").optional(),
            multiAz: z
                .boolean({ error: (i) => `must be true (a standby in a second AZ) or false; ${got(i.input)}` })
                .default(false),
            backupRetentionDays: integerIn(1, 35, "days of automated backups").default(7),
            performanceInsights: z.boolean({ error: (i) => `must be true or false; ${got(i.input)}` }).default(true),
            monitoringIntervalSeconds: z
                .union(
                    [
                        z.literal(0),
                        z.literal(1),
                        z.literal(5),
                        z.literal(10),
                        z.literal(15),
                        z.literal(30),
                        z.literal(60),
                    ],
                    {
                        error: (i) =>
                            `must be 0 (off), 1, 5, 10, 15, 30 or 60 seconds of Enhanced Monitoring; ${got(i.input)}`,
                    },
                )
                .default(0),
        })
        .superRefine((s, ctx) => {
            if (s.maxAllocatedStorageGb !== undefined && s.maxAllocatedStorageGb <= s.allocatedStorageGb)
                ctx.addIssue({
                    code: "custom",
                    path: ["maxAllocatedStorageGb"],
                    message:
                        `must be above allocatedStorageGb (${s.allocatedStorageGb}); ` +
                        `got ${s.maxAllocatedStorageGb}`,
                });
        });
