/**
 * The heap: every object a Go program allocates, and the collector that frees them.
 *
 * Follows Go 1.23 src/runtime/malloc.go (mallocgc, the tiny allocator),
 * mgc.go (runtime.GC), mstats.go (HeapAlloc) and mgcpacer.go (see gc.ts); Go 1.19
 * and 1.21 differ only in the malloc-header rule (malloc.ts).
 *
 * Terminology
 *   handle      an object's identity: a small integer, recycled after the object is
 *               swept. All per-object data lives in typed arrays indexed by handle.
 *   live        referenced by the program (here: not yet dropped by its owner).
 *   garbage     dropped, but not yet swept: it still counts in HeapAlloc, exactly as
 *               an unreachable Go object does until the next collection.
 *   HeapAlloc   runtime.MemStats.HeapAlloc: bytes of allocated heap objects, garbage
 *               not yet swept included, plus the runtime's own baseline objects.
 *   tiny block  16 bytes shared by tiny (noscan, < 16 B) objects; it is garbage only
 *               once every object in it is.
 *
 * Operations
 *   alloc(size, noscan)  mallocgc: size arithmetic in malloc.ts. A tiny request goes
 *                        into the current tiny block at Go's alignment (8 if size is a
 *                        multiple of 8, else 4, else 2) if it fits, else into a new
 *                        block, which becomes current if it has more room left than the
 *                        old one. After the allocation, if HeapAlloc ≥ the pacer's
 *                        trigger, a collection runs (Go starts a concurrent cycle; the
 *                        model's is instantaneous).
 *   drop(h)              the owner's last reference is gone: h becomes garbage.
 *   GC()                 runtime.GC(): sweep every garbage object, forget the current
 *                        tiny block (Go clears mcache.tiny when a cycle starts), record
 *                        heapMarked and re-pace. NumGC counts collections, forced or not.
 *
 * Process memory (HeapInuse, HeapIdle, HeapReleased, HeapSys, Sys, RSS) is a layer
 * under the objects that never changes HeapAlloc: every non-tiny object and tiny block
 * takes a slot in a span (mcentral.ts), spans take pages of the page heap (mheap.ts),
 * the slots and pages a paced collection frees become reusable only once the program
 * has allocated the rest of the pacer's runway (see finishSweep),
 * and the scavenger (scavenger.ts) returns idle pages to the OS at each collection,
 * on heap growth, under a memory limit, in FreeOSMemory and as virtual time passes:
 * in sleeps (idle; sysmon's forced collection every forcegcperiod) and while the
 * program works (work: each map write's fitted cost). process.ts holds the
 * runtime's own memory, measured per release.
 *
 * Cost: alloc and drop are O(1) (amortised: the tables grow by doubling; a new span
 * adds the page heap's first fit); GC is O(garbage objects + spans swept).
 *
 * Invariants (checkInvariants)
 *   1. heapAlloc = baseHeap + Σ size over live and garbage objects.
 *   2. A tiny block's live count equals the number of its live sub-objects.
 *   3. heapMarked ≤ trigger ≤ goal (gc.ts).
 *   4. Pages of spans in use + the runtime's own = the page heap's pages in use.
 */
import type { Allocator, ObjectHandle } from "../contract.ts";
import { grown } from "../typed-array.ts";
import { pace, type PacerState } from "./gc.ts";
import { isTiny, mallocSize, maxTinySize as MAX_TINY, type MallocRules } from "./malloc.ts";
import { Spans } from "./mcentral.ts";
import { PageHeap } from "./mheap.ts";
import { nonHeapSys, processBaseline, type ProcessBaseline } from "./process.ts";
import {
  forcegcperiod,
  paceScavenger,
  scavengerRules,
  markNs,
  ScavengerState,
  sweepNs,
  scavengeWork,
  type ScavengeGoals,
  type ScavengerRules,
} from "./scavenger.ts";
import { pageSize } from "./size-classes.ts";

/** NextGC when no collection is due (GOGC off, no limit): Go reports ^uint64(0). */
const NO_GOAL = 2 ** 64;

/**
 * Under a memory limit the goal can fall to the marked heap itself, and Go's
 * collections would then run back to back; what stops them is the GC CPU limiter
 * (mgclimit.go: at most 50% of CPU for GC), which lets the heap overshoot. The model's
 * collections take no time, so it keeps a runway of heapMarked/32 instead: fitted to
 * the article program under a 200 MiB limit (Go 1.23: 29 collections, model 28; Go
 * 1.27: 58, model 46; HeapSys 295.7 MiB in both).
 */
const limiterRunwayDiv = 32;

// Local aliases of hot imported functions (see classic/map.ts).
const tiny = isTiny;
const sizeOfAlloc = mallocSize;
const maxTinySize = MAX_TINY;

const BIG = 0xffffffff; // size-table marker: the size is in bigSize
const FREE = 0; // handle not in use
const LIVE = 1; // object referenced
const GARBAGE = 2; // dropped, awaiting the sweep

export interface HeapOptions extends MallocRules {
  /** HeapAlloc of the runtime's own objects before the program allocates (versions.ts). */
  readonly baseHeap: number;
  /** Bytes of stacks and globals the collector scans: they widen the heap goal (gc.ts). */
  readonly gcRoots?: number;
  /** Called after every collection (forced or paced). */
  readonly onGC?: (forced: boolean) => void;
  /** The runtime's own memory beyond the program's objects (process.ts); default Go 1.23's. */
  readonly process?: ProcessBaseline;
  /** The scavenger's release rules (scavenger.ts scavengerRules); default Go 1.23's. */
  readonly scavenger?: ScavengerRules;
}

export interface MemStats {
  /** Bytes of allocated heap objects, unswept garbage included. */
  HeapAlloc: number;
  /** Completed collections. */
  NumGC: number;
  /** Objects allocated and not yet swept (tiny blocks count once; baseline not included). */
  HeapObjects: number;
  /** Cumulative bytes allocated (baseline not included). */
  TotalAlloc: number;
  Mallocs: number;
  Frees: number;
  /** The heap size at which the next automatic collection starts. */
  NextGC: number;
  /** Bytes in in-use spans (runtime.MemStats.HeapInuse). */
  HeapInuse: number;
  /** Bytes in idle spans, released or not: HeapSys − HeapInuse. */
  HeapIdle: number;
  /** Idle bytes returned to the OS (runtime.MemStats.HeapReleased). */
  HeapReleased: number;
  /** Heap bytes mapped from the OS (runtime.MemStats.HeapSys). */
  HeapSys: number;
  /** All bytes the runtime obtained from the OS (runtime.MemStats.Sys). */
  Sys: number;
}

export class Heap implements Allocator {
  readonly rules: MallocRules;
  baseHeap: number;
  private readonly gcRoots: number;
  private readonly onGC: ((forced: boolean) => void) | undefined;

  // Per-handle tables.
  private size = new Uint32Array(1024); // bytes counted in HeapAlloc (0 for tiny sub-objects); BIG: see bigSize
  private bigSize = new Map<number, number>(); // sizes of objects of 4 GiB or more
  private state = new Uint8Array(1024); // FREE, LIVE or GARBAGE
  private block = new Int32Array(1024); // tiny sub-object → its block's handle; else -1
  private span = new Int32Array(1024); // the span an object (or tiny block) lives in; -1: none
  private refs = new Int32Array(1024); // tiny block → live sub-objects
  private top = 0; // handles ever used
  private free = new Int32Array(1024); // recycled handles (stack)
  private nfree = 0;
  private garbage = new Int32Array(1024); // handles dropped since the last sweep (stack)
  private ngarbage = 0;

  // The current tiny block (Go: mcache.tiny / tinyoffset).
  private tiny = -1;
  private tinyoffset = 0;

  private allocBytes = 0; // Σ size over LIVE and GARBAGE objects
  // alloc's last non-tiny request and its mallocSize (rules never change).
  private lastSize = -1;
  private lastNoscan = false;
  private lastBytes = 0;
  private objects = 0;
  private totalAlloc = 0;
  private mallocs = 0;
  private frees = 0;
  private numGC = 0;
  private pacer: PacerState;
  private collecting = false;
  /** Set false to suspend automatic collections (tests of pure accounting). */
  autoGC = true;

  constructor(opts: HeapOptions) {
    this.rules = { mallocHeader: opts.mallocHeader };
    this.baseHeap = opts.baseHeap;
    this.onGC = opts.onGC;
    this.gcRoots = opts.gcRoots ?? 0;
    this.pacer = pace(opts.baseHeap, this.gcRoots);
    this.process = opts.process ?? processBaseline("1.23");
    this.pages = new PageHeap(this.process);
    if (opts.scavenger !== undefined) this.scavRules = opts.scavenger;
    this.spans = new Spans(this.pages);
    this.startSys = this.pages.sysPages * pageSize;
  }

  // ---- Process memory: spans, pages, the scavenger, virtual time ----
  private readonly process: ProcessBaseline;
  /** The page heap (mheap.ts): HeapInuse, HeapIdle, HeapReleased, HeapSys, residency. */
  readonly pages: PageHeap;
  /** Spans (mcentral.ts): which pages hold the objects. */
  readonly spans: Spans;
  private readonly startSys: number;
  private gcPercent = 100;
  private memoryLimit = Number.POSITIVE_INFINITY;
  private goals: ScavengeGoals = {
    gcPercentGoal: Number.POSITIVE_INFINITY,
    memoryLimitGoal: Number.POSITIVE_INFINITY,
  };
  private lastHeapGoal = 0;
  private lastHeapInUse = 0;
  /** Virtual time, ns (advanced by idle). */
  nowNs = 0;
  private lastGCNs = 0;
  /** The background scavenger's runs and sleeps (scavenger.ts). */
  readonly scavenger = new ScavengerState();
  private scavRules: ScavengerRules = scavengerRules("1.23");
  private readonly releaseBackground = (budget: number): number => {
    const work = scavengeWork(this.goals, this.retained, this.mappedReady);
    if (work <= 0) return 0;
    return this.pages.scavenge(Math.min(work, budget), !this.scavRules.densityIndex);
  };

  /**
   * The program works for `ns` of virtual time (a map write: scavenger.ts workNs): the
   * background scavenger's runs that fall due meanwhile happen.
   */
  work(ns: number): void {
    if (this.forcedPending) this.finishForced();
    const now = this.nowNs + ns;
    this.nowNs = now;
    const s = this.scavenger;
    if (this.sysmonWake) {
      this.sysmonWake = false;
      s.wake(now - ns);
    }
    if (!s.parked && s.nextRunNs <= now) s.advance(now, this.releaseBackground);
  }

  private nonHeapSys(): number {
    return nonHeapSys(this.process, this.pages.sysPages * pageSize - this.startSys, this.spans.peak);
  }

  /** heapRetained(): HeapInuse + free unreleased heap bytes. */
  get retained(): number {
    return (this.pages.inUse + this.pages.freeDirty) * pageSize;
  }

  /** gcController.mappedReady: mapped and not released (Sys − HeapReleased). */
  get mappedReady(): number {
    return this.pages.sysPages * pageSize + this.nonHeapSys() - this.pages.released * pageSize;
  }

  /** The resident set in bytes: the heap's resident pages plus the runtime's own (process.ts). */
  get rss(): number {
    return (
      this.pages.resident * pageSize + this.process.nonHeapRss + (this.nonHeapSys() - this.process.nonHeapSys)
    );
  }

  /** debug.SetGCPercent / SetMemoryLimit (Infinity: no limit): re-pace from the last mark. */
  setPacing(gcPercent: number, memoryLimit: number): void {
    if (this.forcedPending) this.finishForced();
    this.gcPercent = gcPercent;
    this.memoryLimit = memoryLimit;
    this.repace();
    this.goals = paceScavenger(
      memoryLimit,
      this.pacer.goal,
      this.lastHeapGoal,
      this.lastHeapInUse,
      this.retained,
      this.mappedReady,
    );
    if (this.autoGC && !this.collecting && this.heapAlloc >= this.pacer.trigger) this.collect(false);
  }

  private repace(): void {
    const limitGoal = Number.isFinite(this.memoryLimit)
      ? this.memoryLimitHeapGoal(this.pacer.heapMarked)
      : Number.POSITIVE_INFINITY;
    this.pacer = pace(this.pacer.heapMarked, this.gcRoots, this.gcPercent, limitGoal);
  }

  /** mgcpacer.go memoryLimitHeapGoal: the heap the limit leaves room for, minus 3% headroom. */
  private memoryLimitHeapGoal(heapMarked: number): number {
    const heapFree = this.pages.freeDirty * pageSize;
    const mappedReady = this.mappedReady;
    const limit = this.memoryLimit;
    const nonHeap = Math.max(0, mappedReady - heapFree - this.heapAlloc);
    const overage = mappedReady > limit ? mappedReady - limit : 0;
    if (nonHeap + overage >= limit) return heapMarked;
    let goal = limit - (nonHeap + overage);
    const headroom = Math.max(Math.floor(goal / 100) * 3, 1 << 20);
    goal = goal < headroom || goal - headroom < headroom ? headroom : goal - headroom;
    return Math.max(goal, heapMarked + Math.floor(heapMarked / limiterRunwayDiv));
  }

  /** debug.FreeOSMemory: a forced collection, then every free page released. */
  freeOSMemory(): void {
    if (this.forcedPending) this.finishForced();
    this.collect(true);
    this.pages.scavenge(Number.POSITIVE_INFINITY, true);
    this.lastGCNs -= sweepNs;
  }

  /**
   * Virtual time passes (time.Sleep): the background scavenger's runs fall due
   * (scavenger.ts ScavengerState), and sysmon forces a collection once more than
   * forcegcperiod has passed since the last one — checked only when sysmon wakes. With
   * every P idle, sysmon parks until the next timer or for forcegcperiod/2 (proc.go
   * sysmon), so the wakes are the end of the sleep (the program's own timer) and every
   * 60 s from its start. A collection due at the sleep's end completes only at the
   * program's next step (finishForced): the program runs first. `sleepStart`/`sleepEnd` name the whole sleep when it is passed
   * in slices (a live chart samples every 250 ms).
   */
  idle(ns: number, sleepStart = this.nowNs, sleepEnd = this.nowNs + ns): void {
    if (this.forcedPending) this.finishForced();
    this.sleeping = true;
    try {
      this.idleLoop(ns, sleepStart, sleepEnd);
    } finally {
      this.sleeping = false;
    }
  }

  private sleeping = false;
  /** sysmon started a collection at the program's own timer; it ends after the program's next step. */
  private forcedPending = false;

  /**
   * The collection sysmon started at the sleep's end (idleLoop) completes: as one in a
   * sleep (the program had not yet run), so sysmon delivers the scavenger's wake at its
   * next wake, or at once if the program works.
   */
  private finishForced(): void {
    this.forcedPending = false;
    const was = this.sleeping;
    this.sleeping = true;
    try {
      this.collect(false);
    } finally {
      this.sleeping = was;
    }
  }
  /** scavengerState.sysmonWake: a wake sysmon has yet to deliver. */
  private sysmonWake = false;

  private idleLoop(ns: number, sleepStart: number, sleepEnd: number): void {
    this.finishSweep();
    const end = this.nowNs + ns;
    const wakeEvery = forcegcperiod / 2;
    while (this.nowNs < end) {
      let stop = end;
      if (this.gcPercent >= 0) {
        // The first sysmon wake at which now − lastGC > forcegcperiod.
        const due = this.lastGCNs + forcegcperiod;
        let wake = sleepStart + Math.ceil((due - sleepStart) / wakeEvery) * wakeEvery;
        if (wake <= due) wake += wakeEvery;
        if (sleepEnd > due && sleepEnd < wake) wake = sleepEnd;
        if (wake > this.nowNs && wake <= end) stop = wake;
      }
      if (this.sysmonWake) {
        // sysmon's next wake: the sleep's end or the next forcegcperiod/2 into it.
        const next = Math.min(
          sleepEnd,
          sleepStart + (Math.floor((this.nowNs - sleepStart) / wakeEvery) + 1) * wakeEvery,
        );
        if (next <= stop) {
          if (!this.scavenger.parked) this.scavenger.advance(next, this.releaseBackground);
          this.nowNs = next;
          this.sysmonWake = false;
          this.scavenger.wake(next);
          continue;
        }
      }
      if (!this.scavenger.parked) this.scavenger.advance(stop, this.releaseBackground);
      this.nowNs = stop;
      if (this.gcPercent >= 0 && stop - this.lastGCNs > forcegcperiod && stop === sleepEnd) {
        // At the program's own timer sysmon and the program wake together: sysmon
        // injects forcegchelper (proc.go sysmon → injectglist) while the readied program
        // runs at once; the cycle's mark then takes milliseconds, and NumGC moves at its
        // mark termination (mgc.go gcMarkTermination). The program's first step (a
        // ReadMemStats) sees the heap before it: the collection ends at its next step.
        this.forcedPending = true;
        break;
      }
      if (
        this.gcPercent >= 0 &&
        stop - this.lastGCNs > forcegcperiod &&
        (stop - sleepStart) % wakeEvery === 0
      )
        this.collect(false);
      else if (stop === end) break;
    }
  }

  /** allocSpan's HaveSpan block: scavenge inline after a growth or under a memory limit. */
  private afterPageAlloc(): void {
    const pg = this.pages;
    const growth = pg.lastGrowth;
    const scav = pg.lastScav;
    pg.lastGrowth = 0;
    pg.lastScav = 0;
    let bytes = 0;
    let force = false;
    if (Number.isFinite(this.memoryLimit)) {
      const ready = this.mappedReady - scav;
      if (scav + ready > this.memoryLimit) {
        bytes = scav + ready - this.memoryLimit;
        force = true;
      }
    }
    const goal = this.goals.gcPercentGoal;
    if (Number.isFinite(goal) && growth > 0) {
      const retained = this.retained - scav;
      if (retained + growth > goal) bytes = Math.max(bytes, Math.min(growth, retained + growth - goal));
    }
    if (bytes > 0) pg.scavenge(bytes, force);
    if (Number.isFinite(this.memoryLimit)) this.repace();
  }

  private placeObject(h: number, bytes: number, noscan: boolean): void {
    const pg = this.pages;
    pg.lastGrowth = 0;
    pg.lastScav = 0;
    const before = pg.inUse;
    this.span[h] = this.spans.alloc(bytes, noscan);
    if (pg.inUse !== before) this.afterPageAlloc();
  }

  get heapAlloc(): number {
    return this.baseHeap + this.allocBytes;
  }

  /** Bytes this handle accounts for (a tiny sub-object reports 0; its block holds 16). */
  sizeOf(h: ObjectHandle): number {
    const s = this.size[h] ?? 0;
    return s === BIG ? (this.bigSize.get(h) ?? 0) : s;
  }

  isLive(h: ObjectHandle): boolean {
    return this.state[h] === LIVE;
  }

  readMemStats(): MemStats {
    const pg = this.pages;
    const heapSys = pg.sysPages * pageSize;
    return {
      HeapInuse: pg.inUse * pageSize,
      HeapIdle: (pg.freeDirty + pg.released) * pageSize,
      HeapReleased: pg.released * pageSize,
      HeapSys: heapSys,
      Sys: heapSys + this.nonHeapSys(),
      HeapAlloc: this.heapAlloc,
      NumGC: this.numGC,
      HeapObjects: this.objects,
      TotalAlloc: this.totalAlloc,
      Mallocs: this.mallocs,
      Frees: this.frees,
      NextGC: Number.isFinite(this.pacer.goal) ? this.pacer.goal : NO_GOAL,
    };
  }

  get nextTrigger(): number {
    return this.pacer.trigger;
  }

  alloc(size: number, noscan: boolean): ObjectHandle {
    if (!(size >= 0) || !Number.isSafeInteger(size)) throw new Error(`alloc: bad size ${size}`);
    if (this.forcedPending) this.finishForced();
    this.mallocs++;
    let h: number;
    if (tiny(size, noscan)) {
      h = this.newHandle(0);
      this.tinyAlloc(h, size);
    } else {
      // A program allocates the same few sizes over and over: the last one's rounding is kept.
      let bytes: number;
      if (size === this.lastSize && noscan === this.lastNoscan) bytes = this.lastBytes;
      else {
        bytes = sizeOfAlloc(size, noscan, this.rules);
        this.lastSize = size;
        this.lastNoscan = noscan;
        this.lastBytes = bytes;
      }
      h = this.newHandle(bytes);
      if (bytes > 0) this.placeObject(h, bytes, noscan);
      this.allocBytes += bytes;
      this.totalAlloc += bytes;
      this.objects++;
    }
    if (this.sweepAtTotal >= 0 && this.totalAlloc >= this.sweepAtTotal) this.finishSweep();
    if (this.autoGC && !this.collecting && this.baseHeap + this.allocBytes >= this.pacer.trigger)
      this.collect(false);
    return h;
  }

  /**
   * Allocates `objs` in order, as `objs.length` alloc calls would, into `out[0 …)`:
   * one value's objects (entry-objects.ts). `rounded[j]` is mallocSize of objs[j]
   * (0 for a tiny one), computed once per type. The pacer is consulted once, after the
   * last object, as if the value were one allocation.
   */
  allocRun(
    objs: readonly { size: number; noscan: boolean }[],
    rounded: readonly number[],
    out: Int32Array,
  ): void {
    if (this.forcedPending) this.finishForced();
    const n = objs.length;
    for (let j = 0; j < n; j++) {
      const o = objs[j] as { size: number; noscan: boolean };
      const bytes = rounded[j] as number;
      this.mallocs++;
      let h: number;
      if (bytes === 0) {
        h = this.newHandle(0);
        this.tinyAlloc(h, o.size);
      } else {
        h = this.newHandle(bytes);
        this.placeObject(h, bytes, o.noscan);
        this.allocBytes += bytes;
        this.totalAlloc += bytes;
        this.objects++;
      }
      out[j] = h;
    }
    if (this.sweepAtTotal >= 0 && this.totalAlloc >= this.sweepAtTotal) this.finishSweep();
    if (this.autoGC && !this.collecting && this.baseHeap + this.allocBytes >= this.pacer.trigger)
      this.collect(false);
  }

  drop(h: ObjectHandle): void {
    if (this.state[h] !== LIVE) throw new Error(`drop: object ${h} is not live`);
    if (this.forcedPending) this.finishForced();
    this.state[h] = GARBAGE;
    this.pushGarbage(h);
    const b = this.block[h] ?? -1;
    if (b >= 0) {
      const r = (this.refs[b] ?? 0) - 1;
      this.refs[b] = r;
      if (r === 0 && b !== this.tiny) this.dropBlock(b);
    }
  }

  /** runtime.GC(): a full, forced collection. */
  GC(): void {
    if (this.forcedPending) this.finishForced();
    this.collect(true);
    // runtime.GC returns only once it has swept every span itself (mgc.go GC): the
    // collection's lastgc (mark termination) lies sweepNs before the program goes on.
    this.lastGCNs -= sweepNs;
  }

  private collect(forced: boolean): void {
    this.collecting = true;
    this.finishSweep(); // the last cycle's sweep ends before this one starts
    // Sweep termination (finishsweep_m) wakes the background scavenger, which runs
    // through the mark phase under the last cycle's goals (scavenger.ts markNs). In a
    // collection during a sleep (sysmon's) that run finds what the last generation's
    // density rule left, which the idle scavenger had already taken: the model skips it.
    if (!this.sleeping) {
      this.scavenger.wake(this.nowNs);
      this.work(markNs);
    }
    // Mark termination: the heap in use peaks here, and the scavenger's generation moves on.
    this.lastHeapInUse = this.pages.inUse * pageSize;
    this.lastHeapGoal = this.pacer.goal;
    this.pages.nextGen();
    // Go clears mcache.tiny at the start of a cycle; an empty current block dies now.
    if (this.tiny >= 0) {
      const t = this.tiny;
      this.tiny = -1;
      this.tinyoffset = 0;
      if ((this.refs[t] ?? 0) === 0) this.dropBlock(t);
    }
    // A collection the pacer started goes on marking while the program allocates the
    // rest of its runway; what it frees is reusable only after that (see finishSweep).
    const deferSweep = !forced && !this.sleeping && Number.isFinite(this.pacer.goal);
    const runwayLeft = deferSweep ? Math.max(0, this.pacer.goal - this.heapAlloc) : 0;
    const g = this.garbage;
    for (let i = 0; i < this.ngarbage; i++) {
      const h = g[i] ?? 0;
      const bytes = this.sizeOf(h);
      if (this.size[h] === BIG) this.bigSize.delete(h);
      if (this.block[h] === -1) {
        this.allocBytes -= bytes;
        this.objects--;
        const sp = this.span[h] ?? -1;
        if (sp >= 0) {
          if (runwayLeft > 0) this.pushUnswept(sp);
          else this.spans.free(sp);
        }
      }
      this.frees++;
      this.state[h] = FREE;
      this.size[h] = 0;
      this.refs[h] = 0;
      this.block[h] = -1;
      this.span[h] = -1;
      this.pushFree(h);
    }
    this.ngarbage = 0;
    if (runwayLeft > 0) this.sweepAtTotal = this.totalAlloc + runwayLeft;
    else this.spans.sweep();
    this.numGC++;
    this.pacer = pace(this.heapAlloc, this.gcRoots);
    if (this.gcPercent !== 100 || Number.isFinite(this.memoryLimit)) this.repace();
    this.goals = paceScavenger(
      this.memoryLimit,
      this.pacer.goal,
      this.lastHeapGoal,
      this.lastHeapInUse,
      this.retained,
      this.mappedReady,
    );
    // Over a memory limit, allocSpan scavenges down to it at the next span allocation
    // (afterPageAlloc), not here: a program that allocates nothing after the collection
    // keeps its memory until the background scavenger, which heeds density, takes it.
    // The end of the sweep readies the background scavenger (mgcsweep.go sweepone →
    // scavengerState.ready); sysmon delivers the wake. While the program works sysmon is
    // awake and does so at once; in a sleep (a collection sysmon forced) sysmon parks
    // again first and delivers it at its next wake: the sleep's end or 60 s on.
    if (this.sleeping) this.sysmonWake = true;
    else this.scavenger.wake(this.nowNs);
    this.lastGCNs = this.nowNs;
    this.collecting = false;
    this.onGC?.(forced);
  }

  private tinyAlloc(h: number, size: number): void {
    let off = this.tinyoffset;
    if ((size & 7) === 0) off = (off + 7) & ~7;
    else if ((size & 3) === 0) off = (off + 3) & ~3;
    else if ((size & 1) === 0) off = (off + 1) & ~1;
    if (this.tiny >= 0 && off + size <= maxTinySize) {
      this.tinyoffset = off + size;
      this.attach(h, this.tiny);
      return;
    }
    const blockHandle = this.newHandle(maxTinySize);
    this.placeObject(blockHandle, maxTinySize, true);
    this.allocBytes += maxTinySize;
    this.totalAlloc += maxTinySize;
    this.objects++;
    this.attach(h, blockHandle);
    if (this.tiny < 0 || size < this.tinyoffset) {
      const old = this.tiny;
      this.tiny = blockHandle;
      this.tinyoffset = size;
      if (old >= 0 && (this.refs[old] ?? 0) === 0) this.dropBlock(old);
    }
  }

  private attach(h: number, b: number): void {
    this.block[h] = b;
    this.refs[b] = (this.refs[b] ?? 0) + 1;
  }

  private dropBlock(b: number): void {
    if (this.state[b] !== LIVE) return;
    this.state[b] = GARBAGE;
    this.pushGarbage(b);
  }

  private newHandle(bytes: number): number {
    let h: number;
    if (this.nfree > 0) h = this.free[--this.nfree] ?? 0;
    else {
      h = this.top++;
      if (h >= this.size.length) this.growTables();
    }
    if (bytes >= BIG) {
      this.size[h] = BIG;
      this.bigSize.set(h, bytes);
    } else this.size[h] = bytes;
    this.state[h] = LIVE;
    this.block[h] = -1;
    this.span[h] = -1;
    this.refs[h] = 0;
    return h;
  }

  private growTables(): void {
    const n = this.size.length * 2;
    this.size = grown(this.size, n);
    this.state = grown(this.state, n);
    this.block = grown(this.block, n);
    this.span = grown(this.span, n);
    this.refs = grown(this.refs, n);
  }

  /** Spans of objects the last paced collection freed, not yet swept (pushUnswept). */
  private unswept = new Int32Array(1024);
  private nunswept = 0;
  /** TotalAlloc at which the unswept spans go back (the end of the runway); −1: none. */
  private sweepAtTotal = -1;

  private pushUnswept(sp: number): void {
    if (this.nunswept >= this.unswept.length) this.unswept = grown(this.unswept, this.unswept.length * 2);
    this.unswept[this.nunswept++] = sp;
  }

  /**
   * The deferred frees of the last paced collection, and its sweep.
   *
   * Go's collector is concurrent (mgc.go gcStart … gcMarkTermination): a cycle the pacer
   * starts marks while the program goes on allocating, and the pacer sizes it to end
   * when the heap reaches the goal (mgcpacer.go: the trigger leaves the runway to the
   * goal for the allocations during the mark). Objects allocated meanwhile are allocated
   * black (malloc.go gcmarknewobject) and nothing the cycle frees is reusable before
   * mark termination starts the sweep (gcSweep; mheap.alloc's reclaim, mcentral's
   * partialUnswept): the mark's allocations take fresh slots and pages, so the heap in
   * use peaks near the goal, not at the trigger. The model collects at the trigger
   * (HeapAlloc, NumGC and the pacer as before) but keeps the spans of what it freed
   * in use until TotalAlloc has grown by goal − HeapAlloc of that moment, then frees
   * and sweeps them. A forced collection (runtime.GC, FreeOSMemory: the mark ends
   * before they return) and a sleep (the mark ends within milliseconds) sweep at once.
   * On the Swiss releases, whose table splits leave garbage all through the growth,
   * this is the heap's next 4 MiB chunk at the peak (key-string, elem-string).
   */
  private finishSweep(): void {
    if (this.sweepAtTotal < 0) return;
    this.sweepAtTotal = -1;
    const u = this.unswept;
    for (let i = 0; i < this.nunswept; i++) this.spans.free(u[i] ?? 0);
    this.nunswept = 0;
    this.spans.sweep();
  }

  private pushFree(h: number): void {
    if (this.nfree >= this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.nfree++] = h;
  }

  private pushGarbage(h: number): void {
    if (this.ngarbage >= this.garbage.length) this.garbage = grown(this.garbage, this.garbage.length * 2);
    this.garbage[this.ngarbage++] = h;
  }

  /** Throws naming the first broken invariant (O(handles): tests only). */
  checkInvariants(): void {
    let bytes = 0;
    const live = new Int32Array(this.top);
    for (let h = 0; h < this.top; h++) {
      const s = this.state[h];
      if (s === FREE) continue;
      if (this.block[h] === -1) bytes += this.sizeOf(h);
      const b = this.block[h] ?? -1;
      if (b >= 0 && s === LIVE) live[b] = (live[b] ?? 0) + 1;
    }
    if (bytes !== this.allocBytes)
      throw new Error(`heap invariant 1: Σ sizes ${bytes} ≠ allocBytes ${this.allocBytes}`);
    for (let h = 0; h < this.top; h++) {
      if (
        this.state[h] !== FREE &&
        this.block[h] === -1 &&
        this.size[h] === maxTinySize &&
        (this.refs[h] ?? 0) !== (live[h] ?? 0)
      ) {
        throw new Error(
          `heap invariant 2: tiny block ${h} refs ${this.refs[h]} ≠ live sub-objects ${live[h]}`,
        );
      }
    }
    const p = this.pacer;
    if (!(p.heapMarked <= p.trigger && p.trigger <= p.goal))
      throw new Error(`heap invariant 3: pacer ${JSON.stringify(p)}`);
    this.pages.checkInvariants();
    this.spans.checkInvariants();
    const spanPages = this.spans.pagesInUse() + this.process.inusePages;
    if (spanPages !== this.pages.inUse)
      throw new Error(`heap invariant 4: span pages ${spanPages} ≠ pages in use ${this.pages.inUse}`);
  }
}
