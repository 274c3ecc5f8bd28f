import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { ESLint } from "eslint";
import { parse } from "yaml";
import { ciRoleName, previewEnvironment } from "../bootstrap/ci-access";
import { ROOT } from "./support/plan";

const DIR = path.join(ROOT, ".github", "workflows");
const read = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
const load = (file: string): Workflow => parse(read(file)) as Workflow;

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string };
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    strategy?: { matrix: { stack: string[] } };
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

/** Action majors the workflows pin (checked against each action's releases in the search corpus, 2026). */
const MAJORS: Record<string, string> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "actions/upload-artifact": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "pulumi/actions": "v7",
};

const step = (job: Job, uses: string) => {
    const found = job.steps.filter((s) => s.uses?.startsWith(`${uses}@`));
    assert.strictEqual(found.length, 1, `one ${uses} step`);
    return found[0];
};
const runs = (job: Job) => job.steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim());

describe("GitHub Actions workflows", () => {
    const files = fs
        .readdirSync(DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();

    it("are exactly pull-request.yml and deploy.yml", () => {
        assert.deepStrictEqual(files, ["deploy.yml", "pull-request.yml"]);
    });

    for (const file of ["deploy.yml", "pull-request.yml"]) {
        describe(file, () => {
            it("passes action-validator (the workflow JSON schema)", () => {
                const result = validateWorkflow(read(file));
                assert.deepStrictEqual(result.errors, []);
            });

            it("pins every action to its current major and installs with the npm cache keyed on the lock file", () => {
                const workflow = load(file);
                for (const [name, job] of Object.entries(workflow.jobs)) {
                    for (const s of job.steps.filter((x) => x.uses)) {
                        const [action, ref] = s.uses!.split("@");
                        assert.strictEqual(ref, MAJORS[action], `${name}: ${s.uses}`);
                    }
                    const node = step(job, "actions/setup-node");
                    assert.deepStrictEqual(
                        node.with,
                        { "node-version": "20", cache: "npm", "cache-dependency-path": "package-lock.json" },
                        name,
                    );
                    assert.ok(runs(job).includes("npm ci --no-audit --no-fund"), `${name} installs with npm ci`);
                }
            });

            it("uses no static AWS keys and grants only contents: read at the top", () => {
                const text = read(file);
                assert.doesNotMatch(
                    text,
                    /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\.AWS_/,
                );
                const workflow = load(file);
                assert.deepStrictEqual(workflow.permissions, { contents: "read" });
                assert.deepStrictEqual(workflow.env, { PULUMI_ERROR_OUTPUT_STRING: "true" });
                for (const [name, job] of Object.entries(workflow.jobs)) {
                    const aws = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                    if (aws.length === 0) {
                        assert.strictEqual(
                            job.permissions?.["id-token"],
                            undefined,
                            `${name} does not ask for an OIDC token it does not use`,
                        );
                        continue;
                    }
                    assert.strictEqual(job.permissions!["id-token"], "write", name);
                    assert.deepStrictEqual(
                        Object.keys(aws[0].with!).sort(),
                        [
                            "aws-region",
                            "role-session-name",
                            "role-to-assume",
                            ...(file === "deploy.yml" ? ["role-duration-seconds"] : []),
                        ].sort(),
                    );
                }
            });
        });
    }

    describe("pull requests", () => {
        const wf = load("pull-request.yml");

        it("run on pull requests to main: lint, tests, offline plans, then previews", () => {
            assert.deepStrictEqual(wf.on, { pull_request: { branches: ["main"] } });
            assert.deepStrictEqual(Object.keys(wf.jobs), ["lint", "test", "plan", "plan-bootstrap", "preview"]);
            assert.deepStrictEqual(runs(wf.jobs.lint).slice(-1), ["npm run lint"]);
            assert.deepStrictEqual(runs(wf.jobs.test).slice(-1), ["npm test"]);
            assert.deepStrictEqual(wf.jobs.preview.needs, ["lint", "test", "plan", "plan-bootstrap"]);
        });

        it("plan every stack with the policy check (never --no-policy), and the bootstrap against its policy config", () => {
            assert.deepStrictEqual(wf.jobs.plan.strategy!.matrix.stack, ["dev", "prod"]);
            assert.ok(runs(wf.jobs.plan).includes("npm run plan -- --stack ${{ matrix.stack }}"));
            assert.deepStrictEqual(runs(wf.jobs["plan-bootstrap"]).slice(-1), [
                "npm run plan -- --project bootstrap --stack shared --policy-config bootstrap/policy-config.json",
            ]);
            for (const job of Object.values(wf.jobs))
                for (const r of runs(job))
                    if (r.startsWith("npm run plan -- --stack")) assert.doesNotMatch(r, /--no-policy/);
        });

        it("preview dev and prod with the local policy pack and each environment's config, and comment on the PR", () => {
            const preview = wf.jobs.preview;
            assert.deepStrictEqual(preview.strategy!.matrix.stack, ["dev", "prod"]);
            assert.deepStrictEqual(preview.permissions, {
                contents: "read",
                "id-token": "write",
                "pull-requests": "write",
            });
            assert.strictEqual(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
            const pulumi = step(preview, "pulumi/actions");
            assert.deepStrictEqual(pulumi.with, {
                command: "preview",
                "stack-name": "${{ matrix.stack }}",
                "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
                "pulumi-version": "^3.248.0",
                policyPacks: "policy-pack",
                policyPackConfigs: "policy-pack/config/${{ matrix.stack }}.json",
                diff: true,
                "comment-on-pr": true,
                "github-token": "${{ secrets.GITHUB_TOKEN }}",
            });
            for (const stack of preview.strategy!.matrix.stack)
                assert.ok(
                    fs.existsSync(path.join(ROOT, "policy-pack", "config", `${stack}.json`)),
                    `policy config of ${stack}`,
                );
            assert.strictEqual(
                step(preview, "aws-actions/configure-aws-credentials").with!["role-to-assume"],
                "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/pulumi-ci-${{ matrix.stack }}-preview",
            );
            assert.strictEqual(
                `pulumi-ci-\${{ matrix.stack }}-preview`,
                ciRoleName("${{ matrix.stack }}", "preview"),
                "the role the bootstrap creates",
            );
        });

        it("run each preview in the GitHub environment its preview role trusts (<stack>-preview)", () => {
            assert.strictEqual(wf.jobs.preview.environment, previewEnvironment("${{ matrix.stack }}"));
        });

        it("let a newer push replace a running preview, per stack and pull request", () => {
            assert.deepStrictEqual(wf.jobs.preview.concurrency, {
                group: "pulumi-preview-${{ matrix.stack }}-pr-${{ github.event.pull_request.number }}",
                "cancel-in-progress": true,
            });
            for (const [name, job] of Object.entries(wf.jobs)) {
                if (name !== "preview") assert.strictEqual(job.concurrency, undefined, name);
            }
        });
    });

    describe("deploys", () => {
        const wf = load("deploy.yml");

        it("run on pushes to main: up dev, then up prod behind the prod environment's approval", () => {
            assert.deepStrictEqual(wf.on, { push: { branches: ["main"] } });
            assert.deepStrictEqual(Object.keys(wf.jobs), ["up-dev", "up-prod"]);
            assert.strictEqual(wf.jobs["up-dev"].environment, "dev");
            assert.strictEqual(wf.jobs["up-prod"].environment, "prod");
            assert.strictEqual(wf.jobs["up-prod"].needs, "up-dev");
        });

        for (const stack of ["dev", "prod"]) {
            it(`${stack}: one never-cancelled concurrency group, the deploy role of its environment, up with the policy pack`, () => {
                const job = wf.jobs[`up-${stack}`];
                assert.deepStrictEqual(job.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
                assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
                const aws = step(job, "aws-actions/configure-aws-credentials").with!;
                assert.strictEqual(
                    aws["role-to-assume"],
                    `arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${ciRoleName(stack, "deploy")}`,
                );
                assert.strictEqual(aws["role-duration-seconds"], 14400);
                assert.deepStrictEqual(step(job, "pulumi/actions").with, {
                    command: "up",
                    "stack-name": stack,
                    "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
                    "pulumi-version": "^3.248.0",
                    policyPacks: "policy-pack",
                    policyPackConfigs: `policy-pack/config/${stack}.json`,
                    diff: true,
                });
                // The offline plan and policy check run before the credentials are even requested.
                const order = job.steps.map((s) => s.run ?? s.uses ?? "");
                assert.ok(
                    order.indexOf(`npm run plan -- --stack ${stack}`) >= 0 &&
                        order.indexOf(`npm run plan -- --stack ${stack}`) <
                            order.findIndex((s) => s.startsWith("aws-actions/")),
                );
            });
        }

        it("give each stack its own group", () => {
            const groups = Object.values(wf.jobs).map((j) => j.concurrency!.group);
            assert.strictEqual(new Set(groups).size, groups.length);
        });
    });

    it("runs the jobs that reach the Kubernetes API on the repository's DEPLOY_RUNNER (fixed egress addresses)", () => {
        const runner = "${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}";
        const runsOn = (file: string, job: string) => (load(file).jobs[job] as Job & { "runs-on": string })["runs-on"];
        assert.deepStrictEqual(
            [runsOn("deploy.yml", "up-dev"), runsOn("deploy.yml", "up-prod"), runsOn("pull-request.yml", "preview")],
            [runner, runner, runner],
        );
        assert.strictEqual(runsOn("pull-request.yml", "test"), "ubuntu-latest");
    });

    it("action-validator rejects a broken workflow (the check is real)", () => {
        const broken = read("deploy.yml").replace("runs-on:", "runs_on:");
        assert.notDeepStrictEqual(validateWorkflow(broken).errors, []);
        const badPermission = read("deploy.yml").replace("id-token: write", "id-token: admin");
        assert.notDeepStrictEqual(validateWorkflow(badPermission).errors, []);
    });

    describe("the lint job's ESLint config", function () {
        this.timeout(120_000);

        it("fails an Output in a template literal (@pulumi/eslint-plugin) and unsafe any (type-checked rules)", async () => {
            // Linted as if it were tools/plan.ts, so the project service types it with the root tsconfig.
            const code = [
                'import * as pulumi from "@pulumi/pulumi";',
                'const bucketArn = pulumi.output("arn:aws:s3:::b");',
                "export const policy = `${bucketArn}/*`;",
                "export const fine = pulumi.interpolate`${bucketArn}/*`;",
                'const loose: any = JSON.parse("{}");',
                "export const x: number = loose.value;",
                "",
            ].join("\n");
            const [result] = await new ESLint({ cwd: ROOT }).lintText(code, {
                filePath: path.join(ROOT, "tools", "plan.ts"),
            });
            const found = result.messages.map((m) => `${m.line}:${m.ruleId}`);
            assert.ok(found.includes("3:@pulumi/no-output-in-template-literal"), found.join(", "));
            assert.ok(!found.some((f) => f.startsWith("4:")), `pulumi.interpolate is accepted: ${found.join(", ")}`);
            assert.ok(
                found.includes("5:@typescript-eslint/no-explicit-any") &&
                    found.includes("6:@typescript-eslint/no-unsafe-member-access"),
                found.join(", "),
            );
        });

        it("in specs, allows any (JSON documents under assertion) but keeps the Pulumi rules and floating promises", async () => {
            const code = [
                'import * as pulumi from "@pulumi/pulumi";',
                'const bucketArn = pulumi.output("arn:aws:s3:::b");',
                "export const policy = `${bucketArn}/*`;",
                'const loose: any = JSON.parse("{}");',
                "export const x: number = loose.value;",
                "Promise.resolve(1);",
                "",
            ].join("\n");
            const [result] = await new ESLint({ cwd: ROOT }).lintText(code, {
                filePath: path.join(ROOT, "test", "workflows.spec.ts"),
            });
            const found = result.messages.map((m) => `${m.line}:${m.ruleId}`);
            assert.deepStrictEqual(found, [
                "3:@pulumi/no-output-in-template-literal",
                "3:@typescript-eslint/no-base-to-string",
                "3:@typescript-eslint/restrict-template-expressions",
                "6:@typescript-eslint/no-floating-promises",
            ]);
        });

        it("ignores dependencies, build output, plans and docs", async () => {
            const eslint = new ESLint({ cwd: ROOT });
            for (const file of [
                "node_modules/yaml/dist/index.js",
                "bin/index.js",
                "plan/dev.json",
                "docs/delivery.md",
                "bootstrap/plan/shared.json",
            ]) {
                assert.strictEqual(await eslint.isPathIgnored(path.join(ROOT, file)), true, file);
            }
            assert.strictEqual(await eslint.isPathIgnored(path.join(ROOT, "bootstrap", "index.ts")), false);
            // Only the deliberately broken program that test/tools/plan.spec.ts plans is ignored, not the specs.
            assert.strictEqual(
                await eslint.isPathIgnored(path.join(ROOT, "test", "fixtures", "output-string", "index.ts")),
                true,
            );
            assert.strictEqual(await eslint.isPathIgnored(path.join(ROOT, "test", "tools", "plan.spec.ts")), false);
        });
    });
});
