import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { itemsToHast, runChapter } from "../../src/notebook/bake.ts";
import remarkCells, { parseMeta } from "../../src/notebook/remark-cells.ts";
import type { HNode } from "../../src/notebook/hast.ts";

const text = (nodes: HNode[]): string =>
  nodes.map((n) => (n.type === "text" ? n.value : text(n.children))).join("");

describe("build-time execution", () => {
  test("cells run in chapter order in one kernel, with a seeded model", async () => {
    const runs = await runChapter("ch", [
      {
        id: "one",
        code: 'const rt = goRuntime({ go: "1.23" }); const m = rt.makeMap("int", "[128]byte");',
        throws: false,
      },
      { id: "two", code: "m.insertRange(0, 1000); display(m.len)", throws: false },
    ]);
    expect(runs.map((r) => r.id)).toEqual(["one", "two"]);
    expect(runs[1]?.items).toEqual([{ kind: "text", text: "1,000" }]);
  });

  test("the same cells give the same outputs (deterministic pages)", async () => {
    const cells = [
      {
        id: "a",
        code: 'const rt = goRuntime({ go: "1.24" }); const m = rt.makeMap("string", "int"); m.insertRange(0, 5000); m.deleteRange(0, 2500); display(rt.readMemStats().HeapAlloc)',
        throws: false,
      },
    ];
    const [x, y] = [await runChapter("ch", cells), await runChapter("ch", cells)];
    expect(x[0]?.items).toEqual(y[0]?.items);
  });

  test("a throwing cell fails the build with chapter › cell id › line:col and the message", async () => {
    await expect(
      runChapter("cause", [
        { id: "fine", code: "const a = 1;", throws: false },
        { id: "broken", code: "const b: number = 2;\nconst c = (undefined as any).field;", throws: false },
      ]),
    ).rejects.toThrow(/^cause › broken › 2:\d+: TypeError: Cannot read properties of undefined/);
  });

  test("a syntax error fails the build with its position", async () => {
    await expect(runChapter("ch", [{ id: "syn", code: "let x = (;", throws: false }])).rejects.toThrow(
      "ch › syn › 1:10: SyntaxError",
    );
  });

  test("a cell marked `throws` shows its error; one that does not throw fails the build", async () => {
    const runs = await runChapter("ch", [
      { id: "t", code: "throw new RangeError('on purpose')", throws: true },
    ]);
    expect(runs[0]?.items).toMatchObject([
      { kind: "error", name: "RangeError", message: "on purpose", line: 1 },
    ]);
    await expect(runChapter("ch", [{ id: "t", code: "1", throws: true }])).rejects.toThrow(/marked `throws`/);
  });

  test("outputs become HTML: a table, an alert, and a heap chart drawn as SVG", async () => {
    const runs = await runChapter("ch", [
      {
        id: "a",
        code: 'const rt = goRuntime({ go: "1.23" }); const c = liveHeap(rt, { every: 100 }); const m = rt.makeMap("int", "int"); m.insertRange(0, 2000); display([{ k: 1 }])',
        throws: false,
      },
    ]);
    const hast = itemsToHast(runs[0]?.items ?? []);
    const [figure, table] = hast as [
      Extract<HNode, { type: "element" }>,
      Extract<HNode, { type: "element" }>,
    ];
    expect(figure.tagName).toBe("figure");
    expect(figure.children.some((c) => c.type === "element" && c.tagName === "svg")).toBe(true);
    expect(text([figure])).toMatch(/HeapAlloc: [\d.]+ MiB after 2,000 operations/);
    expect(table.tagName).toBe("div");
    expect(text([table])).toBe("k1");
    const alert = itemsToHast([
      { kind: "error", name: "Error", message: "boom", line: 2, col: 5 },
    ])[0] as Extract<HNode, { type: "element" }>;
    expect(alert.properties["role"]).toBe("alert");
    expect(text([alert])).toBe("Error at line 2, column 5boom");
  });
});

describe("the remark plugin", () => {
  test("fence meta: a word, quoted and bare attributes, flags", () => {
    expect(parseMeta('cell id="a-b" title="Two words" throws x=1')).toEqual({
      word: "cell",
      attrs: { id: "a-b", title: "Two words", throws: true, x: "1" },
    });
  });

  const code = (lang: string, meta: string, value: string) => ({ type: "code", lang, meta, value });

  test("cells become sections with the DOM contract, a toolbar before the first, Go twin and truth table", async () => {
    const dir = mkdtempSync(join(tmpdir(), "truth-"));
    mkdirSync(join(dir, "go1.23"));
    writeFileSync(
      join(dir, "go1.23", "demo.json"),
      JSON.stringify({
        scenario: "demo",
        go: "go version go1.23.5 linux/amd64",
        runs: 3,
        snapshots: [
          { label: "deleted", len: 0, heapAlloc: [1, 2 ** 20 * 293.3, 2 ** 30], numGC: [4, 4, 4] },
          { label: "ins@5", len: 5, heapAlloc: [1], numGC: 1 },
        ],
      }),
    );
    const tree = {
      type: "root",
      children: [
        { type: "paragraph", children: [{ type: "text", value: "intro" }] },
        code("ts", 'cell id="first" title="First"', "const x = 1;\ndisplay(x)"),
        code("go", 'twin truth="go1.23/demo"', "package main"),
        code("ts", "", "not a cell"),
        code("ts", 'cell id="second"', "display(x + 1)"),
      ],
    };
    await remarkCells({ truthDir: dir })(tree as never, { path: "/x/chapter.mdx" });
    const kinds = tree.children.map((c) => c.type);
    expect(kinds).toEqual(["paragraph", "notebookToolbar", "notebookCell", "code", "notebookCell"]);
    const cell = tree.children[2] as unknown as {
      data: { hName: string; hProperties: Record<string, unknown>; hChildren: HNode[] };
    };
    expect(cell.data.hName).toBe("section");
    expect(cell.data.hProperties).toMatchObject({
      id: "cell-first",
      "data-cell": "first",
      "data-declares": "x",
    });
    const all = text(cell.data.hChildren);
    expect(all).toContain("RunStopResetShareCopy link");
    expect(all).toContain("TypeScript (model)Go (real runtime)");
    expect(all).toMatch(/deleted293\.3 MiB34/); // median of 3 runs, NumGC 4, len 0 — the "ins@5" sample is left out
    expect(all).not.toContain("ins@5");
    const second = tree.children[4] as unknown as { data: { hChildren: HNode[] } };
    expect(text(second.data.hChildren)).toContain("Cell second");
    expect(text(second.data.hChildren).endsWith("2")).toBe(true);
  });

  test("a bad cell id, a duplicate id and a missing truth file fail the build", async () => {
    const run = (children: unknown[]) =>
      remarkCells({ truthDir: "/nonexistent" })({ type: "root", children } as never, { path: "ch.mdx" });
    await expect(run([code("ts", 'cell id="Bad Id"', "1")])).rejects.toThrow(
      /ch › Bad Id › -: a cell needs id=/,
    );
    await expect(run([code("ts", 'cell id="a"', "1"), code("ts", 'cell id="a"', "1")])).rejects.toThrow(
      "ch › a › -: two cells have this id",
    );
    await expect(
      run([code("ts", 'cell id="a"', "1"), code("go", 'twin truth="go1.23/nope"', "package main")]),
    ).rejects.toThrow(/truth="go1.23\/nope" names .* which does not exist/);
  });

  test("a chapter without cells is left alone", async () => {
    const tree = { type: "root", children: [code("ts", "", "const x = 1")] };
    await remarkCells()(tree as never, { path: "ch.mdx" });
    expect(tree.children[0]?.type).toBe("code");
  });
});
