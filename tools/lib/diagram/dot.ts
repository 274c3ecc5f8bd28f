/**
 * Writes a diagram model as Graphviz DOT: left-to-right layout, one `cluster_` subgraph per component
 * (nested), inside each a filled sub-cluster per tier, tiers as columns across the diagram, one edge per
 * pair of dependent components (clipped to the clusters), dashed nodes for the components of other
 * architectures that are used, and a tier legend. No timestamps; the text depends only on the model.
 *
 * DOT language: https://graphviz.org/doc/info/lang.html; attributes: https://graphviz.org/doc/info/attrs.html.
 */
import { TIER_COLORS, Tier } from "./catalog";
import { Diagram, DiagramCluster, DiagramNode, nodesByTier } from "./build";

const FONT = "Helvetica";

/** A DOT double-quoted string; `\n` in the value becomes a centred line break. */
export function quote(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** `Network` from `platform:network:Network`. */
const shortType = (type: string) => type.split(":").pop() ?? type;

function nodeLine(n: DiagramNode, indent: string, style = ""): string {
    const label = n.count > 1 ? `${n.label} ×${n.count}` : n.label;
    const folded = Object.entries(n.folded).map(([type, count]) => `+ ${count} ${shortType(type)}`);
    const tooltip = [...n.names, ...folded].join("\n") || n.label;
    return `${indent}${n.id} [label=${quote(label)}, tooltip=${quote(tooltip)}${style}];`;
}

function tierBlock(clusterId: string, tier: Tier, nodes: DiagramNode[], indent: string): string[] {
    return [
        `${indent}subgraph ${clusterId}_${tier} {`,
        `${indent}  label=${quote(tier)}; style="rounded,filled"; fillcolor=${quote(TIER_COLORS[tier])}; ` +
            `color=${quote(TIER_COLORS[tier])}; fontsize=9; fontcolor="#555555"; labeljust=l;`,
        ...nodes.map((n) => nodeLine(n, `${indent}  `)),
        `${indent}}`,
    ];
}

/** A component: a sub-cluster per tier, then its sub-components. */
function clusterBlock(c: DiagramCluster, indent: string): string[] {
    const tiers = nodesByTier(c.nodes);
    return [
        `${indent}subgraph ${c.id} {`,
        `${indent}  label=${quote(`${shortType(c.type)} · ${c.name}`)}; ` +
            `style=rounded; color="#8a8a8a"; fontsize=11; labeljust=l; margin=12;`,
        ...tiers.flatMap(([tier, nodes]) => tierBlock(c.id, tier, nodes, `${indent}  `)),
        ...c.clusters.flatMap((sub) => clusterBlock(sub, `${indent}  `)),
        `${indent}}`,
    ];
}

function allNodes(c: DiagramCluster): DiagramNode[] {
    return [...c.nodes, ...c.clusters.flatMap(allNodes)];
}

/**
 * Tiers as columns across the whole diagram: every node of a tier in one rank (`rank=same`, which
 * `newrank` allows across clusters), and invisible edges from the first node of each tier to the first
 * of the next keep the columns in TIERS order.
 */
function tierColumns(root: DiagramCluster): string[] {
    const columns = nodesByTier(allNodes(root).sort((a, b) => (a.id < b.id ? -1 : 1)));
    return [
        ...columns.map(([, nodes]) => `  { rank=same; ${nodes.map((n) => n.id).join("; ")}; }`),
        ...columns.slice(1).map(([, nodes], i) => `  ${columns[i][1][0].id} -> ${nodes[0].id} [style=invis];`),
    ];
}

/** The DOT source of one diagram. */
export function toDot(d: Diagram): string {
    const title =
        `${d.architecture} · ${shortType(d.root.type)} · stack ${d.stack} · ` + `${d.resourceCount} cloud resources`;
    const lines = [
        `digraph ${quote(d.architecture)} {`,
        `  graph [rankdir=LR, newrank=true, compound=true, nodesep=0.25, ranksep=0.45, fontname=${quote(FONT)}, ` +
            `fontsize=13, labelloc=t, labeljust=l, label=${quote(title)}, tooltip=${quote(title)}];`,
        `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#666666", ` +
            `fontname=${quote(FONT)}, fontsize=10, height=0.3, margin="0.14,0.05"];`,
        `  edge [color="#7a7a7a", arrowsize=0.6, penwidth=0.8];`,
        ...clusterBlock(d.root, "  "),
    ];
    for (const ext of d.externals) {
        lines.push(
            `  subgraph cluster_shared_${ext.architecture.replace(/[^A-Za-z0-9_]/g, "_")} {`,
            `    label=${quote(`${ext.architecture} (shared, drawn in its own diagram)`)}; ` +
                `style="rounded,dashed"; color="#9a9a9a"; fontsize=10; fontcolor="#666666"; labeljust=l;`,
            ...ext.nodes.map((n) =>
                nodeLine(n, "    ", `, style="rounded,dashed", fillcolor=${quote(TIER_COLORS[n.tier])}`),
            ),
            `  }`,
        );
    }
    lines.push(...tierColumns(d.root));
    for (const e of d.edges) {
        const clip = [e.fromCluster ? `ltail=${e.fromCluster}` : "", e.toCluster ? `lhead=${e.toCluster}` : ""]
            .filter(Boolean)
            .join(", ");
        lines.push(`  ${e.from} -> ${e.to} [constraint=false${clip ? `, ${clip}` : ""}];`);
    }
    const tiers = nodesByTier(allNodes(d.root)).map(([t]) => t);
    if (tiers.length > 0) {
        const cells = tiers.map((t) => `<td bgcolor="${TIER_COLORS[t]}">${t}</td>`).join("");
        lines.push(
            `  legend [shape=plaintext, style="", fontsize=9, tooltip="tiers", label=<<table border="0" ` +
                `cellborder="1" cellspacing="0" cellpadding="3"><tr><td>tiers</td>${cells}</tr></table>>];`,
        );
    }
    lines.push("}", "");
    return lines.join("\n");
}
