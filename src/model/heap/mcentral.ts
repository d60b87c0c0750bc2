/**
 * Spans: which pages each heap object lives on, and when those pages go back to the
 * page heap.
 *
 * Follows Go 1.23 src/runtime/mcentral.go (mcentral.cacheSpan: a swept partial span
 * first, else a fresh span from the heap), mcache.go (one current span per span
 * class; releaseAll when a cycle ends), mheap.go (type mspan; allocSpan for large
 * objects), mgcsweep.go (a span whose last object is freed goes back to the heap at
 * sweep; one with free slots becomes partial) and sizeclasses.go (pages per span,
 * objects per span). Unchanged through Go 1.27.
 *
 * Terminology
 *   span class   size class × 2 + noscan (Go: spanClass): pointerful and pointer-free
 *                objects of one size class never share a span.
 *   span         npages contiguous pages holding nelems slots of one span class, or
 *                one large object (size class 0, > 32 KiB, its own span of whole pages).
 *   allocCount   slots taken by objects not yet swept (live or garbage).
 *   current      the span the mcache allocates from, per span class.
 *   partial      swept spans with free slots, reused before any new span, oldest
 *                address first (the model's reading of mcentral's partialSwept set).
 *
 * Simplification: slots are counted, not placed: which slot of a span an object takes
 * does not change any MemStats field or the resident set at page granularity.
 *
 * Operations
 *   alloc(bytes, noscan)  the span id the object lives in (bytes is mallocgc's rounded
 *                         size: a size class's bytes/obj, or whole pages).
 *   free(span)            at sweep: one object of the span was garbage.
 *   sweep()               after a collection's frees: empty spans go back to the page
 *                         heap, spans with room become partial, mcaches are emptied.
 *
 * Cost: alloc O(1) amortised (plus the page heap's first fit for a new span); free
 * O(1); sweep O(live spans).
 *
 * Invariants (checkInvariants)
 *   1. 0 ≤ allocCount ≤ nelems for every span in use; a large span holds one object.
 *   2. Pages of spans in use = the page heap's pages in use − the runtime's own.
 */
import { grown } from "../typed-array.ts";
import type { PageHeap } from "./mheap.ts";
import { maxSmallSize, pageSize, sizeClasses } from "./size-classes.ts";

/** Size class by bytes/obj ÷ 8 (every class's size is a multiple of 8); 0: not a class. */
const classBySize8 = new Uint8Array(maxSmallSize / 8 + 1);
for (const c of sizeClasses) classBySize8[c.size / 8] = c.cls;
const numSpanClasses = (sizeClasses.length + 1) * 2;

export class Spans {
  private readonly pages: PageHeap;
  private base = new Int32Array(256);
  private npages = new Int32Array(256);
  private spc = new Int32Array(256); // span class; −1: span slot unused
  private nelems = new Int32Array(256);
  private allocCount = new Int32Array(256);
  private dirty = new Uint8Array(256);
  private top = 0;
  private freeIds: number[] = [];
  private swept: number[] = []; // spans freed from during this sweep
  private readonly current = new Int32Array(numSpanClasses).fill(-1);
  private readonly partial: number[][] = Array.from({ length: numSpanClasses }, () => []);
  private readonly partialHead = new Int32Array(numSpanClasses);
  /** Spans in use, and the most there ever were (MSpanSys never shrinks). */
  inUse = 0;
  peak = 0;

  constructor(pages: PageHeap) {
    this.pages = pages;
  }

  alloc(bytes: number, noscan: boolean): number {
    if (bytes > maxSmallSize) {
      const n = Math.ceil(bytes / pageSize);
      const s = this.newSpan(0, n, 1);
      this.allocCount[s] = 1;
      return s;
    }
    const cls = (bytes & 7) === 0 ? (classBySize8[bytes >>> 3] ?? 0) : 0;
    if (cls === 0) throw new Error(`spans: ${bytes} is not a size class`);
    const sc = cls * 2 + (noscan ? 1 : 0);
    let s = this.current[sc] ?? -1;
    if (s < 0 || (this.allocCount[s] ?? 0) === (this.nelems[s] ?? 0)) {
      s = this.cacheSpan(sc, cls);
      this.current[sc] = s;
    }
    this.allocCount[s] = (this.allocCount[s] ?? 0) + 1;
    return s;
  }

  free(s: number): void {
    this.allocCount[s] = (this.allocCount[s] ?? 0) - 1;
    if (this.dirty[s] === 0) {
      this.dirty[s] = 1;
      this.swept.push(s);
    }
  }

  /** mcache.releaseAll then the sweep of every span an object was freed from. */
  sweep(): void {
    // The cached spans go back to mcentral; one with room is partial like any other.
    for (let sc = 0; sc < numSpanClasses; sc++) {
      const s = this.current[sc] ?? -1;
      this.current[sc] = -1;
      if (s >= 0 && this.dirty[s] === 0) {
        this.dirty[s] = 1;
        this.swept.push(s);
      }
    }
    const swept = this.swept.sort((a, b) => (this.base[a] ?? 0) - (this.base[b] ?? 0));
    for (const s of swept) {
      this.dirty[s] = 0;
      const sc = this.spc[s] ?? -1;
      if (sc < 0) continue;
      const count = this.allocCount[s] ?? 0;
      if (count === 0) {
        this.pages.free(this.base[s] ?? 0, this.npages[s] ?? 0);
        this.spc[s] = -1;
        this.freeIds.push(s);
        this.inUse--;
      } else if (sc >= 2 && count < (this.nelems[s] ?? 0)) this.partial[sc]?.push(s);
    }
    this.swept = [];
  }

  private cacheSpan(sc: number, cls: number): number {
    const list = this.partial[sc] ?? [];
    let head = this.partialHead[sc] ?? 0;
    while (head < list.length) {
      const s = list[head++] ?? -1;
      // A span freed and reused since it was queued has another class or is full.
      if (this.spc[s] === sc && (this.allocCount[s] ?? 0) < (this.nelems[s] ?? 0)) {
        this.partialHead[sc] = head;
        this.compact(sc);
        return s;
      }
    }
    list.length = 0;
    this.partialHead[sc] = 0;
    const c = sizeClasses[cls - 1];
    if (c === undefined) throw new Error(`spans: no size class ${cls}`);
    return this.newSpan(sc, c.npages, c.objects);
  }

  private compact(sc: number): void {
    const head = this.partialHead[sc] ?? 0;
    const list = this.partial[sc];
    if (list !== undefined && head > 1024 && head * 2 > list.length) {
      list.splice(0, head);
      this.partialHead[sc] = 0;
    }
  }

  private newSpan(sc: number, npages: number, nelems: number): number {
    const base = this.pages.alloc(npages);
    let s = this.freeIds.pop();
    if (s === undefined) {
      s = this.top++;
      if (s >= this.base.length) {
        const n = this.base.length * 2;
        this.base = grown(this.base, n);
        this.npages = grown(this.npages, n);
        this.spc = grown(this.spc, n);
        this.nelems = grown(this.nelems, n);
        this.allocCount = grown(this.allocCount, n);
        this.dirty = grown(this.dirty, n);
      }
    }
    this.base[s] = base;
    this.npages[s] = npages;
    this.spc[s] = sc;
    this.nelems[s] = nelems;
    this.allocCount[s] = 0;
    this.dirty[s] = 0;
    this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
    return s;
  }

  /** Pages held by spans in use. */
  pagesInUse(): number {
    let n = 0;
    for (let s = 0; s < this.top; s++) if ((this.spc[s] ?? -1) >= 0) n += this.npages[s] ?? 0;
    return n;
  }

  /** Throws naming the first broken invariant (O(spans): tests only). */
  checkInvariants(): void {
    for (let s = 0; s < this.top; s++) {
      const sc = this.spc[s] ?? -1;
      if (sc < 0) continue;
      const c = this.allocCount[s] ?? 0;
      if (c < 0 || c > (this.nelems[s] ?? 0)) throw new Error(`spans invariant 1: span ${s} allocCount ${c}`);
      if (sc < 2 && this.nelems[s] !== 1)
        throw new Error(`spans invariant 1: large span ${s} holds ${this.nelems[s]}`);
    }
  }
}
