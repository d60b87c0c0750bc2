/**
 * One Swiss table: an open-addressed hash table of up to maxTableCapacity slots.
 *
 * Follows Go 1.24 src/internal/runtime/maps/table.go (table, newTable, reset,
 * resetGrowthLeft, PutSlot, uncheckedPutSlot, Delete, Clear, rehash, grow, split,
 * probeSeq) and, for pruneTombstones, Go 1.26 table.go. versions.ts says which
 * release does what.
 *
 * Terminology
 *   capacity     slots in the table, a power of two ≥ 8 (Go: table.capacity).
 *   used         full slots (Go: table.used).
 *   growthLeft   inserts still possible before a rehash: it starts at
 *                capacity·maxAvgGroupLoad/8 (capacity − 1 for a single-group table),
 *                every insert into an empty slot takes one, every delete that leaves
 *                ctrlEmpty gives one back, and a tombstone keeps its one.
 *   tombstone    a ctrlDeleted slot (see group.ts).
 *   localDepth   how many top hash bits the directory used when this table was made;
 *                the table owns every hash whose top localDepth bits equal its prefix.
 *   index        the first directory entry pointing here; −1 once replaced (stale).
 *   probe seq    the groups visited for a hash: p(0) = H1 & mask, p(i) = p(i−1) + i,
 *                modulo the group count (triangular numbers visit every group once
 *                when the count is a power of two).
 *
 * Operations
 *   lookup   walk the probe sequence; in each group test slots whose ctrl equals H2;
 *            stop at the first group with a ctrlEmpty slot.
 *   insert   (PutSlot) the same walk looking for the key. Remember the first
 *            tombstone seen; the walk ends at a group whose first free slot is empty.
 *            A remembered tombstone is reused at no growthLeft cost; otherwise the
 *            empty slot takes one unit of growthLeft. With none left the table is
 *            rehashed and the caller retries through the directory — in Go 1.26+, on
 *            the fast assign paths, after trying pruneTombstones first.
 *   delete   clear the slot; if its group still has a ctrlEmpty slot no probe
 *            sequence can pass through it, so the slot becomes ctrlEmpty and
 *            growthLeft grows; otherwise it becomes a tombstone and growthLeft stays.
 *   rehash   a table never rehashes in place. Up to maxTableCapacity it is replaced
 *            by one of twice the capacity (grow); at maxTableCapacity it is split
 *            into two tables of maxTableCapacity, one per value of the next hash bit
 *            below localDepth (split). Tombstones are not copied. The old table and
 *            its group array lose their last reference.
 *   prune    (Go 1.26+) mark every group some key's probe sequence passes through
 *            while it holds a free slot, and every group with an empty slot; if the
 *            tombstones in unmarked groups are at least 10% of the capacity (and the
 *            table has that many tombstones at all), turn them into empty slots.
 *   clear    every slot empty, growthLeft reset; the group array is kept.
 *
 *       table (capacity 16: 2 groups of 8, growthLeft starts at 14)
 *       group 0  ctrl [h2 h2 -- DEL h2 -- -- --]  slots [k/e k/e · · k/e · · ·]
 *       group 1  ctrl [-- -- -- -- -- -- -- --]  slots [ · · · · · · · · ]
 *
 * Invariants (checkInvariants)
 *   1. capacity is a power of two, 8 ≤ capacity ≤ maxTableCapacity, and equals
 *      (lengthMask + 1)·8.
 *   2. used equals the number of full control bytes.
 *   3. growthLeft == capacity·7/8 − used − tombstones (capacity − 1 − … for 8 slots),
 *      and is ≥ 0.
 *   4. At least one slot is ctrlEmpty, so every probe sequence ends.
 *   5. Every full slot's ctrl is the H2 of its key, and a lookup of the key along
 *      its probe sequence finds exactly that slot.
 *   6. Every key's top localDepth hash bits select this table in the directory.
 */
import type { Allocator, ObjectHandle } from "../contract.ts";
import { hashKey } from "../hash.ts";
import { NONE, type EntryObjects } from "../entry-objects.ts";
import {
  Groups,
  type SlotArena,
  type SlotChunk,
  ctrlDeleted,
  ctrlEmpty,
  h2Mask,
  matchEmpty,
  matchEmptyOrDeleted,
  matchH2,
  slotOf,
} from "./group.ts";
import { type GroupLayout, groupSlots, tableHeaderSize } from "./layout.ts";

export const maxTableCapacity = 1024; // slots; a full table at this size splits instead of growing
export const maxAvgGroupLoad = 7; // of 8 slots per group: the 7/8 load factor

/** Scratch for hashKey: [low 32 bits, high 32 bits]. Shared; never held across calls. */
export const H = new Uint32Array(2);

/** What a table needs from its map (Go passes *Map to the table's methods). */
export interface TableHost {
  readonly heap: Allocator;
  readonly layout: GroupLayout;
  readonly objects: EntryObjects;
  /** Where every group array's slots live (group.ts). */
  readonly arena: SlotArena;
  /** Hash seed (Go: Map.seed). */
  readonly seed: number;
  /** Entries in the whole map (Go: Map.used). */
  used: number;
  /** Tables made since the map began: for pictures and tests. */
  tablesAllocated: number;
  replaceTable(nt: Table): void;
  installTableSplit(old: Table, left: Table, right: Table): void;
}

/**
 * uncheckedPutSlot's probe: the first empty-or-deleted slot (chunk index) on the probe
 * sequence of hash `lo` in the group array at `base` with `lengthMask`.
 */
function freeSlot(c32: Uint32Array, base: number, lengthMask: number, lo: number): number {
  const w = base >>> 2;
  let off = (lo >>> 7) & lengthMask;
  for (let step = 1; ; step++) {
    const e0 = matchEmptyOrDeleted(c32[w + (off << 1)] as number);
    const e1 = matchEmptyOrDeleted(c32[w + (off << 1) + 1] as number);
    if ((e0 | e1) !== 0) return base + (off << 3) + (e0 !== 0 ? slotOf(e0) : 4 + slotOf(e1));
    off = (off + step) & lengthMask;
  }
}

function alignUpPow2(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

export class Table {
  used = 0;
  capacity: number;
  growthLeft = 0;
  localDepth: number;
  index: number;
  readonly groups: Groups;
  /** Copies of groups.chunk, .base and .lengthMask: probes read them without a second hop. */
  readonly chunk: SlotChunk;
  readonly base: number;
  readonly lengthMask: number;
  /** The table struct on the Go heap (Go: &table{...}, 32 bytes). */
  readonly handle: ObjectHandle;
  /** Set by putSlot: true when it inserted a new key, false when it found one. */
  putInserted = false;

  /** Go: newTable(typ, capacity, index, localDepth). */
  constructor(host: TableHost, capacity: number, index: number, localDepth: number) {
    if (capacity < groupSlots) capacity = groupSlots;
    if (capacity > maxTableCapacity) throw new Error("initial table capacity too large");
    this.index = index;
    this.localDepth = localDepth;
    this.handle = host.heap.alloc(tableHeaderSize, false);
    host.tablesAllocated++;
    this.capacity = alignUpPow2(capacity);
    const { groupSize, groupNoscan } = host.layout;
    this.groups = new Groups(host.heap, host.arena, this.capacity / groupSlots, groupSize, groupNoscan);
    this.chunk = this.groups.chunk;
    this.base = this.groups.base;
    this.lengthMask = this.groups.lengthMask;
    this.growthLeft = this.maxGrowthLeft();
  }

  /** Inserts an empty table of this capacity allows (Go: resetGrowthLeft / maxGrowthLeft). */
  maxGrowthLeft(): number {
    if (this.capacity <= groupSlots) return this.capacity - 1; // one empty slot must end every probe
    return (this.capacity * maxAvgGroupLoad) / groupSlots;
  }

  /** Go: table.tombstones(). */
  tombstones(): number {
    return (((this.capacity * maxAvgGroupLoad) / groupSlots) | 0) - this.used - this.growthLeft;
  }

  /**
   * The slot holding `key` (relative to the table: group·8 + i), or −1 (Go:
   * getWithoutKey). `lo` is the hash's low word.
   */
  find(key: number, lo: number): number {
    const { ctrl, c32, keys } = this.chunk;
    const { base, lengthMask } = this;
    const w = base >>> 2; // c32 index of the table's first word
    const h2 = lo & h2Mask;
    let off = (lo >>> 7) & lengthMask;
    for (let step = 1; ; step++) {
      const g = base + (off << 3);
      const w0 = c32[w + (off << 1)] ?? 0;
      const w1 = c32[w + (off << 1) + 1] ?? 0;
      for (let m = matchH2(w0, h2); m !== 0; m &= m - 1) {
        const a = g + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) return a - base;
      }
      for (let m = matchH2(w1, h2); m !== 0; m &= m - 1) {
        const a = g + 4 + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) return a - base;
      }
      if ((matchEmpty(w0) | matchEmpty(w1)) !== 0) return -1;
      off = (off + step) & lengthMask;
    }
  }

  /**
   * Go: table.PutSlot (and the same loop inlined in runtime_mapassign*). Returns the
   * slot of `key` — found (putInserted false) or newly claimed (putInserted true, key
   * stored, ctrl set, counters updated) — or −1 after rehashing the table, in which
   * case this table is stale and the caller looks the key up in the directory again.
   */
  putSlot(host: TableHost, key: number, lo: number, prune: boolean): number {
    const { ctrl, c32, keys } = this.chunk;
    const { base, lengthMask } = this;
    const w = base >>> 2;
    const h2 = lo & h2Mask;
    let off = (lo >>> 7) & lengthMask;
    let firstDeleted = -1; // chunk index
    for (let step = 1; ; step++) {
      const g = base + (off << 3);
      const w0 = c32[w + (off << 1)] ?? 0;
      const w1 = c32[w + (off << 1) + 1] ?? 0;
      for (let m = matchH2(w0, h2); m !== 0; m &= m - 1) {
        const a = g + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) {
          this.putInserted = false;
          return a - base;
        }
      }
      for (let m = matchH2(w1, h2); m !== 0; m &= m - 1) {
        const a = g + 4 + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) {
          this.putInserted = false;
          return a - base;
        }
      }
      // The first empty-or-deleted slot of the group (matchEmptyOrDeleted().first()).
      const e0 = matchEmptyOrDeleted(w0);
      const e1 = matchEmptyOrDeleted(w1);
      if ((e0 | e1) === 0) {
        off = (off + step) & lengthMask; // a full group: keep probing
        continue;
      }
      const free = e0 !== 0 ? g + slotOf(e0) : g + 4 + slotOf(e1);
      if (ctrl[free] === ctrlDeleted) {
        if (firstDeleted < 0) firstDeleted = free;
        off = (off + step) & lengthMask;
        continue;
      }
      // An empty slot: the end of the probe sequence.
      let a = free;
      if (firstDeleted >= 0) {
        a = firstDeleted;
        this.growthLeft++; // reusing a tombstone costs nothing; undone below
      }
      if (this.growthLeft === 0 && prune) this.pruneTombstones(host);
      if (this.growthLeft > 0) {
        ctrl[a] = h2;
        keys[a] = key;
        this.growthLeft--;
        this.used++;
        host.used++;
        this.putInserted = true;
        return a - base;
      }
      this.rehash(host);
      return -1;
    }
  }

  /**
   * Go: uncheckedPutSlot — place an entry known to be absent into a table known to
   * have room and no tombstones (a table being built by grow or split).
   */
  uncheckedPutSlot(key: number, lo: number, elem: number, keyObj: number, elemObj: number): void {
    const chunk = this.chunk;
    const { ctrl, c32 } = chunk;
    const { base, lengthMask } = this;
    const w = base >>> 2;
    let off = (lo >>> 7) & lengthMask;
    for (let step = 1; ; step++) {
      const e0 = matchEmptyOrDeleted(c32[w + (off << 1)] ?? 0);
      const e1 = matchEmptyOrDeleted(c32[w + (off << 1) + 1] ?? 0);
      if ((e0 | e1) !== 0) {
        const a = base + (off << 3) + (e0 !== 0 ? slotOf(e0) : 4 + slotOf(e1));
        ctrl[a] = lo & h2Mask;
        chunk.keys[a] = key;
        if (chunk.elems !== null) chunk.elems[a] = elem;
        if (chunk.keyObj !== null) chunk.keyObj[a] = keyObj;
        if (chunk.elemObj !== null) chunk.elemObj[a] = elemObj;
        this.growthLeft--;
        this.used++;
        return;
      }
      off = (off + step) & lengthMask;
    }
  }

  /**
   * Go: table.Delete. Returns 0 when the key is absent, 1 when its slot became
   * ctrlEmpty, 2 when it became a tombstone. Drops the entry's heap objects.
   */
  delete(host: TableHost, key: number, lo: number): 0 | 1 | 2 {
    const chunk = this.chunk;
    const { ctrl, c32, keys } = chunk;
    const { base, lengthMask } = this;
    const w = base >>> 2;
    const h2 = lo & h2Mask;
    let off = (lo >>> 7) & lengthMask;
    for (let step = 1; ; step++) {
      const g = base + (off << 3);
      const w0 = c32[w + (off << 1)] ?? 0;
      const w1 = c32[w + (off << 1) + 1] ?? 0;
      let hit = -1;
      for (let m = matchH2(w0, h2); m !== 0 && hit < 0; m &= m - 1) {
        const a = g + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) hit = a;
      }
      for (let m = matchH2(w1, h2); m !== 0 && hit < 0; m &= m - 1) {
        const a = g + 4 + slotOf(m);
        if (ctrl[a] === h2 && keys[a] === key) hit = a;
      }
      const hasEmpty = (matchEmpty(w0) | matchEmpty(w1)) !== 0;
      if (hit >= 0) {
        this.used--;
        host.used--;
        if (chunk.keyObj !== null) host.objects.dropKey(chunk.keyObj[hit] ?? 0);
        if (chunk.elemObj !== null) host.objects.dropElem(chunk.elemObj[hit] ?? 0);
        if (hasEmpty) {
          ctrl[hit] = ctrlEmpty;
          this.growthLeft++;
          return 1;
        }
        ctrl[hit] = ctrlDeleted;
        return 2;
      }
      if (hasEmpty) return 0;
      off = (off + step) & lengthMask;
    }
  }

  /**
   * Table.delete for every key from + j·step in [from, to), slot by slot in memory
   * order (SwissMap.deleteRange). The result is
   * the one key-by-key deletes leave in any order: a group that has an empty slot
   * keeps one, so each of its deletes leaves ctrlEmpty; a group without one only
   * gains tombstones. Returns whether it left a tombstone. With `deleted`, marks
   * deleted[(k − from) / step] for every key k it deleted (MapImpl.deleteRange); with
   * `heads`, stores the entry's key and elem object handles at 2j and 2j + 1 (j =
   * (k − from) / step) for the caller to drop, and leaves them to it.
   */
  deleteRange(
    host: TableHost,
    from: number,
    to: number,
    step: number,
    deleted: Uint8Array | null,
    heads: Int32Array | null = null,
  ): boolean {
    const { ctrl, c32, keys, keyObj, elemObj } = this.chunk;
    const { base, lengthMask } = this;
    const w = base >>> 2;
    let tombstones = false;
    let used = this.used;
    let growthLeft = this.growthLeft;
    for (let off = 0; off <= lengthMask; off++) {
      const g = base + (off << 3);
      const hasEmpty =
        (matchEmpty(c32[w + (off << 1)] ?? 0) | matchEmpty(c32[w + (off << 1) + 1] ?? 0)) !== 0;
      for (let a = g; a < g + 8; a++) {
        if (((ctrl[a] as number) & ctrlEmpty) !== 0) continue; // empty or deleted
        const key = keys[a] as number;
        if (key < from || key >= to || (step !== 1 && (key - from) % step !== 0)) continue;
        used--;
        const j = (key - from) / step;
        if (deleted !== null) deleted[j] = 1;
        if (heads !== null) {
          heads[2 * j] = keyObj === null ? NONE : (keyObj[a] as number);
          heads[2 * j + 1] = elemObj === null ? NONE : (elemObj[a] as number);
        }
        if (hasEmpty) {
          ctrl[a] = ctrlEmpty;
          growthLeft++;
        } else {
          ctrl[a] = ctrlDeleted;
          tombstones = true;
        }
      }
    }
    host.used -= this.used - used;
    this.used = used;
    this.growthLeft = growthLeft;
    return tombstones;
  }

  /** Go: table.Clear — every slot empty, the group array kept. */
  clear(host: TableHost): void {
    const chunk = this.chunk;
    const { base, slots } = this.groups;
    const ctrl = chunk.ctrl;
    if (chunk.keyObj !== null || chunk.elemObj !== null) {
      for (let a = base; a < base + slots; a++) {
        if (((ctrl[a] ?? 0) & ctrlEmpty) !== 0) continue;
        if (chunk.keyObj !== null) host.objects.dropKey(chunk.keyObj[a] ?? 0);
        if (chunk.elemObj !== null) host.objects.dropElem(chunk.elemObj[a] ?? 0);
      }
    }
    ctrl.fill(ctrlEmpty, base, base + slots);
    this.used = 0;
    this.growthLeft = this.maxGrowthLeft();
  }

  /** Go: table.rehash — grow to twice the capacity, or split at maxTableCapacity. */
  rehash(host: TableHost): void {
    const newCapacity = 2 * this.capacity;
    if (newCapacity <= maxTableCapacity) this.grow(host, newCapacity);
    else this.split(host);
  }

  /** Go: table.grow — copy every full slot into a new, larger table. */
  grow(host: TableHost, newCapacity: number): void {
    const nt = new Table(host, newCapacity, this.index, this.localDepth);
    this.moveAll(host, nt, null, 0);
    host.replaceTable(nt);
    this.index = -1;
    this.release(host);
  }

  /** Go: table.split — divide the entries by the next hash bit into two tables. */
  split(host: TableHost): void {
    const localDepth = this.localDepth + 1;
    const left = new Table(host, maxTableCapacity, -1, localDepth);
    const right = new Table(host, maxTableCapacity, -1, localDepth);
    this.moveAll(host, left, right, 32 - localDepth);
    host.installTableSplit(this, left, right);
    this.index = -1;
    this.release(host);
  }

  /**
   * Copy every full slot into `dst`, or into `b` when `b` is given and bit `bit` of
   * the hash's high word is set (Go: hash & localDepthMask(localDepth)).
   */
  private moveAll(host: TableHost, dst: Table, b: Table | null, bit: number): void {
    const { ctrl, keys, elems, keyObj, elemObj } = this.chunk;
    const { base, slots } = this.groups;
    const seed = host.seed;
    // uncheckedPutSlot inlined, with both destinations' arrays in locals.
    const x = b ?? dst;
    const dc = dst.chunk;
    const xc = x.chunk;
    const dBase = dst.base;
    const xBase = x.base;
    const dMask = dst.lengthMask;
    const xMask = x.lengthMask;
    let dn = 0;
    let xn = 0;
    for (let a = base; a < base + slots; a++) {
      const c = ctrl[a] as number;
      if ((c & ctrlEmpty) !== 0) continue; // empty or deleted
      const key = keys[a] as number;
      hashKey(key, seed, H);
      const lo = H[0] as number;
      const toX = b !== null && (((H[1] as number) >>> bit) & 1) === 1;
      const tc = toX ? xc : dc;
      const s = toX ? freeSlot(tc.c32, xBase, xMask, lo) : freeSlot(tc.c32, dBase, dMask, lo);
      tc.ctrl[s] = c; // the H2 of the key, as stored here
      tc.keys[s] = key;
      if (tc.elems !== null) tc.elems[s] = elems === null ? key : (elems[a] as number);
      if (tc.keyObj !== null) tc.keyObj[s] = keyObj === null ? 0 : (keyObj[a] as number);
      if (tc.elemObj !== null) tc.elemObj[s] = elemObj === null ? 0 : (elemObj[a] as number);
      if (toX) xn++;
      else dn++;
    }
    dst.growthLeft -= dn;
    dst.used += dn;
    if (b !== null) {
      b.growthLeft -= xn;
      b.used += xn;
    }
  }

  /** The table and its groups lose their last reference. */
  release(host: TableHost): void {
    this.groups.release(host.heap, host.arena);
    host.heap.drop(this.handle);
  }

  /**
   * Go 1.26 table.pruneTombstones: turn tombstones no probe sequence needs back into
   * empty slots, but only when that recovers at least 10% of the capacity.
   */
  pruneTombstones(host: TableHost): void {
    if (this.tombstones() * 10 < this.capacity) return; // not worth an O(capacity) pass
    const { ctrl, keys } = this.chunk;
    const { base, lengthMask } = this;
    const nGroups = lengthMask + 1;
    const needed = new Uint8Array(nGroups);
    const seed = host.seed;
    const groupHasFree = (gi: number): boolean => {
      const g = base + (gi << 3);
      for (let a = g; a < g + 8; a++) if (((ctrl[a] ?? 0) & ctrlEmpty) !== 0) return true;
      return false;
    };
    for (let gi = 0; gi < nGroups; gi++) {
      const g = base + (gi << 3);
      let hasEmpty = false;
      for (let a = g; a < g + 8; a++) {
        const c = ctrl[a] ?? 0;
        if (c === ctrlEmpty) hasEmpty = true;
        if ((c & ctrlEmpty) !== 0) continue;
        // Walk this key's probe sequence up to its own group; a group passed on the
        // way that has a free slot can only hold tombstones, and they are needed.
        hashKey(keys[a] ?? 0, seed, H);
        let off = ((H[0] ?? 0) >>> 7) & lengthMask;
        for (let step = 1; off !== gi; step++) {
          if (groupHasFree(off)) needed[off] = 1;
          off = (off + step) & lengthMask;
        }
      }
      if (hasEmpty) needed[gi] = 1; // nothing to prune in a group with an empty slot
    }
    let cnt = 0;
    for (let gi = 0; gi < nGroups; gi++) {
      if (needed[gi] === 1) continue;
      const g = base + (gi << 3);
      for (let a = g; a < g + 8; a++) if (ctrl[a] === ctrlDeleted) cnt++;
    }
    if (cnt * 10 < this.capacity) return; // the caller grows instead
    for (let gi = 0; gi < nGroups; gi++) {
      if (needed[gi] === 1) continue;
      const g = base + (gi << 3);
      for (let a = g; a < g + 8; a++) {
        if (ctrl[a] === ctrlDeleted) {
          ctrl[a] = ctrlEmpty;
          this.growthLeft++;
        }
      }
    }
  }

  /** Throws naming the first broken invariant (see the list at the top). */
  checkInvariants(host: TableHost, ownsHash: (hi: number) => boolean): void {
    const fail = (why: string): never => {
      throw new Error(`swiss table invariant: ${why} (index ${this.index}, capacity ${this.capacity})`);
    };
    const chunk = this.chunk;
    const g = this.groups;
    const cap = this.capacity;
    if (cap < groupSlots || cap > maxTableCapacity || (cap & (cap - 1)) !== 0)
      fail("1: capacity not a power of two in [8, 1024]");
    if ((g.lengthMask + 1) * groupSlots !== cap || g.slots !== cap)
      fail("1: group count does not match capacity");
    if (g.base % groupSlots !== 0) fail("1: group array not aligned in its chunk");
    if (g.base + g.slots > chunk.top || chunk !== g.chunk || this.base !== g.base)
      fail("1: group array outside its chunk's allocated slots");
    let full = 0;
    let deleted = 0;
    let empty = 0;
    for (let s = 0; s < cap; s++) {
      const c = chunk.ctrl[g.base + s] ?? 0;
      if (c === ctrlEmpty) empty++;
      else if (c === ctrlDeleted) deleted++;
      else if ((c & ctrlEmpty) !== 0) fail(`bad control byte ${c} at slot ${s}`);
      else {
        full++;
        const key = chunk.keys[g.base + s] ?? 0;
        hashKey(key, host.seed, H);
        const lo = H[0] ?? 0;
        const hi = H[1] ?? 0;
        if ((lo & h2Mask) !== c) fail(`5: slot ${s} ctrl ${c} is not the H2 of key ${key}`);
        if (this.find(key, lo) !== s) fail(`5: key ${key} in slot ${s} is not found by its probe sequence`);
        if (!ownsHash(hi)) fail(`6: key ${key} belongs to another table`);
      }
    }
    if (full !== this.used) fail(`2: used ${this.used} but ${full} full slots`);
    if (this.growthLeft < 0) fail("3: growthLeft negative");
    const want = (cap <= groupSlots ? cap - 1 : (cap * maxAvgGroupLoad) / groupSlots) - this.used - deleted;
    if (this.growthLeft !== want)
      fail(`3: growthLeft ${this.growthLeft}, expected ${want} (${deleted} tombstones)`);
    if (empty === 0) fail("4: no empty slot");
  }
}
