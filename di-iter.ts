import * as fs from "fs";
import { Plan } from "/work/wt/deploy-iam/test/support/plan";
import { ciRole, coveredResources, requestsFor, simulate, isReadAction } from "/work/wt/deploy-iam/test/support/iam-simulation";
import { rowFor } from "/work/wt/deploy-iam/test/support/provider-actions";
async function main() {
  const load = (f: string) => new Plan(JSON.parse(fs.readFileSync(f, "utf8")));
  const bootstrap = load("/tmp/di-bootstrap.json");
  const plans: Record<string, Plan> = { dev: load("/tmp/di-dev.json"), prod: load("/tmp/di-prod.json"), bootstrap };
  const missing = new Set<string>();
  const errs: string[] = [];
  for (const [env, plan] of Object.entries(plans)) {
    const reqs = [];
    for (const r of coveredResources(plan)) { if (!rowFor(r.type)) { missing.add(r.type); continue; } try { reqs.push(...(await requestsFor(plan, r))); } catch (e) { errs.push(String(e)); } }
    if (env === "bootstrap") continue;
    const deploy = ciRole(bootstrap, `pulumi-ci-${env}-deploy`);
    const preview = ciRole(bootstrap, `pulumi-ci-${env}-preview`);
    const out = new Set<string>();
    for (const r of reqs) {
      const d = await simulate(deploy, r);
      if (d.decision !== "Allowed") out.add(`DEPLOY ${d.decision}: ${r.phase} ${r.type} ${r.action} ${r.resource} ${d.detail.slice(0,300)}`);
      if (r.phase === "read") { const p = await simulate(preview, r); if (p.decision !== "Allowed") out.add(`PREVIEW-READ ${p.decision}: ${r.type} ${r.action} ${r.resource} ${p.detail.slice(0,200)}`); }
      else if (!isReadAction(r.action)) { const p = await simulate(preview, r); if (p.decision === "Allowed") out.add(`PREVIEW-WRITE allowed: ${r.type} ${r.action} ${r.resource}`); }
    }
    console.log(env, reqs.length, "requests");
    for (const o of out) console.log(o);
  }
  console.log("missing", [...missing]);
  console.log("errors", [...new Set(errs)]);
}
main();
