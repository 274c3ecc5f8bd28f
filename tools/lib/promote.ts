/**
 * Promotion of releases between stacks: copies `platform:releases` (image tags, digests, artifact
 * versions) from `Pulumi.<from>.yaml` to `Pulumi.<to>.yaml`, and nothing else.
 *
 * `npm run promote -- --from dev --to prod [--only <workload>]... [--dry-run] [--allow-downgrade] [--project DIR]`
 *
 * Steps, each of which can refuse (exit codes below; every refusal prints why on stderr):
 * 1. both stacks must be known: stacks are named after the environments `platform:environment` accepts
 *    (dev, staging, prod), and `--from` differs from `--to`;
 * 2. `Pulumi.yaml`, `Pulumi.<from>.yaml` and `Pulumi.<to>.yaml` must exist and parse;
 * 3. `--only` names must be workloads of the source's releases;
 * 4. no selected release may be lower than the target's (Semantic Versioning precedence), unless
 *    `--allow-downgrade`. Digests and free-form tags have no order: they are promoted as they are and the
 *    summary calls the change "unordered" (dev is the source of truth; a guard that every digest
 *    promotion had to override would teach everyone to pass `--allow-downgrade`);
 * 5. the edited target must pass the program's own validation: `loadStackSettings` (types against
 *    `Pulumi.yaml`) and `validateConfig` (every platform key, with the architecture registry), exactly as
 *    `pulumi up` would run it.
 * Then it prints a summary and the unified diff of the target file, and writes it (atomically: a temporary
 * file renamed over the original) unless `--dry-run`. Workloads the target has and the source does not are
 * left as they are.
 *
 * Exit codes:
 * | code | meaning                                                                     |
 * |------|-----------------------------------------------------------------------------|
 * | 0    | promoted, nothing to promote, or dry run                                    |
 * | 1    | refused: a release would go down (`--allow-downgrade` to force)             |
 * | 2    | refused: the target config would be invalid (messages of the validation)   |
 * | 3    | refused: unknown stack                                                      |
 * | 4    | refused: a file is missing or unreadable (not YAML, no `config`, no releases) |
 * | 5    | refused: an `--only` workload does not exist in the source                  |
 * | 64   | usage error (unknown option, missing `--from`/`--to`, same stack twice)     |
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual, parseArgs } from "util";
import { createTwoFilesPatch } from "diff";
import { parse } from "yaml";
import { FOUNDATION_KEYS } from "../../infra/config/keys";
import { ArchitectureConfigSpec, ConfigValidationError, validateConfig } from "../../infra/config/load";
import { loadStackSettings, StackSettingsError } from "./stack-config";
import { classifyChange, ReleaseChange } from "./promote-version";
import { configWithout, readReleases, ReleaseUpdate, StackFileError, writeReleases } from "./promote-yaml";

/** Exit codes of `npm run promote` (see the table above). */
export const EXIT = {
    ok: 0,
    downgrade: 1,
    invalidTarget: 2,
    unknownStack: 3,
    unreadableFile: 4,
    unknownWorkload: 5,
    usage: 64,
} as const;

export const USAGE =
    "usage: npm run promote -- --from <stack> --to <stack> [--only <workload>]... [--dry-run] " +
    "[--allow-downgrade] [--project DIR]";

/** Where the command prints: summary and diff on `out`, refusals on `err`. */
export interface PromoteIO {
    out(text: string): void;
    err(text: string): void;
}

export interface PromoteDeps {
    /** Architecture registry the target is validated with (`ARCHITECTURES` of stacks/index.ts). */
    specs: Readonly<Partial<Record<string, ArchitectureConfigSpec>>>;
    io: PromoteIO;
}

/** Stack names the program knows: the values `platform:environment` accepts. */
export function knownStacks(): string[] {
    const schema = FOUNDATION_KEYS.find((k) => k.key === "environment")?.schema as unknown as
        { options?: readonly string[] } | undefined;
    return [...(schema?.options ?? [])];
}

/** One selected workload and what promotion does to it. */
export interface PlannedRelease {
    workload: string;
    from: string;
    to: string | undefined;
    change: ReleaseChange;
}

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

class Refusal extends Error {
    constructor(
        readonly code: number,
        readonly lines: string[],
    ) {
        super(lines.join("\n"));
    }
}

function readFile(file: string, label: string): string {
    if (!fs.existsSync(file)) throw new Refusal(EXIT.unreadableFile, [`promote: ${label} not found at ${file}`]);
    return fs.readFileSync(file, "utf8");
}

function column(rows: string[][]): string[] {
    if (rows.length === 0) return [];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

/** Validates the edited target the way the program will: project declarations, then `validateConfig`. */
function validateTarget(projectText: string, stack: string, targetText: string, specs: PromoteDeps["specs"]): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promote-"));
    try {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectText);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), targetText);
        const settings = loadStackSettings(dir, stack);
        validateConfig({ project: settings.project, stack, values: settings.config }, specs);
        return [];
    } catch (err) {
        if (err instanceof StackSettingsError || err instanceof ConfigValidationError) return [...err.problems];
        throw err;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function parseOptions(argv: readonly string[]) {
    let values;
    try {
        values = parseArgs({
            args: [...argv],
            options: {
                from: { type: "string" },
                to: { type: "string" },
                only: { type: "string", multiple: true },
                "dry-run": { type: "boolean", default: false },
                "allow-downgrade": { type: "boolean", default: false },
                project: { type: "string", default: "." },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (err) {
        throw new Refusal(EXIT.usage, [`promote: ${(err as Error).message}`, USAGE]);
    }
    const problems: string[] = [];
    if (!values.from) problems.push("--from is required");
    if (!values.to) problems.push("--to is required");
    for (const [flag, v] of [
        ["--from", values.from],
        ["--to", values.to],
    ] as const) {
        if (v && !STACK_NAME.test(v))
            problems.push(`${flag} ${JSON.stringify(v)} is not a stack name (letters, digits, _ . -)`);
    }
    if (values.from && values.from === values.to)
        problems.push(
            `--from and --to are both '${values.from}': promotion copies releases between two different stacks`,
        );
    if (problems.length > 0) throw new Refusal(EXIT.usage, [...problems.map((p) => `promote: ${p}`), USAGE]);
    const only = values.only
        ?.flatMap((o) => o.split(","))
        .map((o) => o.trim())
        .filter((o) => o !== "");
    return {
        from: values.from ?? "",
        to: values.to ?? "",
        only: only && only.length > 0 ? [...new Set(only)] : undefined,
        dryRun: values["dry-run"] === true,
        allowDowngrade: values["allow-downgrade"] === true,
        projectDir: path.resolve(values.project ?? "."),
    };
}

/**
 * Runs the promotion command with `argv` (the arguments after `--`).
 * @returns the exit code (see {@link EXIT}).
 */
export function runPromote(argv: readonly string[], deps: PromoteDeps): number {
    try {
        return promote(argv, deps);
    } catch (err) {
        if (err instanceof Refusal) {
            deps.io.err(err.lines.join("\n"));
            return err.code;
        }
        if (err instanceof StackFileError) {
            deps.io.err(`promote: ${err.message}`);
            return EXIT.unreadableFile;
        }
        throw err;
    }
}

function promote(argv: readonly string[], { specs, io }: PromoteDeps): number {
    const opts = parseOptions(argv);
    const known = knownStacks();
    const unknown = [opts.from, opts.to].filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        throw new Refusal(
            EXIT.unknownStack,
            unknown.map(
                (s) =>
                    `promote: unknown stack '${s}'; this program's stacks are named after their environment: ` +
                    `${known.join(", ")}`,
            ),
        );
    }

    const projectText = readFile(path.join(opts.projectDir, "Pulumi.yaml"), "Pulumi.yaml (the project file)");
    let project: unknown;
    try {
        project = parse(projectText);
    } catch (err) {
        throw new Refusal(EXIT.unreadableFile, [`promote: Pulumi.yaml: not valid YAML: ${(err as Error).message}`]);
    }
    const projectName = (project as { name?: unknown } | null)?.name;
    if (typeof projectName !== "string" || projectName === "")
        throw new Refusal(EXIT.unreadableFile, ["promote: Pulumi.yaml: 'name' is required"]);
    const key = `${projectName}:releases`;
    const sourceFile = `Pulumi.${opts.from}.yaml`;
    const targetFile = `Pulumi.${opts.to}.yaml`;
    const targetPath = path.join(opts.projectDir, targetFile);
    const sourceText = readFile(path.join(opts.projectDir, sourceFile), `${sourceFile} (stack '${opts.from}')`);
    const targetText = readFile(targetPath, `${targetFile} (stack '${opts.to}')`);

    const source = readReleases(sourceText, sourceFile, key);
    const target = readReleases(targetText, targetFile, key);
    if (!source.present)
        throw new Refusal(EXIT.unreadableFile, [`promote: ${sourceFile} sets no ${key}: there is nothing to promote`]);

    const sourceNames = source.entries.map((e) => e.workload);
    if (opts.only) {
        const missing = opts.only.filter((w) => !sourceNames.includes(w));
        if (missing.length > 0) {
            throw new Refusal(
                EXIT.unknownWorkload,
                missing.map(
                    (w) =>
                        `promote: workload '${w}' has no release in ${sourceFile}; its ${key} lists ` +
                        `${sourceNames.join(", ") || "nothing"}`,
                ),
            );
        }
    }
    const selected = source.entries.filter((e) => !opts.only || opts.only.includes(e.workload));
    if (selected.length === 0) {
        io.out(`${sourceFile} sets no releases (${key} is empty): nothing to promote.`);
        return EXIT.ok;
    }

    const notStrings = selected.filter((e) => typeof e.value !== "string");
    if (notStrings.length > 0) {
        throw new Refusal(
            EXIT.invalidTarget,
            notStrings.map(
                (e) =>
                    `promote: ${sourceFile}: ${key}.${e.workload} must be a string; got ` +
                    `${JSON.stringify(e.value)} (quote it: "${String(e.value)}")`,
            ),
        );
    }
    const targetValues = new Map(target.entries.map((e) => [e.workload, e.value]));
    const plan: PlannedRelease[] = selected.map((e) => {
        const to = targetValues.get(e.workload);
        const toText = to === undefined ? undefined : typeof to === "string" ? to : JSON.stringify(to);
        return {
            workload: e.workload,
            from: e.value as string,
            to: toText,
            change: classifyChange(e.value as string, toText),
        };
    });

    const downgrades = plan.filter((p) => p.change === "downgrade");
    if (downgrades.length > 0 && !opts.allowDowngrade) {
        throw new Refusal(EXIT.downgrade, [
            ...downgrades.map(
                (d) =>
                    `promote: refused: ${d.workload} would go down from ${d.to} (${targetFile}) to ${d.from} ` +
                    `(${sourceFile})`,
            ),
            "promote: nothing written; pass --allow-downgrade to roll back on purpose",
        ]);
    }

    const LABEL: Record<ReleaseChange, string> = {
        new: "new",
        unchanged: "unchanged",
        upgrade: "upgrade",
        downgrade: "DOWNGRADE (allowed by --allow-downgrade)",
        equivalent: "same version, written differently",
        unordered: "unordered (digest or tag: no version order)",
    };
    io.out(`Promoting ${key} from ${opts.from} to ${opts.to} (${sourceFile} -> ${targetFile}):`);
    io.out(column(plan.map((p) => [`  ${p.workload}`, p.to ?? "(none)", "->", p.from, LABEL[p.change]])).join("\n"));
    const left = target.entries.map((e) => e.workload).filter((w) => !sourceNames.includes(w));
    if (left.length > 0) io.out(`  left as they are (not in ${sourceFile}): ${left.join(", ")}`);

    const changes: ReleaseUpdate[] = plan
        .filter((p) => p.change !== "unchanged")
        .map((p) => ({
            workload: p.workload,
            value: p.from,
            style: selected.find((e) => e.workload === p.workload)?.style,
        }));
    if (changes.length === 0) {
        io.out(`\n${targetFile} already has these releases: nothing to write.`);
        return EXIT.ok;
    }

    const edited = writeReleases(targetText, targetFile, key, changes);
    // Guard the promise "releases and nothing else": compare everything but the releases key.
    if (!isDeepStrictEqual(configWithout(edited, targetFile, key), configWithout(targetText, targetFile, key))) {
        throw new Error(`promote: internal error: editing ${targetFile} changed more than ${key}; nothing written`);
    }
    const expected = Object.fromEntries([
        ...target.entries.map((e) => [e.workload, e.value] as const),
        ...changes.map((c) => [c.workload, c.value] as const),
    ]);
    const after = Object.fromEntries(
        readReleases(edited, targetFile, key).entries.map((e) => [e.workload, e.value] as const),
    );
    if (!isDeepStrictEqual(after, expected))
        throw new Error(
            `promote: internal error: ${targetFile} would not read back the promoted releases; nothing written`,
        );

    io.out("");
    // createTwoFilesPatch starts with a "=====" separator line; the rest is a git-style unified diff.
    const patch = createTwoFilesPatch(`a/${targetFile}`, `b/${targetFile}`, targetText, edited, undefined, undefined, {
        context: 3,
    });
    io.out(patch.replace(/^=+\r?\n/, "").trimEnd());

    const problems = validateTarget(projectText, opts.to, edited, specs);
    if (problems.length > 0) {
        throw new Refusal(EXIT.invalidTarget, [
            `promote: refused: ${targetFile} would not pass the program's config validation after promotion; ` +
                `nothing written:`,
            ...problems.map((p) => `  - ${p}`),
        ]);
    }

    if (opts.dryRun) {
        io.out(`\nDry run: ${targetFile} not written.`);
        return EXIT.ok;
    }
    const tmp = path.join(opts.projectDir, `.${targetFile}.promote-${process.pid}`);
    fs.writeFileSync(tmp, edited, { mode: fs.statSync(targetPath).mode });
    fs.renameSync(tmp, targetPath);
    io.out(
        `\nWrote ${targetFile} (${changes.length} release${changes.length === 1 ? "" : "s"}). Review and commit ` +
            `it; the ${opts.to} deployment picks it up.`,
    );
    return EXIT.ok;
}
