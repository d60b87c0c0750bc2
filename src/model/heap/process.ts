/**
 * What the OS sees beyond the heap's pages: the runtime's own memory, per release.
 *
 * Not a Go source file's rule but measurements (docs/research/pm-model/measure.go,
 * linux/amd64, Go 1.23.5 and 1.27.3): the runtime starts with one 4 MiB palloc chunk
 * (mheap.grow), 36 pages of it carved out for goroutine stacks (StackSys), about 33
 * pages of its own spans in use (HeapInuse at start) and a few idle dirty pages.
 * Beyond the heap (runtime.MemStats.Sys − HeapSys) it holds MSpanSys (one mspan
 * struct, ~160 bytes, per span; never shrinks), GCSys (heap metadata, growing with the
 * mapped heap), OtherSys, BuckHashSys (1.27 maps a 1.4 MiB profiling table at start)
 * and the stacks. Its resident share, measured as RSS minus the heap's resident pages,
 * is a constant per release plus the growth of that non-heap memory.
 *
 * Go 1.24.4 measured the same as 1.23.5 (docs/research/process-memory.md). Releases
 * not measured use the nearest measured one: 1.19–1.24 use 1.23's figures, 1.25–1.27
 * use 1.27's; except the non-heap resident term, measured on every recorded release
 * with a program that does nothing but start (startNonHeapRss): a binary's touched
 * text and data differ from release to release (1.21 1.38 MiB … 1.27 1.90 MiB).
 */
import type { GoVersion } from "../contract.ts";
import type { PageHeapBaseline } from "./mheap.ts";

export interface ProcessBaseline extends PageHeapBaseline {
  /** Sys − HeapSys at start, bytes. */
  readonly nonHeapSys: number;
  /** RSS − the heap's resident pages at start, bytes. */
  readonly nonHeapRss: number;
}

export const mspanBytes = 160; // unsafe.Sizeof(mspan{}) on amd64, Go 1.23
export const gcSysPerHeapByte = 0.0017; // GCSys growth per byte of HeapSys (fit: Go 1.23 article program)

const go123: ProcessBaseline = {
  inusePages: 33,
  dirtyPages: 17,
  stackPages: 36,
  nonHeapSys: 2_546_704,
  nonHeapRss: 1_589_248, // the release's own: startNonHeapRss
};
const go127: ProcessBaseline = {
  inusePages: 34,
  dirtyPages: 13,
  stackPages: 36,
  nonHeapSys: 3_995_912,
  nonHeapRss: 1_990_656, // the release's own: startNonHeapRss
};

/**
 * Go 1.26 randomizes the heap's base (malloc.go randomizeHeapBase, on by default):
 * mheap.grow's first growth marks nextHeapRandBits(logPallocChunkBytes) ÷ pageSize
 * pages, uniform in 0…511, of the first chunk allocated (mpagealloc.go
 * markRandomPaddingPages). The model takes the median, 256 pages (2 MiB): a run's
 * padding decides whether the heap's first chunks fill 4 MiB sooner.
 */
export const randomPaddingPages = 256;

/**
 * RSS at start (test/go-truth/programs/runtime-overhead, snapshot `start`: after one
 * runtime.GC(), nothing allocated; median of 5 runs per release,
 * test/fixtures/go-truth-programs/goX/runtime-overhead.json) minus the model's resident
 * start pages (inusePages + dirtyPages): the non-heap resident term per measured
 * release. 1.25 and 1.26 take 1.27's.
 */
const startNonHeapRss: Record<number, number> = {
  19: 1_880_064 - 50 * 8192,
  21: 1_789_952 - 50 * 8192,
  22: 1_900_544 - 50 * 8192,
  23: 1_998_848 - 50 * 8192,
  24: 2_093_056 - 50 * 8192,
  27: 2_375_680 - 47 * 8192,
};

export function processBaseline(go: GoVersion): ProcessBaseline {
  const minor = Number(go.split(".")[1]);
  const nonHeapRss = startNonHeapRss[minor] ?? startNonHeapRss[minor < 25 ? 23 : 27] ?? 0;
  if (minor < 25) return { ...go123, nonHeapRss };
  return minor >= 26 ? { ...go127, nonHeapRss, paddingPages: randomPaddingPages } : { ...go127, nonHeapRss };
}

/** Sys − HeapSys: the start figure plus mspan structs and GC metadata grown since. */
export function nonHeapSys(b: ProcessBaseline, heapSysGrowth: number, peakSpans: number): number {
  return b.nonHeapSys + peakSpans * mspanBytes + Math.floor(heapSysGrowth * gcSysPerHeapByte);
}
