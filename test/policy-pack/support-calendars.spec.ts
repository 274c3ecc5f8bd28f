import * as assert from "assert";
import {
    checkDate,
    EKS_VERSIONS,
    eksVersionRow,
    isOnOrAfter,
    LAMBDA_RUNTIMES,
} from "../../policy-pack/lib/support-calendars";
import { policyCases, res, UNKNOWN, usePack } from "./support/harness";

/** The check date every case runs at (never today). */
const AS_OF = "2026-12-07";

describe("policy-pack/lib/support-calendars", () => {
    it("has one row per runtime and version, each with an ISO date and its AWS source", () => {
        assert.strictEqual(new Set(LAMBDA_RUNTIMES.map((r) => r.runtime)).size, LAMBDA_RUNTIMES.length);
        assert.strictEqual(new Set(EKS_VERSIONS.map((r) => r.version)).size, EKS_VERSIONS.length);
        for (const r of [...LAMBDA_RUNTIMES, ...EKS_VERSIONS]) {
            assert.match(r.source, /^https:\/\/docs\.aws\.amazon\.com\//);
        }
        for (const d of [
            ...LAMBDA_RUNTIMES.map((r) => r.deprecated),
            ...EKS_VERSIONS.flatMap((r) => [r.standardSupportEnds, r.extendedSupportEnds]),
        ]) {
            assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
            assert.ok(!Number.isNaN(Date.parse(d)), d);
        }
        for (const r of EKS_VERSIONS) assert.ok(r.standardSupportEnds < r.extendedSupportEnds, r.version);
    });

    it("finds EKS rows by minor or patch version, treats older versions as ended, and newer ones as unknown", () => {
        assert.strictEqual(eksVersionRow("1.33")?.standardSupportEnds, "2026-07-29");
        assert.strictEqual(eksVersionRow("1.33.2")?.version, "1.33");
        assert.deepStrictEqual(eksVersionRow("1.19")?.standardSupportEnds, "2023-10-11");
        assert.strictEqual(eksVersionRow("1.99"), undefined);
        assert.strictEqual(eksVersionRow("latest"), undefined);
    });

    it("takes the check date from asOf, else today; a date is past from its own day on", () => {
        assert.strictEqual(checkDate("2027-04-30"), "2027-04-30");
        assert.strictEqual(checkDate(undefined, new Date("2026-01-02T23:00:00Z")), "2026-01-02");
        assert.throws(() => checkDate("30/04/2027"), /asOf must be a date YYYY-MM-DD/);
        assert.ok(isOnOrAfter("2027-04-30", "2027-04-30"));
        assert.ok(!isOnOrAfter("2027-04-29", "2027-04-30"));
    });
});

describe("lambda-supported-runtime and eks-supported-version (through the analyzer, asOf pinned)", () => {
    const pack = usePack({
        "lambda-supported-runtime": { enforcementLevel: "mandatory", asOf: AS_OF },
        "eks-supported-version": { enforcementLevel: "mandatory", asOf: AS_OF },
    });
    const fn = (name: string, props: Record<string, unknown>) =>
        res("aws:lambda/function:Function", name, { handler: "index.handler", ...props });

    policyCases(pack, "lambda-supported-runtime", {
        compliant: [
            { resources: [fn("orders", { runtime: "nodejs22.x" })] },
            // A container image carries its own runtime; a runtime newer than the table is not judged.
            { resources: [fn("image", { packageType: "Image", imageUri: "123.dkr.ecr/x:1" })] },
            { resources: [fn("next", { runtime: "nodejs26.x" })] },
        ],
        violating: [
            (() => {
                const f = fn("legacy", { runtime: "nodejs18.x" });
                return {
                    resources: [f],
                    flagged: [f],
                    message:
                        /runtime "nodejs18\.x" was deprecated on 2025-09-01 \(https:\/\/docs\.aws\.amazon\.com\/lambda/,
                };
            })(),
            (() => {
                const f = fn("ruby", { runtime: "ruby3.2" });
                return { resources: [f], flagged: [f], message: /"ruby3\.2" was deprecated on 2026-03-31/ };
            })(),
        ],
        unknown: [{ resources: [fn("orders", { runtime: UNKNOWN })] }],
    });

    policyCases(pack, "eks-supported-version", {
        compliant: [
            { resources: [res("aws:eks/cluster:Cluster", "current", { version: "1.35" })] },
            { resources: [res("eks:index:Cluster", "default-version", {}, { component: true })] },
        ],
        violating: [
            (() => {
                const c = res("eks:index:Cluster", "postech-eks", { version: "1.33" }, { component: true });
                return {
                    resources: [c],
                    flagged: [c],
                    message:
                        /"1\.33" left standard support on 2026-07-29 and .* paid extended support until 2027-07-29/,
                };
            })(),
            (() => {
                const c = res("aws:eks/cluster:Cluster", "old", { version: "1.31" });
                return {
                    resources: [c],
                    flagged: [c],
                    message: /its extended support ended on 2026-11-26 \(EKS upgrades such clusters itself\)/,
                };
            })(),
        ],
        unknown: [{ resources: [res("aws:eks/cluster:Cluster", "c", { version: UNKNOWN })] }],
    });

    it("judges at today's date when asOf is not set (the policies' default)", async () => {
        await pack.configure({});
        try {
            const vs = await pack.run([fn("ancient", { runtime: "nodejs6.10" })]);
            assert.deepStrictEqual(
                vs.filter((v) => v.policyName === "lambda-supported-runtime").map((v) => v.enforcementLevel),
                ["mandatory"],
            );
        } finally {
            await pack.configure({
                "lambda-supported-runtime": { enforcementLevel: "mandatory", asOf: AS_OF },
                "eks-supported-version": { enforcementLevel: "mandatory", asOf: AS_OF },
            });
        }
    });
});
