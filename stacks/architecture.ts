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
