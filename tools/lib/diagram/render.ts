/**
 * Renders DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no native
 * binaries, same layout on every machine for the same package version.
 * https://hpcc-systems.github.io/hpcc-js-wasm/graphviz/
 */
import type { StackExport } from "../plan-runner";
import { buildDiagrams } from "./build";
import { toDot } from "./dot";

type GraphvizInstance = { dot(src: string, format?: "svg"): string; version(): string };

let graphviz: Promise<GraphvizInstance> | undefined;

/** The Graphviz WASM module, loaded once per process. */
export function loadGraphviz(): Promise<GraphvizInstance> {
    // The package is ESM-only; Node 20.19+ loads it through require().
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load() as Promise<GraphvizInstance>);
    return graphviz;
}

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

/** Every architecture of the plan as SVG, sorted by architecture name. */
export async function renderDiagrams(document: StackExport): Promise<RenderedDiagram[]> {
    const out: RenderedDiagram[] = [];
    for (const d of buildDiagrams(document)) {
        const dot = toDot(d);
        out.push({ architecture: d.architecture, file: `${d.architecture}.svg`, dot, svg: await renderSvg(dot) });
    }
    return out;
}
