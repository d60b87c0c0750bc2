/**
 * Property tests of the Swiss-table map: random sequences of set/delete/get/clear,
 * with the map's invariants checked after every operation, its contents compared
 * with a JS Map, and its heap objects compared with what its structure says it holds.
 * Seeded, so every run tests the same sequences.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { GoVersion, SwissInternals } from "../../src/model/contract.ts";
import { SwissMap } from "../../src/model/swiss/index.ts";
import { parseType } from "../../src/model/types.ts";
import { FakeHeap } from "./swiss-fake-heap.ts";

type Op =
  | { op: "set"; k: number; v: number }
  | { op: "delete"; k: number }
  | { op: "get"; k: number }
  | { op: "clear" }
  | { op: "fill"; from: number; n: number }
  | { op: "churn"; n: number };

const versions: GoVersion[] = ["1.24", "1.25", "1.26", "1.27"];
// [key, elem, heap objects per entry]
const typePairs: [string, string, number][] = [
  ["int", "int", 0],
  ["int", "[128]byte", 0],
  ["int", "*[8]byte", 1],
  ["string", "string", 2],
  ["[129]byte", "[200]byte", 2],
  ["int16", "struct{}", 0],
];

function internals(m: SwissMap): SwissInternals {
  const i = m.internals();
  if (i.kind !== "swiss") throw new Error("not swiss");
  return i;
}

/** Objects the structure says are alive: Map, group or tables+groups+directory, entries. */
function expectedLive(m: SwissMap, perEntry: number): number {
  const i = internals(m);
  let n = 1;
  if (i.small) n += m.small === null ? 0 : 1;
  else n += 2 * i.tables.length + 1;
  return n + perEntry * m.len;
}

let wideRuns = 0; // sequences that end holding keys beyond int32

/**
 * With `wide`, every key k ≡ 3 (mod 7) becomes 2^40 + k, so the arena's key column
 * widens from Int32 to Float64 whenever the first such key arrives.
 */
function run(
  go: GoVersion,
  pair: [string, string, number],
  hint: number,
  seed: number,
  rawOps: Op[],
  wide = false,
): void {
  const w = (k: number): number => (wide && k % 7 === 3 ? 2 ** 40 + k : k);
  const ops = rawOps.map((o): Op => {
    if (o.op === "set" || o.op === "delete" || o.op === "get") return { ...o, k: w(o.k) };
    return o;
  });
  const [k, e, perEntry] = pair;
  const heap = new FakeHeap();
  const m = new SwissMap({ heap, key: parseType(k), elem: parseType(e), hint, seed, go });
  const model = new Map<number, number>();
  let fresh = 1_000_000; // churn inserts keys no other op uses
  const check = (): void => {
    m.checkInvariants();
    expect(m.len).toBe(model.size);
    expect(heap.live.size).toBe(expectedLive(m, perEntry));
  };
  for (const o of ops) {
    switch (o.op) {
      case "set":
        m.set(o.k, o.v);
        model.set(o.k, o.v);
        break;
      case "delete":
        m.delete(o.k);
        model.delete(o.k);
        break;
      case "get":
        expect(m.get(o.k)).toBe(model.get(o.k));
        expect(m.has(o.k)).toBe(model.has(o.k));
        break;
      case "clear":
        m.clear();
        model.clear();
        break;
      case "fill":
        for (let i = o.from; i < o.from + o.n; i++) {
          m.set(i, i + 1);
          model.set(i, i + 1);
        }
        break;
      case "churn":
        // Constant size: delete the oldest key, insert a new one (tombstones pile up).
        for (let j = 0; j < o.n; j++) {
          const oldest = model.keys().next();
          if (!oldest.done) {
            m.delete(oldest.value);
            model.delete(oldest.value);
          }
          m.set(fresh, j);
          model.set(fresh++, j);
        }
        break;
    }
    check();
  }
  for (const [key, v] of model) expect(m.get(key)).toBe(v);
  expect(new Set(m.keys())).toEqual(new Set(model.keys()));
  if ([...model.keys()].some((key) => key > 2 ** 31)) wideRuns++;
  m.drop();
  expect(heap.live.size).toBe(0);
}

function opArb(keyMax: number): fc.Arbitrary<Op> {
  const key = fc.integer({ min: 0, max: keyMax });
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({ op: fc.constant("set" as const), k: key, v: fc.integer({ min: 0, max: 1e6 }) }),
    },
    { weight: 8, arbitrary: fc.record({ op: fc.constant("delete" as const), k: key }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("get" as const), k: key }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("fill" as const),
        from: key,
        n: fc.integer({ min: 1, max: 40 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant("churn" as const), n: fc.integer({ min: 20, max: 400 }) }),
    },
  );
}

describe("random op sequences against a JS Map (invariants after every op)", () => {
  test("10^4 sequences, small key ranges: collisions, tombstones, growth, prunes, clears", () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...versions),
        fc.constantFrom(...typePairs),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc
          .integer({ min: 7, max: 200 })
          .chain((keyMax) => fc.array(opArb(keyMax), { minLength: 1, maxLength: 60 })),
        fc.boolean(),
        (go, pair, hint, seed, ops, wide) => {
          runs++;
          run(go, pair, hint, seed, ops, wide);
        },
      ),
      { numRuns: 10_000, seed: 20240501 },
    );
    expect(runs).toBe(10_000);
    expect(wideRuns).toBeGreaterThan(500);
  });

  test("sequences large enough to split tables and double the directory", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...versions),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(
          fc.oneof(
            {
              weight: 3,
              arbitrary: fc.record({
                op: fc.constant("fill" as const),
                from: fc.integer({ min: 0, max: 3000 }),
                n: fc.integer({ min: 100, max: 700 }),
              }),
            },
            {
              weight: 4,
              arbitrary: fc.record({
                op: fc.constant("delete" as const),
                k: fc.integer({ min: 0, max: 3700 }),
              }),
            },
            {
              weight: 1,
              arbitrary: fc.record({ op: fc.constant("get" as const), k: fc.integer({ min: 0, max: 3700 }) }),
            },
          ),
          { minLength: 4, maxLength: 12 },
        ),
        (go, seed, ops) => {
          const heap = new FakeHeap();
          const m = new SwissMap({ heap, key: parseType("int"), elem: parseType("int"), hint: 0, seed, go });
          const model = new Map<number, number>();
          let sawSplit = false;
          for (const o of ops) {
            if (o.op === "fill") {
              for (let i = o.from; i < o.from + o.n; i++) {
                m.set(i, i);
                model.set(i, i);
              }
            } else if (o.op === "delete") {
              for (let i = o.k; i < o.k + 200; i++) {
                m.delete(i);
                model.delete(i);
              }
            } else {
              expect(m.get(o.k)).toBe(model.get(o.k));
            }
            m.checkInvariants();
            expect(m.len).toBe(model.size);
            sawSplit ||= internals(m).globalDepth > 0;
          }
          for (const [key, v] of model) expect(m.get(key)).toBe(v);
          m.drop();
          expect(heap.live.size).toBe(0);
          return sawSplit || model.size < 900;
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
