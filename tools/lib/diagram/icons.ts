/**
 * AWS Architecture Icons for the flow view, read from the `aws-icons` package (MIT; the icons are AWS's,
 * whose terms allow their use in architecture diagrams: https://aws.amazon.com/architecture/icons/) and
 * embedded into the SVG as data URIs, so the diagram renders as one self-contained file on GitHub.
 */
import * as fs from "fs";
import * as path from "path";

const ICON_ROOT = path.join(path.dirname(require.resolve("aws-icons/package.json")), "icons");

const cache = new Map<string, string>();

/** The icon's SVG text. @throws Error naming the file when the package has no such icon. */
export function iconSvg(icon: string): string {
    let text = cache.get(icon);
    if (text === undefined) {
        const file = path.join(ICON_ROOT, icon);
        if (!fs.existsSync(file)) throw new Error(`icon ${icon} is not in the aws-icons package (${ICON_ROOT})`);
        text = fs.readFileSync(file, "utf8");
        cache.set(icon, text);
    }
    return text;
}

/** `data:image/svg+xml;base64,...` of an icon. */
export function iconDataUri(icon: string): string {
    return `data:image/svg+xml;base64,${Buffer.from(iconSvg(icon)).toString("base64")}`;
}

/** Replaces every `xlink:href="<icon path>"` Graphviz wrote with the icon's data URI. */
export function embedIcons(svg: string): string {
    return svg.replace(/xlink:href="([^"]+\.svg)"/g, (_m, icon: string) => `xlink:href="${iconDataUri(icon)}"`);
}
