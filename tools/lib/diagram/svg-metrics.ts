/**
 * Measures a Graphviz SVG the way a reader meets it: the drawing's size, each node's box (icon plus
 * label), node boxes that overlap, and how many times two edges cross. Edges are Graphviz `path`
 * elements of cubic Bézier segments (https://www.w3.org/TR/SVG11/paths.html#PathDataCubicBezierCommands),
 * sampled into polylines; crossings within a few points of an endpoint (edges meeting at a node) do not
 * count.
 */

export interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
}

export interface SvgMetrics {
    /** Drawing size in points (`<svg width="…pt" height="…pt">`). */
    width: number;
    height: number;
    nodes: { id: string; box: Box }[];
    /** Pairs of node ids whose boxes overlap. */
    overlaps: [string, string][];
    /** Pairs of edges that cross, counted once per crossing point. */
    crossings: number;
    edges: number;
}

type Point = [number, number];

const num = (s: string | undefined) => Number.parseFloat(s ?? "0");

/** Average glyph width of Helvetica as a fraction of the font size (labels are measured, not rendered). */
const GLYPH = 0.55;

function nodeBoxes(svg: string): { id: string; box: Box }[] {
    const out: { id: string; box: Box }[] = [];
    for (const m of svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>([\s\S]*?)<\/g>\s*<\/g>/g)) {
        const boxes: Box[] = [];
        for (const img of m[2].matchAll(
            /<image [^>]*?width="([\d.]+)px" height="([\d.]+)px"[^>]*?x="([-\d.]+)" y="([-\d.]+)"/g,
        ))
            boxes.push({ x: num(img[3]), y: num(img[4]), width: num(img[1]), height: num(img[2]) });
        for (const t of m[2].matchAll(
            /<text [^>]*?x="([-\d.]+)" y="([-\d.]+)"[^>]*?font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g,
        )) {
            const size = num(t[3]);
            const width = t[4].length * size * GLYPH;
            boxes.push({ x: num(t[1]) - width / 2, y: num(t[2]) - size, width, height: size * 1.2 });
        }
        if (boxes.length === 0) continue;
        const x = Math.min(...boxes.map((b) => b.x));
        const y = Math.min(...boxes.map((b) => b.y));
        const right = Math.max(...boxes.map((b) => b.x + b.width));
        const bottom = Math.max(...boxes.map((b) => b.y + b.height));
        out.push({ id: m[1], box: { x, y, width: right - x, height: bottom - y } });
    }
    return out;
}

const overlap = (a: Box, b: Box) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The polyline of a Graphviz edge path: `M x,y C x1,y1 x2,y2 x3,y3 …` sampled 12 times per segment. */
export function pathPoints(d: string): Point[] {
    const nums = [...d.matchAll(/-?[\d.]+/g)].map((m) => Number.parseFloat(m[0]));
    const pts: Point[] = [];
    for (let i = 0; i + 1 < nums.length; i += 2) pts.push([nums[i], nums[i + 1]]);
    if (pts.length < 4) return pts;
    const out: Point[] = [pts[0]];
    for (let i = 0; i + 3 < pts.length; i += 3) {
        const [p0, p1, p2, p3] = [pts[i], pts[i + 1], pts[i + 2], pts[i + 3]];
        for (let k = 1; k <= 12; k++) {
            const t = k / 12;
            const u = 1 - t;
            out.push([
                u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
                u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
            ]);
        }
    }
    return out;
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): Point | undefined {
    const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
    if (den === 0) return undefined;
    const t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den;
    const u = ((c[0] - a[0]) * (b[1] - a[1]) - (c[1] - a[1]) * (b[0] - a[0])) / den;
    if (t < 0 || t > 1 || u < 0 || u > 1) return undefined;
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}

const near = (p: Point, q: Point, r: number) => Math.hypot(p[0] - q[0], p[1] - q[1]) < r;

function crossingsBetween(e: Point[], f: Point[]): number {
    const ends = [e[0], e[e.length - 1], f[0], f[f.length - 1]];
    const points: Point[] = [];
    for (let i = 0; i + 1 < e.length; i++)
        for (let j = 0; j + 1 < f.length; j++) {
            const p = segmentsCross(e[i], e[i + 1], f[j], f[j + 1]);
            if (p && !ends.some((q) => near(p, q, 6)) && !points.some((q) => near(p, q, 3))) points.push(p);
        }
    return points.length;
}

/** Measures one SVG written by Graphviz. */
export function measureSvg(svg: string): SvgMetrics {
    const size = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
    const nodes = nodeBoxes(svg);
    const overlaps: [string, string][] = [];
    for (let i = 0; i < nodes.length; i++)
        for (let j = i + 1; j < nodes.length; j++)
            if (overlap(nodes[i].box, nodes[j].box)) overlaps.push([nodes[i].id, nodes[j].id]);
    const paths = [...svg.matchAll(/<g id="edge\d+" class="edge">[\s\S]*?<path [^>]*?d="([^"]+)"/g)].map((m) =>
        pathPoints(m[1]),
    );
    let crossings = 0;
    for (let i = 0; i < paths.length; i++)
        for (let j = i + 1; j < paths.length; j++) crossings += crossingsBetween(paths[i], paths[j]);
    return { width: num(size?.[1]), height: num(size?.[2]), nodes, overlaps, crossings, edges: paths.length };
}
