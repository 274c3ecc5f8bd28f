/**
 * The fast deploy loop (README, Fast deploy loop): every project the Pulumi CLI runs loads its TypeScript
 * the way `@pulumi/pulumi/cmd/run` registers ts-node (`project` set to `runtime.options.tsconfig`,
 * `transpileOnly` from the tsconfig's `noCheck`), and that registration skips the type check and
 * transpiles with swc.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as tsutils from "@pulumi/pulumi/tsutils";
import { create } from "ts-node";
import { parse } from "yaml";
import { ROOT } from "../support/plan";

const PROJECTS = [ROOT, path.join(ROOT, "bootstrap"), path.join(ROOT, "tools", "bench", "synthetic")];

/** cmd/run's reader of the tsconfig's own `compilerOptions` (internal to the SDK, so untyped here). */
const { loadTypeScriptCompilerOptions } = tsutils as unknown as {
    loadTypeScriptCompilerOptions: (tsconfig: string) => { noCheck?: boolean };
};

/**
 * What cmd/run decides for the project in `dir` (run.js): `noCheck` as its reader sees it (the file's own
 * `compilerOptions`, without `extends`), and the ts-node service it registers with `transpileOnly: noCheck`.
 */
function cliTsNode(dir: string) {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
        runtime: { options: { tsconfig: string } };
    };
    const tsconfig = path.resolve(dir, project.runtime.options.tsconfig);
    const noCheck = loadTypeScriptCompilerOptions(tsconfig).noCheck;
    const service = create({ project: tsconfig, compiler: "typescript", transpileOnly: noCheck, compilerOptions: {} });
    return { noCheck, service };
}

describe("the CLI's load of every project", () => {
    for (const dir of PROJECTS) {
        const name = path.relative(ROOT, dir) || ".";

        it(`${name}: skips the type check and transpiles with swc`, () => {
            const { noCheck, service } = cliTsNode(dir);
            assert.strictEqual(noCheck, true);
            assert.strictEqual(service.options.swc, true);
            // A type error does not stop the load: no checker runs.
            const js = service.compile("const n: number = 'text'; export = n;", path.join(dir, "probe.ts"));
            assert.match(js, /module\.exports = n/);
        });
    }
});
