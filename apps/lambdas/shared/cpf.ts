/**
 * CPF (Cadastro de Pessoas Físicas) normalisation, validation and masking.
 *
 * Pure functions, no I/O. The check-digit algorithm is the Receita Federal's modulo-11 scheme:
 * - first check digit: the 9 base digits weighted 10..2, `r = (sum * 10) % 11`, `10 -> 0`;
 * - second check digit: the 9 base digits plus the first check digit weighted 11..2, same rule.
 * CPFs made of one repeated digit (`000.000.000-00` … `999.999.999-99`) satisfy the arithmetic but
 * are not issued, so they are rejected.
 *
 * Accepted input: a string that, after trimming surrounding whitespace and removing every `.` and
 * `-`, is exactly 11 ASCII digits (`"123.456.789-09"`, `"12345678909"`). Anything else (letters,
 * inner whitespace, other separators, full-width digits, numbers instead of strings) is rejected.
 */

/** Why a CPF was rejected; safe to log (never contains the input). */
export type CpfRejection =
    "not_a_string" | "too_long" | "bad_characters" | "wrong_length" | "repeated_digits" | "bad_check_digits";

/** Result of {@link parseCpf}: the 11 digits, or the reason for rejection. */
export type CpfParseResult = { ok: true; cpf: string } | { ok: false; reason: CpfRejection };

/** Inputs longer than this (characters, before normalisation) are rejected without further work. */
export const MAX_CPF_INPUT_LENGTH = 32;

/**
 * Computes one modulo-11 check digit over `digits`, weights starting at `digits.length + 1`
 * and decreasing to 2.
 */
function checkDigit(digits: string): number {
    let sum = 0;
    const firstWeight = digits.length + 1;
    for (let i = 0; i < digits.length; i += 1) {
        sum += Number(digits[i]) * (firstWeight - i);
    }
    const remainder = (sum * 10) % 11;
    return remainder === 10 ? 0 : remainder;
}

/**
 * Normalises and validates a CPF.
 *
 * @param input any value (typically a parsed JSON field).
 * @returns `{ ok: true, cpf }` with exactly 11 digits, or `{ ok: false, reason }`.
 */
export function parseCpf(input: unknown): CpfParseResult {
    if (typeof input !== "string") return { ok: false, reason: "not_a_string" };
    if (input.length > MAX_CPF_INPUT_LENGTH) return { ok: false, reason: "too_long" };
    const stripped = input.trim().replace(/[.-]/g, "");
    // `\d` without the `u` flag is ASCII 0-9 only: full-width or Arabic-Indic digits are rejected.
    if (!/^\d*$/.test(stripped)) return { ok: false, reason: "bad_characters" };
    if (stripped.length !== 11) return { ok: false, reason: "wrong_length" };
    if (/^(\d)\1{10}$/.test(stripped)) return { ok: false, reason: "repeated_digits" };
    const first = checkDigit(stripped.slice(0, 9));
    const second = checkDigit(stripped.slice(0, 9) + String(first));
    if (stripped.slice(9) !== `${first}${second}`) return { ok: false, reason: "bad_check_digits" };
    return { ok: true, cpf: stripped };
}

/** `true` when {@link parseCpf} accepts `input`. */
export function isValidCpf(input: unknown): boolean {
    return parseCpf(input).ok;
}

/**
 * Masks a normalised CPF for logs, keeping only the last four digits: `12345678909` ->
 * `***.***.*89-09`. Anything that is not 11 digits becomes `***.***.***-**` (nothing leaks).
 */
export function maskCpf(cpf: string): string {
    if (!/^\d{11}$/.test(cpf)) return "***.***.***-**";
    return `***.***.*${cpf.slice(7, 9)}-${cpf.slice(9)}`;
}

/** Formats 11 digits as `ddd.ddd.ddd-dd`; throws `Error` for anything else. */
export function formatCpf(cpf: string): string {
    if (!/^\d{11}$/.test(cpf)) throw new Error("formatCpf: expected exactly 11 digits");
    return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}
