/**
 * The classic Go map (Go 1.19–1.23): hash buckets with overflow chains, grown by
 * doubling and evacuated incrementally.
 *
 * Follows Go 1.23 src/runtime/map.go (makemap, makemap_small, makeBucketArray,
 * mapassign, mapdelete, mapclear, hashGrow, growWork, evacuate, advanceEvacuationMark,
 * newoverflow, incrnoverflow). Go 1.19 and 1.21 differ only in ways that do not move a
 * byte (mapclear's iterator marking in 1.21+, fastrand vs rand); Go 1.22+ size buckets
 * with malloc headers, which heap/malloc.ts applies.
 *
 * Terminology (Go's names)
 *   B            log2 of the number of buckets; the map has 2^B buckets.
 *   tophash      the top 8 bits of a key's hash, kept per slot to skip mismatches;
 *                values below minTopHash mark empty or evacuated slots.
 *   overflow     a bucket chained after a full one. noverflow approximately counts
 *                them (exactly for B < 16; for larger B it counts 1 in 2^(B-15) at
 *                random, as incrnoverflow does).
 *   preallocated overflow  makeBucketArray adds 2^(B-4) spare buckets to the array
 *                when B ≥ 4 (plus whatever the size class rounds up to);
 *                mapextra.nextOverflow hands them out before any new bucket is
 *                allocated.
 *   mapextra     holds overflow/oldoverflow: for a noscan bucket type the GC cannot
 *                follow a bucket's overflow field, so every overflow bucket is also
 *                listed in a []*bmap slice that keeps it alive.
 *   growing      oldbuckets != nil: a growth is in progress; nevacuate is the first
 *                old bucket not known to be evacuated.
 *
 * Operations
 *   make(hint)   hint ≤ 8: only the 48-byte hmap (makemap_small; the first bucket is
 *                allocated by the first insert). Otherwise B = the smallest B with
 *                hint ≤ 6.5·2^B, and the bucket array is allocated at once.
 *   set          if growing, evacuate the old bucket the key maps to and one more
 *                (nevacuate). Find the key in its chain (update in place) or the
 *                first empty slot. A new key first checks whether to grow:
 *                count+1 > 6.5·2^B doubles, noverflow ≥ 2^min(B,15) grows in place
 *                (same size, to compact chains). If the chain is full, chain an
 *                overflow bucket. Keys/elems over 128 bytes get a heap object each.
 *   delete       growWork as set does, then clear the slot: tophash = emptyOne
 *                (emptyRest if nothing follows), and drop what the slot pointed to.
 *                No bucket is ever freed: memory does not shrink.
 *   growth       allocate the new array, keep the old one until every old bucket is
 *                evacuated (entries split between bucket i (X) and i+2^oldB (Y)).
 *                Pointerful buckets unlink an evacuated bucket's overflow chain at
 *                once (it becomes garbage); noscan buckets keep it in
 *                mapextra.oldoverflow until the whole growth ends.
 *   clear        (mapclear) keep B, keep and zero the bucket array, drop the old
 *                array, every non-preallocated overflow bucket and the overflow
 *                slices; keep the mapextra allocation.
 *   writeKeys    (no Go counterpart: the runtime's insertRange / deleteRange loop) the
 *                keys of a range in order through the same assign / deleteHashed as
 *                set and delete, with the per-call work hoisted: the seed's half of the
 *                hash once per seed, and batches of 16 keys hashed and their buckets
 *                read together first, so that the cache misses of a batch overlap
 *                (measured: the 10M-insert run in about half the time). Entries
 *                that own heap objects (string bytes, new(T), indirect keys) take the
 *                same path: key(i)'s and elem(i)'s objects are allocated just before
 *                assign, as set() does. alloc and free, the map's own ways to the heap,
 *                and the entry objects' HeapGate first report the writes done to the
 *                runtime (MapImpl.writeKeys' sync), so every heap call sees the clock
 *                the key-by-key loop gives it.
 *
 * Invariants (checkInvariants)
 *   1. count = number of slots with tophash ≥ minTopHash in the live chains (the
 *      current array's, plus the old array's buckets not yet evacuated).
 *   2. Every entry sits in the chain its hash selects, with the right tophash; no key
 *      appears twice.
 *   3. In a chain, every slot after an emptyRest slot is emptyRest.
 *   4. growing ⇔ oldbuckets exists; every old bucket below nevacuate is evacuated; an
 *      evacuated bucket's slots all hold evacuation marks. (After a growth nevacuate
 *      keeps its final value, 2^oldB, as in Go; hashGrow and mapclear reset it.)
 *   5. Occupied slots' keyObj/elemObj are live heap objects (when the types have them);
 *      empty slots hold none.
 *   6. For B < 16, noverflow = overflow buckets chained since the last growth or clear.
 *   7. For noscan buckets, mapextra.overflow lists exactly the current array's overflow
 *      buckets (preallocated included), and oldoverflow the old array's.
 */
import type { Allocator, ClassicInternals, ClassicView, MapImpl, MapOptions } from "../contract.ts";
import { fmix32, hashKey, seedHi, seedLo } from "../hash.ts";
import { isTiny, mallocSize, roundupsize, type MallocRules } from "../heap/malloc.ts";
import { grown } from "../typed-array.ts";
import { versionRules } from "../versions.ts";
import { dropInKeyOrder, EntryObjects, HeapGate, NONE } from "../entry-objects.ts";
import * as bucketsMod from "./buckets.ts";
import { BucketStore, OverflowPool, type BucketArray } from "./buckets.ts";
import * as chainSteps from "./chain.ts";
import { checkClassicInvariants, classicInternals, type ClassicDebugView } from "./debug.ts";
import * as layout from "./layout.ts";
import type { ClassicLayout } from "./layout.ts";
import { classicView } from "./view.ts";

/** A []*bmap slice that mapextra.overflow / oldoverflow points to (noscan buckets). */
interface OverflowSlice {
  header: number; // the 24-byte object new([]*bmap) returned
  array: number; // backing array handle, -1 while nil
  arrayBytes: number;
  len: number;
  cap: number;
  pool: number[]; // pool bucket ids listed (preallocated buckets are part of the array)
}

// Local copies of the layout constants and helpers: plain bindings keep the hot
// loops monomorphic even when a test runner rewrites imports into namespace lookups.
const bucketCnt = layout.bucketCnt;
const emptyOne = layout.emptyOne;
const emptyRest = layout.emptyRest;
const evacuatedEmpty = layout.evacuatedEmpty;
const evacuatedX = layout.evacuatedX;
const hmapSize = layout.hmapSize;
const mapextraSize = layout.mapextraSize;
const minTopHash = layout.minTopHash;
const ptrSize = layout.ptrSize;
const sliceHeaderSize = layout.sliceHeaderSize;
const NIL = bucketsMod.NIL;
// A bucket's place in its store (buckets.ts): tophash bytes from BB·b, key words from
// BW·b + KW, the overflow word (ref + 1) at BW·b + OW; keyObj/elemObj slots from 8·b.
const BB = bucketsMod.bucketBytes;
const BW = bucketsMod.bucketWords;
const KW = bucketsMod.keysWord;
const OW = bucketsMod.overflowWord;
const bForHint = layout.bForHint;
const classicLayout = layout.classicLayout;
const nextslicecap = layout.nextslicecap;
const hash = hashKey;
const bucketShift = layout.bucketShift;
const overLoadFactor = layout.overLoadFactor;
const tooManyOverflowBuckets = layout.tooManyOverflowBuckets;
const tiny = isTiny;
const storeOf = chainSteps.storeOf;
const bucketOf = chainSteps.bucketOf;
const walkChain = chainSteps.walkChain;
const tophashOf = chainSteps.tophashOf;
const sizeOfAlloc = mallocSize;

const out = new Uint32Array(2); // hash scratch: [lo, hi]
const batchSize = 16; // writeKeys' batch (see insertKeys)
const batchLo = new Int32Array(batchSize);
const batchTop = new Int32Array(batchSize);
const readSink = { value: 0 }; // keeps writeKeys' reads ahead observable, so the JIT keeps them

// hashKey (hash.ts) for 0 ≤ key < 2^31 in two steps, the seed's terms computed once per seed.
const mix = fmix32;
let chain: Int32Array = new Int32Array(64); // delete's scratch: the refs of the chain walked so far

const evacuatedY = layout.evacuatedY;
export class ClassicMap implements MapImpl {
  /**
   * warm() works only from this many slots on: smaller bucket arrays mostly stay in
   * the CPU caches, and reading ahead would only cost time (measured: the article's
   * 1M-entry map ran 8% slower with it, 10M entries 5% faster). Tests lower it.
   */
  static warmMinSlots = 1 << 22;
  readonly layout: ClassicLayout;
  private readonly heap: Allocator;
  private readonly rules: MallocRules;
  private readonly loadFactorNum: number;

  // hmap
  private count = 0;
  private B = 0;
  private noverflow = 0;
  private hash0: number;
  private buckets: BucketArray | null = null;
  private oldbuckets: BucketArray | null = null;
  private nevacuate = 0;
  private sameSizeGrow = false;
  private hmap: number;

  // mapextra
  private extra = -1; // mapextra object handle
  private overflow: OverflowSlice | null = null;
  private oldoverflow: OverflowSlice | null = null;
  private nextOverflow = -1; // index of the next preallocated bucket in buckets, or -1

  /** Growths started so far: doubling and same-size (for pictures and tests). */
  readonly grows = { doubling: 0, sameSize: 0 };
  private readonly pool: OverflowPool;
  private rng: number; // incrnoverflow's and reseeding's random source (xorshift32)
  private bytesHeld = 0;
  /** Elems that differ from their key (see buckets.ts); empty in scenario runs. */
  private readonly elemOf = new Map<number, number>();
  private dropped = false;
  /** Some key was outside int32: every store keeps Float64 keys (buckets.ts). */
  private wideKeys = false;
  /** During writeKeys: the runtime's sync, keys done so far, and how many of them it has seen. */
  private wkSync: ((n: number) => void) | null = null;
  private wkDone = 0;
  private wkSynced = 0;
  /** The entry objects' door to the heap: writeKeys syncs there too (HeapGate). */
  private readonly gate: HeapGate;
  private readonly syncBeforeHeap = (): void => this.syncWrites();

  /** What entries point to: indirect objects, string bytes, backing arrays, new(T). */
  readonly objects: EntryObjects;

  constructor(opts: MapOptions) {
    this.layout = classicLayout(opts.key, opts.elem);
    this.heap = opts.heap;
    const vr = versionRules(opts.go);
    this.rules = { mallocHeader: vr.mallocHeader };
    this.loadFactorNum = vr.loadFactorNum;
    this.hash0 = opts.seed >>> 0;
    this.rng = (opts.seed ^ 0x2545f491) >>> 0 || 1;
    this.pool = new OverflowPool(this.layout.keyHasObject, this.layout.elemHasObject);
    const L = this.layout;
    this.gate = new HeapGate(opts.heap);
    this.objects = new EntryObjects(this.gate, L.key, L.elem, L.indirectKey, L.indirectElem, this.rules);
    // makemap / makemap_small
    this.hmap = this.alloc(hmapSize, false);
    const hint = opts.hint > 0 && Number.isFinite(opts.hint) ? opts.hint : 0;
    this.B = bForHint(hint, this.loadFactorNum);
    if (this.B !== 0) {
      this.buckets = this.makeBucketArray(this.B);
      if (this.nextOverflow >= 0) this.extra = this.alloc(mapextraSize, false);
    }
  }

  // ───────────────────────────── heap helpers ─────────────────────────────

  private objBytes(size: number, noscan: boolean): number {
    return tiny(size, noscan) ? size : sizeOfAlloc(size, noscan, this.rules);
  }

  private alloc(size: number, noscan: boolean): number {
    if (size === 0) return -1; // Go: &zerobase, no allocation
    if (this.wkSync !== null) this.syncWrites();
    this.bytesHeld += this.objBytes(size, noscan);
    return this.heap.alloc(size, noscan);
  }

  private free(h: number, size: number, noscan: boolean): void {
    if (h < 0) return;
    if (this.wkSync !== null) this.syncWrites();
    this.bytesHeld -= this.objBytes(size, noscan);
    this.heap.drop(h);
  }

  private dropKeyObj(h: number): void {
    this.objects.dropKey(h);
  }

  private dropElemObj(h: number): void {
    this.objects.dropElem(h);
  }

  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  // ───────────────────────────── allocation of buckets ─────────────────────────────

  /** makeBucketArray(t, b, nil): 2^b buckets, plus preallocated overflow when b ≥ 4. */
  private makeBucketArray(b: number): BucketArray {
    const L = this.layout;
    const base = bucketShift(b);
    let nbuckets = base;
    if (b >= 4) {
      nbuckets += bucketShift(b - 4);
      const sz = L.bucketSize * nbuckets;
      const up = roundupsize(sz, !L.bucketPointers, this.rules);
      if (up !== sz) nbuckets = Math.floor(up / L.bucketSize);
    }
    const bytes = L.bucketSize * nbuckets;
    const handle = this.alloc(bytes, !L.bucketPointers);
    const store = new BucketStore(nbuckets, L.keyHasObject, L.elemHasObject, this.wideKeys);
    this.nextOverflow = base !== nbuckets ? base : -1;
    return { store, B: b, handle, bytes };
  }

  private dropArray(a: BucketArray): void {
    this.free(a.handle, a.bytes, !this.layout.bucketPointers);
  }

  private dropPoolBucket(id: number): void {
    const h = this.pool.handle[id] ?? -1;
    this.pool.release(id);
    this.free(h, this.layout.bucketSize, !this.layout.bucketPointers);
  }

  private dropSlice(s: OverflowSlice | null, andBuckets: boolean): void {
    if (s === null) return;
    if (andBuckets) for (const id of s.pool) this.dropPoolBucket(id);
    this.free(s.array, s.arrayBytes, false);
    this.free(s.header, sliceHeaderSize, false);
  }

  /** newoverflow: chain a fresh bucket after `last` (a ref in `home`'s chain). */
  private newoverflow(home: BucketStore, last: number): number {
    const L = this.layout;
    let ref: number;
    let poolId = -1;
    const cur = this.buckets;
    if (this.nextOverflow >= 0 && cur !== null && home === cur.store) {
      ref = this.nextOverflow++;
      if (this.nextOverflow >= cur.store.nbuckets) this.nextOverflow = -1;
    } else {
      const h = this.alloc(L.bucketSize, !L.bucketPointers);
      poolId = this.pool.alloc(h);
      ref = -2 - poolId;
    }
    this.incrnoverflow();
    if (!L.bucketPointers) {
      // createOverflow + append(*h.extra.overflow, ovf)
      if (this.extra < 0) this.extra = this.alloc(mapextraSize, false);
      if (this.overflow === null) {
        this.overflow = {
          header: this.alloc(sliceHeaderSize, false),
          array: -1,
          arrayBytes: 0,
          len: 0,
          cap: 0,
          pool: [],
        };
      }
      const s = this.overflow;
      if (s.len === s.cap) {
        const capmem = roundupsize(nextslicecap(s.len + 1, s.cap) * ptrSize, false, this.rules);
        const arr = this.alloc(capmem, false);
        this.free(s.array, s.arrayBytes, false);
        s.array = arr;
        s.arrayBytes = capmem;
        s.cap = capmem / ptrSize;
      }
      s.len++;
      if (poolId >= 0) s.pool.push(poolId);
    }
    if (last >= 0) home.words[last * BW + OW] = ref + 1;
    else this.pool.store.words[(-2 - last) * BW + OW] = ref + 1;
    return ref;
  }

  private incrnoverflow(): void {
    if (this.B < 16) {
      this.noverflow++;
      return;
    }
    const mask = 2 ** (this.B - 15) - 1;
    if ((this.random() & mask) === 0) this.noverflow++;
  }

  // ───────────────────────────── growth ─────────────────────────────

  private hashGrow(): void {
    let bigger = 1;
    if (!overLoadFactor(this.count + 1, this.B, this.loadFactorNum)) {
      bigger = 0;
      this.sameSizeGrow = true;
      this.grows.sameSize++;
    } else this.grows.doubling++;
    this.oldbuckets = this.buckets;
    this.buckets = this.makeBucketArray(this.B + bigger);
    this.B += bigger;
    this.nevacuate = 0;
    this.noverflow = 0;
    if (this.overflow !== null) {
      if (this.oldoverflow !== null) throw new Error("classic map: oldoverflow is not nil");
      this.oldoverflow = this.overflow;
      this.overflow = null;
    }
    if (this.nextOverflow >= 0 && this.extra < 0) this.extra = this.alloc(mapextraSize, false);
  }

  private oldbucketmask(): number {
    return this.oldbuckets === null ? 0 : bucketShift(this.oldbuckets.B) - 1;
  }

  private growWork(bucket: number): void {
    this.evacuate(bucket & this.oldbucketmask());
    if (this.oldbuckets !== null) this.evacuate(this.nevacuate);
  }

  private evacuated(old: BucketStore, b: number): boolean {
    const h = old.tophash[b * BB] as number;
    return h > emptyOne && h < minTopHash;
  }

  private evacuate(oldbucket: number): void {
    const old = this.oldbuckets;
    const cur = this.buckets;
    if (old === null || cur === null) return;
    const newbit = bucketShift(old.B);
    const h = old.store.tophash[oldbucket * BB] as number;
    if (!(h > emptyOne && h < minTopHash)) this.evacuateChain(old.store, oldbucket, newbit, cur.store);
    if (oldbucket === this.nevacuate) this.advanceEvacuationMark(newbit);
  }

  /**
   * evacuate's body for an old bucket not yet evacuated: every entry of its chain moves
   * to X (bucket oldbucket of the new array) or Y (oldbucket + newbit), as Go's xy
   * [2]evacDst; a same-size growth uses only X. Each destination is a ref, the next
   * slot in it, and that slot's index in its store.
   */
  private evacuateChain(os: BucketStore, oldbucket: number, newbit: number, ns: BucketStore): void {
    const L = this.layout;
    const pool = this.pool.store;
    const objects = L.keyHasObject || L.elemHasObject;
    let xRef = oldbucket;
    let xSt = ns;
    let xB = oldbucket; // X's bucket in xSt, and its next slot
    let xI = 0;
    let yRef = oldbucket + newbit;
    let ySt = ns;
    let yB = yRef;
    let yI = 0;
    const hash0 = this.hash0;
    const sLo = seedLo(hash0);
    const sameSize = this.sameSizeGrow;
    let st = os;
    let b = oldbucket;
    for (;;) {
      const tb = b * BB;
      const kb = b * BW + KW;
      const th = st.tophash;
      const ks = st.keys;
      for (let i = 0; i < bucketCnt; i++) {
        const top = th[tb + i] as number;
        if (top <= emptyOne) {
          th[tb + i] = evacuatedEmpty;
          continue;
        }
        const k = ks[kb + i] as number;
        let useY = false;
        if (!sameSize) {
          let lo: number;
          if (k >= 0 && (k | 0) === k) lo = mix(k ^ sLo);
          else {
            hash(k, hash0, out);
            lo = out[0] as number;
          }
          useY = (lo & newbit) !== 0;
        }
        let ds: BucketStore;
        let db: number;
        let di: number;
        if (useY) {
          th[tb + i] = evacuatedY;
          if (yI === bucketCnt) {
            yRef = this.newoverflow(ns, yRef);
            ySt = storeOf(yRef, ns, pool);
            yB = bucketOf(yRef);
            yI = 0;
          }
          ds = ySt;
          db = yB;
          di = yI++;
        } else {
          th[tb + i] = evacuatedX;
          if (xI === bucketCnt) {
            xRef = this.newoverflow(ns, xRef);
            xSt = storeOf(xRef, ns, pool);
            xB = bucketOf(xRef);
            xI = 0;
          }
          ds = xSt;
          db = xB;
          di = xI++;
        }
        ds.tophash[db * BB + di] = top;
        ds.keys[db * BW + KW + di] = k;
        if (objects) {
          const s = b * bucketCnt + i;
          const d = db * bucketCnt + di;
          const sko = st.keyObj;
          const dko = ds.keyObj;
          if (sko !== null && dko !== null) {
            dko[d] = sko[s] as number;
            sko[s] = 0;
          }
          const seo = st.elemObj;
          const deo = ds.elemObj;
          if (seo !== null && deo !== null) {
            deo[d] = seo[s] as number;
            seo[s] = 0;
          }
        }
      }
      const next = (st.words[b * BW + OW] as number) - 1;
      if (next === NIL) break;
      st = storeOf(next, os, pool);
      b = bucketOf(next);
    }
    if (L.bucketPointers) {
      // memclr of the first bucket's keys, elems and overflow pointer: the rest of
      // the chain is unreachable now. Preallocated buckets stay inside the array.
      let ref = os.next(oldbucket);
      os.setNext(oldbucket, NIL);
      while (ref !== NIL) {
        if (ref >= 0) ref = os.next(ref);
        else {
          const id = -2 - ref;
          ref = pool.next(id);
          this.dropPoolBucket(id);
        }
      }
    }
  }

  private advanceEvacuationMark(newbit: number): void {
    const old = this.oldbuckets;
    if (old === null) return;
    let nev = this.nevacuate + 1;
    const stop = Math.min(nev + 1024, newbit);
    const th = old.store.tophash;
    for (; nev !== stop; nev++) {
      const h = th[nev * BB] as number;
      if (!(h > emptyOne && h < minTopHash)) break; // not evacuated
    }
    this.nevacuate = nev;
    if (nev === newbit) {
      // Growth done: the old array and (noscan) the old overflow buckets die.
      this.dropArray(old);
      this.oldbuckets = null;
      this.dropSlice(this.oldoverflow, true);
      this.oldoverflow = null;
      this.sameSizeGrow = false;
    }
  }

  // ───────────────────────────── MapImpl ─────────────────────────────

  get len(): number {
    return this.count;
  }

  set(key: number, elem: number = key): void {
    const L = this.layout;
    this.assertAlive();
    // The program's own allocations for this statement: key(i), then elem(i).
    const objs = this.objects;
    const newKeyData = objs.keyHasProgram ? objs.programKey() : NONE;
    const newElemData = objs.elemHasProgram ? objs.programElem() : NONE;

    if ((key | 0) !== key && !this.wideKeys) this.widenKeys();
    hash(key, this.hash0, out);
    const lo = out[0] as number;
    const top = tophashOf(out[1] as number);
    if (this.buckets === null) {
      // newobject(t.Bucket): a one-bucket array (B = 0).
      const handle = this.alloc(L.bucketSize, !L.bucketPointers);
      this.buckets = {
        store: new BucketStore(1, L.keyHasObject, L.elemHasObject, this.wideKeys),
        B: 0,
        handle,
        bytes: L.bucketSize,
      };
    }
    this.assign(key, elem, lo, top, newKeyData, newElemData);
  }

  /**
   * mapassign after the hash (`again:` onwards): growWork, find the key or the first
   * free slot, grow or chain an overflow bucket if needed, store. set() and writeKeys
   * share it; the bucket array exists and the key fits the key store.
   */
  private assign(
    key: number,
    elem: number,
    lo: number,
    top: number,
    newKeyData: number,
    newElemData: number,
  ): void {
    const objs = this.objects;
    for (;;) {
      const bucket = lo & (bucketShift(this.B) - 1);
      if (this.oldbuckets !== null) this.growWork(bucket);
      const home = (this.buckets as BucketArray).store;
      const pool = this.pool.store;
      let st = home;
      let b = bucket;
      let last = bucket; // ref of the last bucket in the chain
      let insSt: BucketStore | null = null;
      let insB = -1; // the free slot: bucket insB of insSt, slot insI
      let insI = -1;
      search: for (;;) {
        const tb = b * BB;
        const th = st.tophash;
        for (let i = 0; i < bucketCnt; i++) {
          const t = th[tb + i] as number;
          if (t !== top) {
            if (t <= emptyOne && insSt === null) {
              insSt = st;
              insB = b;
              insI = i;
            }
            if (t === emptyRest) break search;
            continue;
          }
          if (st.keys[b * BW + KW + i] !== key) continue;
          // Update in place.
          const s = b * bucketCnt + i;
          if (st.keyObj !== null) st.keyObj[s] = objs.updateKey((st.keyObj[s] as number) - 1, newKeyData) + 1;
          if (st.elemObj !== null)
            st.elemObj[s] = objs.updateElem((st.elemObj[s] as number) - 1, newElemData) + 1;
          this.setElem(key, elem);
          return;
        }
        const next = (st.words[b * BW + OW] as number) - 1;
        if (next === NIL) break;
        last = next;
        st = storeOf(next, home, pool);
        b = bucketOf(next);
      }
      if (
        this.oldbuckets === null &&
        (overLoadFactor(this.count + 1, this.B, this.loadFactorNum) ||
          tooManyOverflowBuckets(this.noverflow, this.B))
      ) {
        this.hashGrow();
        continue; // "goto again"
      }
      if (insSt === null) {
        const ref = this.newoverflow(home, last);
        insSt = storeOf(ref, home, this.pool.store);
        insB = bucketOf(ref);
        insI = 0;
      }
      const insSlot = insB * bucketCnt + insI;
      if (insSt.keyObj !== null) insSt.keyObj[insSlot] = objs.insertKey(newKeyData) + 1;
      if (insSt.elemObj !== null) insSt.elemObj[insSlot] = objs.insertElem(newElemData) + 1;
      insSt.keys[insB * BW + KW + insI] = key;
      this.setElem(key, elem);
      insSt.tophash[insB * BB + insI] = top;
      this.count++;
      return;
    }
  }

  /**
   * MapImpl.writeKeys: set(k) or delete(k) for k = from, from + step, … < to, at most
   * `limit` keys, with the per-call work hoisted: the hash seed's half of the hash is
   * computed once per seed, and the runtime ticks once per run instead of per key.
   * Each key goes through assign / deleteHashed, the same code set and delete run, so
   * growth, evacuation and overflow chains happen exactly as key by key; keys that
   * set() must prepare (the map's first bucket, a key outside int32) go through set().
   * alloc and free, the only ways to the heap, first sync the writes done so far.
   */
  writeKeys(
    del: boolean,
    from: number,
    to: number,
    step: number,
    limit: number,
    sync: (n: number) => void,
  ): number {
    this.assertAlive();
    this.wkSync = sync;
    this.wkDone = 0;
    this.wkSynced = 0;
    this.gate.before = this.syncBeforeHeap;
    try {
      return del ? this.deleteKeys(from, to, step, limit) : this.insertKeys(from, to, step, limit);
    } finally {
      this.wkSync = null;
      this.gate.before = null;
    }
  }

  private insertKeys(from: number, to: number, step: number, limit: number): number {
    let done = 0;
    let k = from;
    const seed = this.hash0; // inserts never reseed (only a delete of the last entry does)
    const sLo = seedLo(seed);
    const sHi = seedHi(seed);
    const bl = batchLo;
    const bt = batchTop;
    const objs = this.objects;
    // The program's own objects for key(i) and elem(i), allocated (through the gate,
    // so at the clock of key i) before mapassign runs, as set() does.
    const program = objs.keyHasProgram || objs.elemHasProgram;
    let sink = 0;
    while (done < limit && k < to) {
      // A batch of keys: first hash them all and read the tophash word of each one's
      // bucket (and, while growing, of the old bucket it evacuates and of both buckets
      // that one splits into), loads close together so that their cache misses overlap;
      // then write them one by one as set() does. The reads change nothing: if the map
      // grows inside the batch, they only warmed the wrong lines.
      const n = Math.min(batchSize, limit - done, Math.ceil((to - k) / step));
      const cur = this.buckets;
      if (cur !== null && n > 1 && k >= 0 && k + (n - 1) * step <= 0x7fffffff) {
        sink += this.readBatch(cur, k, n, step, sLo, sHi);
        if (program)
          for (let j = 0; j < n; j++, done++, k += step) {
            this.wkDone = done;
            const nk = objs.keyHasProgram ? objs.programKey() : NONE;
            const ne = objs.elemHasProgram ? objs.programElem() : NONE;
            this.assign(k, k, bl[j] as number, bt[j] as number, nk, ne);
          }
        else
          for (let j = 0; j < n; j++, done++, k += step) {
            this.wkDone = done;
            this.assign(k, k, bl[j] as number, bt[j] as number, NONE, NONE);
          }
        continue;
      }
      // One key the batch does not cover: the first bucket, a key outside 0 … 2^31 − 1.
      this.wkDone = done;
      if (k < 0 || (k | 0) !== k || cur === null || program) this.set(k);
      else {
        const lo = mix(k ^ sLo);
        this.assign(k, k, lo, tophashOf(mix(lo ^ sHi)), NONE, NONE);
      }
      done++;
      k += step;
    }
    readSink.value = sink;
    return done;
  }

  private deleteKeys(from: number, to: number, step: number, limit: number): number {
    let done = 0;
    let k = from;
    // The seed changes only when the last entry goes; every later delete of the call
    // then finds an empty map and does nothing, so hashes computed ahead stay right.
    const seed = this.hash0;
    const sLo = seedLo(seed);
    const sHi = seedHi(seed);
    const bl = batchLo;
    const bt = batchTop;
    let sink = 0;
    while (done < limit && k < to) {
      const n = Math.min(batchSize, limit - done, Math.ceil((to - k) / step));
      const cur = this.buckets;
      if (this.count === 0 || cur === null) {
        // delete(k) on an empty map does nothing.
        done += n;
        k += n * step;
        continue;
      }
      if (n > 1 && k >= 0 && k + (n - 1) * step <= 0x7fffffff) {
        // As insertKeys: hash the batch and read its buckets together, then delete.
        sink += this.readBatch(cur, k, n, step, sLo, sHi);
        for (let j = 0; j < n; j++, done++, k += step) {
          if (this.count === 0) continue;
          this.wkDone = done;
          this.deleteHashed(k, bl[j] as number, bt[j] as number);
        }
        continue;
      }
      this.wkDone = done;
      hash(k, seed, out);
      this.deleteHashed(k, out[0] as number, tophashOf(out[1] as number));
      done++;
      k += step;
    }
    readSink.value = sink;
    return done;
  }

  /**
   * writeKeys' batch: hash keys k, k + step, … (n of them) into batchLo / batchTop and
   * read the tophash word of each one's bucket (and, while growing, of the old bucket
   * it evacuates and of both buckets that one splits into), changing nothing; returns
   * a sum of what it read, for readSink.
   */
  private readBatch(cur: BucketArray, k: number, n: number, step: number, sLo: number, sHi: number): number {
    const bl = batchLo;
    const bt = batchTop;
    const th = cur.store.tophash;
    const mask = bucketShift(cur.B) - 1;
    let sink = 0;
    for (let j = 0, kj = k; j < n; j++, kj += step) {
      const lo = mix(kj ^ sLo);
      bl[j] = lo;
      bt[j] = tophashOf(mix(lo ^ sHi));
      sink += th[(lo & mask) * BB] as number;
    }
    // Entries that own heap objects keep their handles in columns of their own
    // (keyObj, elemObj): a write reads or writes its slot's there too.
    const ko = cur.store.keyObj;
    const eo = cur.store.elemObj;
    if (ko !== null || eo !== null) {
      const col = (ko ?? eo) as Int32Array;
      for (let j = 0; j < n; j++) sink += col[((bl[j] as number) & mask) * bucketCnt] as number;
      if (ko !== null && eo !== null)
        for (let j = 0; j < n; j++) sink += eo[((bl[j] as number) & mask) * bucketCnt] as number;
    }
    const old = this.oldbuckets;
    if (old !== null) {
      const oth = old.store.tophash;
      const omask = bucketShift(old.B) - 1;
      const newbit = omask + 1;
      for (let j = 0; j < n; j++) {
        const ob = (bl[j] as number) & omask;
        sink += (oth[ob * BB] as number) + (th[(ob + newbit) * BB] as number) + (th[ob * BB] as number);
      }
      const oko = old.store.keyObj ?? old.store.elemObj;
      const col = ko ?? eo;
      if (oko !== null && col !== null)
        for (let j = 0; j < n; j++) {
          const ob = (bl[j] as number) & omask;
          sink +=
            (oko[ob * bucketCnt] as number) +
            (col[ob * bucketCnt] as number) +
            (col[(ob + newbit) * bucketCnt] as number);
        }
    }
    return sink;
  }

  /** Before any heap call during writeKeys: the runtime's clock catches up with the writes done. */
  private syncWrites(): void {
    const n = this.wkDone - this.wkSynced;
    if (n > 0 && this.wkSync !== null) {
      this.wkSynced = this.wkDone;
      this.wkSync(n);
    }
  }

  /**
   * Reads the tophash word of the bucket a write of `key` goes to (and, during a
   * growth, of the old bucket it evacuates first), changing nothing (see MapImpl.warm):
   * range loops call it a few keys ahead so that the cache misses of consecutive keys
   * overlap.
   */
  warm(key: number): number {
    const cur = this.buckets;
    if (cur === null || bucketShift(this.B) * bucketCnt < ClassicMap.warmMinSlots) return 0;
    hash(key, this.hash0, out);
    const lo = out[0] as number;
    let v = cur.store.tophash[(lo & (bucketShift(this.B) - 1)) * BB] as number;
    const old = this.oldbuckets;
    if (old !== null) v += old.store.tophash[(lo & (bucketShift(old.B) - 1)) * BB] as number;
    return v;
  }

  private widenKeys(): void {
    this.wideKeys = true;
    this.buckets?.store.widenKeys();
    this.oldbuckets?.store.widenKeys();
    this.pool.store.widenKeys();
  }

  private setElem(key: number, elem: number): void {
    if (elem !== key) this.elemOf.set(key, elem);
    else if (this.elemOf.size > 0) this.elemOf.delete(key);
  }

  /** Locate key: returns the store and slot, or null. No growth work (Go: mapaccess). */
  private find(key: number): { st: BucketStore; slot: number } | null {
    if (this.count === 0 || this.buckets === null) return null;
    hash(key, this.hash0, out);
    const lo = out[0] ?? 0;
    const top = tophashOf(out[1] ?? 0);
    let home = this.buckets.store;
    let b = lo & (bucketShift(this.B) - 1);
    const old = this.oldbuckets;
    if (old !== null) {
      const ob = lo & (bucketShift(old.B) - 1);
      if (!this.evacuated(old.store, ob)) {
        home = old.store;
        b = ob;
      }
    }
    const pool = this.pool.store;
    let st = home;
    for (;;) {
      for (let i = 0; i < bucketCnt; i++) {
        const t = st.tophash[b * BB + i] as number;
        if (t === emptyRest) return null;
        if (t === top && st.keys[b * BW + KW + i] === key) return { st, slot: b * bucketCnt + i };
      }
      const next = (st.words[b * BW + OW] as number) - 1;
      if (next === NIL) return null;
      st = storeOf(next, home, pool);
      b = bucketOf(next);
    }
  }

  get(key: number): number | undefined {
    const f = this.find(key);
    return f === null ? undefined : (this.elemOf.get(key) ?? key);
  }

  has(key: number): boolean {
    return this.find(key) !== null;
  }

  delete(key: number): void {
    this.assertAlive();
    if (this.count === 0 || this.buckets === null) return;
    hash(key, this.hash0, out);
    this.deleteHashed(key, out[0] as number, tophashOf(out[1] as number));
  }

  /** mapdelete after the hash: growWork, then find the key and clear its slot. */
  private deleteHashed(key: number, lo: number, top: number): void {
    const bucket = lo & (bucketShift(this.B) - 1);
    if (this.oldbuckets !== null) this.growWork(bucket);
    const home = (this.buckets as BucketArray).store;
    const pool = this.pool.store;
    let st = home;
    let b = bucket;
    let depth = 0; // chain[0..depth] are the refs visited, for walking emptyRest back
    chain[0] = bucket;
    for (;;) {
      const tb = b * BB;
      const kb = b * BW + KW;
      const th = st.tophash;
      const ks = st.keys;
      for (let i = 0; i < bucketCnt; i++) {
        const t = th[tb + i] as number;
        if (t !== top) {
          if (t === emptyRest) return;
          continue;
        }
        if (ks[kb + i] !== key) continue;
        const s = b * bucketCnt + i;
        if (st.keyObj !== null) {
          this.dropKeyObj((st.keyObj[s] ?? 0) - 1);
          st.keyObj[s] = 0;
        }
        if (st.elemObj !== null) {
          this.dropElemObj((st.elemObj[s] ?? 0) - 1);
          st.elemObj[s] = 0;
        }
        th[tb + i] = emptyOne;
        if (this.elemOf.size > 0) this.elemOf.delete(key);
        this.markEmptyRest(home, depth, i);
        this.count--;
        if (this.count === 0) this.hash0 = this.random();
        return;
      }
      const next = (st.words[b * BW + OW] as number) - 1;
      if (next === NIL) return;
      if (++depth >= chain.length) chain = grown(chain, chain.length * 2);
      chain[depth] = next;
      st = storeOf(next, home, pool);
      b = bucketOf(next);
    }
  }

  /**
   * MapImpl.deleteRange: for a range as large as a quarter of the slots, one pass over
   * the bucket array in memory order: each chain loses its keys in the range, and the
   * empty slots after its last remaining entry become emptyRest, as mapdelete's tail
   * leaves them whatever the order of the deletes. Not while a growth is under way:
   * every delete then evacuates, and evacuation allocates overflow buckets, which must
   * see the runtime's clock at their own write, so it returns false and the runtime
   * takes writeKeys. Entries that own heap objects keep their chains' heads, by key,
   * through the pass, and drop them after it in key order, each after `sync`.
   */
  deleteRange(
    from: number,
    to: number,
    step: number,
    deleted: Uint8Array | null = null,
    sync?: (n: number) => void,
  ): boolean {
    const L = this.layout;
    const owns = L.keyHasObject || L.elemHasObject;
    if (owns && sync === undefined) return false;
    this.assertAlive();
    if (this.oldbuckets !== null) return false;
    let k = from;
    const cur = this.buckets;
    if (k >= to || this.count === 0 || cur === null) return true;
    const n = Math.ceil((to - k) / step);
    if (n * 4 < cur.store.nbuckets * bucketCnt) {
      if (owns) return false; // writeKeys, with its syncs
      for (; k < to; k += step) {
        const n = this.count;
        this.delete(k);
        if (deleted !== null && this.count < n) deleted[(k - from) / step] = 1;
      }
      return true;
    }
    const home = cur.store;
    const pool = this.pool.store;
    const elemOf = this.elemOf;
    const before = this.count;
    let count = before;
    const nb = bucketShift(cur.B);
    // Entries that own objects: each deleted key's chain heads (as keyObj/elemObj hold
    // them, head + 1), by (key − from) / step, and which keys were deleted.
    const kh = owns && cur.store.keyObj !== null ? new Int32Array(n) : null;
    const eh = owns && cur.store.elemObj !== null ? new Int32Array(n) : null;
    const mark = owns ? (deleted ?? new Uint8Array(n)) : deleted;
    for (let b0 = 0; b0 < nb; b0++) {
      let st = home;
      let b = b0;
      let depth = 0;
      let lastD = -1; // the last slot still occupied: chain[lastD], slot lastI
      let lastI = -1;
      let endI = bucketCnt; // where the walk stopped in chain[depth] (an emptyRest slot, or the end)
      chain[0] = b0;
      walk: for (;;) {
        const tb = b * BB;
        const kb = b * BW + KW;
        const th = st.tophash;
        const ks = st.keys;
        for (let i = 0; i < bucketCnt; i++) {
          const t = th[tb + i] as number;
          if (t < minTopHash) {
            if (t === emptyRest) {
              endI = i;
              break walk;
            }
            continue;
          }
          const key = ks[kb + i] as number;
          if (key >= k && key < to && (step === 1 || (key - k) % step === 0)) {
            th[tb + i] = emptyOne;
            count--;
            const j = (key - from) / step;
            if (mark !== null) mark[j] = 1;
            if (owns) {
              const s = b * bucketCnt + i;
              const ko = st.keyObj;
              const eo = st.elemObj;
              if (kh !== null && ko !== null) {
                kh[j] = ko[s] as number;
                ko[s] = 0;
              }
              if (eh !== null && eo !== null) {
                eh[j] = eo[s] as number;
                eo[s] = 0;
              }
            }
            if (elemOf.size > 0) elemOf.delete(key);
          } else {
            lastD = depth;
            lastI = i;
          }
        }
        const next = (st.words[b * BW + OW] as number) - 1;
        if (next === NIL) break;
        if (++depth >= chain.length) chain = grown(chain, chain.length * 2);
        chain[depth] = next;
        st = storeOf(next, home, pool);
        b = bucketOf(next);
      }
      // Every slot after (lastD, lastI) and before the stop is empty: emptyRest.
      for (let d = depth; d >= 0 && d >= lastD; d--) {
        const ref = chain[d] as number;
        const th = storeOf(ref, home, pool).tophash;
        const base = bucketOf(ref) * BB;
        const hi = d === depth ? endI : bucketCnt;
        const lo = d === lastD ? lastI + 1 : 0;
        for (let i = hi - 1; i >= lo; i--) th[base + i] = emptyRest;
      }
    }
    this.count = count;
    if (before > 0 && count === 0) this.hash0 = this.random();
    if (owns && mark !== null && sync !== undefined)
      // deleteHashed's drops, in the order and at the clock of the key-by-key deletes.
      dropInKeyOrder(mark, n, sync, (j) => {
        if (kh !== null) this.dropKeyObj((kh[j] as number) - 1);
        if (eh !== null) this.dropElemObj((eh[j] as number) - 1);
      });
    return true;
  }

  /**
   * mapdelete's tail: if nothing follows slot i of the last visited bucket
   * (chain[depth]), turn the run of emptyOne slots ending there into emptyRest,
   * walking back through the chain.
   */
  private markEmptyRest(home: BucketStore, depth: number, i0: number): void {
    const pool = this.pool.store;
    let d = depth;
    let ref = chain[d] as number;
    let st = storeOf(ref, home, pool);
    let b = bucketOf(ref);
    let i = i0;
    if (i === bucketCnt - 1) {
      const next = st.next(b);
      if (next !== NIL) {
        const ns = storeOf(next, home, pool);
        const nb = bucketOf(next);
        if (ns.tophash[nb * BB] !== emptyRest) return;
      }
    } else if (st.tophash[b * BB + i + 1] !== emptyRest) return;
    for (;;) {
      st.tophash[b * BB + i] = emptyRest;
      if (i === 0) {
        if (d === 0) break;
        d--;
        ref = chain[d] as number;
        st = storeOf(ref, home, pool);
        b = bucketOf(ref);
        i = bucketCnt - 1;
      } else i--;
      if (st.tophash[b * BB + i] !== emptyOne) break;
    }
  }

  clear(): void {
    this.assertAlive();
    if (this.count === 0 || this.buckets === null) return;
    // Drop what live slots point to (current array and unevacuated old buckets).
    this.forEachChain((st, b) => {
      for (let i = 0; i < bucketCnt; i++) {
        const s = b * bucketCnt + i;
        if (st.top(b, i) >= minTopHash) {
          if (st.keyObj !== null) this.dropKeyObj((st.keyObj[s] ?? 0) - 1);
          if (st.elemObj !== null) this.dropElemObj((st.elemObj[s] ?? 0) - 1);
        }
      }
    });
    // Every pool bucket dies: the current chains are cut by zeroing the array, the old
    // chains die with the old array, the overflow slices are dropped with mapextra's fields.
    this.dropSlice(this.overflow, false);
    this.dropSlice(this.oldoverflow, false);
    this.overflow = null;
    this.oldoverflow = null;
    for (let id = 0; id < this.pool.handle.length; id++) {
      if ((this.pool.handle[id] ?? -1) >= 0) this.dropPoolBucket(id);
    }
    if (this.oldbuckets !== null) this.dropArray(this.oldbuckets);
    this.oldbuckets = null;
    this.sameSizeGrow = false;
    this.nevacuate = 0;
    this.noverflow = 0;
    this.count = 0;
    this.elemOf.clear();
    this.hash0 = this.random();
    const cur = this.buckets;
    cur.store.resetAll();
    const base = bucketShift(cur.B);
    this.nextOverflow = cur.store.nbuckets !== base ? base : -1;
  }

  /** Visit every bucket of every live chain: current array, then unevacuated old buckets. */
  private forEachChain(fn: (st: BucketStore, b: number) => void): void {
    const pool = this.pool.store;
    const cur = this.buckets;
    if (cur !== null) for (let b = 0; b < bucketShift(cur.B); b++) walkChain(cur.store, pool, b, fn);
    const old = this.oldbuckets;
    if (old !== null) {
      for (let b = 0; b < bucketShift(old.B); b++)
        if (!this.evacuated(old.store, b)) walkChain(old.store, pool, b, fn);
    }
  }

  *keys(): Iterable<number> {
    const found: number[] = [];
    this.forEachChain((st, b) => {
      for (let i = 0; i < bucketCnt; i++) {
        if (st.top(b, i) >= minTopHash) found.push(st.key(b, i));
      }
    });
    yield* found;
  }

  /** Every (key, elem) pair, for recreate. */
  entries(): [number, number][] {
    const found: [number, number][] = [];
    this.forEachChain((st, b) => {
      for (let i = 0; i < bucketCnt; i++) {
        if (st.top(b, i) >= minTopHash) {
          const k = st.key(b, i);
          found.push([k, this.elemOf.get(k) ?? k]);
        }
      }
    });
    return found;
  }

  drop(): void {
    if (this.dropped) return;
    this.forEachChain((st, b) => {
      for (let i = 0; i < bucketCnt; i++) {
        const s = b * bucketCnt + i;
        if (st.top(b, i) >= minTopHash) {
          if (st.keyObj !== null) this.dropKeyObj((st.keyObj[s] ?? 0) - 1);
          if (st.elemObj !== null) this.dropElemObj((st.elemObj[s] ?? 0) - 1);
        }
      }
    });
    this.dropSlice(this.overflow, false);
    this.dropSlice(this.oldoverflow, false);
    for (let id = 0; id < this.pool.handle.length; id++) {
      if ((this.pool.handle[id] ?? -1) >= 0) this.dropPoolBucket(id);
    }
    if (this.buckets !== null) this.dropArray(this.buckets);
    if (this.oldbuckets !== null) this.dropArray(this.oldbuckets);
    this.free(this.extra, mapextraSize, false);
    this.free(this.hmap, hmapSize, false);
    this.buckets = null;
    this.oldbuckets = null;
    this.overflow = null;
    this.oldoverflow = null;
    this.count = 0;
    this.dropped = true;
  }

  private assertAlive(): void {
    if (this.dropped) throw new Error("classic map: used after drop (m = nil)");
  }

  objectBytes(): number {
    return this.objects.bytes;
  }

  internals(): ClassicInternals {
    return classicInternals(this.debugView());
  }

  /** The picture's data (view.ts). */
  view(maxBins: number): ClassicView {
    return classicView(this.debugView(), maxBins);
  }

  checkInvariants(): void {
    if (!this.dropped) checkClassicInvariants(this.debugView());
  }

  /** The state the debug functions read (debug.ts), as Go's table_debug.go reads the table's fields. */
  private debugView(): ClassicDebugView {
    return {
      layout: this.layout,
      heap: this.heap,
      count: this.count,
      B: this.B,
      noverflow: this.noverflow,
      hash0: this.hash0,
      buckets: this.buckets,
      oldbuckets: this.oldbuckets,
      nevacuate: this.nevacuate,
      sameSizeGrow: this.sameSizeGrow,
      nextOverflow: this.nextOverflow,
      overflowLen: this.overflow?.len ?? 0,
      hasOldoverflow: this.oldoverflow !== null,
      pool: this.pool.store,
      bytes: this.bytesHeld + this.objects.bytes,
      keyChain: (h) => this.objects.keyChain(h),
      elemChain: (h) => this.objects.elemChain(h),
      evacuated: (old, b) => this.evacuated(old, b),
    };
  }
}
