/**
 * The contract between `index.ts` and an architecture module in `stacks/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArchitectureConfigSpec, PlatformConfig } from "../infra/config/load";
import { ArchitectureName } from "../infra/config/keys";
import { Foundation } from "../infra/foundation";
import { NameScope } from "../infra/shared/naming";

/** What an architecture receives: validated config, its own parsed settings, the foundation, its tags. */
export interface ArchitectureContext<Settings = unknown> {
    readonly config: PlatformConfig;
    /** The architecture's `platform:<name>` settings, parsed by its `settings` schema. */
    readonly settings: Settings;
    readonly foundation: Foundation;
    /** `platformTags(config, name)`: pass to every taggable resource. */
    readonly tags: Record<string, string>;
    /** Project, environment and architecture: the scope of the architecture's fixed physical names. */
    readonly scope: NameScope;
}

/** An architecture: its config contract and the function that composes its infra/ components. */
export interface ArchitectureModule<Settings = unknown> extends ArchitectureConfigSpec {
    readonly name: ArchitectureName;
    /** One line for the README and the plan summary. */
    readonly description: string;
    /** Registers the architecture's resources and returns its stack outputs (camelCase keys). */
    deploy(ctx: ArchitectureContext<Settings>): Record<string, pulumi.Input<unknown>>;
}

/**
 * What each step of an architecture's constructor receives (the constructor reads as a list of steps, one
 * per tier: edge, identity, compute, data, messaging, observability): the architecture's context, the
 * component's logical name, from which steps derive their resources' names, and `{ parent: component }`
 * for every resource a step registers. A step returns what later steps use.
 */
export interface StepContext<Settings = unknown> extends ArchitectureContext<Settings> {
    /** The architecture component's logical name (`ticketing`): children are named `${name}-<role>`. */
    readonly name: string;
    /** Resource options of every child: the architecture component as parent. */
    readonly child: { parent: pulumi.Resource };
}
