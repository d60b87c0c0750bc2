/**
 * The classic map's types and constants: hmap, bmap and mapextra as Go 1.19–1.23 lay
 * them out on amd64.
 *
 * Follows Go 1.23 src/runtime/map.go (constants, hmap, mapextra) and
 * src/cmd/compile/internal/reflectdata/reflect.go (MapBucketType), unchanged since
 * Go 1.19 in every respect that moves a byte.
 *
 * A bucket (Go: bmap, built by the compiler per map type):
 *
 *   ┌──────────────┬──────────────────┬──────────────────┬──────────┐
 *   │ tophash [8]u8│ keys  [8]K'      │ elems [8]E'      │ overflow │
 *   └──────────────┴──────────────────┴──────────────────┴──────────┘
 *     8 bytes        8·size(K')         8·size(E')         8 bytes
 *
 * K' is K, or *K when K is over maxKeySize (128) bytes: such keys live in their own
 * heap object, one per slot, and the slot holds a pointer ("indirect key"). E' likewise
 * with maxElemSize. Every field offset is already a multiple of 8 (K' and E' align to
 * at most 8, and 8·size is a multiple of 8), so the bucket has no padding:
 * bucketSize = 16 + 8·(size(K') + size(E')). The overflow field is a real pointer when
 * K' or E' holds pointers; otherwise it is a uintptr and the whole bucket is noscan,
 * which is why mapextra must keep overflow buckets alive for such maps (map.ts).
 *
 * hmap is 48 bytes (count, flags, B, noverflow, hash0, buckets, oldbuckets,
 * nevacuate, extra); mapextra 24 (overflow, oldoverflow, nextOverflow). A Go slice
 * header ([]*bmap, the target of mapextra.overflow) is 24 bytes.
 */
import type { GoType } from "../contract.ts";

export const bucketCntBits = 3; // log2 of slots per bucket
export const bucketCnt = 8; // slots per bucket (abi.MapBucketCount)
export const loadFactorNum = 13; // load factor 6.5 = loadFactorNum/loadFactorDen (Go 1.21: 12, see versions.ts)
export const loadFactorDen = 2; // (see loadFactorNum)
export const maxKeySize = 128; // larger keys are stored indirectly
export const maxElemSize = 128; // larger elems are stored indirectly
export const dataOffset = 8; // offset of keys in a bucket (after tophash)

export const emptyRest = 0; // this slot and every later slot of the chain are empty
export const emptyOne = 1; // this slot is empty
export const evacuatedX = 2; // entry moved to the first half of the new array
export const evacuatedY = 3; // entry moved to the second half
export const evacuatedEmpty = 4; // slot was empty when its bucket was evacuated
export const minTopHash = 5; // smallest tophash of a real entry

export const hmapSize = 48; // unsafe.Sizeof(hmap{})
export const mapextraSize = 24; // unsafe.Sizeof(mapextra{})
export const sliceHeaderSize = 24; // unsafe.Sizeof([]*bmap{})
export const ptrSize = 8; // amd64

/** What the map needs to know about its key and elem types. */
export interface ClassicLayout {
  readonly key: GoType;
  readonly elem: GoType;
  readonly indirectKey: boolean;
  readonly indirectElem: boolean;
  /** Bytes per bucket (t.BucketSize). */
  readonly bucketSize: number;
  /** The bucket type holds pointers (t.Bucket.Pointers()). */
  readonly bucketPointers: boolean;
  /** Keys own heap objects (indirect, or what the key points to: string bytes …). */
  readonly keyHasObject: boolean;
  /** Elems own heap objects (indirect, string bytes, backing arrays, new(T) for *T …). */
  readonly elemHasObject: boolean;
}

export function classicLayout(key: GoType, elem: GoType): ClassicLayout {
  const indirectKey = key.size > maxKeySize;
  const indirectElem = elem.size > maxElemSize;
  const ks = indirectKey ? ptrSize : key.size;
  const es = indirectElem ? ptrSize : elem.size;
  return {
    key,
    elem,
    indirectKey,
    indirectElem,
    bucketSize: 2 * 8 + bucketCnt * (ks + es),
    bucketPointers: indirectKey || indirectElem || key.pointers || elem.pointers,
    keyHasObject: indirectKey || (key.objects?.length ?? 0) > 0,
    elemHasObject: indirectElem || (elem.objects?.length ?? 0) > 0,
  };
}

/** 1 << b */
export function bucketShift(b: number): number {
  return b < 31 ? 1 << b : 2 ** b;
}

/** Go's overLoadFactor: would `count` entries overload 2^B buckets? */
export function overLoadFactor(count: number, B: number, num: number = loadFactorNum): boolean {
  return count > bucketCnt && count > num * Math.floor(bucketShift(B) / loadFactorDen);
}

/** Go's tooManyOverflowBuckets. */
export function tooManyOverflowBuckets(noverflow: number, B: number): boolean {
  const b = B > 15 ? 15 : B;
  return noverflow >= 1 << b;
}

/** The B that make(map[K]V, hint) chooses. */
export function bForHint(hint: number, num: number = loadFactorNum): number {
  let B = 0;
  while (overLoadFactor(hint, B, num)) B++;
  return B;
}

/** Go's nextslicecap (runtime/slice.go, 1.20+; 1.19's growslice computes the same). */
export function nextslicecap(newLen: number, oldCap: number): number {
  const doublecap = oldCap + oldCap;
  if (newLen > doublecap) return newLen;
  const threshold = 256;
  if (oldCap < threshold) return doublecap;
  let newcap = oldCap;
  while (newcap < newLen) newcap += Math.floor((newcap + 3 * threshold) / 4);
  return newcap;
}
