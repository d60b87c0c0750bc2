/**
 * mallocgc's size arithmetic: how many bytes of the heap one allocation takes.
 *
 * Follows Go 1.23 src/runtime/malloc.go (mallocgc), msize.go (roundupsize) and
 * mbitmap.go (mallocHeaderSize, minSizeForMallocHeader), and Go 1.19/1.21's versions
 * of the same files, which have no malloc headers.
 *
 * Terminology
 *   size class   one of Go's 67 small-object sizes (size-classes.ts); a small object
 *                occupies exactly its class's bytes/obj, whatever it asked for.
 *   small        size ≤ maxSmallSize (32768), or ≤ 32760 once malloc headers exist.
 *   large        anything bigger: its own span of whole 8 KiB pages.
 *   noscan       the object holds no pointers; the GC never looks inside it.
 *   tiny         noscan and under maxTinySize (16) bytes: packed with other tiny
 *                objects into one 16-byte block (the Heap class implements the block
 *                bookkeeping; this module only gives the arithmetic).
 *   malloc header  Go 1.22+: a pointerful small object larger than
 *                minSizeForMallocHeader (512 bytes) carries an 8-byte type pointer in
 *                front of it, so it needs a size class 8 bytes bigger. (Before 1.22 the
 *                GC kept a separate heap bitmap and objects had no header.) Large
 *                objects keep their type in the span instead, so they get no header.
 *
 * How mallocgc(size) sizes an object (Go 1.22+, rules with mallocHeader):
 *   1. size == 0                        → no memory (Go returns &zerobase).
 *   2. noscan && size < 16              → tiny block (16 bytes per block).
 *   3. size ≤ 32768 − 8                 → pointerful and > 512? add 8; round up to
 *                                          the size class.
 *   4. otherwise                        → round up to a whole number of pages.
 * Before 1.22 step 3 reads "size ≤ 32768" and never adds a header.
 *
 * HeapAlloc counts the rounded size (header included), which is why a map whose
 * bucket is 1104 bytes pays 1152 per overflow bucket.
 */
import {
  largeSizeDiv,
  maxSmallSize,
  pageSize,
  sizeClasses,
  smallSizeDiv,
  smallSizeMax,
} from "./size-classes.ts";

export const maxTinySize = 16; // bytes in one tiny block
export const mallocHeaderSize = 8; // Go 1.22+: type pointer in front of a small pointerful object
export const minSizeForMallocHeader = 512; // Go 1.22+: objects above this (pointerful) get a header

/** The allocator rules a Go release follows (see versions.ts). */
export interface MallocRules {
  /** Go 1.22+: pointerful small objects over 512 bytes carry an 8-byte header. */
  readonly mallocHeader: boolean;
}

// size_to_class8 / size_to_class128, rebuilt from the class table.
const classSize = [0, ...sizeClasses.map((c) => c.size)];
const sizeToClass8 = new Uint8Array(smallSizeMax / smallSizeDiv + 1);
const sizeToClass128 = new Uint8Array((maxSmallSize - smallSizeMax) / largeSizeDiv + 1);
{
  let cls = 0;
  for (let i = 0; i < sizeToClass8.length; i++) {
    const want = i * smallSizeDiv;
    while ((classSize[cls] ?? Infinity) < want) cls++;
    sizeToClass8[i] = cls;
  }
  for (let i = 0; i < sizeToClass128.length; i++) {
    const want = smallSizeMax + i * largeSizeDiv;
    while ((classSize[cls] ?? Infinity) < want) cls++;
    sizeToClass128[i] = cls;
  }
}

/** Bytes/obj of the size class serving a small request of `size` bytes (1 ≤ size ≤ 32768). */
export function classRound(size: number): number {
  const cls =
    size <= smallSizeMax - 8
      ? (sizeToClass8[Math.ceil(size / smallSizeDiv)] ?? 0)
      : (sizeToClass128[Math.ceil((size - smallSizeMax) / largeSizeDiv)] ?? 0);
  return classSize[cls] ?? 0;
}

/** Whole pages for a large object. */
export function pageRound(size: number): number {
  return Math.ceil(size / pageSize) * pageSize;
}

/** True when the request goes to the tiny allocator. */
export function isTiny(size: number, noscan: boolean): boolean {
  return noscan && size > 0 && size < maxTinySize;
}

/**
 * Bytes a non-tiny allocation adds to HeapAlloc (Go: the span's elemsize, header
 * included). Tiny requests are accounted per 16-byte block by the heap.
 */
export function mallocSize(size: number, noscan: boolean, rules: MallocRules): number {
  if (size === 0) return 0;
  if (rules.mallocHeader) {
    if (size <= maxSmallSize - mallocHeaderSize) {
      const header = !noscan && size > minSizeForMallocHeader ? mallocHeaderSize : 0;
      return classRound(size + header);
    }
    return pageRound(size);
  }
  return size <= maxSmallSize ? classRound(size) : pageRound(size);
}

/**
 * Go's roundupsize: the usable bytes mallocgc would give a request of `size`
 * (header excluded). growslice and makeBucketArray use it to fill the slack.
 */
export function roundupsize(size: number, noscan: boolean, rules: MallocRules): number {
  if (rules.mallocHeader) {
    if (size <= maxSmallSize - mallocHeaderSize) {
      const header = !noscan && size > minSizeForMallocHeader ? mallocHeaderSize : 0;
      return classRound(size + header) - header;
    }
    return pageRound(size);
  }
  if (size < maxSmallSize) return classRound(size);
  return pageRound(size);
}
