/**
 * Bucket storage for the classic map: the contents of bmap structs in typed arrays.
 *
 * Follows the bucket layout of Go 1.23 src/runtime/map.go (see layout.ts). Nothing
 * here allocates Go memory; it only holds what the buckets contain so the map can be
 * checked entry by entry. The map (map.ts) decides which heap object each bucket
 * belongs to.
 *
 * Terminology
 *   store    one run of buckets: a bucket array (2^B buckets plus any preallocated
 *            overflow buckets, one Go heap object), or the map's overflow pool
 *            (buckets allocated one at a time by newoverflow, one heap object each).
 *   ref      a bucket reference inside an overflow chain. A chain starts in a bucket
 *            array (its "home") and only ever continues in that same array
 *            (preallocated overflow buckets) or in the pool, so a ref is:
 *              ref ≥ 0   bucket `ref` of the chain's home array
 *              ref = -1  nil (end of chain)
 *              ref ≤ -2  pool bucket -2 - ref
 *   slot     one of a bucket's 8 (tophash, key, elem) triples: index bucket·8 + i.
 *
 * Per slot: tophash (Uint8), key (the scenario integer: Int32 while every key the
 * map has seen fits in 32 bits, as every scenario's does, else Float64), and, when
 * the types need them, keyObj/elemObj: the heap handle the slot points to, plus one (0: none, so a
 * fresh array needs no filling).
 * Per bucket: overflow (a ref). Elems are not stored per slot: an entry's elem is its
 * key unless set() was given another value, which the map keeps in a side table
 * (scenarios never do; tests do), so a ten-million-entry map carries 5 bytes a slot.
 * Narrow keys halve the memory the hot loops touch, which is what their speed
 * depends on; the first key outside int32 widens every store of the map (widenKeys).
 */
import { grown } from "../typed-array.ts";
import { bucketCnt as BUCKET_CNT } from "./layout.ts";

const bucketCnt = BUCKET_CNT; // a local binding (see map.ts)

export const NIL = -1; // end of an overflow chain

export class BucketStore {
  tophash: Uint8Array;
  keys: Int32Array | Float64Array;
  keyObj: Int32Array | null;
  elemObj: Int32Array | null;
  overflow: Int32Array;
  /** Buckets this store holds (capacity, for the pool). */
  nbuckets: number;

  constructor(nbuckets: number, keyObj: boolean, elemObj: boolean, wideKeys: boolean) {
    this.nbuckets = nbuckets;
    const slots = nbuckets * bucketCnt;
    this.tophash = new Uint8Array(slots);
    this.keys = wideKeys ? new Float64Array(slots) : new Int32Array(slots);
    this.keyObj = keyObj ? new Int32Array(slots) : null;
    this.elemObj = elemObj ? new Int32Array(slots) : null;
    this.overflow = new Int32Array(nbuckets).fill(NIL);
  }

  /** Store keys as Float64 from now on: a key outside int32 is about to arrive. */
  widenKeys(): void {
    if (!(this.keys instanceof Float64Array)) this.keys = Float64Array.from(this.keys);
  }

  /** Zero one bucket, as a fresh or cleared Go bucket is. */
  resetBucket(b: number): void {
    const s = b * bucketCnt;
    this.tophash.fill(0, s, s + bucketCnt);
    this.keyObj?.fill(0, s, s + bucketCnt);
    this.elemObj?.fill(0, s, s + bucketCnt);
    this.overflow[b] = NIL;
  }

  /** Zero every bucket (makeBucketArray with a dirty allocation). */
  resetAll(): void {
    this.tophash.fill(0);
    this.keyObj?.fill(0);
    this.elemObj?.fill(0);
    this.overflow.fill(NIL);
  }

  /** Grow to hold at least n buckets, keeping contents (the pool only). */
  growTo(n: number): void {
    let cap = this.nbuckets;
    while (cap < n) cap = Math.max(16, cap * 2);
    if (cap === this.nbuckets) return;
    const slots = cap * bucketCnt;
    this.tophash = grown(this.tophash, slots);
    this.keys = grown(this.keys, slots);
    if (this.keyObj !== null) this.keyObj = grown(this.keyObj, slots);
    if (this.elemObj !== null) this.elemObj = grown(this.elemObj, slots);
    this.overflow = grown(this.overflow, cap, NIL);
    this.nbuckets = cap;
  }
}

/** The overflow pool: buckets allocated one by one, recycled through a free list. */
export class OverflowPool {
  readonly store: BucketStore;
  /** Heap handle of each pool bucket (Go: the object newobject(t.Bucket) returned). */
  handle: Int32Array;
  private free: number[] = [];
  private top = 0;
  inUse = 0;

  constructor(keyObj: boolean, elemObj: boolean) {
    this.store = new BucketStore(0, keyObj, elemObj, false);
    this.handle = new Int32Array(0);
  }

  alloc(heapHandle: number): number {
    let id: number;
    if (this.free.length > 0) id = this.free.pop() ?? 0;
    else {
      id = this.top++;
      if (id >= this.store.nbuckets) {
        this.store.growTo(id + 1);
        this.handle = grown(this.handle, this.store.nbuckets, -1);
      }
    }
    this.store.resetBucket(id);
    this.handle[id] = heapHandle;
    this.inUse++;
    return id;
  }

  release(id: number): void {
    this.handle[id] = -1;
    this.free.push(id);
    this.inUse--;
  }
}

/** A bucket array: one heap object of `nbuckets` buckets, 2^B of them addressed by hash. */
export interface BucketArray {
  readonly store: BucketStore;
  readonly B: number;
  readonly handle: number;
  readonly bytes: number;
}
