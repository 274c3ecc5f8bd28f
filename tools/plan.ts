/**
 * `npm run plan -- --stack <dev|prod> [--out FILE] [--no-policy] [--policy-config FILE] [--project DIR]`
 *
 * Runs the real program offline as `pulumi preview` does (`@pulumi/pulumi/cmd/run` in a child process,
 * against the recording engine of `./lib/engine`, which answers with mocked providers) with the
 * stack's own config files, writes the resource graph as a `pulumi stack export` document (default
 * `plan/<stack>.json`), prints a summary, then checks the graph with the repository's policy pack
 * (`policy-pack/`), configured by `--policy-config` or else `policy-pack/config/<stack>.json` when it
 * exists. `--project DIR` plans another Pulumi project (e.g. `bootstrap`) the same way.
 *
 * Exit codes: 0 plan written and no mandatory policy violation; 1 mandatory policy violations (the
 * plan is still written); 2 invalid config or program failure, including an error inside an `apply`,
 * an unhandled rejection or a diagnostic of severity error (nothing written); 64 bad arguments.
 */
import "./lib/strict-outputs";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { runPlan } from "./lib/engine";
import { ProgramError } from "./lib/plan-runner";
import { loadStackSettings, StackSettingsError } from "./lib/stack-config";
import { formatSummary, summarize } from "./lib/summary";

/** Per-environment configs of the repository's policy pack (`policy-pack/config/<stack>.json`). */
const DEFAULT_POLICY_CONFIG_DIR = path.resolve(__dirname, "..", "policy-pack", "config");

const USAGE = "usage: npm run plan -- --stack <name> [--out FILE] [--no-policy] [--policy-config FILE] [--project DIR]";

function fail(code: number, lines: string[]): never {
    for (const line of lines) console.error(line);
    process.exit(code);
}

async function main(): Promise<void> {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string" },
                out: { type: "string" },
                project: { type: "string", default: "." },
                "no-policy": { type: "boolean", default: false },
                "policy-config": { type: "string" },
            },
            strict: true,
        }).values;
    } catch (err) {
        fail(64, [(err as Error).message, USAGE]);
    }
    if (!args.stack) fail(64, ["--stack is required", USAGE]);
    const projectDir = path.resolve(args.project);
    const out = path.resolve(args.out ?? path.join(projectDir, "plan", `${args.stack}.json`));

    let settings;
    let invalid: string[] = [];
    try {
        settings = loadStackSettings(projectDir, args.stack);
    } catch (err) {
        if (!(err instanceof StackSettingsError)) throw err;
        invalid = ["error: the stack configuration is invalid:", ...err.problems.map((p) => `  - ${p}`)];
        // When only values are wrong, the program still runs on them so that its own validation of the
        // same file is reported in this run too.
        if (!err.settings) fail(2, invalid);
        settings = err.settings;
    }

    let document;
    try {
        document = await runPlan(settings);
    } catch (err) {
        if (err instanceof ProgramError) {
            const lines = err.errors.flatMap((e) => {
                const problems = (e as { problems?: string[] }).problems;
                if (Array.isArray(problems))
                    return [(e as Error).message.split("\n")[0], ...problems.map((p) => `  - ${p}`)];
                return [e instanceof Error ? (e.stack ?? e.message) : String(e)];
            });
            fail(2, [
                ...invalid,
                `error: the program failed for stack '${args.stack}'; nothing was written.`,
                ...lines,
            ]);
        }
        throw err;
    }
    if (invalid.length > 0)
        fail(2, [...invalid, "The program itself reported no further problem; nothing was written."]);

    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(document, null, 2) + "\n");
    console.log(formatSummary(summarize(document, settings.stack, settings.project)));
    console.log(`\nWrote ${path.relative(process.cwd(), out)} (pulumi stack export format).`);

    if (args["no-policy"]) return;
    // The repository's pack, with the stack's per-environment config when there is one (every policy
    // at its default level, mandatory, otherwise). Loaded only when the check runs (gRPC client).
    const stackConfig = path.join(DEFAULT_POLICY_CONFIG_DIR, `${args.stack}.json`);
    const policyConfig = args["policy-config"] ?? (fs.existsSync(stackConfig) ? stackConfig : undefined);
    const { runPolicyCheckCli } = await import("./policy-check");
    process.exitCode = await runPolicyCheckCli(document, { configFile: policyConfig });
}

main().catch((err) => fail(2, [err instanceof Error ? (err.stack ?? err.message) : String(err)]));
