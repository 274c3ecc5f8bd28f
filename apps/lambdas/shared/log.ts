/**
 * Structured logs: one JSON object per line on stdout/stderr, which Lambda forwards to CloudWatch
 * Logs (text log format; with the JSON log format the line lands in the `message` field and stays
 * queryable with CloudWatch Logs Insights `parse`/`fields`).
 *
 * Callers pass only safe fields: never tokens, secrets, challenge answers, request bodies or a full
 * CPF (use `maskCpf`). Every line carries `level`, `fn` (the function's short name), `event` and
 * the caller's fields; `time` is ISO-8601 UTC.
 */

/** Values allowed in a log line: flat and JSON-serialisable. */
export type LogValue = string | number | boolean | null | undefined;

/** Severity; `error` goes to stderr, the others to stdout. */
export type LogLevel = "info" | "warn" | "error";

/**
 * Writes one log line.
 *
 * @param level severity.
 * @param fn short function name (`cpf-auth`, `jwt-authorizer`, …).
 * @param event what happened (`auth.completed`, `authorizer.decision`, …).
 * @param fields extra flat fields; `undefined` values are dropped.
 */
export function log(level: LogLevel, fn: string, event: string, fields: Record<string, LogValue> = {}): void {
    const line = JSON.stringify({ time: new Date().toISOString(), level, fn, event, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
}

/** The `name` of a thrown value (SDK v3 errors carry the AWS error code there), or `'Unknown'`. */
export function errorName(err: unknown): string {
    if (err instanceof Error && typeof err.name === "string" && err.name !== "") return err.name;
    return "Unknown";
}
