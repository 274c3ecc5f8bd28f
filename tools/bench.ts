/**
 * `npm run bench [-- --runs N]`: the cost of the offline plan, median of N runs (default 3), each a
 * fresh process as `npm run plan` is, policy check left out. For each stack (dev, prod):
 *
 * - (a) the plan through the recording engine: `tools/plan.ts --no-policy`, end to end;
 * - (b) the program as the Pulumi CLI loads it with this repository's settings: the `cmd/run` child of
 *   the same runs (Pulumi.yaml runtime options: tsconfig.pulumi.json without type check, swc, the inspect
 *   guard), from its start to its exit, as the engine measures it;
 * - (c) a synthetic program registering the same number of resources through the same runner
 *   (`tools/bench/synthetic`, SSM parameters);
 *
 * with the ratios (a)/(c) and (b)/(c), the peak memory (largest process, GNU time's maximum resident
 * set size), and the policy check of the prod plan (`tools/policy-check.ts`): the whole process, the pack's
 * start (the analyzer loading and compiling the pack, then `Configure`) and the check alone (`Analyze` for
 * every resource, then `AnalyzeStack`). (a) and (c) alternate run by run, after one warm-up plan.
 * Prints figures; asserts nothing. Needs /usr/bin/time (GNU time) for memory; without it, memory reads "-".
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { readPlanFile } from "./lib/diagram/plan-input";

const ROOT = path.resolve(__dirname, "..");
const SYNTHETIC = path.join(ROOT, "tools", "bench", "synthetic");
const TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a positive integer, got ${values.runs}`);
    process.exit(64);
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Sample {
    ms: number;
    programMs: number;
    peakMiB: number;
    resources: number;
}

/** Runs `node -r ts-node/register/transpile-only <script> <args>` under GNU time; wall ms and peak MiB. */
function timed(script: string, args: string[], env: Record<string, string> = {}) {
    const node = [process.execPath, "-r", "ts-node/register/transpile-only", path.join(ROOT, script), ...args];
    const timeFile = path.join(out, "time.txt");
    const [cmd, ...cmdArgs] = TIME ? [TIME, "-f", "%M", "-o", timeFile, ...node] : node;
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const peakMiB = TIME ? Number(fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()) / 1024 : NaN;
    return { status: r.status, stderr: r.stderr, ms, peakMiB };
}

function plan(project: string, stack: string): Sample {
    const file = path.join(out, `${stack}.json`);
    const benchOut = path.join(out, "program.json");
    const args = ["--stack", stack, "--project", project, "--out", file, "--no-policy"];
    const r = timed("tools/plan.ts", args, { PLATFORM_BENCH_OUT: benchOut });
    if (r.status !== 0) {
        console.error(`plan of ${project} ${stack} failed:\n${r.stderr}`);
        process.exit(1);
    }
    const { programMs } = JSON.parse(fs.readFileSync(benchOut, "utf8")) as { programMs: number };
    return { ms: r.ms, programMs, peakMiB: r.peakMiB, resources: readPlanFile(file).deployment.resources.length };
}

/** A scratch copy of the synthetic project whose stack registers `count` resources. */
function syntheticProject(count: number): string {
    const dir = fs.mkdtempSync(path.join(out, "synthetic-"));
    const project = fs.readFileSync(path.join(SYNTHETIC, "Pulumi.yaml"), "utf8").replace(/^main: .*\n/m, "");
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        `${project}\nmain: ${JSON.stringify(path.join(SYNTHETIC, "index.ts"))}\n`,
    );
    fs.writeFileSync(
        path.join(dir, "Pulumi.bench.yaml"),
        `config:\n  aws:region: sa-east-1\n  synthetic:count: ${count}\n`,
    );
    return dir;
}

const fmt = (n: number, digits = 0) => (Number.isNaN(n) ? "-" : n.toFixed(digits));
const row = (cells: string[], widths: number[]) => cells.map((c, i) => c.padStart(widths[i])).join(" ");
const widths = [26, 9, 9, 9, 8];

console.log(`Offline plan, median of ${runs} run(s) (node ${process.version}, ${os.cpus().length} CPUs)\n`);
console.log(row(["target", "resources", "wall ms", "peak MiB", "x (c)"], widths));
for (const stack of ["dev", "prod"]) {
    const count = plan(ROOT, stack).resources; // also a warm-up: the Lambda bundle cache, the file cache
    // The synthetic plan holds its parameters plus the stack and the default provider: as many in all.
    const project = syntheticProject(count - 2);
    // (a) and (c) alternate, so a change in the machine's load falls on both alike.
    const a: Sample[] = [];
    const c: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        a.push(plan(ROOT, stack));
        c.push(plan(project, "bench"));
    }
    const cMs = median(c.map((s) => s.ms));
    const cProgram = median(c.map((s) => s.programMs));
    const aMs = median(a.map((s) => s.ms));
    const bMs = median(a.map((s) => s.programMs));
    console.log(
        row(
            [`${stack} (a) plan`, String(count), fmt(aMs), fmt(median(a.map((s) => s.peakMiB))), fmt(aMs / cMs, 2)],
            widths,
        ),
    );
    console.log(row([`${stack} (b) program (cmd/run)`, String(count), fmt(bMs), "", fmt(bMs / cProgram, 2)], widths));
    console.log(
        row(
            [`${stack} (c) synthetic`, String(c[0].resources), fmt(cMs), fmt(median(c.map((s) => s.peakMiB))), "1.00"],
            widths,
        ),
    );
}

// The policy check alone, over the prod plan just written.
const prodPlan = path.join(out, "prod-policy.json");
plan(ROOT, "prod");
fs.copyFileSync(path.join(out, "prod.json"), prodPlan);
const policyTimings = path.join(out, "policy.json");
const policy = Array.from({ length: runs }, () => {
    const config = path.join(ROOT, "policy-pack", "config", "prod.json");
    const r = timed("tools/policy-check.ts", [prodPlan, "--config", config], { PLATFORM_BENCH_OUT: policyTimings });
    return { ...r, ...(JSON.parse(fs.readFileSync(policyTimings, "utf8")) as { loadMs: number; checkMs: number }) };
});
const policyPeak = fmt(median(policy.map((p) => p.peakMiB)));
console.log(row(["prod policy check (process)", "", fmt(median(policy.map((p) => p.ms))), policyPeak, ""], widths));
console.log(row(["  pack start (load, configure)", "", fmt(median(policy.map((p) => p.loadMs))), "", ""], widths));
console.log(row(["  check alone (Analyze*, Stack)", "", fmt(median(policy.map((p) => p.checkMs))), "", ""], widths));
console.log("\n(b)/(c) compares the program's own run (cmd/run start to exit) with the synthetic program's.");
fs.rmSync(out, { recursive: true, force: true });
