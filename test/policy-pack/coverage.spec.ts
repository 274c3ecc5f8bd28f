import * as assert from "assert";
import * as fs from "fs";
import { COVERAGE, coverageCounts } from "../../policy-pack/coverage";
import { allPolicies } from "../../policy-pack/policies";
import { hardeningPolicies } from "../../policy-pack/policies/hardening";
import { README, withCoverageTable } from "../../tools/coverage-table";

describe("policy-pack/coverage.ts (cdk-nag AwsSolutions and Security Hub FSBP)", () => {
    it("the README's coverage table is the one generated from coverage.ts", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.strictEqual(
            readme,
            withCoverageTable(readme),
            "run: npx ts-node --transpile-only tools/coverage-table.ts",
        );
    });

    it("lists each rule or control once, and names only policies of the pack", () => {
        const ids = COVERAGE.map((r) => r.id);
        assert.deepStrictEqual(
            ids.filter((id, i) => ids.indexOf(id) !== i),
            [],
        );
        const names = new Set(allPolicies.map((p) => p.name));
        for (const r of COVERAGE) {
            if (r.disposition.kind !== "policy") continue;
            assert.ok(r.disposition.policies.length > 0, r.id);
            for (const n of r.disposition.policies) assert.ok(names.has(n), `${r.id} names unknown policy ${n}`);
        }
    });

    it("every hardening policy implements at least one listed rule or control", () => {
        const used = new Set(COVERAGE.flatMap((r) => (r.disposition.kind === "policy" ? r.disposition.policies : [])));
        assert.deepStrictEqual(
            hardeningPolicies.map((p) => p.name).filter((n) => !used.has(n)),
            [],
        );
    });

    it("counts the dispositions (what bench:policies prints)", () => {
        const c = coverageCounts();
        assert.strictEqual(c.policy + c["not-applicable"] + c.elsewhere + c.disagree + c.open, COVERAGE.length);
        assert.deepStrictEqual(coverageCounts([COVERAGE[0], COVERAGE[0]]), {
            policy: 2,
            "not-applicable": 0,
            elsewhere: 0,
            disagree: 0,
            open: 0,
        });
    });
});
