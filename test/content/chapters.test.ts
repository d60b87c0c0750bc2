import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

// What every chapter promises its readers, checked on the source so that a chapter
// cannot quietly lose a cell, a Go twin, its live plot or its permanent anchors.
const CHAPTERS = ["situation", "cause", "is-it-a-problem", "solutions"];

interface Fence {
  meta: string;
  code: string;
}

function fences(mdx: string): Fence[] {
  return [...mdx.matchAll(/^```(\w[^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    meta: m[1] ?? "",
    code: m[2] ?? "",
  }));
}

describe.each(CHAPTERS)("chapter %s", (slug) => {
  const mdx = readFileSync(`content/${slug}.mdx`, "utf8");
  const all = fences(mdx);
  const cells = all.filter((f) => /^ts cell /.test(f.meta));

  test("has at least three runnable cells, each followed by a Go twin with a real measurement", () => {
    expect(cells.length).toBeGreaterThanOrEqual(3);
    for (const [i, f] of all.entries()) {
      if (!/^ts cell /.test(f.meta)) continue;
      const twin = all[i + 1];
      expect(twin?.meta, `cell ${f.meta}`).toMatch(/^go twin truth="go1\.\d+\/[\w-]+"/);
    }
  });

  test("plots the heap live in at least one cell", () => {
    expect(cells.some((c) => /\bliveHeap\(/.test(c.code))).toBe(true);
  });

  test("opens with what the reader will learn and closes with a three-line takeaway", () => {
    expect(mdx).toMatch(/<Aside type="tip" title="In this chapter">/);
    const takeaway = mdx.split(/^## Takeaway \\\{#takeaway\}$/m)[1];
    expect(
      takeaway
        ?.trim()
        .split("\n")
        .filter((l) => l.startsWith("- ")),
    ).toHaveLength(3);
  });

  test("gives every section heading a short permanent anchor", () => {
    const headings = mdx.split("\n").filter((l) => /^##+ /.test(l));
    expect(headings.length).toBeGreaterThan(3);
    for (const h of headings) expect(h).toMatch(/ \\\{#[a-z0-9]+(-[a-z0-9]+)*\}$/);
  });

  test("types no megabyte figure by hand: measured numbers come from <Measured> or a cell", () => {
    const prose = mdx.replace(/^```[\s\S]*?^```$/gm, "");
    expect(prose).not.toMatch(/\d+(\.\d+)?\s*(MiB|MB|GiB)\b/);
  });
});
