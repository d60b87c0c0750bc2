/**
 * node bench/your-map-site.ts [DIST …] [--runs N]: /your-map/'s default estimate (1M
 * peak entries) in headless Chromium, for one or more builds side by side.
 *
 * Each round measures every build in turn (A, B, A, B, …), so that the machine's load
 * falls on all of them alike; the medians of N rounds (default 7) are printed with the
 * load average. Per build:
 *   link     a fresh page opened from a link to the default state: from the page's
 *            start of the run to the main figures drawn (data-ym-first-ms), and of
 *            that the main run in its worker (data-ym-main-run-ms) and the drawing
 *            (data-ym-draw-ms); and to every fix drawn (data-ym-done-ms). Each page is a fresh browser context, a first visit:
 *            the offline service worker registers and precaches on it.
 *   change   on an idle page (workers loaded, Plot fetched), the release changed to
 *            1.24 and back; the change back to the default 1.23 is timed, from the
 *            change event to the main figures drawn.
 * bench/site.ts reports the same figures for the current dist/ among the site's
 * other budgets; this script is the one for comparing two builds of the page.
 */
import { loadavg } from "node:os";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../test/e2e/browser.ts";
import { serveStatic } from "../test/e2e/static-server.ts";
import { median } from "../src/golden/golden.ts";
import { DEFAULT_STATE, toQuery } from "../src/your-map/state.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--runs");
const RUNS = at >= 0 ? Number(args[at + 1]) : 7;
const dirs = args.filter((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
if (dirs.length === 0) dirs.push("dist");

const executablePath = chromiumPath();
if (!executablePath) throw new Error("no Chromium (apt-get install chromium, or CHROMIUM_PATH)");
const browser: Browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
const servers = await Promise.all(dirs.map((d) => serveStatic(d)));
const bases = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
const query = toQuery(DEFAULT_STATE);

type Figures = Record<"link" | "run" | "draw" | "done" | "change" | "changeRun", number[]>;
const figures: Figures[] = dirs.map(() => ({
  link: [],
  run: [],
  draw: [],
  done: [],
  change: [],
  changeRun: [],
}));

async function link(base: string, f: Figures, r: number): Promise<void> {
  const page = await browser.newPage();
  await page.goto(`${base}/your-map/?${query}&r=${r}`);
  const root = page.locator("[data-your-map][data-ym-first-ms]");
  await root.waitFor({ state: "attached", timeout: 120_000 });
  const num = async (name: string): Promise<number> => Number(await root.getAttribute(name));
  f.link.push(await num("data-ym-first-ms"));
  f.run.push(await num("data-ym-main-run-ms"));
  f.draw.push(await num("data-ym-draw-ms"));
  await page.locator("[data-your-map][data-ym-state=done]").waitFor({ timeout: 120_000 });
  f.done.push(await num("data-ym-done-ms"));
  await page.close();
}

async function change(base: string, f: Figures): Promise<void> {
  const page = await browser.newPage();
  await page.goto(`${base}/your-map/`);
  for (let t = 0; page.workers().length < 2 && t < 600; t++) await page.waitForTimeout(100);
  await page.waitForTimeout(1500); // the workers' script evaluated, Plot fetched
  for (const go of ["1.24", "1.23"]) {
    const ms = await page.evaluate(
      (release) =>
        new Promise<number>((resolve) => {
          const root = document.querySelector("[data-your-map]") as HTMLElement;
          const select = document.querySelector("#ym-go") as HTMLSelectElement;
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (root.dataset["ymFirstMs"] !== undefined) {
              seen.disconnect();
              resolve(performance.now() - t0);
            }
          });
          seen.observe(root, { attributes: true });
          select.value = release;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }),
      go,
    );
    if (go === "1.23") {
      f.change.push(ms);
      f.changeRun.push(Number(await page.locator("[data-your-map]").getAttribute("data-ym-main-run-ms")));
    }
    await page.locator("[data-your-map][data-ym-state=done]").waitFor({ timeout: 120_000 });
    await page.waitForTimeout(300);
  }
  await page.close();
}

const load0 = loadavg();
try {
  for (let r = 0; r < RUNS; r++)
    for (let i = 0; i < dirs.length; i++) {
      await link(bases[i] as string, figures[i] as Figures, r);
      await change(bases[i] as string, figures[i] as Figures);
    }
} finally {
  await browser.close();
  for (const s of servers) s.close();
}
const load1 = loadavg();
const fmt = (xs: number[]): string => (xs.some(Number.isNaN) ? "–" : `${median(xs).toFixed(0)} ms`);
process.stdout.write(
  `load average ${load0.map((x) => x.toFixed(2)).join(" ")} → ${load1.map((x) => x.toFixed(2)).join(" ")}; ${RUNS} rounds, builds alternating\n`,
);
const rows: [string, keyof Figures][] = [
  ["link → main figures (from the page's run start)", "link"],
  ["  the main run in its worker", "run"],
  ["  drawing chart and tables", "draw"],
  ["link → every fix drawn", "done"],
  ["change → main figures", "change"],
  ["  the main run in its worker", "changeRun"],
];
process.stdout.write(`${"".padEnd(50)}${dirs.map((d) => d.padStart(24)).join("")}\n`);
for (const [label, key] of rows)
  process.stdout.write(`${label.padEnd(50)}${figures.map((f) => fmt(f[key]).padStart(24)).join("")}\n`);
for (const [i, f] of figures.entries())
  process.stdout.write(
    `  ${dirs[i]}: link ${f.link.join(" ")} · change ${f.change.map((x) => x.toFixed(0)).join(" ")}\n`,
  );
