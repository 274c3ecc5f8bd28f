/**
 * Test access to offline plans. A plan is produced by the real `tools/plan.ts` in a child process (the
 * Pulumi runtime holds global state, so one program run per process) and read back as the
 * `pulumi stack export` document it writes. Plans of the committed stack files are cached per run.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ExportedResource, StackExport } from "../../tools/lib/plan-runner";
import { releasedStackYaml as releasedYaml, scratchProject } from "../../tools/lib/released";

export const ROOT = path.resolve(__dirname, "..", "..");
export const TS_NODE = ["-r", "ts-node/register/transpile-only"];

export interface PlanRun {
    status: number | null;
    stdout: string;
    stderr: string;
    /** The plan document, when the run wrote one. */
    plan?: Plan;
}

/** A plan document with lookups for tests. */
export class Plan {
    readonly resources: ExportedResource[];
    private readonly byUrn: Map<string, ExportedResource>;

    constructor(readonly document: StackExport) {
        this.resources = document.deployment.resources;
        this.byUrn = new Map(this.resources.map((r) => [r.urn, r]));
    }

    /** Custom resources of a type token, in registration order. */
    ofType(type: string): ExportedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The single resource with this logical name and type; fails when there is not exactly one. */
    one(type: string, name: string): ExportedResource {
        const found = this.resources.filter((r) => r.type === type && r.urn.endsWith(`::${name}`));
        if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
        return found[0];
    }

    get(urn: string): ExportedResource {
        const r = this.byUrn.get(urn);
        if (!r) throw new Error(`no resource ${urn}`);
        return r;
    }

    /** The resource whose id or ARN output equals `ref` (how dependent inputs name their targets). */
    byRef(ref: unknown): ExportedResource | undefined {
        return this.resources.find((r) => r.custom && (r.id === ref || r.outputs?.arn === ref));
    }

    /** Stack outputs. */
    get outputs(): Record<string, any> {
        return this.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
    }
}

/** Name of a resource (last URN segment). */
export const nameOf = (r: ExportedResource) => r.urn.split("::").pop()!;

/**
 * Runs `tools/plan.ts` for `stack`. With `stackYaml`, runs it in a scratch project whose `Pulumi.yaml`
 * is the real one pointing `main` back at this repository, and whose stack file is `stackYaml`.
 */
export function runPlanCli(stack: string, options: { stackYaml?: string; extraArgs?: string[] } = {}): PlanRun {
    let projectDir = ROOT;
    if (options.stackYaml !== undefined) {
        projectDir = scratchProject(ROOT, stack, options.stackYaml);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-")), `${stack}.json`);
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
            ...(options.extraArgs ?? []),
        ],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 300_000,
        },
    );
    const plan = fs.existsSync(out) ? new Plan(JSON.parse(fs.readFileSync(out, "utf8"))) : undefined;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, plan };
}

const cache = new Map<string, Plan>();

/** The plan of a committed stack (`dev`, `prod`), computed once per test run. */
export function stackPlan(stack: "dev" | "prod"): Plan {
    let plan = cache.get(stack);
    if (!plan) {
        const run = runPlanCli(stack);
        if (run.status !== 0 || !run.plan)
            throw new Error(`plan of ${stack} failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
        plan = run.plan;
        cache.set(stack, plan);
    }
    return plan;
}

export { DOMAIN_ARCHITECTURES, RELEASED } from "../../tools/lib/released";

/** {@link releasedStackYaml} of this repository's committed stack file. */
export function releasedStackYaml(stack: "dev" | "prod"): string {
    return releasedYaml(ROOT, stack);
}

/** The plan of a committed stack after its first deployment's manual steps ({@link releasedStackYaml}), once per run. */
export function releasedPlan(stack: "dev" | "prod"): Plan {
    const key = `released:${stack}`;
    let plan = cache.get(key);
    if (!plan) {
        const run = runPlanCli(stack, { stackYaml: releasedStackYaml(stack) });
        if (run.status !== 0 || !run.plan)
            throw new Error(`released plan of ${stack} failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
        plan = run.plan;
        cache.set(key, plan);
    }
    return plan;
}

/** Parses a JSON policy document input (string or object). */
export function policyDocument(value: unknown): { Version: string; Statement: any[] } {
    return typeof value === "string" ? JSON.parse(value) : (value as any);
}
