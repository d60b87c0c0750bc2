/**
 * The notebook, awake: loaded by boot.ts on the first interaction, never before. It
 * wires three pieces together and holds the page-level actions:
 *
 *   kernel-client.ts   the chapter's kernel (worker lifecycle, queue, run ids, crashes)
 *   cell-view.ts       one view per cell (editor, count, state, notice, progress, output)
 *   storage.ts         the reader's saved edits
 *
 * Stop and Restart terminate the kernel (the only way to stop a busy loop) and start a
 * fresh one; the chapter's variables are lost and the page says so. A kernel that dies
 * on its own (an uncaught error outside a run, a crash) is reported and replaced.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import { announce, copyText } from "./announce.ts";
import { CellView } from "./cell-view.ts";
import { KernelClient, type KernelStatus } from "./kernel-client.ts";
import { connectWorker } from "./kernel-worker.ts";
import { loadEdit, saveEdit } from "./storage.ts";

function kernelStatus(text: string): void {
  const el = document.querySelector<HTMLElement>("[data-kernel-status]");
  if (el) el.textContent = text;
}

class Notebook {
  readonly #cells = new Map<string, CellView>();
  readonly #order: CellView[] = [];
  readonly #kernel: KernelClient;
  /** Runs finished on this page, in any kernel: a cell is stale when one above ran after it. */
  #seq = 0;

  constructor() {
    this.#kernel = new KernelClient({
      connect: connectWorker,
      onStatus: (s: KernelStatus) => (document.documentElement.dataset["kernel"] = s),
      onCrash: (reason, victim) => this.#crashed(reason, victim),
    });
  }

  mount(): void {
    const params = new URLSearchParams(location.search);
    const sharedId = params.get("cell");
    const sharedCode = params.get("code");
    for (const [index, el] of [...document.querySelectorAll<HTMLElement>("[data-cell]")].entries()) {
      const view = CellView.from(el, index);
      if (!view) continue;
      const saved = loadEdit(view.id);
      let doc = view.original;
      let shared = false;
      if (sharedId === view.id && sharedCode) {
        const decoded = decompressFromEncodedURIComponent(sharedCode);
        if (decoded) {
          doc = decoded;
          shared = true;
        }
      } else if (saved !== null) doc = saved;
      view.mountEditor(doc, {
        run: () => void this.schedule(view),
        change: (d) => {
          saveEdit(view.id, d, view.original);
          view.mark({ edited: d !== view.original });
        },
      });
      this.#cells.set(view.id, view);
      this.#order.push(view);
      if (shared) {
        view.mark({ shared: true });
        view.notice(
          "This cell holds code from a shared link. It has not been run: read it, then press Run to run it. Reset brings back the original.",
          "warn",
        );
      } else if (saved !== null && saved !== view.original) {
        view.mark({ edited: true });
        view.notice("Your edited version, saved in this browser. Reset brings back the original.");
      }
    }
    kernelStatus("Kernel ready. Outputs below are from the build until you run a cell.");
    this.#kernel.start();
    document.documentElement.dataset["notebook"] = "ready";
    if (sharedId) this.#cells.get(sharedId)?.scrollIntoView();
  }

  cell(el: HTMLElement | null): CellView | null {
    return el ? (this.#cells.get(el.id) ?? null) : null;
  }

  /** Queues a run; resolves once it finished and its outputs are drawn (true when it did not throw). */
  schedule(view: CellView): Promise<boolean> {
    view.queued();
    return new Promise((resolve) => {
      void this.#kernel.run(
        view.id,
        () => view.code,
        (e) => {
          switch (e.type) {
            case "start":
              view.started(e.runId);
              break;
            case "output":
              view.output(e.item);
              break;
            case "update":
              view.update(e.item);
              break;
            case "progress":
              view.progress(e.ops);
              break;
            case "done": {
              const seq = ++this.#seq;
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
              resolve(false);
              break;
          }
        },
      );
    });
  }

  /** Ends every run and starts a fresh kernel; every cell's state is lost. */
  #replace(cause: "stop" | "restart"): CellView | null {
    const { running } = this.#kernel.replace(cause);
    this.#lost();
    return running ? (this.#cells.get(running) ?? null) : null;
  }

  #lost(): void {
    for (const view of this.#order) view.lost();
  }

  #crashed(reason: string, victimId: string | null): void {
    this.#lost();
    const text = `The kernel crashed (${reason}) and was replaced by a fresh one. This chapter's variables are lost: run the cells again (Run all).`;
    const victim = victimId ? this.#cells.get(victimId) : undefined;
    if (victim) {
      victim.notice(text, "warn");
      victim.alert(text);
    }
    kernelStatus(text);
    announce(text);
  }

  stop(view: CellView | null): void {
    if (!this.#kernel.busy) {
      view?.notice("Nothing is running.");
      return;
    }
    const victim = this.#replace("stop");
    const text =
      "Stopped. The kernel was restarted, so this chapter's state was lost: every variable from earlier cells is gone. Run the cells again (Run all) to rebuild it.";
    if (victim) {
      victim.notice(text, "warn");
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

  async runAll(): Promise<void> {
    kernelStatus("Running every cell in order…");
    for (const view of this.#order) {
      const ok = await this.schedule(view);
      if (!ok) {
        kernelStatus(`Run all stopped at “${view.label}”.`);
        return;
      }
    }
    kernelStatus("Every cell ran.");
  }

  reset(view: CellView): void {
    view.setCode(view.original);
    saveEdit(view.id, view.original, view.original);
    view.mark({ edited: false, shared: false });
    view.notice(null);
    announce(`${view.label}: original code restored.`);
  }

  resetAll(): void {
    for (const view of this.#order) this.reset(view);
    kernelStatus("Every cell has its original code again.");
  }

  async share(view: CellView): Promise<void> {
    const url = new URL(location.href);
    url.search = "";
    url.searchParams.set("cell", view.id);
    url.searchParams.set("code", compressToEncodedURIComponent(view.code));
    url.hash = view.id;
    const ok = await copyText(url.toString());
    view.noticeLink(
      ok ? "Link to this version of the cell copied: " : "Link to this version of the cell: ",
      url.toString(),
      "shared link",
    );
    announce(ok ? "Share link copied." : "Share link ready in the cell's notice.");
  }
}

let notebook: Notebook | null = null;

export function action(name: string, el: HTMLElement | null): void {
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
