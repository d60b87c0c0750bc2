import { describe, expect, test } from "vitest";
import { failedModuleUrl, retryingImport } from "../../src/notebook/client/load-errors.ts";

const ORIGIN = "https://site.example";
const chunk = `${ORIGIN}/_astro/notebook-ui.B-sLdFEu.js`;
const chromiumError = (url: string) => new TypeError(`Failed to fetch dynamically imported module: ${url}`);

describe("failedModuleUrl", () => {
  test("finds the module URL in Chromium's and Firefox's messages, without its query", () => {
    expect(failedModuleUrl(chromiumError(chunk), ORIGIN)).toBe(chunk);
    expect(failedModuleUrl(chromiumError(`${chunk}?retry=2`), ORIGIN)).toBe(chunk);
    expect(
      failedModuleUrl(new TypeError(`error loading dynamically imported module: ${chunk}`), ORIGIN),
    ).toBe(chunk);
  });
  test("ignores other origins and messages without a URL", () => {
    expect(failedModuleUrl(chromiumError("https://elsewhere.example/x.js"), ORIGIN)).toBeNull();
    expect(failedModuleUrl(new TypeError("Importing a module script failed."), ORIGIN)).toBeNull();
  });
});

describe("retryingImport", () => {
  // Stands in for the browser: the first import of a URL that failed keeps failing.
  function browser(reachable: () => boolean) {
    const poisoned = new Set<string>();
    const imported: string[] = [];
    const importUrl = async (url: string): Promise<unknown> => {
      imported.push(url);
      if (poisoned.has(url) || !reachable()) {
        poisoned.add(url);
        throw chromiumError(url);
      }
      // The chunk hands the module over under a mangled export name, as the bundle does.
      return { t: { mount: () => "mounted" }, n: 3 };
    };
    const load = () => importUrl(chunk).then((ns) => (ns as { t: { mount: () => string } }).t);
    return { importUrl, load, imported };
  }

  test("after a failure, the next call imports the failed URL afresh and finds the module in the chunk", async () => {
    let up = false;
    const b = browser(() => up);
    const ui = retryingImport(b.load, "mount", { importUrl: b.importUrl, origin: () => ORIGIN });
    await expect(ui()).rejects.toThrow(/Failed to fetch/);
    up = true;
    const mod = await ui();
    expect(mod.mount()).toBe("mounted");
    expect(b.imported).toEqual([chunk, `${chunk}?retry=1`]);
  });

  test("each retry has a URL of its own, and the plain load is used while nothing failed", async () => {
    let up = false;
    const b = browser(() => up);
    const ui = retryingImport(b.load, "mount", { importUrl: b.importUrl, origin: () => ORIGIN });
    await expect(ui()).rejects.toThrow();
    await expect(ui()).rejects.toThrow();
    up = true;
    await expect(ui()).resolves.toHaveProperty("mount");
    expect(b.imported).toEqual([chunk, `${chunk}?retry=1`, `${chunk}?retry=2`]);
    const fresh = browser(() => true);
    await retryingImport(fresh.load, "mount", { importUrl: fresh.importUrl, origin: () => ORIGIN })();
    expect(fresh.imported).toEqual([chunk]);
  });

  test("a namespace without the module is an error, not a wrong module", async () => {
    let up = false;
    const b = browser(() => up);
    const ui = retryingImport(b.load, "render", { importUrl: b.importUrl, origin: () => ORIGIN });
    await expect(ui()).rejects.toThrow();
    up = true;
    await expect(ui()).rejects.toThrow(/no module with render/);
  });
});
