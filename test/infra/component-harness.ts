/**
 * In-process harness for component specs: installs the offline plan's own mocks (tools/lib/mocks.ts,
 * so components see the ids, ARNs and DNS names AWS would give) and records every registration with
 * its inputs and provider reference.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../../tools/lib/mocks";

export interface Registered {
    type: string;
    name: string;
    inputs: any;
    /** `<provider urn>::<id>` when the resource names an explicit provider. */
    provider?: string;
}

export interface Harness {
    readonly registered: Registered[];
    /** Installs the mocks (call in `before`). */
    install(): void;
    /** Resolves `o`, then waits until registrations stop arriving (children made from outputs register late). */
    settle<T>(o: pulumi.Output<T>): Promise<T>;
    /** The single resource of `type` named `name`; fails on none or several. */
    one(type: string, name: string): Registered;
    /** Resources of `type` whose name starts with `prefix`, in registration order. */
    ofType(type: string, prefix: string): Registered[];
}

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

export function componentHarness(): Harness {
    const registered: Registered[] = [];
    const providerRegions = new Map<string, string>();
    const mocks = planMocks({ defaultRegion: "sa-east-1", providerRegions });
    return {
        registered,
        install() {
            void pulumi.runtime.setMocks(
                {
                    newResource: (a) => {
                        registered.push({ type: a.type, name: a.name, inputs: a.inputs, provider: a.provider });
                        const result = mocks.newResource(a) as pulumi.runtime.MockResourceResult; // planMocks answers synchronously
                        // Top-level providers (the only kind specs make): their reference is `<urn>::<id>`.
                        if (a.type.startsWith("pulumi:providers:") && typeof a.inputs.region === "string") {
                            providerRegions.set(
                                `urn:pulumi:test::platform::${a.type}::${a.name}::${result.id}`,
                                a.inputs.region,
                            );
                        }
                        return result;
                    },
                    call: (a) => mocks.call(a),
                },
                "platform",
                "test",
                false,
            );
        },
        async settle<T>(o: pulumi.Output<T>): Promise<T> {
            const value = await resolve(o);
            for (let seen = -1; seen !== registered.length;) {
                seen = registered.length;
                await new Promise((r) => setTimeout(r, 25));
            }
            return value;
        },
        one(type: string, name: string): Registered {
            const found = registered.filter((r) => r.type === type && r.name === name);
            assert.strictEqual(found.length, 1, `${type} ${name}: found ${found.length}`);
            return found[0];
        },
        ofType(type: string, prefix: string): Registered[] {
            return registered.filter((r) => r.type === type && r.name.startsWith(prefix));
        },
    };
}

/** Resolves an Output (or returns a plain value). */
export const value = <T>(o: pulumi.Input<T>): Promise<T> => resolve(pulumi.output(o) as pulumi.Output<T>);

export const TAGS = {
    Project: "platform",
    Environment: "test",
    Architecture: "test",
    ManagedBy: "pulumi",
    Stack: "test",
};

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** An input as the program gave it: secrets (in Pulumi's wire form in mock inputs) unwrapped, recursively. */
export function plain(v: any): any {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        if (v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return plain(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}
/** Whether an input arrived as a secret. */
export const isSecret = (v: any): boolean =>
    Boolean(v && typeof v === "object" && v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270");
