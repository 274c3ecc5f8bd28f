/**
 * Building blocks for config schemas (zod) with the platform's message style: what is allowed, then
 * what was given (`must be from 2 to 6; got 9`). The loader prefixes the full key.
 */
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "./keys";

/** `got <value as JSON>`, the tail of every message. */
export const got = (input: unknown) => `got ${JSON.stringify(input)}`;

/** An integer from `lo` to `hi` inclusive; `what` says what the number means. */
export function integerIn(lo: number, hi: number, what: string) {
    const error = (i: { input: unknown }) => `must be ${what} (an integer from ${lo} to ${hi}); ${got(i.input)}`;
    return z.number({ error }).int({ error }).min(lo, { error }).max(hi, { error });
}

/** A string matching `pattern`; `what` describes the allowed form. */
export function textMatching(pattern: RegExp, what: string) {
    const error = (i: { input: unknown }) => `must be ${what}; ${got(i.input)}`;
    return z.string({ error }).regex(pattern, { error });
}

/** A CloudWatch Logs retention period in days (PutRetentionPolicy accepts only these). */
export const logRetentionDays = () =>
    z
        .number({ error: (i) => `must be a number of days; ${got(i.input)}` })
        .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
            error: (i) =>
                `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}; ` +
                got(i.input),
        });

/**
 * The candidate a misspelt name most probably meant: the one at the smallest edit distance
 * (Levenshtein: insertions, deletions, substitutions; case-insensitive), if that distance is at most a
 * third of the longer of the two names (at least 1); `undefined` when nothing is that close.
 */
export function probablyMeant(name: string, candidates: Iterable<string>): string | undefined {
    const a = name.toLowerCase();
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const d = editDistance(a, candidate.toLowerCase());
        const close = d > 0 && d <= Math.max(1, Math.floor(Math.max(a.length, candidate.length) / 3));
        if (close && (best === undefined || d < best.distance)) best = { candidate, distance: d };
    }
    return best?.candidate;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}
