import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policy-pack/policies";

const PACK = path.resolve(__dirname, "..", "..", "policy-pack");

/** `| \`name\` (stack)? | dev | prod | what |` rows of the README's policy tables. */
function readmeRows(): Map<string, { dev: string; prod: string; stack: boolean; what: string }> {
    const text = fs.readFileSync(path.join(PACK, "README.md"), "utf8");
    const rows = new Map<string, { dev: string; prod: string; stack: boolean; what: string }>();
    for (const m of text.matchAll(/^\| `([a-z0-9-]+)`( \(stack\))? \| (\w+) \| (\w+) \| (.+) \|$/gm)) {
        assert.ok(!rows.has(m[1]), `README lists ${m[1]} twice`);
        rows.set(m[1], { stack: m[2] !== undefined, dev: m[3], prod: m[4], what: m[5] });
    }
    return rows;
}

function level(config: Record<string, unknown>, name: string): string | undefined {
    const v = config[name];
    return typeof v === "string" ? v : (v as { enforcementLevel?: string } | undefined)?.enforcementLevel;
}

describe("policy-pack/README.md", () => {
    const dev = JSON.parse(fs.readFileSync(path.join(PACK, "config", "dev.json"), "utf8"));
    const prod = JSON.parse(fs.readFileSync(path.join(PACK, "config", "prod.json"), "utf8"));

    it("lists every policy of the pack exactly once, with the levels of config/dev.json and config/prod.json", () => {
        const rows = readmeRows();
        assert.deepStrictEqual([...rows.keys()].sort(), allPolicies.map((p) => p.name).sort());
        for (const p of allPolicies) {
            const row = rows.get(p.name)!;
            assert.strictEqual(row.dev, level(dev, p.name), `${p.name} dev`);
            assert.strictEqual(row.prod, level(prod, p.name), `${p.name} prod`);
            assert.strictEqual(row.stack, "validateStack" in p, `${p.name} (stack) marker`);
        }
    });

    it("says which policies dev lowers to advisory, and they are exactly the advisory ones in config/dev.json", () => {
        const text = fs.readFileSync(path.join(PACK, "README.md"), "utf8");
        const advisory = allPolicies.map((p) => p.name).filter((n) => level(dev, n) === "advisory");
        assert.strictEqual(advisory.length, 6);
        const why = text.slice(text.indexOf("Why dev is lower"), text.indexOf("### Encryption at rest"));
        for (const n of advisory)
            assert.ok(why.includes(`\`${n}\``), `README does not explain why ${n} is advisory in dev`);
    });
});
