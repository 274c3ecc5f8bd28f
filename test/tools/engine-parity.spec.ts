/**
 * TEMPORARY, while both paths exist: the recording engine (cmd/run in a child process, gRPC monitor)
 * and the previous in-process path (`setMocks`) produce the same resource graph for dev, prod and the
 * bootstrap: same URNs, and per URN the same inputs, outputs, parent, provider, dependencies and
 * protection. Registration order may differ (the program's RPCs race differently over gRPC).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ExportedResource, StackExport } from "../../tools/lib/plan-runner";
import { ROOT, TS_NODE } from "../support/plan";

function plan(project: string, stack: string, inProcess: boolean): ExportedResource[] {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "parity-")), "plan.json");
    const args = ["--stack", stack, "--project", project, "--out", out, "--no-policy"];
    const r = spawnSync(
        process.execPath,
        [...TS_NODE, path.join(ROOT, "tools", "plan.ts"), ...args, ...(inProcess ? ["--in-process"] : [])],
        { cwd: ROOT, encoding: "utf8", timeout: 300_000 },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    const doc = JSON.parse(fs.readFileSync(out, "utf8")) as StackExport;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    return doc.deployment.resources;
}

describe("recording engine parity with the in-process plan", function () {
    this.timeout(600_000);
    for (const [project, stack] of [
        [ROOT, "dev"],
        [ROOT, "prod"],
        [path.join(ROOT, "bootstrap"), "shared"],
    ]) {
        it(`gives the same graph for ${path.basename(project)}/${stack}`, () => {
            const before = new Map(plan(project, stack, true).map((r) => [r.urn, r]));
            const after = new Map(plan(project, stack, false).map((r) => [r.urn, r]));
            assert.deepStrictEqual([...after.keys()].sort(), [...before.keys()].sort());
            for (const [urn, r] of after) assert.deepStrictEqual(r, before.get(urn), urn);
        });
    }
});
