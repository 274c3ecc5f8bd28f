import * as assert from "assert";
import { CorpusReport, evaluateCorpus, loadCorpus } from "./corpus";
import { PackHarness } from "./support/harness";

describe("policy corpus (npm run bench:policies)", () => {
    const modules = loadCorpus();
    const insecure = modules.flatMap((m) => m.module.insecure);
    const secure = modules.flatMap((m) => m.module.secure);
    let pack: PackHarness;
    let report: CorpusReport;

    before(async function () {
        this.timeout(180_000);
        // The support calendars judge at a pinned date, so the corpus never depends on today.
        const asOf = { enforcementLevel: "mandatory", asOf: "2026-12-07" } as const;
        pack = await PackHarness.start({ "lambda-supported-runtime": asOf, "eks-supported-version": asOf });
        report = await evaluateCorpus(pack.analyzer, modules);
    });
    after(async () => pack?.close());

    it("holds at least 60 realistic insecure and 20 secure cases with unique ids", () => {
        assert.ok(insecure.length >= 60, `${insecure.length} insecure cases`);
        assert.ok(secure.length >= 20, `${secure.length} secure cases`);
        const ids = [...insecure, ...secure].map((c) => c.id);
        assert.strictEqual(new Set(ids).size, ids.length);
    });

    it("names only policies the pack serves, and every insecure target is among its resources", () => {
        const names = new Set(pack.policyNames);
        for (const c of insecure) {
            assert.ok(names.has(c.policy), `${c.id}: unknown policy ${c.policy}`);
            assert.ok(c.resources.includes(c.target), c.id);
        }
    });

    it("detects at least 95 % of the insecure cases with their named policy", () => {
        const misses = report.insecure.filter((r) => !r.detected).map((r) => `${r.case.id} (${r.case.policy})`);
        assert.ok(report.detectionRate >= 0.95, `detection ${report.detectionRate}; missed: ${misses.join(", ")}`);
    });

    it("raises no false alarm (no diagnostic at all) on the secure cases", () => {
        const alarms = report.falseAlarms.flatMap((f) =>
            f.violations.map((v) => `${f.case.id}: ${v.policyName} [${v.enforcementLevel}] ${v.message}`),
        );
        assert.deepStrictEqual(alarms, []);
    });

    it("includes the false alarms other packs raise: a redirect-only port-80 listener and a public 443 ALB security group", () => {
        const ids = secure.map((c) => c.id);
        assert.ok(ids.includes("transit/port-80-redirect"));
        assert.ok(ids.includes("network/public-alb-443"));
    });
});
