/**
 * The kernel's Web Worker: one per chapter page. It owns a Kernel and answers the
 * page's "run" messages one at a time, in the order they arrive (protocol.ts).
 * Cells never run on the page's thread, so a busy loop freezes only this worker,
 * which the page can terminate.
 *
 * Before anything else, lockdown.ts takes away what a cell must not reach (network,
 * storage, other workers, the worker's own postMessage). The chart script (Plot and
 * its DOM) is loaded on first use: the kernel asks the page, which fetches it and
 * sends its text; it runs here from a blob: URL.
 *
 * While no run is queued, a fresh worker warms itself up (warm-up.ts): it compiles a
 * small cell and runs the model's hot code on small maps, so
 * that the reader's first large cell does not pay for cold code. A run pauses it.
 *
 * Errors nothing caught (an exception in a callback scheduled through globalThis, a
 * rejected promise without a handler) are handed to the kernel, which reports them in
 * the run they belong to; they never end the worker.
 */
import type { Figures } from "./figures.ts";
import { Kernel } from "./kernel.ts";
import { lockdown } from "./lockdown.ts";
import { LogBatch } from "./log-batch.ts";
import { CHAPTER_SEED, FIGURES_GLOBAL, type FromWorker, type ToWorker } from "./protocol.ts";
import { IdleWarmUp, warmUpSteps } from "./warm-up.ts";

const { post: postRaw, importScript } = lockdown(self);
const post = (msg: FromWorker): void => postRaw(msg);

type FiguresMessage = Extract<ToWorker, { type: "figures" }>;
let figuresArrived: ((msg: FiguresMessage) => void) | null = null;
async function loadFigures(): Promise<Figures> {
  const { code, error, url } = await new Promise<FiguresMessage>((resolve) => {
    figuresArrived = resolve;
    post({ type: "need-figures" });
  });
  if (url !== undefined) {
    await import(/* @vite-ignore */ url); // astro dev: a module worker, unbundled modules
  } else {
    if (code === null) throw new Error(error ?? "the chart script could not be fetched");
    const blob = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    try {
      importScript(blob);
    } finally {
      URL.revokeObjectURL(blob);
    }
  }
  const scope = globalThis as Record<string, unknown>;
  const create = scope[FIGURES_GLOBAL] as (() => Figures) | undefined;
  Reflect.deleteProperty(scope, FIGURES_GLOBAL);
  if (!create) throw new Error("the chart script did not load");
  return create();
}

// Console lines go out in batches (log-batch.ts), one run's at a time; anything else,
// or a line of another run (a timer's), first sends the batch.
let logTag = 0;
const logs = new LogBatch((item) => post({ type: "output", runId: logTag, item }));
const kernel = new Kernel({
  seed: CHAPTER_SEED,
  figures: loadFigures,
  emit: (e) => {
    if (e.type === "output" && e.item.kind === "log") {
      if (e.tag !== logTag) logs.flush();
      logTag = e.tag;
      return logs.push(e.item);
    }
    logs.flush();
    if (e.type === "progress") post({ type: "progress", runId: e.tag, ops: e.ops });
    else if (e.type === "input") post({ type: "input", runId: e.tag, spec: e.spec });
    else post({ type: e.type, runId: e.tag, item: e.item });
  },
});

self.addEventListener("error", (event: ErrorEvent) => {
  event.preventDefault();
  kernel.reportUncaught(event.error ?? new Error(event.message), "exception");
});
self.addEventListener("unhandledrejection", (event: PromiseRejectionEvent) => {
  event.preventDefault();
  kernel.reportUncaught(event.reason, "rejection");
});

// The kernel's own macrotask, captured before any cell runs.
const later = globalThis.setTimeout.bind(globalThis);
const warmUp = new IdleWarmUp(warmUpSteps(), (fn) => void later(fn, 0));

let queue: Promise<void> = Promise.resolve();
let queued = 0;
self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === "figures") {
    figuresArrived?.(msg);
    figuresArrived = null;
    return;
  }
  if (msg.type !== "run") return;
  warmUp.pause();
  queued++;
  queue = queue.then(async () => {
    try {
      logTag = msg.runId;
      const result = await kernel.run(msg.cellId, msg.code, msg.runId, msg.inputs ?? {});
      logs.end();
      post({ type: "done", runId: msg.runId, ok: result.ok, ms: result.ms });
    } finally {
      if (--queued === 0) warmUp.resume();
    }
  });
});

post({ type: "ready" });
warmUp.start();
