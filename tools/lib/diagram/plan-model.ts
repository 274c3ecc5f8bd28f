/**
 * Read-only views of a `pulumi stack export` document (deployment v3) that the diagram and cost tools
 * share: which architecture (top-level component under the stack) and which component each resource
 * belongs to, which resources it depends on, and which AWS region it lands in.
 *
 * Terms:
 * - architecture: a component whose parent is the stack (`foundation`, `ticketing`, ...).
 * - component: a non-custom resource of the program (`platform:<domain>:<Type>`), the unit a diagram
 *   draws as a cluster.
 * - cloud resource: a custom resource (not a provider), or a remote component (`awsx:`, `eks:`) that
 *   registers with no children under mocks: one opaque resource as far as the plan can tell.
 *
 * Format: https://www.pulumi.com/docs/iac/concepts/state-and-backends/ (checkpoint v3).
 */
import type { ExportedResource, StackExport } from "../plan-runner";

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** Last URN segment: the logical name. */
export const nameOf = (r: { urn: string }): string => r.urn.split("::").pop() ?? r.urn;

const isProvider = (r: ExportedResource) => r.type.startsWith("pulumi:providers:");

export class PlanModel {
    readonly resources: readonly ExportedResource[];
    private readonly byUrn = new Map<string, ExportedResource>();
    private readonly children = new Map<string, ExportedResource[]>();
    private readonly providerRegion = new Map<string, string>();

    /**
     * @param document the plan (`npm run plan` output or `pulumi stack export`).
     * @param defaultRegion region of resources on the default provider when the plan does not name it
     *   (the plan's default `aws` provider carries `inputs.region`; this is the fallback).
     */
    constructor(
        readonly document: StackExport,
        readonly defaultRegion = "us-east-1",
    ) {
        this.resources = document.deployment.resources;
        for (const r of this.resources) {
            this.byUrn.set(r.urn, r);
            if (r.parent) {
                const list = this.children.get(r.parent) ?? [];
                list.push(r);
                this.children.set(r.parent, list);
            }
            if (isProvider(r) && typeof r.inputs?.region === "string")
                this.providerRegion.set(`${r.urn}::${r.id}`, r.inputs.region);
        }
    }

    get(urn: string): ExportedResource | undefined {
        return this.byUrn.get(urn);
    }

    /** The stack resource's name (`<project>-<stack>`) and stack name from its URN. */
    get stackName(): string {
        const stack = this.resources.find((r) => r.type === STACK_TYPE);
        return stack ? stack.urn.split("::")[0].replace(/^urn:pulumi:/, "") : "";
    }

    childrenOf(urn: string): readonly ExportedResource[] {
        return this.children.get(urn) ?? [];
    }

    /** Custom resources and childless remote components: what the cloud bills and the diagram draws. */
    isCloudResource(r: ExportedResource): boolean {
        if (r.type === STACK_TYPE || isProvider(r)) return false;
        if (r.custom) return true;
        const pkg = r.type.split(":")[0];
        return pkg !== "platform" && pkg !== "pulumi" && this.childrenOf(r.urn).length === 0;
    }

    cloudResources(): ExportedResource[] {
        return this.resources.filter((r) => this.isCloudResource(r));
    }

    /** Ancestors from the parent up to (excluding) the stack. */
    ancestors(r: ExportedResource): ExportedResource[] {
        const chain: ExportedResource[] = [];
        for (
            let p = r.parent ? this.byUrn.get(r.parent) : undefined;
            p && p.type !== STACK_TYPE;
            p = p.parent ? this.byUrn.get(p.parent) : undefined
        )
            chain.push(p);
        return chain;
    }

    /** The top-level component the resource lives in; `(stack)` for resources directly under the stack. */
    architectureOf(r: ExportedResource): string {
        if (r.parent && this.byUrn.get(r.parent)?.type === STACK_TYPE && !r.custom) return nameOf(r);
        const chain = this.ancestors(r);
        return chain.length > 0 ? nameOf(chain[chain.length - 1]) : "(stack)";
    }

    /** Architectures (top-level components), sorted by name. */
    architectures(): string[] {
        const stack = this.resources.find((r) => r.type === STACK_TYPE);
        if (!stack) return [];
        return this.childrenOf(stack.urn)
            .filter((r) => !r.custom && !isProvider(r))
            .map(nameOf)
            .sort();
    }

    /** The nearest enclosing component (a non-custom ancestor); undefined directly under the stack. */
    componentOf(r: ExportedResource): ExportedResource | undefined {
        return this.ancestors(r)[0];
    }

    /** URNs this resource depends on: explicit `dependencies` plus every property dependency, deduplicated. */
    dependenciesOf(r: ExportedResource): string[] {
        const all = new Set<string>([...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()]);
        all.delete(r.urn);
        return [...all];
    }

    /** URNs the named input properties depend on (in the order given). */
    propertyDependencies(r: ExportedResource, props: readonly string[]): string[] {
        return props.flatMap((p) => r.propertyDependencies?.[p] ?? []);
    }

    /** The region a resource is created in: its explicit provider's region, else the default provider's. */
    regionOf(r: ExportedResource): string {
        if (r.provider) {
            const region = this.providerRegion.get(r.provider);
            if (region) return region;
        }
        const defaultProvider = this.resources.find(
            (p) => p.type === "pulumi:providers:aws" && nameOf(p).startsWith("default"),
        );
        const region = defaultProvider?.inputs?.region;
        return typeof region === "string" ? region : this.defaultRegion;
    }
}
