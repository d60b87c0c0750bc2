/**
 * The estimate behind /your-map/: a reader's map type and workload, run on the model,
 * and the figures the page shows.
 *
 *   state ──plan()──▶ scenario ──runScenario()──▶ snapshots ──▶ Estimate
 *                        │                                         ├ chart points
 *                        └─generateProgram()──▶ the Go program     ├ bytes per entry
 *                                                                  ├ what stays
 *                                                                  ├ fixes, compared
 *                                                                  └ recommendation
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
 * The fixes are runs of their own (workload.ts): a recreate after the drain is one step
 * at the end of the main run; the shrink policy, pointer values and the other release
 * are one run each. maps.Clone is not run: the runtime's mapclone decides what it is
 * (content/solutions.mdx, "maps.Clone is not always a recreate"): Go 1.21–1.24 size the
 * clone by len (mapclone2: makemap(t, src.count)), like the recreate; Go 1.25 and later
 * copy every table at its capacity ((*Map).Clone, (*table).clone), like doing nothing.
 *
 * Runs are synchronous; `onPartial` receives the estimate after each run, so the page
 * shows the main figures first and the fixes as they arrive. Cancelling is the caller's:
 * the page's worker is terminated when an input changes.
 */
import { checkScenario, runScenario, type SnapshotRow } from "../model/scenario.ts";
import { mallocSize } from "../model/heap/malloc.ts";
import { versionRules } from "../model/versions.ts";
import type { GoType, GoVersion } from "../model/contract.ts";
import { checkScenario as checkHarnessScenario } from "../go-program/scenario.ts";
import { generateProgram } from "../go-program/generate.ts";
import { problems } from "./check.ts";
import type { YourMapState } from "./state.ts";
import { plan, type Variant, type WorkloadPlan } from "./workload.ts";

export interface Point {
  /** Map writes so far. */
  readonly ops: number;
  readonly heapAlloc: number;
  /** runtime.MemStats.HeapInuse and the process's resident set, where the model has them. */
  readonly heapInuse: number | null;
  readonly rss: number | null;
  readonly len: number;
  readonly label: string;
}

export interface Held {
  /** len(m) at that moment. */
  readonly entries: number;
  /** HeapAlloc after a collection, minus the runtime's own heap ("base"). */
  readonly bytes: number;
  /** Of those, the map's own: buckets or tables, overflow, out-of-line slots. */
  readonly table: number;
  /** Of those, the objects the entries point to (string bytes, *T pointees). */
  readonly objects: number;
}

export type FixId = "nothing" | "recreate" | "clone" | "shrink" | "pointer" | "release";

export interface Fix {
  readonly id: FixId;
  readonly name: string;
  /** The Go release the numbers are for. */
  readonly go: string;
  /** Bytes held at the peak and after the drain; null when the fix does not apply or is still running. */
  readonly peak: number | null;
  readonly after: number | null;
  readonly note: string;
  readonly pending: boolean;
}

export interface Estimate {
  readonly state: YourMapState;
  readonly mapType: string;
  readonly go: GoVersion;
  readonly mapKind: "classic" | "swiss";
  /** The runtime's own heap before the map exists. */
  readonly base: number;
  readonly peak: Held;
  readonly after: Held;
  /** After the drain, what the map holds beyond a freshly made copy of its entries. */
  readonly stays: number;
  readonly recreated: number;
  readonly points: readonly Point[];
  readonly fixes: readonly Fix[];
  readonly recommendation: string;
  /** The Go program that reproduces the main run, or why none can be written. */
  readonly program:
    { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string };
  /** Every fix has its numbers. */
  readonly complete: boolean;
  /** Words for the workload's phases: "after the drain", "after the last round". */
  readonly afterWords: string;
}

export interface EstimateOptions {
  /** Fraction done, 0 … 1. */
  readonly onProgress?: (done: number) => void;
  readonly onPartial?: (e: Estimate) => void;
  readonly seed?: number;
  /** Run the fixes too (default true); false runs only the reader's workload. */
  readonly fixes?: boolean;
}

export class EstimateInputError extends Error {}

const MiB = 2 ** 20;

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

function minor(go: string): number {
  return Number(go.split(".")[1]);
}

const bytesText = (b: number): string =>
  b >= 10 * MiB
    ? `${(b / MiB).toFixed(0)} MiB`
    : b >= MiB
      ? `${(b / MiB).toFixed(1)} MiB`
      : `${(b / 1024).toFixed(1)} KiB`;

interface Run {
  readonly plan: WorkloadPlan;
  readonly rows: ReadonlyMap<string, SnapshotRow>;
  readonly list: readonly SnapshotRow[];
}

function runPlan(p: WorkloadPlan, seed: number, progress: (ops: number) => void): Run {
  const sc = checkScenario(p.scenario);
  const list = runScenario(sc, {
    seed,
    internals: false,
    onSnapshot: (row) => progress(p.opsAt.get(row.label) ?? 0),
  });
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

function recommend(e: Omit<Estimate, "recommendation" | "complete">, complete: boolean): string {
  const nothing = e.after.bytes;
  const candidates = e.fixes.filter((f) => f.id !== "nothing" && f.after !== null && f.id !== "clone");
  const small = e.stays < Math.max(MiB, 0.1 * nothing);
  if (small)
    return `Do nothing: ${e.afterWords} the map holds ${bytesText(nothing)}, only ${bytesText(Math.max(0, e.stays))} more than a fresh copy of its entries would.`;
  if (candidates.length === 0) return "Waiting for the fixes to be compared…";
  // The smallest heap wins; a simpler fix within 5 % of it wins over a cleverer one.
  const order: FixId[] = ["recreate", "shrink", "pointer", "release"];
  const best = Math.min(...candidates.map((f) => f.after as number));
  const pick = order
    .map((id) => candidates.find((f) => f.id === id))
    .find((f) => f !== undefined && (f.after as number) <= best * 1.05 + 64 * 1024);
  if (pick === undefined) return "Waiting for the fixes to be compared…";
  const saved = `${bytesText(nothing)} to ${bytesText(pick.after as number)}`;
  const tail = complete ? "" : " (more fixes are still being compared)";
  switch (pick.id) {
    case "recreate": {
      const clone =
        minor(e.go) >= 25
          ? " Write the copy loop: on this release maps.Clone keeps the drained size."
          : minor(e.go) >= 21
            ? " maps.Clone(m) does the same on this release."
            : "";
      return `Recreate the map ${e.afterWords} (make a new one sized len(m) and copy the entries): the heap it holds goes from ${saved}.${clone}${tail}`;
    }
    case "shrink":
      return `Add a shrink policy (copy the map when len falls below a quarter of its peak): the heap it holds ${e.afterWords} goes from ${saved}.${tail}`;
    case "pointer":
      return `Store pointers (map[K]*V): ${e.afterWords} the map holds ${bytesText(pick.after as number)} instead of ${bytesText(nothing)}, because the drained slots keep only a pointer each.${tail}`;
    default:
      return `Move to Go ${pick.go}: ${e.afterWords} the same map holds ${bytesText(pick.after as number)} instead of ${bytesText(nothing)}.${tail}`;
  }
}

/**
 * Runs the estimate for a state the page has checked (problems(state) is empty).
 * Throws EstimateInputError for a state with problems.
 */
export function estimate(state: YourMapState, opts: EstimateOptions = {}): Estimate {
  const bad = problems(state);
  if (bad.length > 0) throw new EstimateInputError(bad.map((p) => `${p.field}: ${p.message}`).join("; "));
  const seed = opts.seed ?? 1;
  const go = state.go;
  const other = otherRelease(go);
  const pointerApplies = !state.value.trim().startsWith("*");
  const variants: { id: FixId; variant: Variant; go: GoVersion }[] = [
    { id: "nothing", variant: "plain", go },
    ...(opts.fixes === false
      ? []
      : [
          { id: "shrink" as const, variant: "shrink" as const, go },
          ...(pointerApplies ? [{ id: "pointer" as const, variant: "pointer" as const, go }] : []),
          { id: "release" as const, variant: "plain" as const, go: other },
        ]),
  ];
  const plans = variants.map((v) => plan(state, v.variant, v.go));
  const total = plans.reduce((s, p) => s + p.ops, 0) || 1;
  let doneOps = 0;
  const runs: (Run | null)[] = plans.map(() => null);

  const types = checkScenario((plans[0] as WorkloadPlan).scenario);
  const objectsPerEntry = pointeeBytes(types.key, go) + pointeeBytes(types.elem, go);
  const held = (run: Run, label: string): Held => {
    const bytes = heapAt(run, label);
    const entries = run.rows.get(label)?.len ?? 0;
    const objects = Math.min(bytes, entries * objectsPerEntry);
    return { entries, bytes, table: bytes - objects, objects };
  };
  const mapType = `map[${state.key}]${state.value}`;
  const afterWords =
    state.workload.kind === "drain"
      ? "after the drain"
      : state.workload.kind === "window"
        ? "after the last round"
        : "after the last day";
  const program = goProgram(state);

  const build = (): Estimate => {
    const main = runs[0] as Run;
    const p = main.plan;
    const base = main.rows.get("base")?.heapAlloc ?? 0;
    const recreated = heapAt(main, p.recreatedLabel);
    const after = held(main, p.afterLabel);
    const fixFor = (i: number): Run | null => runs[i] ?? null;
    const fixes: Fix[] = [];
    fixes.push({
      id: "nothing",
      name: "Do nothing",
      go,
      peak: held(main, p.peakLabel).bytes,
      after: after.bytes,
      note: "the map keeps the buckets or tables it grew to",
      pending: false,
    });
    fixes.push({
      id: "recreate",
      name: `Recreate ${afterWords}`,
      go,
      peak: held(main, p.peakLabel).bytes,
      after: recreated,
      note: "n := make(map[K]V, len(m)); copy every entry; m = n",
      pending: false,
    });
    const m = minor(go);
    fixes.push({
      id: "clone",
      name: "maps.Clone",
      go,
      peak: m >= 21 ? held(main, p.peakLabel).bytes : null,
      after: m < 21 ? null : m <= 24 ? recreated : after.bytes,
      note:
        m < 21
          ? "maps.Clone arrived in Go 1.21"
          : m <= 24
            ? "on this release the clone is sized by len(m), like the recreate"
            : "from Go 1.25 the clone copies every table at its capacity: no smaller than the drained map",
      pending: false,
    });
    variants.forEach((v, i) => {
      if (v.id === "nothing") return;
      const run = fixFor(i);
      const pl = plans[i] as WorkloadPlan;
      const names: Record<string, string> = {
        shrink: "Shrink policy",
        pointer: `Pointer values (*${state.value.length > 40 ? "V" : state.value})`,
        release: `Go ${v.go}`,
      };
      const notes: Record<string, string> = {
        shrink: `recreate whenever len(m) < peak/4${run !== null ? `: ${pl.copies} ${pl.copies === 1 ? "copy" : "copies"}` : ""}`,
        pointer: "each value a separate object; the slots keep 8 bytes each",
        release: `${versionRules(v.go).map === "classic" ? "the classic map" : "Swiss tables"}, doing nothing`,
      };
      fixes.push({
        id: v.id,
        name: names[v.id] ?? v.id,
        go: v.go,
        peak: run === null ? null : held(run, pl.peakLabel).bytes,
        after: run === null ? null : held(run, pl.afterLabel).bytes,
        note: notes[v.id] ?? "",
        pending: run === null,
      });
    });
    if (!pointerApplies)
      fixes.push({
        id: "pointer",
        name: "Pointer values",
        go,
        peak: null,
        after: null,
        note: "the values are pointers already",
        pending: false,
      });
    const points: Point[] = main.list
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
    const complete = runs.every((r) => r !== null);
    const partial = {
      state,
      mapType,
      go,
      mapKind: versionRules(go).map,
      base,
      peak: held(main, p.peakLabel),
      after,
      stays: after.bytes - recreated,
      recreated,
      points,
      fixes,
      program,
      afterWords,
    };
    return { ...partial, recommendation: recommend(partial, complete), complete };
  };

  let last: Estimate | null = null;
  plans.forEach((p, i) => {
    const start = doneOps;
    runs[i] = runPlan(p, seed, (ops) => opts.onProgress?.((start + ops) / total));
    doneOps += p.ops;
    opts.onProgress?.(doneOps / total);
    last = build();
    opts.onPartial?.(last);
  });
  return last as unknown as Estimate;
}
