import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { bundleEntry } from "../../../apps/lambdas/build";

describe("apps/lambdas/build cache", function () {
    this.timeout(60_000);
    let dir: string;
    let cacheDir: string;
    let entry: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(tmpdir(), "lambda-cache-"));
        cacheDir = path.join(dir, "cache");
        fs.writeFileSync(path.join(dir, "dep.ts"), 'export const greeting = "hello";\n');
        entry = path.join(dir, "handler.ts");
        fs.writeFileSync(entry, 'import { greeting } from "./dep";\nexport const handler = async () => greeting;\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cacheFiles = () => fs.readdirSync(cacheDir).filter((f) => f.endsWith(".json"));

    it("reuses the bundle of unchanged inputs without calling esbuild", () => {
        const first = bundleEntry(entry, { cacheDir, label: "t" });
        assert.deepStrictEqual(cacheFiles().length, 1);
        // Tamper with the cached bundle: only a cache hit can return the tampered text.
        const file = path.join(cacheDir, cacheFiles()[0]);
        const cached = JSON.parse(fs.readFileSync(file, "utf8"));
        cached.bundle.files["index.js"] = "from the cache";
        fs.writeFileSync(file, JSON.stringify(cached));
        assert.strictEqual(bundleEntry(entry, { cacheDir, label: "t" }).files["index.js"], "from the cache");
        assert.match(first.files["index.js"], /"hello"/);
    });

    it("rebuilds when any input changes, a dependency included", () => {
        const first = bundleEntry(entry, { cacheDir, label: "t" });
        fs.writeFileSync(path.join(dir, "dep.ts"), 'export const greeting = "bonjour";\n');
        const second = bundleEntry(entry, { cacheDir, label: "t" });
        assert.notStrictEqual(second.sha256, first.sha256);
        assert.match(second.files["index.js"], /"bonjour"/);
        assert.doesNotMatch(second.files["index.js"], /"hello"/);
    });
});
