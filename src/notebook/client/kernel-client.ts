/**
 * The page's side of a chapter's kernel: the worker's lifecycle, the run queue, run ids
 * and crashes. No DOM: it is driven by notebook-ui.ts and tested in Node with a fake
 * worker (test/notebook/kernel-client.test.ts).
 *
 * Terminology (see also protocol.ts)
 *   port      one connection to one kernel: a Web Worker today. `connect` makes one; the
 *             client never names `Worker`, so the kernel can live elsewhere (a sandboxed
 *             frame) by passing another factory.
 *   run       one execution of one cell. `run()` queues it and returns a promise that
 *             resolves true (the cell ran without throwing) or false (it threw, or it was
 *             cancelled). Its listener receives the run's events, and only its own.
 *   count     the execution count, "[n]": runs finished by the current kernel.
 *
 * Invariants
 *   1. At most one run is sent to the kernel at a time, in the order runs were queued.
 *   2. A message is delivered only when it comes from the current port and carries the
 *      runId of the run in progress, or (output and update only) of the last finished
 *      run of a cell that has not run since: a timer the cell started goes on after its
 *      "done". Anything else (a terminated worker's last words, a stale run) is dropped.
 *   3. `replace()` and a crash end every run, running and queued, with a "cancelled"
 *      event, resolve each promise false, and connect a fresh kernel. Nothing stays
 *      pending.
 */
import type { InputValues } from "../inputs/spec.ts";
import type { FromWorker, OutputItem, ToWorker } from "../protocol.ts";

/** One connection to a kernel. */
export interface KernelPort {
  post(msg: ToWorker): void;
  terminate(): void;
}

/** What a port reports back: the kernel's messages, and its death. */
export interface PortHandlers {
  message(msg: FromWorker): void;
  /** The kernel died; `cause` "memory" when its process ran out of memory. */
  error(reason: string, cause?: CrashCause): void;
}

/** Why a kernel died on its own. */
/** crash: the kernel died; memory: its frame ran out of memory; load: it never started (its script did not load). */
export type CrashCause = "crash" | "memory" | "load";

/** Makes a port: starts a kernel and wires its messages to `on`. */
export type KernelFactory = (on: PortHandlers) => KernelPort;

export type KernelStatus = "starting" | "idle" | "busy" | "unavailable";

/** Why a run was cancelled: a Stop, a Restart, the kernel crashing, or a newer input value. */
export type CancelCause = "stop" | "restart" | "crash" | "input";

export type RunEvent =
  | { type: "start"; runId: number }
  | { type: "output"; item: OutputItem }
  | { type: "update"; item: OutputItem }
  | { type: "progress"; ops: number }
  /** The run declared an input: untrusted, checked by the page (inputs/spec.ts checkSpec). */
  | { type: "input"; spec: unknown }
  | { type: "done"; ok: boolean; ms: number; count: number }
  | { type: "cancelled"; cause: CancelCause; wasRunning: boolean };

export type RunListener = (event: RunEvent) => void;

export interface KernelClientOptions {
  connect: KernelFactory;
  onStatus?: (status: KernelStatus) => void;
  /** After a crash has cancelled every run and a fresh kernel was connected. */
  onCrash?: (reason: string, victim: string | null, cause: CrashCause) => void;
}

interface Run {
  runId: number;
  cellId: string;
  code: () => string;
  inputs: () => InputValues;
  listener: RunListener;
  resolve: (ok: boolean) => void;
  sent: boolean;
}

/** What `replace()` ended. */
export interface Cancelled {
  running: string | null;
  queued: string[];
}

export class KernelClient {
  readonly #connect: KernelFactory;
  readonly #onStatus: (status: KernelStatus) => void;
  readonly #onCrash: (reason: string, victim: string | null, cause: CrashCause) => void;
  #port: KernelPort | null = null;
  #ready = false;
  #current: Run | null = null;
  readonly #queue: Run[] = [];
  #nextRunId = 1;
  #count = 0;
  /** The last finished run of each cell, by runId, for outputs that come after "done". */
  readonly #finished = new Map<number, Run>();

  constructor(options: KernelClientOptions) {
    this.#connect = options.connect;
    this.#onStatus = options.onStatus ?? (() => {});
    this.#onCrash = options.onCrash ?? (() => {});
  }

  /** Connects the first kernel (idempotent). */
  start(): void {
    if (!this.#port) this.#open();
  }

  /** The cell whose run is in progress, or null. */
  get running(): string | null {
    return this.#current?.cellId ?? null;
  }

  /** True while a run is in progress or queued. */
  get busy(): boolean {
    return this.#current !== null || this.#queue.length > 0;
  }

  /** Cells with a run in progress or queued, in order. */
  get pending(): string[] {
    return [...(this.#current ? [this.#current.cellId] : []), ...this.#queue.map((r) => r.cellId)];
  }

  /** Queues a run of `cellId`; `code` and `inputs` (its controls' values) are read when the run is sent. */
  run(
    cellId: string,
    code: () => string,
    listener: RunListener,
    inputs: () => InputValues = () => ({}),
  ): Promise<boolean> {
    return new Promise((resolve) => {
      this.#queue.push({ runId: this.#nextRunId++, cellId, code, inputs, listener, resolve, sent: false });
      this.#pump();
    });
  }

  /** Cancels the queued (not yet sent) runs of `cellId`; the kernel and the run in progress go on. */
  cancelQueued(cellId: string, cause: CancelCause): number {
    const dropped = this.#queue.filter((r) => r.cellId === cellId);
    if (dropped.length === 0) return 0;
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter((r) => r.cellId !== cellId));
    for (const r of dropped) {
      r.listener({ type: "cancelled", cause, wasRunning: false });
      r.resolve(false);
    }
    return dropped.length;
  }

  /** Terminates the kernel, cancels every run, and connects a fresh kernel (unless `reconnect` is false). */
  replace(cause: CancelCause, reconnect = true): Cancelled {
    this.#port?.terminate();
    this.#port = null;
    const current = this.#current;
    const queued = this.#queue.splice(0);
    this.#current = null;
    this.#count = 0;
    this.#finished.clear();
    if (reconnect) this.#open();
    else this.#onStatus("unavailable");
    if (current) {
      current.listener({ type: "cancelled", cause, wasRunning: true });
      current.resolve(false);
    }
    for (const r of queued) {
      r.listener({ type: "cancelled", cause, wasRunning: false });
      r.resolve(false);
    }
    return { running: current?.cellId ?? null, queued: queued.map((r) => r.cellId) };
  }

  #open(): void {
    this.#ready = false;
    this.#onStatus("starting");
    let port: KernelPort | null = null;
    const mine = (): boolean => port !== null && port === this.#port;
    port = this.#connect({
      message: (msg) => {
        if (mine()) this.#onMessage(msg);
      },
      error: (reason, cause = "crash") => {
        if (!mine()) return;
        const victim = this.#current?.cellId ?? null;
        // A kernel whose script did not load is not replaced at once (it would fail the
        // same way): the next run connects one.
        this.replace("crash", cause !== "load");
        this.#onCrash(reason, victim, cause);
      },
    });
    this.#port = port;
  }

  #pump(): void {
    if (!this.#port && this.#queue.length > 0) this.#open(); // after a kernel that did not load
    if (this.#current || !this.#port) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#current = next;
    for (const [id, r] of this.#finished) if (r.cellId === next.cellId) this.#finished.delete(id);
    this.#onStatus("busy");
    next.listener({ type: "start", runId: next.runId });
    this.#send();
  }

  #send(): void {
    const run = this.#current;
    if (!run || run.sent || !this.#ready || !this.#port) return;
    run.sent = true;
    this.#port.post({
      type: "run",
      runId: run.runId,
      cellId: run.cellId,
      code: run.code(),
      inputs: run.inputs(),
    });
  }

  #onMessage(msg: FromWorker): void {
    if (msg.type === "ready") {
      this.#ready = true;
      this.#onStatus(this.#current ? "busy" : "idle");
      this.#send();
      return;
    }
    if (msg.type === "need-figures") return; // answered by the transport (kernel-host.ts)
    const run = this.#current;
    if (!run || msg.runId !== run.runId) {
      const ended = this.#finished.get(msg.runId);
      if (ended && (msg.type === "output" || msg.type === "update"))
        ended.listener({ type: msg.type, item: msg.item });
      return;
    }
    switch (msg.type) {
      case "output":
      case "update":
        run.listener({ type: msg.type, item: msg.item });
        break;
      case "progress":
        run.listener({ type: "progress", ops: msg.ops });
        break;
      case "input":
        run.listener({ type: "input", spec: msg.spec });
        break;
      case "done":
        this.#current = null;
        this.#finished.set(run.runId, run);
        this.#count++;
        this.#onStatus("idle");
        run.listener({ type: "done", ok: msg.ok, ms: msg.ms, count: this.#count });
        run.resolve(msg.ok);
        this.#pump();
        break;
    }
  }
}
