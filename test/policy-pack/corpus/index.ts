/**
 * Loads every corpus module in this directory and evaluates the corpus against a running
 * analyzer. Used by `tools/bench-policies.ts` (`npm run bench:policies`) and by
 * `test/policy-pack/corpus.spec.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyAnalyzer, Violation } from "../../../tools/policy-check";
import type { CorpusModule, InsecureCase, SecureCase } from "./types";

const NOT_MODULES = new Set(["index", "types", "fixtures"]);

/** Every corpus module found here, by file name (without extension), sorted. */
export function loadCorpus(): { name: string; module: CorpusModule }[] {
    return fs
        .readdirSync(__dirname)
        .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && !NOT_MODULES.has(f.replace(/\.(ts|js)$/, "")))
        .sort()
        .map((f) => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(path.join(__dirname, f)) as { corpus?: CorpusModule };
            if (!mod.corpus) {
                throw new Error(`corpus module ${f} does not export "corpus"`);
            }
            return { name: f.replace(/\.(ts|js)$/, ""), module: mod.corpus };
        });
}

/** Outcome of one insecure case. */
export interface InsecureResult {
    case: InsecureCase;
    /** True when `case.policy` reported a violation on `case.target`. */
    detected: boolean;
    /** Everything the pack reported for the case. */
    violations: Violation[];
}

/** Outcome of one secure case. */
export interface SecureResult {
    case: SecureCase;
    /** Every diagnostic the pack reported (any is a false alarm). */
    violations: Violation[];
}

/** Corpus evaluation summary. */
export interface CorpusReport {
    insecure: InsecureResult[];
    secure: SecureResult[];
    /** Detected insecure cases / all insecure cases, 0..1. */
    detectionRate: number;
    /** Secure cases with at least one diagnostic. */
    falseAlarms: SecureResult[];
}

/** Runs every case through the analyzer (one `Analyze`+`AnalyzeStack` round per case). */
export async function evaluateCorpus(analyzer: PolicyAnalyzer, modules = loadCorpus()): Promise<CorpusReport> {
    const insecureResults: InsecureResult[] = [];
    const secureResults: SecureResult[] = [];
    for (const { module } of modules) {
        for (const c of module.insecure) {
            const violations = await analyzer.check({ format: "export", resources: c.resources });
            const detected = violations.some(
                (v) =>
                    v.policyName === c.policy &&
                    v.urn === c.target.urn &&
                    v.enforcementLevel !== "disabled" &&
                    !v.message.startsWith("can't run"),
            );
            insecureResults.push({ case: c, detected, violations });
        }
        for (const c of module.secure) {
            secureResults.push({
                case: c,
                violations: await analyzer.check({ format: "export", resources: c.resources }),
            });
        }
    }
    const detected = insecureResults.filter((r) => r.detected).length;
    return {
        insecure: insecureResults,
        secure: secureResults,
        detectionRate: insecureResults.length === 0 ? 0 : detected / insecureResults.length,
        falseAlarms: secureResults.filter((r) => r.violations.length > 0),
    };
}
