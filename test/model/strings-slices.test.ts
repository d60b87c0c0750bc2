/**
 * Strings, slices and structs with lengths (types.ts LengthSpec, entry-objects.ts):
 * layouts, the heap objects one value points to, tiny allocation, what update and
 * delete free, entry limits, and a seeded property test over both map families.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GoVersion } from "../../src/model/contract.ts";
import { mallocSize } from "../../src/model/heap/malloc.ts";
import { goRuntime, type GoMap, type MapLengths } from "../../src/model/runtime.ts";
import { checkScenario } from "../../src/model/scenario.ts";
import { parseType, withLengths, type LengthSpec } from "../../src/model/types.ts";

const both: GoVersion[] = ["1.23", "1.24"];
const USER = "struct{ ID int64; Name string; Tags []string }";
const USER_LENGTHS = { Name: { len: 12 }, Tags: { len: 3, cap: 4, elem: { len: 8 } } };

describe("types: slices and named struct fields", () => {
  it("lays out slices as 24-byte headers and structs with padding and offsets", () => {
    expect(parseType("[]byte")).toMatchObject({ size: 24, align: 8, pointers: true, kind: "slice" });
    const t = parseType("struct{ A int8; B []int32; C int16; D string; E bool }");
    expect(t.fields?.map((f) => [f.name, f.offset])).toEqual([
      ["A", 0],
      ["B", 8],
      ["C", 32],
      ["D", 40],
      ["E", 56],
    ]);
    expect(t.size).toBe(64);
    expect(t.align).toBe(8);
    expect(parseType(USER)).toMatchObject({ size: 48, pointers: true });
    expect(parseType("struct{ a, b int32; c int8 }").fields?.map((f) => f.offset)).toEqual([0, 4, 8]);
  });

  it("lists what one value points to, in the program's allocation order", () => {
    expect(parseType(USER, USER_LENGTHS).objects).toEqual([
      { size: 12, noscan: true, path: "Name" },
      { size: 64, noscan: false, path: "Tags[]" },
      { size: 8, noscan: true, path: "Tags[0]" },
      { size: 8, noscan: true, path: "Tags[1]" },
      { size: 8, noscan: true, path: "Tags[2]" },
    ]);
    // A pointer is new(T), then what T points to; the spec passes through it.
    expect(parseType(`*${USER}`, USER_LENGTHS).objects?.map((o) => [o.path, o.size, o.noscan])).toEqual([
      ["*", 48, false],
      ["*.Name", 12, true],
      ["*.Tags[]", 64, false],
      ["*.Tags[0]", 8, true],
      ["*.Tags[1]", 8, true],
      ["*.Tags[2]", 8, true],
    ]);
    // Defaults: strings of 16 bytes (the scenarios' %016d), nil slices.
    expect(parseType(USER).objects).toEqual([{ size: 16, noscan: true, path: "Name" }]);
    // Pointer-free slice elems make a noscan backing array; empty and 1-byte strings allocate nothing.
    expect(parseType("[]int32", { len: 2, cap: 5 }).objects).toEqual([
      { size: 20, noscan: true, path: "[]" },
    ]);
    expect(parseType("string", { len: 0 }).objects).toEqual([]);
    expect(parseType("string", { len: 1 }).objects).toEqual([]);
    expect(parseType("[2]string", { elem: { len: 3 } }).objects?.length).toBe(2);
  });

  it("refuses lengths that do not fit the type, naming the path", () => {
    expect(() => parseType(USER, { Tags: { len: 5, cap: 4 } })).toThrow(
      "lengths for Tags: cap (4) must be ≥ len (5)",
    );
    expect(() => parseType(USER, { Nme: { len: 5 } })).toThrow(/unknown key "Nme"/);
    expect(() => parseType(USER, { ID: { len: 5 } })).toThrow(
      /lengths for ID: int64 has no strings or slices/,
    );
    expect(() => parseType(USER, { Tags: { elem: { len: -1 } } })).toThrow(
      /lengths for Tags.elem: len must be/,
    );
    expect(() => parseType("string", { cap: 3 })).toThrow(/unknown key "cap" for string/);
    expect(() => parseType("[]byte", { len: 2 ** 41 })).toThrow(/over the model's limit/);
  });

  it.each([
    ["struct{ M map[string]int }", /field M: map types are not supported/],
    ["struct{ C chan int }", /field C: chan types are not supported/],
    ["struct{ F func() }", /field F: func types are not supported/],
    ["[]interface{}", /interface types are not supported/],
    ["struct{ E error }", /error \(an interface\) types/],
    ["struct{ int64 }", /embedded field/],
  ])("rejects %s naming the type", (src, why) => {
    expect(() => parseType(src)).toThrow(why);
    expect(() => parseType(src)).toThrow(`unsupported Go type "${src}"`);
  });
});

/** Live heap after a GC, minus the same map whose slices are nil (the default). */
function pointeeBytes(go: GoVersion, key: string, elem: string, lengths: MapLengths, n: number): number {
  const run = (l: MapLengths): number => {
    const rt = goRuntime({ go });
    const m = rt.makeMap(key, elem, 0, l);
    m.insertRange(0, n);
    rt.GC();
    return rt.readMemStats().HeapAlloc;
  };
  return run(lengths) - run({});
}

describe("backing arrays and strings on the heap", () => {
  it.each(both)(
    "Go %s: a slice's backing array takes its size class; tiny noscan arrays share 16-byte blocks",
    (go) => {
      const n = 4096;
      // cap 100 bytes → the 112-byte class; cap 4 bytes → a quarter of a tiny block.
      expect(pointeeBytes(go, "int", "[]byte", { elem: { len: 90, cap: 100 } }, n)).toBe(n * 112);
      expect(pointeeBytes(go, "int", "[]byte", { elem: { len: 3, cap: 4 } }, n)).toBe((n / 4) * 16);
      // Pointerful elems: no tiny allocator; []*int of cap 2 is a 16-byte scan object.
      expect(pointeeBytes(go, "int", "[]*int", { elem: { len: 0, cap: 2 } }, n)).toBe(n * 16);
      // Go 1.22+ malloc header: a pointerful array over 512 bytes needs 8 more bytes.
      expect(pointeeBytes(go, "int", "[]string", { elem: { len: 0, cap: 40 } }, n)).toBe(
        n * mallocSize(640, false, { mallocHeader: true }),
      );
    },
  );

  it.each(both)("Go %s: a map's internals count what its entries point to", (go) => {
    const rt = goRuntime({ go });
    const m = rt.makeMap("int", USER, 0, { elem: USER_LENGTHS });
    const plain = goRuntime({ go }).makeMap("int", USER, 0, { elem: { Name: { len: 0 } } });
    m.insertRange(0, 1000);
    plain.insertRange(0, 1000);
    // 12 + 64 + 3·8 bytes per entry (tiny objects at their own size).
    expect(m.internals().bytes - plain.internals().bytes).toBe(1000 * (12 + 64 + 24));
  });
});

describe("delete, update and clear free what the entry alone pointed to", () => {
  const shapes: [string, string, MapLengths][] = [
    ["string", USER, { key: { len: 40 }, elem: USER_LENGTHS }],
    ["string", `*${USER}`, { key: { len: 24 }, elem: USER_LENGTHS }],
    ["int", "struct{ Name string; Pad [200]byte }", { elem: { Name: { len: 48 } } }], // indirect elem
    [
      "struct{ ID int64; Name string; Pad [150]byte }",
      "[]byte",
      { key: { Name: { len: 20 } }, elem: { len: 7, cap: 9 } },
    ], // indirect key
  ];

  it.each(both.flatMap((go) => shapes.map((s) => [go, ...s] as const)))(
    "Go %s map[%s]%s: delete all + GC leaves only the tables; overwrites keep the live heap",
    (go, key, elem, lengths) => {
      const rt = goRuntime({ go });
      const m = rt.makeMap(key, elem, 0, lengths);
      const bare = goRuntime({ go });
      const b = bare.makeMap(key, elem);
      m.insertRange(0, 5000);
      b.insertRange(0, 5000);
      rt.GC();
      const full = rt.readMemStats().HeapAlloc;
      m.insertRange(0, 5000); // every key again: m[k] = v on present keys
      m.checkInvariants();
      rt.GC();
      expect(rt.readMemStats().HeapAlloc).toBe(full);
      m.deleteRange(0, 5000);
      b.deleteRange(0, 5000);
      m.checkInvariants();
      rt.GC();
      bare.GC();
      // Only the (never shrinking) tables remain: the same as a map whose entries point to the defaults.
      const tables = (x: GoMap): number => x.internals().bytes;
      expect(tables(m)).toBe(tables(b));
      expect(rt.readMemStats().HeapAlloc).toBeLessThan(full);
      m.insertRange(0, 100);
      rt.clear(m);
      m.checkInvariants();
      rt.GC();
      expect(tables(m)).toBe(tables(b));
    },
  );
});

describe("keys built from i", () => {
  it("refuses scenario integers a short string key cannot tell apart", () => {
    const rt = goRuntime({ go: "1.24" });
    const m = rt.makeMap("string", "int", 0, { key: { len: 3 } });
    m.insertRange(0, 1000);
    expect(() => m.insertRange(0, 1001)).toThrow(/hold distinct values for 0 ≤ i < 1,000 only/);
    expect(() => m.set(-1)).toThrow(RangeError);
    expect(m.len).toBe(1000);
  });

  it("accepts struct keys with an int or string field and rejects slice keys", () => {
    const rt = goRuntime({ go: "1.23" });
    expect(rt.makeMap("struct{ ID int64; Name string }", "int").len).toBe(0);
    expect(() => rt.makeMap("struct{ Tags []string }", "int")).toThrow(
      /invalid map key type.*slices are not comparable/,
    );
    expect(() => rt.makeMap("struct{ A int8 }", "int")).toThrow(/unsupported key type/);
  });

  it("a scenario's lengths bind into its types, and bad ones name the field", () => {
    const steps = [{ op: "make" }, { op: "insert", from: 0, to: 10 }];
    const sc = checkScenario({
      key: "string",
      elem: "[]byte",
      lengths: { key: { len: 64 }, elem: { len: 5 } },
      steps,
    });
    expect(sc.key.objects).toEqual([{ size: 64, noscan: true, path: "" }]);
    expect(sc.elem.objects).toEqual([{ size: 5, noscan: true, path: "[]" }]);
    expect(() => checkScenario({ key: "string", elem: "int", lengths: { elem: { len: 5 } }, steps })).toThrow(
      /^lengths\.elem: lengths: int has no strings or slices/,
    );
    expect(() => checkScenario({ key: "string", elem: "int", lengths: { value: {} }, steps })).toThrow(
      /^lengths\.value: unknown field/,
    );
    expect(() =>
      checkScenario({
        key: "string",
        elem: "int",
        lengths: { key: { len: 1 } },
        steps: [{ op: "make" }, { op: "insert", from: 0, to: 11 }],
      }),
    ).toThrow(/^steps\[1\]\.to: keys of type string hold distinct values for i < 10 only .*got 11/);
  });
});

describe("maxEntries (limits.ts)", () => {
  it.each(both)("Go %s: make, insertRange and set past the limit are refused before allocating", (go) => {
    const rt = goRuntime({ go, maxEntries: 100, limitName: "the test's limit" });
    expect(() => rt.makeMap("int", "int", 101)).toThrow(
      "Refused before allocating: make(map[int]int, 101) asks for more than the test's limit of 100 entries per map.",
    );
    const m = rt.makeMap("int", "string");
    const before = rt.readMemStats().HeapAlloc;
    expect(() => m.insertRange(0, 101)).toThrow(
      "Refused before allocating: inserting 101 elements would take the map past the test's limit of 100 entries per map.",
    );
    expect(rt.readMemStats().HeapAlloc).toBe(before);
    m.insertRange(0, 100);
    m.set(5); // present: allowed
    expect(() => m.set(100)).toThrow(
      "Refused before allocating: the map already holds 100 entries, the test's limit per map.",
    );
    expect(m.len).toBe(100);
    expect(() => goRuntime({ go, maxEntries: -1 })).toThrow(/maxEntries must be a non-negative integer/);
  });
});

describe("property: entry objects follow the entries (seeded)", () => {
  const cases: [string, string, MapLengths][] = [
    ["string", USER, { key: { len: 20 }, elem: USER_LENGTHS }],
    [
      "[16]byte",
      "struct{ N int64; S string; B []byte }",
      { elem: { S: { len: 30 }, B: { len: 40, cap: 48 } } },
    ],
    ["int", "*struct{ S string; T [2]string }", { elem: { S: { len: 17 }, T: { elem: { len: 33 } } } }],
    ["int", "struct{ S string; Pad [130]byte }", { elem: { S: { len: 64 } } }],
  ];
  type Op =
    | { op: "ins"; from: number; n: number }
    | { op: "del"; from: number; n: number }
    | { op: "clear" }
    | { op: "gc" };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("ins" as const), from: fc.nat(300), n: fc.nat(200) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant("del" as const), from: fc.nat(300), n: fc.nat(200) }),
    },
    { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "gc" as const }) },
  );

  it.each((["1.23", "1.24", "1.27"] as GoVersion[]).flatMap((go) => cases.map((c) => [go, ...c] as const)))(
    "Go %s map[%s]%s",
    (go, key, elem, lengths) => {
      const perEntry = (t: string, spec: LengthSpec | undefined): number =>
        (withLengths(parseType(t), spec).objects ?? []).reduce(
          (s, o) =>
            s + (o.size < 16 && o.noscan ? o.size : mallocSize(o.size, o.noscan, { mallocHeader: true })),
          0,
        );
      const indirect = (t: string): number => {
        const s = parseType(t).size;
        return s > 128 ? mallocSize(s, !parseType(t).pointers, { mallocHeader: true }) : 0;
      };
      const each = perEntry(key, lengths.key) + perEntry(elem, lengths.elem) + indirect(key) + indirect(elem);
      fc.assert(
        fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
          const rt = goRuntime({ go });
          const m = rt.makeMap(key, elem, 0, lengths);
          const model = new Set<number>();
          for (const o of ops) {
            if (o.op === "ins") {
              m.insertRange(o.from, o.from + o.n);
              for (let i = o.from; i < o.from + o.n; i++) model.add(i);
            } else if (o.op === "del") {
              m.deleteRange(o.from, o.from + o.n);
              for (let i = o.from; i < o.from + o.n; i++) model.delete(i);
            } else if (o.op === "clear") {
              m.clear();
              model.clear();
            } else rt.GC();
            m.checkInvariants();
            rt.heap.checkInvariants();
            expect(m.len).toBe(model.size);
          }
          const impl = m.impl as unknown as {
            objects: { bytes: number; liveKeys: number; liveElems: number };
          };
          expect(impl.objects.bytes).toBe(m.len * each);
          expect(m.objectBytes()).toBe(m.len * each);
          expect(impl.objects.liveElems).toBe(m.len);
          rt.drop(m);
          rt.GC();
          expect(rt.readMemStats().HeapAlloc).toBe(rt.rules.baseHeap);
        }),
        { seed: 13, numRuns: 25 },
      );
    },
    60_000,
  );
});
