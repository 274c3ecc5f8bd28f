import { strict as assert } from "node:assert";
import { randomInt } from "node:crypto";

import { formatCpf, isValidCpf, maskCpf, MAX_CPF_INPUT_LENGTH, parseCpf } from "../../../apps/lambdas/shared/cpf";

/**
 * Independent oracle for the check digits, in the other common formulation of the Receita Federal
 * rule (`r = sum % 11; dv = r < 2 ? 0 : 11 - r`), so the tests are not a copy of the implementation.
 */
function oracleCheckDigits(base9: string): string {
    const dv = (digits: string): number => {
        const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (digits.length + 1 - i), 0);
        const r = sum % 11;
        return r < 2 ? 0 : 11 - r;
    };
    const first = dv(base9);
    return `${first}${dv(base9 + first)}`;
}

describe("apps/lambdas/shared/cpf", () => {
    describe("parseCpf accepts valid CPFs", () => {
        // Check digits computed by hand (see the commit message); the first needs the "10 -> 0" rule.
        const valid: [string, string][] = [
            ["123.456.789-09", "12345678909"],
            ["12345678909", "12345678909"],
            ["529.982.247-25", "52998224725"],
            ["52998224725", "52998224725"],
            ["111.444.777-35", "11144477735"],
            ["  111.444.777-35  ", "11144477735"],
            ["\t52998224725\n", "52998224725"],
            ["529982247-25", "52998224725"],
            ["529.982.24725", "52998224725"],
        ];
        for (const [input, digits] of valid) {
            it(`${JSON.stringify(input)} -> ${digits}`, () => {
                assert.deepEqual(parseCpf(input), { ok: true, cpf: digits });
                assert.equal(isValidCpf(input), true);
            });
        }
    });

    describe("parseCpf rejects invalid input with the precise reason", () => {
        const invalid: [unknown, string][] = [
            [12345678909, "not_a_string"],
            [null, "not_a_string"],
            [undefined, "not_a_string"],
            [{ cpf: "12345678909" }, "not_a_string"],
            [["12345678909"], "not_a_string"],
            ["1".repeat(MAX_CPF_INPUT_LENGTH + 1), "too_long"],
            ["123.456.789-0a", "bad_characters"],
            ["abc.def.ghi-jk", "bad_characters"],
            ["123 456 789 09", "bad_characters"],
            ["123.456.789 09", "bad_characters"],
            ["123/456/789-09", "bad_characters"],
            ["１２３４５６７８９０９", "bad_characters"], // full-width digits
            ["+12345678909", "bad_characters"],
            ["", "wrong_length"],
            ["   ", "wrong_length"],
            [".-", "wrong_length"],
            ["1234567890", "wrong_length"],
            ["123456789091", "wrong_length"],
            ["123.456.789-0", "wrong_length"],
            ["000.000.000-00", "repeated_digits"],
            ["111.111.111-11", "repeated_digits"],
            ["99999999999", "repeated_digits"],
            ["123.456.789-00", "bad_check_digits"],
            ["123.456.789-19", "bad_check_digits"], // first digit wrong
            ["123.456.789-08", "bad_check_digits"], // second digit wrong
            ["529.982.247-52", "bad_check_digits"], // swapped
            ["52998224726", "bad_check_digits"],
        ];
        for (const [input, reason] of invalid) {
            it(`${JSON.stringify(input) ?? String(input)} -> ${reason}`, () => {
                assert.deepEqual(parseCpf(input), { ok: false, reason });
                assert.equal(isValidCpf(input), false);
            });
        }
    });

    it("rejects every repeated-digit CPF although each satisfies the check-digit arithmetic", () => {
        for (let d = 0; d <= 9; d += 1) {
            const cpf = String(d).repeat(11);
            assert.equal(oracleCheckDigits(cpf.slice(0, 9)), cpf.slice(9), `${cpf} passes the arithmetic`);
            assert.deepEqual(parseCpf(cpf), { ok: false, reason: "repeated_digits" });
            assert.deepEqual(parseCpf(formatCpf(cpf)), { ok: false, reason: "repeated_digits" });
        }
    });

    it("accepts exactly one of the 100 check-digit pairs for 500 random bases (oracle agrees)", () => {
        for (let n = 0; n < 500; n += 1) {
            const base = String(randomInt(0, 1_000_000_000)).padStart(9, "0");
            if (/^(\d)\1{8}$/.test(base)) continue;
            const accepted: string[] = [];
            for (let s = 0; s < 100; s += 1) {
                const suffix = String(s).padStart(2, "0");
                if (isValidCpf(base + suffix)) accepted.push(suffix);
            }
            assert.deepEqual(accepted, [oracleCheckDigits(base)], `base ${base}`);
            assert.equal(isValidCpf(formatCpf(base + accepted[0])), true);
        }
    });

    it("maskCpf keeps only the last four digits", () => {
        assert.equal(maskCpf("12345678909"), "***.***.*89-09");
        assert.equal(maskCpf("52998224725"), "***.***.*47-25");
        assert.equal(maskCpf("123.456.789-09"), "***.***.***-**");
        assert.equal(maskCpf(""), "***.***.***-**");
        assert.equal(maskCpf("1234567890"), "***.***.***-**");
    });

    it("formatCpf formats 11 digits and throws otherwise", () => {
        assert.equal(formatCpf("52998224725"), "529.982.247-25");
        assert.throws(() => formatCpf("5299822472"), /exactly 11 digits/);
    });
});
