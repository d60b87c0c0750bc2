/**
 * SwissMap.writeKeys (MapImpl.writeKeys): the map's own key-order loop of insertRange
 * and deleteRange must leave exactly the state of the key-by-key loop — every slot
 * (keys() in memory order, ctrl bytes), every table and the directory, the seed, and
 * every heap figure at every moment a sampler looks (the loop syncs the runtime's
 * clock before each heap call). Random programs run twice, with
 * rangeTuning.fastRanges on and off (off: set() and delete() one key at a time), and
 * everything observable is compared: samples, and every heap call with the virtual
 * time it happens at (a missing sync shows there first; MemStats rarely show it).
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { GoVersion } from "../../src/model/contract.ts";
import { goRuntime, rangeTuning, type GoMap, type MapLengths } from "../../src/model/runtime.ts";
import { objectTypes, type Types } from "./entry-types.ts";
import { logHeapCalls } from "./heap-calls.ts";
import { SwissMap } from "../../src/model/swiss/map.ts";

type Op =
  | { op: "insert"; from: number; to: number; step: number }
  | { op: "delete"; from: number; to: number; step: number }
  | { op: "set"; k: number; v?: number }
  | { op: "gc" }
  | { op: "sleep"; ms: number };

interface Program {
  key: string;
  elem: string;
  lengths?: MapLengths;
  hint: number;
  every: number; // onSample period; 0: no sampler
  ops: Op[];
}

/** Every table's control bytes in directory order (tombstones against empty slots). */
function ctrlBytes(m: GoMap): number[] {
  const impl = m.impl as unknown as SwissMap;
  const out: number[] = [];
  for (const t of impl.distinctTables()) out.push(...t.chunk.ctrl.subarray(t.base, t.base + t.capacity));
  return out;
}

function run(p: Program, go: GoVersion, fast: boolean): unknown {
  const saved = rangeTuning.fastRanges;
  rangeTuning.fastRanges = fast;
  try {
    const rt = goRuntime({ go, seed: 11 });
    const calls = logHeapCalls(rt); // every heap call the map makes, with the virtual time it sees
    const m = rt.makeMap(p.key, p.elem, p.hint, p.lengths);
    const samples: unknown[] = [];
    if (p.every > 0)
      rt.onSample(p.every, (s) => {
        samples.push(s, m.internals(), rt.readMemStats(), rt.now);
      });
    const states: unknown[] = [];
    for (const o of p.ops) {
      if (o.op === "insert") m.insertRange(o.from, o.to, o.step);
      else if (o.op === "delete") m.deleteRange(o.from, o.to, o.step);
      else if (o.op === "set") m.set(o.k, o.v);
      else if (o.op === "gc") rt.GC();
      else rt.sleep(o.ms);
      states.push(m.internals(), rt.readMemStats(), m.len);
    }
    m.checkInvariants();
    // The seed decides where later keys land.
    m.insertRange(0, 300);
    const keys = [...m.keys()];
    return {
      calls,
      states,
      samples,
      keys,
      elems: keys.map((k) => m.get(k)),
      ctrl: ctrlBytes(m),
      after: m.internals(),
      stats: rt.readMemStats(),
    };
  } finally {
    rangeTuning.fastRanges = saved;
  }
}

const range = (keys: number) =>
  fc
    .tuple(fc.nat(keys), fc.nat(keys), fc.constantFrom(1, 1, 1, 2, 3, 7))
    .map(([a, b, step]) => ({ from: Math.min(a, b), to: Math.max(a, b) + 1, step }));

const opArb = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: range(keys).map((r) => ({ op: "insert" as const, ...r })) },
    { weight: 4, arbitrary: range(keys).map((r) => ({ op: "delete" as const, ...r })) },
    { weight: 1, arbitrary: fc.nat(keys).map((k) => ({ op: "set" as const, k })) },
    // An elem other than the key: the map stores elems from then on.
    { weight: 1, arbitrary: fc.nat(keys).map((k) => ({ op: "set" as const, k, v: k + 1 })) },
    { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((ms) => ({ op: "sleep" as const, ms })) },
  );

const programArb = (types: Types[], keys: number): fc.Arbitrary<Program> =>
  fc
    .record({
      key: fc.constant(""),
      elem: fc.constant(""),
      types: fc.constantFrom(...types),
      hint: fc.oneof(fc.constant(0), fc.nat(keys)),
      every: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 700 })),
      ops: fc.array(opArb(keys), { minLength: 1, maxLength: 10 }),
    })
    .map(({ types: [key, elem, lengths], ...p }) => ({ ...p, key, elem, ...(lengths ? { lengths } : {}) }));

const versions: GoVersion[] = ["1.24", "1.26", "1.27"];
const fastTypes: Types[] = [
  ["int", "[128]byte"],
  ["int", "int"],
  ["int32", "struct{}"],
];

describe("SwissMap.writeKeys leaves the key-by-key state", () => {
  afterEach(() => {
    expect(rangeTuning.fastRanges).toBe(true);
  });
  for (const go of versions) {
    it(`Go ${go}: random range programs, samples included`, () => {
      fc.assert(
        fc.property(programArb(fastTypes, 6000), (p) => {
          expect(run(p, go, true)).toEqual(run(p, go, false));
        }),
        { numRuns: 40, seed: 24 },
      );
    });
    it(`Go ${go}: maps whose entries own objects (strings, new(T), indirect keys and elems, structs)`, () => {
      fc.assert(
        fc.property(programArb(objectTypes, 1500), (p) => {
          expect(run(p, go, true)).toEqual(run(p, go, false));
        }),
        { numRuns: 30, seed: 25 },
      );
    });
  }

  it("runs for the article's map, and for pointer elems", () => {
    const rt = goRuntime({ go: "1.27" });
    const m = rt.makeMap("int", "[128]byte");
    const impl = m.impl as unknown as SwissMap;
    let calls = 0;
    const orig = impl.set.bind(impl);
    impl.set = (k: number, e?: number): void => {
      calls++;
      orig(k, e);
    };
    m.insertRange(0, 20_000);
    expect(m.len).toBe(20_000);
    expect(calls).toBeLessThan(2_000); // only the small map, updates, growth and splits
    const p = goRuntime({ go: "1.27" }).makeMap("int", "*int").impl as unknown as SwissMap;
    expect(p.writeKeys(false, 0, 10, 1, 10, () => undefined)).toBe(10);
    expect(p.len).toBe(10);
  });
});
