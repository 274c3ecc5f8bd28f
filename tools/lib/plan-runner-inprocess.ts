/**
 * TEMPORARY (removed once the recording engine is proven equal by test/tools/engine-parity.spec.ts):
 * the previous offline plan, in-process. Runs a Pulumi program offline: the real program, under the Pulumi Node.js runtime in preview mode,
 * with mocks in place of the engine's providers. Every registration the program makes is recorded as
 * the engine would record it, and the result is a `pulumi stack export` document (deployment v3).
 *
 * One run per process: the Pulumi runtime keeps global state.
 *
 * Export format: https://www.pulumi.com/docs/iac/concepts/state-and-backends/ (checkpoint v3);
 * mocks: https://www.pulumi.com/docs/iac/guides/testing/unit/.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import type {
    RegisterResourceOutputsRequest,
    RegisterResourceRequest,
    RegisterResourceResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { planMocks } from "./mocks";
import { StackSettings } from "./stack-config";
import {
    ExportedResource,
    inExportOrder,
    ProgramError,
    sdkVersion,
    SECRET_SIG,
    SECRET_SIG_KEY,
    StackExport,
    toPlanValue,
} from "./plan-runner";

/**
 * The runtime's wait for outstanding RPCs (what `pulumi.runtime.disconnect` awaits before closing).
 * It is `@internal` in `@pulumi/pulumi/runtime/settings`, so absent from the declarations.
 */
function waitForRPCs(): Promise<void> {
    return (runtimeSettings as typeof runtimeSettings & { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/** gRPC-style callback as MockMonitor calls it: `(null, response)` or `(error, undefined)`. */
type MonitorCallback<T> = (err: unknown, resp: T | undefined) => void;

/**
 * The MockMonitor members patched here, typed with the requests the runtime sends
 * (`@pulumi/pulumi/proto/resource_pb`). MockMonitor declares them with `any`, and `newUrn` as private.
 */
interface PatchableMonitor {
    newUrn: (parent: string, type: string, name: string) => string;
    registerResource: (
        req: RegisterResourceRequest,
        callback: MonitorCallback<RegisterResourceResponse>,
    ) => Promise<void>;
    registerResourceOutputs: (req: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>) => void;
}

/** The monitor `setMocks` installed, or an error if the runtime holds another one. */
function mockMonitor(): PatchableMonitor {
    const monitor: unknown = runtimeSettings.getMonitor();
    if (!(monitor instanceof MockMonitor))
        throw new Error("runPlan: the Pulumi runtime's monitor is not the MockMonitor setMocks installed");
    return monitor as unknown as PatchableMonitor;
}

/**
 * Runs the program named by `settings.main` with the stack's config and returns the resource graph.
 *
 * @throws ProgramError when the program throws (config validation included) or a registration fails.
 */
export async function runPlan(settings: StackSettings): Promise<StackExport> {
    const defaultRegion = settings.config["aws:region"] ?? "us-east-1";
    const providerRegions = new Map<string, string>();
    await pulumi.runtime.setMocks(
        planMocks({ defaultRegion, providerRegions }),
        settings.project,
        settings.stack,
        true,
    );
    pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);

    const resources: ExportedResource[] = [];
    const defaultProviders = new Map<string, ExportedResource>();
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);

    const monitor = mockMonitor();
    // The engine's URN: the parent's qualified type chain (without the root stack) + `$` + type.
    // MockMonitor keeps only the parent's last type; patch it so URNs read as in real state.
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${settings.stack}::${settings.project}::${qualified}::${name}`;
    };
    const registerResource = monitor.registerResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);

    const providerFor = (req: RegisterResourceRequest): string | undefined => {
        const explicit = req.getProvider();
        if (explicit) return explicit;
        const pkg = req.getType().split(":")[0];
        if (!req.getCustom() || pkg === "pulumi") return undefined;
        const version = req.getVersion() || "0.0.0";
        const key = `${pkg}@${version}`;
        let provider = defaultProviders.get(key);
        if (!provider) {
            const urn = `urn:pulumi:${settings.stack}::${settings.project}::pulumi:providers:${pkg}::default_${version.replace(/[.-]/g, "_")}`;
            const id = crypto.createHash("sha256").update(urn).digest("hex").slice(0, 32);
            const inputs = pkg === "aws" ? { region: defaultRegion, version } : { version };
            provider = { urn, custom: true, id, type: `pulumi:providers:${pkg}`, inputs, outputs: inputs };
            defaultProviders.set(key, provider);
            resources.push(provider);
        }
        return `${provider.urn}::${provider.id}`;
    };

    monitor.registerResource = (req, callback) => {
        const provider = providerFor(req);
        const entry: ExportedResource = { urn: "", custom: req.getCustom(), type: req.getType() };
        resources.push(entry);
        return registerResource(req, (err, resp) => {
            if (err || !resp) {
                failures.push(err ?? new Error(`registerResource ${req.getType()}::${req.getName()}: no response`));
            } else {
                entry.urn = resp.getUrn();
                if (entry.custom) entry.id = resp.getId();
                const inputs = toPlanValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                // Custom resources, and remote components (awsx, eks), whose inputs the engine hands
                // to the policy pack like any resource's.
                if (entry.custom || req.getRemote()) {
                    entry.inputs = inputs;
                    const outputs = (resp.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                    // Outputs the resource declares secret (`additionalSecretOutputs`, e.g. a TLS private key).
                    for (const key of req.getAdditionalsecretoutputsList()) {
                        if (key in outputs) outputs[key] = { [SECRET_SIG_KEY]: SECRET_SIG, value: outputs[key] };
                    }
                    entry.outputs = toPlanValue(outputs) as Record<string, unknown>;
                }
                if (req.getParent()) entry.parent = req.getParent();
                if (provider) entry.provider = provider;
                const dependencies = req.getDependenciesList();
                if (dependencies.length > 0) entry.dependencies = [...new Set(dependencies)];
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps, key) => {
                    const urns = deps.getUrnsList();
                    if (urns.length > 0) propertyDependencies[key] = urns;
                });
                if (Object.keys(propertyDependencies).length > 0) entry.propertyDependencies = propertyDependencies;
                if (req.getProtect()) entry.protect = true;
                if (entry.type.startsWith("pulumi:providers:") && typeof inputs.region === "string") {
                    providerRegions.set(`${entry.urn}::${entry.id}`, inputs.region);
                }
            }
            callback(err, resp);
        });
    };
    monitor.registerResourceOutputs = (req, callback) => {
        const entry = resources.find((r) => r.urn === req.getUrn());
        if (entry && !entry.custom && entry.inputs === undefined) {
            entry.outputs = toPlanValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        return registerResourceOutputs(req, callback);
    };

    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // Like the Node.js language host: a module's exports are the stack outputs; a default
            // export that is a function is called and its result awaited.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(settings.main) as { default?: unknown } | undefined;
            return typeof mod?.default === "function" ? await (mod.default as () => unknown)() : mod;
        });
        await waitForRPCs();
    } catch (err) {
        failures.unshift(err);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) throw new ProgramError(failures);

    const version = `@pulumi/pulumi ${sdkVersion()} (offline plan)`;
    return {
        version: 3,
        deployment: {
            manifest: {
                time: new Date().toISOString(),
                magic: crypto.createHash("sha256").update(version).digest("hex"),
                version,
            },
            resources: resources.filter((r) => r.urn !== "").map(inExportOrder),
        },
    };
}
