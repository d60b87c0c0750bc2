import { expect, test } from "vitest";
import type { FromWorker, ToWorker } from "../../src/notebook/protocol.ts";

// The worker module, loaded in Node with a stand-in for the worker's global scope:
// it must announce itself, answer runs in order, and tag every message with its run.
test("the worker protocol: ready, then output/update/progress and done per run, in order", async () => {
  const posted: FromWorker[] = [];
  let onMessage: ((e: { data: ToWorker }) => void) | null = null;
  const scope = {
    postMessage: (m: FromWorker) => posted.push(structuredClone(m)),
    addEventListener: (type: string, fn: (e: { data: ToWorker }) => void) => {
      if (type === "message") onMessage = fn;
    },
  };
  Object.assign(globalThis, { self: scope });
  try {
    await import("../../src/notebook/worker.ts");
    expect(posted).toEqual([{ type: "ready" }]);
    const send = (m: ToWorker): void => onMessage?.({ data: m });
    send({ type: "run", runId: 1, cellId: "a", code: "const x: number = 2;\ndisplay(x * 21)" });
    send({ type: "run", runId: 2, cellId: "b", code: "display(x + 1)\nthrow new Error('late')" });
    await expect.poll(() => posted.filter((m) => m.type === "done").length).toBe(2);
    const byRun = (id: number) => posted.filter((m) => "runId" in m && m.runId === id).map((m) => m.type);
    expect(byRun(1)).toEqual(["output", "done"]);
    expect(byRun(2)).toEqual(["output", "output", "done"]);
    expect(posted[1]).toEqual({ type: "output", runId: 1, item: { kind: "text", text: "42" } });
    expect(posted.at(-2)).toMatchObject({
      type: "output",
      runId: 2,
      item: { kind: "error", message: "late", line: 2 },
    });
    expect(posted.at(-1)).toMatchObject({ type: "done", runId: 2, ok: false });
  } finally {
    delete (globalThis as { self?: unknown }).self;
  }
});
