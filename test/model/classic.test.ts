import { describe, expect, it } from "vitest";
import { bForHint, classicLayout, nextslicecap } from "../../src/model/classic/layout.ts";
import { ClassicMap } from "../../src/model/classic/map.ts";
import type { ClassicInternals, GoVersion } from "../../src/model/contract.ts";
import { Heap } from "../../src/model/heap/heap.ts";
import { parseType } from "../../src/model/types.ts";

function make(k: string, e: string, hint = 0, go: GoVersion = "1.23"): { heap: Heap; m: ClassicMap } {
  const heap = new Heap({ mallocHeader: go >= "1.22", baseHeap: 0 });
  heap.autoGC = false;
  return { heap, m: new ClassicMap({ heap, key: parseType(k), elem: parseType(e), hint, seed: 7, go }) };
}
const info = (m: ClassicMap): ClassicInternals => m.internals() as ClassicInternals;

describe("bucket layout (reflectdata.MapBucketType)", () => {
  it.each([
    ["int", "int", 144, false],
    ["int", "[128]byte", 1104, false],
    ["int", "[129]byte", 144, true], // elem over 128 bytes: stored behind a pointer
    ["int", "*[128]byte", 144, true],
    ["int", "struct{}", 80, false],
    ["string", "string", 272, true],
    ["int32", "int32", 80, false],
    ["[16]byte", "int", 208, false],
  ] as const)("map[%s]%s: %d-byte buckets, pointers %s", (k, e, size, ptr) => {
    const L = classicLayout(parseType(k), parseType(e));
    expect(L.bucketSize).toBe(size);
    expect(L.bucketPointers).toBe(ptr);
  });
});

describe("makemap", () => {
  it("picks the smallest B with hint ≤ 6.5·2^B (8 for B = 0)", () => {
    const hints = [0, 8, 9, 13, 14, 26, 27, 52, 53, 104, 105, 1000];
    expect(hints.map((h) => bForHint(h))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 8]);
    // Go 1.21's truncated load factor: 6 per bucket (loadFactorNum 12).
    expect(hints.map((h) => bForHint(h, 12))).toEqual([0, 0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 8]);
  });

  it("allocates only the 48-byte hmap for small hints (makemap_small), the bucket on first insert", () => {
    const { heap, m } = make("int", "int", 8);
    expect(heap.heapAlloc).toBe(48);
    m.set(1);
    expect(heap.heapAlloc).toBe(48 + 144);
  });

  it("preallocates 2^(B-4) overflow buckets for B ≥ 4, filling the size class", () => {
    const { heap, m } = make("int", "[128]byte", 1000); // B = 8
    const x = info(m);
    expect(x.B).toBe(8);
    // 256 + 16 buckets of 1104 bytes = 300288 bytes: a large object of 37 pages, which
    // roundupsize rounds to 303104 bytes = 274 buckets: 18 spare buckets.
    expect(x.preallocatedFree).toBe(18);
    expect(heap.heapAlloc).toBe(48 + 303104 + 24); // hmap, bucket array, mapextra
  });
});

describe("growth", () => {
  it("doubles at 6.5 entries per bucket and evacuates incrementally", () => {
    const { m } = make("int", "int");
    const Bs: number[] = [];
    for (let i = 1; i <= 200; i++) {
      m.set(i);
      Bs[i] = info(m).B;
      m.checkInvariants();
    }
    expect([Bs[8], Bs[9], Bs[13], Bs[14], Bs[26], Bs[27], Bs[52], Bs[53], Bs[104], Bs[105]]).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4, 5,
    ]);
    expect(m.grows.doubling).toBe(5);
  });

  it("doubles at 6 entries per bucket on Go 1.21 (loadFactorNum 12)", () => {
    const { m } = make("int", "int", 0, "1.21");
    const Bs: number[] = [];
    for (let i = 1; i <= 100; i++) {
      m.set(i);
      Bs[i] = info(m).B;
    }
    expect([Bs[12], Bs[13], Bs[24], Bs[25], Bs[48], Bs[49], Bs[96], Bs[97]]).toEqual([
      1, 2, 2, 3, 3, 4, 4, 5,
    ]);
  });

  it("keeps the old bucket array alive until every old bucket is evacuated", () => {
    const { heap, m } = make("int", "[128]byte", 0);
    for (let i = 0; i < 52; i++) m.set(i); // B = 3, full
    heap.GC();
    const before = heap.heapAlloc;
    m.set(52); // starts growing to B = 4
    expect(info(m).growing).toBe(true);
    heap.GC();
    const during = heap.heapAlloc;
    expect(during).toBeGreaterThan(before); // both arrays alive
    let i = 53;
    while (info(m).growing) m.set(i++);
    heap.GC();
    expect(heap.heapAlloc).toBeLessThan(during); // old array swept
  });

  it("grows in place when overflow buckets pile up (tooManyOverflowBuckets)", () => {
    const { m } = make("int", "int");
    for (let j = 0; j < 20000; j++) {
      m.set(j);
      if (j >= 12) m.delete(j - 12);
    }
    expect(info(m).B).toBe(1);
    expect(m.grows.sameSize).toBeGreaterThan(0);
    m.checkInvariants();
  });

  it("follows growslice for mapextra.overflow (nextslicecap)", () => {
    expect([0, 1, 2, 4, 256, 512].map((c) => nextslicecap(c + 1, c))).toEqual([1, 2, 4, 8, 512, 832]);
  });
});

describe("delete and clear", () => {
  it("never shrinks: deleting every entry frees only what slots pointed to", () => {
    const { heap, m } = make("int", "*[128]byte");
    for (let i = 0; i < 5000; i++) m.set(i);
    heap.GC();
    const full = heap.heapAlloc;
    for (let i = 0; i < 5000; i++) m.delete(i);
    heap.GC();
    expect(full - heap.heapAlloc).toBe(5000 * 128); // the pointees, class 128 each
    expect(info(m).B).toBe(10);
  });

  it("clear keeps B and the bucket array, drops overflow buckets and the old array", () => {
    const { heap, m } = make("int", "[128]byte");
    for (let i = 0; i < 20000; i++) m.set(i);
    const B = info(m).B;
    expect(info(m).overflowBuckets).toBeGreaterThan(0);
    m.clear();
    heap.GC();
    const x = info(m);
    expect(x.B).toBe(B);
    expect(x.overflowBuckets).toBe(0);
    expect(x.growing).toBe(false);
    expect(m.len).toBe(0);
    m.checkInvariants();
    // What is left: hmap, mapextra and the bucket array.
    expect(heap.heapAlloc).toBe(x.bytes);
  });

  it("sizes pointerful buckets over 512 bytes with Go 1.22's malloc header, not 1.21's", () => {
    // map[[62]byte]*int: 8 + 8·62 + 8·8 + 8 = 576-byte buckets that hold pointers.
    const c = make("[62]byte", "*int", 0, "1.21");
    const d = make("[62]byte", "*int", 0, "1.22");
    c.m.set(1);
    d.m.set(1);
    expect(info(c.m).bucketSize).toBe(576);
    expect(c.heap.heapAlloc).toBe(48 + 576 + 16); // hmap, bucket, tiny block for new(int)
    expect(d.heap.heapAlloc).toBe(48 + 640 + 16); // 576 + 8 header → class 640
  });
});
