/**
 * docs/first-deploy.md names only commands and config keys that exist: every `npm run <script>` is a
 * script of package.json, and every `platform:<key>` (with its nested keys, where the key's schema has
 * fields) is a key the program reads: a foundation key declared in Pulumi.yaml, an architecture's
 * settings (walked through its zod schema), or a workload of `platform:releases`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { ARCHITECTURES } from "../../stacks";
import { ROOT } from "../support/plan";

const RUNBOOK = fs.readFileSync(path.join(ROOT, "docs", "first-deploy.md"), "utf8");

/** The schema a field path leads to, or a message naming the first missing part. */
function walk(schema: z.ZodType, parts: string[], at: string): string | undefined {
    let current: z.ZodType = schema;
    for (const part of parts) {
        // Unwrap default, prefault, optional, nullable, pipe and refinements to the object or record below.
        for (;;) {
            const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
            if (def.innerType) current = def.innerType as z.ZodType;
            else if (def.type === "pipe") current = def.in as z.ZodType;
            else break;
        }
        const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
        if (def.type === "record") return undefined; // any name
        if (def.type !== "object") return `${at} has no fields (found .${part})`;
        const shape = def.shape as Record<string, z.ZodType>;
        if (!(part in shape)) return `${at} has no field ${part}; fields: ${Object.keys(shape).join(", ")}`;
        current = shape[part];
        at = `${at}.${part}`;
    }
    return undefined;
}

describe("docs/first-deploy.md", () => {
    it("is linked from the README", () => {
        assert.match(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /\]\(docs\/first-deploy\.md\)/);
    });

    it("names only npm scripts that package.json defines", () => {
        const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
        const named = [...new Set([...RUNBOOK.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]))].sort();
        assert.deepStrictEqual(named, ["plan", "promote"]);
        for (const s of named) assert.ok(scripts.includes(s), `npm run ${s}: no such script in package.json`);
    });

    it("names only config keys the program reads, nested keys included", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        const declared = Object.keys(project.config).filter((k) => !k.includes(":"));
        const workloads = Object.values(ARCHITECTURES).flatMap((a) => a.workloads);
        const named = [
            ...new Set([...RUNBOOK.matchAll(/platform:([a-zA-Z][\w-]*)((?:\.[a-zA-Z][\w-]*)*)/g)].map((m) => m[0])),
        ];
        assert.ok(named.length >= 10, `only ${named.length} keys found: ${named.join(", ")}`);
        const problems: string[] = [];
        for (const full of named) {
            const [key, ...parts] = full.slice("platform:".length).split(".");
            if (!declared.includes(key)) {
                problems.push(`${full}: Pulumi.yaml declares no platform:${key}`);
                continue;
            }
            const arch = ARCHITECTURES[key as keyof typeof ARCHITECTURES];
            if (arch?.settings) {
                const problem = walk(arch.settings, parts, `platform:${key}`);
                if (problem) problems.push(`${full}: ${problem}`);
            } else if (key === "releases" && parts.length > 0 && !workloads.includes(parts[0])) {
                problems.push(`${full}: no architecture has the workload ${parts[0]}`);
            }
        }
        assert.deepStrictEqual(problems, []);
    });
});
