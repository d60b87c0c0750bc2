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
 * For each chapter the plugin runs every cell in order (bake.ts), then replaces each
 * fence with the cell's markup: Shiki-highlighted code, the baked outputs, and the
 * controls the page script (client/) brings to life. A "Run all / Restart / Reset all"
 * bar goes before the first cell. The markup is the contract in docs/notebook.md.
 */
import { readFileSync, existsSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { createHighlighter, type Highlighter } from "shiki";
import { median, mib, type TwinTruth } from "../golden/golden.ts";
import { cellDomId } from "./cell-id.ts";
import { compileCell } from "./compile.ts";
import { formatNumber } from "./format.ts";
import { CellBuildError, itemsToHast, runChapter, type CellSource } from "./bake.ts";
import { CHAPTER_SEED } from "./protocol.ts";
import { h, type HElement, type HNode } from "./hast.ts";
import { attachNotebook, downloadLink } from "./jupyter/build.ts";
import type { Root, RootContent } from "mdast";

interface MdNode {
  type: string;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  children?: MdNode[];
  data?: { hName?: string; hProperties?: Record<string, unknown>; hChildren?: HNode[] };
}

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

/** The names a cell declares at its top level (the page names them in "x is not defined"). */
function declaredNames(code: string): string[] {
  try {
    return compileCell(code).declared;
  } catch {
    return []; // a cell meant to fail may not even parse
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
): Promise<HElement> {
  const id = cell.id;
  // Every id in the cell starts with "cell-": a cell never takes a heading's anchor.
  const dom = cellDomId(id);
  const label = title ?? `Cell ${id}`;
  // boot.ts adds ". Press Enter to edit." once the page script can keep that promise.
  const ts = await highlight(cell.code, "ts", `TypeScript code of ${label}`);
  const codePanel = h(
    "div",
    {
      className: ["nb-code"],
      id: `${dom}-ts`,
      "data-code": "",
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
    h("div", { className: ["nb-notice"], "data-notice": "", hidden: true }, []),
    h("div", { className: ["nb-progress"], "data-progress": "", hidden: true }, [
      h("progress", { "aria-label": `Running ${label}` }, []),
      h("span", { "data-progress-text": "" }, ["Running…"]),
    ]),
    h(
      "div",
      { className: ["nb-output"], "data-output": "", "aria-live": "polite", "data-origin": "build" },
      outputs,
    ),
  );
  return h(
    "section",
    {
      className: ["nb-cell", "not-content"],
      "data-cell": id,
      id: dom,
      "data-index": String(index),
      "data-declares": declaredNames(cell.code).join(" "),
      "aria-labelledby": `${dom}-label`,
    },
    parts,
  );
}

/** remark plugin: ```ts cell fences become notebook cells, run at build time. */
export default function remarkCells(options: CellOptions = {}) {
  const truthDir = options.truthDir ?? resolve("test/fixtures/go-truth");
  return async function transformer(
    root: Root,
    file: { readonly path?: string; readonly history?: string[]; data?: Record<string, unknown> },
  ): Promise<void> {
    const tree = root as unknown as MdNode;
    const path = file.path ?? file.history?.[0] ?? "chapter";
    const chapter = basename(path, extname(path));
    interface Found {
      parent: MdNode;
      node: MdNode;
      cell: CellSource;
      title: string | null;
      twin: Twin | null;
      twinNode: MdNode | null;
    }
    const found: Found[] = [];
    const ids = new Set<string>();
    const walk = (parent: MdNode): void => {
      const kids = parent.children ?? [];
      for (let i = 0; i < kids.length; i++) {
        const node = kids[i] as MdNode;
        if (node.type === "code" && (node.lang === "ts" || node.lang === "typescript") && node.meta) {
          const { word, attrs } = parseMeta(node.meta);
          if (word !== "cell") continue;
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
          const next = kids[i + 1];
          let twin: Twin | null = null;
          let twinNode: MdNode | null = null;
          if (
            next &&
            next.type === "code" &&
            next.lang === "go" &&
            parseMeta(next.meta ?? "").word === "twin"
          ) {
            const ref = parseMeta(next.meta ?? "").attrs["truth"];
            let truth: Twin["truth"] = null;
            if (typeof ref === "string") {
              const p = join(truthDir, `${ref}.json`);
              if (!existsSync(p))
                throw new CellBuildError(chapter, id, "-", `truth="${ref}" names ${p}, which does not exist`);
              truth = { ref, data: JSON.parse(readFileSync(p, "utf8")) as TwinTruth };
            }
            twin = { code: next.value ?? "", truth };
            twinNode = next;
          }
          const title = typeof attrs["title"] === "string" ? attrs["title"] : null;
          found.push({
            parent,
            node,
            cell: { id, code: node.value ?? "", throws: attrs["throws"] === true },
            title,
            twin,
            twinNode,
          });
        } else if (node.children) walk(node);
      }
    };
    walk(tree);
    if (found.length === 0) return;

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
      nodes: (tree.children ?? []) as unknown as RootContent[],
      cells: found.map((f, i) => ({
        node: f.node as unknown as RootContent,
        twinNode: f.twinNode as unknown as RootContent | null,
        id: f.cell.id,
        code: f.cell.code,
        title: f.title,
        twin: f.twin,
        items: runs[i]?.items ?? [],
      })),
    });
    for (const [index, f] of found.entries()) {
      const run = runs[index];
      const markup = await cellMarkup(f.cell, index, f.title, f.twin, itemsToHast(run?.items ?? []));
      const kids = f.parent.children ?? [];
      const at = kids.indexOf(f.node);
      const replacement: MdNode[] = [
        {
          type: "notebookCell",
          data: { hName: markup.tagName, hProperties: markup.properties, hChildren: markup.children },
        },
      ];
      if (index === 0) {
        const bar = toolbar(
          buildNote(
            runs.flatMap((r) => r.go),
            CHAPTER_SEED,
          ),
          downloadLink(chapter),
        );
        replacement.unshift({
          type: "notebookToolbar",
          data: { hName: bar.tagName, hProperties: bar.properties, hChildren: bar.children },
        });
      }
      kids.splice(at, f.twinNode ? 2 : 1, ...replacement);
    }
  };
}
