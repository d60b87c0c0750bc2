/**
 * The notebook, awake: loaded by boot.ts on the first interaction, never before. It
 * wires three pieces together and holds the page-level actions:
 *
 *   kernel-client.ts   the chapter's kernel (worker lifecycle, queue, run ids, crashes)
 *   cell-view.ts       one view per cell (editor, count, state, notice, progress, output)
 *   storage.ts         the reader's saved edits, and the shared links already loaded
 *
 * Stop and Restart terminate the kernel (the only way to stop a busy loop) and start a
 * fresh one; the chapter's variables are lost and the page says so. A kernel that dies
 * on its own (a crash, or its frame running out of memory: kernel-host.ts) is reported
 * in the running cell and replaced.
 *
 * Inputs (cell-inputs.ts and input-runs.ts, loaded on first use): changing a control
 * re-runs its cell and the later cells that read what it declares (inputs/dependencies.ts),
 * after a pause, first running any cell above they need that has not run in this kernel.
 * A newer value cancels the run it makes stale: a queued run is dropped; a run in
 * progress ends with its kernel (terminate, as Stop does), and the plan runs again on a
 * fresh kernel, cells above included. Input values follow in the page's URL (inputs/url.ts); a link that
 * sets inputs of a cell whose code is the site's runs that cell on open.
 *
 * Shared code (share-url.ts) is loaded into its cell with a notice and never run. It is
 * not saved until the reader edits it; once they have, reloading the link shows their
 * edit, not the shared code again. Reset on a shared cell goes back to the reader's own
 * saved version when there is one, else to the original.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import type { OutputItem } from "../protocol.ts";
import { announce, copyText } from "./announce.ts";
import { CellView } from "./cell-view.ts";
import { reportLoadFailure } from "./load-errors.ts";
import { KernelClient, type CrashCause, type KernelStatus } from "./kernel-client.ts";
import { connectWorker } from "./kernel-worker.ts";
import { checksum, lengthWarning, parseShare, shareUrl, withoutShare, type SharedCode } from "./share-url.ts";
import { loadEdit, loadShareMemo, saveEdit, saveShareMemo } from "./storage.ts";
import { inputParams } from "../inputs/url.ts";
import { cellHasInputs, inputValues } from "./input-dom.ts";

type CellInputs = typeof import("./cell-inputs.ts");
type InputRuns = InstanceType<CellInputs["InputRuns"]>;
let cellInputs: Promise<CellInputs> | null = null;
/** The inputs' page code, loaded once on first use. */
function inputsUi(): Promise<CellInputs> {
  cellInputs ??= import("./cell-inputs.ts").catch((e: unknown) => {
    cellInputs = null;
    throw e;
  });
  return cellInputs;
}

function kernelStatus(text: string): void {
  const el = document.querySelector<HTMLElement>("[data-kernel-status]");
  if (el) el.textContent = text;
}

/** The code a share link carries, or null when it is damaged or cut short. */
function decodeShared(shared: SharedCode): string | null {
  if (!shared.payload) return null;
  let code: string | null;
  try {
    code = decompressFromEncodedURIComponent(shared.payload);
  } catch {
    return null;
  }
  if (!code) return null;
  if (shared.sum !== null && shared.sum !== checksum(code)) return null;
  return code;
}

class Notebook {
  readonly #cells = new Map<string, CellView>();
  readonly #order: CellView[] = [];
  readonly #kernel: KernelClient;
  /** Runs finished on this page, in any kernel: a cell is stale when one above ran after it. */
  #seq = 0;
  /** Set while code is put into an editor by the page, not typed: it is not an edit. */
  #loading = false;
  #runningAll = false;
  /** Per shared cell: the reader's saved edit from before the link, which Reset restores. */
  readonly #before = new Map<string, string | null>();
  /** Cells whose last run in the current kernel succeeded (what an input's plan can rely on). */
  readonly #ranHere = new Set<string>();
  #runs: Promise<InputRuns> | null = null;

  constructor() {
    this.#kernel = new KernelClient({
      connect: connectWorker,
      onStatus: (s: KernelStatus) => (document.documentElement.dataset["kernel"] = s),
      onCrash: (reason, victim, cause) => this.#crashed(reason, victim, cause),
    });
  }

  mount(): void {
    for (const [index, el] of [...document.querySelectorAll<HTMLElement>("[data-cell]")].entries()) {
      const view = CellView.from(el, index);
      if (!view) continue;
      const saved = loadEdit(view.id);
      view.mountEditor(saved ?? view.original, {
        run: () => void this.schedule(view),
        change: (d) => {
          if (this.#loading) return;
          saveEdit(view.id, d, view.original);
          view.mark({ edited: d !== view.original });
        },
      });
      this.#cells.set(view.id, view);
      this.#order.push(view);
      if (saved !== null && saved !== view.original) {
        view.mark({ edited: true });
        view.notice("Your edited version, saved in this browser. Reset brings back the original.");
      }
    }
    kernelStatus("Kernel ready. Outputs below are from the build until you run a cell.");
    this.#openShare();
    this.#openInputs();
    window.addEventListener("hashchange", () => this.#openShare());
    this.#kernel.start();
    document.documentElement.dataset["notebook"] = "ready";
  }

  cell(el: HTMLElement | null): CellView | null {
    return el ? (this.#cells.get(el.dataset["cell"] ?? el.id) ?? null) : null;
  }

  #setCode(view: CellView, doc: string): void {
    this.#loading = true;
    try {
      view.setCode(doc);
    } finally {
      this.#loading = false;
    }
  }

  // ---- shared code -------------------------------------------------------------------

  /** Loads the shared code the URL carries, if any, into its cell. */
  #openShare(): void {
    const url = new URL(location.href);
    const shared = parseShare(url);
    if (!shared) return;
    const view = this.#cells.get(shared.cellId);
    if (!view) {
      const text = `This link carries code for a cell “${shared.cellId}”, which is not on this page: nothing was loaded.`;
      kernelStatus(text);
      announce(text);
      return;
    }
    const saved = loadEdit(view.id);
    const code = decodeShared(shared);
    if (code === null) {
      view.notice(
        `The code in this shared link could not be read: the link is damaged or cut short. The cell shows ${saved !== null ? "your saved version" : "its original code"}. Ask for the link again.`,
        "warn",
      );
    } else {
      const memo = loadShareMemo(view.id);
      const sum = checksum(code);
      if (memo && memo.sum === sum && saved !== memo.before && saved !== code) {
        // This link was opened before and the reader has edited the cell since.
        this.#setCode(view, saved ?? view.original);
        view.mark({ shared: false, edited: saved !== null && saved !== view.original });
        const again = document.createElement("button");
        again.type = "button";
        again.className = "nb-btn";
        again.textContent = "Load the shared code";
        again.addEventListener("click", () => this.#loadShared(view, code, saved), { once: true });
        view.noticeWith(
          "info",
          "You have edited this cell since you opened this link: your version, saved in this browser, is shown. ",
          again,
        );
      } else {
        const before = memo && memo.sum === sum ? memo.before : saved;
        saveShareMemo(view.id, { sum, before });
        this.#loadShared(view, code, before);
      }
    }
    if (shared.legacy) history.replaceState(history.state, "", withoutShareKeepingCode(url, shared));
    view.scrollIntoView();
  }

  #loadShared(view: CellView, code: string, before: string | null): void {
    this.#before.set(view.id, before);
    this.#setCode(view, code);
    view.mark({ shared: true, edited: false });
    view.notice(
      `This cell holds code from a shared link. It has not been run: read it, then press Run to run it. Reset brings back ${before !== null ? "your own saved version" : "the original"}.`,
      "warn",
    );
  }

  // ---- runs --------------------------------------------------------------------------

  /** Queues a run; resolves once it finished and its outputs are drawn (true when it did not throw). */
  schedule(view: CellView): Promise<boolean> {
    view.queued();
    let specs: unknown[] = [];
    return new Promise((resolve) => {
      void this.#kernel.run(
        view.id,
        () => view.code,
        (e) => {
          switch (e.type) {
            case "start":
              specs = [];
              view.started(e.runId);
              break;
            case "input":
              specs.push(e.spec);
              break;
            case "output":
              view.output(this.#explain(view, e.item));
              break;
            case "update":
              view.update(e.item);
              break;
            case "progress":
              view.progress(e.ops);
              break;
            case "done": {
              const seq = ++this.#seq;
              if (e.ok) this.#ranHere.add(view.id);
              else this.#ranHere.delete(view.id);
              // The controls become what the run declared (a failed run may not have reached them).
              if (e.ok && (specs.length > 0 || cellHasInputs(view.element)))
                void this.#inputs(view, (r) => r.reconcile(view, specs));
              const drawn = view.finished(e.ok, e.ms, e.count, seq);
              for (const later of this.#order)
                if (later.index > view.index && later.lastSeq < seq)
                  later.stale("stale: a cell above it ran since");
              void drawn.then(() => {
                resolve(e.ok);
                announce(`${view.label}: ${e.ok ? "done" : "failed"}.`);
              });
              break;
            }
            case "cancelled":
              view.cancelled(e.wasRunning);
              resolve(false);
              break;
          }
        },
        () => inputValues(view.element),
      );
    });
  }

  /** Input work that needs the inputs chunk: reported, never thrown, when it does not load. */
  async #inputs(view: CellView | null, work: (runs: InputRuns) => unknown): Promise<void> {
    try {
      await work(await this.#inputRuns());
    } catch (e) {
      reportLoadFailure("editor", e, view?.element ?? null); // offline before the chunk was cached
    }
  }

  // ---- inputs ------------------------------------------------------------------------

  /** The page's input runs (input-runs.ts), made on first use. */
  #inputRuns(): Promise<InputRuns> {
    this.#runs ??= inputsUi().then(
      (ui) =>
        new ui.InputRuns({
          order: this.#order,
          schedule: (view) => this.schedule(view),
          ranHere: (id) => this.#ranHere.has(id),
          running: () => this.#kernel.running,
          replaceKernel: () => void this.#replace("input"),
          cancelQueued: (id) => void this.#kernel.cancelQueued(id, "input"),
          status: kernelStatus,
        }),
      (e: unknown) => {
        this.#runs = null;
        throw e;
      },
    );
    return this.#runs;
  }

  /** The reader changed an input of `view` (an input event on its control). */
  inputChanged(view: CellView, wrap: Element): Promise<void> {
    return this.#inputs(view, (r) => r.changed(view, wrap));
  }

  /** Input values in the page's URL: set them; run the cells whose code is the site's. */
  #openInputs(): void {
    const params = inputParams(new URL(location.href));
    const first = this.#order.find((v) => params.has(v.id));
    if (first) void this.#inputs(first, (r) => r.openLink(params));
  }

  /** "m is not defined" also names the cell whose code declares m. */
  #explain(view: CellView, item: OutputItem): OutputItem {
    if (item.kind !== "error" || item.name !== "ReferenceError") return item;
    const name = /^(\S+) is not defined$/.exec(item.message)?.[1];
    if (!name) return item;
    const providers = this.#order.filter((c) => c !== view && c.declares.includes(name));
    const above = providers.filter((c) => c.index < view.index).at(-1);
    const provider = above ?? providers[0];
    if (!provider) return item;
    const where = provider.index < view.index ? "above" : "below";
    return {
      ...item,
      message: `${item.message} — it is defined by cell “${provider.label}” ${where}; run it first (or Run all).`,
    };
  }

  /** Ends every run and starts a fresh kernel; every cell's state is lost. */
  #replace(cause: "stop" | "restart" | "input"): CellView | null {
    const { running } = this.#kernel.replace(cause);
    this.#lost();
    return running ? (this.#cells.get(running) ?? null) : null;
  }

  #lost(): void {
    this.#ranHere.clear();
    for (const view of this.#order) view.lost();
  }

  #crashed(reason: string, victimId: string | null, cause: CrashCause): void {
    const victim = victimId ? this.#cells.get(victimId) : undefined;
    if (cause === "load") {
      // This kernel never started, so it held nothing: say what did not load (load-errors.ts).
      victim?.state("not run: no kernel");
      reportLoadFailure("kernel", reason, victim?.element ?? null);
      return;
    }
    this.#lost();
    // Out of memory: the kernel's frame died (kernel-host.ts); the page lives on.
    const text =
      cause === "memory"
        ? `${victim ? `“${victim.label}” was stopped: it used more memory than the browser allows, so its kernel was ended and a fresh one started.` : "The kernel ran out of memory and was replaced by a fresh one."} This chapter's variables are lost: run the cells again (Run all).`
        : `The kernel crashed (${reason}) and was replaced by a fresh one. This chapter's variables are lost: run the cells again (Run all).`;
    if (victim) {
      victim.notice(text, "warn", "run");
      if (cause === "memory") {
        victim.state("stopped: out of memory");
        victim.alert(`Stopped: this cell used too much memory. ${text}`, "memory");
      } else victim.alert(text);
    }
    kernelStatus(text);
    announce(text);
  }

  stop(view: CellView | null): void {
    if (!this.#kernel.busy) {
      view?.notice("Nothing is running.", "info", "run");
      return;
    }
    const victim = this.#replace("stop");
    const text =
      "Stopped. The kernel was restarted, so this chapter's state was lost: every variable from earlier cells is gone. Run the cells again (Run all) to rebuild it.";
    if (victim) {
      victim.notice(text, "warn", "run");
      victim.state("stopped");
    }
    kernelStatus(text);
    announce(text);
  }

  restart(): void {
    this.#replace("restart");
    const text = "Kernel restarted: this chapter's state was cleared. Run the cells again (Run all).";
    kernelStatus(text);
    announce(text);
  }

  /** Runs every cell in order. While it runs, Run all again does nothing (Stop ends it). */
  async runAll(): Promise<void> {
    if (this.#runningAll) {
      announce("Run all is already running. Stop ends it.");
      return;
    }
    this.#runningAll = true;
    try {
      kernelStatus("Running every cell in order… (Stop ends it)");
      for (const view of this.#order) {
        const ok = await this.schedule(view);
        if (!ok) {
          kernelStatus(`Run all stopped at “${view.label}”.`);
          return;
        }
      }
      kernelStatus("Every cell ran.");
    } finally {
      this.#runningAll = false;
    }
  }

  reset(view: CellView): void {
    const wasShared = view.shared;
    const back = wasShared ? (this.#before.get(view.id) ?? null) : null;
    const doc = back ?? view.original;
    this.#setCode(view, doc);
    saveEdit(view.id, doc, view.original);
    view.mark({ edited: doc !== view.original, shared: false });
    this.#before.delete(view.id);
    // Reset also brings the cell's inputs back to their defaults (and out of the URL).
    if (cellHasInputs(view.element)) void this.#inputs(view, (r) => r.reset(view));
    if (back !== null) {
      view.notice("Your own saved version is back. The shared code is still in the link.");
      announce(`${view.label}: your saved version restored.`);
    } else {
      view.notice(null);
      announce(`${view.label}: original code restored.`);
    }
  }

  resetAll(): void {
    for (const view of this.#order) this.reset(view);
    kernelStatus("Every cell has its original code again.");
  }

  /**
   * The cell's link: its inputs' values in the query, and its code in the fragment when
   * it differs from the site's (unedited code needs none, and such a link may run on open).
   */
  async share(view: CellView): Promise<void> {
    const code = view.code;
    const payload = compressToEncodedURIComponent(code);
    const plain = (): string => shareUrl(new URL(location.href), view.id, payload, code).toString();
    // With inputs, the link carries their values (input-runs.ts); without that chunk, the code alone.
    const url = cellHasInputs(view.element)
      ? await this.#inputRuns().then((r) => r.shareLink(view, payload), plain)
      : plain();
    const ok = await copyText(url);
    const warning = lengthWarning(url.length);
    const a = document.createElement("a");
    a.href = url;
    a.textContent = "shared link";
    a.dataset["shareLink"] = "";
    view.noticeWith(
      warning ? "warn" : "info",
      ok ? "Link to this version of the cell copied: " : "Link to this version of the cell: ",
      a,
      warning ? `. ${warning}` : "",
    );
    announce(
      ok ? `Share link copied.${warning ? ` ${warning}` : ""}` : "Share link ready in the cell's notice.",
    );
  }
}

/** An earlier `?cell=&code=` link, rewritten to the fragment form (the same code). */
function withoutShareKeepingCode(url: URL, shared: SharedCode): string {
  const code = decodeShared(shared);
  const clean = withoutShare(url);
  return code === null ? clean.href : shareUrl(clean, shared.cellId, shared.payload, code).href;
}

let notebook: Notebook | null = null;

export function action(name: string, el: HTMLElement | null, control: Element | null = null): void {
  if (!notebook) return;
  const view = notebook.cell(el);
  switch (name) {
    case "run":
      if (view) void notebook.schedule(view);
      break;
    case "stop":
      notebook.stop(view);
      break;
    case "reset":
      if (view) notebook.reset(view);
      break;
    case "share":
      if (view) void notebook.share(view);
      break;
    case "input":
      if (view && control) void notebook.inputChanged(view, control);
      break;
    case "run-all":
      void notebook.runAll();
      break;
    case "restart":
      notebook.restart();
      break;
    case "reset-all":
      notebook.resetAll();
      break;
  }
}

export function focusEditor(el: HTMLElement): void {
  notebook?.cell(el)?.focus();
}

export function mount(): Promise<void> {
  if (!notebook) {
    notebook = new Notebook();
    notebook.mount();
  }
  return Promise.resolve();
}
