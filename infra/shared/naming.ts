/**
 * Names. Logical (Pulumi) names are `${architecture}-${purpose}`; children of a component derive theirs
 * from the component's name (`${name}-sg`). Physical names are left to Pulumi's auto-naming except
 * where something outside needs a fixed, predictable name (log groups, parameters, ECR repositories);
 * those come from the helpers below and respect AWS length limits.
 */

/** Logical name of a resource of an architecture: `ticketing-db`, `foundation-network`. */
export function logicalName(architecture: string, purpose: string): string {
    return `${architecture}-${purpose}`;
}

/** Where a name is used: `project`, `environment` and `architecture` are prefixed, `/`-separated. */
export interface NameScope {
    project: string;
    environment: string;
    architecture: string;
}

/**
 * CloudWatch Logs group name `/<project>/<environment>/<architecture>/<purpose>` (limit 512 characters,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
 */
export function logGroupName(scope: NameScope, purpose: string): string {
    const name = `/${scope.project}/${scope.environment}/${scope.architecture}/${purpose}`;
    if (name.length > 512) throw new RangeError(`log group name longer than 512 characters: ${name}`);
    return name;
}

/**
 * A dash-separated physical name `<project>-<environment>-<architecture>-<purpose>`, lower case,
 * at most `maxLength` characters (a hash keeps truncated names unique).
 */
export function physicalName(scope: NameScope, purpose: string, maxLength: number): string {
    const full = `${scope.project}-${scope.environment}-${scope.architecture}-${purpose}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-");
    if (full.length <= maxLength) return full;
    let hash = 0;
    for (const ch of full) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    const suffix = hash.toString(36).slice(0, 6);
    return `${full.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
}
