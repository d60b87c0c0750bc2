/**
 * Reading the golden files: what the real Go runtime measured.
 *
 * tools/go-truth/ runs each scenario of test/scenarios/ on real Go releases and
 * writes test/fixtures/go-truth/go1.XX/NAME.json. The site quotes those numbers
 * (a figure in prose, a Go twin's output beside a cell, the appendix's table of
 * model against runtime) and the tests hold the model to them. This module is the
 * one place that knows the files' shape; it is pure, so Vite (which bundles the
 * files with import.meta.glob) and Node (which reads them with fs) share it.
 */

/**
 * The process's memory at a snapshot, one value per run, in bytes: runtime.MemStats'
 * HeapInuse (bytes in spans holding objects), HeapIdle (free spans, resident or not),
 * HeapReleased (idle memory returned to the OS), HeapSys (what the heap has mapped:
 * HeapInuse + HeapIdle) and Sys (everything the runtime obtained from the OS), and
 * `rss`, the resident set from /proc/self/statm (resident pages × os.Getpagesize()).
 */
export interface ProcessMemory {
  readonly heapInuse: readonly number[];
  readonly heapIdle: readonly number[];
  readonly heapReleased: readonly number[];
  readonly heapSys: readonly number[];
  readonly sys: readonly number[];
  readonly rss: readonly number[];
}

/** The names of ProcessMemory's fields, in the order the harness records them. */
export const processFields = ["heapInuse", "heapIdle", "heapReleased", "heapSys", "sys", "rss"] as const;
export type ProcessField = (typeof processFields)[number];
/** Each process field's name in runtime.MemStats (RSS: the resident set of /proc/self/statm). */
export const processFieldNames: Readonly<Record<ProcessField, string>> = {
  heapInuse: "HeapInuse",
  heapIdle: "HeapIdle",
  heapReleased: "HeapReleased",
  heapSys: "HeapSys",
  sys: "Sys",
  rss: "RSS",
};

/** One snapshot of a golden file: one value per run for what varies between runs. */
export interface GoldenSnapshot extends ProcessMemory {
  readonly label: string;
  /** Taken right after runtime.GC(): HeapAlloc is live memory only. */
  readonly afterGC: boolean;
  readonly len: number;
  readonly heapAlloc: readonly number[];
  readonly heapAllocMedian: number;
  /** max/min − 1 over the runs' HeapAlloc: the runtime's own noise. */
  readonly spread: number;
  /** The same, for people: "0.012%". */
  readonly spreadText: string;
  readonly numGC: readonly number[];
  /** MemStats.NextGC of every run: the heap goal the pacer set. */
  readonly nextGC: readonly number[];
  readonly heapObjects: readonly number[];
  /** The map's header as the runtime held it, one value per run; null while m == nil. */
  readonly map: Readonly<Record<string, readonly number[]>> | null;
}

/** The machine a golden file was recorded on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly kernel: string;
}

/**
 * A golden file: what one scenario did on one real Go release, run N times
 * (tools/go-truth/record.ts writes it).
 */
export interface GoldenFile {
  readonly scenario: string;
  /** The scenario file it ran, relative to the repository: "test/scenarios/NAME.json". */
  readonly scenarioFile: string;
  /** `go version` output, e.g. "go version go1.23.5 linux/amd64". */
  readonly go: string;
  /** "1.23" */
  readonly release: string;
  readonly mapKind: "classic" | "swiss";
  readonly goos: string;
  readonly goarch: string;
  readonly machine: Machine;
  readonly recordedAt: string;
  readonly command: string;
  readonly env: { readonly GOGC: string; readonly GOMAXPROCS: string };
  readonly runs: number;
  /** The scenario as recorded (its steps, key and elem). */
  readonly definition: unknown;
  readonly snapshots: readonly GoldenSnapshot[];
  /** Wall time per run, process start included. */
  readonly timeSeconds: readonly number[];
  /** User + system CPU seconds per run (GNU time only). */
  readonly cpuSeconds?: readonly number[];
  readonly peakRSSBytes: readonly number[];
  /** The machine's 1-minute load average when the runs finished: timing is only as good as this is low. */
  readonly loadAverage?: number;
}

/** What a Go twin's table shows of a golden file (remark-cells.ts and the Jupyter export). */
export type TwinTruth = Pick<GoldenFile, "scenario" | "go" | "runs"> & {
  readonly snapshots: readonly (Pick<GoldenSnapshot, "label" | "heapAlloc" | "numGC" | "len"> &
    Partial<Pick<GoldenSnapshot, "heapAllocMedian">>)[];
};

/** All golden files, indexed by release and scenario name. */
export class GoldenSet {
  readonly #files = new Map<string, GoldenFile>();

  constructor(files: Iterable<GoldenFile>) {
    for (const f of files) this.#files.set(`${f.release}/${f.scenario}`, f);
  }

  /** Every file, sorted by scenario then release. */
  all(): GoldenFile[] {
    return [...this.#files.values()].sort(
      (a, b) => a.scenario.localeCompare(b.scenario) || compareReleases(a.release, b.release),
    );
  }

  releases(): string[] {
    return [...new Set([...this.#files.values()].map((f) => f.release))].sort(compareReleases);
  }

  /** The file for a scenario on a release; throws, naming what exists, when absent. */
  file(release: string, scenario: string): GoldenFile {
    const f = this.#files.get(`${release}/${scenario}`);
    if (!f) {
      const have = this.all()
        .filter((g) => g.scenario === scenario)
        .map((g) => g.release);
      throw new Error(
        `no golden file for scenario "${scenario}" on Go ${release}` +
          (have.length ? ` (recorded for Go ${have.join(", ")})` : " (no release has it)"),
      );
    }
    return f;
  }

  /** A snapshot by label; throws, listing the labels, when absent. */
  snapshot(release: string, scenario: string, label: string): GoldenSnapshot {
    const f = this.file(release, scenario);
    const s = f.snapshots.find((x) => x.label === label);
    if (!s) {
      const labels = f.snapshots.map((x) => x.label).join(", ");
      throw new Error(`golden ${release}/${scenario} has no snapshot "${label}" (it has: ${labels})`);
    }
    return s;
  }
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function compareReleases(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/** "go version go1.23.5 linux/amd64" → "go1.23.5" */
export function goVersionName(f: GoldenFile): string {
  return /go\d+\.\d+(\.\d+)?/.exec(f.go)?.[0] ?? `go${f.release}`;
}

/** `bytes` in MiB with one decimal ("293.3 MiB"); a tiny negative that rounds to zero is
 * "0.0 MiB", never "-0.0 MiB". The cells' mib() and the tools print with this. */
export function mib(bytes: number): string {
  const text = (bytes / 2 ** 20).toFixed(1);
  return `${/^-0\.0$/.test(text) ? "0.0" : text} MiB`;
}

/** Bytes as people read a heap: "293.3 MiB", "1.1 KiB", "48 B". */
export function formatBytes(bytes: number, digits = 1): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024) return `${(bytes / 1048576).toFixed(digits)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(digits)} KiB`;
  return `${bytes} B`;
}

/**
 * A number a committed Go program recorded with note(KEY, v), as people read it:
 * KEY ending in Bytes or HeapAlloc → bytes ("36.1 MiB"), in ns/Ns (optionally
 * followed by a count, as in gcCPUns20) → milliseconds ("624.8 ms"), else a count.
 */
export function formatNote(key: string, value: number): string {
  if (/(Bytes|HeapAlloc)$/.test(key)) return formatBytes(value);
  if (/[Nn]s\d*$/.test(key)) return `${(value / 1e6).toFixed(1)} ms`;
  return value.toLocaleString("en-US");
}
