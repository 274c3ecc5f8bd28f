/**
 * Offline plans of the bootstrap program (bootstrap/), made by the real `tools/plan.ts` in a child
 * process like the main program's (test/support/plan.ts), with `--project` pointing at bootstrap/ or at
 * a scratch project whose `Pulumi.yaml` is bootstrap's with `main` pointing back at bootstrap/index.ts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackExport } from "../../tools/lib/plan-runner";
import { Plan, ROOT, TS_NODE } from "../support/plan";

export const BOOTSTRAP = path.join(ROOT, "bootstrap");
export const STACK = "shared";

export interface BootstrapRun {
    status: number | null;
    stdout: string;
    stderr: string;
    plan?: Plan;
}

/** Plans `stack` of the bootstrap project; with `stackYaml`, in a scratch project with that stack file. */
export function planBootstrap(options: { stack?: string; stackYaml?: string } = {}): BootstrapRun {
    const stack = options.stack ?? STACK;
    let projectDir = BOOTSTRAP;
    if (options.stackYaml !== undefined) {
        projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
        const project = fs.readFileSync(path.join(BOOTSTRAP, "Pulumi.yaml"), "utf8").replace(/^main: .*\n/m, "");
        fs.writeFileSync(
            path.join(projectDir, "Pulumi.yaml"),
            `${project}\nmain: ${JSON.stringify(path.join(BOOTSTRAP, "index.ts"))}\n`,
        );
        fs.writeFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), options.stackYaml);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-out-")), `${stack}.json`);
    const result = spawnSync(
        process.execPath,
        [
            ...TS_NODE,
            path.join(ROOT, "tools", "plan.ts"),
            "--stack",
            stack,
            "--project",
            projectDir,
            "--out",
            out,
            "--no-policy",
        ],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 120_000,
        },
    );
    const plan = fs.existsSync(out) ? new Plan(JSON.parse(fs.readFileSync(out, "utf8")) as StackExport) : undefined;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    if (projectDir !== BOOTSTRAP) fs.rmSync(projectDir, { recursive: true, force: true });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, plan };
}

let cached: Plan | undefined;

/** The plan of the committed `Pulumi.shared.yaml`, computed once per test run. */
export function bootstrapPlan(): Plan {
    if (!cached) {
        const run = planBootstrap();
        if (run.status !== 0 || !run.plan)
            throw new Error(`bootstrap plan failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
        cached = run.plan;
    }
    return cached;
}
