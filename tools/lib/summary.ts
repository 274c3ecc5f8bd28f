/**
 * A readable summary of a plan: resources per architecture (the components directly under the stack)
 * and per component inside it, counts per resource type, and the total.
 */
import { ExportedResource, StackExport } from "./plan-runner";

export interface PlanSummary {
    stack: string;
    project: string;
    total: number;
    custom: number;
    components: number;
    /** Architecture (top-level component name) -> component (`type name`) -> custom resources. */
    byArchitecture: Record<string, Record<string, number>>;
    /** Resource type token -> count of custom resources (providers excluded). */
    byType: Record<string, number>;
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function typeOfUrn(urn: string): string {
    return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

/** Counts the plan's resources; providers and the stack itself are not counted as resources. */
export function summarize(doc: StackExport, stack: string, project: string): PlanSummary {
    const all = doc.deployment.resources;
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const isStack = (r?: ExportedResource) => r?.type === "pulumi:pulumi:Stack";
    const counted = all.filter((r) => !isStack(r) && !r.type.startsWith("pulumi:providers:"));
    const byArchitecture: Record<string, Record<string, number>> = {};
    const byType: Record<string, number> = {};
    for (const r of counted.filter((x) => x.custom)) {
        byType[r.type] = (byType[r.type] ?? 0) + 1;
        const chain: ExportedResource[] = [];
        for (
            let p = r.parent ? byUrn.get(r.parent) : undefined;
            p && !isStack(p);
            p = p.parent ? byUrn.get(p.parent) : undefined
        )
            chain.push(p);
        const top = chain[chain.length - 1];
        const architecture = top ? nameOf(top.urn) : "(stack)";
        const component = chain[0] ? `${typeOfUrn(chain[0].urn)} ${nameOf(chain[0].urn)}` : "(no component)";
        byArchitecture[architecture] ??= {};
        byArchitecture[architecture][component] = (byArchitecture[architecture][component] ?? 0) + 1;
    }
    const custom = counted.filter((r) => r.custom).length;
    return {
        stack,
        project,
        total: counted.length,
        custom,
        components: counted.length - custom,
        byArchitecture,
        byType,
    };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Renders the summary as aligned text (stable ordering: by name). */
export function formatSummary(s: PlanSummary): string {
    const lines = [
        `Plan of stack '${s.stack}' (project ${s.project}): ${s.total} resources (${s.custom} cloud resources, ` +
            `${s.components} components)`,
        "",
        "Resources per architecture and component:",
    ];
    for (const arch of Object.keys(s.byArchitecture).sort()) {
        lines.push(`  ${arch.padEnd(60)} ${String(sum(s.byArchitecture[arch])).padStart(5)}`);
        for (const comp of Object.keys(s.byArchitecture[arch]).sort()) {
            lines.push(`    ${comp.padEnd(58)} ${String(s.byArchitecture[arch][comp]).padStart(5)}`);
        }
    }
    lines.push("", "Resources per type:");
    for (const t of Object.keys(s.byType).sort()) lines.push(`  ${t.padEnd(60)} ${String(s.byType[t]).padStart(5)}`);
    lines.push(`  ${"total".padEnd(60)} ${String(s.custom).padStart(5)}`);
    return lines.join("\n");
}
