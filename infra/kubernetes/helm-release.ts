/**
 * A Helm release pinned to one chart version (`kubernetes:helm.sh/v3:Release`, which Helm itself
 * installs and tracks, so `helm list` and `helm history` show it): the version must be an exact
 * semantic version (no range, no `latest`), the chart comes from an HTTPS repository, and the release
 * is atomic (a failed install or upgrade rolls back) and cleaned up on failure.
 *
 * https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/,
 * https://helm.sh/docs/helm/helm_upgrade/ (`--atomic`, `--cleanup-on-fail`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface PinnedChart {
    /** Chart name in the repository, e.g. `kube-prometheus-stack`. */
    chart: string;
    /** Exact chart version, e.g. `80.7.0`. */
    version: string;
    /** HTTPS repository URL, e.g. `https://prometheus-community.github.io/helm-charts`. */
    repo: string;
}

export interface PinnedReleaseArgs extends PinnedChart {
    /** Helm release name (fixed: charts derive object names from it). */
    releaseName: string;
    /** Namespace (must exist, or be `kube-system`). */
    namespace: pulumi.Input<string>;
    /** Chart values. */
    values: pulumi.Input<Record<string, unknown>>;
    /** Seconds Helm waits for the release to become ready. Default 600. */
    timeoutSeconds?: number;
}

const SEMVER = /^\d+\.\d+\.\d+$/;

/** Problems of a chart pin (empty when it is exact and from HTTPS). */
export function chartProblems(c: PinnedChart): string[] {
    const p: string[] = [];
    if (!SEMVER.test(c.version))
        p.push(
            "version must be an exact chart version such as 1.2.3 (no range, no latest); " +
                `got ${JSON.stringify(c.version)}`,
        );
    if (!/^https:\/\/[^\s]+$/.test(c.repo)) p.push(`repo must be an HTTPS URL; got ${JSON.stringify(c.repo)}`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.chart)) p.push(`chart must be a chart name; got ${JSON.stringify(c.chart)}`);
    return p;
}

/**
 * Registers the release `name`.
 * @throws Error naming the release and field when the pin is not exact or the repository not HTTPS.
 */
export function pinnedRelease(
    name: string,
    args: PinnedReleaseArgs,
    opts: pulumi.CustomResourceOptions & { provider: k8s.Provider },
): k8s.helm.v3.Release {
    const problems = chartProblems(args);
    if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(args.releaseName))
        problems.push(
            `releaseName must be 1-53 lower-case letters, digits and -; got ${JSON.stringify(args.releaseName)}`,
        );
    if (problems.length > 0) throw new Error(`Helm release ${name}: ${problems.join("; ")}`);
    return new k8s.helm.v3.Release(
        name,
        {
            name: args.releaseName,
            chart: args.chart,
            version: args.version,
            repositoryOpts: { repo: args.repo },
            namespace: args.namespace,
            createNamespace: false,
            values: args.values,
            atomic: true,
            cleanupOnFail: true,
            timeout: args.timeoutSeconds ?? 600,
            maxHistory: 10,
        },
        opts,
    );
}
