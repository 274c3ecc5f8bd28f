/**
 * The offline plan's document: a `pulumi stack export` (deployment v3) of what the program registered,
 * with secrets masked and asset contents replaced by their hash. The plan itself is produced by the
 * recording engine (`./engine`).
 *
 * Export format: https://www.pulumi.com/docs/iac/concepts/state-and-backends/ (checkpoint v3).
 */
import * as crypto from "crypto";

/** Signature key and value Pulumi uses to mark secrets in state and on the wire. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What a secret's ciphertext reads in a plan file: the value is never written. */
export const MASKED_SECRET = "[secret]";

/** One resource of a `pulumi stack export` document. */
export interface ExportedResource {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
}

/** A `pulumi stack export` document (`version: 3`). */
export interface StackExport {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        resources: ExportedResource[];
    };
}

/** Signature Pulumi uses to mark an asset (file, string or remote content) in state and on the wire. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

/**
 * A value as the plan file records it: secrets replaced by a masked marker (keeping Pulumi's secret
 * signature), and the contents of string assets (bundled Lambda code) replaced by their SHA-256 `hash`,
 * the field state keeps for every asset, so the plan stays small and still changes when the code does.
 * The mocks' `__pulumiArchive`/`__pulumiAsset` markers are dropped. Recursive.
 */
export function toPlanValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(toPlanValue);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SECRET_SIG_KEY] === SECRET_SIG) return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: MASKED_SECRET };
        const entries = Object.entries(obj).filter(([k]) => k !== "__pulumiArchive" && k !== "__pulumiAsset");
        if (obj[SECRET_SIG_KEY] === ASSET_SIG && typeof obj.text === "string") {
            return { [SECRET_SIG_KEY]: ASSET_SIG, hash: crypto.createHash("sha256").update(obj.text).digest("hex") };
        }
        return Object.fromEntries(entries.map(([k, v]) => [k, toPlanValue(v)]));
    }
    return value;
}

/** Same keys, in the order `pulumi stack export` writes them. */
export function inExportOrder(r: ExportedResource): ExportedResource {
    const { urn, custom, id, type, inputs, outputs, parent, protect, provider, dependencies, propertyDependencies } = r;
    const ordered: ExportedResource = {
        urn,
        custom,
        id,
        type,
        inputs,
        outputs,
        parent,
        protect,
        provider,
        dependencies,
        propertyDependencies,
    };
    for (const k of Object.keys(ordered) as (keyof ExportedResource)[]) if (ordered[k] === undefined) delete ordered[k];
    return ordered;
}

export function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/** Thrown when the program itself fails (not a recording problem); `errors` holds every failure seen. */
export class ProgramError extends Error {
    constructor(readonly errors: unknown[]) {
        super(errors.map((e) => (e instanceof Error ? e.message : String(e))).join("\n"));
        this.name = "ProgramError";
    }
}
