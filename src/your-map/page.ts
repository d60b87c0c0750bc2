/**
 * /your-map/ in the browser: the form, the URL and the estimator's workers.
 *
 *   input ─(debounce)─▶ readForm() ─▶ URL (history.replaceState)
 *                                  └─▶ worker 0: job "main" ──▶ problems, progress, main run ─▶ drawn
 *                                      then the fix runs, over workers 0 and 1 ──▶ each drawn as it ends
 *
 * The page never runs the model: every run is made in a worker (worker.ts). The main
 * figures (chart, bytes per entry, what stays) come from one run and are drawn as soon
 * as it ends; the fixes' runs start then, two at a time, and each fills its row of the
 * comparison when it arrives (figures.ts puts the runs together). Both workers are
 * started while the page idles, so their script, the model, is loaded before the first
 * estimate is asked for, and each warms the model's code on a small copy of the form's
 * workload (estimate.ts warmUp); Plot is fetched then too. The estimate a link asks
 * for holds back the offline precache until it is complete (deferRegistration): the
 * page's thread idles while a worker computes, and the precache would take a core
 * from it. A newer input terminates every
 * worker still busy with an older run, so an outdated run cannot finish or draw, and
 * starts fresh ones in their place. What comes back is drawn as text and checked
 * numbers (render.ts). Problems are shown next to the control that caused them
 * (aria-describedby, role=alert) and the previous results are marked stale.
 *
 * Typing waits for a pause (DEBOUNCE); a select or a radio button is a choice made,
 * and runs at once. An event that leaves the inputs as the current run has them (a
 * number field's change on blur) starts nothing.
 *
 * A URL that names inputs is restored into the form and estimated at once; values it
 * cannot read are listed in a notice, and their defaults used. Without a query the
 * baked example stays as it is until the reader changes something.
 */
import type { PlotModule } from "../notebook/heap-chart.ts";
import type { LengthSlot } from "./go-syntax.ts";
import { compare, type Estimate, type FixRun, type FixRunId, type MainRun } from "./figures.ts";
import type { FromEstimator, Job, ToEstimator } from "./protocol.ts";
import { lengthControls, results } from "./render.ts";
import {
  DEFAULT_STATE,
  DEFAULT_WORKLOADS,
  fromQuery,
  lengthsFor,
  slotsOf,
  toQuery,
  type Length,
  type Problem,
  type Workload,
  type YourMapState,
} from "./state.ts";
import EstimatorWorker from "./worker.ts?worker";
import { deferRegistration } from "../offline/register.ts";

const DEBOUNCE = 250; // ms after the last keystroke before an estimate starts
const WORKERS = 2; // the main run in the first; the fix runs over both
/**
 * Above this many peak entries the fix runs take turns in the first worker: each run
 * holds its whole map in the model's typed arrays, and the tab's limit (LIMITS.peak)
 * leaves room for one such map at a time, not two.
 */
const PARALLEL_PEAK = 5_000_000;

/** Runs `f` once the page has loaded and is idle (soon, where the browser has no idle callback). */
const whenIdle = (f: () => void): void => {
  const idle = (): void => {
    if (typeof requestIdleCallback === "function") requestIdleCallback(f, { timeout: 1000 });
    else setTimeout(f, 200);
  };
  if (document.readyState === "complete") idle();
  else addEventListener("load", idle, { once: true });
};

class YourMapPage {
  readonly #root: HTMLElement;
  readonly #form: HTMLFormElement;
  #workers: (Worker | null)[] = Array.from({ length: WORKERS }, () => null);
  /** The job each worker is running, null when it is idle. */
  #jobs: (Job | null)[] = Array.from({ length: WORKERS }, () => null);
  #runId = 0;
  /** The inputs of the run shown or running, as a query; null once it is cancelled. */
  #runQuery: string | null = null;
  #runState: YourMapState | null = null;
  #main: MainRun | null = null;
  #fixRuns = new Map<FixRunId, FixRun>();
  /** Fix runs not yet started, and each started one's progress. */
  #queue: FixRunId[] = [];
  #fixDone = new Map<FixRunId, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #plot: PlotModule | null = null;
  #plotLoad: Promise<void> | null = null;
  #slots: string = "";
  #started = 0;
  /** Results received so far: a draw that waited for Plot gives way to a newer one. */
  #drawn = 0;
  /** The link's values that could not be used, for the notice. */
  #ignored: string[] = [];
  /** The current run is the link's own: out-of-range numbers in it fall back to defaults. */
  #fromLink = false;
  /** Ends the offline precache's wait for the link's estimate (deferRegistration); null once ended. */
  #releaseOffline: (() => void) | null = null;

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#form = root.querySelector("[data-ym-form]") as HTMLFormElement;
  }

  #q<T extends Element = HTMLElement>(sel: string): T {
    return this.#root.querySelector(sel) as T;
  }

  #input(name: string): HTMLInputElement | null {
    return this.#form.elements.namedItem(name) as HTMLInputElement | null;
  }

  init(): void {
    (this.#q("[data-ym-controls]") as HTMLFieldSetElement).disabled = false;
    this.#slots = this.#slotKey(this.#currentSlots());
    if (location.search.length > 1) {
      const { state, ignored } = fromQuery(location.search);
      this.#write(state);
      this.#ignored = ignored;
      this.#notice();
      this.#fromLink = true;
      this.#run(state);
      // The offline precache waits for this estimate: on two cores it would take one from it.
      deferRegistration(new Promise<void>((resolve) => (this.#releaseOffline = resolve)));
      this.#loadPlot();
    } else {
      this.#showWorkload(this.#workloadKind());
      this.#runQuery = toQuery(this.#read()); // the baked example's
    }
    // Load the model into both workers, and Plot, before the reader asks for anything.
    // (A link's run is under way by then: its second worker waits for the fixes, so as
    // not to take a core from the main run while it loads.)
    whenIdle(() => {
      if (this.#jobs.every((j) => j === null)) this.#spawnIdle(true);
      this.#loadPlot();
    });
    this.#form.addEventListener("input", (e) => this.#changed(e));
    this.#form.addEventListener("change", (e) => this.#changed(e));
    this.#form.addEventListener("submit", (e) => e.preventDefault());
    const copy = this.#q<HTMLButtonElement>("[data-ym-copy]");
    copy.hidden = false;
    copy.addEventListener("click", () => {
      void navigator.clipboard?.writeText(location.href).then(
        () => this.#status("Link copied."),
        () => this.#status("Copy the address from the address bar: the browser refused the clipboard."),
      );
    });
  }

  #notice(): void {
    const notice = this.#q("[data-ym-notice]");
    notice.hidden = this.#ignored.length === 0;
    if (this.#ignored.length === 0) return;
    notice.setAttribute("role", "alert");
    notice.textContent = `Some values in this link could not be used, and their defaults are used instead: ${this.#ignored.join("; ")}.`;
  }

  /**
   * The link's numbers the model refused (a peak too large for the tab, a percentage
   * over 100) are replaced by their defaults, once, and the notice lists them; a type
   * the model cannot estimate stays, with its message beside its control.
   */
  #linkFallback(problems: readonly Problem[]): YourMapState | null {
    const s = this.#read();
    let changed = false;
    let peak = s.peak;
    let workload: Workload = s.workload;
    const dropped = new Set<string>();
    const value = (field: string): string => this.#input(field)?.value ?? "";
    for (const p of problems) {
      if (p.field === "key" || p.field === "value" || p.field === "go") continue;
      const param = p.field === "peak" ? "n" : p.field.replace(/^len:/, "len.");
      this.#ignored.push(`${param}=${value(p.field).slice(0, 40)} (${p.message})`);
      changed = true;
      if (p.field === "peak") peak = DEFAULT_STATE.peak;
      else if (p.field.startsWith("len:")) dropped.add(p.field.slice(4));
      else workload = { ...DEFAULT_WORKLOADS[workload.kind] };
    }
    if (!changed) return null;
    if (workload.kind === "spike" && workload.base >= peak)
      workload = { ...workload, base: Math.floor(peak / 10) };
    const lengths = Object.fromEntries(Object.entries(s.lengths).filter(([path]) => !dropped.has(path)));
    return { ...s, peak, workload, lengths };
  }

  #workloadKind(): Workload["kind"] {
    const checked = this.#form.querySelector<HTMLInputElement>('input[name="workload"]:checked');
    const v = checked?.value;
    return v === "window" || v === "spike" ? v : "drain";
  }

  #showWorkload(kind: Workload["kind"]): void {
    for (const box of this.#root.querySelectorAll<HTMLElement>("[data-ym-for]"))
      box.hidden = box.dataset["ymFor"] !== kind;
  }

  #num(name: string): number {
    const v = this.#input(name)?.value ?? "";
    return v.trim() === "" ? NaN : Number(v);
  }

  #currentSlots(): LengthSlot[] {
    return slotsOf(this.#input("key")?.value ?? "", this.#input("value")?.value ?? "");
  }

  #slotKey(slots: LengthSlot[]): string {
    return slots.map((s) => `${s.path}:${s.kind}`).join("|");
  }

  /** The length controls for exactly the strings and slices of the current types. */
  #syncLengths(lengths: Readonly<Record<string, Length>>): void {
    const slots = this.#currentSlots();
    const key = this.#slotKey(slots);
    if (key === this.#slots) return;
    this.#slots = key;
    const list = this.#q("[data-ym-length-list]");
    list.replaceChildren(...lengthControls(document, slots, lengthsFor({ lengths, ...this.#types() })));
    this.#q("[data-ym-no-lengths]").hidden = slots.length > 0;
  }

  #types(): { key: string; value: string } {
    return { key: this.#input("key")?.value ?? "", value: this.#input("value")?.value ?? "" };
  }

  #readLengths(): Record<string, Length> {
    const out: Record<string, Length> = {};
    for (const slot of this.#currentSlots()) {
      const len = this.#num(`len:${slot.path}`);
      const cap = slot.kind === "slice" ? this.#num(`cap:${slot.path}`) : len;
      if (this.#input(`len:${slot.path}`) !== null)
        out[slot.path] = { len, cap: Number.isNaN(cap) ? len : cap };
    }
    return out;
  }

  #read(): YourMapState {
    const kind = this.#workloadKind();
    const workload: Workload =
      kind === "drain"
        ? { kind, keep: this.#num("keep") }
        : kind === "window"
          ? { kind, rounds: this.#num("rounds"), turnover: this.#num("turnover") }
          : { kind, base: this.#num("base"), days: this.#num("days") };
    const go = (this.#form.elements.namedItem("go") as HTMLSelectElement).value as YourMapState["go"];
    return { ...this.#types(), lengths: this.#readLengths(), peak: this.#num("peak"), workload, go };
  }

  #write(s: YourMapState): void {
    const set = (name: string, v: string | number): void => {
      const i = this.#input(name);
      if (i) i.value = String(v);
    };
    set("key", s.key);
    set("value", s.value);
    set("peak", s.peak);
    const w = s.workload;
    for (const r of this.#form.querySelectorAll<HTMLInputElement>('input[name="workload"]'))
      r.checked = r.value === w.kind;
    set("keep", w.kind === "drain" ? w.keep : DEFAULT_WORKLOADS.drain.keep);
    set("rounds", w.kind === "window" ? w.rounds : DEFAULT_WORKLOADS.window.rounds);
    set("turnover", w.kind === "window" ? w.turnover : DEFAULT_WORKLOADS.window.turnover);
    set("base", w.kind === "spike" ? w.base : DEFAULT_WORKLOADS.spike.base);
    set("days", w.kind === "spike" ? w.days : DEFAULT_WORKLOADS.spike.days);
    (this.#form.elements.namedItem("go") as HTMLSelectElement).value = s.go;
    this.#slots = "";
    this.#syncLengths(s.lengths);
    for (const [path, l] of Object.entries(lengthsFor(s))) {
      set(`len:${path}`, l.len);
      set(`cap:${path}`, l.cap);
    }
    this.#showWorkload(w.kind);
  }

  #changed(e: Event): void {
    this.#showWorkload(this.#workloadKind());
    this.#syncLengths(this.#readLengths());
    clearTimeout(this.#timer);
    if (toQuery(this.#read()) === this.#runQuery) return; // nothing the run does not have
    // An outdated run is cancelled now, not when the debounce ends.
    this.#cancel();
    const t = e.target;
    const chosen =
      e.type === "change" &&
      (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type === "radio"));
    this.#status(chosen ? "Estimating…" : "Waiting for you to finish typing…");
    this.#timer = setTimeout(
      () => {
        const state = this.#read();
        history.replaceState(history.state, "", `${location.pathname}?${toQuery(state)}${location.hash}`);
        this.#run(state);
      },
      chosen ? 0 : DEBOUNCE,
    );
  }

  #loadPlot(): void {
    this.#plotLoad ??= import("@observablehq/plot").then(
      (m) => void (this.#plot = m as unknown as PlotModule),
      () => void (this.#plot = null), // the chart's summary in words still shows
    );
  }

  /** A fresh worker in slot i: its script, the model, starts loading now. */
  #spawn(i: number): Worker {
    const w = new EstimatorWorker();
    w.addEventListener("message", (e: MessageEvent<FromEstimator>) => this.#message(e.data, i));
    w.addEventListener("error", (e) => {
      e.preventDefault();
      w.terminate();
      if (this.#workers[i] !== w) return;
      this.#workers[i] = null;
      const running = this.#jobs[i] !== null;
      this.#jobs[i] = null;
      if (!running) return;
      this.#cancel();
      this.#root.dataset["ymState"] = "failed";
      this.#status(
        `The estimate stopped: ${e.message || "the worker failed"}. Change an input to try again.`,
      );
      this.#endOfflineWait();
    });
    this.#workers[i] = w;
    return w;
  }

  /**
   * Fresh workers in the empty slots. `warm`: on an idle page, before any estimate,
   * each also runs a small copy of the form's workload (worker.ts warm()), so that
   * the first estimate the reader asks for runs on optimised code. Not after a
   * cancel: a run follows at once, and would wait for the warm-up.
   */
  #spawnIdle(warm = false): void {
    for (let i = 0; i < WORKERS; i++) {
      if (this.#workers[i] !== null) continue;
      const w = this.#spawn(i);
      if (warm) {
        const msg: ToEstimator = { type: "warm", state: this.#read() };
        w.postMessage(msg);
      }
    }
  }

  /** Ends the current run: every busy worker is terminated and replaced by a fresh one. */
  #cancel(): void {
    let ended = false;
    for (let i = 0; i < WORKERS; i++) {
      if (this.#jobs[i] === null) continue;
      this.#workers[i]?.terminate();
      this.#workers[i] = null;
      this.#jobs[i] = null;
      ended = true;
    }
    this.#runQuery = null;
    this.#queue = [];
    this.#progress(null);
    if (ended) {
      this.#endOfflineWait();
      this.#spawnIdle();
    }
  }

  /** The link's estimate has ended (complete, refused or cancelled): the precache may start. */
  #endOfflineWait(): void {
    this.#releaseOffline?.();
    this.#releaseOffline = null;
  }

  #post(i: number, job: Job): void {
    const state = this.#runState;
    if (state === null) return;
    const w = this.#workers[i] ?? this.#spawn(i);
    this.#jobs[i] = job;
    const msg: ToEstimator = { type: "run", id: this.#runId, job, state };
    w.postMessage(msg);
  }

  /** Starts the waiting fix runs on the idle workers (one at a time for a very large map). */
  #dispatch(): void {
    const workers = (this.#runState?.peak ?? 0) <= PARALLEL_PEAK ? WORKERS : 1;
    for (let i = 0; i < workers && this.#queue.length > 0; i++) {
      if (this.#jobs[i] !== null) continue;
      const job = this.#queue.shift() as FixRunId;
      this.#fixDone.set(job, 0);
      this.#post(i, job);
    }
  }

  #fixProgress(): void {
    const main = this.#main;
    if (main === null) return;
    const all = main.fixRuns.length;
    const done = [...this.#fixDone.values()].reduce((a, b) => a + b, 0) + this.#fixRuns.size;
    this.#progress(all > 0 ? done / all : 1);
    this.#status(`Main figures drawn; comparing the fixes: ${this.#fixRuns.size} of ${all} done…`);
  }

  #status(text: string): void {
    this.#q("[data-ym-status-text]").textContent = text;
  }

  #progress(done: number | null): void {
    const bar = this.#q<HTMLProgressElement>("[data-ym-progress]");
    bar.hidden = done === null;
    if (done !== null) bar.value = Math.max(0, Math.min(1, done));
  }

  #showProblems(problems: readonly Problem[]): void {
    const byField = new Map(problems.map((p) => [p.field, p.message]));
    for (const msg of this.#root.querySelectorAll<HTMLElement>("[data-ym-msg]")) {
      const field = msg.dataset["ymMsg"] ?? "";
      const text = byField.get(field as Problem["field"]) ?? "";
      msg.textContent = text;
      if (text) msg.setAttribute("role", "alert");
      else msg.removeAttribute("role");
      const controls = this.#root.querySelectorAll<HTMLElement>(`[aria-describedby="${msg.id}"]`);
      for (const c of controls) {
        if (text) c.setAttribute("aria-invalid", "true");
        else c.removeAttribute("aria-invalid");
      }
    }
  }

  #run(state: YourMapState): void {
    clearTimeout(this.#timer);
    this.#cancel();
    const id = ++this.#runId;
    this.#runState = state;
    this.#runQuery = toQuery(state);
    this.#main = null;
    this.#fixRuns = new Map();
    this.#fixDone = new Map();
    this.#started = performance.now();
    // How long this run took to its main figures and to its last fix, the main run's share
    // in its worker and the first drawing's (bench/site.ts reads them).
    delete this.#root.dataset["ymFirstMs"];
    delete this.#root.dataset["ymDoneMs"];
    delete this.#root.dataset["ymMainRunMs"];
    delete this.#root.dataset["ymDrawMs"];
    this.#root.dataset["ymRun"] = String(id);
    this.#root.dataset["ymState"] = "running";
    this.#progress(0);
    this.#status("Estimating…");
    this.#post(0, "main");
  }

  #message(m: FromEstimator, from: number): void {
    if (typeof m !== "object" || m === null || m.id !== this.#runId) return;
    switch (m.type) {
      case "problems": {
        if (m.problems.length > 0) this.#jobs[from] = null;
        const fallback = this.#fromLink && m.problems.length > 0 ? this.#linkFallback(m.problems) : null;
        this.#fromLink = false;
        if (fallback !== null) {
          this.#write(fallback);
          this.#notice();
          this.#run(fallback);
          break;
        }
        this.#showProblems(m.problems);
        if (m.problems.length > 0) {
          this.#progress(null);
          this.#root.dataset["ymState"] = "invalid";
          this.#q("[data-ym-output]").classList.add("ym-stale");
          this.#status("Nothing estimated: correct the marked input.");
          this.#endOfflineWait();
        }
        break;
      }
      case "progress":
        if (m.job === "main") {
          this.#progress(m.done);
          this.#status(`Estimating… ${Math.round(m.done * 100)} %`);
        } else if (this.#fixDone.has(m.job)) {
          this.#fixDone.set(m.job, m.done);
          this.#fixProgress();
        }
        break;
      case "main":
        this.#jobs[from] = null;
        this.#root.dataset["ymMainRunMs"] = String(Math.round(m.ms));
        this.#main = m.run;
        this.#queue = m.run.fixRuns.map((f) => f.id);
        this.#dispatch();
        this.#show();
        break;
      case "fix":
        this.#jobs[from] = null;
        this.#fixDone.delete(m.run.id);
        this.#fixRuns.set(m.run.id, m.run);
        this.#dispatch();
        this.#show();
        break;
      case "failed":
        this.#jobs[from] = null;
        this.#cancel();
        this.#root.dataset["ymState"] = "failed";
        this.#status(`The model refused this estimate: ${m.message}`);
        this.#endOfflineWait();
        break;
    }
  }

  /** The figures received so far, put together and drawn. */
  #show(): void {
    if (this.#main === null) return;
    const e = compare(this.#main, this.#fixRuns);
    void this.#draw(e, ++this.#drawn);
    if (!e.complete) this.#fixProgress();
  }

  async #draw(e: Estimate, seq: number): Promise<void> {
    const id = this.#runId;
    this.#loadPlot();
    await this.#plotLoad;
    // Drawn in the order received: a partial result whose wait for Plot ended late must
    // not replace the complete one drawn meanwhile.
    if (id !== this.#runId || seq !== this.#drawn) return;
    const out = this.#q("[data-ym-output]");
    out.classList.remove("ym-stale");
    const t = performance.now();
    out.replaceChildren(results(e, document, this.#plot));
    const now = performance.now();
    const ms = String(Math.round(now - this.#started));
    this.#root.dataset["ymDrawMs"] ??= String(Math.round(now - t));
    this.#root.dataset["ymFirstMs"] ??= ms;
    if (e.complete) {
      this.#root.dataset["ymDoneMs"] = ms;
      this.#progress(null);
      this.#root.dataset["ymState"] = "done";
      this.#status("Estimate complete.");
      this.#endOfflineWait();
    } else {
      this.#root.dataset["ymState"] = "partial";
    }
  }
}

/** Wakes the page's estimator, if the page has one. */
export function start(): void {
  const root = document.querySelector<HTMLElement>("[data-your-map]");
  if (root) new YourMapPage(root).init();
}
