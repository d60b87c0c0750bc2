/**
 * The estimate behind /your-map/: a reader's map type and workload, run on the model.
 *
 *   state ──plan()──▶ scenario ──runScenario()──▶ snapshots ──▶ MainRun ─┐
 *     │                  └─generateProgram()──▶ the Go program          ├─ compare() ─▶ Estimate
 *     └──plan(variant)──▶ a fix's scenario ──runScenario()──▶ FixRun ───┘  (figures.ts)
 *
 * Every figure is a snapshot of a model run (src/model/scenario.ts), never a formula:
 * "at the peak" and "after the drain" are HeapAlloc after runtime.GC() minus the
 * runtime's own heap before the map existed (the snapshot "base"). The split into the
 * map's own memory (buckets or tables, overflow, out-of-line keys and elems) and the
 * objects its entries point to (string bytes, slices' backing arrays, *T pointees, as
 * the model lists them for the types and lengths: GoType.objects) counts those per
 * entry at their allocated sizes (heap/malloc.ts: size classes, the tiny allocator
 * below 16 bytes) and gives the rest to the map.
 *
 * The main run is the reader's workload, with a recreate after the drain at its end
 * (the fix "recreate" costs one step, not a run) and snapshots sampled for the chart.
 * Each other fix is a run of its own (workload.ts): the shrink policy, pointer values
 * and the other release; they take only the snapshots their two figures need. The
 * runs are independent, so the page runs the main one first and the fixes after it,
 * in parallel workers (page.ts); estimate() runs them all in turn (the build, tests).
 * Runs are synchronous; cancelling is the caller's: the page terminates the worker.
 */
import { checkScenario, runScenario, type SnapshotRow } from "../model/scenario.ts";
import { mallocSize } from "../model/heap/malloc.ts";
import { versionRules } from "../model/versions.ts";
import type { GoType, GoVersion } from "../model/contract.ts";
import { checkScenario as checkHarnessScenario } from "../go-program/scenario.ts";
import { generateProgram } from "../go-program/generate.ts";
import { problems } from "./check.ts";
import {
  compare,
  type Estimate,
  type FixRun,
  type FixRunId,
  type Held,
  type MainRun,
  type Point,
} from "./figures.ts";
import type { YourMapState } from "./state.ts";
import { plan, type Variant, type WorkloadPlan } from "./workload.ts";

export type { Estimate, Fix, FixId, FixRun, FixRunId, Held, MainRun, Point } from "./figures.ts";

export interface RunOptions {
  /** Fraction of this run done, 0 … 1. */
  readonly onProgress?: (done: number) => void;
  readonly seed?: number;
}

export interface EstimateOptions extends RunOptions {
  readonly onPartial?: (e: Estimate) => void;
  /** Run the fixes too (default true); false runs only the reader's workload. */
  readonly fixes?: boolean;
}

export class EstimateInputError extends Error {}

/**
 * Bytes the objects one entry points to add to the heap: the model's list of them for
 * the key and elem types with their lengths (GoType.objects, src/model/types.ts), each
 * at its allocated size; a tiny object (noscan, under 16 bytes) at its own size, since
 * the tiny allocator packs several into one block.
 */
function pointeeBytes(t: GoType, go: GoVersion): number {
  const rules = versionRules(go);
  return (t.objects ?? []).reduce(
    (sum, o) => sum + (o.noscan && o.size < 16 ? o.size : mallocSize(o.size, o.noscan, rules)),
    0,
  );
}

function otherRelease(go: GoVersion): GoVersion {
  return versionRules(go).map === "classic" ? "1.27" : "1.23";
}

interface Run {
  readonly plan: WorkloadPlan;
  readonly rows: ReadonlyMap<string, SnapshotRow>;
  readonly list: readonly SnapshotRow[];
}

function runPlan(p: WorkloadPlan, seed: number, onProgress: ((done: number) => void) | undefined): Run {
  const sc = checkScenario(p.scenario);
  const total = p.ops || 1;
  const list = runScenario(sc, {
    seed,
    internals: false,
    ...(onProgress
      ? { onSnapshot: (row: SnapshotRow) => onProgress((p.opsAt.get(row.label) ?? 0) / total) }
      : {}),
  });
  onProgress?.(1);
  return { plan: p, rows: new Map(list.map((r) => [r.label, r])), list };
}

function heapAt(run: Run, label: string | null): number {
  const base = run.rows.get("base")?.heapAlloc ?? 0;
  const row = label === null ? undefined : run.rows.get(label);
  if (row === undefined) throw new Error(`the run has no snapshot ${String(label)}`);
  return row.heapAlloc - base;
}

/** The Go program for the main run, by the generator the go-truth harness uses (src/go-program/generate.ts). */
export function goProgram(state: YourMapState): Estimate["program"] {
  try {
    const checked = checkHarnessScenario(plan(state).scenario);
    return { ok: true, text: generateProgram(checked, state.go, "your-map") };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

function checked(state: YourMapState): void {
  const bad = problems(state);
  if (bad.length > 0) throw new EstimateInputError(bad.map((p) => `${p.field}: ${p.message}`).join("; "));
}

/** The fix runs that apply to a state, with the release each runs on. */
export function fixRunsFor(state: YourMapState): MainRun["fixRuns"] {
  const pointerApplies = !state.value.trim().startsWith("*");
  return [
    { id: "shrink", go: state.go },
    ...(pointerApplies ? [{ id: "pointer" as const, go: state.go }] : []),
    { id: "release", go: otherRelease(state.go) },
  ];
}

/**
 * The reader's workload on the model: every figure but the fixes'. Throws
 * EstimateInputError for a state with problems (the page checks first: check.ts).
 */
export function mainRun(state: YourMapState, opts: RunOptions = {}): MainRun {
  checked(state);
  const go = state.go;
  const p = plan(state, "plain", go, { samples: true });
  const types = checkScenario(p.scenario);
  const objectsPerEntry = pointeeBytes(types.key, go) + pointeeBytes(types.elem, go);
  const run = runPlan(p, opts.seed ?? 1, opts.onProgress);
  const held = (label: string): Held => {
    const bytes = heapAt(run, label);
    const entries = run.rows.get(label)?.len ?? 0;
    const objects = Math.min(bytes, entries * objectsPerEntry);
    return { entries, bytes, table: bytes - objects, objects };
  };
  const points: Point[] = run.list
    .filter((r) => r.label !== "recreated")
    .map((r) => {
      const extra = r as Partial<Record<"heapInuse" | "rss", number>>;
      return {
        ops: p.opsAt.get(r.label) ?? 0,
        heapAlloc: r.heapAlloc,
        heapInuse: extra.heapInuse ?? null,
        rss: extra.rss ?? null,
        len: r.len,
        label: r.label,
      };
    });
  return {
    state,
    mapType: `map[${state.key}]${state.value}`,
    go,
    mapKind: versionRules(go).map,
    base: run.rows.get("base")?.heapAlloc ?? 0,
    peak: held(p.peakLabel),
    after: held(p.afterLabel),
    recreated: heapAt(run, p.recreatedLabel),
    points,
    program: goProgram(state),
    afterWords:
      state.workload.kind === "drain"
        ? "after the drain"
        : state.workload.kind === "window"
          ? "after the last round"
          : "after the last day",
    fixRuns: fixRunsFor(state),
  };
}

/** One fix's run: the workload with the fix applied (workload.ts, Variant), on its release. */
export function fixRun(state: YourMapState, id: FixRunId, opts: RunOptions = {}): FixRun {
  checked(state);
  const planned = fixRunsFor(state).find((f) => f.id === id);
  if (planned === undefined) throw new EstimateInputError(`the fix ${id} does not apply to this map`);
  const go = planned.go as GoVersion;
  const variant: Variant = id === "release" ? "plain" : id;
  const p = plan(state, variant, go, { samples: false, recreate: false });
  const run = runPlan(p, opts.seed ?? 1, opts.onProgress);
  return {
    id,
    go,
    mapKind: versionRules(go).map,
    peak: heapAt(run, p.peakLabel),
    after: heapAt(run, p.afterLabel),
    copies: p.copies,
  };
}

/**
 * The whole estimate in this thread, the main run and then each fix (the build's
 * baked example, tests); `onPartial` receives it after each run.
 */
export function estimate(state: YourMapState, opts: EstimateOptions = {}): Estimate {
  const seed = opts.seed ?? 1;
  const runs = opts.fixes === false ? [] : fixRunsFor(state);
  const parts = runs.length + 1;
  const progress = (i: number) => (done: number) => opts.onProgress?.((i + done) / parts);
  const main = mainRun(state, { seed, onProgress: progress(0) });
  const fixes = new Map<FixRunId, FixRun>();
  const shown = (): Estimate => {
    const e = compare(opts.fixes === false ? { ...main, fixRuns: [] } : main, fixes);
    opts.onPartial?.(e);
    return e;
  };
  let last = shown();
  runs.forEach(({ id }, i) => {
    fixes.set(id, fixRun(state, id, { seed, onProgress: progress(i + 1) }));
    last = shown();
  });
  return last;
}

/** Peak entries of a warm-up run: long enough for the engine to optimise the model's loops. */
export const WARM_PEAK = 20_000;

/**
 * The reader's workload at WARM_PEAK entries on both map families (the state's
 * release and the other family's, as the fix "release" runs it), its results thrown
 * away: the engine then has compiled and optimised the model's hot code before the
 * first estimate is asked for, which in a fresh worker otherwise runs 10–25 % slower.
 * It leaves nothing a later run reads (every run makes its own runtime, heap and
 * maps; test/your-map/runs.test.ts checks the figures after it). A state with
 * problems warms nothing.
 */
export function warmUp(state: YourMapState): void {
  if (problems(state).length > 0) return;
  const peak = Math.min(state.peak, WARM_PEAK);
  const w = state.workload;
  const workload = w.kind === "spike" && w.base >= peak ? { ...w, base: Math.floor(peak / 10) } : w;
  const small: YourMapState = { ...state, peak, workload };
  for (const go of [state.go, otherRelease(state.go)]) {
    try {
      mainRun({ ...small, go });
    } catch {
      // a state this small may be refused where the real one is not: nothing to warm
    }
  }
}
