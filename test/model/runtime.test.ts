import { describe, expect, it, vi } from "vitest";
import { ClassicMap } from "../../src/model/classic/map.ts";
import type { ClassicInternals, GoVersion } from "../../src/model/contract.ts";
import { goRuntime, rangeTuning } from "../../src/model/runtime.ts";
import { SwissMap } from "../../src/model/swiss/map.ts";
import { checkScenario, runScenario } from "../../src/model/scenario.ts";
import { goVersions, versionRules } from "../../src/model/versions.ts";

describe("versions", () => {
  it("maps every release to its rules", () => {
    expect(goVersions.map((v) => versionRules(v).map)).toEqual([
      "classic",
      "classic",
      "classic",
      "classic",
      "classic",
      "swiss",
      "swiss",
      "swiss",
      "swiss",
    ]);
    expect(goVersions.filter((v) => versionRules(v).mallocHeader)).toEqual([
      "1.22",
      "1.23",
      "1.24",
      "1.25",
      "1.26",
      "1.27",
    ]);
    expect(goVersions.filter((v) => versionRules(v).clearBuiltin)[0]).toBe("1.21");
    expect(goVersions.filter((v) => versionRules(v).pruneTombstones)).toEqual(["1.26", "1.27"]);
  });
});

describe("goRuntime", () => {
  it("reads like Go and gives the article's numbers' shape", () => {
    const rt = goRuntime({ go: "1.23" });
    const base = rt.readMemStats().HeapAlloc;
    const m = rt.makeMap("int", "*[128]byte");
    m.insertRange(0, 10_000);
    rt.GC();
    const full = rt.readMemStats().HeapAlloc;
    m.deleteRange(0, 10_000);
    rt.GC();
    const after = rt.readMemStats().HeapAlloc;
    expect(full - after).toBe(10_000 * 128); // the pointees go, the buckets stay
    expect(after).toBeGreaterThan(base);
    expect(m.len).toBe(0);
  });

  it("converts scenario integers to the key type (int8 keys wrap at 256)", () => {
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int8", "int");
    m.insertRange(0, 1000);
    expect(m.len).toBe(256);
    expect(m.has(-1)).toBe(true);
  });

  it("is deterministic for a seed and varies with it", () => {
    const run = (seed: number): number => {
      const rt = goRuntime({ go: "1.23", seed });
      const m = rt.makeMap("int", "int");
      m.insertRange(0, 5000);
      return (m.internals() as ClassicInternals).noverflow;
    };
    expect(run(1)).toBe(run(1));
    expect(new Set([1, 2, 3, 4, 5].map(run)).size).toBeGreaterThan(1);
  });

  it("calls onSample every k writes until unsubscribed", () => {
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int", "[128]byte");
    const seen: number[] = [];
    const stop = rt.onSample(1000, (s) => seen.push(s.len));
    m.insertRange(0, 3500);
    stop();
    m.insertRange(3500, 5000);
    expect(seen).toEqual([1000, 2000, 3000]);
  });

  it("shows the pacer's sawtooth: HeapAlloc drops at automatic collections while inserting", () => {
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int", "*[128]byte");
    const series: number[] = [];
    rt.onSample(10_000, (s) => series.push(s.HeapAlloc));
    m.insertRange(0, 200_000);
    m.deleteRange(0, 200_000);
    m.insertRange(200_000, 400_000);
    expect(rt.readMemStats().NumGC).toBeGreaterThan(3);
    const drops = series.filter((v, i) => i > 0 && v < (series[i - 1] ?? 0)).length;
    expect(drops).toBeGreaterThan(0);
  });

  it("recreate copies into a map sized for len(m), releasing the old buckets", () => {
    const rt = goRuntime({ go: "1.23" });
    let m = rt.makeMap("int", "[128]byte");
    m.insertRange(0, 100_000);
    m.deleteRange(0, 99_000);
    rt.GC();
    const before = rt.readMemStats().HeapAlloc;
    m = rt.recreate(m);
    rt.GC();
    expect(m.len).toBe(1000);
    expect(rt.readMemStats().HeapAlloc).toBeLessThan(before / 20);
  });
});

describe("runScenario", () => {
  it("labels every-N snapshots LABEL@N, counting within the step", () => {
    const sc = checkScenario({
      key: "int",
      elem: "int",
      steps: [
        { op: "make" },
        { op: "insert", from: 100, to: 130, every: 10, label: "x" },
        { op: "delete", from: 0, to: 200, every: 100 },
      ],
    });
    expect(runScenario(sc).map((r) => `${r.label}:${r.len}`)).toEqual([
      "x@10:10",
      "x@20:20",
      "x@30:30",
      "delete@100:30",
      "delete@200:0",
    ]);
  });
});

describe("range loops read ahead (MapImpl.warm) without changing anything", () => {
  it.each<[GoVersion, string, string]>([
    ["1.23", "int", "[128]byte"],
    ["1.23", "string", "*int"],
    ["1.24", "int", "[128]byte"],
    ["1.27", "string", "*int"],
  ])("Go %s map[%s]%s: same heap, structure and keys with and without it", (go, k, e) => {
    const saved = [ClassicMap.warmMinSlots, SwissMap.warmMinSlots, rangeTuning.warmAhead];
    ClassicMap.warmMinSlots = 0; // read ahead at every size, so small maps exercise it
    SwissMap.warmMinSlots = 0;
    // The key-by-key loop is the one that reads ahead: the maps' own range loops
    // (MapImpl.writeKeys, deleteRange) are off here.
    rangeTuning.fastRanges = false;
    try {
      const run = (ahead: number): { calls: number; state: unknown } => {
        rangeTuning.warmAhead = ahead;
        const rt = goRuntime({ go });
        const m = rt.makeMap(k, e);
        const warm = m.impl.warm;
        const spy = warm === undefined ? null : vi.spyOn(m.impl as { warm: (key: number) => number }, "warm");
        m.insertRange(0, 40_000);
        m.deleteRange(0, 25_000);
        m.insertRange(100_000, 130_000);
        rt.GC();
        m.checkInvariants();
        return {
          calls: spy?.mock.calls.length ?? 0,
          state: {
            mem: rt.readMemStats(),
            internals: m.internals(),
            keys: [...m.keys()].sort((a, b) => a - b),
          },
        };
      };
      const withWarm = run(16);
      const without = run(0);
      // One read-ahead per write.
      expect(withWarm.calls).toBe(95_000);
      expect(without.calls).toBe(0);
      expect(withWarm.state).toEqual(without.state);
    } finally {
      rangeTuning.fastRanges = true;
      [ClassicMap.warmMinSlots, SwissMap.warmMinSlots, rangeTuning.warmAhead] = saved as [
        number,
        number,
        number,
      ];
    }
  });
});

describe("the runtime's own heap after many collections", () => {
  // A fifth OS thread's objects (versions.ts newMBytes) come at a moment the scheduler
  // picks, so the model never adds them at some collection count: a program that
  // collects 30 times with an unchanged map reports the same HeapAlloc each time.
  it.each(["1.19", "1.22", "1.23", "1.24", "1.27"] as const)("Go %s: HeapAlloc stays put", (go) => {
    const rt = goRuntime({ go });
    const m = rt.makeMap("int", "[128]byte");
    m.insertRange(0, 1_000);
    rt.GC();
    const first = rt.readMemStats().HeapAlloc;
    for (let i = 0; i < 30; i++) {
      rt.GC();
      expect(rt.readMemStats().HeapAlloc).toBe(first);
    }
  });
});

describe("refusals (limits.ts)", () => {
  const both: GoVersion[] = ["1.23", "1.24"];

  it.each(both)("Go %s: fractional and reversed ranges are refused, naming the argument", (go) => {
    const rt = goRuntime({ go });
    const m = rt.makeMap("int", "int");
    const before = rt.readMemStats().HeapAlloc;
    expect(() => m.insertRange(0.5, 10.7)).toThrow(
      new RangeError("insertRange: from must be an integer, got 0.5"),
    );
    expect(() => m.insertRange(0, 10.7)).toThrow(
      new RangeError("insertRange: to must be an integer, got 10.7"),
    );
    expect(() => m.insertRange(0, -1e9)).toThrow(
      new RangeError("insertRange: to must be ≥ from (0), got -1000000000"),
    );
    expect(() => m.insertRange(0, Number.NaN)).toThrow(/to must be an integer, got NaN/);
    expect(() => m.insertRange(0, Infinity)).toThrow(/to must be an integer, got Infinity/);
    expect(() => m.insertRange("0" as unknown as number, 3)).toThrow(/from must be an integer, got "0"/);
    expect(() => m.deleteRange(10, 0)).toThrow(new RangeError("deleteRange: to must be ≥ from (10), got 0"));
    expect(() => m.deleteRange(0.5, 1)).toThrow(/deleteRange: from must be an integer/);
    expect(() => m.set(0.5)).toThrow(new RangeError("set: i must be an integer, got 0.5"));
    expect(() => m.delete(1.5)).toThrow(new RangeError("delete: i must be an integer, got 1.5"));
    expect(m.len).toBe(0);
    expect(rt.readMemStats().HeapAlloc).toBe(before);
    // An empty range is a loop of no iterations, as in Go; negative keys are fine.
    m.insertRange(5, 5);
    m.insertRange(-3, 0);
    expect(m.len).toBe(3);
  });

  it.each(both)("Go %s: an entry the model cannot hold is refused before allocating", (go) => {
    const rt = goRuntime({ go });
    const m = rt.makeMap("int", "[1099511627776]byte");
    const before = rt.readMemStats();
    expect(() => m.insertRange(0, 10)).toThrow(RangeError);
    expect(() => m.insertRange(0, 10)).toThrow(
      /^Refused before allocating: insertRange\(0, 10\) on a map\[int\]\[1099511627776\]byte would add at least 10 TiB .*past the model's limit of 1 TiB$/,
    );
    expect(() => m.set(1)).toThrow(/^Refused before allocating: set on a map\[int\]\[1099511627776\]byte/);
    expect(m.len).toBe(0);
    expect(rt.readMemStats()).toEqual(before);
  });

  it("a large but holdable elem still works, up to the limit", () => {
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int", "[68719476736]byte"); // 64 GiB each
    m.insertRange(0, 10);
    expect(m.len).toBe(10);
    expect(rt.readMemStats().HeapAlloc).toBeGreaterThan(10 * 2 ** 36);
    m.set(3); // overwriting an existing key adds no entry
    expect(() => m.insertRange(10, 20)).toThrow(/past the model's limit of 1 TiB/);
    expect(m.len).toBe(10);
    const heap = rt.readMemStats().HeapAlloc;
    expect(() => rt.recreate(m)).toThrow(
      /^Refused before allocating: recreate of a map\[int\]\[68719476736\]byte of 10 entries/,
    );
    expect(rt.readMemStats().HeapAlloc).toBe(heap);
  });

  it("scenario files refuse the same ranges", () => {
    const base = { go: "1.23", key: "int", elem: "int" };
    const steps = (s: object) => ({ ...base, steps: [{ op: "make" }, s] });
    expect(() => checkScenario(steps({ op: "insert", from: 0.5, to: 10 }))).toThrow(
      /from: must be an integer/,
    );
    expect(() => checkScenario(steps({ op: "insert", from: 5, to: 2 }))).toThrow(
      /to: must be ≥ from \(5\), got 2/,
    );
    expect(() => checkScenario(steps({ op: "delete", from: 3, to: 1 }))).toThrow(
      /to: must be ≥ from \(3\), got 1/,
    );
  });
});
