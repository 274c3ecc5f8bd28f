import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalysisInput,
    DEFAULT_PACK_DIR,
    InputError,
    loadDocument,
    main,
    marshalValue,
    parsePolicyConfig,
    PolicyAnalyzer,
    reconcileConfig,
    secret,
    UNKNOWN,
    Violation,
    violationsJson,
} from "../../tools/policy-check";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const REAL = "/work/shared/testdata/real-stack-exports";
const STACK_URN = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
const PROVIDER_URN = "urn:pulumi:dev::demo::pulumi:providers:aws::default_7_48_0";
const QUEUE_URN = "urn:pulumi:dev::demo::aws:sqs/queue:Queue::orders";
const BUCKET_URN = "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::assets";

/**
 * What every test queue carries besides its encryption settings: a dead-letter queue and a policy
 * that refuses plain HTTP, so only `sqs-queue-encryption` judges it.
 */
const QUEUE_BASE = {
    redrivePolicy: JSON.stringify({
        deadLetterTargetArn: "arn:aws:sqs:us-east-1:111122223333:orders-dlq",
        maxReceiveCount: 5,
    }),
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    }),
};

/** A small stack export: one unencrypted queue (mandatory violation) and a secret-bearing provider. */
function exportDoc(given: Record<string, unknown> = {}) {
    const queueInputs = { ...QUEUE_BASE, ...given };
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-21T00:00:00Z", magic: "x", version: "v3.248.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:x" } },
            resources: [
                { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                {
                    urn: PROVIDER_URN,
                    custom: true,
                    id: "p-1",
                    type: "pulumi:providers:aws",
                    inputs: {
                        region: "us-east-1",
                        secretKey: { [SIG]: SECRET, ciphertext: "v1:abc" },
                        __internal: "x",
                    },
                    outputs: {},
                },
                {
                    urn: QUEUE_URN,
                    custom: true,
                    id: "q-1",
                    type: "aws:sqs/queue:Queue",
                    inputs: queueInputs,
                    outputs: { ...queueInputs, arn: "arn:aws:sqs:us-east-1:111122223333:orders" },
                    parent: STACK_URN,
                    provider: `${PROVIDER_URN}::p-1`,
                },
                // A resource pending deletion is not part of the stack.
                {
                    urn: QUEUE_URN.replace("orders", "old"),
                    custom: true,
                    id: "q-0",
                    type: "aws:sqs/queue:Queue",
                    inputs: {},
                    outputs: {},
                    delete: true,
                },
            ],
        },
    };
}

/** Runs the CLI in-process, capturing stdout; resolves to [exit code, stdout]. */
async function cli(args: string[]): Promise<[number, string]> {
    const out: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (...a: unknown[]) => out.push(a.join(" "));
    console.error = (...a: unknown[]) => out.push(a.join(" "));
    try {
        return [await main(args), out.join("\n")];
    } finally {
        console.log = log;
        console.error = err;
    }
}

function tmpFile(name: string, content: unknown): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
    return f;
}

describe("tools/policy-check", () => {
    describe("the pack starts as the engine starts it", () => {
        it("`node node_modules/@pulumi/pulumi/cmd/run-policy-pack 127.0.0.1:1 .` in policy-pack/ prints a port", async function () {
            this.timeout(90_000);
            const child = spawn(
                process.execPath,
                ["node_modules/@pulumi/pulumi/cmd/run-policy-pack", "127.0.0.1:1", "."],
                { cwd: DEFAULT_PACK_DIR, stdio: ["ignore", "pipe", "pipe"] },
            );
            let stderr = "";
            child.stderr.on("data", (d) => (stderr += d));
            try {
                const first = await new Promise<string>((resolve, reject) => {
                    let out = "";
                    const timer = setTimeout(() => reject(new Error(`no port after 60 s\n${stderr}`)), 60_000);
                    child.stdout.on("data", (d) => {
                        out += d;
                        if (out.includes("\n")) {
                            clearTimeout(timer);
                            resolve(out.split("\n")[0]);
                        }
                    });
                    child.on("exit", (code) => reject(new Error(`exited ${code}\n${stderr}`)));
                });
                assert.match(first, /^\d{2,5}$/);
                assert.ok(Number(first) > 0 && Number(first) < 65536);
            } finally {
                child.kill("SIGKILL");
            }
        });

        it("answers GetAnalyzerInfo with the pack name, version and every policy (unique names, descriptions)", async function () {
            this.timeout(90_000);
            const a = await PolicyAnalyzer.start();
            try {
                assert.strictEqual(a.info.name, "platform-policies");
                assert.strictEqual(
                    a.info.version,
                    JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8")).version,
                );
                assert.strictEqual(a.info.supportsConfig, true);
                const names = a.info.policies.map((p) => p.name);
                assert.strictEqual(new Set(names).size, names.length);
                for (const p of a.info.policies) {
                    assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, p.name);
                    assert.ok(p.description.length > 20 && !p.description.includes("\n"), p.name);
                }
            } finally {
                await a.close();
            }
        });
    });

    describe("loadDocument", () => {
        it("reads a stack export, skipping resources pending deletion", () => {
            const input = loadDocument(exportDoc());
            assert.strictEqual(input.format, "export");
            assert.deepStrictEqual(
                input.resources.map((r) => r.urn),
                [STACK_URN, PROVIDER_URN, QUEUE_URN],
            );
            assert.strictEqual(input.secretsProvider, "passphrase");
            assert.strictEqual(input.resources[2].provider, `${PROVIDER_URN}::p-1`);
        });

        it("reads a local-backend checkpoint", () => {
            const doc = { version: 3, checkpoint: { stack: "dev", latest: exportDoc().deployment } };
            const input = loadDocument(doc);
            assert.strictEqual(input.format, "checkpoint");
            assert.strictEqual(input.resources.length, 3);
        });

        it("reads `pulumi preview --json` steps: last newState per URN, deletes skipped, missing outputs left undefined", () => {
            const doc = {
                steps: [
                    {
                        op: "same",
                        urn: STACK_URN,
                        newState: {
                            urn: STACK_URN,
                            custom: false,
                            type: "pulumi:pulumi:Stack",
                            inputs: {},
                            outputs: {},
                        },
                    },
                    {
                        op: "create",
                        urn: QUEUE_URN,
                        newState: {
                            urn: QUEUE_URN,
                            custom: true,
                            type: "aws:sqs/queue:Queue",
                            inputs: { kmsMasterKeyId: UNKNOWN },
                        },
                    },
                    {
                        op: "delete",
                        urn: BUCKET_URN,
                        oldState: { urn: BUCKET_URN, custom: true, type: "aws:s3/bucket:Bucket", inputs: {} },
                    },
                ],
                changeSummary: { create: 1, same: 1, delete: 1 },
            };
            const input = loadDocument(doc);
            assert.strictEqual(input.format, "preview");
            assert.deepStrictEqual(
                input.resources.map((r) => r.urn),
                [STACK_URN, QUEUE_URN],
            );
            assert.strictEqual(input.resources[1].outputs, undefined);
        });

        it("rejects anything else with an InputError", () => {
            assert.throws(() => loadDocument([]), InputError);
            assert.throws(() => loadDocument({ resources: [] }), /unrecognised document/);
        });
    });

    describe("marshalValue (engine MarshalOptions: KeepUnknowns, KeepSecrets, SkipInternalKeys)", () => {
        it("turns state secrets into analyzer secrets; undecryptable ones carry the unknown value", () => {
            assert.deepStrictEqual(marshalValue({ [SIG]: SECRET, ciphertext: "v1:abc" }), secret(UNKNOWN));
            assert.deepStrictEqual(marshalValue({ [SIG]: SECRET, plaintext: '{"a":1}' }), secret({ a: 1 }));
            const b64 = Buffer.from(JSON.stringify("hunter2")).toString("base64");
            assert.deepStrictEqual(marshalValue({ [SIG]: SECRET, ciphertext: b64 }, "b64"), secret("hunter2"));
        });

        it("downgrades resource references to their id (URN when no id), keeps unknowns, drops __ keys", () => {
            const ref = {
                [SIG]: "5cf8f73096256a8f31e491e813e4eb8e",
                urn: QUEUE_URN,
                id: "q-1",
                packageVersion: "7.48.0",
            };
            assert.deepStrictEqual(marshalValue({ queue: ref, n: [1, null], u: UNKNOWN, __defaults: ["x"] }), {
                queue: "q-1",
                n: [1, null],
                u: UNKNOWN,
            });
            assert.strictEqual(
                marshalValue({ [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: QUEUE_URN, id: "" }),
                QUEUE_URN,
            );
            assert.strictEqual(marshalValue({ [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", dependencies: [] }), UNKNOWN);
        });
    });

    describe("policy config (engine ReconcilePolicyPackConfig)", () => {
        const info = {
            name: "p",
            version: "1.0.0",
            supportsConfig: true,
            policies: [
                { name: "a-b", description: "d", enforcementLevel: "mandatory" as const },
                {
                    name: "c-d",
                    description: "d",
                    enforcementLevel: "mandatory" as const,
                    configSchema: { properties: { days: { type: "integer", minimum: 1, default: 7 } }, required: [] },
                },
            ],
            initialConfig: new Map(),
        };

        it("applies defaults, then `all`, then per-policy entries", () => {
            const r = reconcileConfig(
                info,
                parsePolicyConfig({ all: "advisory", "c-d": { enforcementLevel: "mandatory", days: 3 } }, "t"),
            );
            assert.deepStrictEqual(r.get("a-b"), { enforcementLevel: "advisory", properties: undefined });
            assert.deepStrictEqual(r.get("c-d"), { enforcementLevel: "mandatory", properties: { days: 3 } });
        });

        it("rejects invalid levels and values outside the schema", () => {
            assert.throws(() => parsePolicyConfig({ "a-b": "warn" }, "t"), /"warn" is not a valid enforcement level/);
            assert.throws(
                () => reconcileConfig(info, parsePolicyConfig({ "c-d": { days: 0 } }, "t")),
                /c-d: days: must be >= 1/,
            );
            assert.throws(
                () => reconcileConfig(info, parsePolicyConfig({ "c-d": { days: "7" } }, "t")),
                /c-d: days: invalid type, expected integer/,
            );
        });

        it("config files name every policy of the pack, with valid levels", async function () {
            this.timeout(90_000);
            const a = await PolicyAnalyzer.start();
            try {
                const names = a.info.policies.map((p) => p.name).sort();
                for (const env of ["dev", "prod"]) {
                    const file = path.join(DEFAULT_PACK_DIR, "config", `${env}.json`);
                    const cfg = parsePolicyConfig(JSON.parse(fs.readFileSync(file, "utf8")), file);
                    assert.deepStrictEqual([...cfg.keys()].sort(), names, env);
                    await a.configure(cfg); // schema-valid
                }
                const prod = parsePolicyConfig(
                    JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", "prod.json"), "utf8")),
                    "prod",
                );
                // Prod is all mandatory except secret rotation, which our own secrets fail until rotation functions
                // exist (each finding accepted with its reason in policy-pack/README.md).
                assert.deepStrictEqual(
                    [...prod.entries()].filter(([, c]) => c.enforcementLevel !== "mandatory").map(([n]) => n),
                    ["secretsmanager-rotation"],
                    "prod is all mandatory but secret rotation",
                );
            } finally {
                await a.close();
            }
        });
    });

    describe("analysis through the analyzer", () => {
        let a: PolicyAnalyzer;
        before(async function () {
            this.timeout(90_000);
            a = await PolicyAnalyzer.start({ stack: "dev", project: "demo" });
            await a.configure();
        });
        after(async () => a?.close());

        it("Analyze sees inputs, AnalyzeStack sees outputs and links; findings carry the resource URN", async () => {
            const input = loadDocument(exportDoc());
            const vs = await a.check(input);
            assert.deepStrictEqual(
                vs.map((v) => [v.policyName, v.enforcementLevel, v.urn]),
                [["sqs-queue-encryption", "mandatory", QUEUE_URN]],
            );
            assert.strictEqual(
                vs[0].message,
                "SQS queues must be encrypted (KMS key or SQS-managed SSE).\nSet kmsMasterKeyId to a KMS key (or sqsManagedSseEnabled: true).",
            );
        });

        it("a preview create with an unknown input gives an advisory `can't run` and no violation", async () => {
            const input = loadDocument({
                steps: [
                    {
                        op: "create",
                        urn: QUEUE_URN,
                        newState: {
                            urn: QUEUE_URN,
                            custom: true,
                            type: "aws:sqs/queue:Queue",
                            inputs: { ...QUEUE_BASE, kmsMasterKeyId: UNKNOWN },
                        },
                    },
                ],
            });
            const vs = await a.check(input);
            assert.strictEqual(vs.length, 1);
            assert.strictEqual(vs[0].enforcementLevel, "advisory");
            assert.match(
                vs[0].message,
                /^can't run policy 'sqs-queue-encryption' from policy pack 'platform-policies@v0\.1\.0' during preview: string value at \.kmsMasterKeyId can't be known during preview$/,
            );
        });

        it("reads every real state file in shared/testdata (several provider generations) and finds the expected problems", async function () {
            this.timeout(60_000);
            const expected: Record<string, string[]> = {
                "KazamaMana__boto-pulumi-eb__stack.json": [
                    "rds-backup-retention",
                    "rds-deletion-protection",
                    "rds-force-ssl",
                    "rds-iam-authentication",
                    "rds-log-exports",
                    "rds-storage-encrypted",
                ],
                "spacedog__pulumi-test__backups__dev.1585683400547365726.json": [
                    "s3-bucket-access-logging",
                    "s3-bucket-has-public-access-block",
                    "s3-bucket-lifecycle",
                    "s3-bucket-missing-encryption",
                    "s3-bucket-ssl-requests-only",
                    "s3-bucket-versioning",
                ],
                // The bucket is encrypted inline with a KMS key (provider 1.27): not reported as unencrypted.
                "spacedog__pulumi-test__backups__dev.1585683604177893725.json": [
                    "kms-key-rotation",
                    "s3-bucket-access-logging",
                    "s3-bucket-has-public-access-block",
                    "s3-bucket-lifecycle",
                    "s3-bucket-ssl-requests-only",
                    "s3-bucket-versioning",
                ],
            };
            const files = fs.readdirSync(REAL).filter((f) => f.endsWith(".json"));
            assert.strictEqual(files.length, 8);
            for (const f of files) {
                const input: AnalysisInput = loadDocument(JSON.parse(fs.readFileSync(path.join(REAL, f), "utf8")));
                assert.ok(input.resources.length > 0, f);
                const vs: Violation[] = await a.check(input);
                for (const v of vs) {
                    assert.ok(
                        input.resources.some((r) => r.urn === v.urn),
                        `${f}: ${v.urn}`,
                    );
                }
                if (expected[f]) {
                    assert.deepStrictEqual([...new Set(vs.map((v) => v.policyName))].sort(), expected[f], f);
                }
            }
        });
    });

    describe("CLI (npm run policy)", function () {
        this.timeout(120_000);

        it("prints preview-style groups and exits 1 on a mandatory violation", async () => {
            const [code, out] = await cli([tmpFile("export.json", exportDoc())]);
            assert.strictEqual(code, 1);
            assert.match(
                out,
                /^Policies:\n {4}❌ platform-policies@v0\.1\.0 \(local: policy-pack\)\n {8}- \[mandatory\] {2}sqs-queue-encryption {2}\(aws:sqs\/queue:Queue: orders\)\n {10}SQS queues must be encrypted/m,
            );
            assert.match(out, /1 mandatory, 0 advisory violation\(s\)\./);
        });

        it("--json prints [{policyName, enforcementLevel, urn, message}] and --config can lower the level (exit 0)", async () => {
            const config = tmpFile("config.json", { "sqs-queue-encryption": "advisory" });
            const [code, out] = await cli([tmpFile("export.json", exportDoc()), "--config", config, "--json"]);
            assert.strictEqual(code, 0);
            assert.deepStrictEqual(JSON.parse(out), [
                {
                    policyName: "sqs-queue-encryption",
                    enforcementLevel: "advisory",
                    urn: QUEUE_URN,
                    message:
                        "SQS queues must be encrypted (KMS key or SQS-managed SSE).\nSet kmsMasterKeyId to a KMS key (or sqsManagedSseEnabled: true).",
                },
            ]);
        });

        it("exits 0 with a ✅ line when nothing is violated", async () => {
            const [code, out] = await cli([tmpFile("export.json", exportDoc({ sqsManagedSseEnabled: true }))]);
            assert.strictEqual(code, 0);
            assert.match(out, /✅ platform-policies@v0\.1\.0/);
        });

        it("exits 2 on unreadable input, an unrecognised document or an invalid config", async () => {
            assert.strictEqual((await cli([path.join(os.tmpdir(), "does-not-exist.json")]))[0], 2);
            assert.strictEqual((await cli([tmpFile("bad.json", "{not json")]))[0], 2);
            assert.strictEqual((await cli([tmpFile("other.json", { hello: 1 })]))[0], 2);
            assert.strictEqual(
                (
                    await cli([
                        tmpFile("e.json", exportDoc()),
                        "--config",
                        tmpFile("c.json", { "sqs-queue-encryption": "loud" }),
                    ])
                )[0],
                2,
            );
            assert.strictEqual((await cli([]))[0], 2);
        });
    });

    it("violationsJson sorts by policy, level (mandatory first), URN", () => {
        const v = (policyName: string, enforcementLevel: "advisory" | "mandatory", urn: string): Violation => ({
            policyName,
            enforcementLevel,
            urn,
            message: "m",
            policyPackName: "p",
            policyPackVersion: "1",
        });
        assert.deepStrictEqual(
            violationsJson([v("b-c", "advisory", "u2"), v("a-b", "advisory", "u1"), v("b-c", "mandatory", "u3")]).map(
                (x) => [x.policyName, x.enforcementLevel, x.urn],
            ),
            [
                ["a-b", "advisory", "u1"],
                ["b-c", "mandatory", "u3"],
                ["b-c", "advisory", "u2"],
            ],
        );
    });
});
