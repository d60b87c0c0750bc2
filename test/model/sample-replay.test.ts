/**
 * Heap-only samplers (GoRuntime.onSample(every, fn, { heapOnly: true })): a large
 * deleteRange then runs in memory order and their samples are replayed after it. Each
 * replayed sample must be the one the key-by-key loop gives at the same write: the
 * sample itself (ops, HeapAlloc, NumGC, len), every MemStats field, RSS and the clock,
 * read inside fn, so that the scavenger's work during the range lands where it would.
 * The reference runs with the maps' range loops off (rangeTuning.fastRanges).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goRuntime, rangeTuning, type GoRuntime } from "../../src/model/runtime.ts";
import type { GoVersion } from "../../src/model/contract.ts";

type Step =
  | { op: "insert"; from: number; to: number; step: number }
  | { op: "delete"; from: number; to: number; step: number }
  | { op: "gc" }
  | { op: "sleep"; ms: number }
  | { op: "recreate" };

interface Run {
  samples: unknown[];
  end: unknown;
}

function run(go: GoVersion, elem: string, every: number, steps: Step[], fast: boolean, key = "int"): Run {
  const rt: GoRuntime = goRuntime({ go, seed: 3 });
  // Every drop with the clock it sees (the pass drops an entry's objects after it).
  const drops: number[] = [];
  const drop = rt.heap.drop.bind(rt.heap);
  rt.heap.drop = (h: number): void => {
    drops.push(h, rt.heap.nowNs);
    drop(h);
  };
  const samples: unknown[] = [];
  rt.onSample(every, (s) => samples.push({ ...s, mem: rt.readMemStats(), rss: rt.rss(), now: rt.now }), {
    heapOnly: true,
  });
  let m = rt.makeMap(key, elem);
  const saved = rangeTuning.fastRanges;
  rangeTuning.fastRanges = fast;
  try {
    for (const s of steps) {
      if (s.op === "insert") m.insertRange(s.from, s.to, s.step);
      else if (s.op === "delete") m.deleteRange(s.from, s.to, s.step);
      else if (s.op === "gc") rt.GC();
      else if (s.op === "sleep") rt.sleep(s.ms);
      else m = rt.recreate(m);
    }
  } finally {
    rangeTuning.fastRanges = saved;
  }
  return { samples, end: { mem: rt.readMemStats(), rss: rt.rss(), now: rt.now, len: m.len, drops } };
}

const KEYS = 30_000;
const range = (op: "insert" | "delete"): fc.Arbitrary<Step> =>
  fc
    .tuple(fc.nat(KEYS), fc.nat(KEYS), fc.integer({ min: 1, max: 4 }))
    .map(([a, b, step]) => ({ op, from: Math.min(a, b), to: Math.max(a, b), step }));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: range("insert") },
  { weight: 4, arbitrary: range("delete") },
  { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((ms) => ({ op: "sleep" as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ op: "recreate" as const }) },
);

describe("heap-only samples replayed after a memory-order deleteRange", () => {
  it.each<[GoVersion, string, string]>([
    ["1.19", "int", "[128]byte"],
    ["1.23", "int", "[128]byte"],
    ["1.23", "int", "int"],
    ["1.24", "int", "[128]byte"],
    ["1.27", "int", "[128]byte"],
    ["1.27", "int", "int"],
    // Entries that own heap objects: their drops follow the pass, synced to each delete.
    ["1.23", "string", "[128]byte"],
    ["1.23", "int", "*int"],
    ["1.27", "string", "[128]byte"],
    ["1.27", "int", "*int"],
  ])("Go %s map[%s]%s: the samples of the key-by-key loop", (go, key, elem) => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(1, 97, 2_500),
        (steps, every) => {
          const fast = run(go, elem, every, steps, true, key);
          const slow = run(go, elem, every, steps, false, key);
          expect(fast.samples.length).toBe(slow.samples.length);
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 12, seed: 42 },
    );
  });

  it("a delete range while the scavenger works: the release lands at the same writes", () => {
    // A recreate keeps 10k of 1M entries and frees the old buckets; the scavenger's
    // first sleep after the collection (about 1 s) ends while 3M deletes (300 ms of
    // virtual time, mostly of absent keys) run as one range, so RSS falls inside it.
    const steps: Step[] = [
      { op: "insert", from: 0, to: 1_000_000, step: 1 },
      { op: "delete", from: 10_000, to: 1_000_000, step: 1 },
      { op: "recreate" },
      { op: "gc" },
      { op: "sleep", ms: 900 },
      { op: "delete", from: 0, to: 3_000_000, step: 1 },
    ];
    const fast = run("1.23", "[128]byte", 1_000, steps, true);
    const slow = run("1.23", "[128]byte", 1_000, steps, false);
    expect(fast).toEqual(slow);
    const inDelete = (slow.samples as { ops: number; rss: number }[]).filter((s) => s.ops > 1_990_000);
    expect(inDelete.length).toBe(3_000);
    // The range is long enough in virtual time for the scavenger to act inside it.
    expect(new Set(inDelete.map((s) => s.rss)).size).toBeGreaterThan(1);
  });

  it("a sampler that may read the map keeps the key-order loop", () => {
    const rt = goRuntime({ go: "1.23", seed: 3 });
    const m = rt.makeMap("int", "[128]byte");
    m.insertRange(0, 50_000);
    const lens: number[] = [];
    rt.onSample(10_000, () => lens.push(m.len));
    m.deleteRange(0, 50_000);
    expect(lens).toEqual([40_000, 30_000, 20_000, 10_000, 0]);
  });
});
