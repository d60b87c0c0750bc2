/**
 * The notebook, awake: editors, the chapter's kernel, outputs, controls. Loaded by
 * boot.ts on the first interaction; never before.
 *
 * State per cell: its original code (the build's), the editor, an execution count
 * [n], the sequence number of its last run (for stale marking) and a notice line.
 *
 * Runs are queued and sent to the kernel one at a time. Outputs render as they
 * arrive; a live chart's updates are coalesced so it is redrawn at most once per
 * animation frame, whatever the worker's message rate.
 *
 * Stop and Restart terminate the worker (the only way to stop a busy loop) and start
 * a fresh one; the chapter's variables are lost and the page says so. A worker that
 * dies on its own (an uncaught error outside a run, a crash) is reported and replaced.
 */
import type { EditorView } from "@codemirror/view";
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import type { FromWorker, OutputItem } from "../protocol.ts";
import { renderItem, type PlotModule } from "../render.ts";
import { announce, copyText } from "./announce.ts";
import { createEditor, setDoc } from "./editor.ts";
import { lazy, LoadFailure, loadFailureAlert, reportLoadFailure } from "./load-errors.ts";
import {
  abandonRun,
  beginRun,
  drawFailure,
  endRun,
  keepPrevious,
  showOutput,
  showsRun,
} from "./output-swap.ts";

interface CellState {
  el: HTMLElement;
  id: string;
  index: number;
  label: string;
  original: string;
  editor: EditorView;
  count: number | null;
  lastSeq: number;
  shared: boolean;
}

interface PendingRun {
  runId: number;
  cell: CellState;
  started: number;
  ops: number;
  resolve: (ok: boolean) => void;
}

const STORAGE = (id: string): string => `nb:v1:${location.pathname}:${id}`;
const cells = new Map<string, CellState>();
let order: CellState[] = [];

// ---- storage -------------------------------------------------------------------

function loadSaved(id: string): string | null {
  try {
    return localStorage.getItem(STORAGE(id));
  } catch {
    return null;
  }
}

function save(cell: CellState, doc: string): void {
  try {
    if (doc === cell.original) localStorage.removeItem(STORAGE(cell.id));
    else localStorage.setItem(STORAGE(cell.id), doc);
  } catch {
    // Storage full or blocked: edits live until the page closes.
  }
}

// ---- small DOM helpers -----------------------------------------------------------

function part<T extends HTMLElement = HTMLElement>(cell: CellState, selector: string): T {
  const el = cell.el.querySelector<T>(selector);
  if (!el) throw new Error(`cell ${cell.id}: no ${selector}`);
  return el;
}

function notice(cell: CellState, text: string | null, kind: "info" | "warn" = "info"): void {
  const el = part(cell, "[data-notice]");
  el.hidden = text === null;
  el.textContent = text ?? "";
  el.dataset["kind"] = kind;
}

function stateText(cell: CellState, text: string): void {
  part(cell, "[data-state-text]").textContent = text;
}

function setCount(cell: CellState, text: string): void {
  part(cell, "[data-count]").textContent = text;
}

function kernelStatus(text: string): void {
  const el = document.querySelector<HTMLElement>("[data-kernel-status]");
  if (el) el.textContent = text;
}

// ---- Plot, loaded when the first figure arrives -----------------------------------------

let plot: Promise<PlotModule> | null = null;
function loadPlot(): Promise<PlotModule> {
  plot ??= lazy("plot", () => import("@observablehq/plot")).then(
    (m) => m as unknown as PlotModule,
    (error: unknown) => {
      plot = null; // try again at the next figure
      throw error;
    },
  );
  return plot;
}

// ---- the kernel --------------------------------------------------------------------------

let worker: Worker | null = null;
let nextRunId = 1;
let current: PendingRun | null = null;
const queue: { cell: CellState; resolve: (ok: boolean) => void }[] = [];
let executionCount = 0;
let seq = 0;
let ready: Promise<void> = Promise.resolve();
let ticker: ReturnType<typeof setInterval> | undefined;

function startWorker(): void {
  const w = new Worker(new URL("../worker.ts", import.meta.url), { type: "module", name: "notebook-kernel" });
  worker = w;
  let started = false;
  document.documentElement.dataset["kernel"] = "starting";
  ready = new Promise((resolve) => {
    const onReady = (e: MessageEvent<FromWorker>): void => {
      if (e.data.type === "ready") {
        started = true;
        w.removeEventListener("message", onReady);
        document.documentElement.dataset["kernel"] = "idle";
        resolve();
      }
    };
    w.addEventListener("message", onReady);
  });
  w.addEventListener("message", (e: MessageEvent<FromWorker>) => onMessage(e.data));
  w.addEventListener("error", (e) => {
    e.preventDefault();
    if (started) crashed(e.message || "the worker stopped unexpectedly");
    else failedToStart(e.message || undefined);
  });
  w.addEventListener("messageerror", () => crashed("a message from the kernel could not be read"));
}

/** Ends the worker and every run, queued or running; starts a fresh kernel unless told not to. */
function replaceWorker(fresh = true): CellState | null {
  worker?.terminate();
  worker = null;
  const stopped = current?.cell ?? null;
  if (current) abandonRun(part(current.cell, "[data-output]"), current.runId);
  current?.resolve(false);
  current = null;
  for (const q of queue.splice(0)) q.resolve(false);
  for (const cell of order) {
    cell.el.removeAttribute("data-running");
    part(cell, "[data-progress]").hidden = true;
    if (cell.count !== null) {
      cell.el.dataset["stale"] = "";
      stateText(cell, "state lost: the kernel was restarted");
    }
  }
  executionCount = 0;
  if (fresh) startWorker();
  return stopped;
}

/** The worker's script did not load (offline, or gone after a deployment): say so, and
 * start no replacement until the next run asks for one. */
function failedToStart(reason: string | undefined): void {
  const victim = replaceWorker(false);
  document.documentElement.dataset["kernel"] = "unavailable";
  if (victim) {
    setCount(victim, victim.count === null ? "[ ]" : `[${victim.count}]`);
    stateText(victim, "not run: no kernel");
  }
  reportLoadFailure("kernel", reason, victim?.el ?? null);
}

function crashed(reason: string): void {
  const victim = replaceWorker();
  const text = `The kernel crashed (${reason}) and was replaced by a fresh one. This chapter's variables are lost: run the cells again (Run all).`;
  if (victim) {
    notice(victim, text, "warn");
    const out = part(victim, "[data-output]");
    const alert = document.createElement("div");
    alert.className = "nb-error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    out.append(alert);
  }
  kernelStatus(text);
  announce(text);
}

function schedule(cell: CellState): Promise<boolean> {
  return new Promise((resolve) => {
    queue.push({ cell, resolve });
    if (!cell.el.hasAttribute("data-running")) setCount(cell, "[*]");
    pump();
  });
}

function pump(): void {
  if (current) return;
  if (!worker && queue.length > 0) startWorker(); // after a kernel that failed to start
  if (!worker) return;
  const next = queue.shift();
  if (!next) return;
  const { cell } = next;
  const runId = nextRunId++;
  current = { runId, cell, started: performance.now(), ops: 0, resolve: next.resolve };
  const out = part(cell, "[data-output]");
  beginRun(out, runId); // the old outputs stay until the new ones are drawn
  out.removeAttribute("data-renders");
  cell.el.dataset["running"] = "";
  cell.el.removeAttribute("data-stale");
  setCount(cell, "[*]");
  stateText(cell, "running…");
  const progress = part(cell, "[data-progress]");
  progress.hidden = false;
  part(cell, "[data-progress-text]").textContent = "Running…";
  // Elapsed time, also for cells that report no operations (no live chart).
  clearInterval(ticker);
  ticker = setInterval(() => {
    if (current?.runId !== runId) return clearInterval(ticker);
    if (current.ops === 0) {
      const s = ((performance.now() - current.started) / 1000).toFixed(1);
      part(cell, "[data-progress-text]").textContent = `Running… ${s} s`;
    }
  }, 250);
  document.documentElement.dataset["kernel"] = "busy";
  const w = worker;
  void ready.then(() => {
    if (worker === w && current?.runId === runId)
      w.postMessage({ type: "run", runId, cellId: cell.id, code: cell.editor.state.doc.toString() });
  });
}

// Rendering: items in order, live charts coalesced per animation frame.
let renderChain: Promise<void> = Promise.resolve();
const pendingUpdates = new Map<string, { cell: CellState; item: OutputItem }>();
let frameRequested = false;

async function draw(item: OutputItem): Promise<HTMLElement> {
  const needsPlot = item.kind === "plot" || item.kind === "heap";
  return renderItem(item, document, needsPlot ? await loadPlot() : null);
}

function appendItem(cell: CellState, runId: number, item: OutputItem): void {
  renderChain = renderChain
    .then(async () => {
      showOutput(part(cell, "[data-output]"), runId, await draw(item));
    })
    .catch((error: unknown) => {
      const out = part(cell, "[data-output]");
      if (error instanceof LoadFailure) {
        keepPrevious(out, runId, loadFailureAlert(error.part, error));
        reportLoadFailure(error.part, error, null);
      } else showOutput(out, runId, drawFailure(error));
    });
}

function flushFrame(): void {
  frameRequested = false;
  for (const [key, { cell, item }] of pendingUpdates) {
    pendingUpdates.delete(key);
    // Only over the run's own drawing: a chart whose Plot did not load kept the old outputs.
    if (item.kind !== "heap" || !showsRun(part(cell, "[data-output]"))) continue;
    void loadPlot().then((Plot) => {
      const old = cell.el.querySelector(`[data-output] [data-heap="${item.id}"]`);
      const el = renderItem(item, document, Plot);
      if (old) old.replaceWith(el);
      else part(cell, "[data-output]").append(el);
      const out = part(cell, "[data-output]");
      out.dataset["renders"] = String(Number(out.dataset["renders"] ?? 0) + 1);
    });
  }
}

function queueUpdate(cell: CellState, item: OutputItem): void {
  if (item.kind !== "heap") return;
  pendingUpdates.set(`${cell.id}:${item.id}`, { cell, item });
  if (!frameRequested) {
    frameRequested = true;
    // Wait for the item's first drawing, then draw at most once per frame.
    void renderChain.then(() => requestAnimationFrame(flushFrame));
  }
}

function onMessage(msg: FromWorker): void {
  if (msg.type === "ready" || !current || msg.runId !== current.runId) return;
  const run = current;
  const cell = run.cell;
  switch (msg.type) {
    case "output":
      appendItem(cell, run.runId, msg.item);
      if (msg.item.kind === "error" && msg.item.line !== null)
        selectLine(cell, msg.item.line, msg.item.col ?? 1);
      break;
    case "update":
      queueUpdate(cell, msg.item);
      break;
    case "progress": {
      run.ops = msg.ops;
      const s = ((performance.now() - run.started) / 1000).toFixed(1);
      part(cell, "[data-progress-text]").textContent =
        `Running… ${s} s, ${msg.ops.toLocaleString("en-US")} operations`;
      break;
    }
    case "done": {
      current = null;
      executionCount++;
      seq++;
      cell.count = executionCount;
      cell.lastSeq = seq;
      setCount(cell, `[${executionCount}]`);
      cell.el.removeAttribute("data-running");
      cell.el.dataset["ok"] = String(msg.ok);
      part(cell, "[data-progress]").hidden = true;
      stateText(cell, msg.ok ? `ran in ${Math.round(msg.ms)} ms` : "failed");
      for (const later of order) {
        if (later.index > cell.index && later.lastSeq < seq) {
          later.el.dataset["stale"] = "";
          stateText(later, "stale: a cell above it ran since");
        }
      }
      document.documentElement.dataset["kernel"] = "idle";
      void renderChain
        .then(() => new Promise<void>((r) => requestAnimationFrame(() => r())))
        .then(() => {
          endRun(part(cell, "[data-output]"), run.runId);
          cell.el.dataset["done"] = String(run.runId);
          run.resolve(msg.ok);
          announce(`${cell.label}: ${msg.ok ? "done" : "failed"}.`);
        });
      pump();
      break;
    }
  }
}

/** Puts the editor's cursor where an error happened (without taking focus). */
function selectLine(cell: CellState, line: number, col: number): void {
  const doc = cell.editor.state.doc;
  if (line < 1 || line > doc.lines) return;
  const l = doc.line(line);
  cell.editor.dispatch({
    selection: { anchor: Math.min(l.from + Math.max(0, col - 1), l.to) },
    scrollIntoView: true,
  });
}

// ---- actions -------------------------------------------------------------------------------

function stop(cell: CellState | null): void {
  const running = current?.cell ?? null;
  if (!running && queue.length === 0) {
    if (cell) notice(cell, "Nothing is running.");
    return;
  }
  const victim = replaceWorker();
  const text =
    "Stopped. The kernel was restarted, so this chapter's state was lost: every variable from earlier cells is gone. Run the cells again (Run all) to rebuild it.";
  if (victim) notice(victim, text, "warn");
  if (victim) stateText(victim, "stopped");
  kernelStatus(text);
  announce(text);
}

function restart(): void {
  replaceWorker();
  const text = "Kernel restarted: this chapter's state was cleared. Run the cells again (Run all).";
  kernelStatus(text);
  announce(text);
}

async function runAll(): Promise<void> {
  kernelStatus("Running every cell in order…");
  for (const cell of order) {
    const ok = await schedule(cell);
    if (!ok) {
      kernelStatus(`Run all stopped at “${cell.label}”.`);
      return;
    }
  }
  kernelStatus("Every cell ran.");
}

function reset(cell: CellState): void {
  setDoc(cell.editor, cell.original);
  save(cell, cell.original);
  cell.shared = false;
  cell.el.removeAttribute("data-edited");
  cell.el.removeAttribute("data-shared");
  notice(cell, null);
  announce(`${cell.label}: original code restored.`);
}

async function share(cell: CellState): Promise<void> {
  const code = cell.editor.state.doc.toString();
  const url = new URL(location.href);
  url.search = "";
  url.searchParams.set("cell", cell.id);
  url.searchParams.set("code", compressToEncodedURIComponent(code));
  url.hash = cell.id;
  const ok = await copyText(url.toString());
  const el = part(cell, "[data-notice]");
  el.hidden = false;
  el.dataset["kind"] = "info";
  el.replaceChildren(ok ? "Link to this version of the cell copied: " : "Link to this version of the cell: ");
  const a = document.createElement("a");
  a.href = url.toString();
  a.textContent = "shared link";
  a.dataset["shareLink"] = "";
  el.append(a);
  announce(ok ? "Share link copied." : "Share link ready in the cell's notice.");
}

export function action(name: string, el: HTMLElement | null): void {
  const cell = el ? (cells.get(el.id) ?? null) : null;
  switch (name) {
    case "run":
      if (cell) void schedule(cell);
      break;
    case "stop":
      stop(cell);
      break;
    case "reset":
      if (cell) reset(cell);
      break;
    case "share":
      if (cell) void share(cell);
      break;
    case "run-all":
      void runAll();
      break;
    case "restart":
      restart();
      break;
    case "reset-all":
      for (const c of order) reset(c);
      kernelStatus("Every cell has its original code again.");
      break;
  }
}

export function focusEditor(el: HTMLElement): void {
  cells.get(el.id)?.editor.focus();
}

// ---- mount -----------------------------------------------------------------------------------

let mounted = false;
export async function mount(): Promise<void> {
  if (mounted) return;
  mounted = true;
  const params = new URLSearchParams(location.search);
  const sharedId = params.get("cell");
  const sharedCode = params.get("code");
  order = [];
  for (const [index, el] of [...document.querySelectorAll<HTMLElement>("[data-cell]")].entries()) {
    const codeBox = el.querySelector<HTMLElement>("[data-code]");
    const pre = codeBox?.querySelector("pre");
    if (!codeBox || !pre) continue;
    const original = pre.textContent ?? "";
    const label = el.querySelector(".nb-title")?.textContent ?? `Cell ${el.id}`;
    let doc = original;
    let shared = false;
    const saved = loadSaved(el.id);
    if (sharedId === el.id && sharedCode) {
      const decoded = decompressFromEncodedURIComponent(sharedCode);
      if (decoded) {
        doc = decoded;
        shared = true;
      }
    } else if (saved !== null) doc = saved;
    const state: CellState = {
      el,
      id: el.id,
      index,
      label,
      original,
      count: null,
      lastSeq: 0,
      shared,
      editor: null as unknown as EditorView,
    };
    const host = document.createElement("div");
    host.className = "nb-editor";
    state.editor = createEditor({
      parent: host,
      doc,
      label: `Code of ${label} (TypeScript). Shift+Enter runs it; Escape then Tab leaves the editor.`,
      onRun: () => void schedule(state),
      onChange: (d) => {
        save(state, d);
        if (d === original) el.removeAttribute("data-edited");
        else el.dataset["edited"] = "";
      },
    });
    pre.replaceWith(host);
    cells.set(el.id, state);
    order.push(state);
    if (shared) {
      el.dataset["shared"] = "";
      notice(
        state,
        "This cell holds code from a shared link. It has not been run: read it, then press Run to run it. Reset brings back the original.",
        "warn",
      );
    } else if (saved !== null && saved !== original) {
      el.dataset["edited"] = "";
      notice(state, "Your edited version, saved in this browser. Reset brings back the original.");
    }
  }
  kernelStatus("Kernel ready. Outputs below are from the build until you run a cell.");
  startWorker();
  document.documentElement.dataset["notebook"] = "ready";
  if (sharedId && cells.has(sharedId)) cells.get(sharedId)?.el.scrollIntoView({ block: "start" });
}
