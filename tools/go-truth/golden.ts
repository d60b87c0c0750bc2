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

import { median, mib, type GoldenSnapshot } from "../../src/golden/golden.ts";
import { SNAPSHOT_FIELDS } from "../../src/go-program/generate.ts";

// The schema is src/golden/golden.ts's, the one the site and the tests read: this
// module only builds it from the program's rows.
export type { GoldenFile, GoldenSnapshot, Machine } from "../../src/golden/golden.ts";
export { median, mib };

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
    heapInuse: col("heapInuse"),
    heapIdle: col("heapIdle"),
    heapReleased: col("heapReleased"),
    heapSys: col("heapSys"),
    sys: col("sys"),
    rss: col("rss"),
    map,
  };
}
