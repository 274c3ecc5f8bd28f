import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { ARCHITECTURE_NAMES } from "../../infra/config/keys";
import { ArchitectureConfigSpec } from "../../infra/config/load";
import { ARCHITECTURES } from "../../stacks";
import { EXIT, knownStacks, runPromote } from "../../tools/lib/promote";
import { classifyChange, compareSemver, parseSemver } from "../../tools/lib/promote-version";
import { readReleases, renderScalar, writeReleases } from "../../tools/lib/promote-yaml";
import { ROOT, TS_NODE } from "../support/plan";

const DIGEST_A = `sha256:${"a".repeat(64)}`;
const DIGEST_B = `sha256:${"b".repeat(64)}`;

/** A registry with one architecture (names of the real one, workloads of our own): independent of stacks/. */
const SPECS: Record<string, ArchitectureConfigSpec> = { "mtls-api": { workloads: ["gateway", "api", "worker"] } };

const stackYaml = (
    environment: "dev" | "prod",
    releases: string,
) => `# ${environment}: fixture stack for the promotion tests.
config:
  aws:region: sa-east-1
  platform:environment: ${environment}
  platform:architectures: [mtls-api]   # only the fixture architecture
  platform:vpcCidr: ${environment === "dev" ? "10.10.0.0/16" : "10.20.0.0/16"}
  platform:azCount: 2
  platform:natGateways: single
  platform:logRetentionDays: 30
  platform:protect: ${environment === "prod"}${environment === "prod" ? "\n  platform:alarmEmail: ops@example.com" : ""}
  platform:tags: {CostCenter: "platform-${environment}"}

  # Releases: promoted with npm run promote.
${releases}
  # end of file
`;

const DEV_RELEASES = `  platform:releases:
    # nginx mutual-TLS gateway
    gateway: "1.4.0" # built by CI
    api: ${DIGEST_B}
    worker: '2.1.0'`;

const PROD_RELEASES = `  platform:releases:
    # nginx mutual-TLS gateway
    gateway:   "1.3.2"   # last week's
    api: '${DIGEST_A}'
    worker: 2.1.0 # stays`;

interface Project {
    dir: string;
    file(stack: string): string;
    read(stack: string): string;
}

/**
 * The real Pulumi.yaml, or (default) the real one without the architectures' own keys: fixture stacks
 * then need only the foundation keys, whatever the architectures declare.
 */
function projectYaml(real: boolean): string {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    if (real) return text;
    const doc = parseDocument(text);
    for (const name of ARCHITECTURE_NAMES) doc.deleteIn(["config", name]);
    return doc.toString();
}

/** Scratch projects of this run, removed after the tests. */
const scratch: string[] = [];
after(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>, options: { realProject?: boolean } = {}): Project {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promote-test-"));
    scratch.push(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml(options.realProject ?? false));
    for (const [stack, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return {
        dir,
        file: (s) => path.join(dir, `Pulumi.${s}.yaml`),
        read: (s) => fs.readFileSync(path.join(dir, `Pulumi.${s}.yaml`), "utf8"),
    };
}

function promote(p: Project, args: string[], specs: Record<string, ArchitectureConfigSpec> = SPECS) {
    const out: string[] = [];
    const err: string[] = [];
    const code = runPromote([...args, "--project", p.dir], {
        specs,
        io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run promote", () => {
    describe("promotion", () => {
        it("copies every release into the target, in the target's quoting, and changes nothing else", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });
            const run = promote(p, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.strictEqual(
                p.read("prod"),
                stackYaml(
                    "prod",
                    `  platform:releases:
    # nginx mutual-TLS gateway
    gateway:   "1.4.0"   # last week's
    api: '${DIGEST_B}'
    worker: 2.1.0 # stays`,
                ),
            );
            assert.strictEqual(p.read("dev"), stackYaml("dev", DEV_RELEASES), "the source is never written");
            assert.match(run.out, /gateway\s+1\.3\.2\s+->\s+1\.4\.0\s+upgrade/);
            assert.match(run.out, new RegExp(`api\\s+${DIGEST_A}\\s+->\\s+${DIGEST_B}\\s+unordered`));
            assert.match(run.out, /worker\s+2\.1\.0\s+->\s+2\.1\.0\s+unchanged/);
            assert.match(run.out, /^--- a\/Pulumi\.prod\.yaml$/m);
            assert.match(run.out, /^- {4}gateway: {3}"1\.3\.2" {3}# last week's$/m);
            assert.match(run.out, /^\+ {4}gateway: {3}"1\.4\.0" {3}# last week's$/m);
            assert.match(run.out, /^Wrote Pulumi\.prod\.yaml \(2 releases\)/m);
        });

        it("turns an empty target map into a block map with the source's quoting, keeping the comment on the key", () => {
            const p = project({
                dev: stackYaml("dev", DEV_RELEASES),
                prod: stackYaml("prod", "  platform:releases: {} # set by promotion"),
            });
            const run = promote(p, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.strictEqual(
                p.read("prod"),
                stackYaml(
                    "prod",
                    `  platform:releases: # set by promotion
    gateway: "1.4.0"
    api: ${DIGEST_B}
    worker: '2.1.0'`,
                ),
            );
        });

        it("keeps every comment and every other line of the real stack files", () => {
            // The committed files, with releases set in the dev copy through the yaml library (not our editor).
            const realDev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
            const realProd = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
            // A stand-in architecture under a name the registry does not implement yet, so the test does not
            // depend on which architectures exist; the real ones are validated as they are.
            const spare = ARCHITECTURE_NAMES.find((n) => !(n in ARCHITECTURES));
            const specs: Record<string, ArchitectureConfigSpec> = {
                ...(ARCHITECTURES as Record<string, ArchitectureConfigSpec>),
            };
            const extra: Record<string, string> = {};
            if (spare !== undefined) {
                specs[spare] = { workloads: ["promo-web", "promo-worker"] };
                Object.assign(extra, { "promo-web": "3.2.1", "promo-worker": DIGEST_B });
            }
            const devDoc = parseDocument(realDev);
            const releases = {
                ...((
                    devDoc.getIn(["config", "platform:releases"]) as { toJSON(): Record<string, string> } | undefined
                )?.toJSON() ?? {}),
                ...extra,
            };
            devDoc.setIn(["config", "platform:releases"], releases);
            assert.ok(Object.keys(releases).length > 0, "the dev copy has releases to promote");
            const p = project({ dev: devDoc.toString(), prod: realProd }, { realProject: true });

            const run = promote(p, ["--from", "dev", "--to", "prod"], specs);
            assert.strictEqual(run.code, EXIT.ok, `${run.err}\n${run.out}`);
            const after = p.read("prod");
            const commentLines = (text: string) =>
                text
                    .split("\n")
                    .filter((l) => /^\s*#/.test(l) || / #/.test(l))
                    .map((l) => l.slice(l.indexOf("#")));
            assert.deepStrictEqual(
                commentLines(after),
                commentLines(realProd),
                "every comment is still there, in order",
            );
            // Outside the releases map, the file is byte-identical: strip the map from both and compare.
            const withoutReleases = (text: string) => text.replace(/^( *)platform:releases:.*\n?((\1 +.*\n?)*)/m, "");
            assert.strictEqual(withoutReleases(after), withoutReleases(realProd));
            const promoted = parseDocument(after).getIn(["config", "platform:releases"]) as {
                toJSON(): Record<string, string>;
            };
            assert.deepStrictEqual(promoted.toJSON(), {
                ...((
                    parseDocument(realProd).getIn(["config", "platform:releases"]) as { toJSON(): object } | undefined
                )?.toJSON() ?? {}),
                ...releases,
            });
        });

        it("copies only the --only workloads", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });
            const run = promote(p, ["--from", "dev", "--to", "prod", "--only", "gateway"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            const releases = readReleases(p.read("prod"), "prod", "platform:releases").entries.map((e) => [
                e.workload,
                e.value,
            ]);
            assert.deepStrictEqual(releases, [
                ["gateway", "1.4.0"],
                ["api", DIGEST_A],
                ["worker", "2.1.0"],
            ]);
            assert.doesNotMatch(run.out, /^ {2}api /m, "the summary lists only the selected workloads");
        });

        it("accepts --only as a comma-separated list and repeated", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });
            const run = promote(p, ["--from", "dev", "--to", "prod", "--only", "gateway,api", "--only", "worker"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.deepStrictEqual(
                readReleases(p.read("prod"), "prod", "platform:releases").entries.map((e) => e.value),
                ["1.4.0", DIGEST_B, "2.1.0"],
            );
        });

        it("--dry-run prints the diff and writes nothing", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });
            const before = fs.statSync(p.file("prod")).mtimeMs;
            const run = promote(p, ["--from", "dev", "--to", "prod", "--dry-run"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.strictEqual(p.read("prod"), stackYaml("prod", PROD_RELEASES));
            assert.strictEqual(fs.statSync(p.file("prod")).mtimeMs, before);
            assert.deepStrictEqual(
                fs.readdirSync(p.dir).sort(),
                ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.yaml"],
                "no temporary file left behind",
            );
            assert.match(run.out, /^\+ {4}gateway: {3}"1\.4\.0"/m);
            assert.match(run.out, /Dry run: Pulumi\.prod\.yaml not written\./);
        });

        it("writes nothing when the target already has the source's releases", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", DEV_RELEASES) });
            const run = promote(p, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.strictEqual(p.read("prod"), stackYaml("prod", DEV_RELEASES));
            assert.match(run.out, /already has these releases: nothing to write/);
        });

        it("leaves workloads only the target has, and says so", () => {
            const p = project({
                dev: stackYaml("dev", `  platform:releases:\n    gateway: "1.4.0"\n    api: "1.0.0"`),
                prod: stackYaml("prod", PROD_RELEASES),
            });
            const run = promote(p, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.code, EXIT.ok, run.err);
            assert.match(run.out, /left as they are \(not in Pulumi\.dev\.yaml\): worker/);
            assert.deepStrictEqual(
                readReleases(p.read("prod"), "prod", "platform:releases").entries.map((e) => e.value),
                ["1.4.0", "1.0.0", "2.1.0"],
            );
        });
    });

    describe("refusals", () => {
        const refused = (p: Project, args: string[], code: number, message: RegExp) => {
            const before = { dev: p.read("dev"), prod: fs.existsSync(p.file("prod")) ? p.read("prod") : undefined };
            const run = promote(p, args);
            assert.strictEqual(run.code, code, `exit code; stderr: ${run.err}`);
            assert.match(run.err, message);
            assert.strictEqual(p.read("dev"), before.dev);
            if (before.prod !== undefined) assert.strictEqual(p.read("prod"), before.prod, "nothing written");
            return run;
        };
        const fixture = () => project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });

        it("a lower version than the target's (exit 1), every one named; --allow-downgrade writes it", () => {
            const p = project({
                dev: stackYaml(
                    "dev",
                    `  platform:releases:\n    gateway: "1.3.0"\n    api: "2.0.0-rc.1"\n    worker: "2.1.0"`,
                ),
                prod: stackYaml(
                    "prod",
                    `  platform:releases:\n    gateway: "1.3.2"\n    api: "2.0.0"\n    worker: "2.1.0"`,
                ),
            });
            const run = refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.downgrade,
                /gateway would go down from 1\.3\.2 \(Pulumi\.prod\.yaml\) to 1\.3\.0 \(Pulumi\.dev\.yaml\)/,
            );
            assert.match(run.err, /api would go down from 2\.0\.0 \(Pulumi\.prod\.yaml\) to 2\.0\.0-rc\.1/);
            assert.match(run.err, /pass --allow-downgrade/);
            const forced = promote(p, ["--from", "dev", "--to", "prod", "--allow-downgrade"]);
            assert.strictEqual(forced.code, EXIT.ok, forced.err);
            assert.match(forced.out, /gateway\s+1\.3\.2\s+->\s+1\.3\.0\s+DOWNGRADE/);
            assert.deepStrictEqual(
                readReleases(p.read("prod"), "prod", "platform:releases").entries.map((e) => e.value),
                ["1.3.0", "2.0.0-rc.1", "2.1.0"],
            );
        });

        it("a downgrade of a workload outside --only does not block", () => {
            const p = project({
                dev: stackYaml(
                    "dev",
                    `  platform:releases:\n    gateway: "1.5.0"\n    api: "0.9.0"\n    worker: "2.1.0"`,
                ),
                prod: stackYaml(
                    "prod",
                    `  platform:releases:\n    gateway: "1.3.2"\n    api: "1.0.0"\n    worker: "2.1.0"`,
                ),
            });
            assert.strictEqual(promote(p, ["--from", "dev", "--to", "prod", "--only", "gateway"]).code, EXIT.ok);
        });

        it("an unknown stack (exit 3)", () => {
            refused(
                fixture(),
                ["--from", "dev", "--to", "qa"],
                EXIT.unknownStack,
                /unknown stack 'qa'; this program's stacks are named after their environment: dev, staging, prod/,
            );
            refused(fixture(), ["--from", "develop", "--to", "prod"], EXIT.unknownStack, /unknown stack 'develop'/);
        });

        it("a missing stack file (exit 4)", () => {
            refused(
                fixture(),
                ["--from", "dev", "--to", "staging"],
                EXIT.unreadableFile,
                /Pulumi\.staging\.yaml \(stack 'staging'\) not found at .*Pulumi\.staging\.yaml/,
            );
            const p = fixture();
            fs.rmSync(p.file("prod"));
            refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.unreadableFile,
                /Pulumi\.prod\.yaml \(stack 'prod'\) not found/,
            );
        });

        it("a missing project file, a file that is not YAML, a source without releases (exit 4)", () => {
            const p = fixture();
            fs.rmSync(path.join(p.dir, "Pulumi.yaml"));
            refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.unreadableFile,
                /Pulumi\.yaml \(the project file\) not found/,
            );
            const q = fixture();
            fs.writeFileSync(q.file("prod"), "config:\n  platform:releases: {gateway: [\n");
            refused(q, ["--from", "dev", "--to", "prod"], EXIT.unreadableFile, /Pulumi\.prod\.yaml: not valid YAML/);
            const r = project({
                dev: stackYaml("dev", '  platform:alarmEmail: ""'),
                prod: stackYaml("prod", PROD_RELEASES),
            });
            refused(
                r,
                ["--from", "dev", "--to", "prod"],
                EXIT.unreadableFile,
                /Pulumi\.dev\.yaml sets no platform:releases: there is nothing to promote/,
            );
        });

        it("a workload that does not exist in the source (exit 5)", () => {
            refused(
                fixture(),
                ["--from", "dev", "--to", "prod", "--only", "gateway", "--only", "billing"],
                EXIT.unknownWorkload,
                /workload 'billing' has no release in Pulumi\.dev\.yaml; its platform:releases lists gateway, api, worker/,
            );
        });

        it("a target the program's validation rejects (exit 2), with the validation's own messages", () => {
            const p = project({
                dev: stackYaml(
                    "dev",
                    `  platform:releases:\n    gateway: "1.4.0 beta"\n    api: "1.0.0"\n    worker: "2.1.0"\n    billing: "1.0.0"`,
                ),
                prod: stackYaml("prod", PROD_RELEASES),
            });
            const run = refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.invalidTarget,
                /Pulumi\.prod\.yaml would not pass the program's config validation after promotion; nothing written/,
            );
            assert.match(
                run.err,
                /- platform:releases\.gateway: must be an image tag \(\[A-Za-z0-9_.-\], at most 128 characters, not starting with \. or -\) or a digest sha256:<64 hex>; got "1\.4\.0 beta"/,
            );
            assert.match(
                run.err,
                /- platform:releases\.billing: unknown workload; known workloads: api, gateway, worker/,
            );
        });

        it("a target that is invalid for another reason: promotion does not write an invalid stack (exit 2)", () => {
            const p = project({
                dev: stackYaml("dev", DEV_RELEASES),
                prod: stackYaml("prod", PROD_RELEASES).replace("platform:protect: true", "platform:protect: false"),
            });
            refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.invalidTarget,
                /- platform:protect: must be true when platform:environment is prod/,
            );
        });

        it("a source value YAML reads as a number (exit 2), with the fix", () => {
            const p = project({
                dev: stackYaml("dev", `  platform:releases:\n    gateway: 1.10\n    api: "1.0.0"\n    worker: "2.1.0"`),
                prod: stackYaml("prod", PROD_RELEASES),
            });
            refused(
                p,
                ["--from", "dev", "--to", "prod"],
                EXIT.invalidTarget,
                /Pulumi\.dev\.yaml: platform:releases\.gateway must be a string; got 1\.1 \(quote it: "1\.1"\)/,
            );
        });

        it("usage errors (exit 64)", () => {
            refused(fixture(), ["--from", "dev"], EXIT.usage, /--to is required\n[^]*usage: npm run promote/);
            refused(fixture(), ["--from", "prod", "--to", "prod"], EXIT.usage, /--from and --to are both 'prod'/);
            refused(fixture(), ["--from", "dev", "--to", "prod", "--force"], EXIT.usage, /Unknown option '--force'/);
            refused(
                fixture(),
                ["--from", "../dev", "--to", "prod"],
                EXIT.usage,
                /--from "\.\.\/dev" is not a stack name/,
            );
        });
    });

    describe("the command", () => {
        const cli = (dir: string, args: string[]) =>
            spawnSync(
                process.execPath,
                [...TS_NODE, path.join(ROOT, "tools", "promote.ts"), ...args, "--project", dir],
                { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
            );

        it("validates with the program's real architecture registry", () => {
            const p = project({
                dev: stackYaml("dev", `  platform:releases:\n    no-such-workload: "1.0.0"`),
                prod: stackYaml("prod", "  platform:releases: {}"),
            });
            const run = cli(p.dir, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.status, EXIT.invalidTarget, run.stderr);
            assert.match(run.stderr, /- platform:releases\.no-such-workload: unknown workload; known workloads: /);
            assert.strictEqual(p.read("prod"), stackYaml("prod", "  platform:releases: {}"));
        });

        it("carries a release changed in the real Pulumi.dev.yaml to a copy of the real Pulumi.prod.yaml, comments intact", () => {
            const realDev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
            const realProd = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
            const entries = readReleases(realDev, "Pulumi.dev.yaml", "platform:releases").entries;
            assert.ok(entries.length > 0, "Pulumi.dev.yaml has releases");
            const { workload, value } = entries[0];
            const version = parseSemver(String(value));
            const bumped = version ? `${version.major}.${version.minor}.${version.patch + 1n}` : DIGEST_B;
            const p = project(
                {
                    dev: writeReleases(realDev, "Pulumi.dev.yaml", "platform:releases", [{ workload, value: bumped }]),
                    prod: realProd,
                },
                { realProject: true },
            );
            const run = cli(p.dir, ["--from", "dev", "--to", "prod"]);
            assert.strictEqual(run.status, EXIT.ok, `${run.stderr}\n${run.stdout}`);
            const after = p.read("prod");
            const changed = after.split("\n").filter((line, i) => line !== realProd.split("\n")[i]);
            assert.strictEqual(changed.length, 1, `one line changed: ${changed.join(" | ")}`);
            assert.match(
                changed[0],
                new RegExp(`^\\s+${workload}: ["']?${bumped.replace(/[.]/g, "\\.")}["']?( #.*)?$`),
            );
            assert.strictEqual(after.split("\n").length, realProd.split("\n").length);
        });

        it("exits with the refusal's code", () => {
            const p = project({ dev: stackYaml("dev", DEV_RELEASES), prod: stackYaml("prod", PROD_RELEASES) });
            const run = cli(p.dir, ["--from", "dev", "--to", "uat"]);
            assert.strictEqual(run.status, EXIT.unknownStack);
            assert.match(run.stderr, /unknown stack 'uat'/);
        });
    });

    it("knows the stacks platform:environment accepts", () => {
        assert.deepStrictEqual(knownStacks(), ["dev", "staging", "prod"]);
    });
});

describe("release ordering", () => {
    it("follows Semantic Versioning 2.0.0 precedence", () => {
        // The example chain of https://semver.org/#spec-item-11, then core versions.
        const ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "1.10.0",
            "2.0.0",
            "10.0.0",
        ];
        for (let i = 0; i < ordered.length; i++) {
            for (let j = 0; j < ordered.length; j++) {
                const c = compareSemver(parseSemver(ordered[i])!, parseSemver(ordered[j])!);
                assert.strictEqual(c, Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
            }
        }
        assert.strictEqual(
            compareSemver(parseSemver("1.2.3+build.1")!, parseSemver("1.2.3+build.2")!),
            0,
            "build metadata has no precedence",
        );
        assert.strictEqual(
            compareSemver(parseSemver("99999999999999999999.0.0")!, parseSemver("99999999999999999998.9.9")!),
            1,
            "big numbers compare exactly",
        );
    });

    it("parses v-prefixed versions and rejects what is not semver", () => {
        assert.deepStrictEqual(parseSemver("v1.2.3-rc.1"), {
            major: 1n,
            minor: 2n,
            patch: 3n,
            prerelease: ["rc", "1"],
            build: [],
        });
        for (const text of ["1.2", "01.2.3", "1.2.3-01", "latest", DIGEST_A, "1.2.3.4", "main-4f2a9c1"])
            assert.strictEqual(parseSemver(text), undefined, text);
    });

    it("classifies promotions; digests and tags are unordered", () => {
        assert.strictEqual(classifyChange("1.4.0", undefined), "new");
        assert.strictEqual(classifyChange("1.4.0", "1.4.0"), "unchanged");
        assert.strictEqual(classifyChange("1.4.0", "1.3.9"), "upgrade");
        assert.strictEqual(classifyChange("1.4.0", "1.10.0"), "downgrade");
        // Promoting "no image yet" over a pushed release would remove the running service.
        assert.strictEqual(classifyChange("unreleased", "1.4.0"), "downgrade");
        assert.strictEqual(classifyChange("unreleased", `sha256:${"a".repeat(64)}`), "downgrade");
        assert.strictEqual(classifyChange("1.4.0", "unreleased"), "unordered");
        assert.strictEqual(classifyChange("1.0.0-rc.2", "1.0.0"), "downgrade");
        assert.strictEqual(classifyChange("v1.4.0", "1.4.0"), "equivalent");
        assert.strictEqual(classifyChange(DIGEST_B, DIGEST_A), "unordered");
        assert.strictEqual(classifyChange("1.4.0", DIGEST_A), "unordered");
        assert.strictEqual(classifyChange("latest", "1.4.0"), "unordered");
    });
});

describe("stack file editing", () => {
    const KEY = "platform:releases";

    it("renders scalars in the requested style, quoting what plain YAML would read as another type", () => {
        assert.strictEqual(renderScalar("1.4.0", "PLAIN"), "1.4.0");
        assert.strictEqual(renderScalar("1.10", "PLAIN"), '"1.10"');
        assert.strictEqual(renderScalar("true"), '"true"');
        assert.strictEqual(renderScalar("1.4.0", "QUOTE_SINGLE"), "'1.4.0'");
        assert.strictEqual(renderScalar("1.4.0", "QUOTE_DOUBLE"), '"1.4.0"');
    });

    it("keeps a non-empty flow map a flow map", () => {
        const text = "config:\n  platform:releases: {gateway: '1.0.0'} # flow\n  platform:tags: {a: b}\n";
        const out = writeReleases(text, "f", KEY, [
            { workload: "gateway", value: "1.1.0" },
            { workload: "api", value: "2.0.0", style: "QUOTE_DOUBLE" },
        ]);
        assert.strictEqual(
            out,
            "config:\n  platform:releases: { gateway: '1.1.0', api: \"2.0.0\" } # flow\n  platform:tags: {a: b}\n",
        );
    });

    it("fills a key with no value and adds the key when the file has none", () => {
        assert.strictEqual(
            writeReleases("config:\n  platform:releases:\n  platform:x: 1\n", "f", KEY, [
                { workload: "api", value: "1.0.0" },
            ]),
            "config:\n  platform:releases:\n    api: 1.0.0\n  platform:x: 1\n",
        );
        assert.strictEqual(
            writeReleases("config:\n  platform:x: 1 # last\n", "f", KEY, [{ workload: "api", value: "1.0.0" }]),
            "config:\n  platform:x: 1 # last\n  platform:releases:\n    api: 1.0.0\n",
        );
    });

    it("fills an entry without a value, and keeps CRLF line endings", () => {
        assert.strictEqual(
            writeReleases("config:\n  platform:releases:\n    api:\n    web: 1.0.0\n", "f", KEY, [
                { workload: "api", value: "2.0.0" },
            ]),
            "config:\n  platform:releases:\n    api: 2.0.0\n    web: 1.0.0\n",
        );
        const crlf = "config:\r\n  platform:releases:\r\n    api: 1.0.0\r\n";
        assert.strictEqual(
            writeReleases(crlf, "f", KEY, [{ workload: "web", value: "3.0.0" }]),
            "config:\r\n  platform:releases:\r\n    api: 1.0.0\r\n    web: 3.0.0\r\n",
        );
    });

    it("refuses a releases key that is not a map", () => {
        assert.throws(
            () =>
                writeReleases("config:\n  platform:releases: [a]\n", "Pulumi.prod.yaml", KEY, [
                    { workload: "a", value: "1" },
                ]),
            /Pulumi\.prod\.yaml: platform:releases must be a map of workload names to versions/,
        );
        assert.throws(
            () => readReleases("just: text\n", "Pulumi.prod.yaml", KEY),
            /Pulumi\.prod\.yaml: has no 'config:' map/,
        );
    });
});
