/**
 * Unit tests of the Swiss-table map (src/model/swiss) against facts recorded from the
 * real Go runtime.
 *
 * The "recorded" constants below come from a Go program run with go1.24.4, go1.26.10
 * and go1.27.3 (linux/amd64) that reads the runtime's own structures through unsafe:
 * abi.SwissMapType.Group's Size_ and PtrBytes for each map type, and Map.dirLen,
 * Map.globalDepth and each table's capacity/localDepth/growthLeft after every insert
 * into a map[int]int, after make(map[int]int, hint), after churn and after clear().
 * Values that depend on the random hash seed (exact growthLeft after splits) are not
 * asserted; the structure is. The probe's source is at the end of this file.
 */
import { describe, expect, test } from "vitest";
import type { GoVersion, SwissInternals } from "../../src/model/contract.ts";
import { SwissMap, groupLayout, makeSwissMap } from "../../src/model/swiss/index.ts";
import {
  ctrlDeleted,
  ctrlEmpty,
  matchEmpty,
  matchEmptyOrDeleted,
  matchH2,
  slotOf,
} from "../../src/model/swiss/group.ts";
import { assignPath } from "../../src/model/swiss/layout.ts";
import { swissRules } from "../../src/model/swiss/versions.ts";
import { parseType } from "../../src/model/types.ts";
import { FakeHeap } from "./swiss-fake-heap.ts";

function make(go: GoVersion, key: string, elem: string, hint = 0, seed = 1): { m: SwissMap; heap: FakeHeap } {
  const heap = new FakeHeap();
  const m = new SwissMap({ heap, key: parseType(key), elem: parseType(elem), hint, seed, go });
  return { m, heap };
}

function sw(m: SwissMap): SwissInternals {
  const i = m.internals();
  if (i.kind !== "swiss") throw new Error("not swiss");
  return i;
}

/** The shape Go's program printed: "small" or "gd=G cap/localDepth/growthLeft ...". */
function shape(m: SwissMap, withGrowthLeft = true): string {
  const i = sw(m);
  if (i.small) return "small";
  return (
    `gd=${i.globalDepth} ` +
    i.tables
      .map((t) =>
        withGrowthLeft ? `${t.capacity}/${t.localDepth}/${t.growthLeft}` : `${t.capacity}/${t.localDepth}`,
      )
      .join(" ")
  );
}

describe("group layout (recorded from go1.24/1.26/1.27: abi group type Size_, PtrBytes)", () => {
  // [map type, group size, group PtrBytes]; identical in all three releases.
  const recorded: [string, string, number, number][] = [
    ["int", "int", 136, 0],
    ["int", "[128]byte", 1096, 0],
    ["int", "*[128]byte", 136, 136],
    ["int", "[129]byte", 136, 136],
    ["int", "[256]byte", 136, 136],
    ["int", "struct{}", 136, 0],
    ["struct{}", "struct{}", 16, 0],
    ["string", "string", 264, 256],
    ["string", "int", 200, 184],
    ["int8", "int64", 136, 0],
    ["int32", "int8", 72, 0],
    ["[129]byte", "int", 136, 128],
    ["int", "[0]byte", 136, 0],
    ["int", "bool", 136, 0],
    ["uint16", "struct{ a int8; b string }", 264, 256],
    ["[16]byte", "int64", 200, 0],
    ["int", "[64]byte", 584, 0],
    ["int", "[8]byte", 136, 0],
  ];
  test.each(recorded)("map[%s]%s: group %i bytes, ptrBytes %i", (k, e, size, ptrBytes) => {
    const l = groupLayout(parseType(k), parseType(e));
    expect(l.groupSize).toBe(size);
    expect(l.groupNoscan).toBe(ptrBytes === 0);
  });

  test("keys and elems over 128 bytes are indirect, 128 bytes are not", () => {
    expect(groupLayout(parseType("[128]byte"), parseType("[128]byte"))).toMatchObject({
      indirectKey: false,
      indirectElem: false,
    });
    expect(groupLayout(parseType("[129]byte"), parseType("[129]byte"))).toMatchObject({
      indirectKey: true,
      indirectElem: true,
    });
  });

  test("assign paths follow the compiler's mapfast", () => {
    expect(assignPath(parseType("int"), parseType("[128]byte"))).toBe("fast64");
    expect(assignPath(parseType("int"), parseType("[129]byte"))).toBe("slow");
    expect(assignPath(parseType("uint32"), parseType("int"))).toBe("fast32");
    expect(assignPath(parseType("[8]byte"), parseType("int"))).toBe("fast64");
    expect(assignPath(parseType("string"), parseType("int"))).toBe("faststr");
    expect(assignPath(parseType("*int"), parseType("int"))).toBe("fast64ptr");
    expect(assignPath(parseType("float64"), parseType("int"))).toBe("slow");
    expect(assignPath(parseType("int16"), parseType("int"))).toBe("slow");
  });
});

describe("control-word matching (four slots per 32-bit word)", () => {
  test("matchEmpty and matchEmptyOrDeleted are exact; matchH2 finds every match", () => {
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let n = 0; n < 20000; n++) {
      const bytes = [0, 1, 2, 3].map(() => {
        const r = rnd() % 4;
        return r === 0 ? ctrlEmpty : r === 1 ? ctrlDeleted : (rnd() >>> 8) & 0x7f;
      });
      const w =
        ((bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 24)) >>> 0;
      const h2 = (rnd() >>> 8) & 0x7f;
      const bits = (pred: (b: number) => boolean): number[] => bytes.flatMap((b, i) => (pred(b) ? [i] : []));
      const slots = (m: number): number[] => {
        const out: number[] = [];
        for (; m !== 0; m &= m - 1) out.push(slotOf(m));
        return out;
      };
      expect(slots(matchEmpty(w))).toEqual(bits((b) => b === ctrlEmpty));
      expect(slots(matchEmptyOrDeleted(w))).toEqual(bits((b) => b === ctrlEmpty || b === ctrlDeleted));
      const found = slots(matchH2(w, h2));
      for (const i of bits((b) => b === h2)) expect(found).toContain(i);
    }
  });
});

describe("versions", () => {
  test("pre-Swiss releases are rejected", () => {
    expect(() => make("1.23", "int", "int")).toThrow(/1\.23 has no Swiss-table map/);
  });
  test("rules differ where the sources differ", () => {
    expect(swissRules("1.24").pruneTombstones).toBe(false);
    expect(swissRules("1.25").pruneTombstones).toBe(false);
    expect(swissRules("1.26").pruneTombstones).toBe(true);
    expect(swissRules("1.27").smallUpdateGrows).toBe(false);
    expect(swissRules("1.26").smallUpdateGrows).toBe(true);
  });
});

describe("bytes a small map allocates (Map 48 B, one group)", () => {
  test("make(map[int]int): only the 48-byte Map; the group comes with the first insert", () => {
    const { m, heap } = make("1.24", "int", "int");
    expect(heap.allocSizes()).toEqual([48]);
    expect(heap.log.find((e) => e.op === "alloc")).toMatchObject({ noscan: false });
    m.set(1);
    expect(heap.allocSizes()).toEqual([48, 136]);
    expect([...heap.live.values()].find((r) => r.size === 136)?.noscan).toBe(true);
    for (let i = 2; i <= 8; i++) m.set(i);
    expect(heap.allocSizes()).toEqual([48, 136]);
    expect(heap.liveBytes).toBe(48 + 136);
    expect(sw(m).bytes).toBe(48 + 144); // the 136-byte group takes a 144-byte size class
    expect(m.heldBytes(false)).toBe(48 + 136);
  });

  test("the 9th insert converts to a 16-slot table: table 32 B, groups 2·136 B, directory 8 B; the group is dropped", () => {
    const { m, heap } = make("1.24", "int", "int");
    for (let i = 1; i <= 8; i++) m.set(i);
    const mark = heap.log.length;
    m.set(9);
    expect(heap.allocSizes(mark)).toEqual([32, 272, 8]);
    expect(heap.dropSizes(mark)).toEqual([136]);
    expect(heap.liveBytes).toBe(48 + 32 + 272 + 8);
    expect(shape(m)).toBe("gd=0 16/0/5"); // recorded: "grow n=9 gd=0 16/0/5"
  });

  test("map[int][128]byte small map: 48 + 1096 bytes", () => {
    const { m, heap } = make("1.24", "int", "[128]byte");
    for (let i = 0; i < 8; i++) m.set(i);
    expect(heap.liveBytes).toBe(48 + 1096);
  });

  test("indirect elems and *T pointees are separate objects; delete drops them", () => {
    const { m, heap } = make("1.24", "int", "[256]byte");
    m.set(1);
    m.set(2);
    expect(heap.liveBySize()).toEqual({ 48: 1, 136: 1, 256: 2 });
    m.set(1, 7); // update reuses the indirect elem
    expect(heap.liveBySize()[256]).toBe(2);
    m.delete(1);
    expect(heap.liveBySize()[256]).toBe(1);

    const p = make("1.24", "int", "*[128]byte");
    p.m.set(1);
    p.m.set(1); // m[k] = new(T) again: the old pointee is garbage
    expect(p.heap.liveBySize()[128]).toBe(1);
    expect(p.heap.dropSizes()).toEqual([128]);
    p.m.delete(1);
    expect(p.heap.liveBySize()[128]).toBeUndefined();
  });

  test("a *T elem of zero-size T allocates nothing (Go: &zerobase)", () => {
    const { m, heap } = make("1.24", "int", "*struct{}");
    for (let i = 0; i < 5; i++) m.set(i);
    expect(heap.allocSizes()).toEqual([48, 136]);
  });

  test("string keys and elems own 16-byte data objects", () => {
    const { m, heap } = make("1.26", "string", "string");
    for (let i = 0; i < 5; i++) m.set(i);
    expect(heap.liveBySize()).toEqual({ 48: 1, 264: 1, 16: 10 });
    m.set(3, 99); // new key string replaces the old one, and a new elem string
    expect(heap.liveBySize()[16]).toBe(10);
    m.checkInvariants();
  });

  test("drop() releases every object", () => {
    const { m, heap } = make("1.27", "string", "*int", 5000);
    for (let i = 0; i < 3000; i++) m.set(i);
    m.drop();
    expect(heap.live.size).toBe(0);
  });
});

describe("growth boundaries (recorded: capacity doubles at 14, 28, 56, 112, 224, 448, 896 entries)", () => {
  test.each(["1.24", "1.26", "1.27"] as const)("go %s", (go) => {
    const { m, heap } = make(go, "int", "int");
    const changes: string[] = [];
    let prev = "";
    for (let n = 1; n <= 897; n++) {
      m.set(n);
      const s = shape(m, false);
      if (s !== prev) changes.push(`${n} ${s}`);
      prev = s;
    }
    expect(changes).toEqual([
      "1 small",
      "9 gd=0 16/0",
      "15 gd=0 32/0",
      "29 gd=0 64/0",
      "57 gd=0 128/0",
      "113 gd=0 256/0",
      "225 gd=0 512/0",
      "449 gd=0 1024/0",
      "897 gd=1 1024/1 1024/1",
    ]);
    // Recorded growthLeft right after each growth.
    const g = make(go, "int", "int");
    const after: Record<number, string> = {
      15: "32/0/13",
      29: "64/0/27",
      57: "128/0/55",
      113: "256/0/111",
      225: "512/0/223",
      449: "1024/0/447",
    };
    for (let n = 1; n <= 449; n++) {
      g.m.set(n);
      const want = after[n];
      if (want !== undefined) expect(shape(g.m)).toBe(`gd=0 ${want}`);
    }
    // The split at 897: two fresh 1024-slot tables with 897 entries between them.
    expect(m.tablesAllocated).toBe(9); // 16, 32, …, 1024, then the two halves
    const i = sw(m);
    expect(i.tables.reduce((a, t) => a + t.used, 0)).toBe(897);
    expect(i.tables.map((t) => t.growthLeft + t.used)).toEqual([896, 896]);
    m.checkInvariants();
    void heap;
  });

  test("a split that needs a new directory bit doubles the directory; old directory and table are dropped", () => {
    const { m, heap } = make("1.24", "int", "int");
    for (let n = 0; n < 896; n++) m.set(n);
    const mark = heap.log.length;
    m.set(896);
    // two tables (32 B + 128 groups each), then the doubled directory; drops: old dir, old groups, old table
    expect(heap.allocSizes(mark)).toEqual([32, 128 * 136, 32, 128 * 136, 16]);
    expect(heap.dropSizes(mark).sort((a, b) => a - b)).toEqual([8, 32, 128 * 136]);
  });

  test("1M entries: directory and table counts follow extendible hashing", () => {
    const { m } = make("1.24", "int", "[128]byte");
    for (let i = 0; i < 1_000_000; i++) m.set(i);
    const i = sw(m);
    expect(i.globalDepth).toBe(11);
    expect(i.directoryLen).toBe(2048);
    expect(i.tables.length).toBeGreaterThan(1900);
    expect(i.tables.length).toBeLessThanOrEqual(2048);
    expect(i.tables.every((t) => t.capacity === 1024)).toBe(true);
  });
});

describe("make hints (recorded from make(map[int]int, hint))", () => {
  const recorded: [number, string][] = [
    [0, "small"],
    [8, "small"],
    [9, "gd=0 16/0/14"],
    [14, "gd=0 16/0/14"],
    [15, "gd=0 32/0/28"],
    [448, "gd=0 512/0/448"],
    [896, "gd=0 1024/0/896"],
    [897, "gd=1 512/1/448 512/1/448"],
    [1792, "gd=1 1024/1/896 1024/1/896"],
    [1793, "gd=2 512/2/448 512/2/448 512/2/448 512/2/448"],
    [5000, "gd=3" + " 1024/3/896".repeat(8)],
  ];
  test.each(recorded)("hint %i → %s", (hint, want) => {
    const { m } = make("1.24", "int", "int", hint);
    expect(shape(m)).toBe(want);
    m.checkInvariants();
  });

  test("hint 1M: 2048 tables of 1024 slots; bytes allocated exactly", () => {
    const { m, heap } = make("1.24", "int", "[128]byte", 1_000_000);
    expect(shape(m).startsWith("gd=11 1024/11/896 ")).toBe(true);
    expect(heap.liveBytes).toBe(48 + 2048 * 8 + 2048 * (32 + 128 * 1096));
  });
});

describe("small-map update (recorded: 1.24 and 1.26 grow, 1.27 stays small)", () => {
  test.each([
    ["1.24", "gd=0 16/0/6"],
    ["1.26", "gd=0 16/0/6"],
    ["1.27", "small"],
  ] as const)("go %s: 8 entries, then m[3] = 33 → %s", (go, want) => {
    const { m } = make(go, "int", "int");
    for (let i = 0; i < 8; i++) m.set(i);
    m.set(3, 33);
    expect(shape(m)).toBe(want);
    expect(m.get(3)).toBe(33);
    m.checkInvariants();
  });
});

describe("tombstones, pruning and clear (recorded shapes after churn and clear)", () => {
  function churn(go: GoVersion, n: number, seed: number): SwissMap {
    const { m } = make(go, "int", "int", 112, seed);
    for (let i = 0; i < n; i++) m.set(i);
    for (let i = 0; i < 100_000; i++) {
      m.delete(i);
      m.set(n + i);
    }
    m.checkInvariants();
    return m;
  }

  test.each([1, 2, 3])(
    "56 entries churned 100000 times: 1.24 grows to 512 slots, 1.26/1.27 stay at 128 (seed %i)",
    (seed) => {
      // recorded: "churn n=56 gd=0 512/0/384" (1.24), "gd=0 128/0/43" (1.26), "gd=0 128/0/37" (1.27)
      expect(sw(churn("1.24", 56, seed)).tables.map((t) => t.capacity)).toEqual([512]);
      expect(sw(churn("1.25", 56, seed)).tables.map((t) => t.capacity)).toEqual([512]);
      expect(sw(churn("1.26", 56, seed)).tables.map((t) => t.capacity)).toEqual([128]);
      expect(sw(churn("1.27", 56, seed)).tables.map((t) => t.capacity)).toEqual([128]);
    },
  );

  test("pruning is limited to the fast assign paths: elems over 128 bytes still grow in 1.26", () => {
    const fast = make("1.26", "int", "[128]byte", 112);
    const slow = make("1.26", "int", "[129]byte", 112);
    for (const { m } of [fast, slow]) {
      for (let i = 0; i < 56; i++) m.set(i);
      for (let i = 0; i < 20_000; i++) {
        m.delete(i);
        m.set(56 + i);
      }
    }
    expect(sw(fast.m).tables.map((t) => t.capacity)).toEqual([128]);
    expect(sw(slow.m).tables[0]?.capacity).toBeGreaterThan(128);
  });

  test.each([
    ["1.24", { "[128]byte": 256, "[129]byte": 256, str: 256, int16: 256 }],
    ["1.26", { "[128]byte": 128, "[129]byte": 256, str: 128, int16: 256 }],
    ["1.27", { "[128]byte": 128, "[129]byte": 256, str: 128, int16: 256 }],
  ] as const)("go %s: 56 entries churned 20000 times, by assign path (recorded capacities)", (go, want) => {
    const cases: [keyof typeof want, string, string][] = [
      ["[128]byte", "int", "[128]byte"], // mapassign_fast64
      ["[129]byte", "int", "[129]byte"], // elem over 128 bytes: generic mapassign
      ["str", "string", "int"], // mapassign_faststr
      ["int16", "int16", "int"], // 2-byte key: generic mapassign
    ];
    for (const [name, k, e] of cases) {
      const { m } = make(go, k, e, 112);
      for (let i = 0; i < 56; i++) m.set(i);
      for (let i = 0; i < 20_000; i++) {
        m.delete(i);
        m.set(56 + i);
      }
      expect(
        sw(m).tables.map((t) => t.capacity),
        `${go} ${name}`,
      ).toEqual([want[name]]);
    }
  });

  test.each([
    ["1.24", true],
    ["1.25", true],
    ["1.26", false],
    ["1.27", false],
  ] as const)("go %s: clear() of a map whose entries were all deleted keeps tombstones: %s", (go, keeps) => {
    const { m } = make(go, "int", "int", 200);
    for (let i = 0; i < 224; i++) m.set(i);
    for (let i = 0; i < 224; i++) m.delete(i);
    const before = sw(m).tables[0];
    expect(before?.capacity).toBe(256);
    expect(before?.tombstones).toBeGreaterThan(0); // recorded: growthLeft 80 of 224
    m.clear();
    const after = sw(m).tables[0];
    expect(after?.tombstones === 0).toBe(!keeps); // recorded: 1.24 still 80, 1.26 back to 224
    m.checkInvariants();
  });

  test("clear() keeps every table, the directory and the group arrays", () => {
    for (const go of ["1.24", "1.27"] as const) {
      const { m, heap } = make(go, "int", "*[100]byte");
      for (let i = 0; i < 10_000; i++) m.set(i);
      const before = sw(m);
      const pointees = heap.liveBySize()[100];
      expect(pointees).toBe(10_000);
      m.clear();
      const after = sw(m);
      expect(after.tables.length).toBe(before.tables.length);
      expect(after.directoryLen).toBe(before.directoryLen);
      expect(after.tables.every((t) => t.used === 0 && t.tombstones === 0)).toBe(true);
      expect(heap.liveBySize()[100]).toBeUndefined();
      expect(m.len).toBe(0);
      m.checkInvariants();
    }
  });

  test("delete frees a slot when its group has an empty slot, else leaves a tombstone", () => {
    const { m } = make("1.24", "int", "int", 9); // one 16-slot table
    for (let i = 0; i < 14; i++) m.set(i);
    const full = sw(m).tables[0];
    expect(full?.growthLeft).toBe(0);
    for (let i = 0; i < 14; i++) m.delete(i);
    const t = sw(m).tables[0];
    expect((t?.tombstones ?? 0) + (t?.growthLeft ?? 0)).toBe(14);
    m.checkInvariants();
  });
});

describe("contract", () => {
  test("makeSwissMap returns a working MapImpl; get/has/keys agree", () => {
    const heap = new FakeHeap();
    const m = makeSwissMap({
      heap,
      key: parseType("int"),
      elem: parseType("int"),
      hint: 0,
      seed: 7,
      go: "1.26",
    });
    for (let i = 0; i < 100; i++) m.set(i, i * 2);
    expect(m.len).toBe(100);
    expect(m.get(10)).toBe(20);
    expect(m.has(100)).toBe(false);
    expect([...m.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    m.checkInvariants();
  });

  test("elems equal to their keys need no column until the first one differs", () => {
    const { m } = make("1.24", "int", "int");
    for (let i = 0; i < 3000; i++) m.set(i);
    expect(m.arena.elemsStored).toBe(false);
    expect(m.arena.chunks.every((c) => c.elems === null)).toBe(true);
    expect(m.get(2999)).toBe(2999);
    m.set(5, 99);
    expect(m.arena.chunks.every((c) => c.elems !== null)).toBe(true);
    for (let i = 3000; i < 6000; i++) m.set(i); // grows and splits with the column
    expect(m.arena.chunks.length).toBeGreaterThan(1); // chunks added later carry it too
    expect(m.arena.chunks.every((c) => c.elems !== null)).toBe(true);
    expect(m.get(5)).toBe(99);
    for (let i = 0; i < 6000; i++) if (i !== 5) expect(m.get(i)).toBe(i);
    m.checkInvariants();
  });

  test("the same seed gives the same structure; another seed a different one", () => {
    const run = (seed: number): string => {
      const { m } = make("1.24", "int", "int", 0, seed);
      for (let i = 0; i < 5000; i++) m.set(i);
      return shape(m);
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  test("checkInvariants detects a corrupted table", () => {
    const { m } = make("1.24", "int", "int");
    for (let i = 0; i < 100; i++) m.set(i);
    const t = m.distinctTables()[0];
    if (t === undefined) throw new Error("no table");
    t.growthLeft++;
    expect(() => m.checkInvariants()).toThrow(/growthLeft/);
    t.growthLeft--;
    t.used++;
    expect(() => m.checkInvariants()).toThrow(/used/);
  });
});

/*
The probe behind the "recorded" figures. Save as main.go next to a go.mod saying
`module probe` / `go 1.24`, and run it with each toolchain, e.g.
  GOTOOLCHAIN=local GOFLAGS=-mod=mod GOCACHE=/tmp/gocache-1.24 $(../shared/tools/go-toolchain.sh 1.24)/bin/go run .
It reads internal/runtime/maps.Map and .table through unsafe, so the struct layouts
below must match the release (they do for 1.24–1.27 on amd64).

package main

import (
	"fmt"
	"unsafe"
)

type eface struct{ typ, data unsafe.Pointer }

// groupInfo reads abi.SwissMapType.Group (offset 64 after the 48-byte abi.Type) and
// returns the group type's Size_ and PtrBytes.
func groupInfo(m any) (uintptr, uintptr) {
	e := (*eface)(unsafe.Pointer(&m))
	group := *(*unsafe.Pointer)(unsafe.Add(e.typ, 64))
	return *(*uintptr)(group), *(*uintptr)(unsafe.Add(group, 8))
}

type mapHdr struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
}

type table struct {
	used, capacity, growthLeft uint16
	localDepth                 uint8
	index                      int
	groups                     unsafe.Pointer
	lengthMask                 uint64
}

func shape(m map[int]int) string {
	h := *(**mapHdr)(unsafe.Pointer(&m))
	if h.dirLen == 0 {
		return "small"
	}
	dir := unsafe.Slice((**table)(h.dirPtr), h.dirLen)
	s := fmt.Sprintf("gd=%d", h.globalDepth)
	var last *table
	for _, t := range dir {
		if t == last {
			continue
		}
		last = t
		s += fmt.Sprintf(" %d/%d/%d", t.capacity, t.localDepth, t.growthLeft)
	}
	return s
}

func main() {
	p := func(name string, m any) {
		sz, ptr := groupInfo(m)
		fmt.Printf("group %q %d %d\n", name, sz, ptr)
	}
	p("map[int]int", map[int]int{})
	p("map[int][128]byte", map[int][128]byte{})
	p("map[int]*[128]byte", map[int]*[128]byte{})
	p("map[int][129]byte", map[int][129]byte{})
	p("map[int][256]byte", map[int][256]byte{})
	p("map[int]struct{}", map[int]struct{}{})
	p("map[struct{}]struct{}", map[struct{}]struct{}{})
	p("map[string]string", map[string]string{})
	p("map[string]int", map[string]int{})
	p("map[int8]int64", map[int8]int64{})
	p("map[int32]int8", map[int32]int8{})
	p("map[[129]byte]int", map[[129]byte]int{})
	p("map[int][0]byte", map[int][0]byte{})
	p("map[int]bool", map[int]bool{})
	p("map[uint16]struct{ a int8; b string }", map[uint16]struct {
		a int8
		b string
	}{})
	p("map[[16]byte]int64", map[[16]byte]int64{})
	p("map[int][64]byte", map[int][64]byte{})
	p("map[int][8]byte", map[int][8]byte{})

	m := map[int]int{}
	prev := ""
	for i := 0; i < 3000; i++ {
		m[i] = i
		s := shape(m)
		cur := s
		if len(cur) > 60 {
			cur = cur[:60]
		}
		if s != prev {
			fmt.Printf("grow n=%d %s\n", i+1, cur)
		}
		prev = s
	}
	for _, hint := range []int{0, 8, 9, 14, 15, 448, 896, 897, 1792, 1793, 5000, 1000000} {
		s := shape(make(map[int]int, hint))
		if len(s) > 60 {
			s = s[:60]
		}
		fmt.Printf("hint %d %s\n", hint, s)
	}
	// Update of a present key in a full small map.
	sm := map[int]int{}
	for i := 0; i < 8; i++ {
		sm[i] = i
	}
	sm[3] = 33
	fmt.Printf("smallupdate %s\n", shape(sm))

	// Churn at constant size: delete the oldest key, insert a new one.
	for _, n := range []int{14, 56, 112} {
		cm := make(map[int]int, 112)
		for i := 0; i < n; i++ {
			cm[i] = i
		}
		for i := 0; i < 100000; i++ {
			delete(cm, i)
			cm[n+i] = i
		}
		fmt.Printf("churn n=%d %s\n", n, shape(cm))
	}
	// Tombstones and clear() of a map whose entries were all deleted.
	tm := make(map[int]int, 200)
	for i := 0; i < 224; i++ {
		tm[i] = i
	}
	for i := 0; i < 224; i++ {
		delete(tm, i)
	}
	fmt.Printf("deleted %s\n", shape(tm))
	clear(tm)
	fmt.Printf("cleared %s\n", shape(tm))
}

A second probe, for the assign-path test (same go.mod, another directory):

package main

import (
	"fmt"
	"unsafe"
)

type mapHdr struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
}

type table struct {
	used, capacity, growthLeft uint16
	localDepth                 uint8
	index                      int
}

func caps(p unsafe.Pointer) string {
	h := (*mapHdr)(p)
	if h.dirLen == 0 {
		return "small"
	}
	dir := unsafe.Slice((**table)(h.dirPtr), h.dirLen)
	s := ""
	var last *table
	for _, t := range dir {
		if t != last {
			s += fmt.Sprintf("%d ", t.capacity)
		}
		last = t
	}
	return s
}

func main() {
	fast := make(map[int][128]byte, 112)
	slow := make(map[int][129]byte, 112)
	str := make(map[string]int, 112)
	i16 := make(map[int16]int, 112)
	for i := 0; i < 56; i++ {
		fast[i] = [128]byte{}
		slow[i] = [129]byte{}
		str[fmt.Sprint(i)] = i
		i16[int16(i)] = i
	}
	for i := 0; i < 20000; i++ {
		delete(fast, i)
		fast[56+i] = [128]byte{}
		delete(slow, i)
		slow[56+i] = [129]byte{}
		delete(str, fmt.Sprint(i))
		str[fmt.Sprint(56+i)] = i
		delete(i16, int16(i))
		i16[int16(56+i)] = i
	}
	fmt.Println("fast64 [128]byte:", caps(*(*unsafe.Pointer)(unsafe.Pointer(&fast))))
	fmt.Println("slow   [129]byte:", caps(*(*unsafe.Pointer)(unsafe.Pointer(&slow))))
	fmt.Println("faststr         :", caps(*(*unsafe.Pointer)(unsafe.Pointer(&str))))
	fmt.Println("slow int16 key  :", caps(*(*unsafe.Pointer)(unsafe.Pointer(&i16))))
}
*/
