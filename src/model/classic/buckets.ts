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
 * A bucket is 12 words (48 bytes) of one Int32Array, `words`, in Go's own order:
 *
 *   words  0–1   tophash: 8 bytes, slot i's at byte 48·b + i (the Uint8Array `tophash`
 *                over the same buffer)
 *   words  2–9   keys: the scenario integer of slot i at word 12·b + 2 + i (Int32 while
 *                every key the map has seen fits in 32 bits, as every scenario's does)
 *   word  10     overflow: the ref of the next bucket in the chain, plus one (0: nil, so
 *                a fresh array needs no filling)
 *   word  11     padding
 *
 * so that the bytes a write reads and writes (a bucket's tophash, its keys, its overflow
 * word) share one or two cache lines instead of lying in three arrays: the hot loops'
 * speed is their cache misses (measured: set and evacuate spent most of their time on the
 * first read of each array). The first key outside int32 widens every store of the map
 * (widenKeys): keys then live in a Float64Array of the same indexing, and the key words
 * go unused.
 * When the types need them, keyObj/elemObj hold per slot (index 8·b + i) the heap handle
 * the slot points to, plus one (0: none, so a fresh array needs no filling).
 * Elems are not stored per slot: an entry's elem is its key unless set() was given
 * another value, which the map keeps in a side table (scenarios never do; tests do), so
 * a ten-million-entry map carries 6 bytes a slot.
 */
import { grown } from "../typed-array.ts";
import { bucketCnt as BUCKET_CNT } from "./layout.ts";

const bucketCnt = BUCKET_CNT; // a local binding (see map.ts)

export const NIL = -1; // end of an overflow chain

/** Words per bucket, and the word offsets of the keys and of the overflow ref in it. */
export const bucketWords = 12;
export const keysWord = 2;
export const overflowWord = 10;
/** Bytes per bucket in `tophash` (the byte view of `words`). */
export const bucketBytes = bucketWords * 4;

export class BucketStore {
  /** Every bucket's words (see the header). */
  words: Int32Array;
  /** Byte view of `words`: slot i of bucket b's tophash is tophash[48·b + i]. */
  tophash: Uint8Array;
  /** `words` itself, or (wide keys) a Float64Array indexed alike: key of slot i of bucket b at 12·b + 2 + i. */
  keys: Int32Array | Float64Array;
  keyObj: Int32Array | null;
  elemObj: Int32Array | null;
  /** Buckets this store holds (capacity, for the pool). */
  nbuckets: number;

  constructor(nbuckets: number, keyObj: boolean, elemObj: boolean, wideKeys: boolean) {
    this.nbuckets = nbuckets;
    const slots = nbuckets * bucketCnt;
    this.words = new Int32Array(nbuckets * bucketWords);
    this.tophash = new Uint8Array(this.words.buffer);
    this.keys = wideKeys ? new Float64Array(nbuckets * bucketWords) : this.words;
    this.keyObj = keyObj ? new Int32Array(slots) : null;
    this.elemObj = elemObj ? new Int32Array(slots) : null;
  }

  /** Slot i of bucket b: its tophash, its key. */
  top(b: number, i: number): number {
    return this.tophash[b * bucketBytes + i] as number;
  }
  key(b: number, i: number): number {
    return this.keys[b * bucketWords + keysWord + i] as number;
  }
  /** Bucket b's overflow ref (NIL at the end of its chain). */
  next(b: number): number {
    return (this.words[b * bucketWords + overflowWord] as number) - 1;
  }
  setNext(b: number, ref: number): void {
    this.words[b * bucketWords + overflowWord] = ref + 1;
  }

  /** Store keys as Float64 from now on: a key outside int32 is about to arrive. */
  widenKeys(): void {
    if (!(this.keys instanceof Float64Array)) this.keys = Float64Array.from(this.words);
  }

  /** Zero one bucket, as a fresh or cleared Go bucket is. */
  resetBucket(b: number): void {
    const w = b * bucketWords;
    this.words[w] = 0;
    this.words[w + 1] = 0;
    const s = b * bucketCnt;
    this.keyObj?.fill(0, s, s + bucketCnt);
    this.elemObj?.fill(0, s, s + bucketCnt);
    this.words[w + overflowWord] = 0; // nil
  }

  /** Zero every bucket (makeBucketArray with a dirty allocation). */
  resetAll(): void {
    const w = this.words;
    for (let o = 0; o < w.length; o += bucketWords) {
      w[o] = 0;
      w[o + 1] = 0;
      w[o + overflowWord] = 0; // nil
    }
    this.keyObj?.fill(0);
    this.elemObj?.fill(0);
  }

  /** Grow to hold at least n buckets, keeping contents (the pool only). */
  growTo(n: number): void {
    let cap = this.nbuckets;
    while (cap < n) cap = Math.max(16, cap * 2);
    if (cap === this.nbuckets) return;
    const slots = cap * bucketCnt;
    const wide = this.keys !== this.words;
    this.words = grown(this.words, cap * bucketWords);
    this.tophash = new Uint8Array(this.words.buffer);
    this.keys = wide ? grown(this.keys, cap * bucketWords) : this.words;
    if (this.keyObj !== null) this.keyObj = grown(this.keyObj, slots);
    if (this.elemObj !== null) this.elemObj = grown(this.elemObj, slots);
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
