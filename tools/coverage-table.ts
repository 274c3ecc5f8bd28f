/**
 * Regenerates the coverage table in policy-pack/README.md (between the `coverage:start` and
 * `coverage:end` markers) from policy-pack/coverage.ts, or checks it.
 *
 * Usage: `npx ts-node --transpile-only tools/coverage-table.ts [--check]`.
 * Exit: 0 written (or up to date with --check), 1 out of date with --check.
 */
import * as fs from "fs";
import * as path from "path";
import { renderCoverageTable } from "../policy-pack/coverage";

export const README = path.resolve(__dirname, "..", "policy-pack", "README.md");
export const START = "<!-- coverage:start (generated from coverage.ts by tools/coverage-table.ts) -->";
export const END = "<!-- coverage:end -->";

/** The README text with the block between the markers replaced by the rendered table. */
export function withCoverageTable(readme: string): string {
    const from = readme.indexOf(START);
    const to = readme.indexOf(END);
    if (from < 0 || to < from) throw new Error(`${README}: coverage markers not found`);
    return `${readme.slice(0, from + START.length)}\n${renderCoverageTable()}\n${readme.slice(to)}`;
}

if (require.main === module) {
    const current = fs.readFileSync(README, "utf8");
    const next = withCoverageTable(current);
    if (process.argv.includes("--check")) {
        process.exit(current === next ? 0 : 1);
    }
    fs.writeFileSync(README, next);
}
