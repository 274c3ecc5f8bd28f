/**
 * `npm run bench [-- --runs N]`: wall time of the offline plan of each stack and of the floor (a
 * one-resource program through the same runner), median of N runs (default 5), and the ratio of each
 * stack to the floor. Each run is a fresh process, as `npm run plan` is; the policy check is left out
 * (`--no-policy`) so the figure is the program's own cost. Prints figures; asserts nothing.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { readPlanFile } from "./lib/diagram/plan-input";

const ROOT = path.resolve(__dirname, "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a positive integer, got ${values.runs}`);
    process.exit(64);
}

interface Target {
    label: string;
    project: string;
    stack: string;
}

const targets: Target[] = [
    { label: "floor (1 resource)", project: path.join(ROOT, "tools", "bench", "floor"), stack: "floor" },
    { label: "dev", project: ROOT, stack: "dev" },
    { label: "prod", project: ROOT, stack: "prod" },
];

const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeRun(t: Target): { ms: number; resources: number } {
    const file = path.join(out, `${t.stack}.json`);
    const start = process.hrtime.bigint();
    const r = spawnSync(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            path.join(ROOT, "tools", "plan.ts"),
            "--stack",
            t.stack,
            "--project",
            t.project,
            "--out",
            file,
            "--no-policy",
        ],
        { cwd: ROOT, encoding: "utf8" },
    );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) {
        console.error(`plan of ${t.label} failed:\n${r.stderr}`);
        process.exit(1);
    }
    return { ms, resources: readPlanFile(file).deployment.resources.length };
}

console.log(`Offline plan wall time, median of ${runs} runs (node ${process.version}, ${os.cpus().length} CPUs)\n`);
console.log(
    `${"target".padEnd(22)} ${"resources".padStart(9)} ${"median ms".padStart(10)} ${"min ms".padStart(8)} ${"max ms".padStart(8)} ${"x floor".padStart(8)}`,
);
let floor = 0;
for (const t of targets) {
    const samples = Array.from({ length: runs }, () => timeRun(t));
    const times = samples.map((s) => s.ms);
    const m = median(times);
    if (floor === 0) floor = m;
    console.log(
        `${t.label.padEnd(22)} ${String(samples[0].resources).padStart(9)} ${m.toFixed(0).padStart(10)} ${Math.min(
            ...times,
        )
            .toFixed(0)
            .padStart(8)} ${Math.max(...times)
            .toFixed(0)
            .padStart(8)} ${(m / floor).toFixed(2).padStart(8)}`,
    );
}
fs.rmSync(out, { recursive: true, force: true });
