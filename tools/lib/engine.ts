/**
 * A recording engine: runs a Pulumi program the way `pulumi preview` does, against our own resource
 * monitor instead of the Pulumi engine, and returns the resource graph as a `pulumi stack export`
 * document (deployment v3).
 *
 * How the CLI runs a Node.js program (pulumi-language-nodejs, `execRuntime` and `constructArguments`,
 * https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/pulumi-language-nodejs/main.go): it
 * starts `node [nodeargs] <@pulumi/pulumi>/cmd/run --monitor <addr> --engine <addr> --organization <o>
 * --project <p> --root-directory <dir> --stack <s> --pwd <program dir> [--dry-run] --parallel <n>
 * <entry point>` (here without `--organization`, which needs a backend, and `--parallel`, which the
 * Node.js SDK only stores) with `PULUMI_CONFIG` (JSON, keys as `<namespace>:config:<name>`),
 * `PULUMI_CONFIG_SECRET_KEYS` (JSON list), `PULUMI_NODEJS_TYPESCRIPT=true` unless the project sets
 * `runtime.options.typescript: false`, and `PULUMI_NODEJS_TSCONFIG_PATH` from `runtime.options.tsconfig`.
 * `cmd/run` resolves the entry point, registers ts-node (type-checking unless the tsconfig sets
 * `noCheck` or `PULUMI_NODEJS_TRANSPILE_ONLY` is set), reads the config, and talks to the monitor and
 * engine over gRPC. This module does the same, with the services `ResourceMonitor` and `Engine` of
 * `@pulumi/pulumi/proto` implemented here:
 *
 * - `RegisterResource`: runs the resource transforms the program registered (its own, its parents',
 *   then the stack's, in that order, as the engine's `resmon.RegisterResource` does), answers with the
 *   mocks of `./mocks` (remote components `awsx`/`eks` included: one resource, faked outputs) and
 *   records the registration; URNs carry the parent's qualified type chain as the engine builds them.
 * - `Invoke` (data sources) and `ReadResource`: answered by the mocks.
 * - `SupportsFeature`: everything the mocks supported, plus `transforms`; not `outputValues` (inputs of
 *   remote components arrive as plain values, as in `pulumi.runtime.setMocks`), `invokeTransforms`,
 *   resource and error hooks (the SDK refuses them with a clear error instead of silently ignoring).
 * - `Engine.Log`: diagnostics are forwarded (info and warnings as they come; errors are collected and
 *   make the run fail, as they fail `pulumi preview`); debug messages are dropped, as the CLI hides them.
 *
 * What it cannot do: `Call` (methods of remote components) is not implemented, as under `setMocks`;
 * provider-side `Check`/`Diff` do not run.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import * as callrpc from "@pulumi/pulumi/proto/callback_grpc_pb";
import * as callproto from "@pulumi/pulumi/proto/callback_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { planMocks } from "./mocks";
import {
    ExportedResource,
    ProgramError,
    SECRET_SIG,
    SECRET_SIG_KEY,
    sdkVersion,
    StackExport,
    toPlanValue,
    inExportOrder,
} from "./plan-runner";
import { StackSettings } from "./stack-config";

/** The SDK's (de)serialization of property maps (`@internal` in `@pulumi/pulumi/runtime/rpc`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties: (s: Struct | undefined) => Record<string, unknown>;
    serializeProperties: (label: string, props: Record<string, unknown>) => Promise<Record<string, unknown>>;
};

/**
 * The SDK's serialization in this process follows its store's feature flags; set them as the monitor
 * reports them, as `pulumi.runtime.setMocks` does, so resource references and secrets in the mocks'
 * answers keep their wire form (`@internal` in `@pulumi/pulumi/runtime/state`).
 */
function enableSerializationFeatures(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require("@pulumi/pulumi/runtime/state") as {
        getStore: () => { supportsSecrets: boolean; supportsResourceReferences: boolean };
    };
    const store = state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
}

/** Features the monitor reports as supported (`SupportsFeature`); anything else is unsupported. */
const FEATURES = new Set([
    "secrets",
    "resourceReferences",
    "deletedWith",
    "replaceWith",
    "aliasSpecs",
    "transforms",
    "parameterization",
]);

/** Pulumi's signature of a resource reference on the wire. */
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** `LogSeverity` of `engine.proto`. */
const SEVERITY = ["debug", "info", "warning", "error"] as const;

export interface EngineOptions {
    /** Where the program's output and forwarded diagnostics go (default: this process's stderr). */
    output?: NodeJS.WritableStream;
    /** Extra environment for the program (e.g. `PULUMI_NODEJS_TRANSPILE_ONLY`). */
    env?: Record<string, string>;
}

type Callback<T> = grpc.sendUnaryData<T>;
type Call<T> = grpc.ServerUnaryCall<T, unknown>;

function failWith<T>(callback: Callback<T>, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    callback({ code: grpc.status.UNKNOWN, details: message, name: "Error", message });
}

/** The recording state of one run. */
class Recorder {
    readonly resources: ExportedResource[] = [];
    readonly errors: string[] = [];
    readonly byUrn = new Map<string, ExportedResource>();
    readonly parents = new Map<string, string>();
    readonly stackTransforms: callproto.Callback[] = [];
    readonly resourceTransforms = new Map<string, callproto.Callback[]>();
    readonly providerRegions = new Map<string, string>();
    private readonly defaultProviders = new Map<string, ExportedResource>();
    private readonly callbackClients = new Map<string, callrpc.CallbacksClient>();
    readonly mocks: pulumi.runtime.Mocks;
    rootUrn = "";

    constructor(readonly settings: StackSettings) {
        this.mocks = planMocks({ defaultRegion: this.defaultRegion, providerRegions: this.providerRegions });
    }

    get defaultRegion(): string {
        return this.settings.config["aws:region"] ?? "us-east-1";
    }

    /** The engine's URN: the parent's qualified type chain (without the root stack) + `$` + type. */
    urn(parent: string, type: string, name: string): string {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${this.settings.stack}::${this.settings.project}::${qualified}::${name}`;
    }

    /** The provider reference of a custom resource: explicit, or the package's default provider. */
    providerFor(type: string, custom: boolean, explicit: string, version: string): string | undefined {
        if (explicit) return explicit;
        const pkg = type.split(":")[0];
        if (!custom || pkg === "pulumi") return undefined;
        const v = version || "0.0.0";
        const key = `${pkg}@${v}`;
        let provider = this.defaultProviders.get(key);
        if (!provider) {
            const urn = this.urn("", `pulumi:providers:${pkg}`, `default_${v.replace(/[.-]/g, "_")}`);
            const id = crypto.createHash("sha256").update(urn).digest("hex").slice(0, 32);
            const inputs = pkg === "aws" ? { region: this.defaultRegion, version: v } : { version: v };
            provider = { urn, custom: true, id, type: `pulumi:providers:${pkg}`, inputs, outputs: inputs };
            this.defaultProviders.set(key, provider);
            this.resources.push(provider);
        }
        return `${provider.urn}::${provider.id}`;
    }

    callbacks(target: string): callrpc.CallbacksClient {
        let client = this.callbackClients.get(target);
        if (!client) {
            client = new callrpc.CallbacksClient(target, grpc.credentials.createInsecure());
            this.callbackClients.set(target, client);
        }
        return client;
    }

    close(): void {
        for (const client of this.callbackClients.values()) client.close();
    }
}

/** The transform options the engine builds from a registration (`TransformResourceOptions`). */
function transformOptions(req: resproto.RegisterResourceRequest): resproto.TransformResourceOptions {
    const opts = new resproto.TransformResourceOptions();
    opts.setDependsOnList(req.getDependenciesList());
    opts.setProtect(req.getProtect() ?? false);
    opts.setIgnoreChangesList(req.getIgnorechangesList());
    opts.setReplaceOnChangesList(req.getReplaceonchangesList());
    opts.setVersion(req.getVersion());
    opts.setAliasesList(req.getAliasesList());
    opts.setProvider(req.getProvider());
    const timeouts = req.getCustomtimeouts();
    if (timeouts) opts.setCustomTimeouts(timeouts);
    opts.setPluginDownloadUrl(req.getPlugindownloadurl());
    opts.setRetainOnDelete(req.getRetainondelete() ?? false);
    opts.setDeletedWith(req.getDeletedwith());
    opts.setDeleteBeforeReplace(req.getDeletebeforereplace());
    opts.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    req.getProvidersMap().forEach((v, k) => opts.getProvidersMap().set(k, v));
    return opts;
}

function invokeCallback(
    client: callrpc.CallbacksClient,
    token: string,
    request: Uint8Array,
): Promise<callproto.CallbackInvokeResponse> {
    const req = new callproto.CallbackInvokeRequest();
    req.setToken(token);
    req.setRequest(request);
    return new Promise((resolve, reject) =>
        client.invoke(req, (err, resp) => (err || !resp ? reject(err ?? new Error("no response")) : resolve(resp))),
    );
}

/**
 * Runs the transforms that apply to a registration, in the engine's order: the resource's own
 * (`transforms` option), then each ancestor's, then the stack's (`registerResourceTransform`).
 */
async function applyTransforms(
    rec: Recorder,
    req: resproto.RegisterResourceRequest,
): Promise<{ props: Struct; opts: resproto.TransformResourceOptions }> {
    const own = req.getTransformsList();
    const chain: callproto.Callback[] = [...own];
    for (let p = req.getParent(); p; p = rec.parents.get(p) ?? "") chain.push(...(rec.resourceTransforms.get(p) ?? []));
    chain.push(...rec.stackTransforms);
    let props = req.getObject() ?? new Struct();
    let opts = transformOptions(req);
    for (const cb of chain) {
        const treq = new resproto.TransformRequest();
        treq.setType(req.getType());
        treq.setName(req.getName());
        treq.setCustom(req.getCustom());
        treq.setParent(req.getParent());
        treq.setProperties(props);
        treq.setOptions(opts);
        const resp = await invokeCallback(rec.callbacks(cb.getTarget()), cb.getToken(), treq.serializeBinary());
        const tresp = resproto.TransformResponse.deserializeBinary(resp.getResponse_asU8());
        props = tresp.getProperties() ?? props;
        opts = tresp.getOptions() ?? opts;
    }
    return { props, opts };
}

/**
 * The mocks' state in wire form. Input values with a resource reference that the mocks echo keep the
 * form the program sent: this process has none of the program's resource classes, so the reference
 * deserializes to its id, and would otherwise come back as a plain id where the engine answers with
 * the reference.
 */
async function echoInputs(
    inputs: Record<string, unknown>,
    props: Struct,
    state: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const serialized = await rpc.serializeProperties("", state);
    const wire = props.toJavaScript();
    for (const [key, value] of Object.entries(state)) {
        if (key in inputs && inputs[key] === value && JSON.stringify(wire[key] ?? null).includes(RESOURCE_SIG)) {
            serialized[key] = wire[key];
        }
    }
    return serialized;
}

async function registerResource(
    rec: Recorder,
    req: resproto.RegisterResourceRequest,
): Promise<resproto.RegisterResourceResponse> {
    const entry: ExportedResource = { urn: "", custom: req.getCustom(), type: req.getType() };
    rec.resources.push(entry);
    const hasTransforms = req.getTransformsList().length > 0;
    const { props, opts } = await applyTransforms(rec, req);
    const provider = rec.providerFor(req.getType(), req.getCustom(), opts.getProvider(), opts.getVersion());
    const urn = rec.urn(req.getParent(), req.getType(), req.getName());
    const inputs = rpc.deserializeProperties(props);
    const result = await rec.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs,
        provider: opts.getProvider(),
        custom: req.getCustom(),
        id: req.getImportid(),
    });
    const state = await echoInputs(inputs, props, result.state as Record<string, unknown>);
    entry.urn = urn;
    rec.byUrn.set(urn, entry);
    if (req.getParent()) rec.parents.set(urn, req.getParent());
    if (req.getTransformsList().length > 0) rec.resourceTransforms.set(urn, req.getTransformsList());
    if (entry.custom) entry.id = result.id ?? "";
    if (entry.custom || req.getRemote()) {
        entry.inputs = toPlanValue(props.toJavaScript()) as Record<string, unknown>;
        const outputs: Record<string, unknown> = { ...state };
        for (const key of opts.getAdditionalSecretOutputsList()) {
            if (key in outputs) outputs[key] = { [SECRET_SIG_KEY]: SECRET_SIG, value: outputs[key] };
        }
        entry.outputs = toPlanValue(outputs) as Record<string, unknown>;
    }
    if (req.getParent()) entry.parent = req.getParent();
    if (provider) entry.provider = provider;
    // The engine rebuilds dependencies from the transformed options when the resource has its own transforms.
    const dependencies = hasTransforms ? opts.getDependsOnList() : req.getDependenciesList();
    if (dependencies.length > 0) entry.dependencies = [...new Set(dependencies)];
    if (!hasTransforms) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            const urns = deps.getUrnsList();
            if (urns.length > 0) propertyDependencies[key] = urns;
        });
        if (Object.keys(propertyDependencies).length > 0) entry.propertyDependencies = propertyDependencies;
    }
    if (opts.getProtect()) entry.protect = true;
    const region = (entry.inputs as { region?: unknown } | undefined)?.region;
    if (entry.type.startsWith("pulumi:providers:") && typeof region === "string") {
        rec.providerRegions.set(`${urn}::${entry.id}`, region);
    }
    const resp = new resproto.RegisterResourceResponse();
    resp.setUrn(urn);
    resp.setId(entry.custom ? (result.id ?? "") : "");
    resp.setObject(Struct.fromJavaScript(state as never));
    return resp;
}

async function invoke(rec: Recorder, req: resproto.ResourceInvokeRequest): Promise<provproto.InvokeResponse> {
    const inputs = rpc.deserializeProperties(req.getArgs());
    const resp = new provproto.InvokeResponse();
    if (req.getTok() === "pulumi:pulumi:getResource") {
        const r = rec.byUrn.get(String(inputs.urn));
        if (!r) throw new Error(`unknown resource ${String(inputs.urn)}`);
        resp.setReturn(Struct.fromJavaScript({ urn: r.urn, id: r.id ?? null, state: (r.outputs ?? {}) as never }));
        return resp;
    }
    const result = await rec.mocks.call({ token: req.getTok(), inputs, provider: req.getProvider() });
    resp.setReturn(Struct.fromJavaScript((await rpc.serializeProperties("", result)) as never));
    return resp;
}

async function readResource(rec: Recorder, req: resproto.ReadResourceRequest): Promise<resproto.ReadResourceResponse> {
    const result = await rec.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: rpc.deserializeProperties(req.getProperties()),
        provider: req.getProvider(),
        custom: true,
        id: req.getId(),
    });
    const resp = new resproto.ReadResourceResponse();
    resp.setUrn(rec.urn(req.getParent(), req.getType(), req.getName()));
    resp.setProperties(
        Struct.fromJavaScript((await rpc.serializeProperties("", result.state as Record<string, unknown>)) as never),
    );
    return resp;
}

/** Handler of a unary RPC whose answer may be computed asynchronously. */
function unary<Req, Resp>(fn: (req: Req) => Resp | Promise<Resp>) {
    return (call: Call<Req>, callback: Callback<Resp>) => {
        Promise.resolve()
            .then(() => fn(call.request))
            .then(
                (resp) => callback(null, resp),
                (err) => failWith(callback, err),
            );
    };
}

function monitorService(rec: Recorder): grpc.UntypedServiceImplementation {
    const unimplemented = (what: string) => (_call: unknown, callback: Callback<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not supported by the offline plan` });
    return {
        supportsFeature: unary((req: resproto.SupportsFeatureRequest) =>
            new resproto.SupportsFeatureResponse().setHassupport(FEATURES.has(req.getId())),
        ),
        registerResource: unary((req: resproto.RegisterResourceRequest) => registerResource(rec, req)),
        registerResourceOutputs: unary((req: resproto.RegisterResourceOutputsRequest) => {
            const entry = rec.byUrn.get(req.getUrn());
            if (entry && !entry.custom && entry.inputs === undefined) {
                entry.outputs = toPlanValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
            }
            return new Empty();
        }),
        invoke: unary((req: resproto.ResourceInvokeRequest) => invoke(rec, req)),
        readResource: unary((req: resproto.ReadResourceRequest) => readResource(rec, req)),
        registerStackTransform: unary((cb: callproto.Callback) => {
            if (!cb.getTarget()) throw new Error("target must be specified");
            rec.stackTransforms.push(cb);
            return new Empty();
        }),
        registerPackage: unary(() => new resproto.RegisterPackageResponse().setRef(crypto.randomUUID())),
        signalAndWaitForShutdown: unary(() => new Empty()),
        call: unimplemented("Call (methods of remote components)"),
        streamInvoke: unimplemented("StreamInvoke"),
        registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
        registerResourceHook: unimplemented("RegisterResourceHook"),
        registerErrorHook: unimplemented("RegisterErrorHook"),
        getDeploymentInfo: unimplemented("GetDeploymentInfo"),
    };
}

function engineService(rec: Recorder, output: NodeJS.WritableStream): grpc.UntypedServiceImplementation {
    return {
        log: unary((req: engineproto.LogRequest) => {
            const severity = SEVERITY[req.getSeverity()] ?? "info";
            const where = req.getUrn() ? `${req.getUrn()}: ` : "";
            if (severity === "error") rec.errors.push(`${where}${req.getMessage()}`);
            else if (severity !== "debug") output.write(`${severity}: ${where}${req.getMessage()}\n`);
            return new Empty();
        }),
        getRootResource: unary(() => new engineproto.GetRootResourceResponse().setUrn(rec.rootUrn)),
        setRootResource: unary((req: engineproto.SetRootResourceRequest) => {
            rec.rootUrn = req.getUrn();
            return new engineproto.SetRootResourceResponse();
        }),
        startDebugging: (_call: unknown, callback: Callback<unknown>) =>
            callback({ code: grpc.status.UNIMPLEMENTED, details: "debugging is not supported by the offline plan" }),
        requirePulumiVersion: unary(() => new engineproto.RequirePulumiVersionResponse()),
    };
}

function listen(server: grpc.Server): Promise<string> {
    return new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
            err ? reject(err) : resolve(`127.0.0.1:${port}`),
        ),
    );
}

/**
 * `PULUMI_CONFIG` as the language host builds it: JSON of every key as `<namespace>:config:<name>`.
 */
export function pulumiConfigEnv(config: Record<string, string>): string {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const i = key.indexOf(":");
        out[`${key.slice(0, i)}:config:${key.slice(i + 1)}`] = value;
    }
    return JSON.stringify(out);
}

/** The `cmd/run` command line and environment the language host would use for this project and stack. */
export function languageHostCommand(
    settings: StackSettings,
    monitor: string,
    engine: string,
): { args: string[]; env: Record<string, string> } {
    const run = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run");
    const { runtime } = settings;
    const args = [
        ...runtime.nodeargs,
        run,
        "--monitor",
        monitor,
        "--engine",
        engine,
        "--project",
        settings.project,
        "--root-directory",
        settings.projectDir,
        "--stack",
        settings.stack,
        "--pwd",
        settings.programDir,
        "--dry-run",
        settings.entryPoint,
    ];
    const env: Record<string, string> = {
        PULUMI_CONFIG: pulumiConfigEnv(settings.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(settings.secretKeys),
    };
    if (runtime.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (runtime.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = runtime.tsconfig;
    return { args, env };
}

/** This process's environment without ts-node's settings (the CLI's program does not inherit them). */
function inheritedEnv(): Record<string, string> {
    return Object.fromEntries(
        Object.entries(process.env).filter(
            (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith("TS_NODE_"),
        ),
    );
}

/**
 * The manifest's time: now, or `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
 * convention, https://reproducible-builds.org/specs/source-date-epoch/) when set, so two plans of the same
 * program are byte-identical (`npm run plans:snapshot`).
 */
function manifestTime(): string {
    const epoch = process.env.SOURCE_DATE_EPOCH;
    return new Date(epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now()).toISOString();
}

/**
 * Runs the program of `settings` through `cmd/run` against the recording engine, in preview mode.
 *
 * @throws ProgramError with every error the program reported (diagnostics of severity error, an
 *   unhandled exception or rejection, an error inside an `apply`) or its non-zero exit status.
 */
export async function runPlan(settings: StackSettings, options: EngineOptions = {}): Promise<StackExport> {
    const output = options.output ?? process.stderr;
    enableSerializationFeatures();
    const rec = new Recorder(settings);
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, monitorService(rec));
    server.addService(enginerpc.EngineService, engineService(rec, output));
    const address = await listen(server);
    const { args, env } = languageHostCommand(settings, address, address);
    let exitCode: number | null;
    let stderrTail = "";
    const started = process.hrtime.bigint();
    try {
        exitCode = await new Promise<number | null>((resolve, reject) => {
            const child = spawn(process.execPath, args, {
                cwd: settings.programDir,
                env: { ...inheritedEnv(), ...env, ...options.env },
                stdio: ["ignore", "pipe", "pipe"],
            });
            child.stdout.on("data", (d: Buffer) => output.write(d));
            child.stderr.on("data", (d: Buffer) => {
                output.write(d);
                stderrTail = (stderrTail + d.toString()).slice(-4000);
            });
            // The program must not outlive the plan (a test's timeout, Ctrl-C): stop it, then exit.
            const stop = (signal: NodeJS.Signals) => {
                child.kill();
                process.exit(signal === "SIGINT" ? 130 : 143);
            };
            process.once("SIGTERM", stop).once("SIGINT", stop);
            child.on("error", reject);
            child.on("close", (code, signal) => {
                process.off("SIGTERM", stop).off("SIGINT", stop);
                resolve(signal ? 128 : code);
            });
        });
    } finally {
        rec.close();
        server.forceShutdown();
    }
    // `npm run bench` reads the program's own wall time (cmd/run start to exit) from here.
    if (process.env.PLATFORM_BENCH_OUT) {
        const programMs = Number(process.hrtime.bigint() - started) / 1e6;
        fs.writeFileSync(process.env.PLATFORM_BENCH_OUT, JSON.stringify({ programMs }));
    }
    if (exitCode !== 0 || rec.errors.length > 0) {
        const errors = [...rec.errors];
        // 32: cmd/run already reported the error through the engine.
        if (errors.length === 0) errors.push(`Program exited with non-zero exit code: ${exitCode}\n${stderrTail}`);
        throw new ProgramError(errors);
    }
    const version = `@pulumi/pulumi ${sdkVersion()} (offline plan)`;
    return {
        version: 3,
        deployment: {
            manifest: {
                time: manifestTime(),
                magic: crypto.createHash("sha256").update(version).digest("hex"),
                version,
            },
            resources: canonicalOrder(rec.resources.filter((r) => r.urn !== "")).map(inExportOrder),
        },
    };
}

/**
 * The order the plan writes resources in: what a checkpoint needs (the stack first, a resource after its
 * parent, its provider and everything it depends on, as the engine writes state), and otherwise by URN. Registrations
 * reach the engine in an order that depends on gRPC timing, so arrival order would make two plans of the
 * same program differ; this order depends only on the graph.
 */
export function canonicalOrder(resources: readonly ExportedResource[]): ExportedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const before = (r: ExportedResource): string[] =>
        [
            stack,
            r.parent,
            r.provider?.split("::").slice(0, -1).join("::"),
            ...(r.dependencies ?? []),
            ...Object.values(r.propertyDependencies ?? {}).flat(),
        ].filter((u): u is string => u !== undefined && u !== r.urn && byUrn.has(u));
    const waiting = new Map(resources.map((r) => [r.urn, new Set(before(r))]));
    const dependents = new Map<string, string[]>();
    for (const [urn, deps] of waiting) for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), urn]);
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([u]) => u);
    const out: ExportedResource[] = [];
    while (ready.length > 0) {
        ready.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        const urn = ready.pop()!;
        out.push(byUrn.get(urn)!);
        waiting.delete(urn);
        for (const d of dependents.get(urn) ?? []) {
            const deps = waiting.get(d);
            if (deps?.delete(urn) && deps.size === 0) ready.push(d);
        }
    }
    // A dependency cycle cannot come from a program; keep any such rest in URN order rather than drop it.
    const rest = [...waiting.keys()].sort().map((u) => byUrn.get(u)!);
    return [...out, ...rest];
}
