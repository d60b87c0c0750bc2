import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";

// One live run per chapter: Run all, in real Chromium, and the chapter's live heap
// chart must be redrawn while its cell runs — not only painted once at the end.
const LIVE_CELLS: [slug: string, cellId: string][] = [
  ["/situation/", "experiment"],
  ["/cause/", "after-delete"],
  ["/is-it-a-problem/", "spike"],
  ["/solutions/", "shrink-policy"],
];

describe.skipIf(!hasChromium())("each chapter runs live in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(LIVE_CELLS)(
    "%s: Run all runs every cell; #%s plots live",
    async (slug, id) => {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(siteUrl(slug), { waitUntil: "load" });
      const cells = await page.locator("[data-cell]").count();
      expect(cells).toBeGreaterThanOrEqual(3);
      await page.getByRole("button", { name: "Run all", exact: true }).click();
      await page.waitForFunction(
        () => document.querySelector("[data-kernel-status]")?.textContent === "Every cell ran.",
        null,
        { timeout: 90_000 },
      );
      const counts = await page.locator("[data-cell] [data-count]").allTextContents();
      expect(counts).toEqual(Array.from({ length: cells }, (_, i) => `[${i + 1}]`));
      const output = page.locator(`[data-cell="${id}"] [data-output]`);
      await expect(output.getAttribute("data-origin")).resolves.toBe("live");
      expect(Number(await output.getAttribute("data-renders"))).toBeGreaterThanOrEqual(2);
      await expect(page.locator("[data-output] [role=alert]").count()).resolves.toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    },
    120_000,
  );
});
