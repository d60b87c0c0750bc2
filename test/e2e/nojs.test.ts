import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";

// The built site with JavaScript off: the page is the build's, complete and honest.
// Nothing looks live that is not, the tabs do not pretend, and the page says where its
// outputs came from.
const CHAPTERS = ["/situation/", "/cause/", "/is-it-a-problem/", "/solutions/", "/playground/"];

describe.skipIf(!hasChromium())("with JavaScript off", () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launch();
    context = await browser.newContext({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(siteUrl(path), { waitUntil: "load" });
    return page;
  }

  test.each(CHAPTERS)("%s shows no notebook control, and no tab", async (path) => {
    const page = await open(path);
    const cells = page.locator("section[data-cell]");
    expect(await cells.count()).toBeGreaterThan(0);
    // Every control the build renders is there, and none is visible or reachable.
    const controls = page.locator("[data-action], [data-notebook-toolbar] button");
    expect(await controls.count()).toBeGreaterThan(0);
    for (const control of await controls.all()) await expect(control.isVisible()).resolves.toBe(false);
    await expect(page.locator(".sl-markdown-content").getByRole("button").count()).resolves.toBe(0);
    // No tablist, no tab, no tab panel in the accessibility tree.
    await expect(page.getByRole("tablist").count()).resolves.toBe(0);
    await expect(page.getByRole("tab").count()).resolves.toBe(0);
    await expect(page.getByRole("tabpanel").count()).resolves.toBe(0);
    await expect(page.locator("[data-kernel-status]").isVisible()).resolves.toBe(false);
    // Starlight's theme picker cannot switch anything without scripts either.
    for (const picker of await page.locator("starlight-theme-select").all())
      await expect(picker.isVisible()).resolves.toBe(false);
    await page.close();
  });

  test("a cell with a Go twin shows both programs, each under its label", async () => {
    const page = await open("/situation/");
    const cell = page.locator(
      'section[data-cell][id="experiment"], section[data-cell][id="cell-experiment"]',
    );
    const ts = cell.locator("[data-code]");
    const go = cell.locator("[data-go]");
    await expect(ts.isVisible()).resolves.toBe(true);
    await expect(go.isVisible()).resolves.toBe(true);
    await expect(ts.locator("[data-panel-label]").textContent()).resolves.toBe("TypeScript (model)");
    await expect(go.locator("[data-panel-label]").textContent()).resolves.toBe("Go (real runtime)");
    await expect(ts.locator("[data-panel-label]").isVisible()).resolves.toBe(true);
    await expect(go.locator("[data-panel-label]").isVisible()).resolves.toBe(true);
    await expect(go.locator("pre").isVisible()).resolves.toBe(true);
    // The code promises no editor.
    await expect(ts.locator("pre").getAttribute("aria-label")).resolves.not.toMatch(/Enter/);
    await page.close();
  });

  test.each(CHAPTERS)("%s says its outputs were computed when the site was built", async (path) => {
    const page = await open(path);
    const note = page.locator("[data-notebook-toolbar] [data-nojs-note]");
    await expect(note.isVisible()).resolves.toBe(true);
    expect(await note.textContent()).toMatch(
      /^JavaScript is off: the outputs below were computed when this site was built \(model of Go 1\.\d+(, 1\.\d+)*( and 1\.\d+)? on linux\/amd64, seed 1\)\./,
    );
    // The baked outputs are there.
    const outputs = page.locator("[data-output]:not(:empty)");
    expect(await outputs.count()).toBeGreaterThan(0);
    await expect(outputs.first().isVisible()).resolves.toBe(true);
    await page.close();
  });

  test("the note names the releases the chapter's cells model", async () => {
    const page = await open("/situation/");
    const text = (await page.locator("[data-nojs-note]").textContent()) ?? "";
    const releases = await page.evaluate(() =>
      [...document.querySelectorAll("section[data-cell] [data-code] pre")]
        .flatMap((pre) => [...(pre.textContent ?? "").matchAll(/goRuntime\(\{\s*go:\s*"(1\.\d+)"/g)])
        .map((m) => m[1] ?? ""),
    );
    expect(releases.length).toBeGreaterThan(0);
    for (const go of releases) expect(text).toContain(go);
    await page.close();
  });
});

describe.skipIf(!hasChromium())("with JavaScript on, the same page", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("shows its controls and tabs, and no 'JavaScript is off' note", async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl("/situation/"), { waitUntil: "load" });
    const cell = page.locator(
      'section[data-cell][id="experiment"], section[data-cell][id="cell-experiment"]',
    );
    await expect(cell.getByRole("button", { name: "Run", exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Run all", exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.locator("[data-nojs-note]").isVisible()).resolves.toBe(false);
    await expect(
      cell.getByRole("tab", { name: "TypeScript (model)" }).getAttribute("aria-selected"),
    ).resolves.toBe("true");
    await expect(cell.getByRole("tabpanel").count()).resolves.toBe(1);
    await expect(cell.locator("[data-go]").isVisible()).resolves.toBe(false);
    await expect(cell.locator("[data-panel-label]").first().isVisible()).resolves.toBe(false);
    await expect(cell.locator("[data-code] pre").getAttribute("aria-label")).resolves.toMatch(
      /\. Press Enter to edit\.$/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
