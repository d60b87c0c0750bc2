import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap } from "../../src/model/heap/heap.ts";
import { PageHeap, pallocChunkBytes } from "../../src/model/heap/mheap.ts";
import { processBaseline } from "../../src/model/heap/process.ts";
import { forcegcperiod, paceScavenger } from "../../src/model/heap/scavenger.ts";
import { pageSize } from "../../src/model/heap/size-classes.ts";
import { goRuntime } from "../../src/model/runtime.ts";

const MiB = 2 ** 20;
const heap = (): Heap => new Heap({ mallocHeader: true, baseHeap: 1000, process: processBaseline("1.23") });

describe("spans", () => {
  it("puts small objects of one span class into one span until it is full (class 128: 64 per page)", () => {
    const h = heap();
    const in0 = h.readMemStats().HeapInuse;
    const xs = Array.from({ length: 64 }, () => h.alloc(128, true));
    expect(h.readMemStats().HeapInuse - in0).toBe(pageSize);
    h.alloc(128, true); // the 65th opens a second span
    expect(h.readMemStats().HeapInuse - in0).toBe(2 * pageSize);
    h.alloc(128, false); // pointerful: another span class, another span
    expect(h.readMemStats().HeapInuse - in0).toBe(3 * pageSize);
    void xs;
    h.checkInvariants();
  });

  it("keeps a span in use while one object survives; frees it with its last object, at sweep", () => {
    const h = heap();
    const in0 = h.readMemStats().HeapInuse;
    const xs = Array.from({ length: 640 }, () => h.alloc(128, true)); // 10 spans
    xs.forEach((x, i) => {
      if (i % 10 !== 0) h.drop(x); // scattered survivors: one in every ten
    });
    expect(h.readMemStats().HeapInuse - in0).toBe(10 * pageSize); // not before the sweep either
    h.GC();
    expect(h.readMemStats().HeapInuse - in0).toBe(10 * pageSize); // every span keeps a survivor
    const c = Array.from({ length: 640 }, () => h.alloc(128, true));
    // The freed slots of partial spans are reused before any new span (mcentral.cacheSpan).
    expect(h.readMemStats().HeapInuse - in0).toBe(11 * pageSize);
    c.forEach((x) => h.drop(x));
    xs.forEach((x, i) => {
      if (i % 10 === 0 && i >= 64) h.drop(x);
    });
    h.GC();
    expect(h.readMemStats().HeapInuse - in0).toBe(pageSize); // contiguous frees release whole spans
    h.checkInvariants();
  });

  it("gives a large object its own span of whole pages, and grows HeapSys by whole 4 MiB chunks", () => {
    const h = heap();
    const s0 = h.readMemStats();
    const big = h.alloc(5 * MiB + 1, true); // 641 pages: more than the first chunk has free
    const s1 = h.readMemStats();
    expect(s1.HeapInuse - s0.HeapInuse).toBe(641 * pageSize);
    expect((s1.HeapSys - s0.HeapSys) % pallocChunkBytes).toBe(0);
    expect(s1.HeapSys - s0.HeapSys).toBe(2 * pallocChunkBytes); // mheap.grow: alignUp(641, 512) pages
    expect(s1.HeapIdle).toBe(s1.HeapSys - s1.HeapInuse);
    h.drop(big);
    h.GC();
    expect(h.readMemStats().HeapInuse).toBe(s0.HeapInuse);
    h.checkInvariants();
  });

  it("keeps its invariants and HeapIdle = HeapSys − HeapInuse over random programs (seeded)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant("alloc" as const),
              size: fc.integer({ min: 1, max: 200_000 }),
              noscan: fc.boolean(),
            }),
            fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
            fc.record({ op: fc.constantFrom("gc" as const, "free" as const) }),
            fc.record({ op: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 200_000 }) }),
          ),
          { maxLength: 120 },
        ),
        (ops) => {
          const h = heap();
          const live: number[] = [];
          for (const o of ops) {
            if (o.op === "alloc") live.push(h.alloc(o.size, o.noscan));
            else if (o.op === "drop" && live.length > 0) h.drop(live.splice(o.at % live.length, 1)[0] ?? 0);
            else if (o.op === "gc") h.GC();
            else if (o.op === "free") h.freeOSMemory();
            else if (o.op === "sleep") h.idle(o.ms * 1e6);
            const s = h.readMemStats();
            expect(s.HeapIdle).toBe(s.HeapSys - s.HeapInuse);
            expect(s.HeapReleased).toBeLessThanOrEqual(s.HeapIdle);
            expect(s.HeapInuse).toBeGreaterThanOrEqual(s.HeapAlloc - 1000);
            expect(h.rss).toBeLessThanOrEqual(s.Sys);
          }
          h.checkInvariants();
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

describe("a paced collection's sweep (concurrent mark: mgc.go, mgcpacer.go)", () => {
  const fill = (h: Heap): void => {
    const gc0 = h.readMemStats().NumGC;
    while (h.readMemStats().NumGC === gc0) h.drop(h.alloc(64 << 10, true)); // 8-page spans
  };

  it("keeps what it freed in use until the program has allocated the rest of the runway", () => {
    const h = heap();
    fill(h);
    const s = h.readMemStats();
    expect(s.HeapAlloc).toBeLessThan(MiB); // HeapAlloc falls at the collection, as before
    expect(s.HeapInuse).toBeGreaterThan(3 * MiB); // the freed spans are not swept yet
    let allocated = 0;
    while (h.readMemStats().HeapInuse > 2 * MiB) {
      h.drop(h.alloc(64 << 10, true));
      allocated += 64 << 10;
      expect(allocated).toBeLessThan(MiB); // goal − trigger: 3/64 of the 4 MiB runway
    }
    expect(allocated).toBeGreaterThan(0);
    h.checkInvariants();
  });

  it("is swept at once when forced (runtime.GC) or when the program sleeps", () => {
    const forced = heap();
    fill(forced);
    forced.GC();
    expect(forced.readMemStats().HeapInuse).toBeLessThan(MiB);
    const slept = heap();
    fill(slept);
    slept.idle(1e6);
    expect(slept.readMemStats().HeapInuse).toBeLessThan(MiB);
    forced.checkInvariants();
    slept.checkInvariants();
  });
});

describe("the randomized heap base (Go 1.26+: markRandomPaddingPages)", () => {
  const start = (go: "1.24" | "1.26" | "1.27") =>
    new Heap({ mallocHeader: true, baseHeap: 1000, process: processBaseline(go) });

  it("takes pages of the first chunk that stay idle and released, so the heap grows sooner", () => {
    for (const go of ["1.24", "1.26", "1.27"] as const) {
      const h = start(go);
      const s0 = h.readMemStats();
      expect(s0.HeapSys).toBe(pallocChunkBytes - 36 * pageSize); // the stacks aside
      expect(s0.HeapIdle).toBe(s0.HeapSys - s0.HeapInuse);
      h.alloc(200 * pageSize, true); // 1.6 MiB: fits the first chunk only without padding
      const grew = h.readMemStats().HeapSys > s0.HeapSys;
      expect(grew, go).toBe(go !== "1.24");
      if (go !== "1.24") expect(s0.HeapReleased).toBeGreaterThan(256 * pageSize);
      h.checkInvariants();
    }
  });
});

describe("page heap", () => {
  it("counts grown memory as released until used, and a written page as resident until released", () => {
    const p = new PageHeap({ inusePages: 0, dirtyPages: 0, stackPages: 0 });
    expect(p.released).toBe(512);
    const b = p.alloc(100);
    expect([p.inUse, p.released, p.resident]).toEqual([100, 412, 100]);
    p.free(b, 100);
    expect([p.inUse, p.freeDirty, p.resident]).toEqual([0, 100, 100]); // idle but still resident
    p.nextGen();
    expect(p.scavenge(40 * pageSize, false)).toBe(40 * pageSize);
    expect([p.freeDirty, p.released, p.resident]).toEqual([60, 452, 60]);
    p.checkInvariants();
  });

  it("holds back a chunk that was dense in this generation unless forced (scavChunkHiOccFrac)", () => {
    const p = new PageHeap({ inusePages: 0, dirtyPages: 0, stackPages: 0 });
    const b = p.alloc(512); // the whole chunk, in generation 0
    p.nextGen(); // a collection's mark termination
    p.free(b, 512); // swept in generation 1: lastInUse = 512
    expect(p.scavenge(512 * pageSize, false)).toBe(0);
    p.nextGen(); // the next collection
    expect(p.scavenge(512 * pageSize, false)).toBe(512 * pageSize);
    const c = p.alloc(512);
    p.nextGen();
    p.free(c, 512);
    expect(p.scavenge(512 * pageSize, true)).toBe(512 * pageSize); // FreeOSMemory ignores density
    p.checkInvariants();
  });
});

describe("scavenger goals (gcPaceScavenger)", () => {
  it("retains the last heap in use scaled by the goal ratio plus 10%, on a page boundary", () => {
    const g = paceScavenger(Number.POSITIVE_INFINITY, 8 * MiB, 16 * MiB, 100 * MiB, 200 * MiB, 210 * MiB);
    expect(g.gcPercentGoal).toBe(50 * MiB + 5 * MiB); // 50 MiB + 50 MiB / 10, already page-aligned
    expect(g.memoryLimitGoal).toBe(Number.POSITIVE_INFINITY);
    const lim = paceScavenger(100 * MiB, 8 * MiB, 16 * MiB, 100 * MiB, 40 * MiB, 120 * MiB);
    expect(lim.gcPercentGoal).toBe(Number.POSITIVE_INFINITY); // retained is under it already
    expect(lim.memoryLimitGoal).toBe(Math.floor(100 * MiB * 0.95));
  });
});

describe("virtual time, FreeOSMemory, GOGC and the memory limit", () => {
  // A program the scavenger constants were not fitted to: 64-byte pointer-free values
  // in a map[int][64]byte, 400k entries, then a recreate with 100 survivors.
  const recreate = (go: "1.23" | "1.27") => {
    const rt = goRuntime({ go });
    rt.GC();
    let m = rt.makeMap("int", "[64]byte");
    m.insertRange(0, 400_000);
    rt.GC();
    m.deleteRange(100, 400_000);
    m = rt.recreate(m);
    rt.GC();
    return { rt, m };
  };

  it("returns old idle memory within seconds, the just-freed map only after sysmon's forced GC", () => {
    const { rt } = recreate("1.23");
    const after = rt.rss();
    const gc0 = rt.readMemStats().NumGC;
    const start = rt.now; // the inserts and deletes took virtual time too (scavenger.ts workNs)
    expect(start).toBeGreaterThan(0);
    rt.sleep(10_000);
    const tenSeconds = rt.rss();
    expect(tenSeconds).toBeLessThanOrEqual(after);
    expect(rt.readMemStats().NumGC).toBe(gc0); // no collection yet
    rt.sleep(forcegcperiod / 1e6 - 10_000 + 1_000);
    // forcegcperiod: 2 minutes. sysmon starts the collection at the program's timer; the
    // program's first step there (this ReadMemStats) comes before its mark termination.
    expect(rt.readMemStats().NumGC).toBe(gc0);
    // The collection readied the scavenger in a sleep: sysmon delivers the wake at its
    // next wake, the end of the next sleep, and the scavenger runs from then on.
    rt.sleep(10_000);
    expect(rt.readMemStats().NumGC).toBe(gc0 + 1);
    expect(rt.rss()).toBeGreaterThan(tenSeconds / 2);
    rt.sleep(1_000);
    const s = rt.readMemStats();
    expect(rt.rss()).toBeLessThan(tenSeconds / 4);
    expect(s.HeapReleased).toBeGreaterThan(s.HeapIdle - 4 * MiB);
    expect(rt.now - start).toBeCloseTo(121_000 + 11_000, 6);
  });

  it("sysmon checks for the forced GC only when it wakes: at a timer, or every 60 s of a long sleep", () => {
    const rt = goRuntime({ go: "1.23" });
    rt.GC();
    const n = rt.readMemStats().NumGC;
    rt.sleep(119_999); // runtime.GC's own sweep took 1 ms (sweepNs): exactly forcegcperiod since lastgc, not more
    expect(rt.readMemStats().NumGC).toBe(n);
    rt.sleep(5_000); // the next wake, 125 s after the collection: sysmon starts one
    expect(rt.readMemStats().NumGC).toBe(n); // … which ends after the program's first step
    rt.sleep(300_000); // one long sleep, sysmon waking every 60 s of it: a GC 180 s in, none at its end (120 s later, not past)
    expect(rt.readMemStats().NumGC).toBe(n + 2);
  });

  it("a forced GC sysmon starts at the program's timer is not yet counted by the program's first ReadMemStats", () => {
    // proc.go sysmon wakes at the timer with the program (notetsleep until
    // timeSleepUntil) and injects forcegchelper; NumGC moves at that cycle's mark
    // termination, after the readied program has read its stats. Recorded: the snapshot
    // at the first timer more than 120 s after the last collection shows the old NumGC
    // in all 9 runs of recreate-forced-gc-int-128 (1.23, 1.24, 1.27) and in 7 of 9 of the
    // forced-gc program (all 6 on 1.24 and 1.27, 1 of 3 on 1.23: a race the model does not keep).
    const rt = goRuntime({ go: "1.27" });
    rt.GC();
    const n = rt.readMemStats().NumGC;
    rt.sleep(100_000);
    rt.sleep(25_000); // a timer 125 s after the collection, the first sysmon wake past 120 s
    expect(rt.readMemStats().NumGC).toBe(n);
    expect(rt.readMemStats().NumGC).toBe(n); // reading does not end it
    const m = rt.makeMap("int", "int");
    expect(rt.readMemStats().NumGC).toBe(n + 1); // the program's next step does
    m.set(1, 1);
    rt.sleep(1_000);
    expect(rt.readMemStats().NumGC).toBe(n + 1);
    // Mid-sleep, at sysmon's 60 s wakes, the program is asleep: the cycle ends before it wakes.
    rt.sleep(185_000);
    expect(rt.readMemStats().NumGC).toBe(n + 2);
  });

  it("FreeOSMemory releases every idle page at once, and costs a collection", () => {
    const { rt } = recreate("1.27");
    const n = rt.readMemStats().NumGC;
    rt.freeOSMemory();
    const s = rt.readMemStats();
    expect(s.NumGC).toBe(n + 1);
    expect(s.HeapReleased).toBe(s.HeapIdle);
    expect(rt.rss()).toBeLessThan(s.HeapInuse + 8 * MiB);
  });

  it("SetGCPercent(-1) stops collections, including sysmon's; it returns the previous value", () => {
    const rt = goRuntime({ go: "1.23" });
    expect(rt.setGCPercent(-1)).toBe(100);
    const m = rt.makeMap("int", "[128]byte");
    m.insertRange(0, 100_000);
    rt.sleep(5 * 60_000);
    expect(rt.readMemStats().NumGC).toBe(0);
    expect(rt.setGCPercent(50)).toBe(-1);
    expect(rt.readMemStats().NumGC).toBeGreaterThan(0); // the heap is past the new goal at once
  });

  it("GOGC 50 collects more often than 200; HeapAlloc after a GC does not depend on it", () => {
    const run = (p: number) => {
      const rt = goRuntime({ go: "1.27" });
      rt.setGCPercent(p);
      const m = rt.makeMap("int", "[128]byte");
      m.insertRange(0, 300_000);
      rt.GC();
      return rt.readMemStats();
    };
    const [a, b] = [run(50), run(200)];
    expect(a.NumGC).toBeGreaterThan(b.NumGC);
    expect(Math.abs(a.HeapAlloc - b.HeapAlloc)).toBeLessThan(MiB);
    expect(a.HeapSys).toBeLessThan(b.HeapSys);
  });

  it("SetMemoryLimit returns the previous limit, queries with a negative value, and makes GC run more", () => {
    const count = (limit?: number) => {
      const rt = goRuntime({ go: "1.23" });
      if (limit !== undefined) expect(rt.setMemoryLimit(limit)).toBe(Number.MAX_SAFE_INTEGER);
      const m = rt.makeMap("int", "[128]byte");
      m.insertRange(0, 400_000);
      expect(rt.setMemoryLimit(-1)).toBe(limit ?? Number.MAX_SAFE_INTEGER);
      return rt.readMemStats().NumGC;
    };
    expect(count(64 * MiB)).toBeGreaterThan(count());
  });

  it("refuses bad arguments with a RangeError", () => {
    const rt = goRuntime({ go: "1.23" });
    expect(() => rt.sleep(-1)).toThrow(RangeError);
    expect(() => rt.setGCPercent(1.5)).toThrow(RangeError);
    expect(() => rt.setMemoryLimit(Number.NaN)).toThrow(RangeError);
  });
});
