/**
 * Tags for every taggable resource. Pass the result explicitly to each resource's `tags`: provider
 * default tags are invisible to mocks and policies, explicit tags are not.
 *
 * Tagging strategy: https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/
 */
import { PlatformConfig } from "../config/load";

/** Tags the platform sets on everything (`REQUIRED_TAG_KEYS`). */
export interface RequiredTags {
    Project: string;
    Environment: string;
    Architecture: string;
    ManagedBy: "pulumi";
    Stack: string;
}

/**
 * The tags of a resource of `architecture` (`foundation` for the shared layer): config tags, then
 * `extra`, then the required keys, applied last so nothing overrides them.
 */
export function platformTags(
    config: Pick<PlatformConfig, "project" | "stack" | "environment" | "tags">,
    architecture: string,
    extra: Readonly<Record<string, string>> = {},
): Record<string, string> & RequiredTags {
    return {
        ...config.tags,
        ...extra,
        Project: config.project,
        Environment: config.environment,
        Architecture: architecture,
        ManagedBy: "pulumi",
        Stack: config.stack,
    };
}
