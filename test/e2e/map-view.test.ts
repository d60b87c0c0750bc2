import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { cell, output, run, setCode } from "./cells.ts";

// Map pictures (mapView, liveMapView): baked into the chapters, live while a cell runs,
// scrubbed afterwards, and drawn from checked numbers only. Drawing speed is a benchmark
// (npm run bench:site), not a test; here the largest pictures must draw, aggregated.

describe.skipIf(!hasChromium())("map pictures", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(
    path: string,
    options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
  ) {
    const context: BrowserContext = await browser.newContext(options);
    const page: Page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl(path), { waitUntil: "load" });
    return { context, page, errors };
  }

  test("with JavaScript off the chapters show the baked pictures, captions and tables", async () => {
    const { context, page } = await open("/cause/", { javaScriptEnabled: false });
    const pictures0 = output(page, "watch-growth").locator("[data-map-view]");
    await expect(pictures0.count()).resolves.toBe(2);
    const growth = pictures0.nth(0);
    await expect(growth.locator("svg path").count()).resolves.toBeGreaterThan(3);
    await expect(growth.locator("figcaption").textContent()).resolves.toMatch(
      /430 entries in 2\^7 = 128 buckets.*growing from 2\^6: \d+ of 64 old buckets evacuated \(nevacuate \d+\)/,
    );
    await expect(growth.getByRole("row", { name: /old buckets \(2\^oldB\)/ }).count()).resolves.toBe(1);
    // No slider without a run: the page adds it.
    await expect(growth.locator("input").count()).resolves.toBe(0);
    await expect(pictures0.nth(1).locator("figcaption").textContent()).resolves.toMatch(
      /^then every other key deleted: 215 entries in 2\^7 = 128 buckets.*not growing/,
    );
    const swiss = output(page, "watch-tombstones").locator("[data-map-view]");
    await expect(swiss.count()).resolves.toBe(2);
    await expect(swiss.nth(0).locator("figcaption").textContent()).resolves.toContain("Go 1.24");
    await expect(swiss.nth(1).locator("figcaption").textContent()).resolves.toContain("Go 1.26");
    await context.close();

    const situation = await open("/situation/", { javaScriptEnabled: false });
    const pictures = output(situation.page, "picture").locator("[data-map-view]");
    await expect(pictures.count()).resolves.toBe(2);
    // 2^18 buckets, aggregated to 1,024 marks of 256 buckets each.
    for (const p of await pictures.all()) await expect(p.getAttribute("data-marks-per")).resolves.toBe("256");
    await expect(pictures.nth(1).locator("figcaption").textContent()).resolves.toMatch(
      /^after deleting every key.*: 0 entries in 2\^18/,
    );
    await situation.context.close();
  });

  test("a live picture follows the map while the cell runs, then a slider scrubs its states", async () => {
    const { context, page, errors } = await open("/playground/");
    await setCode(
      page,
      "scratch",
      [
        'const rtl = goRuntime({ go: "1.23" });',
        'const l = rtl.makeMap("int", "[128]byte");',
        "liveMapView(l, { every: 500 });",
        "for (let i = 0; i < 40; i++) {",
        "  l.insertRange(i * 5_000, (i + 1) * 5_000);",
        "  await new Promise((r) => setTimeout(r, 30));",
        "}",
      ].join("\n"),
    );
    // Count the distinct captions the picture shows while the run is in progress.
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { __captions: Set<string> }).__captions = seen;
      new MutationObserver(() => {
        const fig = document.querySelector('[data-cell="scratch"] [data-map-view][data-done="false"]');
        const text = fig?.querySelector("figcaption")?.textContent;
        if (text) seen.add(text);
      }).observe(document.querySelector('[data-cell="scratch"] [data-output]') as Node, {
        childList: true,
        subtree: true,
      });
    });
    await run(page, "scratch", { timeout: 60_000 });
    const captions = await page.evaluate(() => [
      ...(window as unknown as { __captions: Set<string> }).__captions,
    ]);
    expect(captions.length).toBeGreaterThan(3);
    for (const c of captions) expect(c).toMatch(/Still running…/);

    const fig = output(page, "scratch").locator("[data-map-view]");
    await expect(fig.count()).resolves.toBe(1);
    await expect(fig.getAttribute("data-done")).resolves.toBe("true");
    await expect(fig.locator("figcaption").textContent()).resolves.toMatch(
      /^map\[int\]\[128\]byte, Go 1\.23: 200,000 entries/,
    );
    const slider = fig.getByRole("slider");
    const frames = Number(await fig.getAttribute("data-frames"));
    expect(frames).toBeGreaterThan(10);
    await expect(slider.getAttribute("max")).resolves.toBe(String(frames - 1));
    // Back to the start: the empty map.
    await slider.focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(
      () =>
        document.querySelector('[data-cell="scratch"] [data-map-view]')?.getAttribute("data-frame") === "0",
    );
    await expect(fig.locator("figcaption").textContent()).resolves.toMatch(/: 0 entries in 2\^0 = 1 buckets/);
    await expect(fig.locator("output").textContent()).resolves.toMatch(/after 0 operations/);
    // Forward until a frame caught the array doubling: the old array is drawn.
    let found = false;
    for (let i = 0; i < frames && !found; i++) {
      await page.keyboard.press("ArrowRight");
      found = /growing from/.test((await fig.locator("figcaption").textContent()) ?? "");
    }
    expect(found).toBe(true);
    await expect(fig.getByRole("row", { name: /evacuated \(nevacuate\)/ }).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the largest pictures draw, aggregated: 2^18 buckets and a 1,024-table directory", async () => {
    const { context, page, errors } = await open("/playground/");
    await setCode(
      page,
      "scratch",
      [
        'const c = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte");',
        "c.insertRange(0, 1_000_000);",
        "display(mapView(c));",
        'const s = goRuntime({ go: "1.24" }).makeMap("int", "int", 1024 * 896);',
        "display(mapView(s));",
      ].join("\n"),
    );
    await run(page, "scratch", { timeout: 60_000 });
    const figs = output(page, "scratch").locator("[data-map-view]");
    await expect(figs.count()).resolves.toBe(2);
    await expect(figs.nth(0).getAttribute("data-marks-per")).resolves.toBe("256");
    await expect(figs.nth(0).locator("figcaption").textContent()).resolves.toMatch(/2\^18 = 262,144 buckets/);
    await expect(figs.nth(1).locator("figcaption").textContent()).resolves.toMatch(/in 1,024 tables/);
    await expect(figs.nth(1).getAttribute("data-marks-per")).resolves.toBe("4");
    // A few paths, whatever the size; drawn and laid out.
    for (const f of await figs.all()) {
      expect(await f.locator("svg path").count()).toBeLessThan(20);
      expect((await f.locator("svg").boundingBox())?.height ?? 0).toBeGreaterThan(50);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  test("a picture is drawn for the width it has: fewer marks in a phone column, redrawn on resize", async () => {
    const { context, page, errors } = await open("/playground/", { viewport: { width: 360, height: 800 } });
    await setCode(
      page,
      "scratch",
      [
        'const c = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte");',
        "c.insertRange(0, 1_000_000);",
        "display(mapView(c));",
      ].join("\n"),
    );
    await run(page, "scratch", { timeout: 60_000 });
    const fig = output(page, "scratch").locator("[data-map-view]");
    // Drawn for the figure's width once it is on the page (the first guess is corrected).
    const fits = () =>
      page.waitForFunction(() => {
        const f = document.querySelector<HTMLElement>('[data-cell="scratch"] [data-map-view]');
        const svg = f?.querySelector("svg");
        return (
          f &&
          svg &&
          Number(f.dataset["width"]) + 4 === f.clientWidth &&
          svg.getBoundingClientRect().width <= f.clientWidth
        );
      });
    await fits();
    const narrow = await fig.evaluate((f: HTMLElement) => {
      const svg = f.querySelector("svg") as SVGSVGElement;
      const box = f.getBoundingClientRect();
      // Every mark of the bucket grid inside the figure, none narrower than 8 px.
      const marks = Array.from(
        svg.querySelectorAll("path.mv-l1, path.mv-l2, path.mv-l3, path.mv-l4, path.mv-outline"),
      );
      let right = 0;
      for (const p of marks) right = Math.max(right, (p as SVGPathElement).getBoundingClientRect().right);
      return {
        width: f.clientWidth,
        scrolls: f.scrollWidth > f.clientWidth,
        right: right - box.left,
        marks: Number(f.dataset["marks"]),
        per: Number(f.dataset["marksPer"]),
      };
    });
    expect(narrow.width).toBeLessThan(360);
    expect(narrow.scrolls).toBe(false);
    expect(narrow.right).toBeLessThanOrEqual(narrow.width);
    // 2^18 buckets: at most 32 columns of 8 px or more fit a phone column.
    expect(narrow.marks).toBeLessThanOrEqual(512);
    expect(narrow.marks * narrow.per).toBe(2 ** 18);
    await expect(fig.locator("figcaption").textContent()).resolves.toMatch(/2\^18 = 262,144 buckets/);

    // Wider: the same figure is redrawn with more marks.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(
      (n) =>
        Number(
          document.querySelector<HTMLElement>('[data-cell="scratch"] [data-map-view]')?.dataset["marks"],
        ) > n,
      narrow.marks,
    );
    await fits();
    const wide = await fig.evaluate((f: HTMLElement) => ({
      width: f.clientWidth,
      marks: Number(f.dataset["marks"]),
    }));
    expect(wide.width).toBeGreaterThan(narrow.width);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("nothing of a cell runs on the page: a forged view is refused, not drawn", async () => {
    const { context, page } = await open("/playground/");
    await setCode(
      page,
      "scratch",
      [
        'const f = goRuntime({ go: "1.23" }).makeMap("int", "int");',
        'f.view = () => ({ kind: "classic", B: "<img src=x onerror=alert(1)>", entries: [], overflow: [] });',
        "display(mapView(f));",
      ].join("\n"),
    );
    await run(page, "scratch");
    const out = output(page, "scratch");
    await expect(out.getByRole("alert").textContent()).resolves.toMatch(
      /could not be shown: MapViewError: map picture: B is not a count/,
    );
    await expect(out.locator("img").count()).resolves.toBe(0);
    await expect(cell(page, "scratch").locator("[data-map-view] svg").count()).resolves.toBe(0);
    await context.close();
  });
});
