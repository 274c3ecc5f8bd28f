/**
 * Test harness for the policy pack: runs resources through the pack's real analyzer (the
 * `run-policy-pack` process the engine starts), exactly the path `npm run policy` takes.
 *
 * Usage, one analyzer per test file:
 *
 * ```ts
 * const pack = usePack();                      // before(): start; after(): stop
 * it("...", async () => {
 *     const vs = await pack.run([res("aws:sqs/queue:Queue", "orders", { kmsMasterKeyId: "alias/data" })]);
 *     assert.deepStrictEqual(only(vs, "sqs-queue-encryption"), []);
 * });
 * ```
 *
 * Each `run` sends every resource to `Analyze` (its inputs) and all of them to `AnalyzeStack`
 * (its outputs, parents, dependencies and property dependencies), like one preview.
 */
import * as assert from "assert";
import {
    AnalysisInput,
    AnalyzerInputResource,
    parsePolicyConfig,
    PolicyAnalyzer,
    PolicyPackConfigFile,
    secret,
    UNKNOWN,
    Violation,
} from "../../../tools/policy-check";

export { secret, UNKNOWN, Violation };

/** Stack and project the test URNs use. */
export const STACK = "test";
export const PROJECT = "platform";

/** A resource as a test declares it; build with {@link res}. */
export interface TestResource extends AnalyzerInputResource {
    /** Logical name (the URN's last part). */
    name: string;
}

/** Options of {@link res}. */
export interface ResOptions {
    /** Parent resource (its type joins the URN's type chain, as in the engine). */
    parent?: TestResource;
    /** Outputs for `AnalyzeStack`. Default: the inputs plus `id` (`<name>-id`) and `arn` for custom resources. */
    outputs?: Record<string, unknown>;
    /** Property dependencies: input name -> resources that fed it. */
    deps?: Record<string, TestResource[]>;
    /** Extra dependencies (beyond the property dependencies). */
    dependsOn?: TestResource[];
    /** Component (not custom) resource, e.g. `eks:index:Cluster`. Default: custom unless the type has no `/`. */
    component?: boolean;
    /** Set no `id`/`arn` outputs (to test linking through property dependencies only). */
    noIds?: boolean;
}

function typeChain(r: TestResource | undefined): string {
    if (r === undefined) {
        return "";
    }
    const qualified = r.urn.split("::")[2];
    return `${qualified}$`;
}

/**
 * Builds a test resource. URN: `urn:pulumi:test::platform::<parent chain$><type>::<name>`.
 * Outputs default to the inputs plus `id: "<name>-id"` and `arn: "arn:aws:test:::<name>"`, so
 * stack policies can also link by value.
 */
export function res(
    type: string,
    name: string,
    given: Record<string, unknown> = {},
    opts: ResOptions = {},
): TestResource {
    // An input set to `undefined` is absent, as in the engine's property maps.
    const inputs = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    const custom = !(opts.component ?? !type.includes("/"));
    const ids = custom && !opts.noIds ? { id: `${name}-id`, arn: `arn:aws:test:::${name}` } : {};
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, rs] of Object.entries(opts.deps ?? {})) {
        propertyDependencies[k] = rs.map((r) => r.urn);
    }
    const dependencies = [
        ...new Set([...Object.values(propertyDependencies).flat(), ...(opts.dependsOn ?? []).map((r) => r.urn)]),
    ];
    return {
        name,
        urn: `urn:pulumi:${STACK}::${PROJECT}::${typeChain(opts.parent)}${type}::${name}`,
        type,
        custom,
        inputs,
        outputs: opts.outputs ?? { ...inputs, ...ids },
        parent: opts.parent?.urn,
        dependencies,
        propertyDependencies,
    };
}

/** A running analyzer for one test file. */
export class PackHarness {
    private constructor(
        /** The running analyzer (for code that drives it directly, e.g. the corpus). */
        readonly analyzer: PolicyAnalyzer,
    ) {}

    /** Starts the pack's analyzer and configures it with the policies' default levels (or `config`). */
    static async start(config?: PolicyPackConfigFile): Promise<PackHarness> {
        const analyzer = await PolicyAnalyzer.start({ stack: STACK, project: PROJECT });
        const h = new PackHarness(analyzer);
        await h.configure(config);
        return h;
    }

    /** Names of the pack's policies, as `GetAnalyzerInfo` lists them. */
    get policyNames(): string[] {
        return this.analyzer.info.policies.map((p) => p.name);
    }

    /** The pack's metadata (`GetAnalyzerInfo`). */
    get info() {
        return this.analyzer.info;
    }

    /** Replaces the policy config (as `--policy-pack-config` would). */
    async configure(config: PolicyPackConfigFile = {}): Promise<void> {
        await this.analyzer.configure(parsePolicyConfig(config, "test config"));
    }

    /** `Analyze` every resource, then `AnalyzeStack` over all: every diagnostic of one preview. */
    async run(resources: TestResource[]): Promise<Violation[]> {
        const input: AnalysisInput = { format: "export", resources };
        return this.analyzer.check(input);
    }

    async close(): Promise<void> {
        await this.analyzer.close();
    }
}

/** Registers mocha `before`/`after` hooks that start and stop one analyzer; use inside `describe`. */
export function usePack(config?: PolicyPackConfigFile): PackHarness {
    let harness: PackHarness | undefined;
    before(async function () {
        this.timeout(120_000);
        harness = await PackHarness.start(config);
    });
    after(async () => {
        await harness?.close();
    });
    return new Proxy({} as PackHarness, {
        get: (_t, prop) => {
            if (harness === undefined) {
                throw new Error("the policy pack analyzer is not running (usePack must be called inside describe)");
            }
            const v = (harness as any)[prop];
            return typeof v === "function" ? v.bind(harness) : v;
        },
    });
}

/** The violations of one policy. */
export function only(vs: Violation[], policyName: string): Violation[] {
    return vs.filter((v) => v.policyName === policyName);
}

/** The message the analyzer gives when a policy touched an unknown value during preview. */
export const CANT_RUN = (policyName: string) =>
    new RegExp(`^can't run policy '${policyName}' from policy pack 'platform-policies@v[^']+' during preview: `);

/** Expected outcome of one policy over one set of resources. */
export interface PolicyCase {
    /** Resources sent through the pack. */
    resources: TestResource[];
}

/** A violating case: which resources must be flagged, and what the message must say. */
export interface ViolatingCase extends PolicyCase {
    /** Resources (URNs) that must be flagged, one violation each unless `count` says otherwise. */
    flagged: TestResource[];
    /** Every violation's message must match (names the property and the allowed value). */
    message: RegExp;
    /** Exact number of violations of this policy. Default `flagged.length`. */
    count?: number;
}

/** The three cases every policy has. */
export interface PolicyCases {
    compliant: PolicyCase[];
    violating: ViolatingCase[];
    /** Cases where the value the policy needs is unknown (preview): neither passed nor failed. */
    unknown: PolicyCase[];
}

/**
 * Declares the compliant / violating / unknown tests of one policy against the running pack.
 * Assertions: compliant -> no diagnostic of the policy; violating -> exactly the expected
 * mandatory (default level) violations on the expected URNs, messages matching; unknown -> one
 * advisory "can't run ... during preview" diagnostic and no violation.
 */
export function policyCases(
    pack: PackHarness,
    policyName: string,
    cases: PolicyCases,
    level: "mandatory" | "advisory" = "mandatory",
): void {
    describe(policyName, () => {
        cases.compliant.forEach((c, i) => {
            it(`passes compliant case ${i + 1} (${c.resources.map((r) => r.name).join(", ")})`, async () => {
                const vs = only(await pack.run(c.resources), policyName);
                assert.deepStrictEqual(vs, [], `unexpected diagnostics:\n${vs.map((v) => v.message).join("\n")}`);
            });
        });
        cases.violating.forEach((c, i) => {
            it(`flags violating case ${i + 1} (${c.flagged.map((r) => r.name).join(", ")})`, async () => {
                const vs = only(await pack.run(c.resources), policyName);
                assert.strictEqual(
                    vs.length,
                    c.count ?? c.flagged.length,
                    `violations:\n${vs.map((v) => `${v.urn}: ${v.message}`).join("\n")}`,
                );
                assert.deepStrictEqual([...new Set(vs.map((v) => v.urn))].sort(), c.flagged.map((r) => r.urn).sort());
                for (const v of vs) {
                    assert.strictEqual(v.enforcementLevel, level);
                    assert.match(v.message, c.message);
                }
            });
        });
        cases.unknown.forEach((c, i) => {
            it(`cannot decide unknown case ${i + 1} during preview (advisory "can't run")`, async () => {
                const vs = only(await pack.run(c.resources), policyName);
                assert.strictEqual(vs.length, 1, `diagnostics:\n${vs.map((v) => v.message).join("\n")}`);
                assert.strictEqual(vs[0].enforcementLevel, "advisory");
                assert.match(vs[0].message, CANT_RUN(policyName));
            });
        });
    });
}
