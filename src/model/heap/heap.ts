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
 * Cost: alloc and drop are O(1) (amortised: the tables grow by doubling); GC is
 * O(garbage objects).
 *
 * Invariants (checkInvariants)
 *   1. heapAlloc = baseHeap + Σ size over live and garbage objects.
 *   2. A tiny block's live count equals the number of its live sub-objects.
 *   3. heapMarked ≤ trigger ≤ goal (gc.ts).
 */
import type { Allocator, ObjectHandle } from "../contract.ts";
import { grown } from "../typed-array.ts";
import { pace, type PacerState } from "./gc.ts";
import { isTiny, mallocSize, maxTinySize as MAX_TINY, type MallocRules } from "./malloc.ts";
import { pageSize } from "./size-classes.ts";

const pallocChunkBytes = 4 << 20; // Go: pallocChunkPages × pageSize (mpagealloc.go)

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

  // Process memory (first, simple layer; see docs/model.md).
  private heapSys = 0;
  private released = 0;

  /** Bytes in in-use spans. */
  get heapInuse(): number {
    return Math.ceil(this.heapAlloc / pageSize) * pageSize;
  }

  /** Heap bytes mapped, grown in palloc chunks (4 MiB) as the in-use heap needs them. */
  get heapSysBytes(): number {
    const need = Math.ceil(this.heapInuse / pallocChunkBytes) * pallocChunkBytes;
    if (need > this.heapSys) this.heapSys = need;
    return this.heapSys;
  }

  /** Returns up to `bytes` of idle, unreleased heap memory to the OS; the bytes released. */
  scavenge(bytes: number): number {
    const idle = this.heapSysBytes - this.heapInuse;
    this.released = Math.min(this.released, idle);
    const n = Math.max(0, Math.min(bytes, idle - this.released));
    this.released += n;
    return n;
  }

  /** Idle bytes returned to the OS. */
  get heapReleased(): number {
    this.released = Math.min(this.released, this.heapSysBytes - this.heapInuse);
    return this.released;
  }

  /** debug.SetGCPercent / SetMemoryLimit: re-pace from the last collection's mark. */
  setPacing(gcPercent: number, memoryLimit: number): void {
    this.gcPercent = gcPercent;
    this.memoryLimit = memoryLimit;
    this.pacer = pace(this.pacer.heapMarked, this.gcRoots, gcPercent, memoryLimit);
  }

  private gcPercent = 100;
  private memoryLimit = Number.POSITIVE_INFINITY;

  readMemStats(): MemStats {
    const heapSys = this.heapSysBytes;
    const heapInuse = this.heapInuse;
    return {
      HeapInuse: heapInuse,
      HeapIdle: heapSys - heapInuse,
      HeapReleased: this.heapReleased,
      HeapSys: heapSys,
      Sys: heapSys,
      HeapAlloc: this.heapAlloc,
      NumGC: this.numGC,
      HeapObjects: this.objects,
      TotalAlloc: this.totalAlloc,
      Mallocs: this.mallocs,
      Frees: this.frees,
      NextGC: this.pacer.goal,
    };
  }

  get nextTrigger(): number {
    return this.pacer.trigger;
  }

  alloc(size: number, noscan: boolean): ObjectHandle {
    if (!(size >= 0) || !Number.isSafeInteger(size)) throw new Error(`alloc: bad size ${size}`);
    this.mallocs++;
    let h: number;
    if (tiny(size, noscan)) {
      h = this.newHandle(0);
      this.tinyAlloc(h, size);
    } else {
      const bytes = sizeOfAlloc(size, noscan, this.rules);
      h = this.newHandle(bytes);
      this.allocBytes += bytes;
      this.totalAlloc += bytes;
      this.objects++;
    }
    if (this.autoGC && !this.collecting && this.baseHeap + this.allocBytes >= this.pacer.trigger)
      this.collect(false);
    return h;
  }

  drop(h: ObjectHandle): void {
    if (this.state[h] !== LIVE) throw new Error(`drop: object ${h} is not live`);
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
    this.collect(true);
  }

  private collect(forced: boolean): void {
    this.collecting = true;
    // Go clears mcache.tiny at the start of a cycle; an empty current block dies now.
    if (this.tiny >= 0) {
      const t = this.tiny;
      this.tiny = -1;
      this.tinyoffset = 0;
      if ((this.refs[t] ?? 0) === 0) this.dropBlock(t);
    }
    const g = this.garbage;
    for (let i = 0; i < this.ngarbage; i++) {
      const h = g[i] ?? 0;
      const bytes = this.sizeOf(h);
      if (this.size[h] === BIG) this.bigSize.delete(h);
      if (this.block[h] === -1) {
        this.allocBytes -= bytes;
        this.objects--;
      }
      this.frees++;
      this.state[h] = FREE;
      this.size[h] = 0;
      this.refs[h] = 0;
      this.block[h] = -1;
      this.pushFree(h);
    }
    this.ngarbage = 0;
    this.numGC++;
    this.pacer = pace(this.heapAlloc, this.gcRoots, this.gcPercent, this.memoryLimit);
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
    this.refs[h] = 0;
    return h;
  }

  private growTables(): void {
    const n = this.size.length * 2;
    this.size = grown(this.size, n);
    this.state = grown(this.state, n);
    this.block = grown(this.block, n);
    this.refs = grown(this.refs, n);
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
  }
}
