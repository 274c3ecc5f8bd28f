/**
 * The two checked-in inputs of the cost estimate, read and validated:
 * - the price table `tools/cost/prices.yaml`: per price key, per region, USD with source URL and date;
 *   and the classification of resource types into priced, free and unpriced;
 * - the usage assumptions `tools/cost/usage/<stack>.yaml`: traffic and log volume the plan cannot know.
 *
 * Validation collects every problem and throws once (`CostTableError.problems`), each naming the file
 * and the key, as the config loader does.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";

export const COST_DIR = path.resolve(__dirname, "..", "..", "cost");
export const PRICES_FILE = path.join(COST_DIR, "prices.yaml");
export const usageFile = (stack: string) => path.join(COST_DIR, "usage", `${stack}.yaml`);

export class CostTableError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "CostTableError";
    }
}

const got = (input: unknown) => `got ${JSON.stringify(input)}`;

const priceSchema = z.object(
    {
        usd: z
            .number({ error: (i) => `usd must be a number of US dollars; ${got(i.input)}` })
            .nonnegative({ error: (i) => `usd must not be negative; ${got(i.input)}` }),
        source: z.url({ error: (i) => `source must be the URL the price was read from; ${got(i.input)}` }),
        read: z
            .string({ error: (i) => `read must be the date the price was read (YYYY-MM-DD); ${got(i.input)}` })
            .regex(/^\d{4}-\d{2}-\d{2}$/, { error: (i) => `read must be a date YYYY-MM-DD; ${got(i.input)}` }),
        asOf: z.string().optional(),
        note: z.string().optional(),
    },
    { error: (i) => `must be {usd, source, read}; ${got(i.input)}` },
);

/** One sourced price. */
export type Price = z.infer<typeof priceSchema>;

const priceItemSchema = z
    .object({ unit: z.string({ error: (i) => `unit must say what one unit is; ${got(i.input)}` }) })
    .catchall(priceSchema);

const tableSchema = z.object({
    hoursPerMonth: z.number({ error: (i) => `hoursPerMonth must be a number; ${got(i.input)}` }).positive(),
    prices: z.record(z.string(), priceItemSchema, {
        error: (i) => `prices must map price keys to {unit, <region>: price}; ${got(i.input)}`,
    }),
    wanted: z.array(z.string()).default([]),
    types: z.object({
        priced: z.array(z.string(), { error: (i) => `types.priced must list type tokens; ${got(i.input)}` }),
        free: z.record(z.string(), z.string(), {
            error: (i) => `types.free must map type tokens to a reason; ${got(i.input)}`,
        }),
        unpriced: z.record(z.string(), z.string(), {
            error: (i) => `types.unpriced must map type tokens to a reason; ${got(i.input)}`,
        }),
    }),
});

export interface PriceTable {
    hoursPerMonth: number;
    /** Price key -> unit and per-region price. */
    prices: Record<string, { unit: string; regions: Record<string, Price> }>;
    wanted: string[];
    priced: string[];
    free: Record<string, string>;
    unpriced: Record<string, string>;
}

const usageValues = z
    .object({
        natGatewayGbPerMonth: z.number().nonnegative(),
        interfaceEndpointGbPerMonth: z.number().nonnegative(),
        loadBalancerCapacityUnits: z.number().nonnegative(),
        wafMillionRequestsPerMonth: z.number().nonnegative(),
        logGroupGbPerMonth: z.number().nonnegative(),
        /** Average running tasks of an ECS service (default: its desiredCount). */
        taskCount: z.number().nonnegative(),
    })
    .strict();

const usageSchema = z.object({
    defaults: usageValues.omit({ taskCount: true }).required(),
    overrides: z.record(z.string(), usageValues.partial()).default({}),
});

/** Usage assumptions of one stack. */
export type Usage = z.infer<typeof usageSchema>;
export type UsageValues = z.infer<typeof usageValues>;

function problemsOf(file: string, error: z.ZodError): string[] {
    return error.issues.map((i) => `${path.basename(file)}: ${i.path.join(".") || "(document)"}: ${i.message}`);
}

function readYaml(file: string): unknown {
    if (!fs.existsSync(file)) throw new CostTableError([`${file}: file not found`]);
    try {
        return parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new CostTableError([`${path.basename(file)}: not valid YAML: ${(err as Error).message}`]);
    }
}

/**
 * Reads and checks the price table. Beyond the schema: a type may be in one class only.
 * @throws CostTableError with every problem.
 */
export function loadPriceTable(file = PRICES_FILE): PriceTable {
    const parsed = tableSchema.safeParse(readYaml(file));
    if (!parsed.success) throw new CostTableError(problemsOf(file, parsed.error));
    const t = parsed.data;
    const problems: string[] = [];
    const seen = new Map<string, string>();
    const classes: [string, string[]][] = [
        ["priced", t.types.priced],
        ["free", Object.keys(t.types.free)],
        ["unpriced", Object.keys(t.types.unpriced)],
    ];
    for (const [cls, types] of classes) {
        for (const type of types) {
            const before = seen.get(type);
            if (before) problems.push(`${path.basename(file)}: types: ${type} is listed as both ${before} and ${cls}`);
            seen.set(type, cls);
        }
    }
    if (problems.length > 0) throw new CostTableError(problems);
    const prices: PriceTable["prices"] = {};
    for (const [key, item] of Object.entries(t.prices)) {
        const { unit, ...regions } = item;
        prices[key] = { unit, regions };
    }
    return {
        hoursPerMonth: t.hoursPerMonth,
        prices,
        wanted: t.wanted,
        priced: t.types.priced,
        free: t.types.free,
        unpriced: t.types.unpriced,
    };
}

/**
 * Reads and checks a stack's usage assumptions.
 * @throws CostTableError with every problem.
 */
export function loadUsage(file: string): Usage {
    const parsed = usageSchema.safeParse(readYaml(file));
    if (!parsed.success) throw new CostTableError(problemsOf(file, parsed.error));
    return parsed.data;
}

/** The usage values of one resource: defaults, then its override. */
export function usageFor(usage: Usage, logicalName: string): Partial<UsageValues> & Usage["defaults"] {
    return { ...usage.defaults, ...(usage.overrides[logicalName] ?? {}) };
}
