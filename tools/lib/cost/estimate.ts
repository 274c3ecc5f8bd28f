/**
 * The monthly cost of a plan: every cloud resource classified by its type (priced, free, unpriced or
 * unclassified), priced ones turned into line items by PRICERS and valued with the price table in the
 * resource's region, then summed per architecture and resource kind.
 *
 * A line whose price key has no price for the region is "no sourced price": listed, never guessed, and
 * left out of the totals (totals say how many such lines they miss).
 */
import type { ExportedResource, StackExport } from "../plan-runner";
import { serviceLabel } from "../diagram/catalog";
import { nameOf, PlanModel } from "../diagram/plan-model";
import { PRICERS } from "./pricers";
import { PriceTable, Usage, usageFor } from "./tables";

export type LineStatus = "priced" | "free" | "unpriced" | "unclassified";

export interface CostLine {
    architecture: string;
    kind: string;
    resource: string;
    type: string;
    region: string;
    detail: string;
    quantity: number;
    status: LineStatus;
    priceKey?: string;
    /** Unit price in USD and its unit, when sourced. */
    unitUsd?: number;
    unit?: string;
    source?: string;
    /** quantity × unitUsd (priced lines; 0 for free ones). */
    usd?: number;
    /** Why the line is free, unpriced or unclassified. */
    reason?: string;
}

export interface KindCost {
    kind: string;
    /** Distinct resources with a line of this kind. */
    resources: number;
    /** Sum of priced lines, USD per month. */
    usd: number;
    /** Lines of this kind with no sourced price (or unclassified). */
    unpriced: number;
}

export interface ArchitectureCost {
    name: string;
    kinds: KindCost[];
    usd: number;
    unpriced: number;
    /** Resources of free types. */
    free: number;
}

export interface StackCost {
    stack: string;
    /** Region of the stack's default provider (or the override). */
    region: string;
    hoursPerMonth: number;
    architectures: ArchitectureCost[];
    usd: number;
    unpriced: number;
    lines: CostLine[];
    /** Types of the plan in no class of the price table, with how many resources. */
    unclassified: { type: string; count: number }[];
}

export interface EstimateOptions {
    table: PriceTable;
    usage: Usage;
    stack: string;
    /** Price every resource as if it were in this region (a what-if; default: each resource's own). */
    region?: string;
}

const KIND_FREE = "(no charge)";

/** Prices a plan. Pure: same inputs, same result, lines sorted. */
export function estimate(document: StackExport, options: EstimateOptions): StackCost {
    const { table, usage, stack } = options;
    const model = new PlanModel(document);
    const hours = table.hoursPerMonth;
    const priced = new Set(table.priced);
    const lines: CostLine[] = [];
    const regionOf = (r: ExportedResource) => options.region ?? model.regionOf(r);

    for (const r of model.cloudResources()) {
        const base = { architecture: model.architectureOf(r), resource: nameOf(r), type: r.type, region: regionOf(r) };
        if (table.free[r.type] !== undefined) {
            lines.push({
                ...base,
                kind: KIND_FREE,
                detail: serviceLabel(r),
                quantity: 1,
                status: "free",
                usd: 0,
                reason: table.free[r.type],
            });
            continue;
        }
        if (table.unpriced[r.type] !== undefined) {
            lines.push({
                ...base,
                kind: serviceLabel(r),
                detail: "not priced",
                quantity: 1,
                status: "unpriced",
                reason: table.unpriced[r.type],
            });
            continue;
        }
        const pricer = PRICERS[r.type];
        if (!priced.has(r.type) || !pricer) {
            lines.push({
                ...base,
                kind: serviceLabel(r),
                detail: "unclassified type",
                quantity: 1,
                status: "unclassified",
                reason: `${r.type} is not classified in tools/cost/prices.yaml (types.priced/free/unpriced)`,
            });
            continue;
        }
        for (const spec of pricer(r, { model, hours, usage: usageFor(usage, base.resource) })) {
            const line: CostLine = {
                ...base,
                kind: spec.kind,
                detail: spec.detail,
                quantity: spec.quantity,
                status: "priced",
            };
            if (spec.unknown) {
                Object.assign(line, { status: "unpriced", reason: spec.note ?? "size not determinable from the plan" });
            } else if (!spec.priceKey) {
                Object.assign(line, { status: "free", usd: 0, reason: spec.note });
            } else {
                const item = table.prices[spec.priceKey];
                const price = item?.regions[base.region];
                line.priceKey = spec.priceKey;
                if (!price) {
                    Object.assign(line, {
                        status: "unpriced",
                        unit: item?.unit,
                        reason: `no sourced price for ${spec.priceKey} in ${base.region}`,
                    });
                } else {
                    Object.assign(line, {
                        unitUsd: price.usd,
                        unit: item.unit,
                        source: price.source,
                        usd: spec.quantity * price.usd,
                    });
                }
            }
            lines.push(line);
        }
    }
    lines.sort(
        (a, b) =>
            cmp(a.architecture, b.architecture) ||
            cmp(a.kind, b.kind) ||
            cmp(a.resource, b.resource) ||
            cmp(a.detail, b.detail),
    );

    const architectures = model.architectures().map((name) =>
        summarize(
            name,
            lines.filter((l) => l.architecture === name),
        ),
    );
    const others = [...new Set(lines.map((l) => l.architecture))]
        .filter((a) => !architectures.some((x) => x.name === a))
        .sort();
    for (const name of others)
        architectures.push(
            summarize(
                name,
                lines.filter((l) => l.architecture === name),
            ),
        );

    const unclassified = new Map<string, number>();
    for (const l of lines)
        if (l.status === "unclassified") unclassified.set(l.type, (unclassified.get(l.type) ?? 0) + 1);
    const defaultRegion = options.region ?? model.regionOf({ urn: "", custom: true, type: "" });
    return {
        stack,
        region: defaultRegion,
        hoursPerMonth: hours,
        architectures,
        usd: sum(architectures.map((a) => a.usd)),
        unpriced: sum(architectures.map((a) => a.unpriced)),
        lines,
        unclassified: [...unclassified.entries()]
            .sort(([a], [b]) => cmp(a, b))
            .map(([type, count]) => ({ type, count })),
    };
}

function summarize(name: string, lines: CostLine[]): ArchitectureCost {
    const kinds = [...new Set(lines.filter((l) => l.status !== "free" || l.kind !== KIND_FREE).map((l) => l.kind))]
        .sort(cmp)
        .map((kind) => {
            const of = lines.filter((l) => l.kind === kind);
            return {
                kind,
                resources: new Set(of.map((l) => l.resource + "|" + l.type)).size,
                usd: sum(of.map((l) => l.usd ?? 0)),
                unpriced: of.filter((l) => l.status === "unpriced" || l.status === "unclassified").length,
            };
        });
    return {
        name,
        kinds,
        usd: sum(kinds.map((k) => k.usd)),
        unpriced: sum(kinds.map((k) => k.unpriced)),
        free: lines.filter((l) => l.kind === KIND_FREE).length,
    };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rounds USD to cents for display and comparison (half away from zero). */
export function cents(usd: number): number {
    return (Math.sign(usd) * Math.round(Math.abs(usd) * 100 + 1e-9)) / 100;
}
