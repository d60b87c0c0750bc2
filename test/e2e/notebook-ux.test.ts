import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { awake, button, cell, cellSelector as sel, output, run as runCell, setCode } from "./cells.ts";

// The notebook's robustness in real Chromium: output caps, keyboard, share links,
// unique ids, and cell state. Mostly on the playground (content/playground.mdx), whose
// cells are, in order: setup (declares rt, m), experiment, internals, versions, scratch.
const PAGE = "/playground/";

/** Sets a long program without typing it key by key (the editor is CodeMirror). */
async function setLongCode(page: Page, id: string, code: string): Promise<void> {
  await setCode(page, id, "x");
  await cell(page, id).locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    document.activeElement?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true }));
  }, code);
}

const run = (page: Page, id: string): Promise<void> => runCell(page, id, { timeout: 60_000 });

const editorText = (page: Page, id: string): Promise<string | null> =>
  cell(page, id).locator(".cm-content").textContent();

describe.skipIf(!hasChromium())("notebook robustness", () => {
  let browser: Browser;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });
  const fresh = async (options: { width?: number } = {}): Promise<BrowserContext> => {
    await context?.close();
    context = await browser.newContext(
      options.width ? { viewport: { width: options.width, height: 800 } } : {},
    );
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: new URL(siteUrl("/")).origin,
    });
    return context;
  };
  const open = async (ctx: BrowserContext, path = PAGE): Promise<{ page: Page; errors: string[] }> => {
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(siteUrl(path));
    return { page, errors };
  };
  const pageIsNotWider = (page: Page): Promise<boolean> =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  // ---- 4. output caps ---------------------------------------------------------------

  test("100,000 log lines: the output is capped, says how much is hidden, and gives all of it", async () => {
    const { page, errors } = await open(await fresh());
    await setCode(
      page,
      "scratch",
      "for (let i = 0; i < 100_000; i++) console.log('line ' + i + ' of the flood');",
    );
    await run(page, "scratch");
    const html = await output(page, "scratch").evaluate((el) => el.innerHTML.length);
    expect(html).toBeLessThan(200_000);
    const more = output(page, "scratch").locator("[data-output-more]");
    await expect(more.textContent()).resolves.toMatch(/99,500 more lines/);
    await expect(output(page, "scratch").textContent()).resolves.toContain("line 499 of the flood");
    await expect(output(page, "scratch").textContent()).resolves.not.toContain("line 500 of the flood");
    // The control follows the lines it continues.
    const after = await output(page, "scratch").evaluate((el) => {
      const first = [...el.querySelectorAll("pre")].find((p) => p.textContent?.includes("line 0 of"));
      const control = el.querySelector("[data-output-more]");
      return !!first && !!control && (first.compareDocumentPosition(control) & 4) !== 0;
    });
    expect(after).toBe(true);
    // Show more reveals the next lines, still without putting everything in the page.
    await more.getByRole("button", { name: /^Show \S+ more lines$/ }).click();
    await expect.poll(() => output(page, "scratch").textContent()).toContain("line 5499 of the flood");
    await expect(output(page, "scratch").textContent()).resolves.not.toContain("line 5500 of the flood");
    await expect(more.textContent()).resolves.toMatch(/94,500 more lines/);
    // Download gives every line.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      more.getByRole("button", { name: /^Download/ }).click(),
    ]);
    const text = readFileSync(await download.path(), "utf8");
    expect(text.split("\n").filter((l) => l.length > 0)).toHaveLength(100_000);
    expect(text).toContain("line 99999 of the flood");
    expect(errors).toEqual([]);
  });

  test("a 10 MB log line is cut, wrapped, and never widens the page (390 px)", async () => {
    const { page } = await open(await fresh({ width: 390 }));
    await setCode(page, "scratch", "console.log('x'.repeat(10_000_000))");
    await run(page, "scratch");
    const html = await output(page, "scratch").evaluate((el) => el.innerHTML.length);
    expect(html).toBeLessThan(200_000);
    await expect(output(page, "scratch").locator("[data-output-more]").textContent()).resolves.toMatch(
      /9,980,000 more characters/,
    );
    expect(await pageIsNotWider(page)).toBe(true);
  });

  test("a 300-character error token wraps inside a 390 px viewport", async () => {
    const { page } = await open(await fresh({ width: 390 }));
    await setCode(page, "scratch", "throw new Error('E' + 'x'.repeat(300))");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toContain(
      "x".repeat(300),
    );
    expect(await pageIsNotWider(page)).toBe(true);
  });

  // ---- 6. keyboard ------------------------------------------------------------------

  test("Tab moves focus through the editor without editing; Ctrl+] indents; the focus ring shows", async () => {
    const { page } = await open(await fresh());
    await setCode(page, "setup", "const a = 1;");
    await page.keyboard.press("ControlOrMeta+z"); // back to the original code, nothing saved
    await expect.poll(() => editorText(page, "setup")).toContain("goRuntime");
    const original = await editorText(page, "setup");
    // From the control before the editor, Tab enters the editor, the next Tab leaves it.
    const tabs = cell(page, "setup").locator("[data-code]");
    await page.evaluate((s) => {
      const el = document.querySelector(s) as HTMLElement;
      const controls = [...el.querySelectorAll<HTMLElement>("button")];
      controls.at(-1)?.focus(); // the last control before the code: Copy link, or a tab
    }, sel("setup"));
    await page.keyboard.press("Tab");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("cm-content")))
      .toBe(true);
    // The editor's focus ring is drawn and not clipped by its box.
    const ring = await tabs.locator(".nb-editor").evaluate((el) => {
      const s = getComputedStyle(el);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), overflow: s.overflow };
    });
    expect(ring.style).toBe("solid");
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => !!document.activeElement?.closest(".cm-editor"))).resolves.toBe(false);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await expect(editorText(page, "setup")).resolves.toBe(original);
    await expect(
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("nb:"))),
    ).resolves.toEqual([]);
    // The documented indent key, and its mention in the editor's label.
    await cell(page, "setup").locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+Home");
    await page.keyboard.press("ControlOrMeta+]");
    await expect.poll(() => editorText(page, "setup")).toMatch(/^\s{2}const rt/);
    await expect(cell(page, "setup").locator(".cm-content").getAttribute("aria-label")).resolves.toMatch(
      /Tab moves on.*Control\+\] indents/,
    );
  });

  // ---- 7. share links ---------------------------------------------------------------

  test("Share puts the code in the fragment; a long link is copied with a warning", async () => {
    const { page } = await open(await fresh());
    const big = `const big = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `value-${i * 7919}`))};\ndisplay(big.length)`;
    await setLongCode(page, "scratch", big);
    // (CodeMirror draws only what is in view: the saved edit has the whole program.)
    await expect
      .poll(() =>
        page.evaluate(
          () => Object.entries(localStorage).find(([k]) => k.endsWith(":scratch"))?.[1].length ?? 0,
        ),
      )
      .toBeGreaterThan(50_000);
    await button(cell(page, "scratch"), "Share").click();
    const link = cell(page, "scratch").locator("[data-share-link]");
    const href = (await link.getAttribute("href")) ?? "";
    const url = new URL(href);
    expect(url.search).toBe("");
    expect(url.hash).toMatch(/^#cell-scratch:sum=[0-9a-f]{8}&code=/);
    await expect(cell(page, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /characters long: many tools cut or refuse links longer than 8,000 characters/,
    );
    // The fragment never reaches the server, so the link loads.
    const reader = await page.context().newPage();
    const response = await reader.goto(href);
    expect(response?.status()).toBe(200);
    await awake(reader);
    await expect.poll(() => editorText(reader, "scratch")).toContain("value-7919");
  });

  test("a damaged link, and a link to a cell that does not exist, say so", async () => {
    const ctx = await fresh();
    const { page } = await open(ctx);
    await setCode(page, "scratch", "display('shared ' + 42)");
    await button(cell(page, "scratch"), "Share").click();
    const href = (await cell(page, "scratch").locator("[data-share-link]").getAttribute("href")) ?? "";
    await page.evaluate(() => localStorage.clear());
    const reader = await ctx.newPage();
    await reader.goto(href.slice(0, -6)); // cut short, as a chat tool might
    await awake(reader);
    await expect(cell(reader, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /could not be read.*damaged or cut short/,
    );
    await expect(editorText(reader, "scratch")).resolves.toContain("map length:");
    await reader.goto(siteUrl(`${PAGE}#cell-nope:code=${new URL(href).hash.split("code=")[1]}`));
    await reader.reload();
    await awake(reader);
    await expect(reader.locator("[data-kernel-status]").textContent()).resolves.toMatch(
      /cell “nope”.*not on this page/,
    );
  });

  test("reloading a share link keeps the reader's later edit; Reset keeps their own saved version", async () => {
    const ctx = await fresh();
    const { page } = await open(ctx);
    // The reader's own saved edit, from before anyone shared anything.
    await setCode(page, "scratch", "display('mine')");
    // A share link from someone else (made here, then the reader's edit is put back).
    await setCode(page, "scratch", "display('theirs')");
    await button(cell(page, "scratch"), "Share").click();
    const href = (await cell(page, "scratch").locator("[data-share-link]").getAttribute("href")) ?? "";
    await setCode(page, "scratch", "display('mine')");
    await page.goto(href);
    await page.reload(); // a fragment-only navigation does not reload
    await awake(page);
    await expect(editorText(page, "scratch")).resolves.toBe("display('theirs')");
    // Reset on the shared cell brings back the reader's saved version, not the original.
    await button(cell(page, "scratch"), "Reset").click();
    await expect(editorText(page, "scratch")).resolves.toBe("display('mine')");
    await expect(
      page.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith(":scratch"))?.[1]),
    ).resolves.toBe("display('mine')");
    // Open the link again, edit the shared code, reload: the edit stays.
    await page.goto(siteUrl("/"));
    await page.goto(href);
    await awake(page);
    await expect(editorText(page, "scratch")).resolves.toBe("display('theirs')");
    await setCode(page, "scratch", "display('theirs, edited')");
    await page.reload();
    await awake(page);
    await expect(editorText(page, "scratch")).resolves.toBe("display('theirs, edited')");
    await expect(cell(page, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /your version/i,
    );
  });

  test("an old ?cell=&code= link still loads", async () => {
    const { page } = await open(await fresh());
    await setCode(page, "scratch", "display('old form')");
    await button(cell(page, "scratch"), "Share").click();
    const href = (await cell(page, "scratch").locator("[data-share-link]").getAttribute("href")) ?? "";
    const code = /code=([^&]*)$/.exec(href)?.[1] ?? "";
    await page.evaluate(() => localStorage.clear());
    const reader = await page.context().newPage();
    await reader.goto(siteUrl(`${PAGE}?cell=scratch&code=${code}#scratch`));
    await awake(reader);
    await expect(editorText(reader, "scratch")).resolves.toBe("display('old form')");
    await expect(cell(reader, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /shared link/,
    );
  });

  // ---- 8. ids -----------------------------------------------------------------------

  test("cells and headings have distinct ids; Copy link uses #cell-<id>; an old #<id> reaches its cell", async () => {
    const { page } = await open(await fresh(), "/situation/");
    const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    await expect(page.locator("h2#experiment").count()).resolves.toBe(1);
    await expect(page.locator('section[data-cell="experiment"]#cell-experiment').count()).resolves.toBe(1);
    await cell(page, "experiment")
      .getByRole("button", { name: /^Copy link to / })
      .click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(siteUrl("/situation/#cell-experiment"));
    // An old link to a cell whose id no heading has: the page sends it on to the cell.
    const other = await page.context().newPage();
    await other.goto(siteUrl("/situation/#collect-first"));
    await other.waitForFunction(() => location.hash === "#cell-collect-first");
    await expect
      .poll(() =>
        other.evaluate(() => {
          const r = document.getElementById("cell-collect-first")?.getBoundingClientRect();
          return !!r && r.top >= -1 && r.top < window.innerHeight;
        }),
      )
      .toBe(true);
  });

  // ---- 10. state and counters ------------------------------------------------------

  test("Stop and Restart leave no [*] behind; a Stopped notice goes with the next run", async () => {
    const { page } = await open(await fresh());
    await setCode(page, "scratch", "while (true) {}");
    await setCode(page, "internals", "display(1)");
    await button(cell(page, "scratch"), "Run").click();
    await page.waitForSelector("section[data-cell][data-running]:is(#scratch, #cell-scratch)");
    await button(cell(page, "internals"), "Run").click(); // queued behind the loop
    await expect(cell(page, "internals").locator("[data-count]").textContent()).resolves.toBe("[*]");
    await button(cell(page, "scratch"), "Stop").click();
    // Neither ever finished a run: back to "[ ]", and the queued one says it did not run.
    await expect(cell(page, "scratch").locator("[data-count]").textContent()).resolves.toBe("[ ]");
    await expect(cell(page, "internals").locator("[data-count]").textContent()).resolves.toBe("[ ]");
    await expect(cell(page, "internals").locator("[data-state-text]").textContent()).resolves.toMatch(
      /not run/,
    );
    await expect(cell(page, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(/Stopped/);
    await setCode(page, "scratch", "display('fine')");
    await run(page, "scratch");
    await expect(cell(page, "scratch").locator("[data-notice]").isHidden()).resolves.toBe(true);
  });

  test("a second Run all while one is in progress does nothing", async () => {
    const { page } = await open(await fresh());
    await awake(page).catch(() => {});
    await cell(page, "setup").locator("[data-code] pre").click();
    await awake(page);
    await page.evaluate(() => {
      const b = [...document.querySelectorAll<HTMLButtonElement>("button")].find(
        (x) => x.textContent === "Run all",
      );
      b?.click();
      b?.click();
    });
    await page.waitForFunction(
      () =>
        /Every cell ran|stopped at/.test(document.querySelector("[data-kernel-status]")?.textContent ?? ""),
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(500);
    const counts = await page.locator("section[data-cell] [data-count]").allTextContents();
    expect(counts).toEqual(["[1]", "[2]", "[3]", "[4]", "[5]"]);
  });

  test("after Restart, a missing name says which cell defines it", async () => {
    const { page } = await open(await fresh());
    await run(page, "setup");
    await button(page, "Restart").click();
    await setCode(page, "scratch", "display(m.len)");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /m is not defined — it is defined by cell “A runtime and a map” above; run it first \(or Run all\)/,
    );
  });
});
