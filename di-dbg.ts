import * as fs from "fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { Plan } from "./test/support/plan";
import { ciRole } from "./test/support/iam-simulation";
async function main() {
  const bootstrap = new Plan(JSON.parse(fs.readFileSync("/tmp/di-bootstrap.json", "utf8")));
  const d = ciRole(bootstrap, "pulumi-ci-dev-deploy");
  const [action, resource] = process.argv.slice(2);
  const r: any = await runSimulation({ request: { principal: d.arn, action, resource: { resource, accountId: "123456789012" }, contextVariables: { "aws:RequestedRegion": "sa-east-1" } }, identityPolicies: d.identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [] }, {});
  console.log(r.overallResult, r.resultType, JSON.stringify(r.errors ?? ""));
  const ia = r.result?.analysis?.identityAnalysis;
  for (const s of [...(ia?.unmatchedStatements ?? [])]) if (s.actionMatch) console.log(JSON.stringify(s.explain).slice(0, 1500));
}
main();
