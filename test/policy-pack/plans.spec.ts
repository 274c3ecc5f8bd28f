import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkPolicies, urnName, Violation } from "../../tools/policy-check";
import { stackPlan } from "../support/plan";

const PACK = path.resolve(__dirname, "..", "..", "policy-pack");

/** Rows `| stack | policy | resource | reason |` of the README's "Accepted advisory findings" table. */
function acceptedAdvisories(): { stack: string; policy: string; resource: string; reason: string }[] {
    const text = fs.readFileSync(path.join(PACK, "README.md"), "utf8");
    const section = text.slice(text.indexOf("## Accepted advisory findings"), text.indexOf("## Where things are"));
    return [...section.matchAll(/^\| (dev|prod) \| `([a-z0-9-]+)` \| `([^`]+)` \| (.+) \|$/gm)].map((m) => ({
        stack: m[1],
        policy: m[2],
        resource: m[3],
        reason: m[4],
    }));
}

describe("policy pack over the offline plans (npm run plan)", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: no mandatory violation; every advisory finding is accepted in policy-pack/README.md with a reason`, async function () {
            this.timeout(600_000);
            const plan = stackPlan(stack);
            const violations: Violation[] = await checkPolicies(plan.document, {
                configFile: path.join(PACK, "config", `${stack}.json`),
            });
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepStrictEqual(
                mandatory.map((v) => `${v.policyName} on ${v.urn}: ${v.message}`),
                [],
            );
            const accepted = acceptedAdvisories().filter((a) => a.stack === stack);
            const unexplained = violations
                .filter((v) => v.enforcementLevel === "advisory")
                .filter(
                    (v) =>
                        !accepted.some(
                            (a) => a.policy === v.policyName && a.resource === urnName(v.urn) && a.reason.length >= 20,
                        ),
                );
            assert.deepStrictEqual(
                unexplained.map((v) => `${v.policyName} on ${urnName(v.urn)}: ${v.message}`),
                [],
            );
        });
    }
});
