/**
 * The platform's CrossGuard policy pack. The Pulumi engine starts it as an analyzer plugin
 * (`node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in this directory) for
 * `pulumi preview --policy-pack policy-pack`; `npm run policy` starts it the same way offline.
 * Per-environment enforcement levels: config/dev.json and config/prod.json
 * (`--policy-pack-config`). https://www.pulumi.com/docs/iac/using-pulumi/crossguard/
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("platform-policies", { policies: allPolicies });
