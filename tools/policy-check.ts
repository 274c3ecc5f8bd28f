/**
 * Offline policy check: runs the policy pack over a stack export, a `pulumi preview --json`
 * document or our plan file, the way the Pulumi engine runs it during `pulumi preview
 * --policy-pack policy-pack` — not with a second implementation of the policies.
 *
 * What the engine does, and what this module does the same way:
 * 1. Starts the pack as an analyzer plugin: `node <@pulumi/pulumi/cmd/run-policy-pack> <engine>
 *    .` with the pack directory as working directory; the analyzer prints its gRPC port on stdout.
 *    The pack's analyzer never dials the engine address (run-policy-pack drops it), so a dummy
 *    address is passed and no Engine service is needed; analyzer errors go to its stderr.
 * 2. `GetAnalyzerInfo`, then `Configure` with the reconciled policy config (policy defaults, the
 *    pack's initial config, then `--config` on top, honouring the `"all"` key), as
 *    `ReconcilePolicyPackConfig` in pulumi/pulumi pkg/resource/analyzer/config.go does.
 * 3. `Analyze` once per resource with its *inputs* (type, URN, name, options, provider with the
 *    provider's inputs), like the step generator before each step.
 * 4. `AnalyzeStack` once with every resource's *outputs*, parent, dependencies and property
 *    dependencies, like the deployment's `AnalyzeResources` at the end.
 * Values are marshalled like `plugin.MarshalProperties{KeepUnknowns, KeepSecrets,
 * SkipInternalKeys}`: secrets as `{"4dabf18193072939515e22adb298388d":
 * "1b47061264138c4ac30d75fd1eb44270", "value": ...}` (an encrypted secret we cannot decrypt
 * becomes a secret whose value is unknown), unknowns as the string
 * `04da6b54-80e4-46f7-96ec-b56ff0331ba9`, resource references as their id (or URN), keys starting
 * with `__` dropped.
 *
 * Inputs accepted (see {@link loadDocument}): `pulumi stack export` (`{version: 3, deployment}`),
 * a local-backend checkpoint (`{version: 3, checkpoint: {latest}}`), `pulumi preview --json`
 * (`{steps: [{op, urn, newState}]}`), and plan/<stack>.json (export format).
 *
 * CLI: `npm run policy -- <file> [--config <policy-config.json>] [--json]`; exit 0 (no mandatory
 * violation), 1 (a mandatory violation), 2 (unreadable input or config), 3 (the analyzer failed).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

// ------------------------------------------------------------------------------------------------
// Public types
// ------------------------------------------------------------------------------------------------

/** Policy enforcement levels, as in `@pulumi/policy`. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy violation, as the engine would display it. */
export interface Violation {
    /** `<service>-<check>` name of the policy. */
    policyName: string;
    /** Level after config: `mandatory` fails a preview, `advisory` warns. */
    enforcementLevel: EnforcementLevel;
    /** The resource the violation is about (the root stack for stack-wide findings). */
    urn: string;
    /** The policy description, a newline, then what to change. */
    message: string;
    /** Name and version of the pack that reported it. */
    policyPackName: string;
    policyPackVersion: string;
}

/** A resource in the engine's terms, ready for `Analyze`/`AnalyzeStack`. */
export interface AnalyzerInputResource {
    urn: string;
    type: string;
    /** True for custom (provider-managed) resources; false for components and the root stack. */
    custom: boolean;
    /** Inputs (what `Analyze` sees), in state JSON form (secrets/unknowns as in state). */
    inputs: Record<string, unknown>;
    /** Outputs (what `AnalyzeStack` sees); `undefined` means "not known yet" (preview creates). */
    outputs?: Record<string, unknown>;
    parent?: string;
    /** Provider reference `<provider urn>::<provider id>`. */
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[] | null>;
    protect?: boolean;
    ignoreChanges?: string[];
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    deleteBeforeReplace?: boolean;
}

/** A document reduced to what the analyzer needs. */
export interface AnalysisInput {
    /** Which shape the document had. */
    format: "export" | "checkpoint" | "preview";
    resources: AnalyzerInputResource[];
    /** Secrets provider type from the state (`b64` secrets can be decoded, others cannot). */
    secretsProvider?: string;
}

/** Policy config as in a `--policy-pack-config` file: level string, or `{enforcementLevel, ...props}`. */
export type PolicyPackConfigFile = Record<
    string,
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** Options of {@link checkPolicies}. */
export interface CheckOptions {
    /** Path of a `--policy-pack-config` JSON file (e.g. policy-pack/config/dev.json). */
    configFile?: string;
    /** Config given inline; applied after `configFile`. */
    config?: PolicyPackConfigFile;
    /** Policy pack directory. Default: `policy-pack/` next to this tool. */
    packDir?: string;
    /** How long to wait for the analyzer to print its port, in ms. Default 60000. */
    startTimeoutMs?: number;
}

/** Thrown for input the tool cannot read (exit code 2). */
export class InputError extends Error {}

/** Thrown when the analyzer fails to start or answer (exit code 3). */
export class AnalyzerError extends Error {}

// ------------------------------------------------------------------------------------------------
// Special values (pulumi/sdk/go/common/resource/sig and plugin/rpc.go)
// ------------------------------------------------------------------------------------------------

/** Key that marks special values in state and on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** The engine marshals every unknown (computed) value as this string. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A secret as the engine sends it to analyzers. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Path of the policy pack in this repository. */
export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "policy-pack");

// ------------------------------------------------------------------------------------------------
// Reading documents
// ------------------------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Preview step operations whose `newState` is not part of the resulting stack. */
const NO_NEW_STATE_OPS = new Set([
    "delete",
    "delete-replaced",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
]);

function fromStateResource(r: Record<string, unknown>, outputsMissing: boolean): AnalyzerInputResource {
    if (typeof r.urn !== "string" || typeof r.type !== "string") {
        throw new InputError(`a resource has no urn/type: ${JSON.stringify(r).slice(0, 200)}`);
    }
    const outputs = isRecord(r.outputs) ? r.outputs : undefined;
    return {
        urn: r.urn,
        type: r.type,
        custom: r.custom === true,
        inputs: isRecord(r.inputs) ? r.inputs : {},
        outputs:
            outputsMissing && (outputs === undefined || Object.keys(outputs).length === 0)
                ? undefined
                : (outputs ?? {}),
        parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
        provider: typeof r.provider === "string" && r.provider !== "" ? r.provider : undefined,
        dependencies: Array.isArray(r.dependencies) ? (r.dependencies as string[]) : [],
        propertyDependencies: isRecord(r.propertyDependencies)
            ? (r.propertyDependencies as Record<string, string[] | null>)
            : {},
        protect: r.protect === true,
        ignoreChanges: Array.isArray(r.ignoreChanges) ? (r.ignoreChanges as string[]) : [],
        additionalSecretOutputs: Array.isArray(r.additionalSecretOutputs)
            ? (r.additionalSecretOutputs as string[])
            : [],
        aliases: Array.isArray(r.aliases)
            ? (r.aliases as unknown[]).filter((a): a is string => typeof a === "string")
            : [],
        customTimeouts: isRecord(r.customTimeouts) ? r.customTimeouts : undefined,
        deleteBeforeReplace: typeof r.deleteBeforeReplace === "boolean" ? r.deleteBeforeReplace : undefined,
    };
}

function secretsProviderOf(deployment: Record<string, unknown>): string | undefined {
    const sp = deployment.secrets_providers;
    return isRecord(sp) && typeof sp.type === "string" ? sp.type : undefined;
}

/**
 * Recognises the document's shape and extracts its resources.
 *
 * - export / plan: `{version: 3, deployment: {resources: [...]}}`;
 * - checkpoint: `{version: 3, checkpoint: {latest: {resources: [...]}}}`;
 * - preview: `{steps: [{op, urn, newState: {...}}]}` (steps that delete are skipped; when a URN
 *   appears in several steps the last `newState` wins).
 * Resources marked `"delete": true` (pending deletion) are skipped, as the engine does.
 *
 * @throws InputError when the document is none of these.
 */
export function loadDocument(doc: unknown): AnalysisInput {
    if (!isRecord(doc)) {
        throw new InputError("the document is not a JSON object");
    }
    const fromDeployment = (deployment: unknown, format: "export" | "checkpoint"): AnalysisInput => {
        if (!isRecord(deployment)) {
            return { format, resources: [] }; // An empty stack's export has a null deployment.
        }
        const resources = Array.isArray(deployment.resources) ? deployment.resources : [];
        return {
            format,
            secretsProvider: secretsProviderOf(deployment),
            resources: resources
                .filter((r): r is Record<string, unknown> => isRecord(r) && r.delete !== true)
                .map((r) => fromStateResource(r, false)),
        };
    };
    if ("deployment" in doc) {
        return fromDeployment(doc.deployment, "export");
    }
    if (isRecord(doc.checkpoint)) {
        return fromDeployment(doc.checkpoint.latest, "checkpoint");
    }
    if (Array.isArray(doc.steps)) {
        const byUrn = new Map<string, AnalyzerInputResource>();
        for (const step of doc.steps) {
            if (!isRecord(step) || NO_NEW_STATE_OPS.has(String(step.op)) || !isRecord(step.newState)) {
                continue;
            }
            const r = fromStateResource(step.newState, true);
            byUrn.set(r.urn, r);
        }
        return { format: "preview", resources: [...byUrn.values()] };
    }
    throw new InputError(
        'unrecognised document: expected a stack export ("deployment"), a checkpoint ("checkpoint") or ' +
            '`pulumi preview --json` output ("steps")',
    );
}

// ------------------------------------------------------------------------------------------------
// Marshalling values the way the engine does
// ------------------------------------------------------------------------------------------------

/**
 * Converts a value from state JSON to what the engine sends an analyzer
 * (`MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}`).
 */
export function marshalValue(v: unknown, secretsProvider?: string): unknown {
    if (v === null || v === undefined || typeof v !== "object") {
        return v === undefined ? null : v;
    }
    if (Array.isArray(v)) {
        return v.map((e) => marshalValue(e, secretsProvider));
    }
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (typeof sig === "string") {
        switch (sig) {
            case SECRET_SIG: {
                if ("value" in o) {
                    return secret(marshalValue(o.value, secretsProvider));
                }
                if (typeof o.plaintext === "string") {
                    return secret(marshalValue(parseOr(o.plaintext, o.plaintext), secretsProvider));
                }
                if (typeof o.ciphertext === "string" && secretsProvider === "b64") {
                    const plaintext = Buffer.from(o.ciphertext, "base64").toString("utf8");
                    return secret(marshalValue(parseOr(plaintext, plaintext), secretsProvider));
                }
                // Encrypted with a key we do not hold: the value is not known to us.
                return secret(UNKNOWN);
            }
            case RESOURCE_REFERENCE_SIG: {
                const id = o.id;
                if (typeof id === "string" && id !== "") {
                    return id;
                }
                return typeof o.urn === "string" ? o.urn : UNKNOWN;
            }
            case OUTPUT_VALUE_SIG: {
                if (!("value" in o)) {
                    return UNKNOWN;
                }
                const value = marshalValue(o.value, secretsProvider);
                return o.secret === true ? secret(value) : value;
            }
            case ASSET_SIG:
            case ARCHIVE_SIG: {
                const out: Record<string, unknown> = {};
                for (const [k, e] of Object.entries(o)) {
                    out[k] =
                        k === "assets" && isRecord(e)
                            ? Object.fromEntries(
                                  Object.entries(e).map(([n, a]) => [n, marshalValue(a, secretsProvider)]),
                              )
                            : e;
                }
                // Our plan files keep only the hash of a string asset's contents; the analyzer needs
                // a path, text or URI to rebuild an asset, so it gets a placeholder text naming the hash.
                if (o[SIG_KEY] === ASSET_SIG && !("path" in o) && !("text" in o) && !("uri" in o)) {
                    out.text = `<contents omitted from the plan; sha256:${String(o.hash)}>`;
                }
                return out;
            }
            default:
                return o;
        }
    }
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) {
        if (!k.startsWith("__")) {
            out[k] = marshalValue(e, secretsProvider);
        }
    }
    return out;
}

function parseOr(text: string, fallback: unknown): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return fallback;
    }
}

function toStruct(props: Record<string, unknown> | undefined, secretsProvider?: string): Struct {
    return Struct.fromJavaScript((marshalValue(props ?? {}, secretsProvider) ?? {}) as Record<string, JavaScriptValue>);
}

/** The name part of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

// ------------------------------------------------------------------------------------------------
// Config reconciliation (pkg/resource/analyzer/config.go)
// ------------------------------------------------------------------------------------------------

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = {
    advisory: analyzerPb.EnforcementLevel.ADVISORY,
    mandatory: analyzerPb.EnforcementLevel.MANDATORY,
    remediate: analyzerPb.EnforcementLevel.REMEDIATE,
    disabled: analyzerPb.EnforcementLevel.DISABLED,
};

function levelFromProto(level: number): EnforcementLevel {
    const found = LEVELS.find((l) => LEVEL_TO_PROTO[l] === level);
    if (found === undefined) {
        throw new AnalyzerError(`unknown enforcement level ${level}`);
    }
    return found;
}

interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** Parses a `--policy-pack-config` document like the CLI (`parsePolicyPackConfig`). */
export function parsePolicyConfig(raw: unknown, where: string): Map<string, PolicyConfigEntry> {
    if (!isRecord(raw)) {
        throw new InputError(`${where}: policy config must be a JSON object`);
    }
    const out = new Map<string, PolicyConfigEntry>();
    for (const [name, v] of Object.entries(raw)) {
        if (typeof v === "string") {
            if (!LEVELS.includes(v as EnforcementLevel)) {
                throw new InputError(
                    `${where}: parsing enforcement level for "${name}": "${v}" is not a valid enforcement level ` +
                        `(${LEVELS.join(", ")})`,
                );
            }
            out.set(name, { enforcementLevel: v as EnforcementLevel });
        } else if (isRecord(v)) {
            const { enforcementLevel, ...properties } = v;
            if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
                throw new InputError(
                    `${where}: parsing enforcement level for "${name}": ${JSON.stringify(enforcementLevel)} is ` +
                        `not a valid enforcement level`,
                );
            }
            if (enforcementLevel === undefined && Object.keys(properties).length === 0) {
                continue;
            }
            out.set(name, {
                enforcementLevel: enforcementLevel as EnforcementLevel | undefined,
                properties: Object.keys(properties).length > 0 ? properties : undefined,
            });
        } else {
            throw new InputError(
                `${where}: parsing "${name}": ${JSON.stringify(v)} is not a valid value; must be a string or object`,
            );
        }
    }
    return out;
}

/** What `GetAnalyzerInfo` says about one policy. */
export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

/** What `GetAnalyzerInfo` says about the pack. */
export interface PackInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Map<string, PolicyConfigEntry>;
}

function applyConfig(result: Map<string, PolicyConfigEntry>, config: Map<string, PolicyConfigEntry>): void {
    const all = config.get("all");
    if (all?.enforcementLevel !== undefined) {
        for (const [k, v] of result) {
            result.set(k, { enforcementLevel: all.enforcementLevel, properties: v.properties });
        }
    }
    for (const [name, given] of config) {
        const current = result.get(name) ?? {};
        result.set(name, {
            enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
            properties: given.properties ? { ...(current.properties ?? {}), ...given.properties } : current.properties,
        });
    }
}

/**
 * JSON-schema check of one config value, covering the keywords policy config schemas use
 * (type, enum, minimum, maximum, minLength, maxLength, items, properties, required). The engine
 * validates with the full draft (gojsonschema); a schema using other keywords is not checked
 * further here.
 */
function schemaProblems(name: string, value: unknown, schema: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const type = schema.type;
    const typeOk =
        type === undefined ||
        (type === "integer" && Number.isInteger(value)) ||
        (type === "number" && typeof value === "number") ||
        (type === "string" && typeof value === "string") ||
        (type === "boolean" && typeof value === "boolean") ||
        (type === "array" && Array.isArray(value)) ||
        (type === "object" && isRecord(value));
    if (!typeOk) {
        // The schema's `type` keyword as the pack declared it (unchecked JSON: a name or a list of names).
        // eslint-disable-next-line @typescript-eslint/no-base-to-string
        return [`${name}: invalid type, expected ${String(type)}`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
        problems.push(`${name}: must be one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "number") {
        if (typeof schema.minimum === "number" && value < schema.minimum)
            problems.push(`${name}: must be >= ${schema.minimum}`);
        if (typeof schema.maximum === "number" && value > schema.maximum)
            problems.push(`${name}: must be <= ${schema.maximum}`);
    }
    if (typeof value === "string") {
        if (typeof schema.minLength === "number" && value.length < schema.minLength)
            problems.push(`${name}: must be at least ${schema.minLength} characters`);
        if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
            problems.push(`${name}: must be at most ${schema.maxLength} characters`);
    }
    if (Array.isArray(value) && isRecord(schema.items)) {
        value.forEach((e, i) =>
            problems.push(...schemaProblems(`${name}[${i}]`, e, schema.items as Record<string, unknown>)),
        );
    }
    if (isRecord(value)) {
        for (const req of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
            if (!(req in value)) problems.push(`${name}: ${req} is required`);
        }
        if (isRecord(schema.properties)) {
            for (const [k, s] of Object.entries(schema.properties)) {
                if (k in value && isRecord(s)) problems.push(...schemaProblems(`${name}.${k}`, value[k], s));
            }
        }
    }
    return problems;
}

/**
 * Reconciles policy config like the engine: every policy's default level and schema defaults,
 * then the pack's initial config, then the given config (with `"all"` applied first).
 *
 * @throws InputError listing every invalid property (the engine refuses to run then too).
 */
export function reconcileConfig(info: PackInfo, given: Map<string, PolicyConfigEntry>): Map<string, PolicyConfigEntry> {
    const result = new Map<string, PolicyConfigEntry>();
    for (const p of info.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in s) {
                defaults[k] = s.default;
            }
        }
        result.set(p.name, {
            enforcementLevel: p.enforcementLevel,
            properties: Object.keys(defaults).length > 0 ? defaults : undefined,
        });
    }
    applyConfig(result, info.initialConfig);
    applyConfig(result, given);
    const problems: string[] = [];
    for (const p of info.policies) {
        const props = result.get(p.name)?.properties ?? {};
        for (const req of p.configSchema?.required ?? []) {
            if (!(req in props)) {
                problems.push(`${p.name}: ${req} is required`);
            }
        }
        for (const [k, v] of Object.entries(props)) {
            const s = p.configSchema?.properties[k];
            if (s !== undefined) {
                problems.push(...schemaProblems(`${p.name}: ${k}`, v, s));
            }
        }
    }
    if (problems.length > 0) {
        throw new InputError(`policy pack configuration is invalid:\n  ${problems.join("\n  ")}`);
    }
    return result;
}

// ------------------------------------------------------------------------------------------------
// The analyzer process and its gRPC client
// ------------------------------------------------------------------------------------------------

function unary<Req, Res>(
    fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        fn(req, (err, res) => (err ? reject(new AnalyzerError(err.details || err.message)) : resolve(res)));
    });
}

/** Options of {@link PolicyAnalyzer.start}. */
export interface StartOptions {
    /** Policy pack directory. Default {@link DEFAULT_PACK_DIR}. */
    packDir?: string;
    /** Milliseconds to wait for the port. Default 60000 (the pack is type-checked at start). */
    startTimeoutMs?: number;
    /** Stack and project the engine would announce (env `PULUMI_NODEJS_STACK`/`PROJECT`). */
    stack?: string;
    project?: string;
    /** Preview (true) or update (false), env `PULUMI_NODEJS_DRY_RUN`. Default true. */
    dryRun?: boolean;
}

/**
 * One running policy pack analyzer (one `run-policy-pack` process and its gRPC client). Start
 * with {@link PolicyAnalyzer.start}, always {@link PolicyAnalyzer.close}.
 */
export class PolicyAnalyzer {
    private stderr = "";

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
        /** Pack metadata from `GetAnalyzerInfo`. */
        readonly info: PackInfo,
    ) {
        child.stderr?.on("data", (d: Buffer) => {
            this.stderr = (this.stderr + d.toString()).slice(-20000);
        });
    }

    /**
     * Starts `run-policy-pack` in the pack directory and connects to the port it prints.
     * @throws AnalyzerError when it exits or stays silent for `startTimeoutMs`.
     */
    static async start(opts: StartOptions = {}): Promise<PolicyAnalyzer> {
        const packDir = path.resolve(opts.packDir ?? DEFAULT_PACK_DIR);
        let script: string;
        try {
            script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        } catch {
            throw new AnalyzerError(
                `@pulumi/pulumi/cmd/run-policy-pack is not installed for ${packDir} (run npm install there)`,
            );
        }
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PULUMI_NODEJS_DRY_RUN: String(opts.dryRun ?? true),
            PULUMI_DRY_RUN: String(opts.dryRun ?? true),
        };
        if (opts.stack) env.PULUMI_NODEJS_STACK = env.PULUMI_STACK = opts.stack;
        if (opts.project) env.PULUMI_NODEJS_PROJECT = env.PULUMI_PROJECT = opts.project;
        // The engine address is dropped by run-policy-pack; any address will do.
        const child = spawn(process.execPath, [script, "127.0.0.1:1", "."], {
            cwd: packDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new AnalyzerError(
                        `the policy pack did not print a port within ${opts.startTimeoutMs ?? 60000} ms\n${stderr}`,
                    ),
                );
            }, opts.startTimeoutMs ?? 60000);
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*\n/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code, signal) => {
                clearTimeout(timer);
                reject(
                    new AnalyzerError(`the policy pack exited (${code ?? signal}) before serving:\n${stderr}${out}`),
                );
            });
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(new AnalyzerError(`could not start the policy pack: ${e.message}`));
            });
        });
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        try {
            const res = await unary<Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
            const info: PackInfo = {
                name: res.getName(),
                version: res.getVersion(),
                supportsConfig: res.getSupportsconfig(),
                policies: res.getPoliciesList().map((p) => {
                    const schema = p.getConfigschema();
                    return {
                        name: p.getName(),
                        description: p.getDescription(),
                        enforcementLevel: levelFromProto(p.getEnforcementlevel()),
                        configSchema: schema
                            ? {
                                  properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
                                      string,
                                      Record<string, unknown>
                                  >,
                                  required: schema.getRequiredList(),
                              }
                            : undefined,
                    };
                }),
                initialConfig: new Map(
                    [...res.getInitialconfigMap().entries()].map(([k, v]: [string, analyzerPb.PolicyConfig]) => [
                        k,
                        {
                            enforcementLevel: levelFromProto(v.getEnforcementlevel()),
                            properties: v.getProperties()?.toJavaScript(),
                        },
                    ]),
                ),
            };
            const analyzer = new PolicyAnalyzer(child, client, info);
            analyzer.stderr = stderr;
            return analyzer;
        } catch (e) {
            client.close();
            child.kill("SIGKILL");
            throw e instanceof AnalyzerError ? new AnalyzerError(`${e.message}\n${stderr}`) : e;
        }
    }

    /** The analyzer's stderr so far (last 20 kB), for error reports. */
    get log(): string {
        return this.stderr;
    }

    /**
     * Sends `ConfigureStack` (stack, project, organization), as the engine does after start.
     * Analyzers that do not implement it are tolerated, as by the engine.
     */
    async configureStack(stack: string, project: string, organization = "organization"): Promise<void> {
        const req = new analyzerPb.AnalyzerStackConfigureRequest();
        req.setStack(stack);
        req.setProject(project);
        req.setOrganization(organization);
        req.setDryRun(true);
        try {
            await unary(this.client.configureStack.bind(this.client), req);
        } catch (e) {
            if (!/unimplemented/i.test(String((e as Error).message))) {
                throw e;
            }
        }
    }

    /**
     * Reconciles `config` with the pack's defaults ({@link reconcileConfig}) and sends
     * `Configure`. Call before analysing; calling again replaces the whole config.
     */
    async configure(config: Map<string, PolicyConfigEntry> = new Map()): Promise<Map<string, PolicyConfigEntry>> {
        const reconciled = reconcileConfig(this.info, config);
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of reconciled) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_TO_PROTO[c.enforcementLevel ?? "advisory"]);
            pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as Record<string, JavaScriptValue>));
            map.set(name, pc);
        }
        await unary(this.client.configure.bind(this.client), req);
        return reconciled;
    }

    private options(r: AnalyzerInputResource): analyzerPb.AnalyzerResourceOptions {
        const o = new analyzerPb.AnalyzerResourceOptions();
        o.setProtect(r.protect ?? false);
        o.setIgnorechangesList(r.ignoreChanges ?? []);
        o.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
        o.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
        o.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
        o.setAliasesList(r.aliases ?? []);
        const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(r.customTimeouts?.create ?? 0);
        t.setUpdate(r.customTimeouts?.update ?? 0);
        t.setDelete(r.customTimeouts?.delete ?? 0);
        o.setCustomtimeouts(t);
        o.setParent(r.parent ?? "");
        return o;
    }

    private provider(
        r: AnalyzerInputResource,
        byUrn: Map<string, AnalyzerInputResource>,
        secretsProvider?: string,
    ): analyzerPb.AnalyzerProviderResource | undefined {
        if (!r.provider) {
            return undefined;
        }
        const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
        const p = byUrn.get(urn);
        if (p === undefined) {
            return undefined; // The engine only sends providers it has registered.
        }
        const out = new analyzerPb.AnalyzerProviderResource();
        out.setUrn(p.urn);
        out.setType(p.type);
        out.setName(urnName(p.urn));
        out.setProperties(toStruct(p.inputs, secretsProvider));
        return out;
    }

    /**
     * Runs every resource policy on each resource's inputs (`Analyze`), at most `concurrency`
     * requests in flight. Diagnostics carry the analysed resource's URN, as in the engine.
     */
    async analyze(input: AnalysisInput, concurrency = 8): Promise<Violation[]> {
        const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
        const results = new Array<Violation[]>(input.resources.length);
        let next = 0;
        const worker = async () => {
            while (next < input.resources.length) {
                const i = next++;
                const r = input.resources[i];
                const req = new analyzerPb.AnalyzeRequest();
                req.setUrn(r.urn);
                req.setType(r.type);
                req.setName(urnName(r.urn));
                req.setProperties(toStruct(r.inputs, input.secretsProvider));
                req.setOptions(this.options(r));
                const provider = this.provider(r, byUrn, input.secretsProvider);
                if (provider) req.setProvider(provider);
                const res = await unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
                    this.client.analyze.bind(this.client),
                    req,
                );
                results[i] = res.getDiagnosticsList().map((d) => this.violation(d, r.urn));
            }
        };
        await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
        return results.flat();
    }

    /**
     * Runs every stack policy once over all resources' outputs (`AnalyzeStack`). A resource
     * without outputs (a preview create) is sent with its inputs. Diagnostics without a URN in
     * the stack are attributed to the root stack, as the engine does.
     */
    async analyzeStack(input: AnalysisInput): Promise<Violation[]> {
        const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList(
            input.resources.map((r) => {
                const a = new analyzerPb.AnalyzerResource();
                a.setUrn(r.urn);
                a.setType(r.type);
                a.setName(urnName(r.urn));
                a.setProperties(toStruct(r.outputs ?? r.inputs, input.secretsProvider));
                a.setOptions(this.options(r));
                const provider = this.provider(r, byUrn, input.secretsProvider);
                if (provider) a.setProvider(provider);
                a.setParent(r.parent ?? "");
                a.setDependenciesList(r.dependencies ?? []);
                const deps = a.getPropertydependenciesMap();
                for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    if (Array.isArray(urns) && urns.length > 0) {
                        const pd = new analyzerPb.AnalyzerPropertyDependencies();
                        pd.setUrnsList(urns);
                        deps.set(k, pd);
                    }
                }
                return a;
            }),
        );
        const res = await unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
            this.client.analyzeStack.bind(this.client),
            req,
        );
        const root = rootStackUrn(input);
        return res.getDiagnosticsList().map((d) => {
            const urn = d.getUrn();
            return this.violation(d, urn !== "" && byUrn.has(urn) ? urn : root);
        });
    }

    /** `Analyze` for every resource, then `AnalyzeStack`: one full policy run. */
    async check(input: AnalysisInput): Promise<Violation[]> {
        return [...(await this.analyze(input)), ...(await this.analyzeStack(input))];
    }

    private violation(d: analyzerPb.AnalyzeDiagnostic, urn: string): Violation {
        return {
            policyName: d.getPolicyname(),
            enforcementLevel: levelFromProto(d.getEnforcementlevel()),
            urn,
            message: d.getMessage(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
        };
    }

    /** Closes the client and stops the analyzer (SIGTERM, then SIGKILL after 5 s). */
    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            this.child.kill("SIGTERM");
        });
    }
}

/** The root stack's URN: the `pulumi:pulumi:Stack` resource, else one derived from any URN. */
export function rootStackUrn(input: AnalysisInput): string {
    const stack = input.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    if (stack) {
        return stack.urn;
    }
    const any = input.resources[0]?.urn;
    const m = any ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(any) : null;
    return m ? `urn:pulumi:${m[1]}::${m[2]}::pulumi:pulumi:Stack::${m[2]}-${m[1]}` : "";
}

function stackAndProject(input: AnalysisInput): { stack?: string; project?: string } {
    const m = input.resources.length > 0 ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(input.resources[0].urn) : null;
    return m ? { stack: m[1], project: m[2] } : {};
}

/** Reads a `--policy-pack-config` file. @throws InputError */
export function readPolicyConfigFile(file: string): Map<string, PolicyConfigEntry> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read policy config ${file}: ${(e as Error).message}`);
    }
    if (text.trim() === "") {
        return new Map();
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new InputError(`policy config ${file} is not JSON: ${(e as Error).message}`);
    }
    return parsePolicyConfig(raw, file);
}

/** Result of {@link runPolicyCheck}: the violations and the pack that produced them. */
export interface PolicyCheckResult {
    violations: Violation[];
    pack: { name: string; version: string };
}

/**
 * Runs the policy pack over a document (export, checkpoint, preview JSON or plan), starting and
 * stopping one analyzer.
 *
 * @param document the parsed JSON document.
 * @returns every diagnostic, mandatory and advisory (including "can't run during preview").
 * @throws InputError for an unrecognised document or invalid config; AnalyzerError when the pack fails.
 */
export async function runPolicyCheck(document: unknown, opts: CheckOptions = {}): Promise<PolicyCheckResult> {
    const input = loadDocument(document);
    const config = opts.configFile ? readPolicyConfigFile(opts.configFile) : new Map<string, PolicyConfigEntry>();
    if (opts.config) {
        for (const [k, v] of parsePolicyConfig(opts.config, "config")) config.set(k, v);
    }
    const { stack, project } = stackAndProject(input);
    const started = performance.now();
    const analyzer = await PolicyAnalyzer.start({
        packDir: opts.packDir,
        startTimeoutMs: opts.startTimeoutMs,
        stack,
        project,
    });
    try {
        if (stack && project) {
            await analyzer.configureStack(stack, project);
        }
        await analyzer.configure(config);
        const loaded = performance.now();
        const violations = await analyzer.check(input);
        // `npm run bench`: the pack's start (loading and compiling it) apart from the check itself.
        if (process.env.PLATFORM_BENCH_OUT) {
            const timings = { loadMs: loaded - started, checkMs: performance.now() - loaded };
            fs.writeFileSync(process.env.PLATFORM_BENCH_OUT, JSON.stringify(timings));
        }
        return { violations, pack: { name: analyzer.info.name, version: analyzer.info.version } };
    } catch (e) {
        if (e instanceof AnalyzerError) {
            throw new AnalyzerError(`${e.message}\n${analyzer.log}`);
        }
        throw e;
    } finally {
        await analyzer.close();
    }
}

/**
 * {@link runPolicyCheck}, returning only the violations: the API `tools/plan.ts` calls.
 * Exit-code rule for callers: fail when any violation is `mandatory`.
 */
export async function checkPolicies(document: unknown, opts: CheckOptions = {}): Promise<Violation[]> {
    return (await runPolicyCheck(document, opts)).violations;
}

// ------------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------------

const LEVEL_ORDER: Record<EnforcementLevel, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** Sorts violations by pack, policy, level (mandatory first), URN. */
export function sortViolations(vs: Violation[]): Violation[] {
    return [...vs].sort(
        (a, b) =>
            a.policyPackName.localeCompare(b.policyPackName) ||
            a.policyName.localeCompare(b.policyName) ||
            LEVEL_ORDER[a.enforcementLevel] - LEVEL_ORDER[b.enforcementLevel] ||
            a.urn.localeCompare(b.urn),
    );
}

/**
 * Formats violations the way `pulumi preview` prints its "Policies:" section: per pack a status
 * line (❌ mandatory violations, ⚠️ advisory only, ✅ none), then per violation
 * `- [level]  policy  (type: name)` and the message lines.
 */
export function formatViolations(vs: Violation[], packs: { name: string; version: string; source: string }[]): string {
    const lines = ["Policies:"];
    for (const pack of packs) {
        const mine = sortViolations(vs.filter((v) => v.policyPackName === pack.name));
        const icon = mine.some((v) => v.enforcementLevel === "mandatory") ? "❌" : mine.length > 0 ? "⚠️" : "✅";
        lines.push(`    ${icon} ${pack.name}@v${pack.version} (local: ${pack.source})`);
        for (const v of mine) {
            const type = v.urn.split("::")[2]?.split("$").pop() ?? "";
            lines.push(`        - [${v.enforcementLevel}]  ${v.policyName}  (${type}: ${urnName(v.urn)})`);
            for (const l of v.message.split("\n")) {
                lines.push(`          ${l}`);
            }
        }
    }
    return lines.join("\n");
}

/** The `--json` form: `[{policyName, enforcementLevel, urn, message}]`, sorted. */
export function violationsJson(
    vs: Violation[],
): { policyName: string; enforcementLevel: EnforcementLevel; urn: string; message: string }[] {
    return sortViolations(vs).map(({ policyName, enforcementLevel, urn, message }) => ({
        policyName,
        enforcementLevel,
        urn,
        message,
    }));
}

// ------------------------------------------------------------------------------------------------
// CLI
// ------------------------------------------------------------------------------------------------

const USAGE =
    "usage: npm run policy -- <stack-export | preview.json | plan.json> [--config <policy-config.json>] [--pack " +
    "<dir>] [--json]";

/** Options of {@link runPolicyCheckCli}. */
export interface CliOptions extends CheckOptions {
    /** Print `[{policyName, enforcementLevel, urn, message}]` instead of the preview-style report. */
    json?: boolean;
}

/**
 * Runs the pack over `document`, prints the report (preview style, or JSON with `json`) and
 * resolves to the exit code: 0 no mandatory violation, 1 a mandatory violation, 2 unreadable
 * input or config, 3 the analyzer failed. `tools/plan.ts` calls this on the plan it wrote.
 */
export async function runPolicyCheckCli(document: unknown, opts: CliOptions = {}): Promise<number> {
    const packDir = path.resolve(opts.packDir ?? DEFAULT_PACK_DIR);
    try {
        const { violations, pack } = await runPolicyCheck(document, { ...opts, packDir });
        if (opts.json) {
            console.log(JSON.stringify(violationsJson(violations), null, 2));
        } else {
            console.log(
                formatViolations(violations, [{ ...pack, source: path.relative(process.cwd(), packDir) || "." }]),
            );
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
            const advisory = violations.filter((v) => v.enforcementLevel === "advisory").length;
            console.log(`\n${mandatory} mandatory, ${advisory} advisory violation(s).`);
        }
        return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (e) {
        if (e instanceof InputError) {
            console.error(`error: ${e.message}`);
            return 2;
        }
        console.error(`error: the policy pack failed: ${(e as Error).message}`);
        return 3;
    }
}

/** CLI entry point (`npm run policy -- ...`); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                config: { type: "string" },
                json: { type: "boolean", default: false },
                pack: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (e) {
        console.error(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    if (args.values.help) {
        console.log(USAGE);
        return 0;
    }
    if (args.positionals.length !== 1) {
        console.error(USAGE);
        return 2;
    }
    const file = args.positionals[0];
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        console.error(`error: cannot read ${file}: ${(e as Error).message}`);
        return 2;
    }
    return runPolicyCheckCli(doc, {
        configFile: args.values.config,
        packDir: args.values.pack,
        json: args.values.json,
    });
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(3);
        },
    );
}
