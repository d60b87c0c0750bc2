import type { PhrasingContent, RootContent } from "mdast";
import { describe, expect, test } from "vitest";
import { chapterNotebook, KERNEL_EXPORTS, KERNEL_MODULE_PATH } from "../../src/notebook/jupyter/ipynb.ts";
import { proseToMarkdown } from "../../src/notebook/jupyter/markdown.ts";
import { lines, serialize } from "../../src/notebook/jupyter/nbformat.ts";
import { toOutputs } from "../../src/notebook/jupyter/outputs.ts";
import type { OutputItem } from "../../src/notebook/protocol.ts";
import { notebookDrawing } from "../../src/notebook/jupyter/drawing.ts";
import { createFigures } from "../../src/notebook/figures.ts";
import remarkCells from "../../src/notebook/remark-cells.ts";
import type { HNode } from "../../src/notebook/hast.ts";
import { nbformatErrors } from "./nbformat-schema.ts";

const { document: doc, drawing } = notebookDrawing();

/** A chart as a cell makes it: Plot drawn in the kernel's DOM, as markup (figures.ts). */
function chartItem(): OutputItem {
  const { Plot, toItem } = createFigures();
  const P = Plot as Record<string, (...a: unknown[]) => unknown>;
  const item = toItem(P["plot"]?.({ marks: [P["dot"]?.([{ x: 1, y: 2 }], { x: "x", y: "y" })] }));
  if (!item) throw new Error("not a chart");
  return item;
}
const PAGE = "https://example.org/situation/";

const text = (value: string): PhrasingContent => ({ type: "text", value });
const para = (...children: RootContent[]): RootContent => ({ type: "paragraph", children }) as RootContent;
const jsx = (
  type: "mdxJsxFlowElement" | "mdxJsxTextElement",
  name: string,
  attrs: Record<string, string | null>,
  children: RootContent[] = [],
): RootContent =>
  ({
    type,
    name,
    attributes: Object.entries(attrs).map(([n, value]) => ({ type: "mdxJsxAttribute", name: n, value })),
    children,
  }) as unknown as RootContent;
const code = (lang: string, meta: string, value: string): RootContent => ({
  type: "code",
  lang,
  meta,
  value,
});

describe("prose as Markdown", () => {
  test("MDX components become what the page shows; imports and expressions go; links become absolute", () => {
    const md = proseToMarkdown(
      [
        {
          type: "mdxjsEsm",
          value: 'import Measured from "../components/Measured.astro";',
        } as unknown as RootContent,
        jsx("mdxJsxFlowElement", "Aside", { type: "tip", title: "In this chapter" }, [
          para(text("Run every cell.")),
        ]),
        { type: "heading", depth: 2, children: [text("The experiment")] },
        para(
          text("The heap holds "),
          jsx("mdxJsxTextElement", "Measured", { scenario: "s", go: "1.23", label: "deleted" }),
          text(" of 2"),
          jsx("mdxJsxTextElement", "sup", {}, [text("B")]),
          text(" buckets; see "),
          { type: "link", url: "/model/#accuracy", children: [text("the model")] },
          text(", "),
          { type: "link", url: "#why", children: [text("why")] },
          text(" and "),
          { type: "link", url: "https://go.dev/", children: [text("Go")] },
          text("."),
        ),
        { type: "mdxFlowExpression", value: "1 + 1" } as unknown as RootContent,
        jsx("mdxJsxFlowElement", "Unknown", {}, []),
      ],
      {
        pageUrl: PAGE,
        components: { Measured: (p) => `293.3 MiB (go${String(p["go"])}.5, linux/amd64)` },
      },
    );
    expect(md).toBe(
      [
        "> **In this chapter**",
        ">",
        "> Run every cell.",
        "",
        "## The experiment",
        "",
        "The heap holds 293.3 MiB (go1.23.5, linux/amd64) of 2<sup>B</sup> buckets; see [the model](https://example.org/model/#accuracy), [why](https://example.org/situation/#why) and [Go](https://go.dev/).",
      ].join("\n"),
    );
  });

  test("a block component becomes Markdown blocks, with number attributes as text", () => {
    const el = jsx("mdxJsxFlowElement", "RecordedOutput", { scenario: "heap-profile", go: "1.23" });
    (el as unknown as { attributes: unknown[] }).attributes.push({
      type: "mdxJsxAttribute",
      name: "index",
      value: { type: "mdxJsxAttributeValueExpression", value: "1" },
    });
    const seen: Record<string, string | true>[] = [];
    const md = proseToMarkdown([el], {
      pageUrl: PAGE,
      blocks: {
        RecordedOutput: (p) => {
          seen.push(p);
          return [{ type: "code", lang: "text", value: "$ go tool pprof -top\n293.25MB 100% main.main" }];
        },
      },
    });
    expect(seen).toEqual([{ scenario: "heap-profile", go: "1.23", index: "1" }]);
    expect(md.trim()).toBe("```text\n$ go tool pprof -top\n293.25MB 100% main.main\n```");
  });

  test("the tree the page is rendered from is left as it was", () => {
    const nodes = [para({ type: "link", url: "/model/", children: [text("m")] } as RootContent)];
    const before = JSON.stringify(nodes);
    proseToMarkdown(nodes, { pageUrl: PAGE });
    expect(JSON.stringify(nodes)).toBe(before);
  });
});

describe("outputs as Jupyter outputs", () => {
  test("text, log lines, tables, plots, heap charts and errors", () => {
    const items: OutputItem[] = [
      { kind: "text", text: "293.3 MiB" },
      { kind: "log", level: "log", text: "one" },
      { kind: "log", level: "info", text: "two" },
      { kind: "log", level: "warn", text: "careful" },
      { kind: "table", columns: ["go", "HeapAlloc"], rows: [["1.23", "293.3 MiB"]], more: 2 },
      chartItem(),
      {
        kind: "heap",
        id: 1,
        title: "HeapAlloc",
        points: [
          { ops: 0, heapAlloc: 0 },
          { ops: 10, heapAlloc: 2 ** 20 },
        ],
        notes: [],
        done: true,
      },
      { kind: "error", name: "RangeError", message: "Refused", line: 3, col: 5 },
    ];
    const out = toOutputs(items, doc, drawing);
    expect(out.map((o) => o.output_type)).toEqual([
      "display_data",
      "stream",
      "stream",
      "display_data",
      "display_data",
      "display_data",
      "error",
    ]);
    expect(out[0]).toEqual({
      output_type: "display_data",
      data: { "text/plain": ["293.3 MiB"] },
      metadata: {},
    });
    expect(out[1]).toEqual({ output_type: "stream", name: "stdout", text: ["one\n", "two\n"] });
    expect(out[2]).toEqual({ output_type: "stream", name: "stderr", text: ["careful\n"] });
    const table = out[3]?.output_type === "display_data" ? out[3].data : {};
    expect(String(table["text/html"])).toMatch(
      /^<div class="nb-table"><table>.*<th scope="col">HeapAlloc<\/th>/,
    );
    expect((table["text/plain"] as string[]).join("")).toBe(
      "go    HeapAlloc\n----  ---------\n1.23  293.3 MiB\n… and 2 more rows",
    );
    const chart = out[4]?.output_type === "display_data" ? out[4].data : {};
    const svg = (chart["image/svg+xml"] as string[]).join("");
    expect(svg).toMatch(/^<svg [^>]*\bxmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/^<svg [^>]*\brole="img"/);
    expect(chart["text/plain"]).toEqual(["Chart"]);
    const heap = out[5]?.output_type === "display_data" ? out[5].data : {};
    expect((heap["image/svg+xml"] as string[]).join("")).toContain("<svg");
    expect(heap["text/plain"]).toEqual(["HeapAlloc: 1.0 MiB after 10 operations (peak 1.0 MiB)."]);
    expect(out[6]).toEqual({
      output_type: "error",
      ename: "RangeError",
      evalue: "Refused",
      traceback: ["RangeError: Refused (cell line 3, column 5)"],
    });
  });

  test("multi-line text is kept as Jupyter's list of lines", () => {
    expect(lines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(lines("a\nb")).toEqual(["a\n", "b"]);
    expect(lines("")).toEqual([]);
  });
});

describe("a chapter as a notebook", () => {
  const first = code("ts", 'cell id="first"', 'const rt = goRuntime({ go: "1.23" });\ndisplay(1)');
  const twin = code("go", 'twin truth="go1.23/demo"', "package main");
  const second = code("ts", 'cell id="second"', "display(2)");
  const nodes: RootContent[] = [para(text("Intro.")), first, twin, para(text("Between.")), second];
  const input = {
    chapter: "situation",
    title: "The situation",
    description: "A million inserts.",
    site: "https://example.org",
    nodes,
    cells: [
      {
        node: first,
        twinNode: twin,
        id: "first",
        code: first.type === "code" ? first.value : "",
        title: "First",
        twin: {
          code: "package main",
          truth: {
            ref: "go1.23/demo",
            data: {
              scenario: "demo",
              go: "go version go1.23.5 linux/amd64",
              runs: 3,
              snapshots: [
                { label: "deleted", len: 0, heapAlloc: [1, 2 ** 20 * 293.3, 2 ** 30], numGC: [4, 4, 4] },
              ],
            },
          },
        },
        items: [{ kind: "text", text: "1" }] as OutputItem[],
      },
      { node: second, twinNode: null, id: "second", code: "display(2)", title: null, twin: null, items: [] },
    ],
  };

  test("is valid nbformat 4.5 with a Deno kernel, cells in order, counts 1, 2, 3", () => {
    const nb = chapterNotebook(input);
    expect(nbformatErrors(nb)).toEqual([]);
    expect(nbformatErrors(JSON.parse(serialize(nb)))).toEqual([]);
    expect(nb.metadata.kernelspec).toEqual({ name: "deno", display_name: "Deno", language: "typescript" });
    expect(nb.metadata.language_info["name"]).toBe("typescript");
    expect(nb.cells.map((c) => `${c.cell_type}:${c.id}`)).toEqual([
      "markdown:_title",
      "code:_import",
      "markdown:_md-1",
      "code:first",
      "markdown:_go-first",
      "markdown:_md-2",
      "code:second",
    ]);
    const codes = nb.cells.filter((c) => c.cell_type === "code");
    expect(codes.map((c) => c.execution_count)).toEqual([1, 2, 3]);
    expect(codes[0]?.source.join("")).toContain(
      `import { ${KERNEL_EXPORTS.join(", ")} } from "https://example.org${KERNEL_MODULE_PATH}";`,
    );
    expect(codes[1]?.source).toEqual(['const rt = goRuntime({ go: "1.23" });\n', "display(1)"]);
    expect(codes[1]?.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": ["1"] }, metadata: {} },
    ]);
    const go = nb.cells[4]?.source.join("") ?? "";
    expect(go).toContain("```go\npackage main\n```");
    expect(go).toMatch(/\| deleted +\| 293\.3 MiB +\| 3 +\| 4 +\| 0 +\|/);
    expect(nb.cells[0]?.source.join("")).toMatch(
      /^# The situation\n\nA million inserts\.\n\n.*https:\/\/example\.org\/situation\//,
    );
  });

  test("the schema check rejects what Jupyter would refuse", () => {
    const nb = chapterNotebook(input);
    const broken = JSON.parse(serialize(nb)) as { cells: Record<string, unknown>[] };
    delete broken.cells[3]?.["execution_count"];
    (broken.cells[3] as { outputs: unknown[] }).outputs.push({ output_type: "display_data", metadata: {} });
    expect(nbformatErrors(broken).join("\n")).toMatch(
      /\/cells\/3 .*execution_count|required property 'data'/,
    );
    expect(nbformatErrors({ ...nb, nbformat: 3 })).not.toEqual([]);
  });

  test("the same chapter gives the same file", () => {
    expect(serialize(chapterNotebook(input))).toBe(serialize(chapterNotebook(input)));
  });

  test("a cell nested below the top level is refused, not lost", () => {
    const nested = { ...input, nodes: [{ type: "blockquote", children: [first] } as RootContent, second] };
    expect(() => chapterNotebook(nested)).toThrow(/cell first is not at the top level/);
  });
});

describe("the remark plugin", () => {
  test("puts the chapter's notebook in its front matter and a Download link in the notebook bar", async () => {
    const tree = {
      type: "root",
      children: [para(text("intro")), code("ts", 'cell id="only"', "display(40 + 2)")],
    };
    const file = {
      path: "/x/demo.mdx",
      data: { astro: { frontmatter: { title: "Demo" } as Record<string, unknown> } },
    };
    await remarkCells({ site: "https://example.org/" })(tree as never, file);
    const nb = JSON.parse(String(file.data.astro.frontmatter["ipynb"])) as ReturnType<typeof chapterNotebook>;
    expect(nbformatErrors(nb)).toEqual([]);
    const only = nb.cells.find((c) => c.id === "only");
    expect(only?.cell_type === "code" ? only.outputs : null).toEqual([
      { output_type: "display_data", data: { "text/plain": ["42"] }, metadata: {} },
    ]);
    const bar = tree.children[1] as unknown as { data: { hChildren: HNode[] } };
    const link = bar.data.hChildren.find((n) => n.type === "element" && n.tagName === "a");
    expect(link).toMatchObject({
      properties: { href: "/notebooks/demo.ipynb", download: "demo.ipynb", "data-download-notebook": "" },
    });
  });
});
