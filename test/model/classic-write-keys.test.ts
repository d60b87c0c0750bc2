/**
 * ClassicMap.writeKeys (MapImpl.writeKeys): the classic map's own key-order loop for
 * insertRange and deleteRange must leave exactly the state of the runtime's key-by-key
 * loop (rangeTuning.fastRanges = false): every bucket array's tophash, keys and
 * overflow words, the counters and random draws (internals, and what later inserts
 * do), every heap figure and the virtual clock — and every sampler must see the same
 * states at the same writes, since the loop is cut at each sample and synced to the
 * runtime's clock before each heap call (every heap call is logged with the clock it
 * sees, and the logs must match).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  goRuntime,
  rangeTuning,
  type GoMap,
  type GoRuntime,
  type MapLengths,
} from "../../src/model/runtime.ts";
import type { ClassicInternals, GoVersion } from "../../src/model/contract.ts";
import { objectTypes, type Types } from "./entry-types.ts";
import { logHeapCalls } from "./heap-calls.ts";

type Op =
  | { op: "insert"; from: number; to: number; step: number }
  | { op: "delete"; from: number; to: number; step: number }
  | { op: "gc" }
  | { op: "sleep"; ms: number }
  | { op: "gcPercent"; percent: number };

interface Program {
  go: GoVersion;
  key: string;
  elem: string;
  /** Lengths of the strings and slices in key and elem (makeMap's lengths). */
  lengths?: MapLengths;
  hint: number;
  /** onSample's every, or 0 for no sampler (deletes may then run in memory order). */
  every: number;
  ops: Op[];
}

interface StoreLike {
  words: Int32Array;
  keys: Int32Array | Float64Array;
}

/** Every bucket word the model keeps (tophash, keys, overflow): current array, old array, overflow pool. */
function buckets(m: GoMap): unknown {
  const impl = m.impl as unknown as {
    buckets: { store: StoreLike } | null;
    oldbuckets: { store: StoreLike } | null;
    pool: { store: StoreLike };
  };
  const dump = (st: StoreLike | undefined): unknown =>
    st === undefined ? null : { words: [...st.words], keys: st.keys === st.words ? null : [...st.keys] };
  return {
    cur: dump(impl.buckets?.store),
    old: dump(impl.oldbuckets?.store),
    pool: dump(impl.pool.store),
  };
}

/** A sample's per-bucket occupancy, folded into one number (hundreds of samples of 2^16 buckets each would dominate the test's time). */
function digest(a: Uint16Array | undefined): number | null {
  if (a === undefined) return null;
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + (a[i] as number) * (i + 1)) | 0;
  return h;
}

function run(p: Program, fast: boolean): { rt: GoRuntime; m: GoMap; samples: unknown[]; state: unknown } {
  const saved = rangeTuning.fastRanges;
  rangeTuning.fastRanges = fast;
  try {
    const rt = goRuntime({ go: p.go, seed: 3 });
    // Every heap call with the clock it sees: writeKeys must sync before each one.
    const heapCalls = logHeapCalls(rt);
    const m = rt.makeMap(p.key, p.elem, p.hint, p.lengths);
    const samples: unknown[] = [];
    if (p.every > 0)
      rt.onSample(p.every, (s) => {
        const { occupancy, ...internals } = m.internals() as ClassicInternals;
        samples.push({ s, internals, occupancy: digest(occupancy), mem: rt.readMemStats(), now: rt.now });
      });
    for (const o of p.ops) {
      if (o.op === "insert") m.insertRange(o.from, o.to, o.step);
      else if (o.op === "delete") m.deleteRange(o.from, o.to, o.step);
      else if (o.op === "gc") rt.GC();
      else if (o.op === "gcPercent") rt.setGCPercent(o.percent);
      else rt.sleep(o.ms);
    }
    m.checkInvariants();
    const state = {
      internals: m.internals(),
      mem: rt.readMemStats(),
      now: rt.now,
      keys: [...m.keys()],
      buckets: buckets(m),
      heapCalls,
    };
    return { rt, m, samples, state };
  } finally {
    rangeTuning.fastRanges = saved;
  }
}

const KEYS = 4000;
const range = (op: "insert" | "delete"): fc.Arbitrary<Op> =>
  fc
    .tuple(
      fc.integer({ min: -40, max: KEYS }),
      fc.nat(KEYS),
      fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 })),
    )
    .map(([a, b, step]) => ({ op, from: Math.min(a, b), to: Math.max(a, b), step }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: range("insert") },
  { weight: 4, arbitrary: range("delete") },
  { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400_000 }).map((ms) => ({ op: "sleep" as const, ms })) },
  // A low GOGC collects during the writes: the clock at each allocation then shows
  // (a collection wakes the scavenger at the time it starts).
  {
    weight: 2,
    arbitrary: fc.constantFrom(2, 5, 10, 100).map((percent) => ({ op: "gcPercent" as const, percent })),
  },
);

const programArb = (types: Types[], go: GoVersion[]): fc.Arbitrary<Program> =>
  fc
    .record({
      go: fc.constantFrom(...go),
      key: fc.constant(""),
      elem: fc.constant(""),
      types: fc.constantFrom(...types),
      hint: fc.oneof(fc.constant(0), fc.nat(3000)),
      every: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 700 })),
      ops: fc.array(opArb, { minLength: 1, maxLength: 10 }),
    })
    .map(({ types: [key, elem, lengths], ...p }) => ({ ...p, key, elem, ...(lengths ? { lengths } : {}) }));

function same(p: Program): void {
  const a = run(p, true);
  const b = run(p, false);
  expect(a.samples.length).toBe(b.samples.length);
  expect(a.samples).toEqual(b.samples);
  expect(a.state).toEqual(b.state);
  // The seed, the random source and the marks decide what later writes do.
  a.m.insertRange(0, 3000);
  b.m.insertRange(0, 3000);
  expect(a.m.internals()).toEqual(b.m.internals());
  expect(a.rt.readMemStats()).toEqual(b.rt.readMemStats());
}

describe("ClassicMap.writeKeys", () => {
  it("leaves the state, heap and samples of the key-by-key loop (entries without heap objects)", () => {
    fc.assert(
      fc.property(
        programArb(
          [
            ["int", "[128]byte"],
            ["int", "int"],
            ["int32", "[200]byte"],
            ["int", "struct{}"],
          ],
          ["1.19", "1.21", "1.22", "1.23"],
        ),
        same,
      ),
      { numRuns: 60, seed: 20261202 },
    );
  });

  it("leaves the state, heap and samples of the key-by-key loop (entries that own heap objects)", () => {
    // String bytes (16 bytes, and 5: tiny objects), new(T), indirect keys and elems,
    // structs whose strings and slices are objects of their own (allocRun).
    fc.assert(fc.property(programArb(objectTypes, ["1.19", "1.22", "1.23"]), same), { numRuns: 60, seed: 7 });
  });

  it("runs for int keys, string keys and pointer elems", () => {
    const rt = goRuntime({ go: "1.23" });
    const sync = (): void => undefined;
    for (const [key, elem] of [
      ["int", "[128]byte"],
      ["int", "*int"],
      ["string", "int"],
    ] as const) {
      const m = rt.makeMap(key, elem).impl;
      expect(m.writeKeys?.(false, 0, 100, 1, 100, sync)).toBe(100);
      expect(m.len).toBe(100);
    }
  });

  it.each([
    [1000, "int"],
    [3333, "int"],
    [0, "string"],
    [2500, "string"],
  ])("a map of 100,000 entries under GOGC=5, sampled every %i writes (%s keys)", (every, key) => {
    // Collections start at allocations inside the loop: an allocation the runtime's
    // clock has not caught up with would wake the scavenger at the wrong time. A string
    // key's bytes are allocated at every insert and dropped at every delete.
    same({
      go: "1.23",
      key,
      elem: "[128]byte",
      hint: 0,
      every,
      ops: [
        { op: "gcPercent", percent: 5 },
        { op: "insert", from: 0, to: 100_000, step: 1 },
        { op: "sleep", ms: 3000 },
        { op: "delete", from: 0, to: 50_000, step: 1 },
        { op: "insert", from: 100_000, to: 300_000, step: 3 },
        { op: "gc" },
        { op: "insert", from: 300_000, to: 400_000, step: 1 },
      ],
    });
  });

  it("the article's insert and delete of 200,000 keys, sampled every 10,000 writes", () => {
    const p: Program = {
      go: "1.23",
      key: "int",
      elem: "[128]byte",
      hint: 0,
      every: 10_000,
      ops: [
        { op: "insert", from: 0, to: 200_000, step: 1 },
        { op: "delete", from: 0, to: 200_000, step: 1 },
        { op: "gc" },
      ],
    };
    same(p);
  });
});
