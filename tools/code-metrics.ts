/**
 * `npm run metrics [-- --check] [--max-function-lines N] [--max-line-length N] [DIR ...]`
 *
 * Readability figures of the TypeScript sources: every function, method, constructor or arrow function
 * longer than `--max-function-lines` (default 80) in the infrastructure definitions (`infra/`, `stacks/`),
 * and every line longer than `--max-line-length` (default 120, Prettier's print width in
 * `.prettierrc.json`: strings and comments Prettier cannot wrap) in every TypeScript source outside
 * `test/`. `DIR ...` (directories or files) replaces both scopes. Functions are found with the TypeScript
 * compiler's parser; a function's length runs from its first to its last line, nested functions included.
 *
 * Exit codes: 0 printed (or, with `--check`, within both limits); 1 `--check` found a function or a
 * line over its limit; 64 bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");

export interface LongFunction {
    file: string;
    line: number;
    name: string;
    lines: number;
}

export interface LongLine {
    file: string;
    line: number;
    length: number;
}

/** Where functions are measured by default: the infrastructure definitions. */
export const FUNCTION_DIRS = ["infra", "stacks"];
/** Where lines are measured by default: every TypeScript source outside `test/`. */
export const LINE_DIRS = ["index.ts", "infra", "stacks", "apps", "bootstrap", "policy-pack", "tools"];

function sourceFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    if (fs.statSync(dir).isFile()) return dir.endsWith(".ts") ? [dir] : [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
    });
}

function functionName(node: ts.Node, sf: ts.SourceFile): string {
    const named = node as ts.Node & { name?: ts.Node };
    if (ts.isConstructorDeclaration(node)) {
        const cls = node.parent;
        return `${cls.name?.getText(sf) ?? "(class)"}.constructor`;
    }
    if (named.name) return named.name.getText(sf);
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
        return parent.name.getText(sf);
    return "(anonymous)";
}

/** Functions of one file longer than `max` lines. */
export function longFunctions(file: string, text: string, max: number): LongFunction[] {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const out: LongFunction[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
            const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
            const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
            if (end - start + 1 > max)
                out.push({ file, line: start, name: functionName(node, sf), lines: end - start + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return out;
}

/**
 * A line no formatter can break: one word after its indentation and comment marker, or a line over the limit only
 * because of a URL it holds (a URL counted as one character fits).
 */
const unbreakable = (line: string, max: number) =>
    !/\s/.test(line.trim().replace(/^(\/\/|\/\*\*|\*)\s*/, "")) || line.replace(/https?:\/\/\S+/g, "u").length <= max;

/** Lines of one file longer than `max` characters, except {@link unbreakable} ones. */
export function longLines(file: string, text: string, max: number): LongLine[] {
    return text
        .split("\n")
        .map((l, i) => ({ file, line: i + 1, length: l.length, text: l }))
        .filter((l) => l.length > max && !unbreakable(l.text, max))
        .map(({ file, line, length }) => ({ file, line, length }));
}

function main(): number {
    let parsed;
    try {
        parsed = parseArgs({
            options: {
                check: { type: "boolean", default: false },
                "max-function-lines": { type: "string", default: "80" },
                "max-line-length": { type: "string", default: "120" },
            },
            allowPositionals: true,
            strict: true,
        });
    } catch (err) {
        console.error((err as Error).message);
        return 64;
    }
    const maxFunction = Number(parsed.values["max-function-lines"]);
    const maxLine = Number(parsed.values["max-line-length"]);
    if (!Number.isInteger(maxFunction) || maxFunction < 1 || !Number.isInteger(maxLine) || maxLine < 1) {
        console.error("--max-function-lines and --max-line-length take positive integers");
        return 64;
    }
    const given = parsed.positionals.length > 0 ? parsed.positionals : undefined;
    const filesOf = (dirs: string[]) => [...new Set(dirs.flatMap((d) => sourceFiles(path.resolve(ROOT, d))))].sort();
    const functions = filesOf(given ?? FUNCTION_DIRS).flatMap((file) =>
        longFunctions(path.relative(ROOT, file), fs.readFileSync(file, "utf8"), maxFunction),
    );
    const lineFiles = filesOf(given ?? LINE_DIRS);
    const lines = lineFiles.flatMap((file) =>
        longLines(path.relative(ROOT, file), fs.readFileSync(file, "utf8"), maxLine),
    );
    functions.sort((a, b) => b.lines - a.lines);
    console.log(
        `functions longer than ${maxFunction} lines in ${(given ?? FUNCTION_DIRS).join(", ")}: ${functions.length}`,
    );
    for (const f of functions) console.log(`  ${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}`);
    const where = `${lineFiles.length} files in ${(given ?? LINE_DIRS).join(", ")}`;
    console.log(`lines longer than ${maxLine} characters in ${where}: ${lines.length}`);
    for (const l of lines.slice(0, 20)) console.log(`  ${String(l.length).padStart(4)}  ${l.file}:${l.line}`);
    if (lines.length > 20) console.log(`  … and ${lines.length - 20} more`);
    return parsed.values.check && (functions.length > 0 || lines.length > 0) ? 1 : 0;
}

if (require.main === module) process.exit(main());
