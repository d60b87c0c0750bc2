import { describe, expect, test } from "vitest";
import {
  slotDeleted,
  slotEmpty,
  slotFull,
  type ClassicView,
  type SwissView,
} from "../../src/model/contract.ts";
import { goRuntime } from "../../src/model/runtime.ts";

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);

describe("classic map view (classic/view.ts)", () => {
  test("one mark per bucket: entries add up to count, overflow to the chained buckets", () => {
    const m = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte");
    m.insertRange(0, 100);
    const v = m.view() as ClassicView;
    const i = m.internals();
    if (i.kind !== "classic") throw new Error("classic");
    expect(v.kind).toBe("classic");
    expect(v.per).toBe(1);
    expect(v.entries.length).toBe(2 ** v.B);
    expect(sum(v.entries)).toBe(100);
    expect(Array.from(v.entries)).toEqual(Array.from(i.occupancy ?? []));
    expect(sum(v.overflow)).toBe(i.overflowBuckets);
    expect(v.overflowBuckets).toBe(i.overflowBuckets);
    expect(v.preallocated - v.preallocatedUsed).toBe(i.preallocatedFree);
    expect(v.bytes).toBe(i.bytes);
  });

  test("during a doubling: the old array, nevacuate, and the X and Y halves", () => {
    const m = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte");
    m.insertRange(0, 430); // 6.5·64 = 416 entries fill B = 6; the 417th starts the growth
    const v = m.view() as ClassicView;
    expect(v.B).toBe(7);
    const o = v.old;
    if (o === null) throw new Error("not growing");
    expect(o.B).toBe(6);
    const i = m.internals();
    if (i.kind !== "classic") throw new Error("classic");
    expect(o.nevacuate).toBe(i.nevacuate);
    expect(o.nevacuate).toBeGreaterThan(0);
    const evacuated = sum(o.evacuated);
    expect(evacuated).toBeGreaterThanOrEqual(o.nevacuate);
    expect(evacuated).toBeLessThan(64);
    // Every old bucket below nevacuate is evacuated; entries are either moved or still old.
    for (let b = 0; b < o.nevacuate; b++) expect(o.evacuated[b]).toBe(1);
    expect(sum(v.entries) + sum(o.entries)).toBe(430);
    // What was moved is in the new array (X is bucket i, Y bucket i + 64), with the
    // entries inserted since the growth began.
    expect(sum(o.toX) + sum(o.toY)).toBeLessThanOrEqual(sum(v.entries));
    expect(sum(v.entries.subarray(0, 64))).toBeGreaterThanOrEqual(sum(o.toX));
    expect(sum(v.entries.subarray(64))).toBeGreaterThanOrEqual(sum(o.toY));
    expect(sum(o.toX)).toBeGreaterThan(0);
    expect(sum(o.toY)).toBeGreaterThan(0);
  });

  test("large maps are summed into at most maxBins marks", () => {
    const m = goRuntime({ go: "1.23" }).makeMap("int", "int", 300_000);
    m.insertRange(0, 300_000);
    const v = m.view(1024) as ClassicView;
    expect(2 ** v.B).toBe(65_536);
    expect(v.entries.length).toBe(1024);
    expect(v.per).toBe(64);
    expect(sum(v.entries)).toBe(300_000);
  });

  test("deleting every key empties every mark but keeps B and the bytes", () => {
    const rt = goRuntime({ go: "1.23" });
    const m = rt.makeMap("int", "[128]byte");
    m.insertRange(0, 5_000);
    const full = m.view() as ClassicView;
    m.deleteRange(0, 5_000);
    const empty = m.view() as ClassicView;
    expect(empty.B).toBe(full.B);
    expect(sum(empty.entries)).toBe(0);
    expect(empty.bucketsBytes).toBe(full.bucketsBytes);
  });

  test("maxBins must be a positive integer", () => {
    const m = goRuntime({ go: "1.23" }).makeMap("int", "int");
    expect(() => m.view(0)).toThrow(/maxBins/);
  });
});

describe("Swiss map view (swiss/view.ts)", () => {
  test("a small map is its single group of eight slots", () => {
    const m = goRuntime({ go: "1.24" }).makeMap("int", "int");
    m.insertRange(0, 5);
    const v = m.view() as SwissView;
    expect(v.small).toBe(true);
    expect(v.dirLen).toBe(0);
    expect(Array.from(v.slots ?? []).filter((s) => s === slotFull)).toHaveLength(5);
    expect(v.slots).toHaveLength(8);
  });

  test("a split: two tables, each filling one directory entry, with their local depth", () => {
    const m = goRuntime({ go: "1.24" }).makeMap("int", "int");
    m.insertRange(0, 1_200);
    const v = m.view() as SwissView;
    const i = m.internals();
    if (i.kind !== "swiss") throw new Error("swiss");
    expect(v.tables).toBe(i.tables.length);
    expect(v.globalDepth).toBe(i.globalDepth);
    expect(Array.from(v.capacity)).toEqual(i.tables.map((t) => t.capacity));
    expect(Array.from(v.localDepth)).toEqual(i.tables.map((t) => t.localDepth));
    expect(sum(v.dirEntries)).toBe(v.dirLen);
    expect(v.slots).toHaveLength(sum(v.capacity));
    expect(Array.from(v.slots ?? []).filter((s) => s === slotFull)).toHaveLength(1_200);
  });

  test("tombstones: slot states agree with the tables' counts, and Go 1.26 prunes what 1.24 keeps", () => {
    const tables: Record<string, number> = {};
    for (const go of ["1.24", "1.26"] as const) {
      const m = goRuntime({ go }).makeMap("int", "int");
      m.insertRange(0, 3_000);
      m.deleteRange(0, 3_000);
      const v = m.view() as SwissView;
      const slots = Array.from(v.slots ?? []);
      expect(slots.filter((s) => s === slotDeleted)).toHaveLength(v.tombstones);
      expect(v.tombstones).toBeGreaterThan(0);
      expect(slots.filter((s) => s === slotEmpty).length + v.tombstones + v.used).toBe(slots.length);
      for (let r = 0; r < 2; r++) {
        m.insertRange(0, 3_000);
        m.deleteRange(0, 3_000);
      }
      m.insertRange(0, 3_000);
      tables[go] = (m.view() as SwissView).tables;
    }
    expect(tables["1.26"]).toBeLessThan(tables["1.24"] ?? 0);
  });

  test("many tables are summed into rows; slots are left out", () => {
    const m = goRuntime({ go: "1.24" }).makeMap("int", "int");
    m.insertRange(0, 200_000);
    const v = m.view(64) as SwissView;
    expect(v.tables).toBeGreaterThan(64);
    expect(v.capacity.length).toBeLessThanOrEqual(64);
    expect(v.perTable).toBeGreaterThan(1);
    expect(sum(v.tableUsed)).toBe(200_000);
    expect(sum(v.dirEntries)).toBe(v.dirLen);
    expect(v.slots).toBeNull();
  });
});
