/**
 * The model against the real runtime, snapshot by snapshot.
 *
 * A golden file (test/fixtures/go-truth/goX.Y/NAME.json) holds, per snapshot, the
 * HeapAlloc of every real run and their median. A snapshot is "post-GC" when the last
 * step before it (other snapshots aside) is a gc: those are the ones the model must
 * match within max(1%, 256 B). The others (taken mid-insert or right after one) show
 * the pacer's sawtooth; their error is reported too.
 *
 * This module is pure: the golden tests, tools/model-table.ts (docs/model.md) and the
 * site's appendix (components/ModelVsReal.astro) all compare through it, so the three
 * can never disagree about what "matches" means.
 */
import { checkScenario, runScenario, type SnapshotRow } from "../model/scenario.ts";
import { versionRules } from "../model/versions.ts";
import type { GoVersion } from "../model/contract.ts";
import type { GoldenFile, GoldenSnapshot } from "./golden.ts";

/** What a comparison needs of a golden file (golden.ts has the whole shape). */
export type Golden = Pick<GoldenFile, "scenario" | "release" | "definition" | "snapshots">;

export interface Comparison {
  label: string;
  postGC: boolean;
  real: number;
  model: number;
  /** |model − real| / real */
  error: number;
  /** |model − real| ≤ max(1% of real, 256 B) */
  within: boolean;
  /** model within [min(runs) − tol, max(runs) + tol]: the runs themselves disagree. */
  withinRuns: boolean;
  /**
   * How the snapshot matched:
   *   median        within max(1%, 256 B) of the real median, default seed;
   *   runs          within tolerance of the range of the real runs;
   *   runtime       off by exactly one OS thread's heap objects (versions.ts
   *                 newMBytes): the real program starts a fifth thread at a moment
   *                 the scheduler chooses, which the model does not predict;
   *   seed          matches with another hash seed (2…8): the real state depends on
   *                 Go's random seed (which old bucket evacuates when, how many
   *                 overflow buckets a few dozen keys need);
   *   fail          none of these.
   */
  verdict: "median" | "runs" | "runtime" | "seed" | "fail";
  realLen: number;
  modelLen: number;
  modelNumGC: number;
}

/** Labels of the snapshots taken right after a gc step. */
export function postGCLabels(definition: unknown): Set<string> {
  const labels = new Set<string>();
  const steps = (definition as { steps?: { op: string; label?: string }[] }).steps ?? [];
  let lastOp = "";
  for (const s of steps) {
    if (s.op === "snapshot") {
      if (lastOp === "gc" && s.label !== undefined) labels.add(s.label);
      continue;
    }
    lastOp = s.op;
  }
  return labels;
}

export function tolerance(real: number): number {
  return Math.max(real * 0.01, 256);
}

function judge(model: number, s: GoldenSnapshot, thread: number): Comparison["verdict"] | null {
  const real = s.heapAllocMedian;
  const lo = Math.min(...s.heapAlloc);
  const hi = Math.max(...s.heapAlloc);
  const nearMedian = (x: number): boolean => Math.abs(x - real) <= tolerance(real);
  const inRuns = (x: number): boolean => x >= lo - tolerance(lo) && x <= hi + tolerance(hi);
  if (nearMedian(model)) return "median";
  if (inRuns(model)) return "runs";
  // The real runs may hold one more thread than the model, or (where the model's
  // baseHeap already has it) one fewer: either way against the median or the runs.
  if (thread > 0 && [model + thread, model - thread].some((x) => nearMedian(x) || inRuns(x)))
    return "runtime";
  return null;
}

export const OTHER_SEEDS = [2, 3, 4, 5, 6, 7, 8];
const SEED_RETRY_MAX_LEN = 20_000; // retry other seeds only for small maps (cheap, and where seeds matter)

export function compareGolden(g: Golden, seed = 1): Comparison[] {
  const sc = checkScenario(g.definition, g.release);
  const thread = versionRules(sc.go as GoVersion).newMBytes;
  const rows = runScenario(sc, { seed });
  const byLabel = new Map<string, SnapshotRow>(rows.map((r) => [r.label, r]));
  const post = postGCLabels(g.definition);
  let others: Map<string, SnapshotRow>[] | null = null;
  const small = g.snapshots.every((s) => s.len <= SEED_RETRY_MAX_LEN);
  return g.snapshots.map((s) => {
    const r = byLabel.get(s.label);
    const model = r?.heapAlloc ?? NaN;
    const real = s.heapAllocMedian;
    const diff = Math.abs(model - real);
    const lo = Math.min(...s.heapAlloc);
    const hi = Math.max(...s.heapAlloc);
    let verdict = judge(model, s, thread);
    if (verdict === null && small) {
      others ??= OTHER_SEEDS.map((sd) => new Map(runScenario(sc, { seed: sd }).map((x) => [x.label, x])));
      if (others.some((o) => judge(o.get(s.label)?.heapAlloc ?? NaN, s, thread) !== null)) verdict = "seed";
    }
    return {
      label: s.label,
      postGC: post.has(s.label),
      real,
      model,
      error: diff / real,
      within: diff <= tolerance(real),
      withinRuns: model >= lo - tolerance(lo) && model <= hi + tolerance(hi),
      verdict: verdict ?? "fail",
      realLen: s.len,
      modelLen: r?.len ?? NaN,
      modelNumGC: r?.numGC ?? NaN,
    };
  });
}

// ---- Process memory: HeapInuse, HeapIdle, HeapReleased, HeapSys, Sys, RSS ----

/** The process-memory fields of a snapshot, as the model's rows and the golden files name them. */
export const processMemoryFields = [
  "heapInuse",
  "heapIdle",
  "heapReleased",
  "heapSys",
  "sys",
  "rss",
] as const;
export type ProcessMemoryField = (typeof processMemoryFields)[number];

/**
 * How close the model must come, for a settled snapshot: HeapInuse within
 * max(1%, 256 KiB) of the real median; HeapIdle, HeapReleased, HeapSys, Sys and RSS
 * within max(3%, 1 MiB). Or, either way, within that tolerance of the runs' range: the
 * scavenger is timed, and the runs disagree.
 */
export function processTolerance(field: ProcessMemoryField, real: number): number {
  return field === "heapInuse" ? Math.max(real * 0.01, 256 * 1024) : Math.max(real * 0.03, 2 ** 20);
}

/** Virtual idle after which a snapshot counts as settled (≥ 5 s of sleep since the last other op). */
export const SETTLED_IDLE_MS = 5000;

/**
 * Labels of the snapshots whose process memory is settled: right after a gc or a
 * freeOSMemory (other snapshots aside), or after ≥ 5 s of sleep with nothing else in
 * between. Between those the scavenger is mid-release; their error is reported, not held.
 */
export function settledLabels(definition: unknown): Set<string> {
  const labels = new Set<string>();
  const steps = (definition as { steps?: { op: string; label?: string; ms?: number }[] }).steps ?? [];
  let collected = false; // the last op (snapshots and pacing aside) was a gc or freeOSMemory
  let idle = 0; // ms slept since the last other op
  for (const s of steps) {
    if (s.op === "snapshot") {
      if ((collected || idle >= SETTLED_IDLE_MS) && s.label !== undefined) labels.add(s.label);
      continue;
    }
    if (s.op === "setMemoryLimit" || s.op === "setGCPercent") continue; // pacing only
    if (s.op === "sleep") {
      idle += s.ms ?? 0;
      collected = false;
      continue;
    }
    collected = s.op === "gc" || s.op === "freeOSMemory";
    idle = 0;
  }
  return labels;
}

export interface ProcessComparison {
  label: string;
  field: ProcessMemoryField;
  settled: boolean;
  /** The real runs' median, bytes. */
  real: number;
  lo: number;
  hi: number;
  model: number;
  /** |model − real| in bytes. */
  diff: number;
  verdict: "median" | "runs" | "fail";
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 === 1 ? (s[(n - 1) / 2] ?? NaN) : ((s[n / 2 - 1] ?? 0) + (s[n / 2] ?? 0)) / 2;
}

/** Judges one field of one snapshot by the rule above. */
export function judgeProcess(
  field: ProcessMemoryField,
  model: number,
  runs: readonly number[],
): Pick<ProcessComparison, "real" | "lo" | "hi" | "diff" | "verdict"> {
  const real = median(runs);
  const lo = Math.min(...runs);
  const hi = Math.max(...runs);
  const diff = Math.abs(model - real);
  const verdict =
    diff <= processTolerance(field, real)
      ? "median"
      : model >= lo - processTolerance(field, lo) && model <= hi + processTolerance(field, hi)
        ? "runs"
        : "fail";
  return { real, lo, hi, diff, verdict };
}

/** Real values of a process field in a golden snapshot (scenario golden files, or a program's notes). */
export function processRuns(s: unknown, field: ProcessMemoryField): readonly number[] | null {
  const rec = s as Record<string, unknown> & { notes?: Record<string, unknown> };
  const direct = rec[field];
  if (Array.isArray(direct) && direct.length > 0) return direct as number[];
  const noted = rec.notes?.[`${field}Bytes`];
  if (Array.isArray(noted) && noted.length > 0) return noted as number[];
  return null;
}

/**
 * Every process field of every snapshot that has one, model against real. `rows` are
 * the model's rows for the same program (default: the golden file's own scenario run
 * on the model); `definition` says which snapshots are settled.
 */
export function compareProcess(
  snapshots: readonly unknown[],
  rows: readonly SnapshotRow[],
  definition: unknown,
): ProcessComparison[] {
  const settled = settledLabels(definition);
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  const out: ProcessComparison[] = [];
  for (const s of snapshots) {
    const label = (s as { label: string }).label;
    const row = byLabel.get(label);
    if (row === undefined) continue;
    for (const field of processMemoryFields) {
      const runs = processRuns(s, field);
      if (runs === null) continue;
      out.push({
        label,
        field,
        settled: settled.has(label),
        model: row[field],
        ...judgeProcess(field, row[field], runs),
      });
    }
  }
  return out;
}

/** compareProcess for a scenario golden file: its own scenario, run on the model. */
export function compareGoldenProcess(g: Golden, seed = 1): ProcessComparison[] {
  const sc = checkScenario(g.definition, g.release);
  return compareProcess(g.snapshots, runScenario(sc, { seed }), g.definition);
}
