/**
 * Renders DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no native
 * binaries, same layout on every machine for the same package version.
 * https://hpcc-systems.github.io/hpcc-js-wasm/graphviz/
 *
 * Two views: `flow` (the default; request and event flow with AWS icons, tools/lib/diagram/flow.ts) and
 * `dependencies` (every component and Pulumi dependency, for debugging; tools/lib/diagram/build.ts).
 */
import type { StackExport } from "../plan-runner";
import { buildDiagrams } from "./build";
import { toDot } from "./dot";
import { buildFlowDiagrams } from "./flow";
import { ICON_PX, toFlowDot } from "./flow-dot";
import { embedIcons } from "./icons";

interface GraphvizImage {
    path: string;
    width: string;
    height: string;
}
type GraphvizInstance = {
    dot(src: string, format?: "svg", options?: { images?: GraphvizImage[] }): string;
    version(): string;
};

let graphviz: Promise<GraphvizInstance> | undefined;

/** The Graphviz WASM module, loaded once per process. */
export function loadGraphviz(): Promise<GraphvizInstance> {
    // The package is ESM-only; Node 20.19+ loads it through require().
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load() as Promise<GraphvizInstance>);
    return graphviz;
}

export const VIEWS = ["flow", "dependencies"] as const;
export type DiagramView = (typeof VIEWS)[number];

/** One rendered diagram: `<architecture>.svg` with its DOT source. */
export interface RenderedDiagram {
    architecture: string;
    file: string;
    dot: string;
    svg: string;
}

/** SVG of a DOT source, ending in a newline so committed files diff cleanly. */
export async function renderSvg(dot: string): Promise<string> {
    const svg = (await loadGraphviz()).dot(dot, "svg");
    return svg.endsWith("\n") ? svg : `${svg}\n`;
}

/** SVG of a flow DOT source: the icons it names are sized for the layout, then embedded as data URIs. */
export async function renderFlowSvg(dot: string): Promise<string> {
    const icons = [...new Set([...dot.matchAll(/image="([^"]+\.svg)"/g)].map((m) => m[1]))].sort();
    const images = icons.map((path) => ({ path, width: `${ICON_PX}px`, height: `${ICON_PX}px` }));
    const svg = embedIcons((await loadGraphviz()).dot(dot, "svg", { images }));
    return svg.endsWith("\n") ? svg : `${svg}\n`;
}

/** Every architecture of the plan as SVG in the given view, sorted by architecture name. */
export async function renderDiagrams(document: StackExport, view: DiagramView = "flow"): Promise<RenderedDiagram[]> {
    const out: RenderedDiagram[] = [];
    if (view === "flow") {
        for (const d of buildFlowDiagrams(document)) {
            const dot = toFlowDot(d);
            out.push({
                architecture: d.architecture,
                file: `${d.architecture}.svg`,
                dot,
                svg: await renderFlowSvg(dot),
            });
        }
        return out;
    }
    for (const d of buildDiagrams(document)) {
        const dot = toDot(d);
        out.push({ architecture: d.architecture, file: `${d.architecture}.svg`, dot, svg: await renderSvg(dot) });
    }
    return out;
}
