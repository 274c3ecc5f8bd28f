/**
 * Ordering of release identifiers for `npm run promote`: what counts as an upgrade, a downgrade, or a
 * change that has no order at all.
 *
 * A release (`platform:releases.<workload>`) is an image tag, an image digest (`sha256:<64 hex>`) or an
 * artifact version (`RELEASE_PATTERN` in infra/config/keys.ts). Only Semantic Versioning 2.0.0 versions
 * have an order (https://semver.org/#spec-item-11); a leading `v` (`v1.2.3`, the usual git tag form) is
 * accepted and ignored. Digests, git hashes and free-form tags (`latest`, `main-4f2a`) are *unordered*:
 * nothing says whether `sha256:aa…` is newer than `sha256:bb…`.
 *
 * Written here rather than taken from the `semver` package, which this repository does not depend on
 * directly; the whole of the precedence rule is a dozen lines.
 */
import { UNRELEASED } from "../../infra/config/keys";

/** A parsed Semantic Versioning 2.0.0 version. */
export interface SemVer {
    major: bigint;
    minor: bigint;
    patch: bigint;
    /** Pre-release identifiers (`1.0.0-rc.1` -> `["rc", "1"]`); empty for a release. */
    prerelease: string[];
    /** Build metadata, ignored by precedence. */
    build: string[];
}

const NUMERIC = /^(0|[1-9]\d*)$/;
const IDENT = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
const SEMVER = new RegExp(
    "^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
        `(?:-(${IDENT}(?:\\.${IDENT})*))?` +
        "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$",
);

/** Parses `1.2.3`, `v1.2.3`, `1.2.3-rc.1`, `1.2.3+build.5`; undefined for anything else. */
export function parseSemver(text: string): SemVer | undefined {
    const m = SEMVER.exec(text);
    if (m === null) return undefined;
    return {
        major: BigInt(m[1]),
        minor: BigInt(m[2]),
        patch: BigInt(m[3]),
        prerelease: m[4] === undefined ? [] : m[4].split("."),
        build: m[5] === undefined ? [] : m[5].split("."),
    };
}

function compareBig(a: bigint, b: bigint): -1 | 0 | 1 {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Precedence of two pre-release identifiers: numeric ones numerically and below alphanumeric ones. */
function compareIdentifier(a: string, b: string): -1 | 0 | 1 {
    const an = NUMERIC.test(a);
    const bn = NUMERIC.test(b);
    if (an && bn) return compareBig(BigInt(a), BigInt(b));
    if (an) return -1;
    if (bn) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semantic Versioning precedence: -1 when `a` is lower, 1 when higher, 0 when equal (build metadata
 * ignored). `1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0-rc.1 < 1.0.0`.
 */
export function compareSemver(a: SemVer, b: SemVer): -1 | 0 | 1 {
    const core = compareBig(a.major, b.major) || compareBig(a.minor, b.minor) || compareBig(a.patch, b.patch);
    if (core !== 0) return core;
    if (a.prerelease.length === 0 || b.prerelease.length === 0) {
        // A release ranks above any of its pre-releases.
        return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
    }
    for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
        const c = compareIdentifier(a.prerelease[i], b.prerelease[i]);
        if (c !== 0) return c;
    }
    return compareBig(BigInt(a.prerelease.length), BigInt(b.prerelease.length));
}

/**
 * How promoting `source` over `target` changes a workload:
 * - `new`: the target has no release for it;
 * - `unchanged`: identical text;
 * - `upgrade` / `downgrade`: both are semantic versions and the source ranks higher / lower;
 * - `equivalent`: both are semantic versions of equal precedence written differently (`v1.2.3` and `1.2.3`);
 * - `unordered`: at least one side is a digest or a free-form tag, so no order exists;
 * - `downgrade` too: `unreleased` over a pushed release, which would remove the running workload
 *   (docs/first-deploy.md).
 */
export type ReleaseChange = "new" | "unchanged" | "upgrade" | "downgrade" | "equivalent" | "unordered";

export function classifyChange(source: string, target: string | undefined): ReleaseChange {
    if (target === undefined) return "new";
    if (source === target) return "unchanged";
    if (source === UNRELEASED) return "downgrade";
    const s = parseSemver(source);
    const t = parseSemver(target);
    if (s === undefined || t === undefined) return "unordered";
    const c = compareSemver(s, t);
    return c > 0 ? "upgrade" : c < 0 ? "downgrade" : "equivalent";
}
