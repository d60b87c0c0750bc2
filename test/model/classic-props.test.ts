/**
 * fast-check: 10^4 random operation sequences on the classic map, each checked after
 * every operation against a JS Map and the map's own invariants (classic/map.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClassicMap } from "../../src/model/classic/map.ts";
import type { GoVersion } from "../../src/model/contract.ts";
import { Heap } from "../../src/model/heap/heap.ts";
import { parseType } from "../../src/model/types.ts";

type Op =
  | { op: "set"; k: number; e: number }
  | { op: "delete"; k: number }
  | { op: "get"; k: number }
  | { op: "clear" }
  | { op: "gc" }
  | { op: "fill"; from: number; n: number }
  | { op: "drain"; from: number; n: number }
  | { op: "churn"; base: number; w: number; n: number };

// Key/elem pairs that reach every storage path: direct, indirect (>128 B) keys and
// elems, string data objects, new(T) pointees, zero-size elems, noscan and pointerful
// buckets, tiny pointees.
const TYPES: [string, string][] = [
  ["int", "int"],
  ["int", "[128]byte"],
  ["int", "*[128]byte"],
  ["int", "[200]byte"],
  ["string", "string"],
  ["[136]byte", "struct{}"],
  ["int32", "*int8"],
  ["uint8", "*int"],
];

const opArb = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant("set" as const), k: fc.nat(keys), e: fc.nat(1000) }),
    },
    { weight: 5, arbitrary: fc.record({ op: fc.constant("delete" as const), k: fc.nat(keys) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("get" as const), k: fc.nat(keys) }) },
    { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("fill" as const),
        from: fc.nat(keys),
        n: fc.integer({ min: 1, max: 120 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("drain" as const),
        from: fc.nat(keys),
        n: fc.integer({ min: 1, max: 120 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("churn" as const),
        base: fc.nat(1_000_000),
        w: fc.integer({ min: 1, max: 12 }),
        n: fc.integer({ min: 1, max: 400 }),
      }),
    },
  );

const seen = {
  growing: 0,
  sameSizeGrow: 0,
  sameSizeMidway: 0,
  overflow: 0,
  preallocated: 0,
  maxB: 0,
  wide: 0,
};

function run(
  types: [string, string],
  go: GoVersion,
  hint: number,
  seed: number,
  ops: Op[],
  keys: number,
  wide: boolean,
): void {
  const heap = new Heap({ mallocHeader: go >= "1.22", baseHeap: 0 });
  const [k, e] = types;
  const key = parseType(k);
  const m = new ClassicMap({ heap, key, elem: parseType(e), hint, seed, go });
  const ref = new Map<number, number>();
  // With `wide`, one key in seven is beyond int32, so the map's key column widens
  // from Int32 to Float64 at whatever point the first such key arrives.
  const norm =
    key.size === 1
      ? (i: number) => i & 0xff
      : wide
        ? (i: number) => (i % 7 === 3 ? 2 ** 40 + i : i)
        : (i: number) => i;
  const check = (): void => {
    m.checkInvariants();
    expect(m.len).toBe(ref.size);
    const x = m.internals();
    if (x.growing) seen.growing++;
    if (x.sameSizeGrow) seen.sameSizeMidway++;
    if (x.overflowBuckets > 0) seen.overflow++;
    if (x.preallocatedFree > 0) seen.preallocated++;
    seen.maxB = Math.max(seen.maxB, x.B);
  };
  for (const o of ops) {
    switch (o.op) {
      case "set":
        m.set(norm(o.k), o.e);
        ref.set(norm(o.k), o.e);
        expect(m.get(norm(o.k))).toBe(o.e);
        break;
      case "delete":
        m.delete(norm(o.k));
        ref.delete(norm(o.k));
        expect(m.has(norm(o.k))).toBe(false);
        break;
      case "get":
        expect(m.get(norm(o.k))).toBe(ref.get(norm(o.k)));
        break;
      case "clear":
        m.clear();
        ref.clear();
        break;
      case "gc":
        heap.GC();
        heap.checkInvariants();
        break;
      case "fill":
        for (let i = o.from; i < o.from + o.n; i++) {
          m.set(norm(i % (keys + 1)));
          ref.set(norm(i % (keys + 1)), norm(i % (keys + 1)));
        }
        break;
      case "drain":
        for (let i = o.from; i < o.from + o.n; i++) {
          m.delete(norm(i % (keys + 1)));
          ref.delete(norm(i % (keys + 1)));
        }
        break;
      case "churn":
        // A sliding window of w fresh keys: the delete-and-refill pattern that piles
        // up overflow buckets and ends in same-size growth.
        for (let j = 0; j < o.n; j++) {
          const add = norm(100_000 + o.base + j);
          m.set(add);
          ref.set(add, add);
          if (j >= o.w) {
            const del = norm(100_000 + o.base + j - o.w);
            m.delete(del);
            ref.delete(del);
          }
        }
        break;
    }
    check();
  }
  seen.sameSizeGrow += m.grows.sameSize;
  if ([...ref.keys()].some((kk) => kk > 2 ** 31)) seen.wide++;
  expect(new Set(m.keys())).toEqual(new Set(ref.keys()));
  for (const [kk, v] of ref) expect(m.get(kk)).toBe(v);
  // Dropping the map and collecting returns the heap to empty: nothing leaks.
  m.drop();
  heap.GC();
  heap.checkInvariants();
  expect(heap.heapAlloc).toBe(0);
}

describe("classic map: random operation sequences", () => {
  it("matches a JS Map and keeps its invariants after every op (10^4 sequences)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.constantFrom<GoVersion>("1.19", "1.21", "1.22", "1.23"),
        fc.oneof(fc.constant(0), fc.nat(200)),
        fc.nat(),
        fc
          .integer({ min: 8, max: 400 })
          .chain((keys) => fc.tuple(fc.constant(keys), fc.array(opArb(keys), { maxLength: 60 }))),
        fc.boolean(),
        (types, go, hint, seed, [keys, ops], wide) => run(types, go, hint, seed, ops, keys, wide),
      ),
      { numRuns: 10_000, seed: 20261127 },
    );
    // The sequences reach every structural state the invariants talk about.
    expect(seen.growing).toBeGreaterThan(100);
    expect(seen.sameSizeGrow).toBeGreaterThan(10);
    expect(seen.overflow).toBeGreaterThan(100);
    expect(seen.preallocated).toBeGreaterThan(100);
    expect(seen.maxB).toBeGreaterThanOrEqual(5);
    expect(seen.wide).toBeGreaterThan(500); // sequences that end holding wide keys
  }, 120_000);
});
