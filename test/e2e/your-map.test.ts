import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page, Worker } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";

// /your-map/, the estimator for a reader's own map: its link restores what its sender
// saw, a newer input cancels an outdated run, a bad input is explained next to its
// control, and without JavaScript the default example is there, baked at build.

const DONE = 60_000; // ms a small estimate may take on a loaded machine

async function settled(page: Page, state = "done"): Promise<void> {
  await page.locator(`[data-your-map][data-ym-state="${state}"]`).waitFor({ timeout: DONE });
}

const summary = (page: Page): Promise<string | null> => page.locator("[data-ym-summary]").textContent();
const fixes = (page: Page): Promise<string | null> => page.locator("[data-ym-fixes]").textContent();

describe.skipIf(!hasChromium())("/your-map/", () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launch();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  test("a link restores every input and shows the same estimate; a change goes into the link", async () => {
    const query = new URLSearchParams({
      key: "int64",
      value: "struct{ ID int64; Name string }",
      "len.value.Name": "16",
      n: "30000",
      w: "window",
      rounds: "3",
      turnover: "25",
      go: "1.24",
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl(`/your-map/?${query}`));
    await settled(page);
    await expect(page.locator("#ym-key").inputValue()).resolves.toBe("int64");
    await expect(page.locator("#ym-value").inputValue()).resolves.toBe("struct{ ID int64; Name string }");
    await expect(page.locator('input[name="workload"][value="window"]').isChecked()).resolves.toBe(true);
    await expect(page.locator("#ym-rounds").inputValue()).resolves.toBe("3");
    await expect(page.locator("#ym-go").inputValue()).resolves.toBe("1.24");
    // The string inside the value got its length control as the type was read.
    await expect(page.locator('input[name="len:value.Name"]').inputValue()).resolves.toBe("16");
    expect(await summary(page)).toContain("map[int64]struct{ ID int64; Name string } on Go 1.24");
    expect(await summary(page)).toContain("30,000 entries");

    await page.locator("#ym-peak").fill("40000");
    await page.waitForURL(/n=40000/);
    await settled(page);
    expect(await summary(page)).toContain("40,000 entries");
    const link = page.url();
    const shown = { summary: await summary(page), fixes: await fixes(page) };
    expect(new URL(link).searchParams.get("w")).toBe("window");

    const again = await context.newPage();
    await again.goto(link);
    await settled(again);
    expect({ summary: await summary(again), fixes: await fixes(again) }).toEqual(shown);
    expect(errors).toEqual([]);
    await page.close();
    await again.close();
  });

  test("a link with values it cannot read says so and uses the defaults", async () => {
    const page = await context.newPage();
    await page.goto(siteUrl("/your-map/?n=lots&go=9.99&w=weekly"));
    const notice = page.locator("[data-ym-notice]");
    await expect(notice.isVisible()).resolves.toBe(true);
    const text = (await notice.textContent()) ?? "";
    for (const p of ["n=lots", "go=9.99", "w=weekly"]) expect(text).toContain(p);
    await expect(page.locator("#ym-peak").inputValue()).resolves.toBe("1000000");
    await expect(page.locator("#ym-go").inputValue()).resolves.toBe("1.23");
    await page.close();
  });

  test("a link with a size too large for the tab falls back to the default, says so, and estimates", async () => {
    const page = await context.newPage();
    await page.goto(siteUrl("/your-map/?key=int&n=999999999&go=1.24"));
    await settled(page);
    expect(await page.locator("[data-ym-notice]").textContent()).toContain("n=999999999");
    await expect(page.locator("#ym-peak").inputValue()).resolves.toBe("1000000");
    await expect(page.locator("#ym-key").inputValue()).resolves.toBe("int");
    expect(await summary(page)).toContain("map[int][128]byte on Go 1.24");
    await page.close();
  });

  test("the main figures are drawn first, with progress, and the fixes follow one by one", async () => {
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Every change of the run's state and of the progress bar, as the page made it.
    await page.addInitScript(() => {
      const seen: unknown[] = [];
      (window as unknown as { ymSeen: unknown[] }).ymSeen = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as HTMLElement;
          if (r.attributeName === "value" && el.matches("[data-ym-progress]"))
            seen.push({ progress: (el as HTMLProgressElement).value, hidden: el.hidden });
          if (r.attributeName === "data-ym-state")
            seen.push({
              state: el.dataset["ymState"],
              status: document.querySelector("[data-ym-status-text]")?.textContent ?? "",
              perEntry: document.querySelectorAll("[data-ym-per-entry] tbody tr").length,
              stays: document.querySelector("[data-ym-stays]")?.textContent ?? "",
              chart: document.querySelectorAll('[data-ym-chart] > [aria-hidden="true"]').length,
              computing: [...document.querySelectorAll("[data-ym-fixes] tbody tr")].filter((tr) =>
                tr.textContent?.includes("computing…"),
              ).length,
            });
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ym-state", "value"] });
    });
    await page.goto(siteUrl("/your-map/?n=1000000&w=drain&keep=1&go=1.23"));
    await settled(page);
    type Seen = { state?: string; progress?: number; computing?: number } & Record<string, unknown>;
    const seen = await page.evaluate(() => (window as unknown as { ymSeen: Seen[] }).ymSeen);
    const states = seen.filter((s) => s.state !== undefined);
    expect(states[0]?.state).toBe("running");
    const firstDrawn = seen.findIndex((s) => s.state === "partial");
    expect(firstDrawn, JSON.stringify(states)).toBeGreaterThan(0);
    // The main figures, before any fix: chart, bytes per entry, what stays; the three fix runs pending.
    expect(seen[firstDrawn]).toMatchObject({ perEntry: 2, chart: 1, computing: 3 });
    expect(seen[firstDrawn]?.["stays"]).toMatch(/^What stays after the drain: [\d.]+ MiB more/);
    // Then one fix at a time, to none left.
    const pending = states.filter((s) => s.state !== "running").map((s) => s.computing);
    expect(pending).toEqual([3, 2, 1, 0]);
    expect(states.at(-1)?.state).toBe("done");
    // Progress: the main run's, under way before its figures; then the fixes'.
    const during = (from: number, to: number): number[] =>
      seen.slice(from, to).flatMap((s) => (typeof s.progress === "number" ? [s.progress] : []));
    expect(during(0, firstDrawn).some((v) => v > 0 && v < 1)).toBe(true);
    expect(during(firstDrawn, seen.length).some((v) => v > 0 && v < 1)).toBe(true);
    await expect(page.locator("[data-ym-progress]").isHidden()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("on a first visit from a link, the offline precache waits until the estimate is complete", async () => {
    // A fresh context: no service worker registered yet, as for a reader following a link.
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(siteUrl("/your-map/?n=1000000&w=drain&keep=1&go=1.23"));
    await settled(page, "partial");
    const offline = (): Promise<string | null> =>
      page.evaluate(() => document.documentElement.dataset["offline"] ?? null);
    // The main figures are drawn and the fixes still run: the page is idle, the workers are not.
    expect(await offline()).toBeNull();
    await settled(page);
    await expect.poll(offline, { timeout: DONE }).toBe("ready");
    await first.close();
  });

  test("a newer input cancels the outdated run: its worker ends and its result never shows", async () => {
    const page = await context.newPage();
    const closed = new Set<Worker>();
    page.on("worker", (w) => w.on("close", () => closed.add(w)));
    await page.goto(siteUrl("/your-map/"));
    await page.locator("#ym-peak").fill("8000000");
    await page.locator("[data-your-map][data-ym-state=running]").waitFor({ timeout: DONE });
    await page.locator("[data-ym-progress]").waitFor({ state: "visible" });
    const running = page.workers();
    expect(running.length).toBeGreaterThan(0);
    await page.locator("#ym-peak").fill("20000");
    await settled(page);
    expect(await summary(page)).toContain("20,000 entries");
    // The worker that ran the old estimate was ended, and nothing of its run arrives later.
    // (The browser reports a terminated worker's end asynchronously, hence the poll.)
    await expect
      .poll(() => running.filter((w) => closed.has(w)).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    expect(await summary(page)).toContain("20,000 entries");
    expect(await summary(page)).not.toContain("8,000,000");
    await page.close();
  });

  test("a change while the fixes are compared ends their runs; only the new estimate's figures show", async () => {
    const page = await context.newPage();
    const closed = new Set<Worker>();
    page.on("worker", (w) => w.on("close", () => closed.add(w)));
    await page.goto(siteUrl("/your-map/?n=1000000&w=drain&keep=1&go=1.23"));
    await settled(page, "partial");
    const comparing = page.workers();
    // In one go, so that the fixes cannot all arrive in between: still comparing, then the change.
    const fixesWhenChanged = await page.evaluate(() => {
      const text = document.querySelector("[data-ym-fixes]")?.textContent ?? "";
      const select = document.querySelector("#ym-go") as HTMLSelectElement;
      select.value = "1.24";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      return text;
    });
    expect(fixesWhenChanged).toContain("computing…");
    await settled(page);
    await expect
      .poll(() => comparing.filter((w) => closed.has(w)).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const shown = { summary: await summary(page), fixes: await fixes(page) };
    expect(shown.summary).toContain("on Go 1.24");
    expect(shown.fixes).not.toContain("computing…");
    await page.waitForTimeout(1500);
    expect({ summary: await summary(page), fixes: await fixes(page) }).toEqual(shown);
    await page.close();
  });

  test("a type the model cannot lay out is explained next to its control, and nothing else breaks", async () => {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl("/your-map/"));
    await page.locator("#ym-key").fill("chan int");
    const msg = page.locator("#ym-key-msg");
    await msg.waitFor({ state: "visible", timeout: DONE });
    await expect(msg.getAttribute("role")).resolves.toBe("alert");
    expect(await msg.textContent()).toMatch(/chan/);
    await expect(page.locator("#ym-key").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator("#ym-key").getAttribute("aria-describedby")).resolves.toBe("ym-key-msg");
    await expect(page.locator("#ym-value-msg").isVisible()).resolves.toBe(false);
    // The previous results stay, marked stale; the form still works.
    await expect(page.locator("[data-ym-results]").count()).resolves.toBe(1);
    // A size too large for the tab: its own message, beside the peak entries.
    await page.locator("#ym-peak").fill("100000000");
    await page.locator("#ym-peak-msg").waitFor({ state: "visible", timeout: DONE });
    expect(await page.locator("#ym-peak-msg").textContent()).toMatch(/too many for this tab/);
    await page.locator("#ym-key").fill("int");
    await msg.waitFor({ state: "hidden", timeout: DONE });
    await expect(page.locator("#ym-peak-msg").isVisible()).resolves.toBe(true);
    await page.locator("#ym-peak").fill("10000");
    await settled(page);
    await expect(msg.isVisible()).resolves.toBe(false);
    await expect(page.locator("#ym-key").getAttribute("aria-invalid")).resolves.toBe(null);
    expect(await summary(page)).toContain("map[int][128]byte");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("without JavaScript the default example is there, figures, chart and program baked", async () => {
    const off = await browser.newContext({ javaScriptEnabled: false });
    const page = await off.newPage();
    await page.goto(siteUrl("/your-map/"));
    await expect(page.locator("[data-ym-recommendation]").textContent()).resolves.toMatch(/Recreate/);
    // One chart (Plot's figure: its legend's swatches and the plot), hidden from the
    // accessibility tree, its caption saying it in words.
    await expect(page.locator('[data-ym-chart] > [aria-hidden="true"]').count()).resolves.toBe(1);
    expect(await page.locator('[data-ym-chart] > [aria-hidden="true"] svg').count()).toBeGreaterThan(0);
    await expect(page.locator("[data-ym-chart] figcaption").textContent()).resolves.toMatch(/HeapAlloc/);
    await expect(page.locator("[data-ym-per-entry] tbody tr").count()).resolves.toBe(2);
    expect(await page.locator("[data-ym-fixes]").textContent()).not.toContain("computing");
    await expect(page.locator("[data-ym-program-text]").textContent()).resolves.toContain("package main");
    for (const control of ["#ym-key", "#ym-value", "#ym-peak", "#ym-go"])
      await expect(page.locator(control).isDisabled()).resolves.toBe(true);
    await expect(page.locator(".ym-nojs").isVisible()).resolves.toBe(true);
    await off.close();
  });
});
