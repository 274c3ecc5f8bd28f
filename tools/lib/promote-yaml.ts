/**
 * Reads and edits the `platform:releases` map of a stack file (`Pulumi.<stack>.yaml`) without touching
 * anything else in it.
 *
 * The `yaml` package's Document API (https://eemeli.org/yaml/#documents) parses the file into nodes that
 * remember their source range, quoting style (`Scalar.type`) and comments. Edits are then spliced into the
 * original text at those ranges: a changed release replaces only its value's characters (written in the
 * value's own quoting style), a new workload becomes one new line after the map's last entry, at the
 * entry indentation. Every other byte of the file (comments, key order, blank lines, the spacing inside
 * `{ }`) stays as it was, which re-printing the whole document would not guarantee (`doc.toString()`
 * normalizes flow-collection padding and folds long lines).
 */
import { Document, isMap, isScalar, parseDocument, Scalar, YAMLMap } from "yaml";

/** Thrown when a stack file cannot be read or edited; `file` names it. */
export class StackFileError extends Error {
    constructor(
        readonly file: string,
        message: string,
    ) {
        super(`${file}: ${message}`);
        this.name = "StackFileError";
    }
}

/** One release to write: the workload and its value, with the quoting style to use when the key is new. */
export interface ReleaseUpdate {
    workload: string;
    value: string;
    /** Scalar style for a workload the target does not have yet (the source's style); default plain. */
    style?: Scalar.Type;
}

/** Release entries of a stack file, in file order. */
export interface StackReleases {
    /** Workload -> value as written (not necessarily a string: `1.10` unquoted is a number). */
    entries: { workload: string; value: unknown; style?: Scalar.Type }[];
    /** True when the file has the releases key (possibly empty). */
    present: boolean;
}

function parse(text: string, file: string): Document.Parsed {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0)
        throw new StackFileError(file, `not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc;
}

function configMap(doc: Document.Parsed, file: string): YAMLMap<unknown, unknown> {
    const config: unknown = doc.get("config", true);
    if (!isMap(config))
        throw new StackFileError(
            file,
            "has no 'config:' map (a stack file is `config:` followed by `<namespace>:<key>: <value>` entries)",
        );
    return config;
}

function findPair(map: YAMLMap<unknown, unknown>, key: string) {
    return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/**
 * Reads the releases map (`key`, e.g. `platform:releases`) of a stack file.
 * @throws StackFileError when the file is not valid YAML, has no `config` map, or the key is not a map.
 */
export function readReleases(text: string, file: string, key: string): StackReleases {
    const doc = parse(text, file);
    const pair = findPair(configMap(doc, file), key);
    if (pair === undefined) return { entries: [], present: false };
    const value = pair.value;
    if (value === null || (isScalar(value) && value.value === null)) return { entries: [], present: true };
    if (!isMap(value)) throw new StackFileError(file, `${key} must be a map of workload names to versions`);
    return {
        present: true,
        entries: value.items.map((p) => {
            if (!isScalar(p.key)) throw new StackFileError(file, `${key} has a key that is not a plain workload name`);
            const v = p.value;
            return {
                workload: String(p.key.value),
                value: isScalar(v) ? v.value : v === null ? null : (v as { toJSON(): unknown }).toJSON(),
                style: isScalar(v) ? v.type : undefined,
            };
        }),
    };
}

/** The YAML text of a scalar in a given style; falls back to quotes when the style cannot hold the value. */
export function renderScalar(value: string, style?: Scalar.Type): string {
    const scalar = new Scalar(value);
    if (style === "QUOTE_DOUBLE" || style === "QUOTE_SINGLE" || style === "PLAIN") scalar.type = style;
    return new Document(scalar).toString({ lineWidth: 0 }).trimEnd();
}

function lineStart(text: string, index: number): number {
    return text.lastIndexOf("\n", index - 1) + 1;
}

function lineEnd(text: string, index: number): number {
    const nl = text.indexOf("\n", index);
    if (nl < 0) return text.length;
    return nl > 0 && text[nl - 1] === "\r" ? nl - 1 : nl;
}

interface Edit {
    start: number;
    end: number;
    text: string;
}

/**
 * Returns `text` with the given releases set under `key`: existing workloads get the new value in their
 * own quoting style, new workloads are appended after the last entry (in the order given). An empty map
 * (`{}` or nothing) becomes a block map; a non-empty flow map stays a flow map. When the key is absent it
 * is added after the last entry of `config`.
 *
 * @throws StackFileError when the file cannot be parsed or the key holds something other than a map.
 */
export function writeReleases(text: string, file: string, key: string, updates: readonly ReleaseUpdate[]): string {
    const doc = parse(text, file);
    const config = configMap(doc, file);
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const column = (offset: number) => offset - lineStart(text, offset);
    const firstConfigKey = config.items[0]?.key;
    const configIndent = isScalar(firstConfigKey) && firstConfigKey.range ? column(firstConfigKey.range[0]) : 2;
    const unit = configIndent > 0 ? configIndent : 2;
    const line = (indent: number, u: ReleaseUpdate) =>
        `${eol}${" ".repeat(indent)}${renderScalar(u.workload)}: ${renderScalar(u.value, u.style)}`;

    const edits: Edit[] = [];
    const pair = findPair(config, key);
    if (pair === undefined) {
        if (config.flow)
            throw new StackFileError(
                file,
                "'config' is a flow map; write it as a block map to let promotion add releases",
            );
        const last = config.items[config.items.length - 1];
        const lastNode = (last.value ?? last.key) as { range?: [number, number, number] };
        const at = lineEnd(text, lastNode.range![1]);
        edits.push({
            start: at,
            end: at,
            text:
                `${eol}${" ".repeat(configIndent)}${key}:` + updates.map((u) => line(configIndent + unit, u)).join(""),
        });
    } else {
        const keyNode = pair.key as Scalar;
        const keyColumn = column(keyNode.range![0]);
        const value = pair.value;
        const empty =
            value === null || (isScalar(value) && value.value === null) || (isMap(value) && value.items.length === 0);
        if (empty) {
            // `key: {}`, `key:` or `key: ~`: replace the value by a block map, keeping a comment on the key's line.
            const colon = text.indexOf(":", keyNode.range![1]) + 1;
            const valueEnd =
                value !== null && (value as Scalar).range ? Math.max((value as Scalar).range![1], colon) : colon;
            const end = lineEnd(text, valueEnd);
            const tail = text.slice(valueEnd, end).trim();
            edits.push({
                start: colon,
                end,
                text: `${tail === "" ? "" : ` ${tail}`}${updates.map((u) => line(keyColumn + unit, u)).join("")}`,
            });
        } else if (!isMap(value)) {
            throw new StackFileError(file, `${key} must be a map of workload names to versions`);
        } else if (value.flow) {
            // A non-empty flow map stays one: re-render just this map with the new values.
            for (const u of updates) {
                const existing = findPair(value, u.workload);
                if (existing && isScalar(existing.value)) existing.value.value = u.value;
                else {
                    const s = new Scalar(u.value);
                    if (u.style) s.type = u.style;
                    value.set(u.workload, s);
                }
            }
            // The map's own comments stay where they are in the text: render the map alone.
            value.comment = null;
            value.commentBefore = null;
            const rendered = new Document(value).toString({ lineWidth: 0 }).trimEnd();
            edits.push({ start: value.range![0], end: value.range![1], text: rendered });
        } else {
            const first = value.items[0].key as Scalar;
            const entryIndent = column(first.range![0]);
            const added: ReleaseUpdate[] = [];
            for (const u of updates) {
                const existing = findPair(value, u.workload);
                if (existing === undefined) {
                    added.push(u);
                    continue;
                }
                const v = existing.value;
                if (isScalar(v) && v.range && v.value !== null) {
                    edits.push({
                        start: v.range[0],
                        end: v.range[1],
                        text: renderScalar(
                            u.value,
                            v.type === "BLOCK_FOLDED" || v.type === "BLOCK_LITERAL" ? "QUOTE_DOUBLE" : v.type,
                        ),
                    });
                } else if (v === null || (isScalar(v) && v.value === null)) {
                    const colon = text.indexOf(":", (existing.key as Scalar).range![1]) + 1;
                    const valueEnd = v?.range ? Math.max(v.range[1], colon) : colon;
                    edits.push({ start: colon, end: valueEnd, text: ` ${renderScalar(u.value, u.style)}` });
                } else {
                    throw new StackFileError(
                        file,
                        `${key}.${u.workload} must be a version string, not a ${isMap(v) ? "map" : "list"}`,
                    );
                }
            }
            if (added.length > 0) {
                const last = value.items[value.items.length - 1];
                const lastNode = (last.value ?? last.key) as { range?: [number, number, number] };
                const at = lineEnd(text, lastNode.range![1]);
                edits.push({ start: at, end: at, text: added.map((u) => line(entryIndent, u)).join("") });
            }
        }
    }

    let out = text;
    for (const e of [...edits].sort((a, b) => b.start - a.start))
        out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
}

/**
 * The stack file as plain data with the releases key removed: promotion asserts this is identical before
 * and after an edit (nothing but releases changed).
 */
export function configWithout(text: string, file: string, key: string): unknown {
    const data = parse(text, file).toJS() as Record<string, unknown>;
    const config = { ...((data.config ?? {}) as Record<string, unknown>) };
    delete config[key];
    return { ...data, config };
}
