/**
 * npm run bench:site — the notebook's budgets, measured (not asserted):
 *
 *   1. building the whole site, every cell executed          budget ≤ 120 s
 *   2. gzipped JavaScript on a chapter before any interaction  budget ≤ 60 KB
 *      (counted once the offline service worker is registered and controls the page:
 *      its registration chunk and the worker script sw.js itself are included)
 *   2b. the service worker script, sw.js (Workbox runtime + manifest)  budget ≤ 10 KB gzipped
 *      (the precache it downloads in the background after load is listed apart)
 *   3. the editor + kernel chunks loaded on first interaction  budget ≤ 250 KB gzipped
 *      (the sanitizer is in the editor's chunk; the chart scripts, fetched when the
 *      first figure is drawn, are listed apart: Plot on the page for heap charts, and
 *      the kernel's chart script, Plot with its DOM, for a cell's own Plot calls)
 *   4. the playground's 1M-element experiment cell in headless Chromium  budget ≤ 1 s for
 *      the site, ≤ 400 ms for the model (the speed goal in docs/model.md); and 10M
 *      inserts of int → [128]byte as a cell (the scratch cell)           budget ≤ 3 s
 *   5. Stop: from the click to the notice that the state was lost  (issue: ≤ 200 ms)
 *   6. /your-map/: its JavaScript before interaction (up to the load event; what it
 *      fetches once idle, its workers' script and Plot, listed apart), and the
 *      default estimate (1M peak entries), medians of 5: opened from a link (from the
 *      page's start of the run) and after an input change on an idle page (from the
 *      change event), to the main figures drawn (budget ≤ 1 s) and to the last fix drawn
 *   7. the largest map pictures (map-view-svg.ts): 2^18 buckets redrawn from the timeline,
 *      and a 1,024-table directory drawn, DOM and layout (User Timing "map-view"), at the
 *      page's width and at the widest drawing (1,600 px, 2,048 marks)  budget ≤ 16 ms;
 *      and the cost of following a map live: a cell of 1M inserts and 500k deletes with
 *      and without liveMapView, alternating, medians of LIVE_RUNS  budget ≤ 1.05×
 *   8. an input changed during a 10M-entry run: the stale run cancelled (its kernel
 *      replaced), setup replayed, the new output drawn             measured, no budget
 *
 * BENCH_SKIP_BUILD=1 measures the existing dist/ without rebuilding.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../test/e2e/browser.ts";
import { serveStatic } from "../test/e2e/static-server.ts";
import { precachedFiles } from "../src/offline/service-worker.ts";
import { SW_FILE } from "../src/offline/sw-file.ts";
import { median } from "../src/golden/golden.ts";
import { DEFAULT_STATE, toQuery } from "../src/your-map/state.ts";

const CHAPTER = "/playground/";
/** Runs of the cell with and without liveMapView (each), alternating. */
const LIVE_RUNS = 9;
const KB = 1024;

function row(name: string, value: string, budget: string): void {
  process.stdout.write(`${name.padEnd(58)} ${value.padStart(12)}   ${budget}\n`);
}

let buildSeconds: number | null = null;
if (process.env["BENCH_SKIP_BUILD"] !== "1") {
  const t = performance.now();
  execFileSync("npx", ["astro", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  buildSeconds = (performance.now() - t) / 1000;
}

const executablePath = chromiumPath();
if (!executablePath) {
  process.stdout.write(
    "No Chromium (apt-get install chromium, or CHROMIUM_PATH): browser figures skipped.\n",
  );
  if (buildSeconds !== null)
    row("full build (every cell executed)", `${buildSeconds.toFixed(1)} s`, "≤ 120 s");
  process.exit(0);
}

const server = await serveStatic("dist");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });

/** Gzipped size of every script the page fetched while `during` ran. */
async function scripts(page: Page, during: () => Promise<void>): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  const onResponse = (res: import("playwright-core").Response): void => {
    const url = res.url();
    if (!/\.m?js(\?|$)/.test(url) || sizes.has(url)) return;
    sizes.set(url, 0);
    pending.push(
      res.body().then(
        (body) => void sizes.set(url, gzipSync(body, { level: 9 }).length),
        () => void sizes.delete(url),
      ),
    );
  };
  page.on("response", onResponse);
  await during();
  await Promise.all(pending);
  page.off("response", onResponse);
  return sizes;
}

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const gzipped = (file: string): number => gzipSync(readFileSync(join("dist", file)), { level: 9 }).length;

// The offline service worker: its script, and what it precaches after the first load.
const swBytes = gzipped(SW_FILE);
const precache = await precachedFiles("dist");
const precacheBytes = precache.reduce((total, file) => total + gzipped(file), 0);
const name = (url: string): string => url.split("/").pop() ?? url;

try {
  const page = await browser.newPage();
  const before = await scripts(page, async () => {
    await page.goto(base + CHAPTER, { waitUntil: "networkidle" });
    // Registered once the page is idle; "ready" when the precache is complete.
    await page.waitForFunction(() => document.documentElement.dataset["offline"] === "ready", null, {
      timeout: 120_000,
    });
  });
  before.set(`${SW_FILE} (the service worker, fetched by the browser)`, swBytes);
  const wake = await scripts(page, async () => {
    await page.locator('[data-cell="setup"] [data-code] pre').click();
    await page.waitForFunction(() => document.documentElement.dataset["kernel"] === "idle");
  });
  const plotChunk = await scripts(page, async () => {
    await page.getByRole("button", { name: "Run all" }).click();
    await page.waitForFunction(
      () => /Every cell ran|stopped/.test(document.querySelector("[data-kernel-status]")?.textContent ?? ""),
      null,
      { timeout: 120_000 },
    );
  });

  // The experiment, alone, on a kernel where the setup cell has run: three times at
  // once after a restart (the kernel's warm-up has barely begun), three times after a
  // second of idle (a reader who reads the cell before running it: warm-up.ts is done).
  const times: number[] = [];
  const idleTimes: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.getByRole("button", { name: "Restart" }).click();
    if (i >= 3) {
      await page.waitForFunction(() => document.documentElement.dataset["kernel"] === "idle");
      await page.waitForTimeout(1_000);
    }
    for (const id of ["setup", "experiment"]) {
      const cell = page.locator(`[data-cell="${id}"]`);
      const done = Number((await cell.getAttribute("data-done")) ?? 0);
      const t = performance.now();
      await cell.getByRole("button", { name: "Run", exact: true }).click();
      await page.waitForFunction(
        ([sel, n]) =>
          Number(document.querySelector(sel as string)?.getAttribute("data-done") ?? 0) > (n as number),
        [`[data-cell="${id}"]`, done] as const,
        { timeout: 60_000 },
      );
      if (id === "experiment") (i < 3 ? times : idleTimes).push(performance.now() - t);
    }
  }
  const kernelMs = await page.locator('[data-cell="experiment"] [data-state-text]').textContent();

  // 10M inserts as a cell (the scratch cell, on the setup cell's runtime), click → output drawn.
  const scratchCell = page.locator('[data-cell="scratch"]');
  const tenM: number[] = [];
  for (let i = 0; i < 3; i++) {
    await scratchCell.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(
      `const big${i} = rt.makeMap("int", "[128]byte");\nbig${i}.insertRange(0, 10_000_000);\ndisplay({ len: big${i}.len });\nrt.drop(big${i});`,
    );
    const done = Number((await scratchCell.getAttribute("data-done")) ?? 0);
    const t = performance.now();
    await scratchCell.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForFunction(
      ([sel, n]) =>
        Number(document.querySelector(sel as string)?.getAttribute("data-done") ?? 0) > (n as number),
      ['[data-cell="scratch"]', done] as const,
      { timeout: 120_000 },
    );
    tenM.push(performance.now() - t);
    const err = await scratchCell.locator("[role=alert]").count();
    if (err > 0)
      throw new Error(`10M cell failed: ${await scratchCell.locator("[role=alert]").first().textContent()}`);
  }

  // Stop: a busy loop, then the click; measured inside the page.
  const scratch = page.locator('[data-cell="scratch"]');
  await scratch.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText("while (true) {}");
  await scratch.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForSelector('[data-cell="scratch"][data-running]');
  await page.waitForTimeout(200);
  const stopMs = await page.evaluate(async () => {
    const cell = document.querySelector('[data-cell="scratch"]') as HTMLElement;
    const notice = cell.querySelector("[data-notice]") as HTMLElement;
    const t = performance.now();
    (cell.querySelector('[data-action="stop"]') as HTMLButtonElement).click();
    while (!/state was lost/.test(notice.textContent ?? "")) await new Promise((r) => setTimeout(r, 1));
    return performance.now() - t;
  });

  // /your-map/: the page's scripts up to its load event; then what it fetches once idle
  // (its two estimator workers' script, the model, and Plot), before any estimate is asked for.
  const ymPage = await browser.newPage();
  const ymScripts = await scripts(ymPage, async () => {
    await ymPage.goto(`${base}/your-map/`, { waitUntil: "load" });
  });
  const ymWorker = await scripts(ymPage, async () => {
    for (let t = 0; ymPage.workers().length < 2 && t < 600; t++) await ymPage.waitForTimeout(100);
    await ymPage.waitForLoadState("networkidle");
  });
  // Of those, the estimator's are its workers' script and Plot (the chunk the chapter's heap
  // charts fetched above); the rest (Starlight's, the offline registration) count as before.
  const ymWorkerUrls = new Set(ymPage.workers().map((w) => w.url()));
  for (const [url, size] of ymWorker)
    if (!ymWorkerUrls.has(url) && !plotChunk.has(url)) {
      ymScripts.set(url, size);
      ymWorker.delete(url);
    }
  const YM_RUNS = 5;
  const defaultQuery = toQuery(DEFAULT_STATE);
  // Opened from a link: the run starts as the page's script does; its times are the page's own.
  const ymFirst: number[] = [];
  const ymDone: number[] = [];
  const ymMainRun: number[] = [];
  const ymDraw: number[] = [];
  for (let i = 0; i < YM_RUNS; i++) {
    await ymPage.goto(`${base}/your-map/?${defaultQuery}&r=${i}`);
    await ymPage.locator("[data-your-map][data-ym-state=done]").waitFor({ timeout: 120_000 });
    const root = ymPage.locator("[data-your-map]");
    ymFirst.push(Number(await root.getAttribute("data-ym-first-ms")));
    ymDone.push(Number(await root.getAttribute("data-ym-done-ms")));
    ymMainRun.push(Number(await root.getAttribute("data-ym-main-run-ms")));
    ymDraw.push(Number(await root.getAttribute("data-ym-draw-ms")));
  }
  // An input changed on an idle page (workers and Plot loaded meanwhile): the release
  // goes to 1.24, and back to the default 1.23, timed from that change event.
  await ymPage.goto(`${base}/your-map/`);
  for (let t = 0; ymPage.workers().length < 2 && t < 600; t++) await ymPage.waitForTimeout(100);
  await ymPage.waitForTimeout(1500); // the workers' script evaluated, Plot fetched
  const ymChangeFirst: number[] = [];
  const ymChangeDone: number[] = [];
  for (let i = 0; i < YM_RUNS; i++) {
    for (const go of ["1.24", "1.23"]) {
      const t = await ymPage.evaluate(
        (release) =>
          new Promise<[number, number]>((resolve) => {
            const root = document.querySelector("[data-your-map]") as HTMLElement;
            const select = document.querySelector("#ym-go") as HTMLSelectElement;
            let first = NaN;
            const t0 = performance.now();
            const seen = new MutationObserver(() => {
              if (Number.isNaN(first) && root.dataset["ymFirstMs"] !== undefined)
                first = performance.now() - t0;
              if (root.dataset["ymState"] === "done" && root.dataset["ymDoneMs"] !== undefined) {
                seen.disconnect();
                resolve([first, performance.now() - t0]);
              }
            });
            seen.observe(root, { attributes: true });
            select.value = release;
            select.dispatchEvent(new Event("change", { bubbles: true }));
          }),
        go,
      );
      if (go === "1.23") {
        ymChangeFirst.push(t[0]);
        ymChangeDone.push(t[1]);
      }
      await ymPage.waitForTimeout(500);
    }
  }
  await ymPage.close();
  // Map pictures, in the scratch cell: each drawing is a User Timing measure, "map-view".
  const runScratch = async (code: string): Promise<number> => {
    await scratch.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(code);
    const done = Number((await scratch.getAttribute("data-done")) ?? 0);
    await scratch.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForFunction(
      ([n]) =>
        Number(document.querySelector('[data-cell="scratch"]')?.getAttribute("data-done") ?? 0) > (n ?? 0),
      [done] as const,
      { timeout: 120_000 },
    );
    const state = (await scratch.locator("[data-state-text]").textContent()) ?? "";
    return Number(/([\d,]+) ms/.exec(state)?.[1]?.replace(/,/g, "") ?? NaN);
  };
  // Scrub between the last two states of the scratch cell's picture, twenty redraws.
  const scrubScratch = () =>
    page.evaluate(async () => {
      performance.clearMeasures("map-view");
      const input = document.querySelector('[data-cell="scratch"] [data-map-timeline]') as HTMLInputElement;
      const max = Number(input.max);
      for (let i = 0; i < 20; i++) {
        input.value = String(i % 2 === 0 ? max - 1 : max);
        input.dispatchEvent(new Event("input"));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
      const fig = input.closest("[data-map-view]");
      return {
        ms: performance.getEntriesByName("map-view").map((e) => e.duration),
        marks: fig?.getAttribute("data-marks"),
        per: fig?.getAttribute("data-marks-per"),
        frames: fig?.getAttribute("data-frames"),
      };
    });
  // The widest drawing (MAX_WIDTH, 2,048 marks): the figure made that wide, redrawn by
  // its ResizeObserver, then scrubbed.
  const widest = async () => {
    await page.evaluate(() => {
      const fig = document.querySelector('[data-cell="scratch"] [data-map-view]') as HTMLElement;
      fig.style.width = "1604px";
      fig.style.maxWidth = "none";
    });
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-cell="scratch"] [data-map-view]')?.dataset["width"] ===
        "1600",
    );
    return scrubScratch();
  };
  await page.evaluate(() => performance.clearMeasures("map-view"));
  await runScratch(
    'const sw = goRuntime({ go: "1.24" }).makeMap("int", "int", 1024 * 896); liveMapView(sw, { every: 10_000 }); sw.insertRange(0, 100_000);',
  );
  const swissFirst = await page.evaluate(() =>
    Math.max(...performance.getEntriesByName("map-view").map((e) => e.duration)),
  );
  const swiss = await scrubScratch();
  const swissWide = await widest();
  // The same cell with and without a live picture following its map, alternating (the
  // machine's load drifts alike over both), kernel time as the cell's state reports it.
  const insert = 'const rtb = goRuntime({ go: "1.23" }); const big = rtb.makeMap("int", "[128]byte");';
  const loop = "big.insertRange(0, 1_000_000); big.deleteRange(0, 1_000_000, 2);";
  const plainMs: number[] = [];
  const liveMs: number[] = [];
  // One pair first, not counted: the views' code and the picture's drawing warm up.
  await runScratch(`${insert} ${loop}`);
  await runScratch(`${insert} liveMapView(big, { every: 1_000 }); ${loop}`);
  for (let i = 0; i < LIVE_RUNS; i++) {
    plainMs.push(await runScratch(`${insert} ${loop}`));
    liveMs.push(await runScratch(`${insert} liveMapView(big, { every: 1_000 }); ${loop}`));
  }
  const scrub = await scrubScratch();
  const scrubWide = await widest();
  // The live picture's own share of a run, timed inside the kernel (the wall times above
  // swing with the machine's load; a share does much less): the views it reads, and all
  // it does at each sample (views, recording, posting to the page).
  const shares: { view: number; sample: number; run: number }[] = [];
  for (let i = 0; i < 3; i++) {
    await runScratch(
      `${insert} const v0 = big.view.bind(big); let vt = 0; big.view = (n) => { const t = performance.now(); const r = v0(n); vt += performance.now() - t; return r; }; const s0 = rtb.onSample.bind(rtb); let st = 0; rtb.onSample = (k, fn) => s0(k, (s) => { const t = performance.now(); fn(s); st += performance.now() - t; }); const t0 = performance.now(); liveMapView(big, { every: 1_000 }); ${loop} display(\`\${vt.toFixed(1)} \${st.toFixed(1)} \${(performance.now() - t0).toFixed(1)}\`);`,
    );
    const [view, sample, run] = ((await scratch.locator("[data-output] pre").last().textContent()) ?? "")
      .split(" ")
      .map(Number);
    shares.push({ view: view ?? NaN, sample: sample ?? NaN, run: run ?? NaN });
  }
  const share = shares.reduce((a, b) => (b.sample / b.run < a.sample / a.run ? b : a));
  // Inputs: a newer value during a 10,000,000-entry run cancels it (the kernel is
  // replaced) and runs the plan again on a fresh kernel: setup, then the experiment.
  const entries = page.locator('[data-cell="experiment"]').getByLabel("entries", { exact: true });
  await entries.fill("400");
  await page.waitForSelector('[data-cell="experiment"][data-running]', { timeout: 60_000 });
  await page.waitForTimeout(300);
  const c0 = performance.now();
  await entries.fill("0");
  await page.waitForFunction(
    () =>
      /after 1,000 inserts/.test(
        document.querySelector('[data-cell="experiment"] [data-output]')?.textContent ?? "",
      ),
    null,
    { timeout: 60_000 },
  );
  const cancelMs = performance.now() - c0;

  process.stdout.write("\nnotebook budgets (measured on this machine)\n\n");
  if (buildSeconds !== null)
    row("full build (every cell executed)", `${buildSeconds.toFixed(1)} s`, "≤ 120 s");
  row(
    `JS before interaction on ${CHAPTER} (gzipped, ${before.size} files)`,
    `${(sum(before) / KB).toFixed(1)} KB`,
    "≤ 60 KB",
  );
  for (const [url, size] of before) row(`  ${name(url)}`, `${(size / KB).toFixed(1)} KB`, "");
  row(`service worker script ${SW_FILE} (gzipped)`, `${(swBytes / KB).toFixed(1)} KB`, "≤ 10 KB");
  row(
    `offline precache, fetched in the background (${precache.length} files, gzipped)`,
    `${(precacheBytes / KB).toFixed(0)} KB`,
    "(separate)",
  );
  row(
    `editor + kernel chunks on first interaction (gzipped, ${wake.size} files)`,
    `${(sum(wake) / KB).toFixed(1)} KB`,
    "≤ 250 KB",
  );
  for (const [url, size] of wake) row(`  ${name(url)}`, `${(size / KB).toFixed(1)} KB`, "");
  row(
    `chart scripts, at the first figures (gzipped, ${plotChunk.size} files)`,
    `${(sum(plotChunk) / KB).toFixed(1)} KB`,
    "(separate)",
  );
  for (const [url, size] of plotChunk) row(`  ${name(url)}`, `${(size / KB).toFixed(1)} KB`, "");
  row(
    "1M-element experiment cell, click → outputs drawn (best of 3)",
    `${Math.min(...times).toFixed(0)} ms`,
    "≤ 400 ms (model), ≤ 1 s (site)",
  );
  row("  median of 3", `${median(times).toFixed(0)} ms`, "");
  row(
    "  the same after 1 s of idle (kernel warmed up), best of 3",
    `${Math.min(...idleTimes).toFixed(0)} ms`,
    "≤ 400 ms",
  );
  row("  median of 3", `${median(idleTimes).toFixed(0)} ms`, "");
  row("  the same, as the kernel timed it (last run)", kernelMs?.replace("ran in ", "") ?? "?", "");
  row("10M inserts as a cell, click → output drawn (median of 3)", `${median(tenM).toFixed(0)} ms`, "≤ 3 s");
  row("  best of 3", `${Math.min(...tenM).toFixed(0)} ms`, "");
  row("Stop: click → 'state was lost' notice", `${stopMs.toFixed(1)} ms`, "≤ 200 ms");
  row(
    `JS before interaction on /your-map/ (gzipped, ${ymScripts.size} files)`,
    `${(sum(ymScripts) / KB).toFixed(1)} KB`,
    "≤ 60 KB",
  );
  for (const [url, size] of ymScripts) row(`  ${name(url)}`, `${(size / KB).toFixed(1)} KB`, "");
  row(
    `/your-map/ once idle, before any estimate: worker, Plot (gzipped, ${ymWorker.size} files)`,
    `${(sum(ymWorker) / KB).toFixed(1)} KB`,
    "(separate)",
  );
  for (const [url, size] of ymWorker) row(`  ${name(url)}`, `${(size / KB).toFixed(1)} KB`, "");
  const ms = (xs: number[]): string => `${median(xs).toFixed(0)} ms`;
  row(
    `/your-map/ default (1M entries), link → main figures (median of ${YM_RUNS})`,
    ms(ymFirst),
    "≤ 1000 ms",
  );
  row("  … → every fix drawn (median)", ms(ymDone), "");
  row("  of the main figures: the model's run in its worker (median)", ms(ymMainRun), "");
  row("  of the main figures: drawing chart and tables (median)", ms(ymDraw), "");
  row(`  input change → main figures (median of ${YM_RUNS})`, ms(ymChangeFirst), "≤ 1000 ms");
  row("  input change → every fix drawn (median)", ms(ymChangeDone), "");
  row("  all runs, link: main / every fix", `${ymFirst.join(" ")} / ${ymDone.join(" ")}`, "");
  row(
    "  all runs, change: main / every fix",
    `${ymChangeFirst.map((x) => x.toFixed(0)).join(" ")} / ${ymChangeDone.map((x) => x.toFixed(0)).join(" ")}`,
    "",
  );
  row(
    `map picture, 2^18 buckets (${scrub.per ?? "?"} per mark), scrubbed: median of ${scrub.ms.length}`,
    `${(scrub.ms.length > 0 ? median(scrub.ms) : NaN).toFixed(1)} ms`,
    "≤ 16 ms",
  );
  row("  the same, slowest redraw", `${Math.max(...scrub.ms).toFixed(1)} ms`, "");
  row(
    `map picture, 1,024-table directory (${swiss.per ?? "?"} tables per column), scrubbed: median`,
    `${(swiss.ms.length > 0 ? median(swiss.ms) : NaN).toFixed(1)} ms`,
    "≤ 16 ms",
  );
  row(
    "  the same, slowest redraw / first drawing (cold)",
    `${Math.max(...swiss.ms).toFixed(1)} / ${swissFirst.toFixed(1)} ms`,
    "",
  );
  row(
    `  at the widest drawing (${scrubWide.marks ?? "?"} marks of ${scrubWide.per ?? "?"}): median / slowest`,
    `${median(scrubWide.ms).toFixed(1)} / ${Math.max(...scrubWide.ms).toFixed(1)} ms`,
    "≤ 16 ms",
  );
  row(
    `  1,024 tables at the widest drawing (${swissWide.marks ?? "?"} columns of ${swissWide.per ?? "?"}): median / slowest`,
    `${median(swissWide.ms).toFixed(1)} / ${Math.max(...swissWide.ms).toFixed(1)} ms`,
    "≤ 16 ms",
  );
  const plain = median(plainMs);
  const live = median(liveMs);
  row(
    `1M inserts + 500k deletes, kernel time, median of ${LIVE_RUNS}: plain / liveMapView`,
    `${plain.toFixed(0)} / ${live.toFixed(0)} ms`,
    "",
  );
  row(
    `  with liveMapView ÷ plain, medians (${scrub.frames ?? "?"} states kept)`,
    `${(live / plain).toFixed(3)}×`,
    "≤ 1.05×",
  );
  row(
    "  the same, fastest runs (the least disturbed by other load)",
    `${(Math.min(...liveMs) / Math.min(...plainMs)).toFixed(3)}×`,
    "",
  );
  row("  each run, plain", plainMs.join(" "), "");
  row("  each run, liveMapView", liveMs.join(" "), "");
  row(
    "  inside the kernel, least of 3: views / everything at samples",
    `${share.view.toFixed(0)} / ${share.sample.toFixed(0)} of ${share.run.toFixed(0)} ms (${((100 * share.view) / share.run).toFixed(1)}% / ${((100 * share.sample) / share.run).toFixed(1)}%)`,
    "≤ 5%",
  );
  row(
    "input changed during a 10M-entry run → new output (incl. 250 ms debounce)",
    `${cancelMs.toFixed(0)} ms`,
    "(measured)",
  );
  process.stdout.write("\n");
} finally {
  await browser.close();
  server.close();
}
