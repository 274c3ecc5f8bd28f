/**
 * `npm run diagram -- --stack <name> [--view flow|dependencies] [--plan FILE] [--out DIR] [--check] [--dot]
 * [--released] [--project DIR]`
 *
 * Draws the plan of a stack: one SVG per architecture (the top-level components: `foundation`, then
 * each deployed architecture). Views:
 * - `flow` (default): request and event flow with AWS icons, tiers as columns inside the VPC and subnet
 *   boundaries (tools/lib/diagram/flow.ts), written to `docs/diagrams/<stack>/<architecture>.svg`;
 * - `dependencies`: every component and Pulumi dependency, for debugging (tools/lib/diagram/build.ts),
 *   written to `plan/diagrams/<stack>/dependencies/` (not committed).
 * `--out` overrides the directory. Each written diagram's size, edges and edge crossings are printed.
 * `--released` draws the stack as it is after the first deployment's manual steps (every `unreleased`
 * image pushed, every certificate issued: tools/lib/released.ts), the working system; the committed
 * diagrams are drawn so, since the committed stack files describe the first run.
 * SVGs in that directory that no longer match an architecture are removed. `--dot` also writes the
 * Graphviz source beside each SVG. `--check` writes nothing and fails when the files on disk differ
 * from what the plan gives (the staleness test and CI use it).
 *
 * The plan comes from a fresh run of the program against mocks (as `npm run plan`), or from `--plan`.
 *
 * Exit codes: 0 written (or up to date); 1 `--check` found stale diagrams; 2 the plan could not be
 * made or read; 64 bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { loadPlan, PlanInputError } from "./lib/diagram/plan-input";
import { DiagramView, renderDiagrams, VIEWS } from "./lib/diagram/render";
import { releasedStackYaml, scratchProject } from "./lib/released";
import { measureSvg } from "./lib/diagram/svg-metrics";

const USAGE =
    "usage: npm run diagram -- --stack <name> [--view flow|dependencies] [--plan FILE] [--out DIR] [--check] " +
    "[--dot] [--released] [--project DIR]";

/** What `--check` reports: files to add, rewrite or delete, relative to the output directory. */
export interface DiagramDrift {
    missing: string[];
    changed: string[];
    extra: string[];
}

/** Compares rendered files with a directory's `*.svg` (and `*.dot` when `withDot`). */
export function diagramDrift(dir: string, files: Record<string, string>, withDot = false): DiagramDrift {
    const present = fs.existsSync(dir)
        ? fs.readdirSync(dir).filter((f) => f.endsWith(".svg") || (withDot && f.endsWith(".dot")))
        : [];
    const missing = Object.keys(files)
        .filter((f) => !present.includes(f))
        .sort();
    const changed = Object.keys(files)
        .filter((f) => present.includes(f) && fs.readFileSync(path.join(dir, f), "utf8") !== files[f])
        .sort();
    const extra = present.filter((f) => files[f] === undefined).sort();
    return { missing, changed, extra };
}

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string" },
                view: { type: "string", default: "flow" },
                plan: { type: "string" },
                out: { type: "string" },
                project: { type: "string", default: "." },
                check: { type: "boolean", default: false },
                dot: { type: "boolean", default: false },
                released: { type: "boolean", default: false },
            },
            strict: true,
        }).values;
    } catch (err) {
        console.error((err as Error).message);
        console.error(USAGE);
        return 64;
    }
    if (!args.stack) {
        console.error("--stack is required");
        console.error(USAGE);
        return 64;
    }
    if (!(VIEWS as readonly string[]).includes(args.view)) {
        console.error(`--view must be one of ${VIEWS.join(", ")}; got '${args.view}'`);
        console.error(USAGE);
        return 64;
    }
    const view = args.view as DiagramView;
    const projectDir = path.resolve(args.project);
    const defaultOut =
        view === "flow"
            ? path.join(projectDir, "docs", "diagrams", args.stack)
            : path.join(projectDir, "plan", "diagrams", args.stack, "dependencies");
    const outDir = path.resolve(args.out ?? defaultOut);

    let document;
    try {
        const planDir = args.released
            ? scratchProject(projectDir, args.stack, releasedStackYaml(projectDir, args.stack))
            : projectDir;
        document = loadPlan(args.stack, {
            projectDir: planDir,
            planFile: args.plan ? path.resolve(args.plan) : undefined,
        });
    } catch (err) {
        if (err instanceof PlanInputError) {
            console.error(`error: ${err.message}`);
            return 2;
        }
        throw err;
    }

    const rendered = await renderDiagrams(document, view);
    const files: Record<string, string> = {};
    for (const d of rendered) {
        files[d.file] = d.svg;
        if (args.dot) files[d.file.replace(/\.svg$/, ".dot")] = d.dot;
    }

    const drift = diagramDrift(outDir, files, args.dot);
    const rel = path.relative(process.cwd(), outDir) || ".";
    if (args.check) {
        const stale = [
            ...drift.missing.map((f) => `missing ${f}`),
            ...drift.changed.map((f) => `changed ${f}`),
            ...drift.extra.map((f) => `no longer drawn ${f}`),
        ];
        if (stale.length === 0) {
            console.log(
                `Diagrams in ${rel} are up to date (${rendered.length}: ` +
                    `${rendered.map((d) => d.architecture).join(", ")}).`,
            );
            return 0;
        }
        console.error(`Diagrams in ${rel} are stale for stack '${args.stack}':`);
        for (const line of stale) console.error(`  - ${line}`);
        console.error(
            `run \`npm run diagram -- --stack ${args.stack}${args.released ? " --released" : ""}\` ` +
                "and commit the result.",
        );
        return 1;
    }

    fs.mkdirSync(outDir, { recursive: true });
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(outDir, file), content);
    for (const file of drift.extra) fs.rmSync(path.join(outDir, file));
    for (const d of rendered) {
        const m = measureSvg(d.svg);
        console.log(
            `Wrote ${path.join(rel, d.file)}: ${m.width}x${m.height} pt, ${m.nodes.length} nodes, ${m.edges} ` +
                `edges, ${m.crossings} crossings, ${m.overlaps.length} overlaps`,
        );
    }
    for (const file of drift.extra) console.log(`Removed ${path.join(rel, file)} (no such architecture in the plan)`);
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err) => {
            console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
            process.exit(2);
        },
    );
}
