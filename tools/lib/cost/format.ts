/**
 * Presentation of cost estimates: an aligned text table with one column per stack (dev beside prod),
 * a Markdown document for `docs/cost.md`, and the list of what has no sourced price.
 *
 * A figure followed by `+` misses lines that have no sourced price; the notes under the table list them.
 */
import { ArchitectureCost, cents, CostLine, StackCost } from "./estimate";
import type { Usage } from "./tables";

/** `32.85`, `1,234.50`. */
export function usd(value: number): string {
    return cents(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const cell = (value: number, unpriced: number) => `${usd(value)}${unpriced > 0 ? "+" : " "}`;

interface Row {
    label: string;
    values: { usd: number; unpriced: number; resources?: number }[];
    strong?: boolean;
}

/** Rows of the comparison: per architecture its kinds and total, then the stack totals. */
function rows(costs: StackCost[]): Row[] {
    const architectures = [...new Set(costs.flatMap((c) => c.architectures.map((a) => a.name)))];
    const out: Row[] = [];
    for (const name of architectures) {
        const arch = costs.map((c) => c.architectures.find((a) => a.name === name));
        const kinds = [...new Set(arch.flatMap((a) => a?.kinds.map((k) => k.kind) ?? []))].sort();
        out.push({ label: name, values: [], strong: true });
        for (const kind of kinds) {
            out.push({
                label: `  ${kind}`,
                values: arch.map((a) => {
                    const k = a?.kinds.find((x) => x.kind === kind);
                    return { usd: k?.usd ?? 0, unpriced: k?.unpriced ?? 0, resources: k?.resources ?? 0 };
                }),
            });
        }
        out.push({
            label: `  total ${name}`,
            values: arch.map((a) => ({ usd: a?.usd ?? 0, unpriced: a?.unpriced ?? 0 })),
            strong: true,
        });
    }
    out.push({ label: "total stack", values: costs.map((c) => ({ usd: c.usd, unpriced: c.unpriced })), strong: true });
    return out;
}

/** Lines with no sourced price (and unclassified types), grouped: `kind: detail (key, region) ×n`. */
export function missing(cost: StackCost): string[] {
    const groups = new Map<string, number>();
    for (const l of cost.lines.filter((x) => x.status === "unpriced" || x.status === "unclassified")) {
        const key = `${l.architecture} · ${l.kind}: ${l.reason}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => (n > 1 ? `${k} (×${n})` : k));
}

/** The aligned text table printed by `npm run cost`. */
export function formatText(costs: StackCost[]): string {
    const header = ["", ...costs.flatMap((c) => [`${c.stack} #`, `${c.stack} USD/month`])];
    const body = rows(costs).map((r) => [
        r.label,
        ...(r.values.length === 0
            ? costs.flatMap(() => ["", ""])
            : r.values.flatMap((v) => [v.resources === undefined ? "" : String(v.resources), cell(v.usd, v.unpriced)])),
    ]);
    const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
    const fmt = (row: string[]) =>
        row
            .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
            .join("   ")
            .trimEnd();
    const regions = costs.map((c) => `${c.stack}: ${c.region}`).join(", ");
    const lines = [
        `Monthly cost estimate, USD, on-demand list prices, ${costs[0]?.hoursPerMonth ?? 730} h a month (${regions}).`,
        "'+' marks a figure that misses items with no sourced price (listed below); '#' counts resources.",
        "",
        fmt(header),
        ...body.map(fmt),
    ];
    for (const c of costs) {
        const m = missing(c);
        if (m.length > 0)
            lines.push("", `No sourced price in ${c.stack} (left out of the totals):`, ...m.map((x) => `  - ${x}`));
        if (c.unclassified.length > 0) {
            lines.push(
                "",
                `Unclassified resource types in ${c.stack}: add them to tools/cost/prices.yaml (types.priced, ` +
                    `free or unpriced):`,
                ...c.unclassified.map((u) => `  - ${u.type} (${u.count})`),
            );
        }
    }
    return lines.join("\n");
}

/** Configuration knob that moves each resource kind, for the cost drivers section. */
export const KNOBS: Readonly<Record<string, string>> = {
    "NAT gateway":
        "`platform:natGateways`: `single` (one gateway) or `per-az` (one per AZ, times `platform:azCount`); data " +
        "processed through it is traffic the endpoints do not take",
    "Public IPv4 address":
        "`platform:natGateways` (one Elastic IP per NAT gateway) and every internet-facing load balancer (one " +
        "address per AZ)",
    "Interface VPC endpoint":
        "`platform:interfaceEndpoints`: each listed service is one endpoint billed per AZ (times `platform:azCount`)",
    Fargate:
        "each service's `cpu`, `memory` and `desiredCount` in its architecture's `platform:<architecture>` settings",
    "Application Load Balancer": "one per architecture edge that has one; capacity units follow traffic (usage file)",
    "Network Load Balancer": "one per architecture edge that has one; capacity units follow traffic (usage file)",
    "RDS PostgreSQL": "the database `instanceClass`, `multiAz` and storage in the architecture's settings",
    "RDS MySQL": "the database `instanceClass`, `multiAz` and storage in the architecture's settings",
    ElastiCache: "the cache node type and node count in the architecture's settings",
    "EKS control plane": "one per cluster: whether `platform:architectures` includes `postech`",
    "EKS nodes": "node group instance type and desired size in the `postech` settings",
    "AWS WAF": "rules in each web ACL, and requests inspected (usage file)",
    "KMS key": "keys per purpose: four in the foundation, plus any an architecture creates",
    "CloudWatch Logs": "log volume (usage file) and `platform:logRetentionDays`",
    "CloudWatch alarm": "alarms each architecture creates",
    "CloudWatch dashboard": "dashboards each architecture creates",
    "Secrets Manager secret": "secrets each architecture keeps",
};

/** Kinds by total priced cost across the given stacks' last column (prod when given dev, prod). */
export function drivers(cost: StackCost, count = 3): { kind: string; usd: number; share: number }[] {
    const byKind = new Map<string, number>();
    for (const l of cost.lines) if (l.usd) byKind.set(l.kind, (byKind.get(l.kind) ?? 0) + l.usd);
    return [...byKind.entries()]
        .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1))
        .slice(0, count)
        .map(([kind, value]) => ({ kind, usd: value, share: cost.usd > 0 ? value / cost.usd : 0 }));
}

function mdTable(costs: StackCost[]): string[] {
    const counts = costs.map((c) => `${c.stack} (${c.region}) #`);
    const header = `| | ${counts.join(" | ")} | ${costs.map((c) => `${c.stack} USD/month`).join(" | ")} |`;
    const sep = `|---|${costs.map(() => "--:").join("|")}|${costs.map(() => "--:").join("|")}|`;
    const body = rows(costs).map((r) => {
        const label = r.strong ? `**${r.label.trim()}**` : r.label.trim();
        if (r.values.length === 0)
            return `| ${label} | ${costs.map(() => "").join(" | ")} | ${costs.map(() => "").join(" | ")} |`;
        const counts = r.values.map((v) => (v.resources === undefined ? "" : String(v.resources)));
        const money = r.values.map((v) =>
            r.strong ? `**${usd(v.usd)}${v.unpriced > 0 ? "+" : ""}**` : `${usd(v.usd)}${v.unpriced > 0 ? "+" : ""}`,
        );
        return `| ${label} | ${counts.join(" | ")} | ${money.join(" | ")} |`;
    });
    return [header, sep, ...body];
}

/** Markdown section of one or more stacks: the table, the drivers of the last stack, what is missing. */
export function formatMarkdown(
    costs: StackCost[],
    options: { whatIf?: StackCost[]; command: string; usage?: Record<string, Usage> },
): string {
    const main = costs[costs.length - 1];
    const lines: string[] = [
        "# Monthly cost",
        "",
        `Generated by \`${options.command}\` from the offline plans and the checked-in price table ` +
            "(`tools/cost/prices.yaml`, every price with the page it was read from and the date) and usage " +
            "assumptions (`tools/cost/usage/<stack>.yaml`). USD per month, on-demand list prices, " +
            `${main?.hoursPerMonth ?? 730} hours a month, before free tiers, taxes and data transfer out.`,
        "",
        "A `+` after a figure means some of its items have **no sourced price** and are left out (listed below): " +
            "the figure is a floor, not a guess.",
        "",
        ...mdTable(costs),
    ];
    if (options.whatIf && options.whatIf.length > 0) {
        lines.push(
            "",
            `## The same plans at ${options.whatIf[0].region} prices`,
            "",
            `Most São Paulo prices could not be sourced offline. The same resources at ` +
                `${options.whatIf[0].region} list prices, which the table covers better, show the shape of the bill; ` +
                `São Paulo list prices run higher (compare the Fargate rows of the two tables).`,
            "",
            ...mdTable(options.whatIf),
        );
    }
    if (options.usage && Object.keys(options.usage).length > 0) {
        const stacks = Object.keys(options.usage);
        const keys = [...new Set(stacks.flatMap((st) => Object.keys(options.usage![st].defaults)))].sort();
        lines.push(
            "",
            "## Usage assumptions",
            "",
            "Per resource and per month; `overrides` in the usage files change them for one resource.",
            "",
            `| assumption | ${stacks.join(" | ")} |`,
            `|---|${stacks.map(() => "--:").join("|")}|`,
        );
        for (const k of keys)
            lines.push(
                `| \`${k}\` | ${stacks
                    .map((st) => String((options.usage![st].defaults as Record<string, number>)[k] ?? ""))
                    .join(" | ")} |`,
            );
    }
    const ref = options.whatIf && options.whatIf.length > 0 ? options.whatIf[options.whatIf.length - 1] : main;
    if (ref) {
        lines.push(
            "",
            `## The three biggest cost drivers (${ref.stack}, priced at ${ref.region})`,
            "",
            "| driver | USD/month | share of the priced total | the knob that moves it |",
            "|---|--:|--:|---|",
        );
        for (const d of drivers(ref))
            lines.push(
                `| ${d.kind} | ${usd(d.usd)} | ${Math.round(d.share * 100)}% | ` +
                    `${KNOBS[d.kind] ?? "the architecture that creates it"} |`,
            );
    }
    for (const c of costs) {
        const m = missing(c);
        if (m.length > 0)
            lines.push("", `## No sourced price in ${c.stack} (${c.region})`, "", ...m.map((x) => `- ${x}`));
    }
    lines.push(
        "",
        "## How to change the estimate",
        "",
        "- A price: add or correct it in `tools/cost/prices.yaml` under its key and region, with `source` (the " +
            "URL you read it from) and `read` (the date).",
        "- Traffic and log volume: `tools/cost/usage/<stack>.yaml` (`defaults`, and `overrides` by logical name).",
        "- A new resource type fails `test/tools/cost.spec.ts` until it is listed in `types.priced` (with a " +
            "pricer in `tools/lib/cost/pricers.ts`), `types.free` or `types.unpriced`.",
        "",
    );
    return lines.join("\n");
}

/** Lines as plain objects for `--json` (USD rounded to cents; the unrounded value is `usdExact`). */
export function toJson(costs: StackCost[]): unknown {
    const arch = (a: ArchitectureCost) => ({
        ...a,
        usd: cents(a.usd),
        kinds: a.kinds.map((k) => ({ ...k, usd: cents(k.usd) })),
    });
    const line = (l: CostLine) => ({ ...l, usd: l.usd === undefined ? undefined : cents(l.usd), usdExact: l.usd });
    return {
        stacks: costs.map((c) => ({
            ...c,
            usd: cents(c.usd),
            architectures: c.architectures.map(arch),
            lines: c.lines.map(line),
        })),
    };
}
