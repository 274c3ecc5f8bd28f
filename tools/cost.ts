/**
 * `npm run cost -- --stack <name> [--stack <name>...] [--json] [--region REGION] [--plan FILE] [--markdown FILE]
 * [--released] [--project DIR]`
 *
 * Prices the plan of each stack per architecture and resource kind: hourly resources from the plan's
 * own inputs, traffic from `tools/cost/usage/<stack>.yaml`, prices from `tools/cost/prices.yaml` in
 * each resource's region. Several `--stack` print side by side (`--stack dev --stack prod`).
 * `--region` prices every resource as if it were in that region (a what-if). `--markdown FILE`
 * writes the cost document (docs/cost.md) for the given stacks, with a us-east-1 what-if beside them.
 * `--plan FILE` prices a plan file instead of running the program (one stack only). `--released` prices
 * the stacks as they are after the first deployment's manual steps (tools/lib/released.ts): the working
 * system, which the committed stack files describe only after the first run.
 *
 * Exit codes: 0 done; 2 a plan, the price table or a usage file could not be read; 64 bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { loadPlan, PlanInputError } from "./lib/diagram/plan-input";
import { estimate, StackCost } from "./lib/cost/estimate";
import { formatMarkdown, formatText, toJson } from "./lib/cost/format";
import { CostTableError, loadPriceTable, loadUsage, usageFile } from "./lib/cost/tables";
import type { StackExport } from "./lib/plan-runner";
import { releasedStackYaml, scratchProject } from "./lib/released";

const USAGE =
    "usage: npm run cost -- --stack <name> [--stack <name>...] [--json] [--region REGION] [--plan FILE] " +
    "[--markdown FILE] [--released] [--project DIR]";
const WHAT_IF_REGION = "us-east-1";

function main(): number {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string", multiple: true },
                json: { type: "boolean", default: false },
                released: { type: "boolean", default: false },
                region: { type: "string" },
                plan: { type: "string" },
                markdown: { type: "string" },
                project: { type: "string", default: "." },
            },
            strict: true,
        }).values;
    } catch (err) {
        console.error((err as Error).message);
        console.error(USAGE);
        return 64;
    }
    const stacks = args.stack ?? [];
    if (stacks.length === 0) {
        console.error("--stack is required");
        console.error(USAGE);
        return 64;
    }
    if (args.plan && stacks.length > 1) {
        console.error("--plan prices one stack; give a single --stack");
        return 64;
    }
    const projectDir = path.resolve(args.project);

    let plans: StackExport[];
    let table;
    let usages;
    try {
        table = loadPriceTable();
        usages = stacks.map((s) => loadUsage(usageFile(s)));
        plans = stacks.map((s) =>
            loadPlan(s, {
                projectDir: args.released
                    ? scratchProject(projectDir, s, releasedStackYaml(projectDir, s))
                    : projectDir,
                planFile: args.plan ? path.resolve(args.plan) : undefined,
            }),
        );
    } catch (err) {
        if (err instanceof PlanInputError) {
            console.error(`error: ${err.message}`);
            return 2;
        }
        if (err instanceof CostTableError) {
            console.error("error: the cost tables are invalid:");
            for (const p of err.problems) console.error(`  - ${p}`);
            return 2;
        }
        throw err;
    }

    const price = (region?: string): StackCost[] =>
        stacks.map((stack, i) => estimate(plans[i], { table, usage: usages[i], stack, region }));
    const costs = price(args.region);

    if (args.markdown) {
        const target = path.resolve(args.markdown);
        const stackArgs = stacks.map((s) => `--stack ${s}`).join(" ");
        const released = args.released ? " --released" : "";
        const command = `npm run cost -- ${stackArgs}${released} --markdown ${path.relative(projectDir, target)}`;
        const whatIf = costs.some((c) => c.region !== WHAT_IF_REGION) ? price(WHAT_IF_REGION) : undefined;
        const usage = Object.fromEntries(stacks.map((s, i) => [s, usages[i]]));
        fs.writeFileSync(target, formatMarkdown(costs, { whatIf, command, usage }));
        console.log(`Wrote ${args.markdown}`);
    }
    if (args.json) console.log(JSON.stringify(toJson(costs), null, 2));
    else console.log(formatText(costs));
    return 0;
}

// exitCode, not exit(): exit() drops what is still buffered for a piped stdout (a --json estimate is
// hundreds of KB), while setting the code lets Node flush it first.
if (require.main === module) process.exitCode = main();
