import { describe, expect, it } from "vitest";
import { pace } from "../../src/model/heap/gc.ts";
import { Heap } from "../../src/model/heap/heap.ts";
import { isTiny, mallocSize } from "../../src/model/heap/malloc.ts";

const fresh = (): Heap => new Heap({ mallocHeader: true, baseHeap: 1000 });

describe("Heap", () => {
  it("counts size-class bytes in HeapAlloc until a collection sweeps dropped objects", () => {
    const h = fresh();
    const a = h.alloc(100, true); // class 112
    const b = h.alloc(40000, false); // large: 5 pages
    expect(h.heapAlloc).toBe(1000 + 112 + 40960);
    h.drop(a);
    expect(h.heapAlloc).toBe(1000 + 112 + 40960); // garbage still counts
    h.GC();
    expect(h.heapAlloc).toBe(1000 + 40960);
    expect(h.readMemStats().NumGC).toBe(1);
    h.drop(b);
    h.GC();
    expect(h.heapAlloc).toBe(1000);
    h.checkInvariants();
  });

  it("allocRun allocates like one alloc per object, tiny packing included", () => {
    const objs = [
      { size: 12, noscan: true },
      { size: 64, noscan: false },
      { size: 8, noscan: true },
      { size: 700, noscan: false },
      { size: 3, noscan: true },
    ];
    const rounded = objs.map((o) =>
      isTiny(o.size, o.noscan) ? 0 : mallocSize(o.size, o.noscan, { mallocHeader: true }),
    );
    const one = fresh();
    const run = fresh();
    const hs = objs.map((o) => one.alloc(o.size, o.noscan));
    const out = new Int32Array(objs.length);
    run.allocRun(objs, rounded, out);
    expect(run.heapAlloc).toBe(one.heapAlloc);
    expect(run.readMemStats()).toEqual(one.readMemStats());
    expect(run.heapAlloc).toBe(1000 + 64 + 768 + 2 * 16); // 700 + header → 768; 8 starts a block that 3 joins
    for (const h of hs) one.drop(h);
    for (const h of out) run.drop(h);
    one.GC();
    run.GC();
    expect(run.readMemStats()).toEqual(one.readMemStats());
    run.checkInvariants();
  });

  it("packs tiny noscan objects into 16-byte blocks freed only when every object is dead", () => {
    const h = fresh();
    const xs = [h.alloc(8, true), h.alloc(8, true)]; // one block
    const y = h.alloc(8, true); // a second block
    expect(h.heapAlloc).toBe(1000 + 32);
    h.drop(xs[0] ?? -1);
    h.GC();
    expect(h.heapAlloc).toBe(1000 + 32); // xs[1] keeps the first block alive
    h.drop(xs[1] ?? -1);
    h.drop(y);
    h.GC();
    expect(h.heapAlloc).toBe(1000);
    h.checkInvariants();
  });

  it("aligns tiny objects as mallocgc does (8-byte values start at 8)", () => {
    const h = fresh();
    h.alloc(1, true);
    h.alloc(8, true); // offset 8: still fits
    expect(h.heapAlloc).toBe(1000 + 16);
    h.alloc(1, true); // block full → new block
    expect(h.heapAlloc).toBe(1000 + 32);
  });

  it("rejects double drops", () => {
    const h = fresh();
    const a = h.alloc(64, true);
    h.drop(a);
    expect(() => h.drop(a)).toThrow(/not live/);
  });

  it("runs a paced collection when HeapAlloc crosses the trigger (GOGC=100, 4 MiB minimum)", () => {
    const h = new Heap({ mallocHeader: false, baseHeap: 0 });
    let gcs = 0;
    for (let i = 0; i < 5000; i++) {
      const o = h.alloc(1024, true);
      h.drop(o); // pure garbage: every collection frees it all
      if (h.readMemStats().NumGC !== gcs) {
        gcs = h.readMemStats().NumGC;
        expect(h.heapAlloc).toBeLessThan(4 << 20);
      }
    }
    // 5000 KiB of garbage with a ≈4 MiB trigger: exactly one collection.
    expect(gcs).toBe(1);
  });
});

describe("pace (mgcpacer.go)", () => {
  it("sets the goal to twice the live heap, at least 4 MiB, and triggers before it", () => {
    expect(pace(0).goal).toBe(4 << 20);
    const p = pace(300 << 20);
    expect(p.goal).toBe(600 << 20);
    expect(p.trigger).toBe((600 << 20) - (4 << 20)); // large heaps: goal − heapMinimum
    const q = pace(1 << 20);
    expect(q.goal).toBe(4 << 20);
    expect(q.trigger).toBe((1 << 20) + Math.floor((3 << 20) / 64) * 61);
  });

  it("adds the scanned stacks and globals to the goal (GOGC% of heapMarked + roots)", () => {
    const p = pace(10 << 20, 150_000);
    expect(p.goal).toBe((20 << 20) + 150_000);
    expect(p.trigger).toBe((10 << 20) + Math.floor(((10 << 20) + 150_000) / 64) * 61);
    // Below the minimum the roots change nothing: the goal is 4 MiB either way.
    expect(pace(1 << 20, 150_000).goal).toBe(4 << 20);
  });
});
