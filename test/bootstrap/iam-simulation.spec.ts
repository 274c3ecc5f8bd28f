/**
 * The CI roles of the bootstrap plan, simulated (iam-simulate, Service Authorization Reference data)
 * against every request the AWS provider makes for the dev, prod and bootstrap plans, and against the
 * escalation paths they must not have. See test/support/iam-simulation.ts for how requests are built and
 * bootstrap/README.md for the coverage table this spec keeps current (`npm run iam:coverage` rewrites it).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { WORKLOAD_BOUNDARY_POLICY_NAME, workloadBoundaryArn } from "../../infra/security/permissions-boundary";
import { bootstrapPlan } from "./plan";
import {
    ACCOUNT,
    assumeWithGithubToken,
    ciRole,
    coveredResources,
    Decision,
    isReadAction,
    managedPolicy,
    PARTITION,
    PlannedRequest,
    Principal,
    requestsFor,
    simulate,
    SimRequest,
} from "../support/iam-simulation";
import { Plan, policyDocument, releasedPlan, ROOT } from "../support/plan";
import { INVOKE_ACTIONS, rowFor } from "../support/provider-actions";
import { isWildcardOnlyAction } from "@cloud-copilot/iam-simulate";

const REPO = "example-org/platform";
const BOUNDARY = workloadBoundaryArn(PARTITION, ACCOUNT);
const README = path.join(ROOT, "bootstrap", "README.md");
const BEGIN = "<!-- iam-coverage:begin (npm run iam:coverage) -->";
const END = "<!-- iam-coverage:end -->";

const role = (name: string) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
const region = { "aws:RequestedRegion": "us-east-1" };

/** Per type and plan: requests simulated and allowed (deploy), reads allowed and writes denied (preview). */
interface Coverage {
    actions: Set<string>;
    requests: number;
    allowed: number;
    previewReads: number;
    previewReadsAllowed: number;
    previewWrites: number;
    previewWritesDenied: number;
}

async function decide(principal: Principal, requests: SimRequest[], resourcePolicy?: object): Promise<Decision[]> {
    return Promise.all(requests.map(async (r) => (await simulate(principal, r, resourcePolicy as never)).decision));
}

describe("IAM simulation of the CI roles over the plans", function () {
    this.timeout(600_000);

    let bootstrap: Plan;
    const plans: Record<string, Plan> = {};
    const requests: Record<string, PlannedRequest[]> = {};
    const coverage = new Map<string, Coverage>();
    const missingRows = new Set<string>();

    before(async () => {
        bootstrap = bootstrapPlan();
        // The working system: every image released and certificate issued (a superset of the first run).
        plans.dev = releasedPlan("dev");
        plans.prod = releasedPlan("prod");
        plans.bootstrap = bootstrap;
        for (const [name, plan] of Object.entries(plans)) {
            requests[name] = [];
            for (const r of coveredResources(plan)) {
                if (!rowFor(r.type)) {
                    missingRows.add(r.type);
                    continue;
                }
                requests[name].push(...(await requestsFor(plan, r)));
            }
        }
    });

    function cover(type: string): Coverage {
        let c = coverage.get(type);
        if (!c) {
            c = {
                actions: new Set(),
                requests: 0,
                allowed: 0,
                previewReads: 0,
                previewReadsAllowed: 0,
                previewWrites: 0,
                previewWritesDenied: 0,
            };
            coverage.set(type, c);
        }
        return c;
    }

    it("has a row with its source for every resource type of the dev, prod and bootstrap plans", () => {
        assert.deepStrictEqual([...missingRows].sort(), [], "add these types to test/support/provider-actions.ts");
        for (const plan of Object.values(plans)) {
            for (const r of coveredResources(plan)) {
                const row = rowFor(r.type)!;
                assert.ok(row.noAwsCalls ?? /^https:\/\//.test(row.source), `${r.type}: the row names no source`);
            }
        }
    });

    for (const env of ["dev", "prod"]) {
        it(`lets pulumi-ci-${env}-deploy create, read, update, tag and delete every resource of the ${env} plan`, async () => {
            const deploy = ciRole(bootstrap, `pulumi-ci-${env}-deploy`);
            const all = requests[env];
            const decisions = await decide(deploy, all);
            const denied: string[] = [];
            all.forEach((r, i) => {
                const c = cover(r.type);
                c.actions.add(r.action);
                c.requests++;
                if (decisions[i] === "Allowed") c.allowed++;
                else
                    denied.push(
                        `${decisions[i]}: ${r.phase} ${r.type} ${r.action} on ${r.resource} ${JSON.stringify(r.context)}`,
                    );
            });
            assert.ok(all.length > 1000, `only ${all.length} requests built for ${env}`);
            assert.deepStrictEqual([...new Set(denied)], []);
        });

        it(`lets pulumi-ci-${env}-preview make every read of a refresh of the ${env} plan and none of its writes`, async () => {
            const preview = ciRole(bootstrap, `pulumi-ci-${env}-preview`);
            const reads = requests[env].filter((r) => r.phase === "read");
            const writes = requests[env].filter((r) => r.phase !== "read" && !isReadAction(r.action));
            const [readDecisions, writeDecisions] = await Promise.all([
                decide(preview, reads),
                decide(preview, writes),
            ]);
            const problems: string[] = [];
            reads.forEach((r, i) => {
                const c = cover(r.type);
                c.previewReads++;
                if (readDecisions[i] === "Allowed") c.previewReadsAllowed++;
                else problems.push(`read ${readDecisions[i]}: ${r.type} ${r.action} on ${r.resource}`);
            });
            writes.forEach((r, i) => {
                const c = cover(r.type);
                c.previewWrites++;
                if (writeDecisions[i] !== "Allowed") c.previewWritesDenied++;
                else problems.push(`write allowed: ${r.phase} ${r.type} ${r.action} on ${r.resource}`);
            });
            assert.deepStrictEqual([...new Set(problems)], []);
        });
    }

    it("lets the preview and deploy roles make the reads of every data source the program invokes", async () => {
        const problems: string[] = [];
        for (const env of ["dev", "prod"]) {
            for (const who of [
                ciRole(bootstrap, `pulumi-ci-${env}-preview`),
                ciRole(bootstrap, `pulumi-ci-${env}-deploy`),
            ]) {
                for (const [token, entry] of Object.entries(INVOKE_ACTIONS)) {
                    for (const spec of entry.calls) {
                        const call = typeof spec === "string" ? { action: spec } : spec;
                        const resource = call.arn
                            ? call.arn({
                                  partition: PARTITION,
                                  account: ACCOUNT,
                                  region: "sa-east-1",
                                  resource: {} as never,
                                  find: () => undefined,
                              })
                            : "*";
                        const { decision } = await simulate(who, {
                            action: call.action,
                            resource,
                            context: { "aws:RequestedRegion": "sa-east-1" },
                        });
                        if (decision !== "Allowed") problems.push(`${who.arn} ${token} ${call.action}: ${decision}`);
                    }
                }
            }
        }
        assert.deepStrictEqual(problems, []);
    });

    it("keeps every write of the bootstrap plan out of the deploy roles' reach", async () => {
        const allowed: string[] = [];
        const writes = requests.bootstrap.filter(
            (r) => r.phase !== "read" && !isReadAction(r.action) && r.resource !== "*",
        );
        for (const env of ["dev", "prod"]) {
            const deploy = ciRole(bootstrap, `pulumi-ci-${env}-deploy`);
            const decisions = await decide(deploy, writes);
            writes.forEach((r, i) => {
                if (decisions[i] === "Allowed") allowed.push(`${env}: ${r.type} ${r.action} on ${r.resource}`);
            });
        }
        for (const r of requests.bootstrap) {
            const c = cover(r.type);
            c.actions.add(r.action);
        }
        assert.ok(writes.length > 100, `only ${writes.length} bootstrap writes built`);
        assert.deepStrictEqual(allowed, []);
    });

    it("passes every role of the plans only to the service it is made for", async () => {
        const services = [
            "ecs-tasks.amazonaws.com",
            "lambda.amazonaws.com",
            "states.amazonaws.com",
            "events.amazonaws.com",
            "eks.amazonaws.com",
            "ec2.amazonaws.com",
            "apigateway.amazonaws.com",
            "vpc-flow-logs.amazonaws.com",
            "monitoring.rds.amazonaws.com",
            "cognito-idp.amazonaws.com",
        ];
        const problems: string[] = [];
        let passes = 0;
        for (const env of ["dev", "prod"]) {
            const deploy = ciRole(bootstrap, `pulumi-ci-${env}-deploy`);
            for (const r of requests[env].filter((x) => x.phase === "pass-role")) {
                passes++;
                for (const service of services) {
                    const { decision } = await simulate(deploy, {
                        ...r,
                        context: { ...r.context, "iam:PassedToService": service },
                    });
                    const expected = service === r.context["iam:PassedToService"] ? "Allowed" : "denied";
                    if ((decision === "Allowed") !== (expected === "Allowed"))
                        problems.push(`${r.resource} to ${service}: ${decision}, expected ${expected}`);
                }
            }
        }
        assert.ok(passes >= 40, `only ${passes} pass-role requests`);
        assert.deepStrictEqual(problems, []);
    });

    describe("escalation paths, each denied", () => {
        let deploy: ReturnType<typeof ciRole>;
        let devPreview: ReturnType<typeof ciRole>;
        before(() => {
            deploy = ciRole(bootstrap, "pulumi-ci-dev-deploy");
            devPreview = ciRole(bootstrap, "pulumi-ci-dev-preview");
        });
        const denied = async (principal: Principal, request: SimRequest, resourcePolicy?: object) => {
            const { decision, detail } = await simulate(principal, request, resourcePolicy as never);
            assert.notStrictEqual(decision, "Error", detail);
            assert.notStrictEqual(decision, "Allowed", `${request.action} on ${request.resource} was allowed`);
        };
        const allowed = async (principal: Principal, request: SimRequest) => {
            const { decision, detail } = await simulate(principal, request);
            assert.strictEqual(decision, "Allowed", `${request.action} on ${request.resource}: ${detail}`);
        };
        const platformRole = role("ticketing-escalate-1234567");

        it("control: creates a platform role that carries the boundary", () =>
            allowed(deploy, {
                action: "iam:CreateRole",
                resource: platformRole,
                context: { ...region, "iam:PermissionsBoundary": BOUNDARY },
            }));
        it("creates a role without the platform boundary", () =>
            denied(deploy, { action: "iam:CreateRole", resource: platformRole, context: region }));
        it("creates a role with another boundary (AdministratorAccess)", () =>
            denied(deploy, {
                action: "iam:CreateRole",
                resource: platformRole,
                context: {
                    ...region,
                    "iam:PermissionsBoundary": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`,
                },
            }));
        it("puts an inline policy on a role without the boundary", () =>
            denied(deploy, { action: "iam:PutRolePolicy", resource: platformRole, context: region }));
        it("changes the trust of a role without the boundary", () =>
            denied(deploy, { action: "iam:UpdateAssumeRolePolicy", resource: platformRole, context: region }));
        it("removes the boundary from a platform role", () =>
            denied(deploy, {
                action: "iam:DeleteRolePermissionsBoundary",
                resource: platformRole,
                context: { ...region, "iam:PermissionsBoundary": BOUNDARY },
            }));
        it("replaces the boundary of a platform role with AdministratorAccess", () =>
            denied(deploy, {
                action: "iam:PutRolePermissionsBoundary",
                resource: platformRole,
                context: {
                    ...region,
                    "iam:PermissionsBoundary": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`,
                },
            }));
        for (const policy of [
            `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`,
            `arn:${PARTITION}:iam::aws:policy/IAMFullAccess`,
            `arn:${PARTITION}:iam::aws:policy/job-function/SystemAdministrator`,
            `arn:${PARTITION}:iam::${ACCOUNT}:policy/someone-elses-policy`,
        ]) {
            it(`attaches ${policy.split(":policy/")[1]} (outside the platform's prefix) to a platform role`, () =>
                denied(deploy, {
                    action: "iam:AttachRolePolicy",
                    resource: platformRole,
                    context: { ...region, "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": policy },
                }));
        }
        it("control: attaches a platform policy to a platform role with the boundary", () =>
            allowed(deploy, {
                action: "iam:AttachRolePolicy",
                resource: platformRole,
                context: {
                    ...region,
                    "iam:PermissionsBoundary": BOUNDARY,
                    "iam:PolicyARN": `arn:${PARTITION}:iam::${ACCOUNT}:policy/ticketing-reports-1234567`,
                },
            }));
        for (const [what, namePrefix] of [
            ["the IAM deploy policy", "pulumi-ci-deploy-iam"],
            ["the network deploy policy (the star-only writes)", "pulumi-ci-deploy-network"],
            ["the permissions boundary", WORKLOAD_BOUNDARY_POLICY_NAME],
        ]) {
            for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"]) {
                it(`edits ${what} (${action})`, () =>
                    denied(deploy, {
                        action,
                        resource: String(managedPolicy(bootstrap, namePrefix).outputs?.arn),
                        context: region,
                    }));
            }
        }
        for (const target of ["pulumi-ci-dev-deploy", "pulumi-ci-dev-preview", "pulumi-ci-prod-deploy"]) {
            for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"]) {
                it(`edits the CI role ${target} (${action})`, () =>
                    denied(deploy, {
                        action,
                        resource: role(target),
                        context: {
                            ...region,
                            "iam:PermissionsBoundary": BOUNDARY,
                            ...(action === "iam:AttachRolePolicy"
                                ? { "iam:PolicyARN": `arn:${PARTITION}:iam::${ACCOUNT}:policy/ticketing-x` }
                                : {}),
                        },
                    }));
            }
        }
        for (const [roleName, service] of [
            ["ticketing-ticket-task-09e2cc2", "lambda.amazonaws.com"],
            ["coffee-shop-order-workflow-role-9a5ac07", "lambda.amazonaws.com"],
            ["coffee-shop-events-order-placed-role-f2e3670", "states.amazonaws.com"],
            ["postech-eks-node-role-a5660b2", "ec2.amazonaws.com"],
            ["postech-cpf-auth-role-1ed31dc", "ec2.amazonaws.com"],
            ["pulumi-ci-dev-deploy", "lambda.amazonaws.com"],
            ["OrganizationAccountAccessRole", "ec2.amazonaws.com"],
        ]) {
            it(`passes ${roleName} to ${service}, a service it is not made for`, () =>
                denied(deploy, {
                    action: "iam:PassRole",
                    resource: role(roleName),
                    context: { ...region, "iam:PassedToService": service },
                }));
        }

        const deployTrust = () => ciRole(bootstrap, "pulumi-ci-dev-deploy").trust;
        it("control: the dev deploy role admits a job of main in the dev environment", () => {
            assert.strictEqual(
                assumeWithGithubToken(deployTrust(), role("pulumi-ci-dev-deploy"), {
                    sub: `repo:${REPO}:environment:dev`,
                    ref: "refs/heads/main",
                }),
                "Allowed",
            );
        });
        for (const [what, claims] of [
            [
                "a branch other than main, in the dev environment",
                { sub: `repo:${REPO}:environment:dev`, ref: "refs/heads/feature" },
            ],
            [
                "a branch other than main, without an environment",
                { sub: `repo:${REPO}:ref:refs/heads/feature`, ref: "refs/heads/feature" },
            ],
            ["a pull request", { sub: `repo:${REPO}:pull_request`, ref: "refs/pull/7/merge" }],
            ["main in the prod environment", { sub: `repo:${REPO}:environment:prod`, ref: "refs/heads/main" }],
            ["another repository's main", { sub: "repo:example-org/other:environment:dev", ref: "refs/heads/main" }],
        ] as const) {
            it(`uses the dev deploy role from ${what}`, () => {
                assert.notStrictEqual(
                    assumeWithGithubToken(deployTrust(), role("pulumi-ci-dev-deploy"), claims),
                    "Allowed",
                );
            });
        }
        it("control: a pull request's job in dev-preview assumes the dev preview role", () => {
            assert.strictEqual(
                assumeWithGithubToken(ciRole(bootstrap, "pulumi-ci-dev-preview").trust, role("pulumi-ci-dev-preview"), {
                    sub: `repo:${REPO}:environment:dev-preview`,
                    ref: "refs/pull/7/merge",
                }),
                "Allowed",
            );
        });
        it("assumes the prod preview role from a pull request without the reviewed prod-preview environment", () => {
            const trust = ciRole(bootstrap, "pulumi-ci-prod-preview").trust;
            const pr = { sub: `repo:${REPO}:pull_request`, ref: "refs/pull/7/merge" };
            assert.notStrictEqual(assumeWithGithubToken(trust, role("pulumi-ci-prod-preview"), pr), "Allowed");
            assert.strictEqual(
                assumeWithGithubToken(trust, role("pulumi-ci-prod-preview"), {
                    ...pr,
                    sub: `repo:${REPO}:environment:prod-preview`,
                }),
                "Allowed",
            );
        });
        it("decrypts prod state and secrets from a pull request (the dev preview role)", async () => {
            const prodSecretsKey = bootstrap.one("aws:kms/key:Key", "pulumi-secrets-prod-key");
            await denied(
                devPreview,
                {
                    action: "kms:Decrypt",
                    resource: String(prodSecretsKey.outputs?.arn),
                    context: { "aws:RequestedRegion": "sa-east-1" },
                },
                policyDocument(prodSecretsKey.inputs?.policy),
            );
            const bucket = String(bootstrap.one("aws:s3/bucket:Bucket", "pulumi-state").outputs?.bucket);
            await denied(devPreview, {
                action: "s3:GetObject",
                resource: `arn:${PARTITION}:s3:::${bucket}/.pulumi/stacks/platform/prod.json`,
                context: { "aws:RequestedRegion": "sa-east-1" },
            });
        });
    });

    describe("the permissions boundary", () => {
        it("lets every statement of every workload policy in the plans through", async () => {
            const boundaryResource = managedPolicy(bootstrap, WORKLOAD_BOUNDARY_POLICY_NAME);
            const boundary = { name: "boundary", policy: policyDocument(boundaryResource.inputs?.policy) };
            const problems: string[] = [];
            let checked = 0;
            for (const env of ["dev", "prod"]) {
                const plan = plans[env];
                for (const rp of plan.ofType("aws:iam/rolePolicy:RolePolicy")) {
                    const doc = policyDocument(rp.inputs?.policy) as { Statement: Record<string, unknown>[] };
                    for (const st of doc.Statement.filter((s) => s.Effect === "Allow")) {
                        const statement = { ...st };
                        delete statement.Condition; // The workload's statement, on "*" for the actions AWS authorizes only there.
                        const principal = (onStar: boolean): Principal => ({
                            arn: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${String(rp.inputs?.role)}/workload`,
                            identityPolicies: [
                                {
                                    name: "workload",
                                    policy: {
                                        Version: "2012-10-17",
                                        Statement: [onStar ? { ...statement, Resource: "*" } : statement],
                                    },
                                },
                            ],
                            boundary,
                        });
                        for (const action of ([] as string[]).concat(st.Action as string[])) {
                            if (action.includes("*")) continue;
                            const [service, name] = action.split(":");
                            const starOnly = await isWildcardOnlyAction(service, name);
                            for (const written of ([] as string[]).concat(st.Resource as string[])) {
                                checked++;
                                // An action AWS authorizes only on "*" is asked on "*", whatever the statement names.
                                const resource = starOnly ? "*" : written;
                                const key = plan.ofType("aws:kms/key:Key").find((k) => k.outputs?.arn === resource);
                                const { decision, detail } = await simulate(principal(starOnly), {
                                    action,
                                    resource,
                                    context: { "aws:RequestedRegion": "sa-east-1" },
                                    resourcePolicy: key ? policyDocument(key.inputs?.policy) : undefined,
                                });
                                // An ARN of no resource type of the action is a mock's placeholder (generic ARNs).
                                if (
                                    decision !== "Allowed" &&
                                    !(decision === "Error" && /no\.resource\.types/.test(detail))
                                )
                                    problems.push(
                                        `${String(rp.inputs?.role)}: ${action} on ${resource}: ${decision} ${detail}`,
                                    );
                            }
                        }
                    }
                }
            }
            assert.ok(checked > 200, `only ${checked} workload requests`);
            assert.deepStrictEqual([...new Set(problems)], []);
        });

        it("is carried by every role of the dev and prod plans", () => {
            for (const env of ["dev", "prod"]) {
                for (const r of plans[env].ofType("aws:iam/role:Role")) {
                    assert.strictEqual(r.inputs?.permissionsBoundary, BOUNDARY, `${env} ${r.urn}`);
                }
            }
        });
    });

    it("bootstrap/README.md shows the current coverage table", () => {
        const table = coverageTable(coverage);
        const readme = fs.readFileSync(README, "utf8");
        const start = readme.indexOf(BEGIN);
        const end = readme.indexOf(END);
        assert.ok(start >= 0 && end > start, `bootstrap/README.md needs the markers ${BEGIN} … ${END}`);
        const current = readme.slice(start + BEGIN.length, end).trim();
        if (process.env.UPDATE_IAM_COVERAGE === "1") {
            fs.writeFileSync(README, `${readme.slice(0, start + BEGIN.length)}\n\n${table}\n\n${readme.slice(end)}`);
            return;
        }
        assert.strictEqual(current, table, "the coverage table is stale: run npm run iam:coverage");
    });
});

/** The Markdown coverage table: per resource type, actions, requests simulated and their outcome. */
function coverageTable(coverage: Map<string, Coverage>): string {
    const rows = [...coverage.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce(
        (t, [, c]) => ({
            requests: t.requests + c.requests,
            allowed: t.allowed + c.allowed,
            reads: t.reads + c.previewReads,
            readsAllowed: t.readsAllowed + c.previewReadsAllowed,
            writes: t.writes + c.previewWrites,
            writesDenied: t.writesDenied + c.previewWritesDenied,
        }),
        { requests: 0, allowed: 0, reads: 0, readsAllowed: 0, writes: 0, writesDenied: 0 },
    );
    const lines = [
        "| Resource type | Actions | Deploy requests (dev + prod) | Allowed | Preview reads allowed | Preview writes denied |",
        "|---|---:|---:|---:|---:|---:|",
        ...rows.map(
            ([type, c]) =>
                `| \`${type}\` | ${c.actions.size} | ${c.requests} | ${c.allowed} | ${c.previewReadsAllowed}/${c.previewReads} | ${c.previewWritesDenied}/${c.previewWrites} |`,
        ),
        `| **${rows.length} types** | | **${total.requests}** | **${total.allowed}** | **${total.readsAllowed}/${total.reads}** | **${total.writesDenied}/${total.writes}** |`,
    ];
    return lines.join("\n");
}
