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
                `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}; ${got(i.input)}`,
        });
