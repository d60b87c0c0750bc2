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
      expect(twin?.meta, `cell ${f.meta}`).toMatch(
        /^go twin truth="(\.\.\/go-truth-programs\/)?go1\.\d+\/[\w-]+"/,
      );
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

// Corrections the chapters were once wrong about, held on the source so that they stay fixed.
describe("corrections stay made", () => {
  const ALL = ["situation", "cause", "is-it-a-problem", "solutions", "model", "playground", "index"];
  const prose = (slug: string): string =>
    readFileSync(`content/${slug}.mdx`, "utf8").replace(/^```[\s\S]*?^```$/gm, "");

  test.each(ALL)("%s: no sentence is split by a paragraph break before a <Measured> figure", (slug) => {
    const paragraphs = prose(slug).split(/\n\s*\n/);
    for (const [i, p] of paragraphs.entries()) {
      const next = paragraphs[i + 1]?.trimStart();
      if (next === undefined || !next.startsWith("<Measured")) continue;
      // A paragraph that ends without terminal punctuation continues in the next one.
      expect(p.trimEnd(), `paragraph ${i + 1} runs on into a <Measured> paragraph`).toMatch(/[.!?)»"”]$|^#/);
    }
  });

  test.each(ALL)("%s: states none of the claims an expert review found wrong", (slug) => {
    const text = prose(slug).replace(/\s+/g, " ");
    // delete zeroes the whole element (mapdelete_fast64 → memclrNoHeapPointers(e, t.Elem.Size_))
    expect(text).not.toMatch(/writes one byte|one byte per (entry|delete)|delete[^.]*\bone byte\b/i);
    // pointer elems: 1,104 → 144-byte buckets, an eighth
    expect(text).not.toMatch(/about a ninth/i);
    // churn doubles on Swiss tables, it does not "settle"
    expect(text).not.toMatch(/churn settles|settles after one growth|then settles/i);
    // a copy after a drain costs only the survivors
    expect(text).not.toMatch(/transient double-size peak/i);
    // the article's case has 5 runs on 1.23 only (15 on Swiss releases)
    expect(text).not.toMatch(/five times for the article's own case\)/i);
    // no formula gives kilobyte precision on Swiss tables
    expect(text).not.toMatch(/to the kilobyte/i);
    // clear and same-size growth give overflow buckets back
    expect(text).not.toMatch(/never gives a map's memory back/i);
  });

  test("the source article and the book are named and linked", () => {
    const text = prose("situation");
    expect(text).toMatch(/Leaking memory due to using the wrong map in\s+Golang\?/);
    expect(text).toMatch(/Tram Ho/);
    expect(text).toMatch(/100 Go Mistakes/);
    expect(text).toMatch(/mistake #28/);
    expect(text).toMatch(/\]\(https:\/\/100go\.co\/28-maps-memory-leaks\/\)/);
  });

  test("the shrink policy's Go code tracks the peak on insert, so that it can ever copy", () => {
    const mdx = readFileSync("content/solutions.mdx", "utf8");
    const policy = fences(mdx).find((f) => /type shrinkingMap struct/.test(f.code));
    expect(policy, "the shrink-policy Go code").toBeDefined();
    const code = policy?.code ?? "";
    const set = /func \(s \*shrinkingMap\) set\([^)]*\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? "";
    expect(set).toMatch(/s\.m\[k\] = v/);
    expect(set).toMatch(/if len\(s\.m\) > s\.peak \{\s*s\.peak = len\(s\.m\)/);
    const del = /func \(s \*shrinkingMap\) delete\(k int\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? "";
    expect(del).toMatch(/len\(s\.m\) < s\.peak\/4/);
    expect(del).toMatch(/make\(map\[int\]\[128\]byte, len\(s\.m\)\)/);
  });
});

// A Go tab is shown above the real runtime's numbers, so it must be the program that
// produced them: every statement in it is a line of the program the harness generated
// from the golden file's own scenario (in order; comments and blank lines aside).
describe("Go tabs are the programs that produced their numbers", () => {
  const SLUGS = ["situation", "cause", "is-it-a-problem", "solutions", "playground"];
  const statements = (code: string): string[] =>
    code
      .split("\n")
      .map((l) => l.replace(/\s*\/\/.*$/, "").trim())
      .filter((l) => l !== "");

  function isSubsequence(needle: string[], hay: string[]): { ok: boolean; missing?: string } {
    let at = 0;
    for (const line of needle) {
      while (at < hay.length && hay[at] !== line) at++;
      if (at === hay.length) return { ok: false, missing: line };
      at++;
    }
    return { ok: true };
  }

  const twins = SLUGS.flatMap((slug) =>
    fences(readFileSync(`content/${slug}.mdx`, "utf8"))
      // A committed program (program="NAME/FILE.go") is held byte for byte by
      // test/go-truth/programs.test.ts instead.
      .filter((f) => /^go twin /.test(f.meta) && !/\bprogram="/.test(f.meta))
      .map((f, i) => ({ slug, i, ...f })),
  );

  test("there are Go tabs to check", () => {
    expect(twins.length).toBeGreaterThan(15);
  });

  test.each(twins.map((t) => [`${t.slug} #${t.i + 1} (${t.meta})`, t] as const))("%s", async (_, twin) => {
    const ref = /truth="go(\d+\.\d+)\/([\w-]+)"/.exec(twin.meta);
    expect(ref).not.toBeNull();
    const [, release, name] = ref ?? [];
    const { checkScenario } = await import("../../src/go-program/scenario.ts");
    const { generateProgram } = await import("../../src/go-program/generate.ts");
    const golden = JSON.parse(readFileSync(`test/fixtures/go-truth/go${release}/${name}.json`, "utf8")) as {
      definition: unknown;
    };
    const program = generateProgram(checkScenario(golden.definition), release ?? "", name);
    const result = isSubsequence(statements(twin.code), statements(program));
    expect(result.missing, `not in the generated program for go${release}/${name}`).toBeUndefined();
  });
});
