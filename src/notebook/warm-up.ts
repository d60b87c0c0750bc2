/**
 * A fresh kernel's warm-up: what the worker does while the reader is still reading.
 *
 * A new worker starts with cold code: the engine interprets the model's loops until
 * it has seen enough of them to compile them, and the cell compiler is compiled on
 * first use. A reader's first large cell paid for all of it: `npm run bench:site`
 * times the playground's 1M-entry experiment at once after a restart and after a
 * second of idle (docs/model.md, "Cost and speed").
 *
 * So once the worker is up and idle it runs a short list of steps, one per
 * macrotask, each a few milliseconds:
 *
 *   compile    a small cell through compile.ts (sucrase's parser and transform);
 *   classic    the article's program at WARM_ENTRIES on Go 1.23 (insertRange with a
 *              heap-only sampler, as liveHeap watches it, GC, deleteRange, GC, a
 *              few single sets and deletes, readMemStats);
 *   swiss      the same on Go 1.27; the two alternate, four times each, so that
 *              no step holds the worker for more than a few milliseconds;
 *
 * A run that arrives pauses the warm-up: the step under way finishes (a few ms),
 * the run goes first, and the rest resumes once the kernel is idle again.
 *
 * Invariants
 *   1. Nothing a cell can see changes: the steps make their own runtimes and maps
 *      (seeded, thrown away) and never touch the kernel's scope; a run after the
 *      warm-up gives the outputs it gives without it (test/notebook/warm-up.test.ts).
 *   2. A step that throws is skipped silently: warming is an optimisation, never a
 *      reason for a kernel to fail.
 */
import { compileCell } from "./compile.ts";
import { goRuntime } from "./model.ts";

/**
 * Entries of one warm-up program: a step of a few ms even on cold code, and over eight
 * steps enough calls for the engine to optimise the model's per-key code and loops.
 */
export const WARM_ENTRIES = 5_000;

/** One small program on one release, its results thrown away. */
export function warmModel(go: "1.23" | "1.27", entries = WARM_ENTRIES): void {
  const rt = goRuntime({ go, seed: 7 });
  let samples = 0;
  rt.onSample(1_000, () => void samples++, { heapOnly: true });
  const m = rt.makeMap("int", "[128]byte");
  m.insertRange(0, entries);
  rt.GC();
  for (let k = 0; k < 64; k++) m.set(entries + k);
  for (let k = 0; k < 64; k++) m.delete(entries + k);
  m.deleteRange(0, entries);
  rt.GC();
  rt.readMemStats();
  rt.drop(m);
}

/**
 * The warm-up's steps, in order (see the header). The chart script (Plot with its
 * DOM, for a cell's own Plot calls) is not among them: heap charts and map pictures
 * are drawn by the page, and a reader who never calls Plot never fetches it.
 */
export function warmUpSteps(): (() => unknown)[] {
  return [
    () => compileCell('const n: number = 1_000;\nconst m = rt.makeMap("int", "[128]byte");\ndisplay(n);'),
    ...Array.from({ length: 8 }, (_, i) => () => warmModel(i % 2 === 0 ? "1.23" : "1.27")),
  ];
}

/**
 * Runs `steps` one per macrotask (`schedule`) while not paused; `pause()` before a
 * run, `resume()` when the kernel is idle again. Each step runs once.
 */
export class IdleWarmUp {
  private next = 0;
  private paused = false;
  private pending = false;
  private readonly steps: (() => unknown)[];
  private readonly schedule: (fn: () => void) => void;

  constructor(steps: (() => unknown)[], schedule: (fn: () => void) => void) {
    this.steps = steps;
    this.schedule = schedule;
  }

  /** Steps not yet run. */
  get left(): number {
    return this.steps.length - this.next;
  }

  start(): void {
    this.paused = false;
    this.plan();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.start();
  }

  private plan(): void {
    if (this.pending || this.paused || this.next >= this.steps.length) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      if (this.paused || this.next >= this.steps.length) return;
      const step = this.steps[this.next++] as () => unknown;
      let result: unknown;
      try {
        result = step();
      } catch {
        result = undefined; // invariant 2
      }
      // A step that returns a promise (the chart script) is waited for before the next.
      Promise.resolve(result).then(
        () => this.plan(),
        () => this.plan(),
      );
    });
  }
}
