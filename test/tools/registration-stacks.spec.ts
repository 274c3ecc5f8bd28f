/**
 * tools/runtime/registration-stacks.cjs, preloaded by Pulumi.yaml before cmd/run installs source-map
 * support: the SDK's per-registration and per-promise stack captures are not source-mapped (the cost it
 * saves), every other stack still is, PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS=1 maps both captures, and
 * PULUMI_DEBUG_PROMISE_LEAKS (the SDK then prints the promise captures) maps the promise captures.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT, TS_NODE } from "../support/plan";

const FIXTURE = path.join(ROOT, "test", "fixtures", "registration-stacks", "index.ts");
const PRELOAD = path.join(ROOT, "tools", "runtime", "registration-stacks.cjs");
/** The fixture's line holding both probes, as written in TypeScript. */
const PROBE_LINE =
    fs
        .readFileSync(FIXTURE, "utf8")
        .split("\n")
        .findIndex((l) => l.endsWith("// PROBE")) + 1;

/** Runs the fixture as the language host loads a program: the preload first, then ts-node. */
function probe(env: Record<string, string> = {}): { capturedLine: number; promiseLine: number; errorLine: number } {
    const r = spawnSync(process.execPath, ["--require", PRELOAD, ...TS_NODE, FIXTURE], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS: "", PULUMI_DEBUG_PROMISE_LEAKS: "", ...env },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
}

describe("registration-stacks preload", function () {
    this.timeout(60_000);

    it("is preloaded by every project the CLI runs", () => {
        for (const [dir, rel] of [
            [ROOT, "./tools/runtime/"],
            [path.join(ROOT, "bootstrap"), "../tools/runtime/"],
        ]) {
            const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
            assert.ok(
                String(project.runtime.options.nodeargs).split(/\s+/).includes(`${rel}registration-stacks.cjs`),
                dir,
            );
        }
    });

    it("leaves the SDK's registration and promise captures unmapped and keeps other stacks mapped", () => {
        assert.ok(PROBE_LINE > 0);
        const r = probe();
        assert.strictEqual(r.errorLine, PROBE_LINE);
        assert.notStrictEqual(r.capturedLine, PROBE_LINE, "registration capture mapped");
        assert.notStrictEqual(r.promiseLine, PROBE_LINE, "promise capture mapped");
    });

    it("maps both captures when PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS=1", () => {
        const r = probe({ PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS: "1" });
        assert.deepStrictEqual(r, { capturedLine: PROBE_LINE, promiseLine: PROBE_LINE, errorLine: PROBE_LINE });
    });

    it("maps the promise captures when PULUMI_DEBUG_PROMISE_LEAKS is set, the registration capture still not", () => {
        const r = probe({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
        assert.strictEqual(r.promiseLine, PROBE_LINE);
        assert.strictEqual(r.errorLine, PROBE_LINE);
        assert.notStrictEqual(r.capturedLine, PROBE_LINE, "registration capture mapped");
    });
});
