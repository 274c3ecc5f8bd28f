/**
 * Reads a Pulumi project (`Pulumi.yaml`) and one stack's settings (`Pulumi.<stack>.yaml`) the way the
 * Pulumi CLI does before it starts a program: project-level defaults and values are applied, stack
 * values override them, values are type-checked against the project's declarations, and keys declared
 * without a default must be set by the stack.
 *
 * Values are handed to the program as the CLI hands them (`PULUMI_CONFIG`): every value a string,
 * objects and arrays JSON-encoded. `secure:` values cannot be decrypted offline; they are replaced by a
 * placeholder and reported as secret keys, so the program sees them through `requireSecret`.
 *
 * Follows https://www.pulumi.com/docs/iac/concepts/projects/project-file/#config-options and
 * https://www.pulumi.com/docs/iac/concepts/config/.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The value an offline run gives to a `secure:` config value it cannot decrypt. */
export const SECRET_PLACEHOLDER = "offline-plan-placeholder-secret";

/** One declared project config key (`config:` block of `Pulumi.yaml`). */
export interface ConfigDeclaration {
    type?: "string" | "integer" | "boolean" | "array" | "object";
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
    items?: { type: string };
}

/** `runtime.options` of `Pulumi.yaml` that decide how the Node.js language host starts the program. */
export interface RuntimeOptions {
    /** Load the program through ts-node (`typescript`, default true). */
    typescript: boolean;
    /** tsconfig file for ts-node, relative to the program directory (`tsconfig`). */
    tsconfig?: string;
    /** Extra arguments to `node` (`nodeargs`, split on spaces). */
    nodeargs: string[];
}

export interface StackSettings {
    /** Project name from `Pulumi.yaml`. */
    project: string;
    /** Absolute path of the project directory (where `Pulumi.yaml` is). */
    projectDir: string;
    /** Absolute path of the program's entry module (`main`, or `index.ts` in the project directory). */
    main: string;
    /** Directory the language host runs the program in (`main` when it is a directory, else its directory). */
    programDir: string;
    /** Entry point given to `cmd/run`: `.` (package.json decides) or `main`'s file name. */
    entryPoint: string;
    runtime: RuntimeOptions;
    stack: string;
    /** Full key (`platform:azCount`) to the string the program receives. */
    config: Record<string, string>;
    /** Full keys whose values are secret. */
    secretKeys: string[];
    /** Project declarations, by full key. */
    declarations: Record<string, ConfigDeclaration>;
}

/** Thrown when the project or stack file cannot be used; `problems` lists every finding. */
export class StackSettingsError extends Error {
    /**
     * @param settings the settings as far as they could be read, when the files parsed and only values
     *   were wrong (the program can still run on them and report its own validation in the same run).
     */
    constructor(
        readonly problems: string[],
        readonly settings?: StackSettings,
    ) {
        super(problems.join("\n"));
        this.name = "StackSettingsError";
    }
}

/**
 * The top-level map of a YAML file; `{}` for an empty document or one that is not a map (it has none
 * of the keys read from it); `undefined`, with a problem pushed, when the file is missing or not YAML.
 */
function readYaml(file: string, problems: string[]): Record<string, unknown> | undefined {
    if (!fs.existsSync(file)) {
        problems.push(`${path.basename(file)}: file not found at ${file}`);
        return undefined;
    }
    try {
        const doc: unknown = parse(fs.readFileSync(file, "utf8"));
        return typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : {};
    } catch (err) {
        problems.push(`${path.basename(file)}: not valid YAML: ${(err as Error).message}`);
        return undefined;
    }
}

function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function typeOf(value: unknown): string {
    if (Array.isArray(value)) return "array";
    if (value === null) return "null";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

/** `pulumi config set key 2` stores the string "2": the CLI accepts such strings for integer and boolean keys. */
function matchesDeclaredType(type: NonNullable<ConfigDeclaration["type"]>, value: unknown): boolean {
    const actual = typeOf(value);
    if (actual === type) return true;
    if (typeof value !== "string") return false;
    if (type === "integer") return /^-?\d+$/.test(value);
    if (type === "boolean") return value === "true" || value === "false";
    return false;
}

function hasSecure(value: unknown): boolean {
    if (value && typeof value === "object") {
        if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return true;
        return Object.values(value).some(hasSecure);
    }
    return false;
}

function replaceSecure(value: unknown): unknown {
    if (value && typeof value === "object") {
        if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return SECRET_PLACEHOLDER;
        if (Array.isArray(value)) return value.map(replaceSecure);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v)]));
    }
    return value;
}

function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Loads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `projectDir`.
 *
 * @throws StackSettingsError with every problem found (missing or unparsable file, a value whose type
 *   differs from its declaration, a declared key without default that the stack does not set).
 */
export function loadStackSettings(projectDir: string, stack: string): StackSettings {
    const problems: string[] = [];
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const project = readYaml(projectFile, problems);
    const stackDoc = readYaml(stackFile, problems);
    if (project === undefined || stackDoc === undefined) throw new StackSettingsError(problems);
    if (typeof project.name !== "string" || project.name === "") {
        throw new StackSettingsError([`Pulumi.yaml: 'name' is required`]);
    }
    const name: string = project.name;
    const rawStackConfig = stackDoc.config ?? {};
    if (typeof rawStackConfig !== "object" || Array.isArray(rawStackConfig)) {
        throw new StackSettingsError([`Pulumi.${stack}.yaml: 'config' must be a map of keys to values`]);
    }
    const stackConfig = rawStackConfig as Record<string, unknown>;

    const declarations: Record<string, ConfigDeclaration> = {};
    const values: Record<string, unknown> = {};
    // Pulumi.yaml `config:` is a map; whatever else it holds is read the way Object.entries reads it.
    for (const [key, decl] of Object.entries<unknown>((project.config ?? {}) as Record<string, unknown>)) {
        const k = fullKey(name, key);
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as ConfigDeclaration;
            declarations[k] = d;
            if (d.value !== undefined) values[k] = d.value;
            else if (d.default !== undefined) values[k] = d.default;
        } else {
            values[k] = decl; // short-hand `key: value`
        }
    }

    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(stackConfig)) {
        const k = fullKey(name, key);
        if (hasSecure(value)) secretKeys.add(k);
        values[k] = value;
    }

    for (const [k, d] of Object.entries(declarations)) {
        const v = values[k];
        if (v === undefined) {
            if (d.type !== undefined) {
                problems.push(
                    `Pulumi.${stack}.yaml: missing required configuration key '${k}' ` +
                        `(${d.description ?? "no description"}); ` +
                        `set it with \`pulumi config set ${k.replace(`${name}:`, "")} <value>\``,
                );
            }
            continue;
        }
        if (d.secret && !secretKeys.has(k)) {
            problems.push(
                `Pulumi.${stack}.yaml: '${k}' must be set as a secret ` +
                    `(\`pulumi config set --secret ${k.replace(`${name}:`, "")} <value>\`)`,
            );
        }
        if (d.type !== undefined && !secretKeys.has(k)) {
            const actual = typeOf(v);
            if (!matchesDeclaredType(d.type, v)) {
                problems.push(
                    `Pulumi.${stack}.yaml: '${k}' is declared as ${d.type} in Pulumi.yaml but the stack sets a ` +
                        `${actual}`,
                );
            } else if (d.type === "array" && d.items) {
                (v as unknown[]).forEach((item, i) => {
                    if (!matchesDeclaredType(d.items!.type as NonNullable<ConfigDeclaration["type"]>, item)) {
                        problems.push(
                            `Pulumi.${stack}.yaml: '${k}[${i}]' must be ${d.items!.type}, got ${typeOf(item)}`,
                        );
                    }
                });
            }
        }
    }
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) config[k] = toConfigString(replaceSecure(v));
    const mainPath = typeof project.main === "string" ? path.resolve(projectDir, project.main) : projectDir;
    const mainIsFile = fs.existsSync(mainPath) && fs.statSync(mainPath).isFile();
    const main = mainIsFile ? mainPath : path.join(mainPath, "index.ts");
    const settings: StackSettings = {
        project: name,
        projectDir: path.resolve(projectDir),
        main,
        programDir: mainIsFile ? path.dirname(mainPath) : mainPath,
        entryPoint: mainIsFile ? path.basename(mainPath) : ".",
        runtime: runtimeOptions(project.runtime),
        stack,
        config,
        secretKeys: [...secretKeys].sort(),
        declarations,
    };
    if (problems.length > 0) throw new StackSettingsError(problems, settings);
    return settings;
}

/**
 * The Node.js runtime options of `Pulumi.yaml` (`runtime: nodejs` or `runtime: {name, options}`), per
 * https://www.pulumi.com/docs/iac/concepts/projects/project-file/#runtime-options.
 */
function runtimeOptions(runtime: unknown): RuntimeOptions {
    const options = ((runtime as { options?: unknown } | undefined)?.options ?? {}) as Record<string, unknown>;
    return {
        typescript: options.typescript !== false,
        tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
        nodeargs: typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
    };
}
