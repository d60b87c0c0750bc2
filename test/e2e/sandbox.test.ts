import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath, collectErrors, hasChromium, launch, siteUrl } from "./browser.ts";
import { cellSelector as sel, output, run, setCode } from "./cells.ts";

// The kernel's sandbox in real Chromium, on the playground chapter (content/playground.mdx):
// cell code and the functions it hands to Plot never run on the page, a cell reaches
// nothing of the site, a bad chart or an asynchronous error stays in its cell, and a
// cell that allocates without bound loses its kernel, not the tab.
const PAGE = "/playground/";

async function open(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(siteUrl(PAGE), { waitUntil: "load" });
  return { page, errors };
}

describe.skipIf(!hasChromium())("the kernel's sandbox", () => {
  let browser: Browser;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const fresh = async (): Promise<BrowserContext> => {
    await context?.close();
    context = await browser.newContext();
    return context;
  };

  test("functions given to Plot run in the kernel: they reach neither cookies, storage, the DOM nor the network of the page", async () => {
    const ctx = await fresh();
    const requests: string[] = [];
    ctx.on("request", (r) => requests.push(r.url()));
    const { page, errors } = await open(ctx);
    await page.evaluate(() => {
      localStorage.setItem("sentinel", "page");
      document.cookie = "sentinel=page; path=/";
      (window as unknown as { ranOnPage: boolean }).ranOnPage = false;
    });
    // Each accessor tries everything it can; none of it may touch the page.
    await setCode(
      page,
      "scratch",
      [
        "const probe = (d: number) => {",
        "  const g = globalThis as any;",
        "  g.ranOnPage = true;",
        "  try { g.document.cookie = 'sentinel=cell; path=/'; } catch {}",
        "  try { g.localStorage.setItem('sentinel', 'cell'); } catch {}",
        "  try { g.parent.document.body.dataset.pwned = 'yes'; } catch {}",
        "  try { g.top.ranOnPage = true; } catch {}",
        "  try { void g.fetch('/?from-a-cell'); } catch {}",
        "  return d;",
        "};",
        "const scale = 10;",
        "display(Plot.plot({ marks: [Plot.dot([1, 2, 3], { x: probe, y: (d: number) => d * scale })] }));",
      ].join("\n"),
    );
    await run(page, "scratch");
    // The chart drew, with the cell's own variable in an accessor.
    await expect(output(page, "scratch").locator("svg circle").count()).resolves.toBe(3);
    await expect(output(page, "scratch").getByRole("alert").count()).resolves.toBe(0);
    await page.waitForTimeout(300);
    const seen = await page.evaluate(() => ({
      storage: localStorage.getItem("sentinel"),
      cookie: document.cookie,
      pwned: document.body.dataset["pwned"] ?? null,
      ranOnPage: (window as unknown as { ranOnPage: boolean }).ranOnPage,
    }));
    expect(seen).toEqual({ storage: "page", cookie: "sentinel=page", pwned: null, ranOnPage: false });
    expect(requests.filter((u) => u.includes("from-a-cell"))).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("a cell reaches no network, storage, workers or channels from the kernel, not even through prototypes", async () => {
    const { page } = await open(await fresh());
    await setCode(
      page,
      "scratch",
      [
        "const g = globalThis as any;",
        "const names = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'indexedDB', 'caches', 'BroadcastChannel', 'Worker', 'SharedWorker', 'postMessage', 'close', 'Request'];",
        "const found: string[] = [];",
        "for (const n of names) {",
        "  if (g[n] !== undefined) found.push(n);",
        "  for (let p = Object.getPrototypeOf(g); p; p = Object.getPrototypeOf(p)) if (Object.getOwnPropertyDescriptor(p, n)) found.push('proto.' + n);",
        "  if (g.constructor?.prototype && n in g.constructor.prototype) found.push('constructor.prototype.' + n);",
        "}",
        "for (const n of ['serviceWorker', 'storage', 'locks']) if (g.navigator?.[n] !== undefined) found.push('navigator.' + n);",
        "let imported = 'refused';",
        "try { await import('data:text/javascript,export default 1'); imported = 'loaded'; } catch {}",
        "display({ found, origin: g.origin, imported });",
      ].join("\n"),
    );
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toBe(
      '{ found: [], origin: "null", imported: "refused" }',
    );
  });

  test("a malformed Plot value is an error in its cell only; later cells and Restart keep working", async () => {
    const { page, errors } = await open(await fresh());
    await setCode(page, "scratch", "display(Plot.lineY([1, 2, 3]))");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /TypeError at line 1.*Plot mark \(line\), not a chart/s,
    );
    await setCode(page, "scratch", "Plot.plot({ marks: [42] })");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(/invalid mark/);
    // Another cell, a chart and a heap chart still draw.
    await run(page, "setup");
    await expect(output(page, "setup").textContent()).resolves.toMatch(/empty map: HeapAlloc/);
    await setCode(
      page,
      "scratch",
      "liveHeap(rt, { every: 100 });\nm.insertRange(0, 1000);\ndisplay(Plot.plot({ marks: [Plot.lineY([1, 2, 3])] }))",
    );
    await run(page, "scratch");
    await expect(output(page, "scratch").locator(".nb-heap svg").count()).resolves.toBe(1);
    await expect(output(page, "scratch").locator(".nb-plot svg path").count()).resolves.toBeGreaterThan(0);
    await page.getByRole("button", { name: "Restart", exact: true }).click();
    await setCode(page, "scratch", "display(Plot.plot({ marks: [Plot.dotX([1, 2])] }))");
    await run(page, "scratch");
    await expect(output(page, "scratch").locator(".nb-plot svg circle").count()).resolves.toBe(2);
    expect(errors).toEqual([]);
  });

  test("asynchronous errors are reported in the cell that started them, and the kernel survives", async () => {
    const { page, errors } = await open(await fresh());
    await run(page, "setup");
    await setCode(
      page,
      "scratch",
      "setTimeout(() => { throw new Error('kaboom') }, 0);\nawait new Promise((r) => setTimeout(r, 100));",
    );
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /Error at line 1, column \d+ \(in a setTimeout callback\)kaboom/,
    );
    await setCode(page, "scratch", "Promise.reject(new RangeError('nobody handled me'));");
    await run(page, "scratch");
    await expect(output(page, "scratch").getByRole("alert").textContent()).resolves.toMatch(
      /RangeError.*unhandled promise rejection.*nobody handled me/,
    );
    // After its run has ended, a timer's error still lands in its own cell.
    await setCode(
      page,
      "scratch",
      "setTimeout(() => { throw new Error('much later') }, 400);\ndisplay('scheduled');",
    );
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toBe("scheduled");
    await expect
      .poll(() => output(page, "scratch").getByRole("alert").textContent())
      .toMatch(/after the run ended.*much later/s);
    await expect(output(page, "setup").getByRole("alert").count()).resolves.toBe(0);
    // The kernel was not replaced: the chapter's variables are still there.
    await setCode(page, "scratch", "display(typeof m)");
    await run(page, "scratch");
    await expect(output(page, "scratch").textContent()).resolves.toBe("object");
    await expect(page.locator("[data-kernel-status]").textContent()).resolves.not.toMatch(/crashed/);
    expect(errors).toEqual([]);
  });
});

/**
 * Unbounded allocation. The browser gets a 512 MB V8 heap (--js-flags) so the kernel
 * runs out of memory in a few seconds instead of ~15–25 s with Chromium's default
 * limit; the mechanism is the same (docs/notebook.md, "Memory"). Playwright marks the
 * whole page as crashed when any of its frames' processes dies, so after the crash the
 * test drives the page through a CDP session of its own, which still works.
 */
describe.skipIf(!hasChromium())("unbounded allocation", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath() ?? "",
      headless: true,
      args: [...CHROMIUM_FLAGS, "--js-flags=--max-old-space-size=512"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function evaluate<T>(cdp: CDPSession, expression: string): Promise<T> {
    const r = (await cdp.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
    return r.result.value;
  }

  async function until(cdp: CDPSession, expression: string, timeout: number): Promise<void> {
    const end = Date.now() + timeout;
    while (!(await evaluate<boolean>(cdp, expression))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test("the cell is stopped for using too much memory, a fresh kernel starts, and the page keeps its outputs and edits", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(siteUrl(PAGE), { waitUntil: "load" });
    await run(page, "setup");
    await setCode(page, "internals", "display('my own edit')");
    await setCode(page, "scratch", "const a = [];\nwhile (true) a.push(new Array(1e6).fill(1));");
    const cdp = await context.newCDPSession(page);
    const started = Date.now();
    await page.locator(sel("scratch")).getByRole("button", { name: "Run", exact: true }).click();
    const scratch = JSON.stringify(sel("scratch"));
    await until(
      cdp,
      `!!document.querySelector(${scratch})?.querySelector('[data-output] [role=alert][data-reason=memory]')`,
      60_000,
    );
    const stoppedAfter = Date.now() - started;
    const state = await evaluate<{ alert: string; setup: string; internals: string; status: string }>(
      cdp,
      `(() => {
        const q = (s) => document.querySelector(s);
        return {
          alert: q(${scratch}).querySelector('[role=alert]').textContent,
          setup: q(${JSON.stringify(sel("setup"))}).querySelector('[data-output]').textContent,
          internals: q(${JSON.stringify(sel("internals"))}).querySelector('.cm-content').textContent,
          status: q('[data-kernel-status]').textContent,
        };
      })()`,
    );
    expect(state.alert).toMatch(/too much memory/);
    expect(state.setup).toMatch(/empty map: HeapAlloc/);
    expect(state.internals).toBe("display('my own edit')");
    // A fresh kernel runs the next cell.
    await evaluate(
      cdp,
      `(() => {
        const c = document.querySelector(${scratch});
        c.querySelector('.cm-content').focus();
        document.execCommand('selectAll');
      })()`,
    );
    await cdp.send("Input.insertText", { text: "display(1 + 1)" });
    const done = await evaluate<number>(cdp, `Number(document.querySelector(${scratch}).dataset.done ?? 0)`);
    await evaluate(cdp, `document.querySelector(${scratch}).querySelector('[data-action="run"]').click()`);
    await until(cdp, `Number(document.querySelector(${scratch}).dataset.done ?? 0) > ${done}`, 30_000);
    await expect(
      evaluate<string>(cdp, `document.querySelector(${scratch}).querySelector('[data-output]').textContent`),
    ).resolves.toBe("2");
    process.stdout.write(`unbounded allocation: stopped and reported after ${stoppedAfter} ms\n`);
    await context.close();
  });
});
