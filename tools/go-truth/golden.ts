/**
 * The golden file: what one scenario did on one real Go release, run N times.
 *
 * test/fixtures/go-truth/go1.23/NAME.json holds, per snapshot, one value per
 * run for every measured number (HeapAlloc varies between runs because the
 * hash seed, and so bucket overflow, varies; NumGC and the pre-GC HeapAlloc
 * vary with the concurrent collector's timing). `len` is the same in every run
 * and stored once. `spread` is max/min − 1 of the runs' HeapAlloc, the
 * runtime's own noise, against which a model's error is judged.
 *
 * This module only shapes and summarises data; record.ts produces it and the
 * tests in test/go-truth read it without needing Go.
 */

import { median } from "../../src/golden/golden.ts";
import { SNAPSHOT_FIELDS } from "./generate.ts";
import type { Scenario } from "./scenario.ts";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly kernel: string;
}

export interface GoldenSnapshot {
  readonly label: string;
  /** Taken right after runtime.GC(): HeapAlloc is live memory only. */
  readonly afterGC: boolean;
  readonly len: number;
  readonly heapAlloc: number[];
  readonly heapAllocMedian: number;
  /** max/min − 1 over the runs' HeapAlloc. */
  readonly spread: number;
  /** The same, for people: "0.012%". */
  readonly spreadText: string;
  readonly numGC: number[];
  readonly nextGC: number[];
  readonly heapObjects: number[];
  /** The map's header as the runtime held it, one value per run; null while m == nil. */
  readonly map: Record<string, number[]> | null;
}

export interface GoldenFile {
  readonly scenario: string;
  readonly scenarioFile: string;
  readonly definition: Scenario;
  /** `go version` output, e.g. "go version go1.23.5 linux/amd64". */
  readonly go: string;
  /** The release the file is for: "1.23". */
  readonly release: string;
  readonly mapKind: "classic" | "swiss";
  readonly goos: string;
  readonly goarch: string;
  readonly machine: Machine;
  readonly recordedAt: string;
  readonly command: string;
  readonly env: { readonly GOGC: string; readonly GOMAXPROCS: string };
  readonly runs: number;
  readonly snapshots: GoldenSnapshot[];
  /** Wall time per run, process start included. */
  readonly timeSeconds: number[];
  /** User + system CPU seconds per run (GNU time only). */
  readonly cpuSeconds?: number[];
  readonly peakRSSBytes: number[];
  /** The machine's 1-minute load average when the runs finished: timing is only as good as this is low. */
  readonly loadAverage?: number;
}

export { median };

/** max/min − 1; 0 when all values are equal (and when they are all zero). */
export function spread(values: readonly number[]): number {
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max === min) return 0;
  return min === 0 ? Infinity : max / min - 1;
}

export function spreadText(s: number): string {
  return `${(s * 100).toFixed(3)}%`;
}

/** One snapshot's rows from every run, combined. */
export function combineSnapshot(
  label: string,
  afterGC: boolean,
  perRun: readonly Record<string, number>[],
): GoldenSnapshot {
  const first = perRun[0];
  if (first === undefined) throw new Error("no runs");
  const col = (f: string): number[] => perRun.map((r) => r[f] ?? NaN);
  const lens = new Set(col("len"));
  if (lens.size !== 1)
    throw new Error(`snapshot ${label}: len differs between runs (${[...lens].join(", ")})`);
  const isNil = first["nil"] === 1;
  let map: Record<string, number[]> | null = null;
  if (!isNil) {
    map = {};
    for (const f of Object.keys(first)) {
      if ((SNAPSHOT_FIELDS as readonly string[]).includes(f)) continue;
      map[f] = col(f);
    }
  }
  const heapAlloc = col("heapAlloc");
  const s = spread(heapAlloc);
  return {
    label,
    afterGC,
    len: first["len"] ?? NaN,
    heapAlloc,
    heapAllocMedian: median(heapAlloc),
    spread: s,
    spreadText: spreadText(s),
    numGC: col("numGC"),
    nextGC: col("nextGC"),
    heapObjects: col("heapObjects"),
    map,
  };
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
