import * as assert from "assert";
import { longFunctions, longLines } from "../../tools/code-metrics";

describe("npm run metrics", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `    const v${i} = ${i};`).join("\n");
    const source = [
        "export class Big {",
        "    constructor() {",
        body(5),
        "    }",
        "}",
        "export function small() {",
        "    return 1;",
        "}",
        "export const arrow = () => {",
        body(3),
        "};",
    ].join("\n");

    it("names each function longer than the limit with its first line and length, nested ones too", () => {
        assert.deepStrictEqual(longFunctions("x.ts", source, 4), [
            { file: "x.ts", line: 2, name: "Big.constructor", lines: 7 },
            { file: "x.ts", line: 13, name: "arrow", lines: 5 },
        ]);
        assert.deepStrictEqual(longFunctions("x.ts", source, 7), []);
    });

    it("leaves out a line over the limit only because of its URL", () => {
        const url = `https://docs.aws.amazon.com/${"x".repeat(120)}`;
        const words = "word ".repeat(20);
        assert.deepStrictEqual(longLines("u.ts", `    source: "${url}",\n    ${words}${words}"${url}"`, 120), [
            { file: "u.ts", line: 2, length: 4 + 2 * words.length + url.length + 2 },
        ]);
    });

    it("leaves out lines no formatter can break: one URL after a comment marker", () => {
        const url = `https://docs.aws.amazon.com/${"x".repeat(120)}`;
        const words = "word ".repeat(25);
        assert.deepStrictEqual(longLines("z.ts", ` * ${url}\n// ${url}\n * ${words}${url}`, 120), [
            { file: "z.ts", line: 3, length: 3 + words.length + url.length },
        ]);
    });

    it("reports lines longer than the limit", () => {
        assert.deepStrictEqual(longLines("y.ts", `short\n${"x ".repeat(60)}x\n${"y ".repeat(60)}`, 120), [
            { file: "y.ts", line: 2, length: 121 },
        ]);
    });
});
