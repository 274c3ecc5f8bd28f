/**
 * The one module that reads `pulumi.Config`. It decodes every platform key, validates all of them,
 * and either returns a typed, frozen {@link PlatformConfig} or throws once with every problem, each
 * naming its full key (`platform:azCount`, `platform:ticketing.services.checkout.cpu`) and what is
 * allowed. It runs before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AZ_COUNT_BY_REGION } from "../shared/aws-facts";
import {
    AlarmSubscription,
    ArchitectureName,
    crossKeyProblems,
    FOUNDATION_KEYS,
    FoundationValues,
    PulumiConfigType,
} from "./keys";
import { probablyMeant } from "./schema-helpers";

export const NAMESPACE = "platform";

/** What the config loader needs to know of an architecture module. */
export interface ArchitectureConfigSpec {
    /** Workloads the architecture deploys; each needs an entry in `platform:releases`. */
    readonly workloads: readonly string[];
    /** Schema of the architecture's own key `platform:<name>` (an object); absent when it has none. */
    readonly settings?: z.ZodType;
    /**
     * Checks of the parsed settings that depend on the stack (an environment that requires a value, the
     * region a resource must be in). Each problem's `path` is under `platform:<name>`
     * (`eks.publicEndpointCidrs`).
     */
    readonly stackProblems?: (
        settings: never,
        stack: { environment: string; region: string },
    ) => readonly { path: string; message: string }[];
}

/** The environment profile: how a stack deploys (sizes, redundancy, retention, protection). */
export interface EnvironmentProfile {
    readonly network: {
        readonly vpcCidr: string;
        readonly reservedCidrs: readonly string[];
        readonly azCount: number;
        readonly natGateways: "single" | "per-az";
        readonly interfaceEndpoints: readonly string[];
    };
    /** CloudWatch Logs retention in days. */
    readonly logRetentionDays: number;
    /** Expiry of objects in the log archive bucket, in days. */
    readonly logArchiveRetentionDays: number;
    /** Deletion protection and Pulumi `protect` on stateful resources. */
    readonly protect: boolean;
    /** Alarm topic e-mail subscriber; empty for none. */
    readonly alarmEmail: string;
    /** Further alarm topic subscribers (`platform:alarmSubscriptions`). */
    readonly alarmSubscriptions: Readonly<Record<string, AlarmSubscription>>;
}

/** The validated platform configuration of one stack. */
export interface PlatformConfig {
    readonly project: string;
    readonly stack: string;
    /** Workload region (`aws:region`). */
    readonly region: string;
    readonly environment: "dev" | "staging" | "prod";
    readonly architectures: readonly ArchitectureName[];
    readonly profile: EnvironmentProfile;
    /** What to deploy: workload -> image tag, digest or artifact version. */
    readonly releases: Readonly<Record<string, string>>;
    /** Config-supplied tags (never the required keys). */
    readonly tags: Readonly<Record<string, string>>;
    /** Each selected architecture's parsed `platform:<name>` settings. */
    readonly settings: Readonly<Partial<Record<ArchitectureName, unknown>>>;
}

/** Raw input of the validation: every config value as the Pulumi engine passes it (strings). */
export interface RawConfig {
    project: string;
    stack: string;
    /** Full key (`platform:azCount`, `aws:region`) -> string value. */
    values: Record<string, string | undefined>;
}

/** `invalid configuration (<n> problems):` and one indented line per problem. */
function problemList(problems: readonly string[]): string {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    return `invalid configuration (${count}):\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

/** Thrown with every configuration problem; the Pulumi CLI prints a RunError without a stack trace. */
export class ConfigValidationError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(problemList(problems));
        this.name = "ConfigValidationError";
    }
}

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Turns Pulumi's string into the declared type; leaves it a string when it does not parse, so the schema
 * reports it.
 */
function decode(type: PulumiConfigType, text: string): unknown {
    switch (type) {
        case "integer":
            return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
        case "boolean":
            return text === "true" ? true : text === "false" ? false : text;
        case "array":
        case "object":
            try {
                return JSON.parse(text);
            } catch {
                return text;
            }
        default:
            return text;
    }
}

function formatPath(key: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : `${acc}.${String(seg)}`),
        `${NAMESPACE}:${key}`,
    );
}

/** What {@link validateKey} needs of a declaration; `T` is what its schema produces. */
interface Validated<T> {
    key: string;
    type: PulumiConfigType;
    default?: T;
    schema: z.ZodType<T>;
}

/** The key's value as its schema parsed it (or its default), or `undefined` after pushing every problem. */
function validateKey<T>(
    decl: Validated<T>,
    text: string | undefined,
    problems: string[],
    stack: string,
): T | undefined {
    if (text === undefined) {
        if (decl.default !== undefined) return structuredClone(decl.default);
        problems.push(
            `${NAMESPACE}:${decl.key}: required; ` +
                `set it in Pulumi.${stack}.yaml (pulumi config set ${decl.key} <value>)`,
        );
        return undefined;
    }
    const result = decl.schema.safeParse(decode(decl.type, text));
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
        const path = issue.code === "unrecognized_keys" ? [...issue.path] : issue.path;
        const message =
            issue.code === "unrecognized_keys"
                ? `unknown key${issue.keys.length > 1 ? "s" : ""} ` +
                  issue.keys.map((k) => JSON.stringify(k)).join(", ")
                : issue.message;
        problems.push(`${formatPath(decl.key, path)}: ${message}`);
    }
    return undefined;
}

/**
 * Validates raw config values. Pure: no Pulumi runtime needed, so tests call it directly.
 *
 * @param specs config spec of every architecture module the program knows (implemented ones).
 * @throws ConfigValidationError listing every problem.
 */
export function validateConfig(
    raw: RawConfig,
    specs: Readonly<Partial<Record<ArchitectureName, ArchitectureConfigSpec>>>,
): PlatformConfig {
    const problems: string[] = [];
    const values = foundationValues(raw, problems);
    const region = raw.values["aws:region"];
    problems.push(...regionProblems(raw.stack, region, values.azCount));
    problems.push(...unknownKeyProblems(raw, specs));
    const releases = releaseNames(raw);
    const settings = architectureSettings(raw, specs, { values, region, releases }, problems);
    problems.push(...unknownWorkloadProblems(releases.names, specs));

    if (problems.length > 0) throw new ConfigValidationError(problems);
    // No problem means every foundation key holds its validated value or its default.
    return platformConfig(raw, values, settings);
}

/** Every foundation key's value (or default), pushing each key's problems and the cross-key ones. */
function foundationValues(raw: RawConfig, problems: string[]): Partial<FoundationValues> {
    const v: Partial<FoundationValues> = {};
    for (const decl of FOUNDATION_KEYS)
        setValue(
            v,
            decl.key,
            validateKey<FoundationValues[typeof decl.key]>(
                decl,
                raw.values[`${NAMESPACE}:${decl.key}`],
                problems,
                raw.stack,
            ),
        );
    for (const p of crossKeyProblems(v)) problems.push(`${NAMESPACE}:${p.key}: ${p.message}`);
    return v;
}

/** `aws:region` is set, a region code, and has the Availability Zones `platform:azCount` asks for. */
function regionProblems(stack: string, region: string | undefined, azCount: number | undefined): string[] {
    const problems: string[] = [];
    if (region === undefined)
        problems.push(`aws:region: required; set it in Pulumi.${stack}.yaml (pulumi config set aws:region sa-east-1)`);
    else if (!REGION_PATTERN.test(region))
        problems.push(`aws:region: must be an AWS region code such as sa-east-1; got ${JSON.stringify(region)}`);
    const regionAzs = region === undefined ? undefined : AZ_COUNT_BY_REGION[region];
    if (regionAzs !== undefined && azCount !== undefined && azCount > regionAzs)
        problems.push(
            `${NAMESPACE}:azCount: must be at most ${regionAzs}, the Availability Zones of ${region}; got ${azCount}`,
        );
    return problems;
}

/** Keys of the platform namespace nobody reads are typos or leftovers: say so rather than ignore them. */
function unknownKeyProblems(
    raw: RawConfig,
    specs: Readonly<Partial<Record<ArchitectureName, ArchitectureConfigSpec>>>,
): string[] {
    const problems: string[] = [];
    const known = new Set([...FOUNDATION_KEYS.map((d) => d.key), ...Object.keys(specs)]);
    for (const fullKey of Object.keys(raw.values).sort()) {
        const [ns, key] = fullKey.split(":");
        if (ns !== NAMESPACE || known.has(key)) continue;
        const meant = probablyMeant(key, known);
        const unset = meant !== undefined && raw.values[`${NAMESPACE}:${meant}`] === undefined;
        problems.push(
            meant === undefined
                ? `${fullKey}: unknown key; the platform reads ${[...known].map((k) => `${NAMESPACE}:${k}`).join(", ")}`
                : `${fullKey}: unknown key; probably meant ${NAMESPACE}:${meant}${unset ? ", which is not set" : ""}`,
        );
    }
    return problems;
}

/** The workload names of `platform:releases` as written, whether or not their versions are valid. */
interface ReleaseNames {
    /** Whether `platform:releases` is set at all. */
    set: boolean;
    names: string[];
}

/** Workload names are checked even when a version failed its pattern, so both problems show at once. */
function releaseNames(raw: RawConfig): ReleaseNames {
    const releaseText = raw.values[`${NAMESPACE}:releases`];
    const decoded = releaseText === undefined ? undefined : decode("object", releaseText);
    const names = decoded && typeof decoded === "object" && !Array.isArray(decoded) ? Object.keys(decoded) : [];
    return { set: decoded !== undefined, names };
}

/**
 * Each selected architecture's parsed `platform:<name>` settings, pushing the problems of its settings,
 * of the stack (`stackProblems`) and of its workloads missing from `platform:releases`.
 */
function architectureSettings(
    raw: RawConfig,
    specs: Readonly<Partial<Record<ArchitectureName, ArchitectureConfigSpec>>>,
    given: { values: Partial<FoundationValues>; region: string | undefined; releases: ReleaseNames },
    problems: string[],
): Partial<Record<ArchitectureName, unknown>> {
    const settings: Partial<Record<ArchitectureName, unknown>> = {};
    const { values: v, region, releases } = given;
    for (const name of v.architectures ?? []) {
        const spec = specs[name];
        if (!spec) continue; // a partial registry (tests): nothing to validate for it
        if (spec.settings)
            settings[name] = validateKey(
                { key: name, type: "object", schema: spec.settings, default: {} },
                raw.values[`${NAMESPACE}:${name}`],
                problems,
                raw.stack,
            );
        if (spec.stackProblems && settings[name] !== undefined && v.environment !== undefined && region)
            for (const p of spec.stackProblems(settings[name] as never, { environment: v.environment, region }))
                problems.push(`${NAMESPACE}:${name}.${p.path}: ${p.message}`);
        for (const w of spec.workloads) {
            if (releases.set && !releases.names.includes(w))
                problems.push(
                    `${NAMESPACE}:releases.${w}: required by architecture ${name}; ` +
                        "set the image tag or version to deploy",
                );
        }
    }
    return settings;
}

/** Release names no architecture deploys. */
function unknownWorkloadProblems(
    releaseNames: readonly string[],
    specs: Readonly<Partial<Record<ArchitectureName, ArchitectureConfigSpec>>>,
): string[] {
    const allWorkloads = new Set(Object.values(specs).flatMap((s) => [...(s?.workloads ?? [])]));
    const known = [...allWorkloads].sort().join(", ") || "(none)";
    return [...releaseNames]
        .sort()
        .filter((w) => !allWorkloads.has(w))
        .map((w) => `${NAMESPACE}:releases.${w}: unknown workload; known workloads: ${known}`);
}

/** The frozen configuration of a stack whose values passed validation. */
function platformConfig(
    raw: RawConfig,
    v: Partial<FoundationValues>,
    settings: Partial<Record<ArchitectureName, unknown>>,
): PlatformConfig {
    const f = v as FoundationValues;
    return deepFreeze({
        project: raw.project,
        stack: raw.stack,
        region: raw.values["aws:region"]!,
        environment: f.environment,
        architectures: v.architectures ?? [],
        profile: {
            network: {
                vpcCidr: f.vpcCidr,
                reservedCidrs: f.reservedCidrs,
                azCount: f.azCount,
                natGateways: f.natGateways,
                interfaceEndpoints: f.interfaceEndpoints,
            },
            logRetentionDays: f.logRetentionDays,
            logArchiveRetentionDays: f.logArchiveRetentionDays,
            protect: f.protect,
            alarmEmail: f.alarmEmail,
            alarmSubscriptions: f.alarmSubscriptions,
        },
        releases: v.releases ?? {},
        tags: f.tags,
        settings,
    });
}

/**
 * `target[key] = value`, keeping the key's own type (FOUNDATION_KEYS ties each declaration's key to its
 * schema's output).
 */
function setValue<K extends keyof FoundationValues>(
    target: Partial<FoundationValues>,
    key: K,
    value: FoundationValues[K] | undefined,
): void {
    target[key] = value;
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value as object)) deepFreeze(child);
    }
    return value;
}

/**
 * Reads the stack's config from the Pulumi runtime and validates it.
 * @throws ConfigValidationError listing every problem.
 */
export function loadConfig(specs: Readonly<Partial<Record<ArchitectureName, ArchitectureConfigSpec>>>): PlatformConfig {
    const values: Record<string, string | undefined> = { ...pulumi.runtime.allConfig() };
    return validateConfig({ project: pulumi.getProject(), stack: pulumi.getStack(), values }, specs);
}
