import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkSite, duplicateIds } from "../../tools/check-links.ts";

describe("internal links", () => {
  test("every internal link and fragment in the built site resolves", () => {
    expect(checkSite("dist")).toEqual([]);
  });

  test("no built page has an id twice (cells are #cell-<id>, headings keep their anchors)", () => {
    const pages = ["situation", "is-it-a-problem", "solutions", "cause", "model", "playground"];
    for (const slug of pages) {
      const html = readFileSync(join("dist", slug, "index.html"), "utf8");
      expect(duplicateIds(html), slug).toEqual([]);
    }
    // The ten headings that once shared their id with a cell keep it.
    const situation = readFileSync(join("dist", "situation", "index.html"), "utf8");
    for (const id of ["experiment", "sawtooth", "swiss"]) {
      expect(situation).toMatch(new RegExp(`<h2 id="${id}"`));
      expect(situation).toContain(`data-cell="${id}" id="cell-${id}"`);
    }
  });

  test("the checker reports a broken path and a missing fragment", () => {
    const dir = mkdtempSync(join(tmpdir(), "links-"));
    mkdirSync(join(dir, "a"));
    writeFileSync(
      join(dir, "index.html"),
      '<a href="/a/#here">ok</a><a href="/b/">b</a><a href="/a/#gone">x</a>',
    );
    writeFileSync(join(dir, "a", "index.html"), '<h2 id="here">Here</h2>');
    expect(checkSite(dir)).toEqual(["/: broken link /b/", "/: no #gone on /a/ (/a/#gone)"]);
  });

  test("the checker reports an id used twice, and a link to a cell's author id", () => {
    const dir = mkdtempSync(join(tmpdir(), "links-"));
    writeFileSync(
      join(dir, "index.html"),
      '<h2 id="x">X</h2><section data-cell="x" id="x"></section><section data-cell="y" id="cell-y"></section><a href="#y">y</a>',
    );
    expect(checkSite(dir)).toEqual([
      '/: id "x" appears more than once',
      "/: #y on / is a cell: link to #cell-y (#y)",
    ]);
  });
});
