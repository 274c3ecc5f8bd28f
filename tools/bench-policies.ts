/**
 * Policy benchmark (`npm run bench:policies`): runs the corpus in test/policy-pack/corpus/
 * (realistic insecure resources, each expected to be flagged by a named policy, and secure
 * resources expected to pass the whole pack) through the pack's own analyzer, and prints the
 * detection rate, misses and false alarms, and the coverage counts of policy-pack/coverage.ts
 * (cdk-nag AwsSolutions and Security Hub FSBP: implemented, not applicable, by construction,
 * disagreed, open).
 *
 * Usage: `npm run bench:policies [-- --json] [--min-detection 0.95]`.
 * Exit: 0 when detection >= the minimum (default 0.95) and there is no false alarm, 1 otherwise,
 * 3 when the analyzer fails.
 */
import { parseArgs } from "util";
import { COVERAGE, coverageCounts } from "../policy-pack/coverage";
import { evaluateCorpus, loadCorpus } from "../test/policy-pack/corpus";
import { PolicyAnalyzer } from "./policy-check";

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: { json: { type: "boolean", default: false }, "min-detection": { type: "string", default: "0.95" } },
    });
    const minimum = Number(values["min-detection"]);
    const modules = loadCorpus();
    const started = Date.now();
    const analyzer = await PolicyAnalyzer.start({ stack: "bench", project: "platform" });
    try {
        await analyzer.configure();
        const ready = Date.now();
        const report = await evaluateCorpus(analyzer, modules);
        const detected = report.insecure.filter((r) => r.detected).length;
        const misses = report.insecure.filter((r) => !r.detected);
        const summary = {
            insecure: report.insecure.length,
            detected,
            detectionRate: Number(report.detectionRate.toFixed(4)),
            secure: report.secure.length,
            falseAlarms: report.falseAlarms.length,
            coverage: { rules: COVERAGE.length, ...coverageCounts() },
            analyzerStartMs: ready - started,
            evaluationMs: Date.now() - ready,
            misses: misses.map((m) => ({
                id: m.case.id,
                policy: m.case.policy,
                reported: m.violations.map((v) => `${v.policyName}@${v.urn.split("::").pop()}`),
            })),
            falseAlarmCases: report.falseAlarms.map((f) => ({
                id: f.case.id,
                violations: f.violations.map((v) => ({
                    policy: v.policyName,
                    level: v.enforcementLevel,
                    resource: v.urn.split("::").pop(),
                    message: v.message,
                })),
            })),
        };
        if (values.json) {
            console.log(JSON.stringify(summary, null, 2));
        } else {
            console.log(
                `Policy corpus: ${modules
                    .map((m) => `${m.name} (${m.module.insecure.length}+${m.module.secure.length})`)
                    .join(", ")}`,
            );
            console.log(
                `Detection:    ${detected}/${summary.insecure} insecure resources flagged by their policy ` +
                    `(${(report.detectionRate * 100).toFixed(1)} %)`,
            );
            console.log(`False alarms: ${summary.falseAlarms}/${summary.secure} secure cases with any diagnostic`);
            const c = summary.coverage;
            console.log(
                `Coverage:     ${c.rules} cdk-nag AwsSolutions rules and FSBP controls for our types: ` +
                    `${c.policy} implemented, ` +
                    `${c["not-applicable"]} not applicable, ${c.elsewhere} by construction, ${c.disagree} ` +
                    `disagreed, ${c.open} open`,
            );
            console.log(
                `Time:         analyzer start ${summary.analyzerStartMs} ms, ` +
                    `${summary.insecure + summary.secure} cases in ${summary.evaluationMs} ms`,
            );
            for (const m of summary.misses)
                console.log(`  MISS ${m.id} (expected ${m.policy}; got ${m.reported.join(", ") || "nothing"})`);
            for (const f of summary.falseAlarmCases)
                for (const v of f.violations)
                    console.log(
                        `  FALSE ALARM ${f.id}: [${v.level}] ${v.policy} on ${v.resource}: ` +
                            `${v.message.split("\n").pop()}`,
                    );
        }
        return report.detectionRate >= minimum && report.falseAlarms.length === 0 ? 0 : 1;
    } finally {
        await analyzer.close();
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(`error: ${(e as Error).stack ?? e}`);
        process.exit(3);
    },
);
