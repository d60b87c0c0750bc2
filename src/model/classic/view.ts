/**
 * The classic map's picture data (Go 1.19–1.23 src/runtime/map.go), read-only and kept
 * apart from the hot code as debug.ts is (Go keeps internal/runtime/maps/table_debug.go
 * apart from table.go the same way). It reads the ClassicDebugView and never writes.
 *
 * What it counts, with Go's names:
 *   buckets      per bin of `per` consecutive buckets of hmap.buckets: the live slots
 *                (tophash ≥ minTopHash) along each bucket's overflow chain, and the
 *                overflow buckets chained after it (preallocated or newoverflow'd).
 *   oldbuckets   while growing: per bin of old buckets, the entries still there, how
 *                many buckets evacuate() has done (evacuated(b)), and the slots it
 *                marked evacuatedX (the entry went to bucket i) or evacuatedY (to
 *                i + 2^oldB, the upper half of the new array); hmap.nevacuate.
 *   nextOverflow the preallocated overflow buckets at the end of the array
 *                (makeBucketArray), used up to mapextra.nextOverflow.
 *
 * Cost: O(2^B + 2^oldB + overflow buckets) with typed-array reads only; the notebook's
 * live picture calls it at most every few tens of milliseconds (kernel.ts).
 */
import type { ClassicOldView, ClassicView } from "../contract.ts";
import type { BucketStore } from "./buckets.ts";
import type { ClassicDebugView } from "./debug.ts";
import { bucketBytes, bucketWords, NIL, overflowWord } from "./buckets.ts";
import { bucketCnt, bucketShift, evacuatedX, evacuatedY, minTopHash } from "./layout.ts";

/** Buckets per bin so that 2^B buckets make at most maxBins bins (a power of two). */
export function binWidth(B: number, maxBins: number): number {
  let per = 1;
  while (bucketShift(B) / per > maxBins) per *= 2;
  return per;
}

if (bucketCnt !== 8 || minTopHash !== 5) throw new Error("view.ts counts 8 slots against minTopHash 5");

/**
 * Bytes ≥ minTopHash (5) among a word's four tophash bytes: bit 7 of each byte is set
 * when the byte is ≥ 128, or when its low seven bits plus 123 carry into bit 7 (no
 * carry crosses a byte: 0x7f + 0x7b < 0x100); the four bits are then added up.
 */
function liveIn(w: number): number {
  const m = ((w & 0x80808080) | (((w & 0x7f7f7f7f) + 0x7b7b7b7b) & 0x80808080)) >>> 7;
  return Math.imul(m, 0x01010101) >>> 24;
}

/** Live slots and chained overflow buckets of bucket `b0`'s chain in `home`. */
function walk(
  home: BucketStore,
  pool: BucketStore,
  b0: number,
  counts: { live: number; over: number },
): void {
  let st = home;
  let b = b0;
  let live = 0;
  let over = -1;
  for (;;) {
    over++;
    for (let i = 0; i < bucketCnt; i++) if (st.top(b, i) >= minTopHash) live++;
    const next = st.next(b);
    if (next === NIL) break;
    st = next >= 0 ? home : pool;
    b = next >= 0 ? next : -2 - next;
  }
  counts.live = live;
  counts.over = over;
}

export function classicView(v: ClassicDebugView, maxBins: number): ClassicView {
  const cur = v.buckets;
  const counts = { live: 0, over: 0 };
  const B = cur?.B ?? v.B;
  const per = binWidth(B, maxBins);
  const bins = Math.ceil(bucketShift(B) / per);
  const entries = new Uint32Array(bins);
  const overflow = new Uint32Array(bins);
  let overflowBuckets = 0;
  if (cur !== null) {
    // The tophash bytes four at a time (a bucket's eight are its first two words).
    const w32 = cur.store.words;
    const n = bucketShift(cur.B);
    // Bin by bin, summed in locals: one typed-array write per bin, not per bucket.
    for (let bin = 0, b = 0; bin < bins; bin++) {
      const end = Math.min(n, b + per);
      let live = 0;
      let over = 0;
      for (; b < end; b++) {
        const w = b * bucketWords;
        if (w32[w + overflowWord] === 0) {
          // The common case, no overflow chain: the bucket's own eight slots.
          live += liveIn(w32[w] as number) + liveIn(w32[w + 1] as number);
          continue;
        }
        walk(cur.store, v.pool, b, counts);
        live += counts.live;
        over += counts.over;
      }
      entries[bin] = live;
      overflow[bin] = over;
      overflowBuckets += over;
    }
  }
  const preallocated = cur === null ? 0 : cur.store.nbuckets - bucketShift(cur.B);
  const free = v.nextOverflow >= 0 && cur !== null ? cur.store.nbuckets - v.nextOverflow : 0;
  return {
    kind: "classic",
    B,
    count: v.count,
    noverflow: v.noverflow,
    bytes: v.bytes,
    bucketsBytes: cur?.bytes ?? 0,
    oldbucketsBytes: v.oldbuckets?.bytes ?? 0,
    overflowBuckets,
    preallocated,
    preallocatedUsed: preallocated - free,
    per,
    entries,
    overflow,
    old: oldView(v, maxBins, counts),
  };
}

function oldView(
  v: ClassicDebugView,
  maxBins: number,
  counts: { live: number; over: number },
): ClassicOldView | null {
  const old = v.oldbuckets;
  if (old === null) return null;
  const per = binWidth(old.B, maxBins);
  const bins = Math.ceil(bucketShift(old.B) / per);
  const r: ClassicOldView = {
    B: old.B,
    nevacuate: v.nevacuate,
    sameSizeGrow: v.sameSizeGrow,
    per,
    entries: new Uint32Array(bins),
    evacuated: new Uint32Array(bins),
    toX: new Uint32Array(bins),
    toY: new Uint32Array(bins),
  };
  const st = old.store;
  const th = st.tophash;
  const w32 = st.words;
  const n = bucketShift(old.B);
  // Bin by bin, summed in locals, as for the new array.
  for (let bin = 0, b = 0; bin < bins; bin++) {
    const end = Math.min(n, b + per);
    let evacuated = 0;
    let x = 0;
    let y = 0;
    let live = 0;
    for (; b < end; b++) {
      if (v.evacuated(st, b)) {
        evacuated++;
        // evacuate() marks every slot of the chain; the bucket's own eight say where its
        // entries went (an unlinked overflow chain is garbage already).
        for (let i = b * bucketBytes, e = i + bucketCnt; i < e; i++) {
          const t = th[i] as number;
          if (t === evacuatedX) x++;
          else if (t === evacuatedY) y++;
        }
      } else if (w32[b * bucketWords + overflowWord] === 0)
        live += liveIn(w32[b * bucketWords] as number) + liveIn(w32[b * bucketWords + 1] as number);
      else {
        walk(st, v.pool, b, counts);
        live += counts.live;
      }
    }
    r.evacuated[bin] = evacuated;
    r.toX[bin] = x;
    r.toY[bin] = y;
    r.entries[bin] = live;
  }
  return r;
}
