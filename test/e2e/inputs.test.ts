import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { awake, button, cell, output, setCode } from "./cells.ts";

// Inputs in cells (src/notebook/inputs/, client/cell-inputs.ts), on the playground:
// setup declares "Go release" and "elem type", experiment declares "entries" (a log
// slider over 1,000 … 10,000,000, LOG_STEPS = 400 positions: position 200 is 100,000).
const PAGE = "/playground/";
const CHAPTERS = ["/situation/", "/cause/", "/is-it-a-problem/", "/solutions/", "/playground/"];

const entries = (page: Page) => cell(page, "experiment").getByLabel("entries", { exact: true });
const done = async (page: Page, id: string): Promise<number> =>
  Number((await cell(page, id).getAttribute("data-done")) ?? 0);
const notice = (page: Page, id: string) => cell(page, id).locator("[data-notice]");

describe.skipIf(!hasChromium())("inputs in cells", () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const fresh = async (options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> => {
    await context?.close();
    context = await browser.newContext(options);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: new URL(siteUrl("/")).origin,
    });
    return context;
  };
  async function open(ctx: BrowserContext, path = PAGE): Promise<{ page: Page; errors: string[] }> {
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl(path), { waitUntil: "load" });
    return { page, errors };
  }

  test.each(CHAPTERS)(
    "%s: labelled controls baked with their defaults, disabled without JavaScript",
    async (path) => {
      const { page } = await open(await fresh({ javaScriptEnabled: false }), path);
      const sets = page.locator("section[data-cell] fieldset[data-inputs]");
      expect(await sets.count()).toBeGreaterThan(0);
      for (const set of await sets.all()) {
        await expect(set.evaluate((el) => (el as HTMLFieldSetElement).disabled)).resolves.toBe(true);
        for (const control of await set.locator("input, select").all()) {
          // Labelled (a <label for>), and disabled with its fieldset.
          const id = (await control.getAttribute("id")) ?? "";
          await expect(page.locator(`label[for="${id}"]`).count()).resolves.toBe(1);
          await expect(control.isDisabled()).resolves.toBe(true);
        }
        // Above the outputs.
        const above = await set.evaluate((el) => {
          const out = el.closest("section")?.querySelector("[data-output]");
          return !!out && (el.compareDocumentPosition(out) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        });
        expect(above).toBe(true);
      }
      if (path === PAGE) {
        await expect(
          cell(page, "experiment").locator("output[data-input-shown]").textContent(),
        ).resolves.toBe("1,000,000");
        await expect(page.locator('[data-cell="setup"] select').first().inputValue()).resolves.toBe("1.23");
      }
    },
  );

  test("changing a value re-runs the cell, the cells it needs above, and the URL follows", async () => {
    const { page, errors } = await open(await fresh());
    await expect.poll(() => entries(page).isEnabled()).toBe(true);
    await entries(page).fill("200");
    await expect.poll(() => output(page, "experiment").textContent()).toContain("after 100,000 inserts");
    await expect(cell(page, "experiment").locator("output[data-input-shown]").textContent()).resolves.toBe(
      "100,000",
    );
    // setup had not run in this kernel: it ran first, as the experiment needs rt and m.
    expect(await done(page, "setup")).toBeGreaterThan(0);
    await expect(output(page, "experiment").getAttribute("data-origin")).resolves.toBe("live");
    expect(new URL(page.url()).searchParams.get("experiment.entries")).toBe("100000");

    // A change at the top re-runs its dependants: the elem type reaches the experiment.
    const before = await done(page, "experiment");
    await cell(page, "setup").getByLabel("elem type").selectOption("[16]byte");
    await expect.poll(() => done(page, "experiment")).toBeGreaterThan(before);
    expect(new URL(page.url()).searchParams.get("setup.elem-type")).toBe("[16]byte");
    await expect(page.locator("[data-kernel-status]").textContent()).resolves.toMatch(
      /with the new input values/,
    );
    expect(errors).toEqual([]);
  });

  test("a newer value cancels the run it made stale; the last value's output is the one shown", async () => {
    const { page } = await open(await fresh());
    await expect.poll(() => entries(page).isEnabled()).toBe(true);
    await entries(page).fill("400"); // 10,000,000 entries: a long run
    await page.waitForSelector('[data-cell="experiment"][data-running]', { timeout: 30_000 });
    const setupRuns = await done(page, "setup");
    // Every status line from now on.
    await page.evaluate(() => {
      const el = document.querySelector("[data-kernel-status]") as HTMLElement;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(el.textContent ?? "")).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await entries(page).fill("0"); // 1,000 entries
    await expect
      .poll(() => output(page, "experiment").textContent(), { timeout: 30_000 })
      .toContain("after 1,000 inserts");
    await expect(output(page, "experiment").textContent()).resolves.not.toContain("10,000,000 inserts");
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.some((t) => /A newer input value cancelled the run: the kernel was restarted/.test(t))).toBe(
      true,
    );
    expect(seen.at(-1)).toMatch(/with the new input values/);
    // The fresh kernel had nothing: setup, which the experiment needs, ran again first.
    expect(await done(page, "setup")).toBeGreaterThan(setupRuns);
    await expect(cell(page, "experiment").getAttribute("data-ok")).resolves.toBe("true");
  });

  test("the URL round trip: a link with values on unedited code sets them and runs; bad values are clamped with a notice", async () => {
    const ctx = await fresh();
    const { page } = await open(ctx, `${PAGE}?experiment.entries=25000#cell-experiment`);
    await expect.poll(() => output(page, "experiment").textContent()).toContain("after 25,000 inserts");
    await expect(cell(page, "experiment").locator("output[data-input-shown]").textContent()).resolves.toBe(
      "25,000",
    );

    const bad = await ctx.newPage();
    const errors = collectErrors(bad);
    await bad.goto(siteUrl(`${PAGE}?experiment.entries=5&experiment.bogus=1&setup.go-release=9.99`), {
      waitUntil: "load",
    });
    await expect
      .poll(() => notice(bad, "experiment").textContent())
      .toMatch(/outside 1,000–10,000,000: 1,000 is used/);
    await expect(notice(bad, "experiment").textContent()).resolves.toMatch(
      /“bogus” is not an input of this cell: ignored/,
    );
    await expect.poll(() => notice(bad, "setup").textContent()).toMatch(/“9.99” is not one of the choices/);
    await expect.poll(() => output(bad, "experiment").textContent()).toContain("after 1,000 inserts");
    expect(errors).toEqual([]);
  });

  test("Share: a link with the cell's values; unedited code runs on open, edited code waits for Run", async () => {
    const ctx = await fresh();
    const { page } = await open(ctx);
    await expect.poll(() => entries(page).isEnabled()).toBe(true);
    await entries(page).fill("100"); // 10,000
    await expect.poll(() => output(page, "experiment").textContent()).toContain("after 10,000 inserts");
    await button(cell(page, "experiment"), "Share").click();
    const href = (await cell(page, "experiment").locator("[data-share-link]").getAttribute("href")) ?? "";
    const url = new URL(href);
    expect(url.searchParams.get("experiment.entries")).toBe("10000");
    expect(url.hash).toBe("#cell-experiment"); // no code: the site's own
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(href);
    await expect.poll(() => output(reader, "experiment").textContent()).toContain("after 10,000 inserts");
    await reader.context().close();

    // Edited code travels with the values, and is not run on open.
    await setCode(
      page,
      "experiment",
      'const n = input.range("entries", [1_000, 10_000_000], { value: 1_000_000, scale: "log" });\ndisplay("edited " + n);',
    );
    await button(cell(page, "experiment"), "Share").click();
    // The link from the first Share is still on the page until the new one replaces it.
    const link = cell(page, "experiment").locator("[data-share-link]");
    await expect.poll(() => link.getAttribute("href")).not.toBe(href);
    const edited = new URL((await link.getAttribute("href")) ?? "");
    expect(edited.searchParams.get("experiment.entries")).toBe("10000");
    expect(edited.hash).toMatch(/^#cell-experiment:sum=[0-9a-f]{8}&code=/);
    const other = await (await browser.newContext()).newPage();
    await other.goto(edited.href);
    await awake(other);
    await expect.poll(() => notice(other, "experiment").textContent()).toMatch(/has not been run/);
    await expect(cell(other, "experiment").locator("output[data-input-shown]").textContent()).resolves.toBe(
      "10,000",
    );
    await other.waitForTimeout(1_000);
    expect(await done(other, "experiment")).toBe(0);
    await button(cell(other, "experiment"), "Run").click();
    await expect.poll(() => output(other, "experiment").textContent()).toContain("edited 10000");
    await other.context().close();
  });
});
