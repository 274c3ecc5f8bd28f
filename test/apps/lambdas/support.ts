/**
 * Helpers for the Lambda tests: console capture (the handlers log JSON lines through console) and a
 * minimal Lambda context.
 */
import type { Context } from "aws-lambda";

/** Captured console output: raw lines and the parsed JSON objects, in order. */
export interface CapturedLogs {
    lines: string[];
    /** Parsed lines; a non-JSON line fails the parse (handlers must log JSON only). */
    records(): Record<string, unknown>[];
    restore(): void;
}

/** Replaces console.log/info/warn/error/debug with collectors until `restore()`. */
export function captureConsole(): CapturedLogs {
    const lines: string[] = [];
    const methods = ["log", "info", "warn", "error", "debug"] as const;
    // Property descriptors, not the methods themselves: restore() puts back exactly what was there.
    const originals = methods.map((m) => Object.getOwnPropertyDescriptor(console, m));
    for (const m of methods) {
        console[m] = (...args: unknown[]) => {
            lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
        };
    }
    return {
        lines,
        records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
        restore: () =>
            methods.forEach((m, i) => {
                const original = originals[i];
                if (original) Object.defineProperty(console, m, original);
                else delete console[m];
            }),
    };
}

/** A Lambda context carrying only what the handlers read (`awsRequestId`). */
export function lambdaContext(awsRequestId: string): Context {
    return { awsRequestId } as Context;
}
