import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/go-program/scenario.ts";
import { SNAPSHOT_FIELDS, fieldsFor } from "../../src/go-program/generate.ts";
import { median, spread, type GoldenFile, type GoldenSnapshot } from "../../tools/go-truth/golden.ts";
import { processFields } from "../../src/golden/golden.ts";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "test/fixtures/go-truth");
const SCENARIOS = join(ROOT, "test/scenarios");
const REQUIRED_RELEASES = ["1.23", "1.24", "1.27"];
const MiB = 1 << 20;

const scenarioNames = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length));
const releases = existsSync(FIXTURES)
  ? readdirSync(FIXTURES)
      .filter((d) => /^go1\.\d+$/.test(d))
      .map((d) => d.slice(2))
  : [];
const goldens = releases.flatMap((r) =>
  readdirSync(join(FIXTURES, `go${r}`))
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ release: r, file: `go${r}/${f}`, name: f.slice(0, -".json".length) })),
);

function load(file: string): GoldenFile {
  return JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as GoldenFile;
}

describe("golden files from the real Go runtime", () => {
  it.each(REQUIRED_RELEASES)("Go %s has a golden file for every scenario", (release) => {
    const dir = join(FIXTURES, `go${release}`);
    const have = existsSync(dir) ? readdirSync(dir).map((f) => f.slice(0, -".json".length)) : [];
    expect(scenarioNames.filter((n) => !have.includes(n))).toEqual([]);
  });

  it.each(goldens)("$file is well-formed and matches its scenario", ({ release, file, name }) => {
    const g = load(file);
    const checked = parseScenario(readFileSync(join(SCENARIOS, `${name}.json`), "utf8"));
    expect(g.scenario).toBe(name);
    expect(g.release).toBe(release);
    expect(g.go).toMatch(new RegExp(`^go version go${release.replace(".", "\\.")}(\\.\\d+)? \\w+/\\w+$`));
    expect(g.definition).toEqual(checked.scenario);
    expect(g.machine.cpu.length).toBeGreaterThan(0);
    expect(g.machine.cores).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(g.recordedAt))).toBe(false);
    expect(g.runs).toBeGreaterThanOrEqual(3);
    expect(g.timeSeconds).toHaveLength(g.runs);
    expect(g.peakRSSBytes).toHaveLength(g.runs);
    expect(g.snapshots.map((s) => s.label)).toEqual(checked.labels);
    expect(g.snapshots.map((s) => s.afterGC)).toEqual(checked.afterGC);
    const mapFields = fieldsFor(release).slice(SNAPSHOT_FIELDS.length);
    expect(g.mapKind).toBe(Number(release.split(".")[1]) >= 24 ? "swiss" : "classic");
    for (const s of g.snapshots) {
      for (const series of [s.heapAlloc, s.numGC, s.nextGC, s.heapObjects])
        expect(series).toHaveLength(g.runs);
      expect(s.heapAllocMedian).toBe(median(s.heapAlloc));
      expect(s.spread).toBeCloseTo(spread(s.heapAlloc), 12);
      expect(s.spreadText).toMatch(/^\d+\.\d{3}%$/);
      for (const f of processFields) expect(s[f], `${s.label}.${f}`).toHaveLength(g.runs);
      for (let run = 0; run < g.runs; run++) {
        const v = (f: (typeof processFields)[number]): number => s[f][run] ?? NaN;
        // runtime.MemStats' own identities (ReadMemStats reads them with the world stopped).
        expect(v("heapInuse") + v("heapIdle"), `${s.label} run ${run}`).toBe(v("heapSys"));
        expect(v("heapReleased")).toBeLessThanOrEqual(v("heapIdle"));
        expect(v("sys")).toBeGreaterThan(v("heapSys"));
        expect(v("rss")).toBeGreaterThan(0);
      }
      if (s.map !== null) {
        expect(Object.keys(s.map).sort()).toEqual([...mapFields].sort());
        for (const series of Object.values(s.map)) expect(series).toHaveLength(g.runs);
      }
    }
  });
});

describe("the probe", () => {
  // A probe that allocated would move HeapAlloc between back-to-back snapshots in
  // every run. The runtime itself sometimes allocates a few bytes in the
  // background just after a GC (the scavenger's timer heap, a mark worker's
  // node, a sudog), so one run may differ by tens of bytes: we ask for one run
  // that is byte-identical throughout, and every run within 128 bytes.
  it.each(releases)("does not move HeapAlloc on Go %s: back-to-back snapshots agree", (release) => {
    const g = load(`go${release}/probe-does-not-allocate.json`);
    const [first, ...rest] = g.snapshots;
    if (first === undefined || rest.length === 0)
      throw new Error("the probe scenario needs several snapshots");
    const identicalRuns = first.heapAlloc.filter((v, run) =>
      rest.every((s) => s.heapAlloc[run] === v && s.heapObjects[run] === first.heapObjects[run]),
    );
    expect(identicalRuns.length).toBeGreaterThan(0);
    for (const s of rest) {
      s.heapAlloc.forEach((v, run) =>
        expect(Math.abs(v - (first.heapAlloc[run] ?? NaN))).toBeLessThanOrEqual(128),
      );
      expect(s.numGC).toEqual(first.numGC);
    }
  });
});

describe("the article's figures, as recorded", () => {
  const at = (release: string, name: string, label: string): number => {
    const g = load(`go${release}/${name}.json`);
    const s = g.snapshots.find((x) => x.label === label);
    if (s === undefined) throw new Error(`${name} has no snapshot ${label}`);
    return s.heapAllocMedian / MiB;
  };

  it("Go 1.23 keeps 293.3 MiB after deleting 1M [128]byte entries (461.4 MiB before the first forced GC)", () => {
    expect(at("1.23", "article-int-128", "deleted")).toBeCloseTo(293.3, 1);
    // Before any forced GC the overflow buckets in use depend on the hash seed: ±0.2 MiB.
    expect(Math.abs(at("1.23", "article-int-128", "added-before-gc") - 461.4)).toBeLessThan(0.5);
  });

  it("Go 1.23 keeps 38.3 MiB with *[128]byte elems", () => {
    expect(at("1.23", "article-ptr-128", "deleted")).toBeCloseTo(38.3, 1);
  });

  it("Go 1.24 Swiss tables keep about 287 MiB", () => {
    expect(Math.abs(at("1.24", "article-int-128", "deleted") - 287)).toBeLessThan(1);
  });
});

describe("process memory, as recorded on Go 1.23, 1.24 and 1.27", () => {
  const snap = (release: string, name: string, label: string): GoldenSnapshot => {
    const s = load(`go${release}/${name}.json`).snapshots.find((x) => x.label === label);
    if (s === undefined) throw new Error(`${name} has no snapshot ${label}`);
    return s;
  };
  const mib = (values: readonly number[]): number[] => values.map((v) => v / MiB);

  it.each(goldens)(
    "$file: HeapSys never shrinks (the heap releases pages, it does not unmap them)",
    ({ file }) => {
      const g = load(file);
      for (let run = 0; run < g.runs; run++) {
        let high = 0;
        for (const s of g.snapshots) {
          const v = s.heapSys[run] ?? NaN;
          // The runtime moves a few pages between the heap and goroutine stacks: < 1 MiB.
          expect(v, `${s.label} run ${run}`).toBeGreaterThan(high - MiB);
          high = Math.max(high, v);
        }
      }
    },
  );

  it.each(REQUIRED_RELEASES)(
    "Go %s: after the recreate RSS stays high for seconds; FreeOSMemory brings it down",
    (r) => {
      const name = "recreate-scavenge-int-128";
      expect(Math.max(...mib(snap(r, name, "recreated").heapAlloc))).toBeLessThan(1);
      for (const v of mib(snap(r, name, "recreated").rss)) expect(v).toBeGreaterThan(250);
      for (const v of mib(snap(r, name, "idle-6s").rss)) expect(v).toBeGreaterThan(150);
      for (const v of mib(snap(r, name, "freed").rss)) expect(v).toBeLessThan(10);
    },
  );

  it.each(REQUIRED_RELEASES)(
    "Go %s: RSS waits for sysmon's forced collection, 2 minutes after the last",
    (r) => {
      const name = "recreate-forced-gc-int-128";
      const before = snap(r, name, "idle-115s");
      const after = snap(r, name, "idle-130s");
      for (const v of mib(before.rss)) expect(v).toBeGreaterThan(100);
      // Exactly one collection in the idle minutes, between 115 s and 130 s: the forced one.
      expect(before.numGC).toEqual(snap(r, name, "recreated").numGC);
      after.numGC.forEach((n, run) => expect(n).toBe((before.numGC[run] ?? NaN) + 1));
      for (const v of mib(snap(r, name, "freed").rss)) expect(v).toBeLessThan(10);
    },
  );

  it.each(REQUIRED_RELEASES)("Go %s: scattered survivors keep every span of *[128]byte in use", (r) => {
    const name = "ptr-scattered-128";
    const inserted = median(snap(r, name, "inserted").heapInuse);
    const scattered = snap(r, name, "scattered");
    expect(median(scattered.heapAlloc)).toBeLessThan(0.35 * median(snap(r, name, "inserted").heapAlloc));
    expect(median(scattered.heapInuse)).toBeGreaterThan(0.98 * inserted);
    for (const v of mib(snap(r, name, "scattered-freed").rss)) expect(v).toBeGreaterThan(75);
    // The same number of deletes as one range frees whole spans.
    expect(median(snap(r, name, "contiguous").heapInuse)).toBeLessThan(0.4 * inserted);
    for (const v of mib(snap(r, name, "contiguous-freed").rss)) expect(v).toBeLessThan(35);
  });

  it.each(REQUIRED_RELEASES)("Go %s: FreeOSMemory cannot return an emptied map that is still alive", (r) => {
    const name = "free-os-memory-int-128";
    const emptied = snap(r, name, "emptied-freed");
    emptied.rss.forEach((v, run) => expect(v).toBeGreaterThan(0.95 * (emptied.heapInuse[run] ?? NaN)));
    for (const v of mib(snap(r, name, "dropped-freed").rss)) expect(v).toBeLessThan(10);
  });
});
