/**
 * MapImpl.deleteRange (classic and Swiss): a deleteRange over scenario integers that
 * are the keys themselves may visit slots in memory order instead of deleting key by
 * key. It must leave exactly the state key-by-key deletes leave: every control or
 * tophash byte (emptyRest against emptyOne, tombstones against empty slots), the
 * counters, the hash seed (what later inserts do) and every memory figure; for entries
 * that own heap objects (string keys, new(T), structs with strings and slices), every
 * heap call too, in order, with the clock it sees (the pass drops them after it, in
 * key order, each synced to its own delete's clock).
 *
 * The key-by-key side turns the maps' range loops off (rangeTuning.fastRanges).
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
import type { GoVersion } from "../../src/model/contract.ts";
import type { SwissMap } from "../../src/model/swiss/map.ts";
import { objectTypes } from "./entry-types.ts";
import { logHeapCalls } from "./heap-calls.ts";

type Step =
  | { op: "insert"; from: number; to: number }
  | { op: "deleteRange"; from: number; to: number; step: number }
  | { op: "delete"; k: number }
  | { op: "gc" };

/** Every slot's state byte, in memory order (classic: tophash; Swiss: ctrl of each table). */
function slotBytes(m: GoMap): number[] {
  const impl = m.impl as unknown as {
    buckets?: { store: { tophash: Uint8Array } } | null;
    oldbuckets?: { store: { tophash: Uint8Array } } | null;
    pool?: { store: { tophash: Uint8Array } };
    directory?: SwissMap["directory"];
  };
  if (impl.directory !== undefined) {
    const out: number[] = [];
    for (const t of impl.directory) out.push(...t.chunk.ctrl.subarray(t.base, t.base + t.capacity));
    return out;
  }
  return [
    ...(impl.buckets?.store.tophash ?? []),
    -1,
    ...(impl.oldbuckets?.store.tophash ?? []),
    -1,
    ...(impl.pool?.store.tophash ?? []),
  ];
}

interface Case {
  go: GoVersion;
  key: string;
  elem: string;
  lengths?: MapLengths;
}

function run(c: Case, steps: Step[], keyByKey: boolean): { rt: GoRuntime; m: GoMap; calls: string[] } {
  const rt = goRuntime({ go: c.go, seed: 7 });
  const calls = logHeapCalls(rt); // every heap call with the clock it sees
  const m = rt.makeMap(c.key, c.elem, 0, c.lengths);
  const saved = rangeTuning.fastRanges;
  rangeTuning.fastRanges = !keyByKey;
  try {
    for (const s of steps) {
      if (s.op === "insert") m.insertRange(s.from, s.to);
      else if (s.op === "delete") m.delete(s.k);
      else if (s.op === "gc") rt.GC();
      else m.deleteRange(s.from, s.to, s.step);
    }
  } finally {
    rangeTuning.fastRanges = saved;
  }
  return { rt, m, calls };
}

const stepArb = (keys: number): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat(keys), fc.nat(keys))
        .map(([a, b]) => ({ op: "insert" as const, from: Math.min(a, b), to: Math.max(a, b) })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.nat(keys), fc.nat(keys), fc.integer({ min: 1, max: 5 })).map(([a, b, step]) => ({
        op: "deleteRange" as const,
        from: Math.min(a, b),
        to: Math.max(a, b),
        step,
      })),
    },
    { weight: 1, arbitrary: fc.nat(keys).map((k) => ({ op: "delete" as const, k })) },
    { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
  );

describe("deleteRange in memory order", () => {
  const plain: [GoVersion, string][] = [
    ["1.21", "int"],
    ["1.23", "[128]byte"],
    ["1.24", "int"],
    ["1.26", "[128]byte"],
    ["1.27", "[128]byte"],
  ];
  const cases: Case[] = [
    ...plain.map(([go, elem]) => ({ go, key: "int", elem })),
    // Entries that own heap objects: their drops come after the pass, in key order.
    ...(["1.23", "1.27"] as const).flatMap((go) =>
      objectTypes.map(([key, elem, lengths]) => ({ go, key, elem, ...(lengths ? { lengths } : {}) })),
    ),
  ];
  for (const c of cases) {
    it(`leaves the state of key-by-key deletes (Go ${c.go}, map[${c.key}]${c.elem})`, () => {
      fc.assert(
        fc.property(fc.array(stepArb(3000), { minLength: 1, maxLength: 8 }), (steps) => {
          const a = run(c, steps, false);
          const b = run(c, steps, true);
          expect(a.calls).toEqual(b.calls);
          expect(slotBytes(a.m)).toEqual(slotBytes(b.m));
          expect(a.m.internals()).toEqual(b.m.internals());
          expect(a.rt.readMemStats()).toEqual(b.rt.readMemStats());
          a.m.checkInvariants();
          // The seed and the marks decide what later inserts do.
          a.m.insertRange(0, 2000);
          b.m.insertRange(0, 2000);
          expect(slotBytes(a.m)).toEqual(slotBytes(b.m));
          expect(a.m.internals()).toEqual(b.m.internals());
        }),
        {
          numRuns: c.key === "int" && !c.elem.startsWith("*") && !c.elem.includes("300") ? 60 : 15,
          seed: 12,
        },
      );
    });
  }

  it.each(["int", "string"])(
    "uses the memory-order pass for a large range (the article's delete of every key, %s keys)",
    (key) => {
      for (const go of ["1.23", "1.27"] as const) {
        const a = run({ go, key, elem: "[128]byte" }, [{ op: "insert", from: 0, to: 50_000 }], false);
        const impl = a.m.impl as unknown as {
          delete: (k: number) => void;
          writeKeys: (...args: unknown[]) => number;
        };
        let calls = 0;
        const orig = impl.delete.bind(impl);
        impl.delete = (k: number): void => {
          calls++;
          orig(k);
        };
        impl.writeKeys = (): number => {
          calls++;
          return 0;
        };
        a.m.deleteRange(0, 50_000);
        expect(a.m.len).toBe(0);
        expect(calls).toBe(0);
      }
    },
  );
});
