/**
 * Which rules each Go release follows.
 *
 * The model covers Go 1.19 to 1.27 on linux/amd64. Releases differ in five ways that
 * move bytes:
 *
 *   map         1.19–1.23 use the classic bucket map (src/runtime/map.go); 1.24+ the
 *               Swiss-table map (src/internal/runtime/maps/).
 *   mallocHeader  1.22+ put an 8-byte type header in front of every pointerful small
 *               object over 512 bytes (src/runtime/mbitmap.go, GOEXPERIMENT=allocheaders,
 *               on by default from 1.22: internal/buildcfg/exp.go). 1.19–1.21 keep a
 *               separate heap bitmap instead.
 *   loadFactorNum  Go 1.21's map.go computes the classic load factor with an integer
 *               division that truncates 6.5 to 6 (go1.21.13 src/runtime/map.go:73), so a
 *               1.21 map doubles at 6 entries per bucket; every other release at 6.5.
 *               (1.20 has no toolchain here; its map.go predates the abi constants that
 *               brought the truncating form, so it is taken as 13.)
 *   clear       the clear builtin exists from 1.21. Before it, a scenario's `clear` is
 *               the range-and-delete loop, which the compiler lowers to the same
 *               runtime call (mapclear), so the model runs the same code for both.
 *   pruneTombstones  Swiss maps prune tombstones before growing from 1.26 (see
 *               swiss/versions.ts for the evidence and the 1.25 question).
 *
 * baseHeap is the runtime's own live heap before the program allocates anything:
 * HeapAlloc right after the first runtime.GC() of the measuring program (the
 * "base" snapshot of every golden file; the median over scenarios and runs). It is
 * measured, not derived: the runtime allocates it for its own structures (the
 * scheduler, the first goroutines, the module data, the measuring program's
 * package-level arrays). Releases without golden files (1.20, 1.25) borrow a
 * neighbour's value.
 *
 * newMBytes: the runtime's allocation for one more OS thread. A Go program starts
 * with about four threads (an m each); the scheduler starts a fifth when a goroutine
 * wants to run and no thread is idle, which happens in most programs that collect a
 * few times (the collector's mark workers are goroutines) but at no fixed collection:
 * on the same binary, at the 2nd, 5th, 9th or 13th runtime.GC() from run to run, and in
 * some runs never, because the fifth thread existed before main. Its heap objects,
 * allocm's new(m) and malg's g structs for g0 and gsignal (proc.go), show in HeapAlloc
 * from that collection or the next. Recorded by test/go-truth/programs/new-thread/,
 * which counts threads (runtime.ThreadCreateProfile) beside HeapAlloc after each of 40
 * runtime.GC() calls, six runs per release on linux/amd64 (held by
 * test/go-truth/new-thread.test.ts): every step follows a new thread, and its size is:
 *   1.21 1 856 B    1.23 4 992 B    1.24 5 248 B    1.26, 1.27 5 320 B
 *   1.19 1 856 B    1.22 2 944 B    (1.20 and 1.25 borrow a neighbour's value)
 * The model does not add it: when a thread starts is the scheduler's timing, not
 * something the program determines, so adding it at some collection count would fit
 * the harness's programs rather than Go. The comparison (src/golden/compare.ts)
 * accepts a snapshot off by exactly this amount as the runtime's noise, and says so.
 */
import type { GoVersion } from "./contract.ts";

export interface VersionRules {
  readonly go: GoVersion;
  readonly map: "classic" | "swiss";
  readonly mallocHeader: boolean;
  readonly clearBuiltin: boolean;
  readonly pruneTombstones: boolean;
  /**
   * Classic map load factor numerator over loadFactorDen = 2. Go 1.21 computes it as
   * (bucketCnt*13/16)*loadFactorDen = 6*2 = 12 (integer division: load factor 6, not
   * 6.5); 1.19/1.20 spell 13 directly and 1.22 fixed the order of operations.
   */
  readonly loadFactorNum: number;
  /** HeapAlloc of the runtime's own objects after runtime.GC(), before the map exists. */
  readonly baseHeap: number;
  /** Heap bytes of one more OS thread (an m and two g's), started at a timing-dependent moment. */
  readonly newMBytes: number;
  /** Bytes of stacks and globals the collector scans; they widen the heap goal (heap/gc.ts). */
  readonly gcRoots: number;
}

export const goVersions: readonly GoVersion[] = [
  "1.19",
  "1.20",
  "1.21",
  "1.22",
  "1.23",
  "1.24",
  "1.25",
  "1.26",
  "1.27",
];

// Measured: median of the golden files' "base" snapshots (tools/model-table.ts prints them).
// The runtime copies the process's environment onto the heap (one string header per
// variable, goenvs in runtime/runtime1.go), so these depend on the recording shell's
// environment too: the 2026-12-01 re-recording ran with 21 fewer variables, 336 B less.
const baseHeap: Record<GoVersion, number> = {
  "1.19": 32_720, // test/fixtures/go-truth/go1.19/*.json "base"
  "1.20": 32_720, // not recorded: 1.19's value
  "1.21": 32_120, // test/fixtures/go-truth/go1.21/*.json "base"
  "1.22": 35_768, // test/fixtures/go-truth/go1.22/*.json "base"
  "1.23": 44_600, // test/fixtures/go-truth/go1.23/*.json "base"
  "1.24": 45_640, // test/fixtures/go-truth/go1.24/*.json "base"
  "1.25": 45_640, // not recorded: 1.24's value
  "1.26": 61_544, // test/fixtures/go-truth/go1.26/*.json "base"
  "1.27": 61_384, // test/fixtures/go-truth/go1.27/*.json "base"
};

// Measured: NextGC − 2·HeapAlloc at the golden files' post-GC snapshots (median over
// snapshots and runs): Go's goal is heapMarked + (heapMarked + lastStackScan +
// globalsScan)·GOGC/100 (mgcpacer.go commit), and right after runtime.GC() HeapAlloc is
// heapMarked. Almost all of it is the measuring program's data and bss segments.
/** One more OS thread's heap objects (see newMBytes above): measured, six runs per release. */
const newMBytes: Record<GoVersion, number> = {
  "1.19": 1_856,
  "1.20": 1_856, // not recorded: 1.19's value
  "1.21": 1_856,
  "1.22": 2_944,
  "1.23": 4_992,
  "1.24": 5_248,
  "1.25": 5_248, // not recorded: 1.24's value
  "1.26": 5_320,
  "1.27": 5_320,
};

const gcRoots: Record<GoVersion, number> = {
  "1.19": 207_360,
  "1.20": 207_360, // not recorded: 1.19's value
  "1.21": 204_840,
  "1.22": 409_344,
  "1.23": 151_176,
  "1.24": 152_106,
  "1.25": 152_106, // not recorded: 1.24's value
  "1.26": 156_762,
  "1.27": 153_922,
};

export function isGoVersion(v: unknown): v is GoVersion {
  return typeof v === "string" && (goVersions as readonly string[]).includes(v);
}

export function versionRules(go: GoVersion): VersionRules {
  const minor = Number(go.split(".")[1]);
  return {
    go,
    map: minor >= 24 ? "swiss" : "classic",
    mallocHeader: minor >= 22,
    clearBuiltin: minor >= 21,
    pruneTombstones: minor >= 26,
    loadFactorNum: minor === 21 ? 12 : 13,
    baseHeap: baseHeap[go],
    newMBytes: newMBytes[go],
    gcRoots: gcRoots[go],
  };
}
