/**
 * A workload of /your-map/ as a scenario: the one program format that both the model
 * (src/model/scenario.ts) and the real-Go harness (tools/go-truth/) run. Because the
 * estimate is a scenario, the Go program the page shows is the harness's own program
 * for it, and a recorded golden file of the same shape can check the page.
 *
 * Keys are scenario integers (docs/model.md): a map holds the keys [lo, hi), new keys
 * come in at hi, old ones leave at lo — a cache or a session table, oldest out first.
 *
 *   drain   gc · base · make · insert 0..peak (sampled "ins@N") · gc · "added"
 *           · delete down to keep% (sampled "del@N") · gc · "deleted"
 *   window  … "added" · per round: delete the oldest turnover%, insert as many new
 *           · gc · "round-R"
 *   spike   … insert base · gc · "start" · per day: insert up to the peak · gc
 *           · "day-D-peak" · delete back to base · gc · "day-D"
 *
 * The labels "base", "added" and "deleted" are those of the recorded article
 * scenarios (test/scenarios/article-*.json), so that a drain to 0 % of their shape
 * is the same program as theirs, snapshot for snapshot after each collection.
 *
 * Variants are the fixes the page compares:
 *   plain      the workload as it is, then `recreate · gc · "recreated"` at the end
 *              (the fix "recreate after the drain" costs one more step, not a run);
 *              without it for the other release, whose run gives two figures only;
 *   shrink     a shrink policy: after every delete, when len(m) < peak/4 (peak
 *              tracked since the last copy, maps over 1024 entries), recreate;
 *   pointer    the same workload with *V values.
 *
 * Only the main run draws the chart: a fix's run leaves out the sampled snapshots
 * ("ins@N", …; no collection, so the figures after each collection are the same
 * with or without them) and the final recreate (PlanOptions).
 */
import type { LengthSpec } from "../model/contract.ts";
import type { Step } from "../model/scenario.ts";
import { lengthSpec, readShape } from "./go-syntax.ts";
import { lengthsFor, type YourMapState } from "./state.ts";

/** A scenario in the harness's file format (types as Go text). */
export interface ScenarioFile {
  readonly go: string;
  readonly key: string;
  readonly elem: string;
  /** Typical lengths of the strings and slices in key and elem (src/model/scenario.ts). */
  readonly lengths?: { readonly key?: LengthSpec; readonly elem?: LengthSpec };
  readonly steps: Step[];
}

/** The scenario's "lengths" for a state's types (none when they hold no string or slice). */
export function scenarioLengths(state: YourMapState): ScenarioFile["lengths"] {
  const all = lengthsFor(state);
  const one = (src: string, root: string): LengthSpec | undefined => {
    try {
      return lengthSpec(readShape(src), root, all) as LengthSpec | undefined;
    } catch {
      return undefined;
    }
  };
  const key = one(state.key, "key");
  const elem = one(state.value, "value");
  if (key === undefined && elem === undefined) return undefined;
  return { ...(key !== undefined ? { key } : {}), ...(elem !== undefined ? { elem } : {}) };
}

export type Variant = "plain" | "shrink" | "pointer";

export interface PlanOptions {
  /** Snapshots sampled during every fill and drain, for the chart (default true). */
  readonly samples?: boolean;
  /** The plain variant's final recreate and its snapshot "recreated" (default true). */
  readonly recreate?: boolean;
}

export interface WorkloadPlan {
  readonly scenario: ScenarioFile;
  /** Map writes before each snapshot, by label: the chart's x axis. */
  readonly opsAt: ReadonlyMap<string, number>;
  /** Map writes in the whole scenario (for progress). */
  readonly ops: number;
  /** The snapshot at the peak, after a collection. */
  readonly peakLabel: string;
  /** The snapshot after the drain (the last round, the last day), after a collection. */
  readonly afterLabel: string;
  /** The snapshot after the final recreate (plain variant only). */
  readonly recreatedLabel: string | null;
  /** Copies the shrink policy made (shrink variant only). */
  readonly copies: number;
}

const SAMPLES = 40; // snapshots per fill or drain phase, for the chart
const SHRINK_BELOW = 4; // the policy copies when len < peak / SHRINK_BELOW
const SHRINK_MIN_PEAK = 1024; // … and only maps that were larger than this

class Builder {
  readonly steps: Step[] = [];
  readonly opsAt = new Map<string, number>();
  ops = 0;
  lo = 0;
  hi = 0;
  trackedPeak = 0;
  copies = 0;
  private readonly shrink: boolean;
  private readonly samples: boolean;
  constructor(shrink: boolean, samples: boolean) {
    this.shrink = shrink;
    this.samples = samples;
  }

  op(step: Step): void {
    this.steps.push(step);
  }

  snapshot(label: string): void {
    this.op({ op: "gc" });
    this.op({ op: "snapshot", label });
    this.opsAt.set(label, this.ops);
  }

  private every(n: number): number {
    return Math.max(1, Math.ceil(n / SAMPLES));
  }

  /** Insert the next n keys, sampled under `label`. */
  insert(n: number, label: string | null): void {
    if (n <= 0) return;
    const from = this.hi;
    const to = from + n;
    if (label === null || !this.samples) this.op({ op: "insert", from, to });
    else {
      const every = this.every(n);
      this.op({ op: "insert", from, to, every, label });
      for (let k = every; k <= n; k += every) this.opsAt.set(`${label}@${k}`, this.ops + k);
    }
    this.ops += n;
    this.hi = to;
    this.trackedPeak = Math.max(this.trackedPeak, this.hi - this.lo);
  }

  /** Delete the oldest n keys, sampled under `label`; the shrink policy copies on the way. */
  delete(n: number, label: string | null): void {
    let left = n;
    let part = 0;
    while (left > 0) {
      let chunk = left;
      let copy = false;
      if (this.shrink && this.trackedPeak > SHRINK_MIN_PEAK) {
        // Deletes until len < peak/4: len must fall to the largest integer below it.
        const target = Math.ceil(this.trackedPeak / SHRINK_BELOW) - 1;
        const len = this.hi - this.lo;
        if (len - target <= left && len > target) {
          chunk = len - target;
          copy = true;
        }
      }
      const from = this.lo;
      const to = from + chunk;
      const name = label === null || !this.samples ? null : part === 0 ? label : `${label}-${part}`;
      if (name === null) this.op({ op: "delete", from, to });
      else {
        const every = this.every(n);
        this.op({ op: "delete", from, to, every, label: name });
        for (let k = every; k <= chunk; k += every) this.opsAt.set(`${name}@${k}`, this.ops + k);
      }
      this.ops += chunk;
      this.lo = to;
      left -= chunk;
      part++;
      if (copy) {
        this.op({ op: "recreate" });
        this.copies++;
        this.trackedPeak = this.hi - this.lo;
      }
    }
  }
}

/** The scenario for a state's workload, in one of the compared variants. */
export function plan(
  state: YourMapState,
  variant: Variant = "plain",
  go: string = state.go,
  opts: PlanOptions = {},
): WorkloadPlan {
  const b = new Builder(variant === "shrink", opts.samples ?? true);
  const peak = state.peak;
  const w = state.workload;
  b.op({ op: "gc" });
  b.op({ op: "snapshot", label: "base" });
  b.opsAt.set("base", 0);
  b.op({ op: "make" });
  let peakLabel = "added";
  let afterLabel = "deleted";
  switch (w.kind) {
    case "drain": {
      b.insert(peak, "ins");
      b.snapshot("added");
      const keep = Math.round((peak * w.keep) / 100);
      b.delete(peak - keep, "del");
      b.snapshot("deleted");
      break;
    }
    case "window": {
      b.insert(peak, "ins");
      b.snapshot("added");
      const turn = Math.max(1, Math.round((peak * w.turnover) / 100));
      for (let r = 1; r <= w.rounds; r++) {
        b.delete(turn, null);
        b.insert(turn, null);
        b.snapshot(`round-${r}`);
      }
      afterLabel = `round-${w.rounds}`;
      break;
    }
    case "spike": {
      b.insert(w.base, null);
      b.snapshot("start");
      const rise = peak - w.base;
      for (let d = 1; d <= w.days; d++) {
        b.insert(rise, `day-${d}-up`);
        b.snapshot(`day-${d}-peak`);
        b.delete(rise, `day-${d}-down`);
        b.snapshot(`day-${d}`);
      }
      peakLabel = "day-1-peak";
      afterLabel = `day-${w.days}`;
      break;
    }
  }
  let recreatedLabel: string | null = null;
  if (variant === "plain" && opts.recreate !== false) {
    b.op({ op: "recreate" });
    b.snapshot("recreated");
    b.ops += b.hi - b.lo;
    recreatedLabel = "recreated";
  }
  const elem = variant === "pointer" ? `*${state.value}` : state.value;
  const lengths = scenarioLengths(state);
  return {
    scenario: { go, key: state.key, elem, ...(lengths !== undefined ? { lengths } : {}), steps: b.steps },
    opsAt: b.opsAt,
    ops: b.ops,
    peakLabel,
    afterLabel,
    recreatedLabel,
    copies: b.copies,
  };
}
