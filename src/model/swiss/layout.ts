/**
 * The bytes of a Swiss-table map: the runtime structs and the compiler's group type.
 *
 * Follows Go 1.24 src/cmd/compile/internal/reflectdata/map_swiss.go (SwissMapGroupType,
 * swissTableType, SwissMapType) and its Go 1.26/1.27 successor reflectdata/map.go
 * (MapGroupType, mapTableType, MapType), for linux/amd64.
 *
 * Terminology
 *   Map        the header a map value points to (Go: maps.Map): used, seed, dirPtr,
 *              dirLen, globalDepth, globalShift, writing, clearSeq — 48 bytes in every
 *              release 1.24–1.27 (1.26 adds tombstonePossible, which fits in the
 *              padding after `writing`).
 *   table      one Swiss table's header (Go: maps.table): used, capacity, growthLeft,
 *              localDepth, index, groups.data, groups.lengthMask — 32 bytes.
 *   directory  the Go slice `make([]*table, 1<<globalDepth)`: 8 bytes per entry.
 *   group      the compiler's struct { ctrl uint64; slots [8]struct{ key K; elem E } }.
 *   slot       one key/elem pair inside a group.
 *   indirect   a key (elem) larger than maxKeySize (maxElemSize) bytes is not stored in
 *              the slot; the slot holds a pointer to a separately allocated object
 *              (Go: typ.IndirectKey(), typ.IndirectElem()).
 *
 * How the group is laid out
 *   1. K' is K, or *K when K is over 128 bytes; E' likewise.
 *   2. slot = struct{ key K'; elem E' }: elem at the next multiple of align(E'); a
 *      zero-size elem at the end of a non-empty slot adds one byte of padding
 *      (types.CalcStructSize); the slot is rounded up to its alignment.
 *   3. group = struct{ ctrl uint64; slots [8]slot }: 8 + 8·slot bytes, plus the same
 *      trailing-zero-size byte when the slot is empty (map[struct{}]struct{}), rounded
 *      to 8. The compiler rejects a group of 8 bytes or less; the rule above gives 16.
 *
 *       group of map[int][128]byte (1096 bytes)
 *       ┌────────┬─────────────────────┬─────────────────────┬─ ─ ─┬─────────────────────┐
 *       │ ctrl 8 │ key 8 │ elem 128    │ key 8 │ elem 128    │ ... │ key 8 │ elem 128    │
 *       └────────┴─────────────────────┴─────────────────────┴─ ─ ─┴─────────────────────┘
 *
 * Go 1.27 carries an experiment, GOEXPERIMENT=mapsplitgroup, that stores the eight keys
 * and then the eight elems (KKKKVVVV). It is off by default (internal/buildcfg/exp.go's
 * baseline does not list it), so every release here uses the interleaved layout.
 *
 * Invariants
 *   1. groupSize > 8 and groupSize is a multiple of 8.
 *   2. A key or elem over 128 bytes is indirect; one of 128 bytes or less never is.
 */
import type { GoType } from "../contract.ts";

export const groupSlots = 8; // abi.SwissMapGroupSlots: slots per group
export const groupSlotsBits = 3; // abi.SwissMapGroupSlotsBits: log2(groupSlots)
export const ctrlGroupSize = 8; // bytes of the control word at the start of a group
export const maxKeySize = 128; // abi.SwissMapMaxKeyBytes: larger keys are stored indirectly
export const maxElemSize = 128; // abi.SwissMapMaxElemBytes: larger elems are stored indirectly
export const ptrSize = 8; // goarch.PtrSize on amd64
export const mapHeaderSize = 48; // unsafe.Sizeof(maps.Map{}) on amd64, Go 1.24–1.27
export const tableHeaderSize = 32; // unsafe.Sizeof(maps.table{}) on amd64
export const maxAlloc = 2 ** 48; // runtime.maxAlloc on linux/amd64: hints past it make an empty map

/** How a group of map[K]V is laid out, and what each slot owns on the heap. */
export interface GroupLayout {
  /** Key stored as a pointer to a separate object (K over 128 bytes). */
  readonly indirectKey: boolean;
  /** Elem stored as a pointer to a separate object (V over 128 bytes). */
  readonly indirectElem: boolean;
  /** Bytes of one slot (Go: typ.SlotSize). */
  readonly slotSize: number;
  /** Offset of the elem inside a slot (Go: typ.ElemOff). */
  readonly elemOff: number;
  /** Bytes of one group (Go: typ.GroupSize). */
  readonly groupSize: number;
  /** The group type holds no pointers: group arrays are noscan objects. */
  readonly groupNoscan: boolean;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** The compiler's group type for map[key]elem (reflectdata SwissMapGroupType). */
export function groupLayout(key: GoType, elem: GoType): GroupLayout {
  const indirectKey = key.size > maxKeySize;
  const indirectElem = elem.size > maxElemSize;
  const kSize = indirectKey ? ptrSize : key.size;
  const kAlign = indirectKey ? ptrSize : key.align;
  const kPtr = indirectKey || key.pointers;
  const eSize = indirectElem ? ptrSize : elem.size;
  const eAlign = indirectElem ? ptrSize : elem.align;
  const ePtr = indirectElem || elem.pointers;

  const elemOff = alignUp(kSize, eAlign);
  let slotEnd = elemOff + eSize;
  if (slotEnd > 0 && eSize === 0) slotEnd += 1; // trailing zero-size field (types.CalcStructSize)
  const slotAlign = Math.max(1, kAlign, eAlign);
  const slotSize = alignUp(slotEnd, slotAlign);

  let groupEnd = ctrlGroupSize + groupSlots * slotSize;
  if (slotSize === 0) groupEnd += 1; // the slots array itself is the zero-size last field
  const groupSize = alignUp(groupEnd, 8);

  return { indirectKey, indirectElem, slotSize, elemOff, groupSize, groupNoscan: !(kPtr || ePtr) };
}

/**
 * Which runtime routine the compiler calls for `m[k] = v` (cmd/compile/internal/walk
 * mapfast). It matters because Go 1.26 prunes tombstones only in the specialised
 * routines, not in the generic runtime.mapassign.
 *   fast32     4-byte memory-comparable key without pointers (int32, uint32, [4]byte)
 *   fast64     8-byte memory-comparable key without pointers (int, uint64, [8]byte)
 *   fast64ptr  8-byte key that is a pointer
 *   faststr    string key
 *   slow       everything else, and any map whose elem is over 128 bytes
 */
export type AssignPath = "fast32" | "fast64" | "fast64ptr" | "faststr" | "slow";

/** A type whose equality is plain memory comparison (Go: AlgType AMEM). */
function isMemComparable(t: GoType): boolean {
  switch (t.kind) {
    case "int":
    case "uint":
    case "bool":
    case "pointer":
      return true;
    case "array":
      // Arrays of integers/bytes/bools: the element name after the last ']'.
      return /^(\[\d+\])+(u?int(8|16|32|64)?|byte|rune|uintptr|bool)$/.test(t.name);
    default:
      // Floats compare +0 == -0 and NaN != NaN; strings compare contents; structs may
      // hold either or padding. All take the generic path.
      return false;
  }
}

export function assignPath(key: GoType, elem: GoType): AssignPath {
  if (elem.size > maxElemSize) return "slow";
  if (key.kind === "string") return "faststr";
  if (!isMemComparable(key)) return "slow";
  if (key.size === 4 && !key.pointers) return "fast32";
  if (key.size === 8) return key.pointers ? "fast64ptr" : "fast64";
  return "slow";
}
