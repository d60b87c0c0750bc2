/**
 * The page script every page loads (a few KB). It does what needs no kernel:
 *
 *   - a "Copy link" button beside every heading, and the cells' own Copy link;
 *   - the TypeScript / Go tabs of cells with a Go twin;
 *   - a cell's inputs, baked disabled, are enabled; changing one loads the notebook,
 *     which re-runs the cell (notebook-ui.ts, cell-inputs.ts);
 *   - an old link to a cell, `#<id>`, that matches no element is sent on to the
 *     cell's own fragment `#cell-<id>` (cell-id.ts; a heading with that id keeps it);
 *   - it loads the notebook (editor + kernel, notebook-ui.ts) on the first
 *     interaction with a cell or the notebook bar — or at once when the page has
 *     something to restore (edits saved in this browser, a shared cell or input values
 *     in the URL).
 *     If that load fails (offline, or a chunk gone after a deployment), the page says
 *     so (load-errors.ts), keeps every output, and tries again at the next interaction.
 *
 * Until then a cell is static HTML: highlighted code and the outputs baked at build.
 * Without scripts the page stays that way, and says so: the stylesheet shows the
 * controls and the tabs only under `html.js`, which an inline script in the head sets
 * (astro.config.mjs), and shows the bar's "JavaScript is off" note otherwise.
 */
import { copyText, announce } from "./announce.ts";
import { cellDomId } from "../cell-id.ts";
import { hasShare } from "./share-url.ts";
import { ATTR, sel } from "../dom-contract.ts";
import { hasInputs } from "../inputs/url.ts";
import { enableInputs } from "./input-dom.ts";
import { hasEdits } from "./storage.ts";
import { reportLoadFailure, retryingImport } from "./load-errors.ts";

type Ui = typeof import("./notebook-ui.ts");

const importUi = retryingImport<Ui>(() => import("./notebook-ui.ts"), "mount");
let ui: Promise<Ui | null> | null = null;
/** The notebook, mounted; null when its code did not load (reported in `cell`, if any). */
function loadUi(cell: HTMLElement | null = null): Promise<Ui | null> {
  ui ??= importUi().then(
    async (mod) => {
      await mod.mount();
      return mod;
    },
    (error: unknown) => {
      ui = null;
      reportLoadFailure("editor", error, cell);
      return null;
    },
  );
  return ui;
}

function pageUrl(fragment: string): string {
  return `${location.origin}${location.pathname}#${fragment}`;
}

/** The author's id of a cell element (`data-cell`). */
const cellId = (el: HTMLElement): string => el.dataset["cell"] ?? "";

/** `#<id>` of a cell, from before cells had `#cell-<id>`: send it on to the cell. */
function followOldCellLink(): void {
  let id: string;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  if (!id || document.getElementById(id)) return;
  const cell = [...document.querySelectorAll<HTMLElement>("[data-cell]")].find((c) => cellId(c) === id);
  if (cell) location.replace(`#${cellDomId(id)}`);
}

function headingButtons(): void {
  const headings = document.querySelectorAll<HTMLElement>(".sl-markdown-content :is(h2, h3, h4)[id]");
  for (const heading of headings) {
    const text = heading.textContent?.trim() ?? heading.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "nb-copy-heading";
    button.dataset["action"] = "copy-heading";
    button.dataset["target"] = heading.id;
    button.setAttribute("aria-label", `Copy link to section “${text}”`);
    button.textContent = "Copy link";
    const wrapper = heading.closest(".sl-heading-wrapper") ?? heading;
    wrapper.append(button);
  }
}

function selectTab(tab: HTMLElement): void {
  const list = tab.closest('[role="tablist"]');
  if (!list) return;
  for (const t of list.querySelectorAll<HTMLElement>('[role="tab"]')) {
    const selected = t === tab;
    t.setAttribute("aria-selected", String(selected));
    t.tabIndex = selected ? 0 : -1;
    const panel = document.getElementById(t.getAttribute("aria-controls") ?? "");
    if (panel) panel.hidden = !selected;
  }
}

function setupTabs(): void {
  for (const list of document.querySelectorAll<HTMLElement>('.nb-cell [role="tablist"]')) {
    const tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
    // The build leaves the panels plain labelled sections (right without scripts);
    // with the tabs live they become tab panels.
    for (const tab of tabs) {
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      panel?.setAttribute("role", "tabpanel");
      panel?.setAttribute("aria-labelledby", tab.id);
    }
    const first = tabs[0];
    if (first) selectTab(first);
    list.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(document.activeElement as HTMLElement);
      if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
      const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      if (next) {
        selectTab(next);
        next.focus();
        e.preventDefault();
      }
    });
  }
}

const CHART = ".nb-plot, .nb-heap, .nb-map";

/** A chart wider than its column scrolls sideways (notebook.css); Tab reaches it then. */
function markScrolling(fig: HTMLElement): void {
  const scrolls = fig.scrollWidth > fig.clientWidth;
  if (scrolls === fig.hasAttribute("tabindex")) return;
  // A <figure> is named by its caption; a plot's <div> takes its chart's name.
  const named = fig.localName !== "figure";
  if (scrolls) {
    fig.tabIndex = 0;
    if (named) {
      fig.setAttribute("role", "group");
      fig.setAttribute(
        "aria-label",
        fig.querySelector("svg[aria-label]")?.getAttribute("aria-label") ?? "Chart",
      );
    }
  } else {
    fig.removeAttribute("tabindex");
    if (named) {
      fig.removeAttribute("role");
      fig.removeAttribute("aria-label");
    }
  }
}

function watchCharts(root: Element): void {
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) markScrolling(entry.target as HTMLElement);
  });
  const watch = (node: Element): void => {
    if (node.matches(CHART)) sizes.observe(node);
    for (const fig of node.querySelectorAll(CHART)) sizes.observe(fig);
  };
  watch(root);
  // Runs replace outputs: charts drawn later are watched too.
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) if (node instanceof Element) watch(node);
  }).observe(root, { childList: true, subtree: true });
}

function hasSomethingToRestore(cells: NodeListOf<HTMLElement>): boolean {
  const url = new URL(location.href);
  if (hasShare(url) || hasInputs(url, [...cells].map(cellId))) return true;
  return hasEdits([...cells].map(cellId));
}

function start(): void {
  headingButtons();
  const cells = document.querySelectorAll<HTMLElement>("[data-cell]");

  document.addEventListener("click", (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>("[data-action], [role='tab']");
    if (!target) return;
    if (target.getAttribute("role") === "tab") {
      selectTab(target);
      return;
    }
    const action = target.dataset["action"] ?? "";
    const cell = target.closest<HTMLElement>("[data-cell]");
    if (action === "copy-heading") {
      void copyText(pageUrl(target.dataset["target"] ?? "")).then((ok) =>
        announce(ok ? "Link to the section copied." : "Could not copy the link."),
      );
      return;
    }
    if (action === "copy-link" && cell) {
      void copyText(pageUrl(cellDomId(cellId(cell)))).then((ok) =>
        announce(ok ? "Link to the cell copied." : "Could not copy the link."),
      );
      return;
    }
    if (!cell && !target.closest("[data-notebook-toolbar]")) return;
    void loadUi(cell).then((mod) => mod?.action(action, cell));
  });

  if (cells.length === 0) return;
  followOldCellLink();
  window.addEventListener("hashchange", followOldCellLink);
  setupTabs();
  watchCharts(document.querySelector(".sl-markdown-content") ?? document.body);
  // The editor is one key away now; the build's label could not promise it.
  for (const pre of document.querySelectorAll<HTMLElement>(".nb-cell [data-code] pre[aria-label]"))
    pre.setAttribute("aria-label", `${pre.getAttribute("aria-label") ?? ""}. Press Enter to edit.`);

  // First interaction with a cell's code: load the editor and the kernel.
  const wake = (event: Event): void => {
    const target = event.target as Element | null;
    const cell = target?.closest<HTMLElement>("[data-cell]");
    // Once the editor is there, its own keymap runs the cell.
    if (!cell || !target?.closest("[data-code]") || target.closest(".cm-editor")) return;
    const keyboard = event instanceof KeyboardEvent;
    if (keyboard && event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void loadUi(cell).then((mod) => mod?.action("run", cell));
      return;
    }
    if (keyboard && event.key !== "Enter") return;
    if (keyboard) event.preventDefault();
    void loadUi(cell).then((mod) => mod?.focusEditor(cell));
  };
  document.addEventListener("pointerdown", wake);
  document.addEventListener("keydown", wake);
  document.addEventListener("focusin", (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>(
      "[data-cell], [data-notebook-toolbar]",
    );
    if (target) void loadUi(target.closest<HTMLElement>("[data-cell]"));
  });

  // Inputs: the build bakes them disabled (right without scripts); they work from now on.
  enableInputs(document);
  const onInput = (event: Event): void => {
    const control = (event.target as Element | null)?.closest(sel(ATTR.input));
    const cell = control?.closest<HTMLElement>(sel(ATTR.cell));
    if (control && cell) void loadUi(cell).then((mod) => mod?.action("input", cell, control));
  };
  // Every control fires "input" (a slider while it moves, a select or checkbox once).
  document.addEventListener("input", onInput);

  if (hasSomethingToRestore(cells)) void loadUi();
}

start();
