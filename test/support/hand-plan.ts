/**
 * A hand-made plan in the `pulumi stack export` shape (v3) for the diagram and flow specs: a stack, its
 * default aws provider, components, and resources with inputs, outputs and property dependencies.
 */
import type { ExportedResource, StackExport } from "../../tools/lib/plan-runner";

/** A hand-made plan: stack, default provider, components, resources with property dependencies. */
export class HandPlan {
    readonly resources: ExportedResource[] = [];
    readonly stack: ExportedResource = {
        urn: "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev",
        custom: false,
        type: "pulumi:pulumi:Stack",
    };
    private readonly provider = "urn:pulumi:dev::platform::pulumi:providers:aws::default_7_48_0::p1";

    constructor() {
        this.resources.push(this.stack, {
            urn: "urn:pulumi:dev::platform::pulumi:providers:aws::default_7_48_0",
            custom: true,
            id: "p1",
            type: "pulumi:providers:aws",
            inputs: { region: "sa-east-1" },
        });
    }

    component(type: string, name: string, parent = this.stack): ExportedResource {
        const r: ExportedResource = {
            urn: `urn:pulumi:dev::platform::${type}::${name}`,
            custom: false,
            type,
            parent: parent.urn,
        };
        this.resources.push(r);
        return r;
    }

    resource(
        type: string,
        name: string,
        parent: ExportedResource,
        inputs: Record<string, unknown> = {},
        deps: Record<string, ExportedResource[]> = {},
    ): ExportedResource {
        const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map((d) => d.urn)]));
        const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
        const r: ExportedResource = {
            urn: `urn:pulumi:dev::platform::${type}::${name}`,
            custom: true,
            id: `${name}-id`,
            type,
            inputs,
            parent: parent.urn,
            provider: this.provider,
        };
        if (dependencies.length > 0) Object.assign(r, { dependencies, propertyDependencies });
        this.resources.push(r);
        return r;
    }

    document(order: (rs: ExportedResource[]) => ExportedResource[] = (rs) => rs): StackExport {
        return {
            version: 3,
            deployment: {
                manifest: { time: "2026-01-01T00:00:00Z", magic: "m", version: "v" },
                resources: order([...this.resources]),
            },
        };
    }
}
