import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ASSET_SIG, MASKED_SECRET, SECRET_SIG, SECRET_SIG_KEY, toPlanValue } from "../../tools/lib/plan-runner";
import { loadStackSettings, SECRET_PLACEHOLDER, StackSettingsError } from "../../tools/lib/stack-config";
import { ROOT, runPlanCli, stackPlan, TS_NODE } from "../support/plan";

const devYaml = () => fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");

describe("npm run plan", () => {
    it("writes a pulumi stack export (v3) whose parents, providers and dependencies all resolve", () => {
        const plan = stackPlan("dev");
        assert.strictEqual(plan.document.version, 3);
        assert.match(plan.document.deployment.manifest.version, /^@pulumi\/pulumi 3\.\d+\.\d+ \(offline plan\)$/);
        const urns = new Set(plan.resources.map((r) => r.urn));
        assert.strictEqual(urns.size, plan.resources.length, "URNs are unique");
        const [stackResource] = plan.resources;
        assert.strictEqual(stackResource.urn, "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev");
        for (const r of plan.resources.slice(1)) {
            if (!r.type.startsWith("pulumi:providers:"))
                assert.ok(r.parent && urns.has(r.parent), `${r.urn} parent ${r.parent}`);
            for (const d of [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()])
                assert.ok(urns.has(d), `${r.urn} depends on unknown ${d}`);
            if (r.custom && !r.type.startsWith("pulumi:providers:")) {
                assert.ok(r.id, `${r.urn} has no id`);
                const provider = r.provider!.split("::").slice(0, -1).join("::");
                assert.ok(urns.has(provider), `${r.urn} provider ${r.provider}`);
            }
        }
    });

    it("gives URNs the engine's parent type chain", () => {
        const subnet = stackPlan("dev").one("aws:ec2/subnet:Subnet", "foundation-network-private-az1");
        assert.strictEqual(
            subnet.urn,
            "urn:pulumi:dev::platform::platform:foundation:Foundation$platform:network:Network$aws:ec2/subnet:Subnet::foundation-network-private-az1",
        );
    });

    it("records property dependencies (the subnet's vpcId comes from the VPC)", () => {
        const plan = stackPlan("dev");
        const subnet = plan.one("aws:ec2/subnet:Subnet", "foundation-network-private-az1");
        assert.deepStrictEqual(subnet.propertyDependencies!.vpcId, [
            plan.one("aws:ec2/vpc:Vpc", "foundation-network-vpc").urn,
        ]);
    });

    it("puts the us-east-1 provider in the graph for CloudFront's certificates and WAF", () => {
        const providers = stackPlan("dev").ofType("pulumi:providers:aws");
        assert.deepStrictEqual(providers.map((p) => p.inputs!.region).sort(), ["sa-east-1", "us-east-1"]);
    });

    it("exposes the foundation as stack outputs", () => {
        const outputs = stackPlan("prod").outputs;
        assert.strictEqual(outputs.region, "sa-east-1");
        assert.strictEqual(outputs.environment, "prod");
        assert.deepStrictEqual(Object.keys(outputs.subnetIds).sort(), ["isolated", "private", "public"]);
        assert.strictEqual(outputs.subnetIds.isolated.length, 3);
        assert.deepStrictEqual(Object.keys(outputs.kmsKeyArns).sort(), ["data", "logs", "messaging", "secrets"]);
    });

    it("fails on an invalid stack file with every message, exit 2, and writes nothing", () => {
        const bad = devYaml()
            .replace("platform:azCount: 2", "platform:azCount: 9")
            .replace("platform:natGateways: single", "platform:natGateways: both")
            .replace("platform:vpcCidr: 10.10.0.0/16", "platform:vpcCidr: 10.16.0.0/12");
        const run = runPlanCli("dev", { stackYaml: bad });
        assert.strictEqual(run.status, 2, run.stderr);
        assert.strictEqual(run.plan, undefined);
        assert.ok(run.stderr.includes("error: the program failed for stack 'dev'; nothing was written."), run.stderr);
        for (const line of [
            '  - platform:vpcCidr: must have a prefix length from /16 to /20 (the subnet layout cuts it in three tiers); got "10.16.0.0/12"',
            "  - platform:azCount: must be from 2 to 6; got 9",
            '  - platform:natGateways: must be single or per-az; got "both"',
        ])
            assert.ok(run.stderr.includes(line), `missing: ${line}\n${run.stderr}`);
    });

    it("fails like the Pulumi CLI when a declared key has the wrong type or is missing, and reports the program's own validation in the same run", () => {
        const bad = devYaml()
            .replace("platform:azCount: 2", "platform:azCount: [2]")
            .replace("platform:natGateways: single", "platform:natGateway: single")
            .replace(/\n\s*platform:environment: dev/, "");
        const run = runPlanCli("dev", { stackYaml: bad });
        assert.strictEqual(run.status, 2);
        assert.strictEqual(run.plan, undefined);
        for (const line of [
            "error: the stack configuration is invalid:",
            "  - Pulumi.dev.yaml: missing required configuration key 'platform:natGateways'",
            "error: the program failed for stack 'dev'; nothing was written.",
            "  - platform:natGateway: unknown key; probably meant platform:natGateways, which is not set",
            "  - platform:environment: required; set it in Pulumi.dev.yaml (pulumi config set environment <value>)",
        ])
            assert.ok(run.stderr.includes(line), `missing: ${line}\n${run.stderr}`);
        assert.ok(
            run.stderr.includes("Pulumi.dev.yaml: missing required configuration key 'platform:environment'"),
            run.stderr,
        );
        assert.ok(
            run.stderr.includes(
                "Pulumi.dev.yaml: 'platform:azCount' is declared as integer in Pulumi.yaml but the stack sets a array",
            ),
            run.stderr,
        );
    });

    it("rejects a missing stack file and bad arguments", () => {
        const run = runPlanCli("qa");
        assert.strictEqual(run.status, 2);
        assert.match(run.stderr, /Pulumi\.qa\.yaml: file not found/);
        const noStack = runPlanCli("dev", { extraArgs: ["--bogus"] });
        assert.strictEqual(noStack.status, 64);
        assert.match(noStack.stderr, /Unknown option '--bogus'/);
    });

    it("prints a summary per architecture, component and type", () => {
        const run = runPlanCli("prod");
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /Plan of stack 'prod' \(project platform\): \d+ resources/);
        assert.match(run.stdout, /\n {2}foundation +\d+\n/);
        assert.match(run.stdout, /\n {4}platform:network:Network foundation-network +\d+\n/);
        assert.match(run.stdout, /\n {2}aws:ec2\/subnet:Subnet +9\n/);
        assert.match(run.stdout, /\n {2}aws:ec2\/natGateway:NatGateway +3\n/);
    });
});

describe("stack settings (what the CLI does before the program starts)", () => {
    const scratch = (
        stackYaml: string,
        projectYaml = "name: demo\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n    default: 2\n  name:\n    type: string\n  token:\n    type: string\n    secret: true\n",
    ) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml);
        fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), stackYaml);
        return dir;
    };

    it("applies project defaults, stringifies values and hides secure values behind a placeholder", () => {
        const s = loadStackSettings(
            scratch("config:\n  demo:name: x\n  demo:token:\n    secure: AAABAKx==\n  demo:nested:\n    a: [1, 2]\n"),
            "s",
        );
        assert.deepStrictEqual(s.config, {
            "demo:size": "2",
            "demo:name": "x",
            "demo:token": SECRET_PLACEHOLDER,
            "demo:nested": '{"a":[1,2]}',
        });
        assert.deepStrictEqual(s.secretKeys, ["demo:token"]);
    });

    it("accepts the strings `pulumi config set` writes for integers", () => {
        const s = loadStackSettings(
            scratch('config:\n  demo:name: x\n  demo:size: "3"\n  demo:token:\n    secure: v1:abc\n'),
            "s",
        );
        assert.strictEqual(s.config["demo:size"], "3");
    });

    it("reports every problem: missing key, wrong type, secret set in plain text", () => {
        try {
            loadStackSettings(scratch("config:\n  demo:size: big\n  demo:token: plain\n"), "s");
            assert.fail("accepted");
        } catch (err) {
            assert.ok(err instanceof StackSettingsError);
            assert.deepStrictEqual(err.problems, [
                "Pulumi.s.yaml: 'demo:size' is declared as integer in Pulumi.yaml but the stack sets a string",
                "Pulumi.s.yaml: missing required configuration key 'demo:name' (no description); set it with `pulumi config set name <value>`",
                "Pulumi.s.yaml: 'demo:token' must be set as a secret (`pulumi config set --secret token <value>`)",
            ]);
        }
    });
});

describe("plan values", () => {
    it("replaces the text of string assets by its SHA-256 hash and drops the mocks' markers", () => {
        const asset = { [SECRET_SIG_KEY]: ASSET_SIG, __pulumiAsset: true, text: "exports.handler = async () => 1;" };
        assert.deepStrictEqual(toPlanValue({ code: { assets: { "index.js": asset } } }), {
            code: {
                assets: {
                    "index.js": {
                        [SECRET_SIG_KEY]: ASSET_SIG,
                        hash: "963c7a2df68ba4a8f3485f083cdcdb23d57d20f77431aa8afb78fdc9f079df09",
                    },
                },
            },
        });
    });

    it("replaces every secret value, at any depth, by the masked marker and keeps the secret signature", () => {
        const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
        assert.deepStrictEqual(toPlanValue({ a: secret("hunter2"), b: [1, { c: secret({ d: "x" }) }], e: "plain" }), {
            a: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: MASKED_SECRET },
            b: [1, { c: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: MASKED_SECRET } }],
            e: "plain",
        });
    });
});

/** Plans a program of `test/fixtures/<name>` (stack `test`) the way `npm run plan` does. */
function planFixture(name: string) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`)), "plan.json");
    const r = spawnSync(
        process.execPath,
        [
            ...TS_NODE,
            path.join(ROOT, "tools", "plan.ts"),
            "--stack",
            "test",
            "--project",
            path.join(ROOT, "test", "fixtures", name),
            "--out",
            out,
            "--no-policy",
        ],
        { cwd: ROOT, encoding: "utf8", timeout: 90_000 },
    );
    return { ...r, written: fs.existsSync(out) };
}

describe("reproducible plans", () => {
    // npm run plans:snapshot compares plans byte for byte: the manifest's time is the only value that
    // differs between two runs of the same program, and SOURCE_DATE_EPOCH fixes it.
    it("takes the manifest's time from SOURCE_DATE_EPOCH", function () {
        this.timeout(120_000);
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "epoch-")), "plan.json");
        const project = path.join(ROOT, "tools", "bench", "synthetic");
        const args = ["--stack", "synthetic", "--project", project, "--out", out, "--no-policy"];
        const r = spawnSync(process.execPath, [...TS_NODE, path.join(ROOT, "tools", "plan.ts"), ...args], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, SOURCE_DATE_EPOCH: "86400" },
        });
        assert.strictEqual(r.status, 0, r.stderr);
        const plan = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(plan.deployment.manifest.time, "1970-01-02T00:00:00.000Z");
    });
});

describe("program errors reach the user with exit 2", () => {
    it("fails the plan of a program that turns an Output into a string", () => {
        const r = planFixture("output-string");
        assert.strictEqual(r.status, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /Calling \[toString\] on an \[Output<T>\] is not supported/);
        assert.strictEqual(r.written, false);
    });

    // Without tools/runtime/inspect-guard.cjs the program never ends (Node's util.inspect loops on the
    // SDK's source-mapped frames) and this run times out.
    it("reports an error thrown inside an apply, with its message, and writes nothing", () => {
        const r = planFixture("apply-error");
        assert.strictEqual(r.status, 2, r.stdout + r.stderr);
        assert.ok(r.stderr.includes("error: the program failed for stack 'test'; nothing was written."), r.stderr);
        assert.match(r.stderr, /Error: apply-error fixture: the key [0-9a-f-]{36} was refused inside an apply/);
        assert.strictEqual(r.written, false);
    });
});

describe("remote components and declared secret outputs", () => {
    it("records the inputs of a remote component (awsx) so tests and policies see them", () => {
        const image = stackPlan("dev").ofType("awsx:ecr:Image")[0];
        assert.ok(image, "the dev plan builds the mtls-api gateway image");
        assert.strictEqual(image.custom, false);
        assert.strictEqual(image.inputs!.context, path.join(ROOT, "apps", "gateway"));
        assert.strictEqual(image.inputs!.imageTag, "1.0.0");
    });

    it("masks every TLS private key in the plan", () => {
        for (const key of stackPlan("dev").ofType("tls:index/privateKey:PrivateKey")) {
            assert.deepStrictEqual(key.outputs!.privateKeyPem, {
                [SECRET_SIG_KEY]: SECRET_SIG,
                ciphertext: MASKED_SECRET,
            });
        }
        assert.ok(
            !JSON.stringify(stackPlan("dev").document).includes("PRIVATE KEY-----\\n"),
            "a private key PEM appears in the plan",
        );
    });
});
