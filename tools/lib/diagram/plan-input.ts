/**
 * Where the diagram and cost tools get a plan from: a fresh run of `tools/plan.ts` (the real program
 * against mocks with the stack's own config, the same graph `npm run plan` writes), or a plan file given
 * with `--plan` (a `pulumi stack export` of a real stack works too).
 *
 * The plan runs in a child process: the Pulumi runtime keeps global state, so one program run per
 * process, and the cost tool may need two stacks side by side.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackExport } from "../plan-runner";

/** Thrown when no plan could be had; `message` says why and what to do. */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}

export interface PlanSource {
    /** Project directory holding `Pulumi.yaml` and `Pulumi.<stack>.yaml`. */
    projectDir: string;
    /** Read this plan file instead of running the program. */
    planFile?: string;
    /** Time limit of the plan run, in ms (default 120 000). */
    timeoutMs?: number;
}

/** Parses and checks a plan file: JSON, deployment v3, with a resources array. */
export function readPlanFile(file: string): StackExport {
    if (!fs.existsSync(file))
        throw new PlanInputError(
            `plan file not found: ${file} ` +
                "(make one with `npm run plan -- --stack <name>`, or leave out --plan to run the program)",
        );
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PlanInputError(`plan file ${file} is not JSON: ${(err as Error).message}`);
    }
    if (!isStackExport(doc)) {
        throw new PlanInputError(
            `plan file ${file} is not a \`pulumi stack export\` document (version 3 with deployment.resources)`,
        );
    }
    return doc;
}

/** True for `version: 3` with a `deployment.resources` list; the resources themselves are not checked. */
function isStackExport(doc: unknown): doc is StackExport {
    return (
        typeof doc === "object" &&
        doc !== null &&
        "version" in doc &&
        doc.version === 3 &&
        "deployment" in doc &&
        typeof doc.deployment === "object" &&
        doc.deployment !== null &&
        "resources" in doc.deployment &&
        Array.isArray(doc.deployment.resources)
    );
}

/**
 * The plan of `stack`: from `source.planFile` when given, else by running `tools/plan.ts --no-policy`
 * in a child process into a scratch file.
 *
 * @throws PlanInputError when the file is unusable or the plan run fails (its stderr is included).
 */
export function loadPlan(stack: string, source: PlanSource): StackExport {
    if (source.planFile) return readPlanFile(source.planFile);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-for-tools-")), `${stack}.json`);
    const planTool = path.resolve(__dirname, "..", "..", "plan.ts");
    const run = spawnSync(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            planTool,
            "--stack",
            stack,
            "--project",
            source.projectDir,
            "--out",
            out,
            "--no-policy",
        ],
        {
            cwd: path.resolve(__dirname, "..", "..", ".."),
            encoding: "utf8",
            timeout: source.timeoutMs ?? 120_000,
        },
    );
    try {
        if (run.error) throw new PlanInputError(`the plan of stack '${stack}' did not finish: ${run.error.message}`);
        if (run.status !== 0 || !fs.existsSync(out)) {
            throw new PlanInputError(`the plan of stack '${stack}' failed (exit ${run.status}):\n${run.stderr.trim()}`);
        }
        return readPlanFile(out);
    } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
}
