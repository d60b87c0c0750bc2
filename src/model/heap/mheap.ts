/**
 * The page heap: the runtime's 8 KiB pages, which spans are cut from, and their state
 * towards the OS (mapped, resident, released).
 *
 * Follows Go 1.23 src/runtime/mheap.go (mheap.grow, allocSpan, freeSpan),
 * mpagealloc.go (pageAlloc: first fit at the lowest address, palloc chunks of
 * pallocChunkPages = 512 pages = 4 MiB) and mgcscavenge.go (scavengeIndex: the
 * chunk-density generations, releasing from the highest address down). Go 1.27's
 * files have the same rules.
 *
 * Terminology (runtime.MemStats names)
 *   page          one runtime page, pageSize = 8 KiB.
 *   chunk         a palloc chunk: 512 pages (4 MiB). The heap grows by whole chunks:
 *                 mheap.grow asks alignUp(npage, pallocChunkPages) pages, so one
 *                 large allocation of n pages grows HeapSys by n rounded up to 4 MiB
 *                 (measured: HeapSys steps of exactly 4 MiB, docs/research/pm-model/).
 *   in use        pages of in-use spans: HeapInuse.
 *   free          idle and not released (Go: heapFree): still backed by memory.
 *   released      idle and returned to the OS with madvise (Go: heapReleased).
 *                 Freshly grown memory counts as released until a span uses it,
 *                 exactly as mheap.grow accounts it.
 *   padding       Go 1.26+ (goexperiment.RandomizedHeapBase64, malloc.go
 *                 randomizeHeapBase): the first mheap.grow marks a random number of
 *                 the first chunk's pages allocated (mpagealloc.go
 *                 markRandomPaddingPages: allocRange, scav.index.alloc, scavenged). They
 *                 are idle and released, count in the chunk's density, and no span gets
 *                 them (process.ts randomPaddingPages).
 *   HeapSys       in use + free + released (padding included); HeapIdle = free + released.
 *   resident      a page the process has written since it was last released: the
 *                 OS hands out zero pages and backs them only when written. The
 *                 model marks a span's pages resident when the span is allocated
 *                 (the program writes its objects; reused dirty memory is zeroed by
 *                 the allocator). Releasing a page makes it non-resident.
 *   generation    scavengeIndex.gen, advanced at every collection's mark termination
 *                 (mgc.go gcMarkTermination → nextGen). A chunk records its pages in
 *                 use now and at the end of its last generation (inUse, lastInUse);
 *                 the background scavenger skips a chunk that was dense (≥ 496 of 512
 *                 pages, scavChunkHiOccFrac) in the current or the last generation it
 *                 was changed in (scavChunkData.shouldScavenge). This is why the
 *                 memory of a map freed by the last collection stays resident until
 *                 the next collection, while older idle memory goes within seconds.
 *
 * Operations
 *   alloc(n)      the lowest run of n free pages (released ones included); grows the
 *                 heap by whole chunks when none fits. Returns the base page; the
 *                 pages taken from released memory and the growth are left in
 *                 lastScav / lastGrowth for the caller's scavenging decisions
 *                 (mheap.allocSpan's HaveSpan block).
 *   free(b, n)    pages back to the heap, free and still resident.
 *   scavenge(bytes, force)  release free pages, highest chunk first; force ignores
 *                 the density rule (debug.FreeOSMemory, the memory limit).
 *
 * Cost: alloc is O(pages scanned from the lowest free page) — amortised small since
 * runs of in-use pages are skipped a chunk at a time when full; free O(n); scavenge
 * O(chunks + pages released).
 *
 * Invariants (checkInvariants)
 *   1. inUse + free + released = mapped heap pages (stacks apart).
 *   2. Each chunk's inUse equals its pages in use; each chunk's freeDirty its free,
 *      unreleased pages.
 *   3. A released page is free (or padding) and not resident.
 */
import { grown } from "../typed-array.ts";
import { pageSize } from "./size-classes.ts";

export const pallocChunkPages = 512; // Go: mpagealloc.go
export const pallocChunkBytes = pallocChunkPages * pageSize; // 4 MiB
export const scavChunkHiOccPages = Math.floor(0.96875 * pallocChunkPages); // 496, mgcscavenge.go

const USED = 1; // page in a span (or the runtime's own)
const RELEASED = 2; // free and returned to the OS
const RESIDENT = 4; // backed by memory (written since last released)
const STACK = 8; // carved out for goroutine stacks: not heap (StackSys)
const PADDING = 16; // the randomized heap base's padding: allocated, released, in no span

export interface PageHeapBaseline {
  /** Pages of the runtime's own spans in use before the program allocates (HeapInuse at start). */
  readonly inusePages: number;
  /** Pages idle but resident at start (HeapIdle − HeapReleased). */
  readonly dirtyPages: number;
  /** Pages of goroutine stacks taken from the first chunk (StackSys ÷ 8 KiB). */
  readonly stackPages: number;
  /**
   * Pages of the first chunk the randomized heap base marks allocated at the first
   * mheap.grow (Go 1.26+, goexperiment.RandomizedHeapBase64: markRandomPaddingPages).
   * They count in HeapSys, HeapIdle and HeapReleased and in the chunk's density, and
   * no span can use them. 0 before Go 1.26.
   */
  readonly paddingPages?: number;
}

export class PageHeap {
  private state = new Uint8Array(pallocChunkPages);
  private npages = 0; // pages mapped (heap and stacks)
  private searchAddr = 0; // no free page below this one
  private chunkInUse = new Int32Array(1);
  private chunkLastInUse = new Int32Array(1);
  private chunkGen = new Int32Array(1);
  private chunkDirty = new Int32Array(1); // free, unreleased pages
  private gen = 0;
  inUse = 0;
  freeDirty = 0;
  released = 0;
  resident = 0;
  private stackPages = 0;
  /** Bytes taken from released memory by the last alloc (allocSpan's scav). */
  lastScav = 0;
  /** Bytes the last alloc grew the heap by (allocSpan's growth). */
  lastGrowth = 0;

  constructor(base: PageHeapBaseline) {
    this.grow(1);
    const st = this.state;
    // Stacks' residency is part of the measured non-heap term (process.ts).
    for (let p = 0; p < base.stackPages; p++) st[p] = USED | STACK;
    this.stackPages = base.stackPages;
    this.released -= base.stackPages;
    this.searchAddr = base.stackPages;
    const pad = base.paddingPages ?? 0;
    for (let p = base.stackPages; p < base.stackPages + pad; p++) st[p] = USED | RELEASED | PADDING;
    this.chunkInUse[0] = (this.chunkInUse[0] ?? 0) + pad;
    if (base.inusePages > 0) this.alloc(base.inusePages);
    if (base.dirtyPages > 0) this.free(this.alloc(base.dirtyPages), base.dirtyPages);
    this.lastScav = 0;
    this.lastGrowth = 0;
  }

  /** Heap pages mapped: HeapSys ÷ pageSize. */
  get sysPages(): number {
    return this.npages - this.stackPages;
  }

  get stackBytes(): number {
    return this.stackPages * pageSize;
  }

  /** scavengeIndex.nextGen: a collection's mark termination. */
  nextGen(): void {
    this.gen++;
  }

  alloc(n: number): number {
    this.lastScav = 0;
    this.lastGrowth = 0;
    if (n <= 0) throw new Error(`alloc: bad page count ${n}`);
    let base = this.find(n);
    if (base < 0) {
      this.lastGrowth = this.grow(n) * pageSize;
      base = this.find(n);
      if (base < 0) throw new Error("page heap: grow did not make room");
    }
    const st = this.state;
    let scav = 0;
    for (let p = base; p < base + n; p++) {
      const s = st[p] ?? 0;
      if ((s & RELEASED) !== 0) {
        scav++;
        this.released--;
      } else {
        this.freeDirty--;
        this.chunkDirty[p >> 9] = (this.chunkDirty[p >> 9] ?? 0) - 1;
      }
      if ((s & RESIDENT) === 0) this.resident++;
      st[p] = USED | RESIDENT;
    }
    this.lastScav = scav * pageSize;
    this.inUse += n;
    this.account(base, n, +1);
    if (base === this.searchAddr) this.searchAddr = base + n;
    return base;
  }

  free(base: number, n: number): void {
    const st = this.state;
    for (let p = base; p < base + n; p++) {
      if ((st[p] ?? 0) !== (USED | RESIDENT)) throw new Error(`free: page ${p} is not in use`);
      st[p] = RESIDENT;
      this.chunkDirty[p >> 9] = (this.chunkDirty[p >> 9] ?? 0) + 1;
    }
    this.inUse -= n;
    this.freeDirty += n;
    this.account(base, n, -1);
    if (base < this.searchAddr) this.searchAddr = base;
  }

  /**
   * Releases up to `bytes` of free memory to the OS, from the highest chunk down
   * (scavengeIndex.find walks downwards). Without force, chunks that were dense in
   * this or their last generation are skipped. Returns the bytes released.
   */
  scavenge(bytes: number, force: boolean): number {
    let want = Math.ceil(bytes / pageSize);
    let done = 0;
    const st = this.state;
    for (let c = (this.npages >> 9) - 1; c >= 0 && want > 0; c--) {
      if ((this.chunkDirty[c] ?? 0) === 0 || !(force || this.shouldScavenge(c))) continue;
      for (let p = (c + 1) * pallocChunkPages - 1; p >= c * pallocChunkPages && want > 0; p--) {
        const s = st[p] ?? 0;
        if ((s & (USED | RELEASED)) !== 0) continue;
        st[p] = RELEASED;
        if ((s & RESIDENT) !== 0) this.resident--;
        this.chunkDirty[c] = (this.chunkDirty[c] ?? 0) - 1;
        this.freeDirty--;
        this.released++;
        want--;
        done++;
      }
    }
    return done * pageSize;
  }

  /** Free, unreleased bytes the background scavenger may take now. */
  scavengeable(): number {
    let n = 0;
    for (let c = 0; c < this.npages >> 9; c++) if (this.shouldScavenge(c)) n += this.chunkDirty[c] ?? 0;
    return n * pageSize;
  }

  private shouldScavenge(c: number): boolean {
    const inUse = this.chunkInUse[c] ?? 0;
    if (this.chunkGen[c] === this.gen)
      return inUse < scavChunkHiOccPages && (this.chunkLastInUse[c] ?? 0) < scavChunkHiOccPages;
    return inUse < scavChunkHiOccPages;
  }

  /** scavChunkData.alloc / free for every chunk the run [base, base+n) touches. */
  private account(base: number, n: number, sign: number): void {
    for (let p = base; p < base + n;) {
      const c = p >> 9;
      const end = Math.min(base + n, (c + 1) * pallocChunkPages);
      if (this.chunkGen[c] !== this.gen) {
        this.chunkLastInUse[c] = this.chunkInUse[c] ?? 0;
        this.chunkGen[c] = this.gen;
      }
      this.chunkInUse[c] = (this.chunkInUse[c] ?? 0) + sign * (end - p);
      p = end;
    }
  }

  /** First fit: the lowest run of n pages not in use. */
  private find(n: number): number {
    const st = this.state;
    const top = this.npages;
    let run = 0;
    let p = this.searchAddr;
    // Skip leading in-use pages and move searchAddr past them.
    while (p < top && ((st[p] ?? 0) & USED) !== 0) p++;
    this.searchAddr = p;
    for (; p < top; p++) {
      if (((st[p] ?? 0) & USED) !== 0) {
        run = 0;
        // Skip a chunk that is entirely in use.
        if ((p & 511) === 0 && (this.chunkInUse[p >> 9] ?? 0) === pallocChunkPages) p += pallocChunkPages - 1;
        continue;
      }
      if (++run === n) return p - n + 1;
    }
    return -1;
  }

  /** mheap.grow: maps alignUp(n, 512) pages, counted as released. Returns pages added. */
  private grow(n: number): number {
    const ask = Math.ceil(n / pallocChunkPages) * pallocChunkPages;
    const total = this.npages + ask;
    if (total > this.state.length) {
      let len = this.state.length;
      while (len < total) len *= 2;
      this.state = grown(this.state, len);
      const chunks = len >> 9;
      this.chunkInUse = grown(this.chunkInUse, chunks);
      this.chunkLastInUse = grown(this.chunkLastInUse, chunks);
      this.chunkGen = grown(this.chunkGen, chunks);
      this.chunkDirty = grown(this.chunkDirty, chunks);
    }
    for (let c = this.npages >> 9; c < total >> 9; c++) {
      this.chunkInUse[c] = 0;
      this.chunkLastInUse[c] = 0;
      this.chunkGen[c] = this.gen;
      this.chunkDirty[c] = 0;
    }
    this.state.fill(RELEASED, this.npages, total);
    this.npages = total;
    this.released += ask;
    return ask;
  }

  /** Throws naming the first broken invariant (O(pages): tests only). */
  checkInvariants(): void {
    let inUse = 0;
    let dirty = 0;
    let released = 0;
    let resident = 0;
    const chunks = this.npages >> 9;
    const cin = new Int32Array(chunks);
    const cdirty = new Int32Array(chunks);
    for (let p = 0; p < this.npages; p++) {
      const s = this.state[p] ?? 0;
      if ((s & STACK) !== 0) continue;
      if ((s & PADDING) !== 0) {
        released++;
        cin[p >> 9] = (cin[p >> 9] ?? 0) + 1;
        continue;
      }
      if ((s & RESIDENT) !== 0) resident++;
      if ((s & USED) !== 0) {
        inUse++;
        cin[p >> 9] = (cin[p >> 9] ?? 0) + 1;
      } else if ((s & RELEASED) !== 0) {
        released++;
        if ((s & RESIDENT) !== 0) throw new Error(`page heap invariant 3: released page ${p} is resident`);
      } else {
        dirty++;
        cdirty[p >> 9] = (cdirty[p >> 9] ?? 0) + 1;
      }
    }
    if (
      inUse !== this.inUse ||
      dirty !== this.freeDirty ||
      released !== this.released ||
      resident !== this.resident
    )
      throw new Error(
        `page heap invariant 1: counted ${inUse}/${dirty}/${released}/${resident}, kept ${this.inUse}/${this.freeDirty}/${this.released}/${this.resident}`,
      );
    if (inUse + dirty + released !== this.sysPages)
      throw new Error("page heap invariant 1: pages do not add up");
    for (let c = 0; c < chunks; c++) {
      if (cin[c] !== this.chunkInUse[c] || cdirty[c] !== this.chunkDirty[c])
        throw new Error(`page heap invariant 2: chunk ${c}`);
    }
  }
}
