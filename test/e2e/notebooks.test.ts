import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chapters } from "../../astro.config.mjs";
import type { Notebook } from "../../src/notebook/jupyter/nbformat.ts";
import { comparable, runNotebook } from "../../tools/run-notebook.ts";
import { nbformatErrors } from "../notebook/nbformat-schema.ts";
import { hasChromium, launch, siteUrl } from "./browser.ts";

// Every chapter of the sidebar, and the playground: each has cells, so each has a notebook.
const SLUGS = [...chapters.map((c) => c.slug), "playground"];
const DIST = "dist";
const MODULE = join(DIST, "notebooks", "kernel.js");

function page(slug: string): Document {
  return parseHTML(readFileSync(join(DIST, slug, "index.html"), "utf8")).document as unknown as Document;
}

function notebook(slug: string): Notebook {
  return JSON.parse(readFileSync(join(DIST, "notebooks", `${slug}.ipynb`), "utf8")) as Notebook;
}

/** A cell's id on the page: `data-cell="<id>"`, or the section's id where data-cell is empty. */
const pageCellIds = (doc: Document): string[] =>
  Array.from(doc.querySelectorAll("section[data-cell]")).map((s) => s.getAttribute("data-cell") || s.id);

describe("every chapter as a Jupyter notebook", () => {
  test.each(SLUGS)("/%s/ has a Download .ipynb link in its notebook bar, to a file in dist/", (slug) => {
    const link = page(slug).querySelector("[data-notebook-toolbar] a[data-download-notebook]");
    expect(link?.textContent).toBe("Download .ipynb");
    expect(link?.getAttribute("href")).toBe(`/notebooks/${slug}.ipynb`);
    expect(link?.getAttribute("download")).toBe(`${slug}.ipynb`);
    expect(existsSync(join(DIST, `/notebooks/${slug}.ipynb`))).toBe(true);
  });

  test.each(SLUGS)("/notebooks/%s.ipynb is valid nbformat 4 with the page's cells, in order", (slug) => {
    const nb = notebook(slug);
    expect(nbformatErrors(nb)).toEqual([]);
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec.name).toBe("deno");
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => c.id)).toEqual(["_import", ...pageCellIds(page(slug))]);
    expect(code.map((c) => c.execution_count)).toEqual(code.map((_, i) => i + 1));
    // The first cell imports the published module from the site the build was made for.
    const imported = /from "([^"]+)"/.exec(code[0]?.source.join("") ?? "")?.[1] ?? "";
    expect(new URL(imported).pathname).toBe("/notebooks/kernel.js");
    expect(new URL(imported).origin).toBe(new URL(String(nb.metadata["site"])).origin);
    // What the page shows is in the notebook: every cell with baked output has outputs.
    const withOutput = Array.from(page(slug).querySelectorAll("section[data-cell]")).filter(
      (s) => (s.querySelector("[data-output]")?.children.length ?? 0) > 0,
    ).length;
    expect(code.filter((c) => c.cell_type === "code" && c.outputs.length > 0).length).toBe(withOutput);
  });

  test.each(SLUGS)("/notebooks/%s.ipynb quotes every measured figure the page shows, in order", (slug) => {
    const figures = Array.from(page(slug).querySelectorAll("span.measured")).map((s) => s.textContent ?? "");
    const quoted = readFileSync(join("content", `${slug}.mdx`), "utf8").split("<Measured ").length - 1;
    expect(figures.length).toBe(quoted);
    const prose = notebook(slug)
      .cells.filter((c) => c.cell_type === "markdown")
      .map((c) => c.source.join(""))
      .join("\n");
    let from = 0;
    for (const figure of figures) {
      const at = prose.indexOf(figure, from);
      expect({ figure, found: at >= 0 }).toEqual({ figure, found: true });
      from = at + figure.length;
    }
    expect(prose).not.toMatch(/<Measured|<Aside|^import .* from "/m);
  });

  test.each(SLUGS)(
    "/notebooks/%s.ipynb runs in Deno against the published module and shows what the build baked",
    (slug) => {
      const results = runNotebook(join(DIST, "notebooks", `${slug}.ipynb`), MODULE);
      expect(results.length).toBe(pageCellIds(page(slug)).length + 1);
      for (const r of results) {
        // A cell the chapter marks `throws` has its error baked; Deno must throw it too.
        const thrown = r.baked.find((o) => o.output_type === "error");
        if (thrown?.output_type === "error") {
          expect(r.error).toContain(`${thrown.ename}: ${thrown.evalue.split("\n")[0] ?? ""}`);
          r.baked = r.baked.filter((o) => o !== thrown);
        } else expect({ id: r.id, error: r.error }).toEqual({ id: r.id, error: null });
        // Short on failure: the first place where the two differ, not two pages of SVG.
        const [ran, baked] = [JSON.stringify(comparable(r.outputs)), JSON.stringify(comparable(r.baked))];
        let at = 0;
        while (at < ran.length && ran[at] === baked[at]) at++;
        expect({ id: r.id, ran: ran.slice(Math.max(0, at - 80), at + 80) }).toEqual({
          id: r.id,
          ran: baked.slice(Math.max(0, at - 80), at + 80),
        });
        expect(r.outputs.length).toBe(r.baked.length);
      }
    },
    300_000,
  );
});

describe.skipIf(!hasChromium())("the Download .ipynb link in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("is on screen, downloads the chapter's notebook, and is left out of print", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const tab = await context.newPage();
    await tab.goto(siteUrl("/situation/"), { waitUntil: "load" });
    const link = tab.getByRole("link", { name: "Download .ipynb" });
    await expect(link.isVisible()).resolves.toBe(true);
    const [download] = await Promise.all([tab.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("situation.ipynb");
    const nb = JSON.parse(readFileSync(await download.path(), "utf8")) as Notebook;
    expect(nbformatErrors(nb)).toEqual([]);
    await tab.emulateMedia({ media: "print" });
    await expect(link.isVisible()).resolves.toBe(false);
    await context.close();
  });
});
