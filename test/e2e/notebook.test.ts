import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { awake, button, cell, output, run, setCode } from "./cells.ts";

// The notebook in real Chromium, on the playground chapter (content/playground.mdx).
// Its cells, in order: setup, experiment, internals, versions, scratch.
const PAGE = "/playground/";

async function open(context: BrowserContext, path = PAGE): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(siteUrl(path), { waitUntil: "load" });
  return { page, errors };
}

describe.skipIf(!hasChromium())("the notebook in the browser", () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  // A fresh context per test: its own localStorage and clipboard.
  const fresh = async (): Promise<BrowserContext> => {
    await context?.close();
    context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: new URL(siteUrl("/")).origin,
    });
    return context;
  };

  test("first paint: highlighted code and the build's outputs; no editor or kernel yet", async () => {
    const ctx = await fresh();
    const requests: string[] = [];
    // The page's own requests: the offline service worker precaches every chunk in the background.
    ctx.on("request", (r) => {
      if (!r.serviceWorker()) requests.push(r.url());
    });
    const { page, errors } = await open(ctx);
    await expect(cell(page, "setup").locator("pre.shiki").count()).resolves.toBe(1);
    await expect(output(page, "experiment").locator("svg").count()).resolves.toBeGreaterThan(0);
    await expect(output(page, "experiment").textContent()).resolves.toContain("293.3 MiB");
    await expect(page.locator(".cm-content").count()).resolves.toBe(0);
    expect(requests.filter((u) => /notebook-ui|worker/.test(u))).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("the contract: data-cell=<id> + id=cell-<id>, Run/Stop/Reset, data-output, page-level Run all and Restart", async () => {
    const { page } = await open(await fresh());
    const cells = page.locator("[data-cell]");
    await expect(cells.count()).resolves.toBe(5);
    await expect(page.locator('section[data-cell="setup"]#cell-setup').count()).resolves.toBe(1);
    for (const id of ["setup", "experiment", "internals", "versions", "scratch"]) {
      const c = cell(page, id);
      for (const name of ["Run", "Stop", "Reset"]) await expect(button(c, name).count()).resolves.toBe(1);
      await expect(c.locator("[data-output]").count()).resolves.toBe(1);
    }
    await expect(button(page, "Run all").count()).resolves.toBe(1);
    await expect(button(page, "Restart").count()).resolves.toBe(1);
    await cell(page, "setup").locator("[data-code] pre").click();
    await awake(page);
    await expect(page.locator("[data-cell] .cm-content").count()).resolves.toBe(5);
  });

  test("with JavaScript off the page is complete: code, tables and charts from the build", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(siteUrl(PAGE));
    await expect(output(page, "experiment").locator("table").textContent()).resolves.toContain(
      "after deleting all",
    );
    await expect(output(page, "versions").locator("svg").count()).resolves.toBe(1);
    await expect(cell(page, "experiment").locator("[data-truth]").textContent()).resolves.toContain(
      "293.3 MiB",
    );
    await ctx.close();
  });

  test("Run: a cell runs in the kernel, gets a counter, and later cells are marked stale", async () => {
    const { page, errors } = await open(await fresh());
    await run(page, "setup");
    await expect(cell(page, "setup").locator("[data-count]").textContent()).resolves.toBe("[1]");
    await expect(output(page, "setup").getAttribute("data-origin")).resolves.toBe("live");
    await expect(output(page, "setup").textContent()).resolves.toMatch(/empty map: HeapAlloc/);
    await run(page, "internals");
    await expect(cell(page, "internals").locator("[data-count]").textContent()).resolves.toBe("[2]");
    await expect(cell(page, "internals").getAttribute("data-stale")).resolves.toBeNull();
    await run(page, "setup");
    await expect(cell(page, "setup").locator("[data-count]").textContent()).resolves.toBe("[3]");
    await expect(cell(page, "internals").getAttribute("data-stale")).resolves.toBe("");
    await expect(cell(page, "internals").locator("[data-state-text]").textContent()).resolves.toMatch(
      /stale/,
    );
    expect(errors).toEqual([]);
  });

  test("Run all runs every cell in order; the 1M experiment plots live with a progress indicator", async () => {
    const { page, errors } = await open(await fresh());
    await button(page, "Run all").click();
    await awake(page);
    // The progress bar shows while the experiment runs.
    await page.waitForSelector('[data-cell="experiment"] [data-progress]:not([hidden])');
    await page.waitForFunction(
      () => document.querySelector("[data-kernel-status]")?.textContent === "Every cell ran.",
      null,
      { timeout: 30_000 },
    );
    const counts = await page.locator("[data-cell] [data-count]").allTextContents();
    expect(counts).toEqual(["[1]", "[2]", "[3]", "[4]", "[5]"]);
    await expect(cell(page, "experiment").locator("[data-progress]").isHidden()).resolves.toBe(true);
    // The chart was redrawn while the cell ran, not only at the end.
    const renders = Number(await output(page, "experiment").getAttribute("data-renders"));
    expect(renders).toBeGreaterThanOrEqual(10);
    await expect(output(page, "experiment").textContent()).resolves.toContain("293.3 MiB");
    await expect(output(page, "scratch").textContent()).resolves.toContain("map length: 0");
    expect(errors).toEqual([]);
  });

  test("a live chart is redrawn at most once per animation frame", async () => {
    const { page } = await open(await fresh());
    await setCode(
      page,
      "scratch",
      'const r = goRuntime({ go: "1.23" });\nliveHeap(r, { every: 1000 });\nconst mm = r.makeMap("int", "[128]byte");\nmm.insertRange(0, 4_000_000);',
    );
    // Long enough for many live posts (one per 25 ms) however fast the model has become:
    // at 1.5M entries a warmed-up kernel finished in under 200 ms, 7 renders.
    // Count animation frames while the cell runs.
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number };
      w.frames_ = 0;
      const tick = (): void => {
        w.frames_++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await run(page, "scratch");
    const frames = await page.evaluate(() => (window as unknown as { frames_: number }).frames_);
    const renders = Number(await output(page, "scratch").getAttribute("data-renders"));
    expect(renders).toBeGreaterThanOrEqual(10);
    expect(renders).toBeLessThanOrEqual(frames);
  });

  test("Stop ends an infinite loop at once, replaces the kernel and says the state was lost", async () => {
    const { page, errors } = await open(await fresh());
    await run(page, "setup");
    await setCode(page, "scratch", "while (true) {}");
    await button(cell(page, "scratch"), "Run").click();
    await page.waitForSelector('[data-cell="scratch"][data-running]');
    await page.waitForTimeout(300); // the loop is spinning in the worker; the page still answers
    await expect(page.evaluate(() => 1 + 1)).resolves.toBe(2);
    // The notice is there one task after the click: the worker is terminated, not asked.
    const immediate = await page.evaluate(async () => {
      const c = document.querySelector('[data-cell="scratch"]') as HTMLElement;
      (c.querySelector('[data-action="stop"]') as HTMLButtonElement).click();
      await new Promise((r) => setTimeout(r, 0));
      return {
        notice: c.querySelector("[data-notice]")?.textContent ?? "",
        running: c.hasAttribute("data-running"),
      };
    });
    expect(immediate.running).toBe(false);
    expect(immediate.notice).toMatch(/state was lost/);
    await expect(cell(page, "setup").getAttribute("data-stale")).resolves.toBe("");
    // A fresh kernel: the old variables are gone, new runs work.
    await setCode(page, "scratch", "display(typeof rt)");
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toBe("undefined");
    await expect(cell(page, "scratch").locator("[data-count]").textContent()).resolves.toBe("[1]");
    expect(errors).toEqual([]);
  });

  test("errors show in the output with role=alert and the cell's own line:col", async () => {
    const { page } = await open(await fresh());
    await setCode(
      page,
      "scratch",
      "const a: number = 1;\nconst b: string = 'x';\nconst c = (null as any).boom;",
    );
    await run(page, "scratch");
    const alert = output(page, "scratch").getByRole("alert");
    await expect(alert.textContent()).resolves.toMatch(/TypeError at line 3, column 25.*boom/s);
    await setCode(page, "scratch", "const ok = 1;\nconst = 2;");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /SyntaxError at line 2, column 7/,
    );
  });

  test("a run the model cannot hold is refused before it allocates", async () => {
    const { page } = await open(await fresh());
    await run(page, "setup");
    await setCode(page, "scratch", "m.insertRange(0, 1e10);");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /Refused before allocating: inserting 10,000,000,000 elements/,
    );
    await setCode(page, "scratch", "display(m.len + ' ' + mib(rt.readMemStats().HeapAlloc))");
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toMatch(/^0 /);
  });

  test("a throw in a timer is an error of its cell, and the kernel is not replaced", async () => {
    const { page } = await open(await fresh());
    await setCode(
      page,
      "scratch",
      "setTimeout(() => { throw new Error('kaboom') }, 0);\nawait new Promise((r) => setTimeout(r, 100));",
    );
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /in a setTimeout callback.*kaboom/,
    );
    await expect(page.locator("[data-kernel-status]").textContent()).resolves.not.toMatch(/crashed/);
    await setCode(page, "scratch", "display(40 + 2)");
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toBe("42");
    await expect(cell(page, "scratch").locator("[data-count]").textContent()).resolves.toBe("[2]");
  });

  test("edits persist across reloads; Reset restores the original", async () => {
    const { page } = await open(await fresh());
    await setCode(page, "scratch", "display('edited version')");
    await page.reload();
    await awake(page);
    await expect(cell(page, "scratch").locator(".cm-content").textContent()).resolves.toBe(
      "display('edited version')",
    );
    await expect(cell(page, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /saved in this browser/,
    );
    await button(cell(page, "scratch"), "Reset").click();
    await expect(cell(page, "scratch").locator(".cm-content").textContent()).resolves.toContain(
      "map length:",
    );
    await page.reload();
    await expect(cell(page, "scratch").locator("pre.shiki").textContent()).resolves.toContain("map length:");
    await expect(
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("nb:"))),
    ).resolves.toEqual([]);
  });

  test("Reset all restores every edited cell", async () => {
    const { page } = await open(await fresh());
    await setCode(page, "setup", "display(1)");
    await setCode(page, "scratch", "display(2)");
    await button(page, "Reset all").click();
    await expect(cell(page, "setup").locator(".cm-content").textContent()).resolves.toContain("goRuntime");
    await expect(cell(page, "scratch").locator(".cm-content").textContent()).resolves.toContain(
      "map length:",
    );
  });

  test("Share puts the edited code in a link that loads it with a notice and never runs it", async () => {
    const ctx = await fresh();
    const { page } = await open(ctx);
    const code = "display('from a shared link: ' + (6 * 7));";
    await setCode(page, "scratch", code);
    await button(cell(page, "scratch"), "Share").click();
    const link = cell(page, "scratch").locator("[data-share-link]");
    const href = await link.getAttribute("href");
    expect(href).toMatch(/\/playground\/#cell-scratch:sum=[0-9a-f]{8}&code=.+$/);
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(href);
    // Another reader, with nothing in storage, opens the link.
    const other = await browser.newContext();
    const reader = await other.newPage();
    const errors = collectErrors(reader);
    await reader.goto(href ?? "");
    await awake(reader);
    await expect(cell(reader, "scratch").locator(".cm-content").textContent()).resolves.toBe(code);
    await expect(cell(reader, "scratch").locator("[data-notice]").textContent()).resolves.toMatch(
      /shared link.*has not been run/,
    );
    await reader.waitForTimeout(500);
    await expect(cell(reader, "scratch").getAttribute("data-done")).resolves.toBeNull();
    await expect(output(reader, "scratch").getAttribute("data-origin")).resolves.toBe("build");
    await expect(cell(reader, "scratch").locator("[data-count]").textContent()).resolves.toBe("[ ]");
    await run(reader, "scratch");
    await expect(output(reader, "scratch").textContent()).resolves.toBe("from a shared link: 42");
    expect(errors).toEqual([]);
    await other.close();
  });

  test("copy-link buttons copy the URL of a cell and of a heading", async () => {
    const { page } = await open(await fresh());
    await cell(page, "experiment")
      .getByRole("button", { name: /^Copy link to / })
      .click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(siteUrl(`${PAGE}#cell-experiment`));
    const heading = page.locator("h2#starter-cells");
    await expect(heading.count()).resolves.toBe(1);
    await page.getByRole("button", { name: "Copy link to section “Starter cells”" }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(siteUrl(`${PAGE}#starter-cells`));
  });

  test("the Go twin is a tab beside the TypeScript, with the real runtime's measurements", async () => {
    const { page } = await open(await fresh());
    const c = cell(page, "experiment");
    await expect(c.locator("[data-go]").isHidden()).resolves.toBe(true);
    await c.getByRole("tab", { name: "Go (real runtime)" }).click();
    await expect(c.locator("[data-go]").isVisible()).resolves.toBe(true);
    await expect(c.locator("[data-code]").isHidden()).resolves.toBe(true);
    await expect(c.locator("[data-truth]").textContent()).resolves.toMatch(/deleted.*293\.3 MiB/s);
    await c.getByRole("tab", { name: "TypeScript (model)" }).press("ArrowRight");
  });

  test("keyboard only: reach a cell, open the editor, type, run with Shift+Enter, leave with Escape then Tab", async () => {
    const { page } = await open(await fresh());
    // Tab from the top of the page until the first cell's code has focus.
    let found = false;
    for (let i = 0; i < 120 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(
        () => document.activeElement?.closest('[data-cell="setup"] [data-code]') !== null,
      );
    }
    expect(found).toBe(true);
    await page.keyboard.press("Enter");
    await awake(page);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("cm-content")))
      .toBe(true);
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.press("Enter");
    await page.keyboard.insertText("display('typed ' + m.len)");
    await page.keyboard.press("Shift+Enter");
    const count = cell(page, "setup").locator("[data-count]");
    await expect.poll(() => count.textContent()).toBe("[1]");
    await expect.poll(() => output(page, "setup").textContent()).toContain("typed 0");
    // Tab moves on to the next control (Escape first, as before, changes nothing).
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    const inEditor = await page.evaluate(() => !!document.activeElement?.closest(".cm-editor"));
    expect(inEditor).toBe(false);
    // Buttons work from the keyboard too.
    await button(cell(page, "setup"), "Run").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => count.textContent()).toBe("[2]");
    // Ctrl+Enter (Cmd+Enter on a Mac) runs too — once.
    await cell(page, "setup").locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => count.textContent()).toBe("[3]");
    await page.waitForTimeout(300);
    await expect(count.textContent()).resolves.toBe("[3]");
  });
});

describe.skipIf(!hasChromium())("accessibility (axe)", () => {
  const AXE = readFileSync("node_modules/axe-core/axe.min.js", "utf8");
  const SLUGS = [
    "/",
    "/situation/",
    "/cause/",
    "/is-it-a-problem/",
    "/solutions/",
    "/model/",
    "/playground/",
    "/your-map/",
  ];
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // Nothing is left out: Starlight's search button included (components/starlight/Search.astro).
  const EXCLUDE: string[] = [];

  async function violations(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: AXE });
    return page.evaluate(async (exclude) => {
      type Axe = {
        run: (ctx: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
      };
      const axe = (window as unknown as { axe: Axe }).axe;
      const result = await axe.run({ exclude: exclude.map((s) => [s]) });
      return result.violations.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(", ")}`,
      );
    }, EXCLUDE);
  }

  test.each(SLUGS)("%s has no axe violations", async (slug) => {
    const page = await browser.newPage();
    await page.goto(siteUrl(slug));
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  test("the playground has no axe violations once the notebook is awake and has run", async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl(PAGE));
    await button(page, "Run all").click();
    await page.waitForFunction(
      () => document.querySelector("[data-kernel-status]")?.textContent === "Every cell ran.",
      null,
      { timeout: 30_000 },
    );
    await cell(page, "setup").getByRole("tab").count();
    await cell(page, "experiment").getByRole("tab", { name: "Go (real runtime)" }).click();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
