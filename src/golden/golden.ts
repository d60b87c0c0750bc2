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

/** One snapshot of a golden file: one value per run for what varies between runs. */
export interface GoldenSnapshot {
  readonly label: string;
  /** Taken right after runtime.GC(): HeapAlloc is live memory only. */
  readonly afterGC: boolean;
  readonly len: number;
  readonly heapAlloc: readonly number[];
  readonly heapAllocMedian: number;
  /** max/min − 1 over the runs' HeapAlloc: the runtime's own noise. */
  readonly spread: number;
  readonly numGC: readonly number[];
  /** MemStats.NextGC of every run: the heap goal the pacer set. */
  readonly nextGC: readonly number[];
  readonly map: Readonly<Record<string, readonly number[]>> | null;
}

export interface GoldenFile {
  readonly scenario: string;
  /** `go version` output, e.g. "go version go1.23.5 linux/amd64". */
  readonly go: string;
  /** "1.23" */
  readonly release: string;
  readonly mapKind: "classic" | "swiss";
  readonly goos: string;
  readonly goarch: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryBytes: number };
  readonly recordedAt: string;
  readonly runs: number;
  readonly definition: unknown;
  readonly snapshots: readonly GoldenSnapshot[];
  readonly timeSeconds: readonly number[];
  readonly peakRSSBytes: readonly number[];
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
