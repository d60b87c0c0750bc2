/**
 * The classic map's debugging side, kept apart from the hot code as Go 1.24 keeps
 * internal/runtime/maps/table_debug.go apart from table.go: the picture of its
 * structure (internals, for cells and pictures) and the invariant checks the tests
 * run after every operation. Both read a ClassicDebugView, a plain view of the map's
 * fields (Go: the same package reads the hmap directly).
 *
 * The invariants are numbered as in map.ts's essay:
 *   1. count = live slots in the live chains;  2. every entry in the chain its hash
 *   selects, with its tophash, no key twice;  3. only emptyRest after emptyRest;
 *   4. growing ⇔ oldbuckets, evacuation marks below nevacuate;  5. occupied slots own
 *   live objects, empty slots none;  6. noverflow exact for B < 16;  7. mapextra's
 *   overflow slices list exactly the overflow buckets of noscan maps.
 */
import type { Allocator, ClassicInternals } from "../contract.ts";
import { hashKey as hash } from "../hash.ts";
import {
  bucketBytes,
  bucketWords,
  NIL,
  overflowWord,
  type BucketArray,
  type BucketStore,
} from "./buckets.ts";
import { tophashOf, walkChain } from "./chain.ts";
import {
  bucketCnt,
  bucketShift,
  emptyOne,
  emptyRest,
  evacuatedEmpty,
  evacuatedX,
  minTopHash,
  type ClassicLayout,
} from "./layout.ts";

/** What the debug functions read of a ClassicMap. */
export interface ClassicDebugView {
  readonly layout: ClassicLayout;
  readonly heap: Allocator;
  readonly count: number;
  readonly B: number;
  readonly noverflow: number;
  readonly hash0: number;
  readonly buckets: BucketArray | null;
  readonly oldbuckets: BucketArray | null;
  readonly nevacuate: number;
  readonly sameSizeGrow: boolean;
  /** Index of the next preallocated overflow bucket in the array, or −1. */
  readonly nextOverflow: number;
  /** len(*mapextra.overflow), 0 when nil. */
  readonly overflowLen: number;
  readonly hasOldoverflow: boolean;
  /** The overflow pool's buckets (refs ≤ −2). */
  readonly pool: BucketStore;
  /** Bytes of every heap object the map holds. */
  readonly bytes: number;
  /** Every object of a key (elem) chain, head first (entry-objects.ts). */
  readonly keyChain: (head: number) => number[];
  readonly elemChain: (head: number) => number[];
  /** evacuated(b): old bucket b's first slot holds an evacuation mark. */
  readonly evacuated: (old: BucketStore, b: number) => boolean;
}

const out = new Uint32Array(2); // hash scratch: [lo, hi]

export function classicInternals(v: ClassicDebugView): ClassicInternals {
  const cur = v.buckets;
  const r: ClassicInternals = {
    kind: "classic",
    B: v.B,
    bucketSize: v.layout.bucketSize,
    noverflow: v.noverflow,
    overflowBuckets: overflowInUse(v),
    preallocatedFree: v.nextOverflow >= 0 && cur !== null ? cur.store.nbuckets - v.nextOverflow : 0,
    growing: v.oldbuckets !== null,
    oldB: v.oldbuckets?.B ?? null,
    nevacuate: v.nevacuate,
    sameSizeGrow: v.sameSizeGrow,
    bytes: v.bytes,
  };
  if (cur !== null && cur.B <= 16) {
    const occ = new Uint16Array(bucketShift(cur.B));
    const pool = v.pool;
    const home = cur.store;
    for (let b0 = 0; b0 < occ.length; b0++) {
      let n = 0;
      let st = home;
      let b = b0;
      for (;;) {
        const th = st.tophash;
        for (let i = b * bucketBytes, e = i + bucketCnt; i < e; i++) if ((th[i] as number) >= minTopHash) n++;
        const next = st.next(b);
        if (next === NIL) break;
        st = next >= 0 ? home : pool;
        b = next >= 0 ? next : -2 - next;
      }
      occ[b0] = n;
    }
    r.occupancy = occ;
  }
  return r;
}

/**
 * Overflow buckets chained in the current array (what the harness's probe counts): one
 * pass over the array's overflow words, following the few chains there are (a
 * snapshot of the article's map reads 2^17 buckets here).
 */
function overflowInUse(v: ClassicDebugView): number {
  const cur = v.buckets;
  if (cur === null) return 0;
  const home = cur.store;
  const pool = v.pool;
  const w = home.words;
  const nb = bucketShift(cur.B);
  let n = 0;
  for (let o = overflowWord, end = nb * bucketWords; o < end; o += bucketWords) {
    let next = (w[o] as number) - 1;
    while (next !== NIL) {
      n++;
      next = next >= 0 ? home.next(next) : pool.next(-2 - next);
    }
  }
  return n;
}

export function checkClassicInvariants(v: ClassicDebugView): void {
  const fail = (n: number, why: string): never => {
    throw new Error(`classic map invariant ${n}: ${why}`);
  };
  const L = v.layout;
  const seen = new Set<number>();
  let live = 0;
  const heapLive = v.heap.isLive?.bind(v.heap);
  const checkChain = (home: BucketStore, start: number, B: number, isOld: boolean): void => {
    let restSeen = false;
    walkChain(home, v.pool, start, (st, b) => {
      for (let i = 0; i < bucketCnt; i++) {
        const s = b * bucketCnt + i;
        const t = st.top(b, i);
        if (restSeen && t !== emptyRest) fail(3, `slot after emptyRest is ${t} in chain ${start}`);
        if (t === emptyRest) restSeen = true;
        if (t >= minTopHash) {
          live++;
          const k = st.key(b, i);
          if (seen.has(k)) fail(2, `key ${k} appears twice`);
          seen.add(k);
          hash(k, v.hash0, out);
          if (((out[0] ?? 0) & (bucketShift(B) - 1)) !== start)
            fail(2, `key ${k} in chain ${start} of ${isOld ? "old" : "new"} array`);
          if (tophashOf(out[1] ?? 0) !== t) fail(2, `key ${k} has tophash ${t}`);
          if (st.keyObj !== null) {
            const h = (st.keyObj[s] ?? 0) - 1;
            if (h < 0 || (heapLive !== undefined && !v.keyChain(h).every(heapLive)))
              fail(5, `key ${k} has no live key object`);
          }
          if (st.elemObj !== null) {
            const h = (st.elemObj[s] ?? 0) - 1;
            if (h < 0 || (heapLive !== undefined && !v.elemChain(h).every(heapLive)))
              fail(5, `key ${k} has no live elem object`);
          }
        } else if (t <= emptyOne) {
          if ((st.keyObj?.[s] ?? 0) !== 0 || (st.elemObj?.[s] ?? 0) !== 0)
            fail(5, `empty slot in chain ${start} still points to an object`);
        } else if (!isOld) fail(4, `evacuation mark ${t} in the new array`);
      }
    });
  };
  const cur = v.buckets;
  if (cur !== null) {
    if (cur.B !== v.B) fail(4, `array B ${cur.B} ≠ hmap.B ${v.B}`);
    for (let b = 0; b < bucketShift(cur.B); b++) checkChain(cur.store, b, cur.B, false);
  }
  const old = v.oldbuckets;
  if (old !== null) {
    if (v.nevacuate >= bucketShift(old.B)) fail(4, `nevacuate ${v.nevacuate} past the old array`);
    for (let b = 0; b < bucketShift(old.B); b++) {
      const ev = v.evacuated(old.store, b);
      if (b < v.nevacuate && !ev) fail(4, `old bucket ${b} < nevacuate ${v.nevacuate} not evacuated`);
      if (!ev) checkChain(old.store, b, old.B, true);
      else {
        for (let i = 0; i < bucketCnt; i++) {
          const t = old.store.top(b, i);
          if (t < evacuatedX || t > evacuatedEmpty) fail(4, `evacuated old bucket ${b} slot ${i} holds ${t}`);
        }
      }
    }
  } else if (v.sameSizeGrow) fail(4, "not growing but sameSizeGrow set");
  if (live !== v.count) fail(1, `count ${v.count} ≠ ${live} entries found`);
  if (v.B < 16 && v.oldbuckets === null && cur !== null) {
    const n = overflowInUse(v);
    if (n !== v.noverflow) fail(6, `noverflow ${v.noverflow} ≠ ${n} overflow buckets`);
  }
  if (!L.bucketPointers) {
    const ov = v.overflowLen;
    const n = overflowInUse(v);
    if (ov !== n) fail(7, `mapextra.overflow lists ${ov}, chains hold ${n}`);
    if (v.hasOldoverflow && v.oldbuckets === null) fail(7, "oldoverflow without oldbuckets");
  }
}
