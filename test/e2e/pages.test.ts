import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";

// The slugs are a promise to every reviewer who pasted one into a pull request.
const SLUGS = [
  "/",
  "/situation/",
  "/cause/",
  "/is-it-a-problem/",
  "/solutions/",
  "/your-map/",
  "/model/",
  "/playground/",
];

describe.skipIf(!hasChromium())("every page of the built site", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(SLUGS)("%s loads with a title and no console errors", async (slug) => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const response = await page.goto(siteUrl(slug), { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").first().textContent()).resolves.toBeTruthy();
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("an unknown path answers 404 with the site's not-found page", async () => {
    const page = await browser.newPage();
    const response = await page.goto(siteUrl("/no-such-chapter/"));
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").first().textContent()).resolves.toMatch(/not found/i);
    await page.close();
  });

  test.each(SLUGS)("%s runs without errors when the browser blocks storage", async (slug) => {
    const context = await browser.newContext();
    // What Chromium does with cookies blocked for the site: touching either store throws.
    await context.addInitScript(() => {
      for (const name of ["localStorage", "sessionStorage"])
        Object.defineProperty(window, name, {
          configurable: true,
          get() {
            throw new DOMException(`Access to '${name}' is denied for this document.`, "SecurityError");
          },
        });
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl(slug), { waitUntil: "load" });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.dataset["theme"])).toMatch(/^(light|dark)$/);
    // The theme picker still switches the theme, for this page.
    const picker = page.locator("starlight-theme-select select").first();
    if (await picker.isVisible()) {
      await picker.selectOption("light");
      expect(await page.evaluate(() => document.documentElement.dataset["theme"])).toBe("light");
      await picker.selectOption("dark");
      expect(await page.evaluate(() => document.documentElement.dataset["theme"])).toBe("dark");
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!hasChromium())("printing a chapter", () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage();
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    await page.goto(siteUrl("/situation/"), { waitUntil: "load" });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("the page is in dark mode, as the reader's system asks", async () => {
    expect(await page.evaluate(() => document.documentElement.dataset["theme"])).toBe("dark");
  });

  test("prints no button, bar, tab or progress", async () => {
    const visible = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          ".sl-markdown-content :is(button, [role=tablist], [data-notebook-toolbar], [data-progress], progress)",
        ),
      ]
        .filter((e) => (e as HTMLElement).offsetParent !== null || e.getClientRects().length > 0)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(visible).toEqual([]);
  });

  test("prints code dark on light, whatever the screen's theme", async () => {
    const colours = await page.evaluate(() => {
      const pre = document.querySelector<HTMLElement>("section[data-cell] [data-code] pre");
      const span = [...(pre?.querySelectorAll<HTMLElement>("span[style]") ?? [])].find(
        (s) => s.style.color !== "",
      );
      if (!pre || !span) return null;
      const probe = document.createElement("span");
      probe.style.color = span.style.color; // Shiki's light colour, normalised by the browser
      document.body.append(probe);
      const light = getComputedStyle(probe).color;
      probe.remove();
      return { text: getComputedStyle(span).color, light, background: getComputedStyle(pre).backgroundColor };
    });
    expect(colours).not.toBeNull();
    expect(colours?.text).toBe(colours?.light);
    const [r = 0, g = 0, b = 0] = (colours?.background.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    expect((r + g + b) / 3).toBeGreaterThan(200);
  });

  test("prints both programs of a cell with a Go twin, and the build's outputs", async () => {
    const cell = page.locator(
      'section[data-cell][id="experiment"], section[data-cell][id="cell-experiment"]',
    );
    await expect(cell.locator("[data-code] pre").isVisible()).resolves.toBe(true);
    await expect(cell.locator("[data-go] pre").isVisible()).resolves.toBe(true);
    await expect(cell.locator("[data-go] [data-panel-label]").isVisible()).resolves.toBe(true);
    await expect(cell.locator("[data-output]").isVisible()).resolves.toBe(true);
    expect(await cell.locator("[data-output] svg").count()).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasChromium())("printing a chapter whose editors are awake", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("prints the code without editor chrome, in the light token colours", async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(siteUrl("/playground/"), { waitUntil: "load" });
    await page.locator("section[data-cell] [data-code] pre").first().click();
    await page.waitForFunction(() => document.documentElement.dataset["notebook"] === "ready");
    const editor = page.locator("section[data-cell] .cm-editor").first();
    await expect(editor.locator(".cm-gutters").isVisible()).resolves.toBe(true);
    const keyword = (): Promise<string> =>
      page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue("--nb-tok-keyword").trim(),
      );
    const onScreen = await keyword();
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    await expect(editor.locator(".cm-gutters").isVisible()).resolves.toBe(false);
    await expect(editor.locator(".cm-content").isVisible()).resolves.toBe(true);
    const printed = await keyword();
    expect(printed).not.toBe(onScreen);
    await page.emulateMedia({ media: "screen" });
    await page.evaluate(() => (document.documentElement.dataset["theme"] = "light"));
    expect(printed).toBe(await keyword()); // the light theme's colour
    await page.close();
  });
});

describe.skipIf(!hasChromium())("charts on a phone", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(["/situation/", "/solutions/"])(
    "%s: axis text is at least 10 px tall at 390 px wide, and the page does not widen",
    async (slug) => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(siteUrl(slug), { waitUntil: "load" });
      const result = await page.evaluate(() => {
        const heights = [...document.querySelectorAll<SVGTextElement>(".nb-output svg text")]
          .filter((t) => /\d/.test(t.textContent ?? ""))
          .map((t) => t.getBoundingClientRect().height)
          .filter((h) => h > 0);
        return {
          count: heights.length,
          smallest: Math.min(...heights),
          width: document.documentElement.scrollWidth,
        };
      });
      expect(result.count).toBeGreaterThan(0);
      expect(result.smallest).toBeGreaterThanOrEqual(10);
      expect(result.width).toBeLessThanOrEqual(390);
      // A chart that scrolls is reachable from the keyboard (axe: scrollable-region-focusable).
      await page.addScriptTag({ content: readFileSync("node_modules/axe-core/axe.min.js", "utf8") });
      await expect
        .poll(() =>
          page.evaluate(async () => {
            type Axe = { run: (o: unknown) => Promise<{ violations: { id: string }[] }> };
            const axe = (window as unknown as { axe: Axe }).axe;
            const r = await axe.run({ runOnly: ["scrollable-region-focusable"] });
            return r.violations.map((v) => v.id);
          }),
        )
        .toEqual([]);
      await page.close();
    },
  );
});
