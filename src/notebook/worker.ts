/**
 * The kernel's Web Worker: one per chapter page. It owns a Kernel and answers the
 * page's "run" messages one at a time, in the order they arrive (protocol.ts).
 * Cells never run on the page's thread, so a busy loop freezes only this worker,
 * which the page can terminate.
 */
import { Kernel } from "./kernel.ts";
import { LogBatch } from "./log-batch.ts";
import { CHAPTER_SEED, type FromWorker, type ToWorker } from "./protocol.ts";

const post = (msg: FromWorker): void => (self as unknown as Worker).postMessage(msg);

let runId = 0;
// Console lines go out in batches (log-batch.ts); anything else first sends the batch.
const logs = new LogBatch((item) => post({ type: "output", runId, item }));
const kernel = new Kernel({
  seed: CHAPTER_SEED,
  emit: (e) => {
    if (e.type === "output" && e.item.kind === "log") return logs.push(e.item);
    logs.flush();
    if (e.type === "progress") post({ type: "progress", runId, ops: e.ops });
    else post({ type: e.type, runId, item: e.item });
  },
});

let queue: Promise<void> = Promise.resolve();
self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type !== "run") return;
  queue = queue.then(async () => {
    runId = msg.runId;
    const result = await kernel.run(msg.cellId, msg.code);
    logs.end();
    post({ type: "done", runId: msg.runId, ok: result.ok, ms: result.ms });
  });
});

post({ type: "ready" });
