/**
 * The remark plugin that turns fenced code into notebook cells.
 *
 * Authoring (in a chapter's .mdx):
 *
 *     ```ts cell id="book-experiment" title="One million entries, then delete them"
 *     const rt = goRuntime({ go: "1.23" });
 *     ...
 *     ```
 *     ```go twin truth="go1.23/delete-all"
 *     package main
 *     ...
 *     ```
 *
 *   - `cell` marks a TypeScript fence as a cell; `id` is required, stable and unique in
 *     the chapter (its element is section[data-cell=<id>][id=cell-<id>], and
 *     #cell-<id> is its URL fragment); `title` is optional; `throws` says
 *     the cell is meant to fail (its error is shown, the build goes on).
 *   - A `go twin` fence right after a cell is the Go program the cell mirrors, shown in
 *     a tab beside the TypeScript. `truth="go1.XX/NAME"` names a measurement recorded on
 *     the real runtime, test/fixtures/go-truth/go1.XX/NAME.json, shown under the Go.
 *
 * For each chapter the plugin works in four steps:
 *   1. collectCells() walks the typed mdast tree (unist-util-visit) for cell fences and
 *      the Go twin right after each, checking ids;
 *   2. each twin's golden file is read through src/golden (files.ts);
 *   3. every cell runs in order (bake.ts), which gives its outputs and its inputs;
 *   4. each fence is replaced by the cell's markup: Shiki-highlighted code, the inputs
 *      as disabled form controls, the baked outputs, and the buttons the page script
 *      (client/) brings to life. A "Run all / Restart / Reset all" bar goes before the
 *      first cell.
 *
 * Markdown in:
 *
 *     ```ts cell id="fill" title="Fill"
 *     const n = input.range("entries", [1_000, 1_000_000], { value: 1_000 });
 *     display(n);
 *     ```
 *
 * HTML out (abridged; the attribute names are dom-contract.ts's, the whole tree is
 * docs/notebook.md's "The DOM contract"):
 *
 *     <section data-cell="fill" id="cell-fill" data-declares="n" data-uses="input display">
 *       <div class="nb-cell-head">[ ] Fill … Run Stop Reset Share Copy link</div>
 *       <div data-code><pre>…</pre></div>
 *       <fieldset data-inputs disabled><legend>Inputs</legend> <div data-input="entries">…</div></fieldset>
 *       <div data-notice hidden></div> <div data-progress hidden>…</div>
 *       <div data-output aria-live="polite" data-origin="build"><pre class="nb-text">1,000</pre></div>
 *     </section>
 */
import { basename, extname, resolve } from "node:path";
import { createHighlighter, type Highlighter } from "shiki";
import { median, mib, type TwinTruth } from "../golden/golden.ts";
import { cellDomId } from "./cell-id.ts";
import { compileCell, usedNames } from "./compile.ts";
import { formatNumber } from "./format.ts";
import { CellBuildError, inputsToHast, itemsToHast, runChapter, type CellSource } from "./bake.ts";
import { CHAPTER_SEED } from "./protocol.ts";
import { h, type HElement, type HNode } from "./hast.ts";
import { attachNotebook, downloadLink } from "./jupyter/build.ts";
import type { Code, Parent, Root, RootContent } from "mdast";
import { visit } from "unist-util-visit";
import { readTwinTruth } from "../golden/files.ts";
import { ATTR } from "./dom-contract.ts";

export interface CellOptions {
  /** Where the real runtime's measurements live (default test/fixtures/go-truth). */
  truthDir?: string;
  /** The site's address (astro.config.mjs `site`): the chapter's notebook imports the model from it. */
  site?: string;
}

/** key="value", key='value', key=value and bare flags, after the leading word. */
export function parseMeta(meta: string): { word: string; attrs: Record<string, string | true> } {
  const attrs: Record<string, string | true> = {};
  const re = /([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;
  let word = "";
  let m: RegExpExecArray | null;
  while ((m = re.exec(meta))) {
    const [, key = "", dq, sq, bare] = m;
    if (!word && dq === undefined && sq === undefined && bare === undefined) {
      word = key;
      continue;
    }
    attrs[key] = dq ?? sq ?? bare ?? true;
  }
  return { word, attrs };
}

/**
 * The names a cell declares at its top level (the page names them in "x is not defined")
 * and the names it reads (the page re-runs it when an input changes one of them).
 */
function cellNames(code: string): { declared: string[]; used: string[] } {
  try {
    const { declared } = compileCell(code);
    return { declared, used: usedNames(code, declared) };
  } catch {
    return { declared: [], used: [] }; // a cell meant to fail may not even parse
  }
}

let highlighter: Promise<Highlighter> | null = null;
function shiki(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: ["github-light-high-contrast", "github-dark-high-contrast"],
    langs: ["ts", "go"],
  });
  return highlighter;
}

async function highlight(code: string, lang: "ts" | "go", label: string): Promise<HElement> {
  const hl = await shiki();
  const root = hl.codeToHast(code, {
    lang,
    themes: { light: "github-light-high-contrast", dark: "github-dark-high-contrast" },
    defaultColor: "light",
  });
  const pre = root.children.find((c) => c.type === "element") as unknown as HElement;
  pre.properties["tabIndex"] = 0;
  pre.properties["aria-label"] = label;
  return pre;
}

/** A median HeapAlloc: MiB for large heaps, exact bytes below 1 MiB (where MiB would read "0.0"). */
function heapText(bytes: number): string {
  return bytes < 2 ** 20 ? `${formatNumber(Math.round(bytes))} B` : mib(bytes);
}

function truthTable(truth: TwinTruth, ref: string): HElement {
  // Samples taken inside a loop ("ins@50000") are left out: the table is the story's
  // milestones; the JSON file has every sample.
  const milestones = truth.snapshots.filter((s) => !s.label.includes("@"));
  const rows = milestones.map((s) =>
    h("tr", {}, [
      h("td", {}, [s.label]),
      h("td", {}, [heapText(s.heapAllocMedian ?? median(s.heapAlloc))]),
      h("td", {}, [formatNumber(s.heapAlloc.length)]),
      h("td", {}, [formatNumber(median(s.numGC))]),
      h("td", {}, [formatNumber(s.len)]),
    ]),
  );
  const th = (t: string): HElement => h("th", { scope: "col" }, [t]);
  return h("div", { className: ["nb-truth"], "data-truth": ref }, [
    h("table", {}, [
      h("caption", {}, [
        `Measured on the real runtime — ${truth.go.replace(/^go version /, "")}, scenario ${truth.scenario}, median of ${formatNumber(truth.runs ?? milestones[0]?.heapAlloc.length ?? 0)} runs`,
      ]),
      h("thead", {}, [
        h("tr", {}, [th("Snapshot"), th("HeapAlloc (median)"), th("Runs"), th("NumGC"), th("len")]),
      ]),
      h("tbody", {}, rows),
    ]),
  ]);
}

function button(action: string, text: string, extra: HElement["properties"] = {}): HElement {
  return h("button", { type: "button", className: ["nb-btn"], "data-action": action, ...extra }, [text]);
}

/** "1.23", "1.23 and 1.24", "1.19, 1.23 and 1.24": releases in numeric order. */
export function releaseList(go: string[]): string {
  const sorted = [...new Set(go)].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return sorted.length <= 1
    ? (sorted[0] ?? "")
    : `${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1) ?? ""}`;
}

/** What the page says when scripts are off: where its outputs came from. */
export function buildNote(go: string[], seed: number): string {
  const model =
    go.length > 0 ? `model of Go ${releaseList(go)} on linux/amd64, seed ${seed}` : `seed ${seed}`;
  return `JavaScript is off: the outputs below were computed when this site was built (${model}). Turn JavaScript on to edit and run the cells.`;
}

/**
 * The notebook bar. Its buttons and status line need the page script: the stylesheet
 * shows them only under `html.js` (set by an inline script in the head, see
 * astro.config.mjs); without scripts the bar shows `note` instead. `download` is the
 * chapter's "Download .ipynb" link, which needs no script.
 */
export function toolbar(note: string, download: HElement | null = null): HElement {
  return h(
    "div",
    {
      className: ["nb-toolbar", "not-content"],
      role: "group",
      "aria-label": "Notebook",
      "data-notebook-toolbar": "",
    },
    [
      button("run-all", "Run all"),
      button("restart", "Restart"),
      button("reset-all", "Reset all"),
      download,
      h("span", { className: ["nb-kernel"], role: "status", "data-kernel-status": "" }, [
        "Outputs below were computed when the site was built. Edit any cell and press Run (Shift+Enter).",
      ]),
      h("p", { className: ["nb-nojs"], "data-nojs-note": "" }, [note]),
    ],
  );
}

/** A panel's name, shown when the tabs are not (no scripts, print). */
function panelLabel(text: string): HElement {
  return h("p", { className: ["nb-panel-label"], "data-panel-label": "" }, [text]);
}

interface Twin {
  code: string;
  truth: { ref: string; data: TwinTruth } | null;
}

async function cellMarkup(
  cell: CellSource,
  index: number,
  title: string | null,
  twin: Twin | null,
  outputs: HNode[],
  inputs: HNode | null,
): Promise<HElement> {
  const id = cell.id;
  // Every id in the cell starts with "cell-": a cell never takes a heading's anchor.
  const dom = cellDomId(id);
  const label = title ?? `Cell ${id}`;
  const names = cellNames(cell.code);
  // boot.ts adds ". Press Enter to edit." once the page script can keep that promise.
  const ts = await highlight(cell.code, "ts", `TypeScript code of ${label}`);
  const codePanel = h(
    "div",
    {
      className: ["nb-code"],
      id: `${dom}-ts`,
      [ATTR.code]: "",
    },
    twin ? [panelLabel("TypeScript (model)"), ts] : [ts],
  );
  const parts: (HNode | null)[] = [
    h("div", { className: ["nb-cell-head"] }, [
      h("span", { className: ["nb-count"], "data-count": "", title: "Execution count" }, ["[ ]"]),
      h("span", { className: ["nb-title"], id: `${dom}-label` }, [label]),
      h("span", { className: ["nb-state"], "data-state-text": "" }, ["output from the build"]),
      h("span", { className: ["nb-actions"], role: "group", "aria-label": `Actions for ${label}` }, [
        button("run", "Run", { "aria-keyshortcuts": "Shift+Enter Control+Enter Meta+Enter" }),
        button("stop", "Stop"),
        button("reset", "Reset"),
        button("share", "Share"),
        button("copy-link", "Copy link", { "aria-label": `Copy link to ${label}` }),
      ]),
    ]),
  ];
  if (twin) {
    parts.push(
      // Shown only with scripts (html.js), which also make the panels tabpanels (boot.ts):
      // without them both panels are plain sections, each under its own label.
      h("div", { className: ["nb-tabs"], role: "tablist", "aria-label": `Language of ${label}` }, [
        h(
          "button",
          {
            type: "button",
            role: "tab",
            id: `${dom}-tab-ts`,
            "aria-controls": `${dom}-ts`,
            "aria-selected": "true",
            className: ["nb-tab"],
          },
          ["TypeScript (model)"],
        ),
        h(
          "button",
          {
            type: "button",
            role: "tab",
            id: `${dom}-tab-go`,
            "aria-controls": `${dom}-go`,
            "aria-selected": "false",
            tabIndex: -1,
            className: ["nb-tab"],
          },
          ["Go (real runtime)"],
        ),
      ]),
    );
  }
  parts.push(codePanel);
  if (twin) {
    const go = await highlight(twin.code, "go", `Go program mirrored by ${label}`);
    parts.push(
      h(
        "div",
        {
          className: ["nb-go"],
          id: `${dom}-go`,
          "data-go": "",
        },
        [
          panelLabel("Go (real runtime)"),
          go,
          twin.truth
            ? truthTable(twin.truth.data, twin.truth.ref)
            : h("p", { className: ["nb-more"] }, [
                "No measurement of the real runtime is recorded for this program yet.",
              ]),
        ],
      ),
    );
  }
  parts.push(
    // The inputs, above the outputs (inputs/controls.ts), disabled until the page script runs.
    inputs,
    h("div", { className: ["nb-notice"], [ATTR.notice]: "", hidden: true }, []),
    h("div", { className: ["nb-progress"], [ATTR.progress]: "", hidden: true }, [
      h("progress", { "aria-label": `Running ${label}` }, []),
      h("span", { "data-progress-text": "" }, ["Running…"]),
    ]),
    h(
      "div",
      { className: ["nb-output"], [ATTR.output]: "", "aria-live": "polite", "data-origin": "build" },
      outputs,
    ),
  );
  return h(
    "section",
    {
      className: ["nb-cell", "not-content"],
      [ATTR.cell]: id,
      id: dom,
      "data-index": String(index),
      [ATTR.declares]: names.declared.join(" "),
      [ATTR.uses]: names.used.join(" "),
      "aria-labelledby": `${dom}-label`,
    },
    parts,
  );
}

/** A cell fence found in the chapter, with its Go twin (the fence right after it), if any. */
interface Found {
  parent: Parent;
  node: Code;
  twinNode: Code | null;
  cell: CellSource;
  title: string | null;
  /** The twin's golden file, named by `truth=`: read in step 2. */
  truthRef: string | null;
}

const isTsCell = (node: Code): boolean =>
  (node.lang === "ts" || node.lang === "typescript") && parseMeta(node.meta ?? "").word === "cell";
const isTwin = (node: RootContent | undefined): node is Code =>
  node?.type === "code" && node.lang === "go" && parseMeta(node.meta ?? "").word === "twin";

/** Step 1: the chapter's cells in document order, their ids checked. */
export function collectCells(root: Root, chapter: string): Found[] {
  const found: Found[] = [];
  const ids = new Set<string>();
  visit(root, "code", (node: Code, index, parent) => {
    if (!parent || index === undefined || !isTsCell(node)) return;
    const { attrs } = parseMeta(node.meta ?? "");
    const id = attrs["id"];
    if (typeof id !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      throw new CellBuildError(
        chapter,
        String(id ?? "?"),
        "-",
        'a cell needs id="lower-case-words" (letters, digits, dashes)',
      );
    }
    if (ids.has(id)) throw new CellBuildError(chapter, id, "-", "two cells have this id");
    ids.add(id);
    const next = parent.children[index + 1];
    const twinNode = isTwin(next) ? next : null;
    const ref = twinNode ? parseMeta(twinNode.meta ?? "").attrs["truth"] : undefined;
    found.push({
      parent,
      node,
      twinNode,
      cell: { id, code: node.value, throws: attrs["throws"] === true },
      title: typeof attrs["title"] === "string" ? attrs["title"] : null,
      truthRef: typeof ref === "string" ? ref : null,
    });
  });
  return found;
}

/** Step 2: each twin's golden file, read through src/golden (a missing one fails the build). */
function loadTwins(found: Found[], chapter: string, truthDir: string): (Twin | null)[] {
  return found.map((f) => {
    if (!f.twinNode) return null;
    if (f.truthRef === null) return { code: f.twinNode.value, truth: null };
    const data = readTwinTruth(truthDir, f.truthRef);
    if (typeof data === "string") throw new CellBuildError(chapter, f.cell.id, "-", data);
    return { code: f.twinNode.value, truth: { ref: f.truthRef, data } };
  });
}

/** An hast element as an mdast node MDX emits as it is. */
function htmlNode(type: string, el: HElement): RootContent {
  return {
    type,
    data: { hName: el.tagName, hProperties: el.properties, hChildren: el.children },
  } as unknown as RootContent;
}

/** remark plugin: ```ts cell fences become notebook cells, run at build time. */
export default function remarkCells(options: CellOptions = {}) {
  const truthDir = options.truthDir ?? resolve("test/fixtures/go-truth");
  return async function transformer(
    root: Root,
    file: { readonly path?: string; readonly history?: string[]; data?: Record<string, unknown> },
  ): Promise<void> {
    const path = file.path ?? file.history?.[0] ?? "chapter";
    const chapter = basename(path, extname(path));
    const found = collectCells(root, chapter);
    if (found.length === 0) return;
    const twins = loadTwins(found, chapter, truthDir);

    // Step 3: run every cell in order (bake.ts).
    const runs = await runChapter(
      chapter,
      found.map((f) => f.cell),
    );
    // The chapter as a Jupyter notebook (src/notebook/jupyter/), from the fences still in place.
    file.data ??= {};
    attachNotebook(file as { data: Record<string, unknown> }, {
      chapter,
      site: options.site ?? "http://127.0.0.1:4321/",
      truthDir,
      nodes: root.children,
      cells: found.map((f, i) => ({
        node: f.node,
        twinNode: f.twinNode,
        id: f.cell.id,
        code: f.cell.code,
        title: f.title,
        twin: twins[i] ?? null,
        items: runs[i]?.items ?? [],
      })),
    });

    // Step 4: each fence (and its twin) becomes the cell's markup; the bar goes before the first.
    for (const [index, f] of found.entries()) {
      const run = runs[index];
      const markup = await cellMarkup(
        f.cell,
        index,
        f.title,
        twins[index] ?? null,
        itemsToHast(run?.items ?? []),
        inputsToHast(cellDomId(f.cell.id), run?.inputs ?? []),
      );
      const replacement = [htmlNode("notebookCell", markup)];
      if (index === 0) {
        const bar = toolbar(
          buildNote(
            runs.flatMap((r) => r.go),
            CHAPTER_SEED,
          ),
          downloadLink(chapter),
        );
        replacement.unshift(htmlNode("notebookToolbar", bar));
      }
      const kids = f.parent.children;
      kids.splice(kids.indexOf(f.node as never), f.twinNode ? 2 : 1, ...(replacement as never[]));
    }
  };
}
