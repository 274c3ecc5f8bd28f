/**
 * AWS's published support calendars, as data: the deprecation date of each Lambda runtime and the end of
 * standard (and extended) support of each EKS Kubernetes version. `lambda-supported-runtime` and
 * `eks-supported-version` compare a resource's runtime or version with these rows at a check date (the
 * policy config's `asOf`, default the day the check runs), so tests pin the date and never depend on today.
 *
 * Dates are ISO `YYYY-MM-DD` (UTC); a row is past its date from that day on. Each row names its source.
 * Sources, read 2026-12-07:
 * - Lambda: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html ("Supported runtimes" and
 *   "Deprecated runtimes", column "Deprecation date"; the runtime deprecation policy:
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy).
 * - EKS: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar, columns
 *   "End of standard support" and "End of extended support").
 * Update the tables when AWS publishes a new runtime or version: a runtime or version not listed is not judged.
 */

/** The Lambda runtime deprecation calendar. */
const LAMBDA_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";
/** The EKS Kubernetes release calendar. */
const EKS_SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html";

/** One Lambda runtime: its identifier and the day Lambda deprecates it. */
export interface LambdaRuntimeRow {
    /** Runtime identifier as in `aws.lambda.Function.runtime` (`nodejs22.x`). */
    readonly runtime: string;
    /** Deprecation date, `YYYY-MM-DD`: no more security patches or support from this day. */
    readonly deprecated: string;
    readonly source: string;
}

const lambda = (runtime: string, deprecated: string): LambdaRuntimeRow => ({
    runtime,
    deprecated,
    source: LAMBDA_SOURCE,
});

/** Lambda runtimes and their deprecation dates (supported ones first, then deprecated ones). */
export const LAMBDA_RUNTIMES: readonly LambdaRuntimeRow[] = [
    lambda("nodejs24.x", "2028-04-30"),
    lambda("nodejs22.x", "2027-04-30"),
    lambda("nodejs20.x", "2026-04-30"),
    lambda("python3.14", "2029-06-30"),
    lambda("python3.13", "2029-06-30"),
    lambda("python3.12", "2028-10-31"),
    lambda("python3.11", "2026-06-30"),
    lambda("python3.10", "2026-06-30"),
    lambda("java25", "2029-06-30"),
    lambda("java21", "2029-06-30"),
    lambda("java17", "2026-06-30"),
    lambda("java11", "2026-06-30"),
    lambda("java8.al2", "2026-06-30"),
    lambda("dotnet10", "2028-11-14"),
    lambda("dotnet8", "2026-11-10"),
    lambda("ruby3.4", "2028-03-31"),
    lambda("ruby3.3", "2027-03-31"),
    lambda("ruby3.2", "2026-03-31"),
    lambda("provided.al2023", "2029-06-30"),
    lambda("provided.al2", "2026-06-30"),
    lambda("python3.9", "2025-12-15"),
    lambda("nodejs18.x", "2025-09-01"),
    lambda("dotnet6", "2024-11-12"),
    lambda("python3.8", "2024-10-14"),
    lambda("nodejs16.x", "2024-06-12"),
    lambda("dotnet7", "2024-05-14"),
    lambda("java8", "2024-01-08"),
    lambda("go1.x", "2024-01-08"),
    lambda("provided", "2024-01-08"),
    lambda("nodejs14.x", "2023-12-04"),
    lambda("python3.7", "2023-12-04"),
    lambda("ruby2.7", "2023-11-27"),
    lambda("dotnetcore3.1", "2023-04-03"),
    lambda("nodejs12.x", "2023-03-31"),
    lambda("python3.6", "2022-07-18"),
    lambda("dotnet5.0", "2022-05-10"),
    lambda("dotnetcore2.1", "2022-01-05"),
    lambda("nodejs10.x", "2021-07-30"),
    lambda("ruby2.5", "2021-07-30"),
    lambda("python2.7", "2021-07-15"),
    lambda("nodejs8.10", "2020-03-06"),
    lambda("nodejs4.3", "2020-03-05"),
    lambda("nodejs4.3-edge", "2020-03-05"),
    lambda("nodejs6.10", "2019-08-12"),
    lambda("dotnetcore1.0", "2019-07-27"),
    lambda("dotnetcore2.0", "2019-05-30"),
    lambda("nodejs", "2016-10-31"),
];

/** One EKS Kubernetes minor version and the ends of its support. */
export interface EksVersionRow {
    /** Minor version as in the cluster's `version` (`1.33`). */
    readonly version: string;
    /** End of standard support, `YYYY-MM-DD`: from this day the cluster runs on paid extended support. */
    readonly standardSupportEnds: string;
    /** End of extended support: from this day EKS upgrades the cluster itself. */
    readonly extendedSupportEnds: string;
    readonly source: string;
}

const eks = (version: string, standardSupportEnds: string, extendedSupportEnds: string): EksVersionRow => ({
    version,
    standardSupportEnds,
    extendedSupportEnds,
    source: EKS_SOURCE,
});

/** EKS Kubernetes versions, newest first. Versions older than the last row ended before it. */
export const EKS_VERSIONS: readonly EksVersionRow[] = [
    eks("1.35", "2027-03-27", "2028-03-27"),
    eks("1.34", "2026-12-02", "2027-12-02"),
    eks("1.33", "2026-07-29", "2027-07-29"),
    eks("1.32", "2026-03-23", "2027-03-23"),
    eks("1.31", "2025-11-26", "2026-11-26"),
    eks("1.30", "2025-07-23", "2026-07-23"),
    eks("1.29", "2025-03-23", "2026-03-23"),
    eks("1.28", "2024-11-26", "2025-11-26"),
    eks("1.27", "2024-07-24", "2025-07-24"),
    eks("1.26", "2024-06-11", "2025-06-11"),
    eks("1.25", "2024-05-01", "2025-05-01"),
    eks("1.24", "2024-01-31", "2025-01-31"),
    eks("1.23", "2023-10-11", "2024-10-11"),
];

/**
 * The EKS row of `version` (`"1.33"`, or a patch form `"1.33.2"`), a synthetic row (ended on the last row's
 * dates) for a `1.x` version older than every row, or `undefined` for a version the table does not know (newer,
 * or not `1.<minor>`).
 */
export function eksVersionRow(version: string): EksVersionRow | undefined {
    const m = /^1\.(\d+)(\.\d+)?$/.exec(version);
    if (m === null) return undefined;
    const minor = `1.${m[1]}`;
    const row = EKS_VERSIONS.find((r) => r.version === minor);
    if (row !== undefined) return row;
    const oldest = EKS_VERSIONS[EKS_VERSIONS.length - 1];
    return Number(m[1]) < Number(oldest.version.split(".")[1]) ? { ...oldest, version: minor } : undefined;
}

/** The check date as `YYYY-MM-DD` (UTC): `asOf` when given, else today. Throws for a malformed `asOf`. */
export function checkDate(asOf: string | undefined, now: Date = new Date()): string {
    if (asOf === undefined) return now.toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
        throw new Error(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
    }
    return asOf;
}

/** True when `day` (YYYY-MM-DD) is on or after `date` (YYYY-MM-DD). */
export function isOnOrAfter(day: string, date: string): boolean {
    return day >= date;
}
