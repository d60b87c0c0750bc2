/**
 * One cell on the page: the element the build wrote (the DOM contract in
 * docs/notebook.md), its editor, and the states a run moves it through. The view owns
 * its parts — count "[n]", state text, notice, progress, output — and nothing outside
 * its element; notebook-ui.ts tells it what happened, the kernel client never sees it.
 *
 * States (attributes on the cell, for styles and tests)
 *   idle       the build's output, or the last run's; `[ ]` or `[n]`
 *   queued     `[*]`, waiting for the kernel
 *   running    data-running, `[*]`, progress shown
 *   done       data-done=<runId> once the outputs are drawn, data-ok=true|false
 *   stale      data-stale: a cell above ran since, or the kernel's state was lost
 *   cancelled  a Stop, Restart or crash ended its run, or its place in the queue: the
 *              count goes back to the last run's "[n]" (or "[ ]"), never "[*]"
 *
 * Outputs are drawn in the order they arrive (one chain per cell); text is capped
 * (capped-text.ts); a live chart's updates are coalesced, so it is redrawn at most once
 * per animation frame whatever the kernel's message rate.
 */
import type { EditorView } from "@codemirror/view";
import { ATTR, sel } from "../dom-contract.ts";
import type { OutputItem } from "../protocol.ts";
import { CappedText, SHOW_CHARS } from "./capped-text.ts";
import { createEditor, EDITOR_KEYS, setDoc } from "./editor.ts";
import { draw } from "./draw.ts";
import { LoadFailure, loadFailureAlert, reportLoadFailure } from "./load-errors.ts";
import {
  abandonRun,
  beginRun,
  claim,
  drawFailure,
  endRun,
  keepPrevious,
  showOutput,
  showsRun,
} from "./output-swap.ts";

export type NoticeKind = "info" | "warn";

/**
 * What a notice is about. A "run" notice (Stopped, crashed, nothing running) goes when
 * the cell runs again; a "code" notice (a saved edit, shared code, a share link) stays.
 */
export type NoticeTopic = "code" | "run";

/** An error's message, cut to what the page can show (the rest is counted). */
function cappedError(item: Extract<OutputItem, { kind: "error" }>): OutputItem {
  if (item.message.length <= SHOW_CHARS) return item;
  const more = (item.message.length - SHOW_CHARS).toLocaleString("en-US");
  return { ...item, message: `${item.message.slice(0, SHOW_CHARS)}… (${more} more characters)` };
}

function part<T extends HTMLElement = HTMLElement>(root: HTMLElement, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`cell ${root.id}: no ${selector}`);
  return el;
}

export class CellView {
  readonly id: string;
  readonly index: number;
  readonly label: string;
  /** The code as the build wrote it. */
  readonly original: string;
  /** The names the original code declares at its top level (from the build). */
  readonly declares: readonly string[];
  /** The names the original code reads (from the build): what an input change re-runs it for. */
  readonly uses: readonly string[];
  readonly #el: HTMLElement;
  readonly #pre: HTMLElement;
  readonly #count: HTMLElement;
  readonly #stateText: HTMLElement;
  readonly #notice: HTMLElement;
  readonly #progress: HTMLElement;
  readonly #progressText: HTMLElement;
  readonly #output: HTMLElement;
  #editor: EditorView | null = null;
  #noticeTopic: NoticeTopic = "code";
  #text: CappedText | null = null;
  /** The execution count of this cell's last finished run in the current kernel. */
  #ran: number | null = null;
  /** The notebook-wide sequence number of this cell's last finished run (stale marking). */
  #lastSeq = 0;
  #runId = 0;
  #started = 0;
  #ops = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #drawn: Promise<void> = Promise.resolve();
  #pendingHeaps = new Map<number, OutputItem>();
  #frameRequested = false;

  private constructor(el: HTMLElement, index: number, pre: HTMLElement) {
    this.#el = el;
    this.#pre = pre;
    this.id = el.dataset["cell"] ?? el.id;
    this.index = index;
    this.label = el.querySelector(".nb-title")?.textContent ?? `Cell ${this.id}`;
    this.original = pre.textContent ?? "";
    this.declares = (el.getAttribute(ATTR.declares) ?? "").split(" ").filter(Boolean);
    this.uses = (el.getAttribute(ATTR.uses) ?? "").split(" ").filter(Boolean);
    this.#count = part(el, "[data-count]");
    this.#stateText = part(el, "[data-state-text]");
    this.#notice = part(el, sel(ATTR.notice));
    this.#progress = part(el, sel(ATTR.progress));
    this.#progressText = part(el, "[data-progress-text]");
    this.#output = part(el, sel(ATTR.output));
  }

  /** The view of a cell element, or null when it has no static code to take over. */
  static from(el: HTMLElement, index: number): CellView | null {
    const pre = el.querySelector<HTMLElement>("[data-code] pre");
    return pre ? new CellView(el, index, pre) : null;
  }

  get element(): HTMLElement {
    return this.#el;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  // ---- the editor ------------------------------------------------------------------

  /** Replaces the static code with an editor holding `doc`. */
  mountEditor(doc: string, on: { run: () => void; change: (doc: string) => void }): void {
    const host = document.createElement("div");
    host.className = "nb-editor";
    this.#editor = createEditor({
      parent: host,
      doc,
      label: `Code of ${this.label} (TypeScript). ${EDITOR_KEYS}`,
      onRun: on.run,
      onChange: on.change,
    });
    this.#pre.replaceWith(host);
  }

  get code(): string {
    return this.#editor?.state.doc.toString() ?? this.original;
  }

  setCode(doc: string): void {
    if (this.#editor) setDoc(this.#editor, doc);
  }

  focus(): void {
    this.#editor?.focus();
  }

  /** Puts the editor's cursor where an error happened (without taking focus). */
  selectLine(line: number, col: number): void {
    const editor = this.#editor;
    if (!editor) return;
    const doc = editor.state.doc;
    if (line < 1 || line > doc.lines) return;
    const l = doc.line(line);
    editor.dispatch({
      selection: { anchor: Math.min(l.from + Math.max(0, col - 1), l.to) },
      scrollIntoView: true,
    });
  }

  /** Flags for styles and tests: the code differs from the original; it came from a link. */
  mark(flags: { edited?: boolean; shared?: boolean }): void {
    if (flags.edited !== undefined) this.#el.toggleAttribute("data-edited", flags.edited);
    if (flags.shared !== undefined) this.#el.toggleAttribute("data-shared", flags.shared);
  }

  get shared(): boolean {
    return this.#el.hasAttribute("data-shared");
  }

  // ---- notice and state ------------------------------------------------------------

  notice(text: string | null, kind: NoticeKind = "info", topic: NoticeTopic = "code"): void {
    this.#notice.hidden = text === null;
    this.#notice.textContent = text ?? "";
    this.#notice.dataset["kind"] = kind;
    this.#noticeTopic = topic;
  }

  /** A notice made of text, then elements (a link, a button), then more text. */
  noticeWith(kind: NoticeKind, ...parts: (string | Node)[]): void {
    this.#notice.hidden = false;
    this.#notice.dataset["kind"] = kind;
    this.#noticeTopic = "code";
    this.#notice.replaceChildren(...parts);
  }

  state(text: string): void {
    this.#stateText.textContent = text;
  }

  stale(text: string): void {
    this.#el.dataset["stale"] = "";
    this.state(text);
  }

  /** Waiting for the kernel. */
  queued(): void {
    if (!this.#el.hasAttribute("data-running")) this.#count.textContent = "[*]";
  }

  /**
   * The run `runId` starts: show progress. The previous outputs stay until the run's
   * first output is drawn (output-swap.ts), so a run that fails to draw, or is
   * stopped first, never leaves the cell blank.
   */
  started(runId: number): void {
    this.#runId = runId;
    this.#started = performance.now();
    this.#ops = 0;
    if (this.#noticeTopic === "run") this.notice(null);
    beginRun(this.#output, runId);
    this.#text = new CappedText(this.#output, this.id);
    this.#output.removeAttribute("data-renders");
    this.#el.dataset["running"] = "";
    this.#el.removeAttribute("data-stale");
    this.#count.textContent = "[*]";
    this.state("running…");
    this.#progress.hidden = false;
    this.#progressText.textContent = "Running…";
    // Elapsed time, also for cells that report no operations (no live chart).
    clearInterval(this.#ticker);
    this.#ticker = setInterval(() => {
      if (this.#ops === 0) this.#progressText.textContent = `Running… ${this.#elapsed()} s`;
    }, 250);
  }

  #elapsed(): string {
    return ((performance.now() - this.#started) / 1000).toFixed(1);
  }

  progress(ops: number): void {
    this.#ops = ops;
    this.#progressText.textContent = `Running… ${this.#elapsed()} s, ${ops.toLocaleString("en-US")} operations`;
  }

  /** Appends an output item of the current run, after the items before it are drawn. */
  output(item: OutputItem): void {
    const runId = this.#runId;
    const text = this.#text;
    const out = this.#output;
    this.#drawn = this.#drawn.then(async () => {
      if (out.dataset["runId"] !== String(runId)) return;
      if (text && (item.kind === "text" || item.kind === "log")) {
        if (!claim(out, runId)) return;
        return item.kind === "text"
          ? text.add("nb-text", item.text)
          : text.add(`nb-log nb-log-${item.level}`, item.text);
      }
      if (item.kind === "error" && item.name === "LoadFailure") {
        // A part the kernel needed did not load (Plot, offline): the message above the
        // outputs the cell had, which stay.
        const alert = loadFailureAlert("plot", null);
        alert.textContent = item.message; // the page's own sentence, sent back by the kernel
        return keepPrevious(out, runId, alert);
      }
      try {
        showOutput(out, runId, await draw(item.kind === "error" ? cappedError(item) : item));
      } catch (e) {
        if (e instanceof LoadFailure) {
          keepPrevious(out, runId, loadFailureAlert(e.part, e));
          reportLoadFailure(e.part, e, null);
        } else showOutput(out, runId, drawFailure(e));
      }
    });
    if (item.kind === "error" && item.line !== null) this.selectLine(item.line, item.col ?? 1);
  }

  /** Replaces a live chart with its newer state, at most once per animation frame. */
  update(item: OutputItem): void {
    if (item.kind !== "heap" && item.kind !== "map") return;
    // Heap charts and map pictures share the kernel's numbering of live outputs.
    this.#pendingHeaps.set(item.id, item);
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    // Wait for the chart's first drawing, then draw at most once per frame.
    void this.#drawn.then(() => requestAnimationFrame(() => this.#flushHeaps()));
  }

  #flushHeaps(): void {
    this.#frameRequested = false;
    const runId = String(this.#runId);
    for (const [id, item] of this.#pendingHeaps) {
      this.#pendingHeaps.delete(id);
      // Only over the run's own drawing: a chart whose Plot did not load kept the old outputs.
      if (!showsRun(this.#output)) continue;
      void draw(item).then(
        (el) => {
          if (this.#output.dataset["runId"] !== runId) return;
          const old = this.#output.querySelector(
            item.kind === "map" ? `[data-map-view="${id}"]` : `[data-heap="${id}"]`,
          );
          if (old) old.replaceWith(el);
          else this.#output.append(el);
          this.#output.dataset["renders"] = String(Number(this.#output.dataset["renders"] ?? 0) + 1);
        },
        () => undefined,
      ); // a Plot that did not load was reported at the chart's first drawing
    }
  }

  /** The run finished; resolves once its outputs are on the page (data-done is set). */
  finished(ok: boolean, ms: number, count: number, seq: number): Promise<void> {
    const runId = this.#runId;
    clearInterval(this.#ticker);
    this.#ran = count;
    this.#lastSeq = seq;
    this.#count.textContent = `[${count}]`;
    this.#el.removeAttribute("data-running");
    this.#el.dataset["ok"] = String(ok);
    this.#progress.hidden = true;
    this.state(ok ? `ran in ${Math.round(ms)} ms` : "failed");
    return this.#drawn
      .then(() => new Promise<void>((r) => requestAnimationFrame(() => r())))
      .then(() => {
        endRun(this.#output, runId);
        this.#el.dataset["done"] = String(runId);
      });
  }

  /** The run, or its place in the queue, was ended by a Stop, a Restart, a crash or a newer input value. */
  cancelled(wasRunning: boolean): void {
    clearInterval(this.#ticker);
    abandonRun(this.#output, this.#runId);
    this.#count.textContent = this.#ran === null ? "[ ]" : `[${this.#ran}]`;
    this.#el.removeAttribute("data-running");
    this.#progress.hidden = true;
    this.state(wasRunning ? "stopped" : "not run: the queue was cleared");
  }

  /** The kernel was replaced: nothing runs here any more, and an earlier run's state is gone. */
  lost(): void {
    clearInterval(this.#ticker);
    this.#el.removeAttribute("data-running");
    this.#progress.hidden = true;
    if (this.#ran !== null) this.stale("state lost: the kernel was restarted");
  }

  /** Adds an alert to the output (a crash report). */
  alert(text: string, reason?: string): void {
    const alert = document.createElement("div");
    alert.className = "nb-error";
    alert.setAttribute("role", "alert");
    if (reason) alert.dataset["reason"] = reason;
    alert.textContent = text;
    this.#output.append(alert);
  }

  scrollIntoView(): void {
    this.#el.scrollIntoView({ block: "start" });
  }
}
