/**
 * Writes a flow diagram as Graphviz DOT: left to right, the Internet node first, then the AWS Cloud
 * boundary holding the regional and global services and the VPC with one box per subnet tier; nodes are
 * AWS Architecture Icons with the name, the service and the badges below; one rank per column
 * (FLOW_COLUMNS) so tiers read as columns; solid edges for requests, blue for events and messages,
 * dotted for authorizers and triggers, dashed for IAM grants; a legend with the cross-cutting counts.
 * No timestamps: the text depends only on the model.
 *
 * DOT language: https://graphviz.org/doc/info/lang.html; attributes: https://graphviz.org/doc/info/attrs.html.
 */
import { quote } from "./dot";
import { FLOW_COLUMNS, INTERNET_ICON } from "./flow-catalog";
import { FlowDiagram, FlowEdge, FlowEdgeKind, FlowNode, INTERNET, Placement } from "./flow";

const FONT = "Helvetica";

/** Icon size in points (Graphviz `images` option): 48 px at 72 dpi. */
export const ICON_PX = 48;

const EDGE_STYLE: Readonly<Record<FlowEdgeKind, string>> = {
    calls: `color="#232f3e", style=solid`,
    sends: `color="#1a73e8", style=solid`,
    authorizes: `color="#7d3cbd", style=dotted`,
    "may-access": `color="#7a7a7a", style=dashed`,
};

const SUBNETS: readonly { placement: Placement; label: string; fill: string; line: string }[] = [
    { placement: "public", label: "Public subnets", fill: "#f2f8ea", line: "#7aa116" },
    { placement: "private", label: "Private subnets", fill: "#e9f3fa", line: "#147eba" },
    { placement: "isolated", label: "Isolated subnets (no route out)", fill: "#f4f0fa", line: "#8c4fff" },
];

function nodeLine(n: FlowNode, indent: string): string {
    const lines = [n.architecture ? `${n.name} (${n.architecture})` : n.name, n.service];
    if (n.badges.length > 0) lines.push(n.badges.join(" · "));
    const tooltip = `${n.service}: ${n.name}`;
    return `${indent}${n.id} [label=${quote(lines.join("\n"))}, image=${quote(n.icon)}, tooltip=${quote(tooltip)}];`;
}

function edgeLine(e: FlowEdge, column: Map<string, number>): string {
    const forward = (column.get(e.to) ?? 0) > (column.get(e.from) ?? 0);
    const attrs = [EDGE_STYLE[e.kind], `label=${quote(e.label)}`, `tooltip=${quote(`${e.kind}: ${e.label}`)}`];
    if (!forward) attrs.push("constraint=false");
    return `  ${e.from} -> ${e.to} [${attrs.join(", ")}];`;
}

function legend(d: FlowDiagram): string {
    const counts = d.legend.map(([label, n]) => `<tr><td align="left">${label}</td><td align="right">${n}</td></tr>`);
    const keys = [
        ["#232f3e", "———", "request"],
        ["#1a73e8", "———", "event / message"],
        ["#7d3cbd", "· · ·", "authorizer / trigger"],
        ["#7a7a7a", "- - -", "IAM grant (may access)"],
    ].map(([c, line, text]) => `<tr><td align="left"><font color="${c}">${line}</font>  ${text}</td><td></td></tr>`);
    const html = [
        `<table border="1" color="#aaaaaa" cellborder="0" cellspacing="0" cellpadding="2">`,
        `<tr><td align="left" colspan="2"><b>Also in ${d.architecture}</b></td></tr>`,
        ...counts,
        `<tr><td align="left" colspan="2"><b>Edges</b></td></tr>`,
        ...keys,
        `</table>`,
    ].join("");
    return `  legend [shape=plaintext, fixedsize=false, width=0, height=0, image="", fontsize=9, label=<${html}>];`;
}

/** The DOT source of one flow diagram. */
export function toFlowDot(d: FlowDiagram): string {
    const title = `${d.architecture} · request and event flow · stack ${d.stack} · ${d.resourceCount} cloud resources`;
    const inVpc = (p: Placement) => p === "vpc" || SUBNETS.some((s) => s.placement === p);
    const lines = [
        `digraph ${quote(d.architecture)} {`,
        `  graph [rankdir=LR, newrank=true, compound=true, splines=spline, nodesep=0.3, ranksep=0.9, pad=0.2, ` +
            `fontname=${quote(FONT)}, fontsize=14, labelloc=t, labeljust=l, label=${quote(title)}, ` +
            `tooltip=${quote(title)}];`,
        `  node [shape=none, fixedsize=true, width=1.9, height=1.25, imagepos=tc, imagescale=false, labelloc=b, ` +
            `fontname=${quote(FONT)}, fontsize=10];`,
        `  edge [fontname=${quote(FONT)}, fontsize=8, fontcolor="#545b64", arrowsize=0.7, penwidth=1.1];`,
        `  ${INTERNET} [label="Internet\\nusers and clients", image=${quote(INTERNET_ICON)}, tooltip="Internet"];`,
        `  subgraph cluster_aws {`,
        `    label=${quote(`AWS Cloud · ${d.region}`)}; style=rounded; color="#232f3e"; fontsize=12; labeljust=l;`,
        ...d.nodes.filter((n) => !inVpc(n.placement)).map((n) => nodeLine(n, "    ")),
    ];
    if (d.nodes.some((n) => inVpc(n.placement))) {
        lines.push(
            `    subgraph cluster_vpc {`,
            `      label="VPC"; style=rounded; color="#8c4fff"; fontsize=11; labeljust=l;`,
            ...d.nodes.filter((n) => n.placement === "vpc").map((n) => nodeLine(n, "      ")),
        );
        for (const s of SUBNETS) {
            const members = d.nodes.filter((n) => n.placement === s.placement);
            if (members.length === 0) continue;
            lines.push(
                `      subgraph cluster_${s.placement} {`,
                `        label=${quote(s.label)}; style="rounded,filled"; fillcolor=${quote(s.fill)}; ` +
                    `color=${quote(s.line)}; fontsize=10; labeljust=l;`,
                ...members.map((n) => nodeLine(n, "        ")),
                `      }`,
            );
        }
        lines.push(`    }`);
    }
    lines.push(`  }`);
    const column = new Map<string, number>([[INTERNET, 0]]);
    for (const n of d.nodes) column.set(n.id, FLOW_COLUMNS.indexOf(n.column));
    const ranks = FLOW_COLUMNS.map((c) =>
        c === "internet" ? [INTERNET] : d.nodes.filter((n) => n.column === c).map((n) => n.id),
    ).filter((ids) => ids.length > 0);
    lines.push(...ranks.map((ids) => `  { rank=same; ${ids.join("; ")}; }`));
    lines.push(...ranks.slice(1).map((ids, i) => `  ${ranks[i][0]} -> ${ids[0]} [style=invis];`));
    lines.push(...d.edges.map((e) => edgeLine(e, column)));
    lines.push(legend(d), "}", "");
    return lines.join("\n");
}
