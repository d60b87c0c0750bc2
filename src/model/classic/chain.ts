/**
 * Walking a classic map's bucket chains (Go 1.19–1.23 src/runtime/map.go, where a
 * chain is b, b.overflow(t), … until nil).
 *
 * A chain starts at a bucket of the bucket array and continues through overflow
 * buckets, which are either preallocated buckets at the end of the same array
 * (makeBucketArray) or buckets of their own (newoverflow), kept here in the overflow
 * pool. A ref names one of them (buckets.ts):
 *
 *   ref ≥ 0     bucket `ref` of the array (`home`)
 *   ref ≤ −2    bucket −2 − ref of the pool
 *   NIL (−1)    the end of the chain (b.overflow(t) == nil)
 */
import { BucketStore, NIL } from "./buckets.ts";
import { minTopHash } from "./layout.ts";

/**
 * A chain step. Refs (buckets.ts): ≥ 0 is a bucket of the array `home`, ≤ −2 is
 * bucket −2 − ref of the overflow pool. storeOf picks the store, bucketOf the index.
 */
export function storeOf(ref: number, home: BucketStore, pool: BucketStore): BucketStore {
  return ref >= 0 ? home : pool;
}
export function bucketOf(ref: number): number {
  return ref >= 0 ? ref : -2 - ref;
}

/**
 * Visit bucket `start` of `home` and every overflow bucket chained after it (refs
 * as in buckets.ts: ≥ 0 in `home`, ≤ −2 in the pool). The cold paths use it; the hot
 * loops (set, delete, evacuate) step through chains with storeOf and bucketOf.
 */
export function walkChain(
  home: BucketStore,
  pool: BucketStore,
  start: number,
  fn: (st: BucketStore, b: number) => void,
): void {
  let st = home;
  let b = start;
  for (;;) {
    fn(st, b);
    const next = st.next(b);
    if (next === NIL) return;
    st = storeOf(next, home, pool);
    b = bucketOf(next);
  }
}

/** tophash(hash): the top 8 bits, moved above the marks below minTopHash. */
export function tophashOf(hi: number): number {
  const top = hi >>> 24;
  return top < minTopHash ? top + minTopHash : top;
}
