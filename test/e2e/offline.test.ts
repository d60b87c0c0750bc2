import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { cell, output } from "./cells.ts";
import { listen, staticHandler } from "./static-server.ts";

// Offline, in real Chromium against the built site: the service worker (src/offline/)
// and what the page says when a lazily loaded part does not arrive
// (src/notebook/client/load-errors.ts, output-swap.ts).
//
// The chart cell used throughout: /situation/'s "sawtooth" draws a Plot chart, then
// prints a table of its collections ("… B afterwards …"); both are baked into the page at build time.
const CHAPTER = "/situation/";
const CHART = "sawtooth";

const runButton = (page: Page, id: string): Locator =>
  cell(page, id).getByRole("button", { name: "Run", exact: true });
const status = (page: Page): Locator => page.locator("[data-kernel-status]");

async function runAndWait(page: Page, id: string): Promise<void> {
  const before = Number((await cell(page, id).getAttribute("data-done")) ?? 0);
  await runButton(page, id).click();
  await expect
    .poll(async () => Number((await cell(page, id).getAttribute("data-done")) ?? 0), { timeout: 60_000 })
    .toBeGreaterThan(before);
}

/** The build's outputs of the chart cell, still on the page. */
async function expectBakedChart(page: Page): Promise<void> {
  await expect(output(page, CHART).getAttribute("data-origin")).resolves.toBe("build");
  await expect(output(page, CHART).locator("svg").count()).resolves.toBeGreaterThan(0);
  await expect(output(page, CHART).textContent()).resolves.toContain("B afterwards");
}

describe.skipIf(!hasChromium())("offline", () => {
  let browser: Browser;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("once one chapter has loaded, another chapter runs offline: editor, kernel and a chart", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl("/cause/"), { waitUntil: "load" });
    // Registered after load; "ready" once the precache is complete and the worker controls.
    await page.waitForFunction(() => document.documentElement.dataset["offline"] === "ready", null, {
      timeout: 60_000,
    });
    expect(context.serviceWorkers().length).toBe(1);

    await context.setOffline(true);
    // The emulation cuts the service worker's network too: a file it did not precache fails.
    await expect(
      page.evaluate(() =>
        fetch("/sitemap-index.xml", { cache: "no-store" }).then(
          (r) => r.status,
          () => "failed",
        ),
      ),
    ).resolves.toBe("failed");
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    errors.length = 0; // that fetch's own "Failed to load resource"

    await page.goto(siteUrl(CHAPTER), { waitUntil: "load" });
    await expectBakedChart(page);
    await runAndWait(page, CHART);
    await expect(cell(page, CHART).locator(".cm-content").count()).resolves.toBe(1);
    await expect(cell(page, CHART).getAttribute("data-ok")).resolves.toBe("true");
    await expect(output(page, CHART).getAttribute("data-origin")).resolves.toBe("live");
    await expect(output(page, CHART).locator("svg").count()).resolves.toBeGreaterThan(0);
    await expect(output(page, CHART).textContent()).resolves.toContain("B afterwards");
    await expect(output(page, CHART).locator("[role=alert]").count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.documentElement.dataset["loadError"])).resolves.toBeUndefined();
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("without a service worker the same navigation fails offline (the emulation is real)", async () => {
    context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    await page.goto(siteUrl("/cause/"), { waitUntil: "load" });
    await context.setOffline(true);
    await expect(page.goto(siteUrl(CHAPTER))).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  });

  test("the editor's chunk does not load: the cell says so, keeps the build's output, and the next try works", async () => {
    context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    let blocked = true;
    await page.route(/\/_astro\/notebook-ui\.[^/]*\.js$/, (route) =>
      blocked ? route.abort("internetdisconnected") : route.continue(),
    );
    await page.goto(siteUrl(CHAPTER), { waitUntil: "load" });
    await runButton(page, CHART).click();

    const notice = cell(page, CHART).locator("[data-notice]");
    await expect
      .poll(() => notice.textContent())
      .toMatch(/^Could not load the notebook's editor: a file of the site did not arrive/);
    await expect(notice.isVisible()).resolves.toBe(true);
    await expect(status(page).textContent()).resolves.toMatch(/^Could not load the notebook's editor/);
    await expectBakedChart(page);
    await expect(cell(page, CHART).locator(".cm-content").count()).resolves.toBe(0);

    blocked = false;
    await runAndWait(page, CHART);
    await expect(output(page, CHART).getAttribute("data-origin")).resolves.toBe("live");
    await expect(output(page, CHART).locator("svg").count()).resolves.toBeGreaterThan(0);
  });

  test("offline before the service worker is there: a chart cell says Plot did not load and keeps its chart", async () => {
    context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    await page.goto(siteUrl(CHAPTER), { waitUntil: "load" });
    await cell(page, CHART).locator("[data-code] pre").click();
    await page.waitForFunction(() => document.documentElement.dataset["kernel"] === "idle");

    await context.setOffline(true);
    await runAndWait(page, CHART);
    const alert = output(page, CHART).locator("[role=alert]");
    await expect(alert.textContent()).resolves.toMatch(
      /^Could not load Observable Plot, which draws the charts: you appear to be offline/,
    );
    await expectBakedChart(page);
    await expect(status(page).textContent()).resolves.toMatch(/^Could not load Observable Plot/);

    // Back online, the same Run draws the new chart in place of the old.
    await context.setOffline(false);
    await runAndWait(page, CHART);
    await expect(output(page, CHART).getAttribute("data-origin")).resolves.toBe("live");
    await expect(output(page, CHART).locator("svg").count()).resolves.toBeGreaterThan(0);
    await expect(output(page, CHART).locator("[role=alert]").count()).resolves.toBe(0);
  });

  test("the kernel's script does not load: the cell says so once, nothing is wiped, and the next Run starts a kernel", async () => {
    context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    let blocked = true;
    let attempts = 0;
    await page.route(/\/_astro\/worker-[^/]*\.js$/, (route) => {
      attempts++;
      return blocked ? route.abort("internetdisconnected") : route.continue();
    });
    await page.goto(siteUrl(CHAPTER), { waitUntil: "load" });
    await runButton(page, CHART).click();

    const notice = cell(page, CHART).locator("[data-notice]");
    await expect.poll(() => notice.textContent()).toMatch(/^Could not load the notebook's kernel/);
    await expect(page.evaluate(() => document.documentElement.dataset["kernel"])).resolves.toBe(
      "unavailable",
    );
    await expect(cell(page, CHART).getAttribute("data-running")).resolves.toBeNull();
    await expectBakedChart(page);
    // One attempt at mount, one for the Run: no loop of replacement kernels.
    expect(attempts).toBeLessThanOrEqual(2);

    blocked = false;
    await runAndWait(page, CHART);
    await expect(cell(page, CHART).getAttribute("data-ok")).resolves.toBe("true");
    await expect(output(page, CHART).getAttribute("data-origin")).resolves.toBe("live");
    await expect(output(page, CHART).locator("svg").count()).resolves.toBeGreaterThan(0);
  });

  test("a new deployment is picked up: its worker waits, the page offers a reload, Reload switches", async () => {
    // dist/ as deployed, except that sw.js changes when `deployment` does (as its hashes would).
    let deployment = 1;
    const serve = staticHandler("dist");
    const server = await listen(
      createServer((req, res) => {
        if ((req.url ?? "").split("?")[0] !== "/sw.js") return serve(req, res);
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
        res.end(`${readFileSync("dist/sw.js", "utf8")}\n// deployment ${deployment}\n`);
      }),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const workers = (page: Page): Promise<{ waiting: boolean; controlled: boolean }> =>
      page.evaluate(async () => ({
        waiting: Boolean((await navigator.serviceWorker.getRegistration())?.waiting),
        controlled: Boolean(navigator.serviceWorker.controller),
      }));
    try {
      context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/cause/`);
      await page.waitForFunction(() => document.documentElement.dataset["offline"] === "ready", null, {
        timeout: 60_000,
      });
      await expect(page.locator("[data-offline-update]").count()).resolves.toBe(0);

      deployment = 2;
      await page.goto(`${base}${CHAPTER}`);
      const notice = page.locator("[data-offline-update]");
      await notice.waitFor({ timeout: 60_000 });
      await expect(notice.textContent()).resolves.toContain("A new version of this site is ready");
      // Until the reader accepts, the page stays with the worker it has.
      await expect(workers(page)).resolves.toEqual({ waiting: true, controlled: true });

      await Promise.all([page.waitForEvent("load"), notice.getByRole("button", { name: "Reload" }).click()]);
      await page.waitForFunction(() => document.documentElement.dataset["offline"] === "ready", null, {
        timeout: 60_000,
      });
      await expect(workers(page)).resolves.toEqual({ waiting: false, controlled: true });
      await expect(page.locator("[data-offline-update]").count()).resolves.toBe(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
