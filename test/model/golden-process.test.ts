import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compareProcessRows,
  compareProcess,
  processCompared,
  type ProcessCompared,
  type ProcessComparison,
} from "../../src/golden/compare.ts";
import type { GoldenFile, ProcessField } from "../../src/golden/golden.ts";
import { checkScenario, runScenario } from "../../src/model/scenario.ts";
import { processPrograms } from "./process-programs.ts";

const root = join(import.meta.dirname, "../fixtures");
const MiB = 2 ** 20;

function show(c: ProcessComparison): string {
  return `${c.label} ${c.field}: model ${(c.model / MiB).toFixed(1)}, real ${(c.real / MiB).toFixed(1)} [${(c.lo / MiB).toFixed(1)}–${(c.hi / MiB).toFixed(1)}] MiB`;
}

function program(release: string, name: keyof typeof processPrograms): ProcessComparison[] {
  const g = JSON.parse(
    readFileSync(join(root, `go-truth-programs/go${release}/${name}.json`), "utf8"),
  ) as GoldenFile;
  const definition = { go: release, ...processPrograms[name] };
  return compareProcessRows(g.snapshots, runScenario(checkScenario(definition)), definition).filter(
    (c) => c.settled,
  );
}

function expectHeld(results: ProcessComparison[], fields: readonly ProcessField[], labels?: RegExp): void {
  const held = results.filter(
    (c) => fields.includes(c.field) && (labels === undefined || labels.test(c.label)),
  );
  expect(held.length).toBeGreaterThan(0);
  const fails = held.filter((c) => c.verdict === "fail").map(show);
  expect(fails, fails.join("\n")).toEqual([]);
}

const ALL = ["heapInuse", "heapIdle", "heapReleased", "heapSys", "sys", "rss"] as const;

/*
 * What the model is held to against the committed programs' recordings (settled
 * snapshots: after a GC, after FreeOSMemory, after ≥ 5 s of idle; rule in
 * src/golden/compare.ts). What it is not held to, and why, is in docs/model.md
 * ("Process memory"): the Swiss releases' peak HeapSys (the concurrent collector's
 * timing during table growth), the pointer elems' spans on Swiss releases, and the
 * moment of sysmon's forced collection within 120–130 s.
 */
describe("process memory against the committed Go programs (test/go-truth/programs)", () => {
  it("go1.23: the classic map's every field, in every settled snapshot of pointer-spans", () =>
    expectHeld(program("1.23", "pointer-spans"), ALL));

  it("go1.23: scavenge-timeline's HeapInuse, HeapIdle, HeapSys, Sys and RSS everywhere (the release during the deletes and the recreate's collection included); HeapReleased once idle ≥ 5 s and after FreeOSMemory", () => {
    const r = program("1.23", "scavenge-timeline");
    expectHeld(r, ["heapInuse", "heapIdle", "heapSys", "sys", "rss"]);
    expectHeld(r, ["heapReleased"], /^(idle-[5-9]\d{3}-live|freed)$/);
  });

  it("go1.23 forced-gc: RSS stays up for two minutes, then falls; every field but the minutes around the forced GC", () => {
    const r = program("1.23", "forced-gc");
    expectHeld(r, ["heapInuse", "heapIdle", "heapSys", "sys"]);
    expectHeld(r, ["heapReleased", "rss"], /^(recreated|idle-(0\d\d|1[01]\d|135)s-live)$/);
  });

  for (const release of ["1.23", "1.24", "1.27"]) {
    it(`go${release}: HeapInuse of every settled snapshot of the [128]byte programs`, () => {
      expectHeld(program(release, "scavenge-timeline"), ["heapInuse"]);
      expectHeld(program(release, "forced-gc"), ["heapInuse"]);
    });
    it(`go${release}: RSS after FreeOSMemory, with the map or its pointees alive or dropped`, () => {
      expectHeld(program(release, "scavenge-timeline"), ["rss"], /^freed$/);
      expectHeld(
        program(release, "pointer-spans"),
        ["rss"],
        /^(scattered-inserted|scattered-freed|dropped)$/,
      );
    });
  }
});

/*
 * HeapInuse misses the model is known to have against the scenario golden files, each
 * with the largest |model − real median| it may reach (MiB, rounded up; measured
 * 2026-12-02). Swiss releases only: an elem over 128 bytes stored indirectly (the model
 * is 0.7 MiB high at elem-129 and 1.6 MiB low at elem-256), and recreate-ptr-128 after
 * the deletes (≤ 1.8 MiB high), and the filled struct shapes of yourmap-* on 1.27 (≤ 0.8 MiB
 * low): the placement of groups among the pointees' spans
 * (docs/model.md, "Process memory", simplification 5); and, since a paced collection's
 * sweep waits for the end of its runway, yourmap-long-keys on 1.24 (≤ 0.5 MiB low) and
 * clear-ptr-128 on 1.26 (≤ 0.4 MiB low): the model packs the survivors into fewer spans
 * than Go (slots are counted, not placed). A miss not listed fails; a
 * listed one that no longer misses fails too, so the list stays true.
 */
const KNOWN_HEAP_INUSE_MISSES: Record<string, number> = {
  "go1.24 elem-129-bytes": 0.75,
  "go1.27 elem-129-bytes": 0.75,
  "go1.26 elem-256-bytes": 1.7,
  "go1.27 elem-256-bytes": 1.7,
  "go1.24 recreate-ptr-128": 1.8,
  "go1.26 recreate-ptr-128": 1.8,
  "go1.27 recreate-ptr-128": 1.8,
  "go1.27 yourmap-string-ptr-struct": 0.8,
  "go1.27 yourmap-struct-fields": 0.5,
  "go1.24 yourmap-long-keys": 0.55,
  "go1.26 clear-ptr-128": 0.45,
};

/*
 * HeapIdle and HeapSys misses of the classic releases (1.19–1.23), each one palloc
 * chunk (4 MiB) of heap growth the model takes at another moment (measured
 * 2026-12-02). Same rule as above: a new miss fails, a listed one that matches fails.
 */
const KNOWN_CLASSIC_SYS_MISSES: Record<string, number> = {
  "go1.21 clear-ptr-128": 4.1,
};

/*
 * The share of settled snapshots within the targets, per field, over every scenario
 * golden file that records the process columns (tools/process-table.ts prints it),
 * measured 2026-12-02 and rounded down to a percent: a change that loses matches
 * fails here. What the misses are: docs/model.md, "Process memory".
 */
const SHARE_FLOORS: Record<"classic" | "swiss", Record<ProcessCompared, number>> = {
  classic: { heapInuse: 1, heapIdle: 0.99, heapReleased: 0.95, heapSys: 0.99, rss: 0.93 },
  swiss: { heapInuse: 0.98, heapIdle: 0.93, heapReleased: 0.95, heapSys: 0.94, rss: 0.96 },
};

describe("process memory against the scenario golden files that record it", () => {
  const files = readdirSync(join(root, "go-truth")).flatMap((dir) =>
    readdirSync(join(root, "go-truth", dir)).map((f) => join(root, "go-truth", dir, f)),
  );
  const recorded = files
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as GoldenFile)
    .filter((g) => g.snapshots.some((s) => Array.isArray((s as { rss?: unknown }).rss)));
  const cache = new Map<GoldenFile, ProcessComparison[]>();
  const compared = (g: GoldenFile): ProcessComparison[] => {
    let r = cache.get(g);
    if (r === undefined) {
      r = compareProcess(g).filter((c) => c.settled);
      cache.set(g, r);
    }
    return r;
  };
  for (const g of recorded) {
    const key = `go${g.release} ${g.scenario}`;
    const bound = KNOWN_HEAP_INUSE_MISSES[key];
    if (bound === undefined) {
      it(`${key}: HeapInuse of every settled snapshot`, () => {
        const r = compared(g);
        if (r.length > 0) expectHeld(r, ["heapInuse"]);
      });
    } else {
      it(`${key}: HeapInuse misses, each within ${bound} MiB of the real median (known)`, () => {
        const fails = compared(g).filter((c) => c.field === "heapInuse" && c.verdict === "fail");
        expect(fails.length, "no miss left: remove it from KNOWN_HEAP_INUSE_MISSES").toBeGreaterThan(0);
        const worse = fails.filter((c) => Math.abs(c.model - c.real) > bound * MiB).map(show);
        expect(worse, worse.join("\n")).toEqual([]);
      });
    }
    if (g.mapKind !== "classic") continue;
    const sysBound = KNOWN_CLASSIC_SYS_MISSES[key];
    if (sysBound === undefined) {
      it(`${key}: HeapIdle and HeapSys of every settled snapshot`, () => {
        const r = compared(g);
        if (r.length > 0) expectHeld(r, ["heapIdle", "heapSys"]);
      });
    } else {
      it(`${key}: HeapIdle and HeapSys misses, each within ${sysBound} MiB (known)`, () => {
        const fails = compared(g).filter(
          (c) => (c.field === "heapIdle" || c.field === "heapSys") && c.verdict === "fail",
        );
        expect(fails.length, "no miss left: remove it from KNOWN_CLASSIC_SYS_MISSES").toBeGreaterThan(0);
        const worse = fails.filter((c) => Math.abs(c.model - c.real) > sysBound * MiB).map(show);
        expect(worse, worse.join("\n")).toEqual([]);
      });
    }
  }
  for (const family of ["classic", "swiss"] as const) {
    it(`${family} releases: the share of settled snapshots within the targets, per field, stays at its floor`, () => {
      const mine = recorded.filter((g) => g.mapKind === family);
      const low: string[] = [];
      for (const field of processCompared) {
        const cs = mine.flatMap((g) => compared(g)).filter((c) => c.field === field);
        const ok = cs.filter((c) => c.verdict !== "fail").length;
        expect(cs.length).toBeGreaterThan(100);
        if (ok / cs.length < SHARE_FLOORS[family][field])
          low.push(`${field}: ${ok} / ${cs.length} below ${SHARE_FLOORS[family][field] * 100}%`);
      }
      expect(low, low.join("\n")).toEqual([]);
    });
  }
  it("an empty program's RSS (each scenario's first snapshot, before its map): within 0.4 MiB of the real median on every release", () => {
    // The non-heap resident term is measured per release on another program
    // (process.ts startNonHeapRss, runtime-overhead); the scenarios' programs were not
    // used. Before, 1.19–1.22 took 1.23's figure and 1.23's came from a larger binary:
    // 0.55–0.91 MiB high here.
    const far: string[] = [];
    let n = 0;
    for (const g of recorded) {
      const first = g.snapshots[0]?.label;
      const c = compared(g).find((x) => x.field === "rss" && x.label === first && g.snapshots[0]?.len === 0);
      if (c === undefined) continue;
      n++;
      if (Math.abs(c.model - c.real) > 0.4 * MiB) far.push(`go${g.release} ${g.scenario} ${show(c)}`);
    }
    expect(n).toBeGreaterThan(200);
    expect(far, far.join("\n")).toEqual([]);
  });
  it("finds the golden files (those recorded before the process fields have none)", () =>
    expect(files.length).toBeGreaterThan(10));
});
