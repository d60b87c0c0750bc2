/**
 * A chapter as a Jupyter notebook (nbformat 4.5), built with the page.
 *
 *   chapter.mdx                               situation.ipynb
 *   ───────────                               ───────────────
 *   front matter title, description     →    markdown  "# The situation", where it comes from, how to run it
 *                                        →    code [1]  import { goRuntime, … } from "<site>/notebooks/kernel.js"
 *   prose                               →    markdown
 *   ```ts cell id="experiment"          →    code [2]  the cell's code, its build-time outputs
 *   ```go twin truth="go1.23/…"         →    markdown  the Go program and the real runtime's table
 *   prose …                             →    markdown …
 *
 * remark-cells.ts calls chapterNotebook() once it has run the chapter's cells, before it
 * replaces their fences, and hands the file to the page's route through the chapter's
 * remark front matter (src/pages/notebooks/[slug].ipynb.ts writes it out).
 *
 * Invariants
 *   1. Every cell of the chapter is one code cell, in order, with the outputs the page
 *      shows (outputs.ts); execution counts are 1 (the import), 2, 3, … in order.
 *   2. Cell ids are unique: a chapter cell keeps its own id (lower-case words); the
 *      cells the notebook adds have ids starting with "_", which a chapter id cannot.
 *   3. Nothing depends on the machine: the same chapter gives the same file.
 */
import type { RootContent } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import { median, mib, type TwinTruth } from "../../golden/golden.ts";
import { formatNumber } from "../format.ts";
import type { OutputItem } from "../protocol.ts";
import { cellDomId } from "../cell-id.ts";
import { proseToMarkdown, type ProseOptions } from "./markdown.ts";
import { codeCell, DENO_KERNEL, markdownCell, type Cell, type Notebook } from "./nbformat.ts";
import { notebookDrawing } from "./drawing.ts";
import { toOutputs } from "./outputs.ts";

/** Where the published kernel module lives on the site (kernel-module.ts, publish.ts). */
export const KERNEL_MODULE_PATH = "/notebooks/kernel.js";
/** The names the notebook's first code cell imports from it: what every cell has at hand. */
export const KERNEL_EXPORTS = [
  "goRuntime",
  "display",
  "liveHeap",
  "mapView",
  "liveMapView",
  "mib",
  "Plot",
  "input",
] as const;

/** Where a chapter's notebook is published: /notebooks/situation.ipynb. */
export function notebookPath(chapter: string): string {
  return `/notebooks/${chapter}.ipynb`;
}

export interface NotebookCell {
  /** The cell's fence in the chapter's tree (a top-level node). */
  node: RootContent;
  /** Its Go twin's fence, right after it, if any. */
  twinNode: RootContent | null;
  id: string;
  code: string;
  title: string | null;
  twin: { code: string; truth: { ref: string; data: TwinTruth } | null } | null;
  /** The outputs the build computed. */
  items: readonly OutputItem[];
}

export interface ChapterInput {
  chapter: string;
  title: string;
  description?: string;
  /** The site's address, from astro.config.mjs `site` (http://127.0.0.1:4321/ when previewed). */
  site: string;
  /** The chapter's top-level nodes, fences still in place. */
  nodes: readonly RootContent[];
  cells: readonly NotebookCell[];
  components?: ProseOptions["components"];
  blocks?: ProseOptions["blocks"];
}

function table(header: string[], rows: string[][]): string {
  const cell = (t: string) => ({
    type: "tableCell" as const,
    children: [{ type: "text" as const, value: t }],
  });
  return toMarkdown(
    {
      type: "table",
      children: [header, ...rows].map((r) => ({ type: "tableRow" as const, children: r.map(cell) })),
    },
    { extensions: [gfmToMarkdown()] },
  ).trim();
}

/** The Go twin as Markdown: the program, then what the real runtime measured running it. */
function twinMarkdown(cell: NotebookCell): string {
  const twin = cell.twin;
  if (!twin) return "";
  const parts = [
    `**Go (real runtime)** — the program \`${cell.id}\` models:`,
    "```go\n" + twin.code.trimEnd() + "\n```",
  ];
  const truth = twin.truth?.data;
  if (truth) {
    const milestones = truth.snapshots.filter((s) => !s.label.includes("@"));
    const runs = truth.runs ?? milestones[0]?.heapAlloc.length ?? 0;
    parts.push(
      `Measured on the real runtime — ${truth.go.replace(/^go version /, "")}, scenario ${truth.scenario}, median of ${formatNumber(runs)} runs:`,
      table(
        ["Snapshot", "HeapAlloc (median)", "Runs", "NumGC", "len"],
        milestones.map((s) => [
          s.label,
          mib(s.heapAllocMedian ?? median(s.heapAlloc)),
          formatNumber(s.heapAlloc.length),
          formatNumber(median(s.numGC)),
          formatNumber(s.len),
        ]),
      ),
    );
  } else parts.push("No measurement of the real runtime is recorded for this program yet.");
  return parts.join("\n\n");
}

/** The chapter's notebook. Throws if a cell is not at the chapter's top level. */
export function chapterNotebook(input: ChapterInput): Notebook {
  const site = new URL("/", input.site);
  const pageUrl = new URL(`/${input.chapter}/`, site).href;
  const moduleUrl = new URL(KERNEL_MODULE_PATH, site).href;
  const prose: ProseOptions = {
    pageUrl,
    ...(input.components ? { components: input.components } : {}),
    ...(input.blocks ? { blocks: input.blocks } : {}),
  };
  const byNode = new Map(input.cells.map((c) => [c.node, c]));
  const twins = new Set(input.cells.map((c) => c.twinNode).filter((n) => n !== null));

  const intro = [
    `# ${input.title}`,
    input.description ?? "",
    `This notebook is the chapter [${input.title}](${pageUrl}) of the Go map memory notebook. Its outputs were computed when the site was built; run it with Deno's Jupyter kernel (\`deno jupyter --install\`, then choose the Deno kernel). The first code cell imports the model of Go's map and heap from [the site](${site.href}); every number comes from that model, seeded, so a re-run prints the same.`,
  ].filter(Boolean);
  const cells: Cell[] = [
    markdownCell("_title", intro.join("\n\n")),
    codeCell(
      "_import",
      `// The model of Go's map and heap, and the helpers every cell of the site has at hand.\nimport { ${KERNEL_EXPORTS.join(", ")} } from "${moduleUrl}";`,
      1,
      [],
    ),
  ];
  let pending: RootContent[] = [];
  let md = 0;
  const flush = (): void => {
    const text = proseToMarkdown(pending, prose);
    if (text) cells.push(markdownCell(`_md-${++md}`, text));
    pending = [];
  };
  let count = 1;
  const emitted = new Set<string>();
  for (const node of input.nodes) {
    const cell = byNode.get(node);
    if (cell) {
      flush();
      const { document: doc, drawing } = notebookDrawing();
      const outputs = toOutputs(cell.items, doc, drawing);
      cells.push(
        codeCell(cell.id, cell.code, ++count, outputs, {
          title: cell.title ?? cell.id,
          site: `${pageUrl}#${cellDomId(cell.id)}`,
        }),
      );
      const go = twinMarkdown(cell);
      if (go) cells.push(markdownCell(`_go-${cell.id}`, go));
      emitted.add(cell.id);
    } else if (!twins.has(node)) pending.push(node);
  }
  flush();
  const missing = input.cells.filter((c) => !emitted.has(c.id)).map((c) => c.id);
  if (missing.length > 0) {
    throw new Error(
      `${input.chapter}: cell ${missing.join(", ")} is not at the top level of the chapter, so it cannot become a notebook cell`,
    );
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...DENO_KERNEL, title: input.title, site: pageUrl },
    cells,
  };
}
