/**
 * Groups: eight slots and their control word, and the array of groups a table owns.
 *
 * Follows Go 1.24 src/internal/runtime/maps/group.go (ctrl, ctrlGroup, groupReference,
 * groupsReference, newGroups); unchanged in substance through Go 1.27.
 *
 * Terminology
 *   ctrl        one control byte per slot:
 *                 ctrlEmpty    1000_0000  the slot was never used, or was freed
 *                 ctrlDeleted  1111_1110  a tombstone: freed, but probing must go on
 *                 full         0hhh_hhhh  in use; h = H2, the low 7 bits of the hash
 *   ctrlGroup   the 8 control bytes of a group, one uint64 in Go.
 *   H1, H2      hash >> 7 picks the first group to probe; hash & 0x7f is stored in ctrl.
 *   groups      a table's array of 2^k groups, allocated as one heap object of
 *               2^k · groupSize bytes (Go: newarray(typ.Group, n)); lengthMask = 2^k − 1.
 *
 * How the model stores it
 *   Go keeps keys and elems inside the group's bytes. The model keeps them in a
 *   SlotArena made of SlotChunks: each chunk holds one typed array per column, and
 *   each Groups owns the range [base, base + slots) of one chunk, slot s of the
 *   array at index base + s of that chunk's columns:
 *
 *       ctrl     Uint8Array    the control bytes (c32: the same bytes as 32-bit words)
 *       keys     Int32Array    the scenario integer of each key (Float64Array once a
 *                              key outside int32 arrives: widenKeys; scenarios' keys
 *                              all fit, and narrow keys halve what probes touch)
 *       elems    Float64Array  the scenario integer of each elem; absent while every
 *                              elem equals its key (m[i] = i), which halves the
 *                              memory of the article's maps
 *       keyObj   Int32Array    the head handle of the objects the key owns (indirect
 *                              key object, string bytes …; ../entry-objects.ts), when
 *                              the key type has any
 *       elemObj  Int32Array    likewise for the elem (indirect elem object, new(T),
 *                              string bytes, slice backing arrays …)
 *
 *   The bytes Go would use are accounted separately: one heap object of
 *   `length · groupSize` bytes per Groups, allocated here and dropped by its owner.
 *   No JS object exists per entry or per group, and a probe touches no JS object
 *   besides the table and its chunk: a ten-million-entry map stays fast.
 *   Ranges of dropped arrays are reused for new arrays of the same size. When the
 *   newest chunk is full a new one is added, twice the size of the last (64 slots
 *   at first, at most 65,536): nothing is ever copied, so a growing map never pays
 *   for moving its past, and a small map stays small. A chunk's id is its index in
 *   the arena (map.ts's dirInfo names chunks by it).
 *
 * Matching
 *   Go compares all 8 control bytes at once (ctrlGroup.matchH2, matchEmpty,
 *   matchEmptyOrDeleted; SIMD on amd64, 64-bit word tricks elsewhere). The model
 *   applies the same word tricks to the two 32-bit halves of the control word (c32,
 *   little-endian) and confirms every H2 candidate against its control byte and key,
 *   so the slots found, and every placement decision, are Go's.
 *
 * Invariants
 *   1. lengthMask + 1 is a power of two; a Groups owns (lengthMask + 1) · 8 slots
 *      from a base that is a multiple of 8, and no two live Groups overlap.
 *   2. A freshly allocated array has every ctrl byte ctrlEmpty (Go: setEmpty).
 */
import type { Allocator, ObjectHandle } from "../contract.ts";
import { groupSlots } from "./layout.ts";

export const ctrlEmpty = 0b1000_0000; // slot free; ends a probe sequence
export const ctrlDeleted = 0b1111_1110; // tombstone: slot free, probing continues
export const h2Mask = 0x7f; // H2: the hash bits kept in a full slot's control byte

/*
 * Matching four control bytes at once. Go's portable ctrlGroup code (group.go,
 * matchH2/matchEmpty/matchEmptyOrDeleted) works on the 64-bit control word; these do
 * the same on 32-bit halves, the widest word JS bit operations offer. Each returns a
 * mask with bit 7 of byte i set for a slot i in the set (slotOf turns it into i).
 */
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
  throw new Error("swiss map model: needs a little-endian platform");

const lsb4 = 0x01010101; // the low bit of each byte
const msb4 = 0x80808080 | 0; // the high bit of each byte

/**
 * Slots whose byte equals h2. Like Go's portable matchH2 it may report a false
 * positive above a true match; callers confirm with the control byte and the key.
 */
export function matchH2(w: number, h2: number): number {
  const v = w ^ Math.imul(h2, lsb4);
  return (v - lsb4) & ~v & msb4;
}

/** Slots that are ctrlEmpty (high bit set, bit 1 clear). */
export function matchEmpty(w: number): number {
  return w & ~(w << 6) & msb4;
}

/** Slots that are ctrlEmpty or ctrlDeleted (high bit set). */
export function matchEmptyOrDeleted(w: number): number {
  return w & msb4;
}

/** The lowest slot (0–3) in a non-zero mask (Go: bitset.first). */
export function slotOf(mask: number): number {
  return (31 - Math.clz32(mask & -mask)) >>> 3;
}

/** The column layout of a Groups; which optional columns exist. */
export interface GroupColumns {
  readonly keyObj: boolean;
  readonly elemObj: boolean;
}

/** One run of slots: a typed array per column (see "How the model stores it"). */
export class SlotChunk {
  ctrl: Uint8Array;
  /** ctrl as little-endian 32-bit words: word w holds slots 4w … 4w+3. */
  c32: Uint32Array;
  keys: Int32Array | Float64Array;
  elems: Float64Array | null;
  keyObj: Int32Array | null;
  elemObj: Int32Array | null;
  /** Slots this chunk holds. */
  readonly cap: number;
  /** Slots handed out from the start of the chunk. */
  top = 0;
  /** This chunk's index in its arena's chunks. */
  readonly id: number;

  constructor(id: number, cap: number, cols: GroupColumns, wideKeys: boolean, elems: boolean) {
    this.id = id;
    this.cap = cap;
    this.ctrl = new Uint8Array(cap);
    this.c32 = new Uint32Array(this.ctrl.buffer);
    this.keys = wideKeys ? new Float64Array(cap) : new Int32Array(cap);
    this.elems = elems ? new Float64Array(cap) : null;
    this.keyObj = cols.keyObj ? new Int32Array(cap) : null;
    this.elemObj = cols.elemObj ? new Int32Array(cap) : null;
  }
}

/** A range of slots: `base` is the index of its first slot in `chunk`'s columns. */
export interface SlotRange {
  readonly chunk: SlotChunk;
  readonly base: number;
}

/** The map-wide storage of every group array's slots (see "How the model stores it"). */
export class SlotArena {
  readonly chunks: SlotChunk[] = [];
  /** Some key was outside int32: every chunk stores Float64 keys. */
  wideKeys = false;
  /** Some elem differs from its key: every chunk stores elems. */
  elemsStored = false;
  private readonly cols: GroupColumns;
  /** Released ranges, by range size. */
  private readonly free = new Map<number, SlotRange[]>();
  private static readonly firstChunk = 64; // slots: a few small maps' worth
  private static readonly maxChunk = 65_536; // slots: 64 tables of the largest size

  constructor(cols: GroupColumns) {
    this.cols = cols;
  }

  /** A range of `slots` slots (a multiple of 8), every control byte ctrlEmpty. */
  alloc(slots: number): SlotRange {
    let r = this.free.get(slots)?.pop();
    if (r === undefined) {
      let chunk = this.chunks.at(-1);
      if (chunk === undefined || chunk.top + slots > chunk.cap) {
        const last = chunk?.cap ?? SlotArena.firstChunk / 2;
        const cap = Math.max(slots, Math.min(2 * last, SlotArena.maxChunk));
        chunk = new SlotChunk(this.chunks.length, cap, this.cols, this.wideKeys, this.elemsStored);
        this.chunks.push(chunk);
      }
      r = { chunk, base: chunk.top };
      chunk.top += slots;
    }
    r.chunk.ctrl.fill(ctrlEmpty, r.base, r.base + slots);
    return r;
  }

  release(r: SlotRange, slots: number): void {
    let list = this.free.get(slots);
    if (list === undefined) this.free.set(slots, (list = []));
    list.push(r);
  }

  /** Store keys as Float64 from now on: a key outside int32 is about to arrive. */
  widenKeys(): void {
    if (this.wideKeys) return;
    this.wideKeys = true;
    for (const c of this.chunks) c.keys = Float64Array.from(c.keys);
  }

  /** Start storing elems: each elem so far equals its key. */
  materializeElems(): void {
    if (this.elemsStored) return;
    this.elemsStored = true;
    for (const c of this.chunks) c.elems = Float64Array.from(c.keys);
  }
}

/** An array of groups (Go: groupsReference) and the heap object behind it. */
export class Groups {
  /** The chunk holding this array's slots, and the index of its first slot there. */
  readonly chunk: SlotChunk;
  readonly base: number;
  /** Slots: (lengthMask + 1) · 8. */
  readonly slots: number;
  /** Number of groups − 1 (Go: groupsReference.lengthMask). */
  readonly lengthMask: number;
  /** The group array on the Go heap. */
  readonly handle: ObjectHandle;
  /** Bytes of that object as requested from mallocgc. */
  readonly bytes: number;

  /** Go: newGroups(typ, length) followed by setEmpty on every control word. */
  constructor(heap: Allocator, arena: SlotArena, length: number, groupSize: number, noscan: boolean) {
    this.slots = length * groupSlots;
    this.lengthMask = length - 1;
    this.bytes = length * groupSize;
    this.handle = heap.alloc(this.bytes, noscan);
    const r = arena.alloc(this.slots);
    this.chunk = r.chunk;
    this.base = r.base;
  }

  /** The array is unreachable in Go: drop it, and let the arena reuse its slots. */
  release(heap: Allocator, arena: SlotArena): void {
    heap.drop(this.handle);
    arena.release({ chunk: this.chunk, base: this.base }, this.slots);
  }

  /** Slots in use, by counting control bytes (for invariant checks and pictures). */
  countFull(): number {
    const ctrl = this.chunk.ctrl;
    let n = 0;
    for (let s = this.base; s < this.base + this.slots; s++) if (((ctrl[s] ?? 0) & ctrlEmpty) === 0) n++;
    return n;
  }

  countDeleted(): number {
    const ctrl = this.chunk.ctrl;
    let n = 0;
    for (let s = this.base; s < this.base + this.slots; s++) if (ctrl[s] === ctrlDeleted) n++;
    return n;
  }
}
