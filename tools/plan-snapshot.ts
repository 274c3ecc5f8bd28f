/**
 * `npm run plans:snapshot -- --out DIR [--against DIR]`
 *
 * Writes the offline plans of everything this repository deploys into `DIR`: `dev.json` and `prod.json`
 * (the committed stacks, the first run), `released-dev.json` and `released-prod.json` (the same stacks
 * after the first deployment's manual steps, `tools/lib/released.ts`) and `bootstrap-shared.json` (the
 * bootstrap project). Each is `tools/plan.ts --no-policy` in its own process, as `npm run plan` runs it,
 * with `SOURCE_DATE_EPOCH=0` so the manifest's time does not differ between runs, and with the checkout's path
 * written as `<repository>`, so snapshots of two working trees compare.
 *
 * With `--against DIR`, compares each file byte for byte with the one of the same name in that directory
 * (a snapshot taken before a refactoring) and names the first resource that differs. A refactoring that
 * changes nothing deployed leaves every file identical: same URNs, inputs, dependencies and order.
 *
 * Exit codes: 0 written (and, with `--against`, identical); 1 a plan differs from its snapshot; 2 a plan
 * failed; 64 bad arguments.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { releasedStackYaml, scratchProject } from "./lib/released";

const ROOT = path.resolve(__dirname, "..");

interface Target {
    file: string;
    stack: string;
    project: () => string;
}

const TARGETS: Target[] = [
    { file: "dev.json", stack: "dev", project: () => ROOT },
    { file: "prod.json", stack: "prod", project: () => ROOT },
    ...(["dev", "prod"] as const).map((stack) => ({
        file: `released-${stack}.json`,
        stack,
        project: () => scratchProject(ROOT, stack, releasedStackYaml(ROOT, stack)),
    })),
    { file: "bootstrap-shared.json", stack: "shared", project: () => path.join(ROOT, "bootstrap") },
];

function plan(target: Target, out: string): void {
    const args = ["--stack", target.stack, "--project", target.project(), "--out", out, "--no-policy"];
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, SOURCE_DATE_EPOCH: "0" },
    });
    if (r.status !== 0) {
        console.error(`${target.file}: plan failed (${r.status})\n${r.stderr}${r.stdout}`);
        process.exit(2);
    }
    // Paths under the checkout (a Docker build context, say) are written relative to it, so a snapshot taken in
    // one working tree compares with one taken in another.
    fs.writeFileSync(out, fs.readFileSync(out, "utf8").replaceAll(`${ROOT}/`, "<repository>/"));
}

/** The first resource (by position) whose JSON differs between two plan documents, or a count mismatch. */
function firstDifference(a: string, b: string): string {
    type Doc = { deployment: { resources: { urn: string }[] } };
    const ra = (JSON.parse(a) as Doc).deployment.resources;
    const rb = (JSON.parse(b) as Doc).deployment.resources;
    for (let i = 0; i < Math.max(ra.length, rb.length); i++)
        if (JSON.stringify(ra[i]) !== JSON.stringify(rb[i]))
            return `resource #${i}: ${ra[i]?.urn ?? "(none)"} vs snapshot ${rb[i]?.urn ?? "(none)"}`;
    return "outside the resources (stack outputs or header)";
}

function main(): number {
    let values;
    try {
        ({ values } = parseArgs({ options: { out: { type: "string" }, against: { type: "string" } } }));
    } catch (e) {
        console.error(`${(e as Error).message}\nusage: npm run plans:snapshot -- --out DIR [--against DIR]`);
        return 64;
    }
    if (!values.out) {
        console.error("usage: npm run plans:snapshot -- --out DIR [--against DIR]");
        return 64;
    }
    const out = path.resolve(values.out);
    fs.mkdirSync(out, { recursive: true });
    let differ = 0;
    for (const target of TARGETS) {
        const file = path.join(out, target.file);
        plan(target, file);
        if (!values.against) {
            console.log(`${target.file}: written`);
            continue;
        }
        const now = fs.readFileSync(file, "utf8");
        const before = fs.readFileSync(path.join(path.resolve(values.against), target.file), "utf8");
        if (now === before) console.log(`${target.file}: identical`);
        else {
            differ++;
            console.log(`${target.file}: DIFFERS at ${firstDifference(now, before)}`);
        }
    }
    return differ ? 1 : 0;
}

process.exitCode = main();
