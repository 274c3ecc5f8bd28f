/**
 * The committed dev flow diagrams in a real browser: headless Chromium (Debian's `chromium` package,
 * which `.ci/run` installs; CHROMIUM_PATH overrides the binary) driven by puppeteer-core opens each SVG
 * as a page, waits for every embedded icon to decode, and checks that every icon and label lies inside
 * the drawing. Screenshots go to `plan/screenshots/dev/<architecture>.png` for review (not committed).
 * https://pptr.dev/guides/what-is-puppeteer (puppeteer-core brings no browser of its own).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import puppeteer, { Browser } from "puppeteer-core";
import { ROOT } from "../support/plan";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DIR = path.join(ROOT, "docs", "diagrams", "dev");
const SHOTS = path.join(ROOT, "plan", "screenshots", "dev");

interface PageReport {
    size: { width: number; height: number };
    images: { loaded: number; failed: string[] };
    outside: string[];
    texts: number;
}

/**
 * Runs in the page: decodes every `<image>`, then boxes every image and text against the root `<svg>`.
 * The page's globals are reached through `globalThis` so that the DOM library stays out of the project's
 * types (nothing outside this function runs in a browser).
 */
async function inspect(): Promise<PageReport> {
    const page = globalThis as any;
    const document = page.document;
    const frame = document.documentElement.getBoundingClientRect();
    const images: any[] = [...document.querySelectorAll("image")];
    const failed: string[] = [];
    await Promise.all(
        images.map(
            (el) =>
                new Promise<void>((resolve) => {
                    const href = el.getAttribute("xlink:href") ?? el.getAttribute("href") ?? "";
                    const img = new page.Image();
                    img.onload = () => {
                        if (img.naturalWidth === 0) failed.push(href.slice(0, 40));
                        resolve();
                    };
                    img.onerror = () => {
                        failed.push(href.slice(0, 40));
                        resolve();
                    };
                    img.src = href;
                }),
        ),
    );
    const outside: string[] = [];
    const texts: any[] = [...document.querySelectorAll("text")];
    for (const el of [...images, ...texts]) {
        const r = el.getBoundingClientRect();
        const inside =
            r.left >= frame.left - 0.5 &&
            r.top >= frame.top - 0.5 &&
            r.right <= frame.right + 0.5 &&
            r.bottom <= frame.bottom + 0.5 &&
            r.width > 0 &&
            r.height > 0;
        if (!inside) outside.push(`${el.tagName} ${(el.textContent ?? "").slice(0, 40)}`);
    }
    return {
        size: { width: frame.width, height: frame.height },
        images: { loaded: images.length - failed.length, failed },
        outside,
        texts: texts.length,
    };
}

describe("npm run diagram: the flow view in headless Chromium", function () {
    this.timeout(120_000);
    let browser: Browser;

    before(async function () {
        assert.ok(
            fs.existsSync(CHROMIUM),
            `no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`,
        );
        browser = await puppeteer.launch({
            executablePath: CHROMIUM,
            headless: true,
            // CI runs as root, where Chromium refuses its sandbox; the pages are our own local files.
            args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            timeout: 60_000,
        });
        fs.mkdirSync(SHOTS, { recursive: true });
    });

    after(async () => {
        await browser?.close();
    });

    for (const file of fs
        .readdirSync(DIR)
        .filter((f) => f.endsWith(".svg"))
        .sort()) {
        it(`${file}: every icon decodes and every icon and label lies inside the drawing`, async () => {
            const svg = fs.readFileSync(path.join(DIR, file), "utf8");
            const icons = (svg.match(/<image /g) ?? []).length;
            const page = await browser.newPage();
            try {
                await page.setViewport({ width: 2400, height: 1800 });
                await page.goto(pathToFileURL(path.join(DIR, file)).href, { waitUntil: "load", timeout: 30_000 });
                const report = await page.evaluate(inspect);
                await page.screenshot({ path: path.join(SHOTS, file.replace(/\.svg$/, ".png")), fullPage: true });
                assert.ok(icons > 0, "the diagram has icons");
                assert.deepStrictEqual(report.images, { loaded: icons, failed: [] });
                assert.deepStrictEqual(report.outside, []);
                assert.ok(report.texts > icons, `labels: ${report.texts}`);
            } finally {
                await page.close();
            }
        });
    }
});
