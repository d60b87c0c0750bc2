/**
 * /your-map/'s figures from its model runs: the fixes compared and the recommendation.
 *
 *   main run (estimate.ts mainRun) ─┐
 *   fix runs (estimate.ts fixRun) ──┴─▶ compare() ──▶ Estimate ──▶ render.ts
 *
 * The runs happen in the estimator's workers (worker.ts); this module only arranges
 * what they measured. It holds no model code and does no arithmetic of its own beyond
 * subtraction and choosing, so the page can put the figures together as each run
 * arrives: the main run's figures first, then every fix as its run ends, in whichever
 * worker it ran. The same function makes the build's baked example (estimate()).
 *
 * maps.Clone is not a run: the runtime's mapclone decides what it is
 * (content/solutions.mdx, "maps.Clone is not always a recreate"): Go 1.21–1.24 size the
 * clone by len (mapclone2: makemap(t, src.count)), like the recreate; Go 1.25 and later
 * copy every table at its capacity ((*Map).Clone, (*table).clone), like doing nothing.
 */
import type { YourMapState } from "./state.ts";

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

/** The fixes that need a model run of their own (the others are read off the main run). */
export type FixRunId = "shrink" | "pointer" | "release";

export type MapKind = "classic" | "swiss";

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

/** What the reader's own workload measured: every figure but the fix runs'. */
export interface MainRun {
  readonly state: YourMapState;
  readonly mapType: string;
  readonly go: string;
  readonly mapKind: MapKind;
  /** The runtime's own heap before the map exists. */
  readonly base: number;
  readonly peak: Held;
  readonly after: Held;
  /** The same entries in a freshly made map, after the drain (the final recreate). */
  readonly recreated: number;
  readonly points: readonly Point[];
  /** The Go program that reproduces the main run, or why none can be written. */
  readonly program:
    { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string };
  /** Words for the workload's phases: "after the drain", "after the last round". */
  readonly afterWords: string;
  /** The fix runs that apply to this state, each with its release, in the order the page starts them. */
  readonly fixRuns: readonly { readonly id: FixRunId; readonly go: string }[];
}

/** What one fix's run measured. */
export interface FixRun {
  readonly id: FixRunId;
  /** The release it ran on, and that release's map. */
  readonly go: string;
  readonly mapKind: MapKind;
  /** Bytes held at the peak and after the drain (HeapAlloc after a collection, minus base). */
  readonly peak: number;
  readonly after: number;
  /** Copies the shrink policy made. */
  readonly copies: number;
}

export interface Estimate extends Omit<MainRun, "fixRuns"> {
  /** After the drain, what the map holds beyond a freshly made copy of its entries. */
  readonly stays: number;
  readonly fixes: readonly Fix[];
  readonly recommendation: string;
  /** Every fix has its numbers. */
  readonly complete: boolean;
}

const MiB = 2 ** 20;

export function minor(go: string): number {
  return Number(go.split(".")[1]);
}

const bytesText = (b: number): string =>
  b >= 10 * MiB
    ? `${(b / MiB).toFixed(0)} MiB`
    : b >= MiB
      ? `${(b / MiB).toFixed(1)} MiB`
      : `${(b / 1024).toFixed(1)} KiB`;

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
 * The estimate from the main run and the fix runs received so far: a fix still
 * running is listed as pending. `complete` once every fix run the main run listed
 * has arrived.
 */
export function compare(main: MainRun, fixRuns: ReadonlyMap<FixRunId, FixRun>): Estimate {
  const { fixRuns: planned, ...figures } = main;
  const { state, go, afterWords, recreated } = main;
  const peak = main.peak.bytes;
  const after = main.after.bytes;
  const m = minor(go);
  const fixes: Fix[] = [
    {
      id: "nothing",
      name: "Do nothing",
      go,
      peak,
      after,
      note: "the map keeps the buckets or tables it grew to",
      pending: false,
    },
    {
      id: "recreate",
      name: `Recreate ${afterWords}`,
      go,
      peak,
      after: recreated,
      note: "n := make(map[K]V, len(m)); copy every entry; m = n",
      pending: false,
    },
    {
      id: "clone",
      name: "maps.Clone",
      go,
      peak: m >= 21 ? peak : null,
      after: m < 21 ? null : m <= 24 ? recreated : after,
      note:
        m < 21
          ? "maps.Clone arrived in Go 1.21"
          : m <= 24
            ? "on this release the clone is sized by len(m), like the recreate"
            : "from Go 1.25 the clone copies every table at its capacity: no smaller than the drained map",
      pending: false,
    },
  ];
  for (const { id, go: runGo } of planned) {
    const run = fixRuns.get(id) ?? null;
    const name =
      id === "shrink"
        ? "Shrink policy"
        : id === "pointer"
          ? `Pointer values (*${state.value.length > 40 ? "V" : state.value})`
          : `Go ${runGo}`;
    const note =
      id === "shrink"
        ? `recreate whenever len(m) < peak/4${run !== null ? `: ${run.copies} ${run.copies === 1 ? "copy" : "copies"}` : ""}`
        : id === "pointer"
          ? "each value a separate object; the slots keep 8 bytes each"
          : run === null
            ? "doing nothing"
            : `${run.mapKind === "classic" ? "the classic map" : "Swiss tables"}, doing nothing`;
    fixes.push({
      id,
      name,
      go: runGo,
      peak: run?.peak ?? null,
      after: run?.after ?? null,
      note,
      pending: run === null,
    });
  }
  if (!planned.some((f) => f.id === "pointer"))
    fixes.push({
      id: "pointer",
      name: "Pointer values",
      go,
      peak: null,
      after: null,
      note: "the values are pointers already",
      pending: false,
    });
  const complete = planned.every((f) => fixRuns.has(f.id));
  const partial = { ...figures, stays: after - recreated, fixes };
  return { ...partial, recommendation: recommend(partial, complete), complete };
}
