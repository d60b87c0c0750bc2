/**
 * The Swiss-table map of Go 1.24+: a small map of one group, or a directory of tables.
 *
 * Follows Go 1.24 src/internal/runtime/maps/map.go (Map, NewMap, PutSlot,
 * putSlotSmall, growToSmall, growToTable, Delete, deleteSmall, Clear, clearSmall,
 * directoryIndex, replaceTable, installTableSplit) and the assign routines of
 * runtime_swiss.go / runtime_fast64_swiss.go; versions.ts lists what Go 1.25–1.27
 * change and the evidence.
 *
 * Terminology
 *   small map    a map that has only ever needed ≤ 8 slots: dirPtr points at a single
 *                group, dirLen is 0, and there is no table. A small map never has
 *                tombstones: with one group there is no probe sequence to keep intact.
 *   directory    the slice of table pointers, 2^globalDepth entries. The top
 *                globalDepth bits of a hash pick the entry.
 *   globalDepth  bits of the hash the directory uses (Go: Map.globalDepth).
 *   localDepth   bits a given table is responsible for; a table with localDepth d
 *                fills 2^(globalDepth − d) consecutive directory entries.
 *   hint         make(map[K]V, hint): sizes the tables up front.
 *
 * Operations
 *   make     allocates the 48-byte Map. hint ≤ 8: nothing else — the group comes
 *            with the first insert. hint > 8: targetCapacity = hint·8/7 slots, split
 *            over dirSize = nextPow2(ceil(targetCapacity / 1024)) tables, each of
 *            targetCapacity/dirSize slots (rounded up to a power of two, at least 8).
 *   insert   the first insert allocates the group (growToSmall). A small map takes
 *            up to 8 entries; the 9th insert (in Go ≤1.26 any assignment to a full
 *            small map) converts it: a 16-slot table plus a 1-entry directory, every
 *            entry re-inserted, the group dropped (growToTable). A table that runs out
 *            of growthLeft grows or splits (table.ts); a split whose table already
 *            uses every directory bit doubles the directory first.
 *   delete   small map: the slot becomes empty. Table: see table.ts. When the last
 *            entry goes, the seed is replaced (Go: rand(); here the next value of a
 *            deterministic sequence), so keys land elsewhere afterwards.
 *   clear    every table is emptied in place, the directory and every group array are
 *            kept (no release shrinks a map on clear); a small map's group is emptied.
 *            A new seed follows.
 *   nil      m = nil (drop()): the Map, directory, tables, groups and every entry
 *            object lose their last reference.
 *   ranges   writeKeys (MapImpl.writeKeys) is insertRange's and a sampled deleteRange's
 *            loop: keys go in batches of readAhead, each batch hashed and its first
 *            control words, key slots and tables read in one tight loop (the cache
 *            misses overlap; dirInfo gives each directory entry's chunk, base and mask
 *            without the table object), then written in order. An insert of an absent
 *            key that meets no tombstone in a table with growthLeft, and a delete that
 *            does not empty the map, run inline; anything else is one set() or
 *            delete(). The result is exactly the key-by-key loop's.
 *
 *       directory (globalDepth 2)          tables
 *       ┌────┐
 *       │ 00 │──┐
 *       ├────┤  ├──► table A  localDepth 1   (owns hashes 0…)
 *       │ 01 │──┘
 *       ├────┤
 *       │ 10 │────► table B  localDepth 2   (owns hashes 10…)
 *       ├────┤
 *       │ 11 │────► table C  localDepth 2   (owns hashes 11…)
 *       └────┘
 *
 * Heap objects (each one alloc()ed and later drop()ped through the Allocator)
 *   Map 48 B · directory 8·dirLen B · table 32 B each · group array groupSize·groups
 *   B each · per entry: indirect key/elem objects and what the values point to
 *   (string bytes, slice backing arrays, new(T)), ../entry-objects.ts. Every call
 *   reaches the heap through one HeapGate, where writeKeys first brings the
 *   runtime's clock up to the keys it has written (its `sync`).
 *
 * Invariants (checkInvariants)
 *   1. used equals the sum of the tables' used (or the small group's full slots).
 *   2. A small map has dirLen 0, no tombstones and at most 8 entries.
 *   3. dirLen == 2^globalDepth; a table with localDepth d ≤ globalDepth fills exactly
 *      the 2^(globalDepth−d) entries from its index, and index is a multiple of that.
 *   4. Every table passes table.ts's invariants; every key lies in the table the
 *      directory gives for its hash.
 *   5. The entry objects alive equal used (for types that have them).
 */
import type {
  Allocator,
  GoType,
  MapImpl,
  MapInternals,
  MapOptions,
  ObjectHandle,
  SwissInternals,
  SwissView,
} from "../contract.ts";
import { deriveSeed, hashKey } from "../hash.ts";
import { isTiny, mallocSize } from "../heap/malloc.ts";
import { dropInKeyOrder, EntryObjects, HeapGate, NONE } from "../entry-objects.ts";
import {
  type GroupColumns,
  Groups,
  SlotArena,
  type SlotChunk,
  ctrlDeleted,
  ctrlEmpty,
  h2Mask,
  slotOf,
} from "./group.ts";
import {
  type AssignPath,
  type GroupLayout,
  assignPath,
  groupLayout,
  groupSlots,
  mapHeaderSize,
  maxAlloc,
  ptrSize,
  tableHeaderSize,
} from "./layout.ts";
import { H, Table, type TableHost, maxAvgGroupLoad, maxTableCapacity } from "./table.ts";
import { type SwissRules, swissRules } from "./versions.ts";
import { swissView } from "./view.ts";

/** Every Swiss-map release (1.24+) has malloc headers (Go 1.22+). */
const goMalloc = { mallocHeader: true } as const;

/** insertKeysInline's read-ahead ring: the hash's low word and directory index of the keys ahead. */
const ringMask = 63;
const ringHashLo = new Uint32Array(ringMask + 1);
const ringDirIndex = new Int32Array(ringMask + 1);
/** Where read-ahead values go, so that the reads are not optimised away. */
const warmSink = { value: 0 };

function nextPow2(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

export class SwissMap implements MapImpl, TableHost {
  /**
   * warm() works only once the directory addresses this many slots: smaller maps
   * mostly stay in the CPU caches, and reading ahead would only cost time (measured:
   * the article's 1M-entry map ran 10% slower with it, 10M entries 15% faster).
   * Tests lower it.
   */
  static warmMinSlots = 1 << 22;
  /** Keys writeKeys hashes and reads in one batch before writing them (at most 64; ≤ 1: none). */
  static readAhead = 16;
  readonly heap: Allocator;
  readonly layout: GroupLayout;
  readonly cols: GroupColumns;
  readonly objects: EntryObjects;
  readonly rules: SwissRules;
  readonly arena: SlotArena;
  readonly keyType: GoType;
  readonly elemType: GoType;
  /** Which mapassign routine the compiler would call (decides pruning). */
  readonly path: AssignPath;
  private readonly prune: boolean;

  used = 0;
  seed: number;
  private readonly seedBase: number;
  private reseeds = 0;
  globalDepth = 0;
  /** The small map's group (Go: dirPtr when dirLen == 0), null before the first insert. */
  small: Groups | null = null;
  /** The directory (Go: dirPtr when dirLen > 0); empty for a small map. */
  directory: Table[] = [];
  /** The directory slice's heap object, −1 when there is none. */
  private dirHandle: ObjectHandle = -1;
  private readonly header: ObjectHandle;
  /** Go 1.26+: Map.tombstonePossible. */
  tombstonePossible = false;
  /** Tables made since the map began (make, growths, splits). */
  tablesAllocated = 0;
  /** Go's Map.clearSeq: clear() calls that did work. */
  clearSeq = 0;
  private dropped = false;
  /** The heap behind this.heap (HeapGate). */
  private readonly gate: HeapGate;
  /** writeKeys' sync, and the keys it has done and synced so far (−: outside writeKeys). */
  private wkSync: ((n: number) => void) | null = null;
  private wkDone = 0;
  private wkSynced = 0;
  private readonly syncBeforeHeap = (): void => {
    const n = this.wkDone - this.wkSynced;
    if (n > 0 && this.wkSync !== null) {
      this.wkSynced = this.wkDone;
      this.wkSync(n);
    }
  };

  constructor(opts: MapOptions) {
    this.rules = swissRules(opts.go);
    this.gate = new HeapGate(opts.heap);
    this.heap = this.gate;
    this.keyType = opts.key;
    this.elemType = opts.elem;
    this.layout = groupLayout(opts.key, opts.elem);
    this.objects = new EntryObjects(
      this.heap,
      opts.key,
      opts.elem,
      this.layout.indirectKey,
      this.layout.indirectElem,
      goMalloc,
    );
    this.cols = { keyObj: this.objects.keyOwns, elemObj: this.objects.elemOwns };
    this.arena = new SlotArena(this.cols);
    this.path = assignPath(opts.key, opts.elem);
    this.prune =
      this.rules.pruneTombstones &&
      (this.path === "fast32" ||
        this.path === "fast64" ||
        this.path === "faststr" ||
        (this.path === "fast64ptr" && this.rules.pruneOnPointerKeys));
    this.seedBase = opts.seed >>> 0;
    this.seed = this.seedBase;
    this.header = this.heap.alloc(mapHeaderSize, false); // new(Map)
    this.makeWithHint(Math.max(0, Math.floor(opts.hint)));
  }

  /** Go: NewMap's sizing for hint > 8. */
  private makeWithHint(hint: number): void {
    if (hint <= groupSlots) return; // the group is allocated by the first insert
    const targetCapacity = Math.floor((hint * groupSlots) / maxAvgGroupLoad);
    const dirSize = nextPow2(Math.ceil(targetCapacity / maxTableCapacity));
    if (dirSize * maxTableCapacity * this.layout.groupSize > maxAlloc) return; // Go returns an empty map
    this.globalDepth = Math.round(Math.log2(dirSize));
    this.dirHandle = this.heap.alloc(dirSize * ptrSize, false); // make([]*table, dirSize)
    const perTable = Math.floor(targetCapacity / dirSize);
    for (let i = 0; i < dirSize; i++) this.directory.push(new Table(this, perTable, i, this.globalDepth));
    this.rebuildDirInfo();
  }

  get len(): number {
    return this.used;
  }

  /** Go: Map.directoryIndex — the top globalDepth bits of the hash. */
  private dirIndex(hi: number): number {
    return this.globalDepth === 0 ? 0 : hi >>> (32 - this.globalDepth);
  }

  /**
   * Reads the control word and key slot where a probe for `key` starts, changing
   * nothing (see MapImpl.warm): range loops call it a few keys ahead so that the
   * cache misses of consecutive keys overlap.
   */
  warm(key: number): number {
    const n = this.directory.length;
    if (n === 0 || n * maxTableCapacity < SwissMap.warmMinSlots) return 0;
    hashKey(key, this.seed, H);
    const t = this.directory[this.dirIndex(H[1] as number)] as Table;
    const off = ((H[0] as number) >>> 7) & t.lengthMask;
    const c = t.chunk;
    return (c.c32[(t.base >>> 2) + (off << 1)] as number) + (c.keys[t.base + (off << 3)] as number);
  }

  private newSeed(): void {
    this.reseeds++;
    this.seed = deriveSeed(this.seedBase, this.reseeds);
  }

  // ── insert ─────────────────────────────────────────────────────────────────────

  set(key: number, elem: number = key): void {
    if ((key | 0) !== key) this.arena.widenKeys();
    if (elem !== key) this.arena.materializeElems();
    const objs = this.objects;
    // The program evaluates the key and the value first: a fresh Sprintf string or
    // new(T) exists before mapassign runs.
    const newKeyObj = objs.keyHasProgram ? objs.programKey() : NONE;
    const newElemObj = objs.elemHasProgram ? objs.programElem() : NONE;

    hashKey(key, this.seed, H);
    const lo = H[0] ?? 0;
    const hi = H[1] ?? 0;

    if (this.directory.length === 0) {
      if (this.small === null) this.growToSmall();
      const g = this.small as Groups;
      const rules = this.rules;
      if (!rules.smallUpdateGrows || this.used < groupSlots) {
        const s = this.putSlotSmall(g, key, lo);
        if (s >= 0) {
          if (this.lastSmallInserted) this.fillNewEntry(g.chunk, g.base + s, elem, newKeyObj, newElemObj);
          else this.updateEntry(g.chunk, g.base + s, elem, newKeyObj, newElemObj);
          return;
        }
      }
      this.growToTable();
    }

    for (;;) {
      const t = this.directory[this.dirIndex(hi)] as Table;
      const s = t.putSlot(this, key, lo, this.prune);
      if (s < 0) continue; // the table was replaced: look again
      if (t.putInserted) this.fillNewEntry(t.chunk, t.base + s, elem, newKeyObj, newElemObj);
      else this.updateEntry(t.chunk, t.base + s, elem, newKeyObj, newElemObj);
      return;
    }
  }

  /** Store the elem of a present key, swapping in the program's fresh objects. */
  private updateEntry(
    chunk: SlotChunk,
    a: number,
    elem: number,
    newKeyObj: ObjectHandle,
    newElemObj: ObjectHandle,
  ): void {
    const objs = this.objects;
    const { elems, keyObj, elemObj } = chunk;
    if (elems !== null) elems[a] = elem;
    if (keyObj !== null) keyObj[a] = objs.updateKey(keyObj[a] ?? NONE, newKeyObj);
    if (elemObj !== null) elemObj[a] = objs.updateElem(elemObj[a] ?? NONE, newElemObj);
  }

  /** A newly claimed slot: its key is set; store elem and objects (Go: newobject for indirect). */
  private fillNewEntry(
    chunk: SlotChunk,
    a: number,
    elem: number,
    newKeyObj: ObjectHandle,
    newElemObj: ObjectHandle,
  ): void {
    const objs = this.objects;
    const { elems, keyObj, elemObj } = chunk;
    if (elems !== null) elems[a] = elem;
    if (keyObj !== null) keyObj[a] = objs.insertKey(newKeyObj);
    if (elemObj !== null) elemObj[a] = objs.insertElem(newElemObj);
  }

  /** Set by putSlotSmall: the returned slot is new. */
  private lastSmallInserted = false;

  /**
   * Go: putSlotSmall. The slot of `key` in the small group, or a newly claimed slot
   * (lastSmallInserted), or −1 when the group is full and the key absent.
   */
  private putSlotSmall(g: Groups, key: number, lo: number): number {
    const { ctrl, keys } = g.chunk;
    const b = g.base;
    const h2 = lo & h2Mask;
    let free = -1;
    for (let j = 0; j < groupSlots; j++) {
      const c = ctrl[b + j] ?? 0;
      if (c === h2 && keys[b + j] === key) {
        this.lastSmallInserted = false;
        return j;
      }
      if (free < 0 && (c & ctrlEmpty) !== 0) free = j;
    }
    if (free < 0) return -1;
    ctrl[b + free] = h2;
    keys[b + free] = key;
    this.used++;
    this.lastSmallInserted = true;
    return free;
  }

  /** Go: growToSmall — the first insert allocates the single group. */
  private growToSmall(): void {
    this.small = new Groups(this.heap, this.arena, 1, this.layout.groupSize, this.layout.groupNoscan);
  }

  /** Go: growToTable — a 16-slot table and a one-entry directory replace the group. */
  private growToTable(): void {
    const g = this.small as Groups;
    const tab = new Table(this, 2 * groupSlots, 0, 0);
    const { ctrl, keys, elems, keyObj, elemObj } = g.chunk;
    for (let a = g.base; a < g.base + groupSlots; a++) {
      if (((ctrl[a] ?? 0) & ctrlEmpty) !== 0) continue;
      const key = keys[a] ?? 0;
      hashKey(key, this.seed, H);
      const elem = elems === null ? key : (elems[a] ?? 0);
      tab.uncheckedPutSlot(key, H[0] ?? 0, elem, keyObj?.[a] ?? 0, elemObj?.[a] ?? 0);
    }
    this.dirHandle = this.heap.alloc(ptrSize, false); // make([]*table, 1)
    this.directory = [tab];
    this.globalDepth = 0;
    this.rebuildDirInfo();
    g.release(this.heap, this.arena);
    this.small = null;
  }

  /** Go: Map.replaceTable — point the table's directory entries at its replacement. */
  replaceTable(nt: Table): void {
    const entries = 1 << (this.globalDepth - nt.localDepth);
    for (let i = 0; i < entries; i++) {
      this.directory[nt.index + i] = nt;
      this.setDirInfo(nt.index + i, nt);
    }
  }

  /**
   * Per directory entry, three Int32s: its table's chunk id, base and lengthMask. The
   * directory's tables in a flat array: writeKeys' read-ahead finds a key's first
   * control word without first loading the table object (one cache miss instead of
   * two in a row). Kept by every change of the directory; nothing else reads it.
   */
  private dirInfo = new Int32Array(0);

  private setDirInfo(i: number, t: Table): void {
    const info = this.dirInfo;
    info[3 * i] = t.chunk.id;
    info[3 * i + 1] = t.base;
    info[3 * i + 2] = t.lengthMask;
  }

  private rebuildDirInfo(): void {
    const dir = this.directory;
    if (this.dirInfo.length < 3 * dir.length) this.dirInfo = new Int32Array(3 * dir.length);
    for (let i = 0; i < dir.length; i++) this.setDirInfo(i, dir[i] as Table);
  }

  /** Go: Map.installTableSplit — double the directory if needed, then install both halves. */
  installTableSplit(old: Table, left: Table, right: Table): void {
    if (old.localDepth === this.globalDepth) {
      const oldDir = this.directory;
      const newDir: Table[] = [];
      for (let i = 0; i < oldDir.length; i++) {
        const t = oldDir[i] as Table;
        newDir.push(t, t);
        if (t.index === i) t.index = 2 * i;
      }
      const newHandle = this.heap.alloc(newDir.length * ptrSize, false);
      this.heap.drop(this.dirHandle);
      this.dirHandle = newHandle;
      this.directory = newDir;
      this.globalDepth++;
      this.rebuildDirInfo();
    }
    left.index = old.index;
    this.replaceTable(left);
    right.index = left.index + (1 << (this.globalDepth - left.localDepth));
    this.replaceTable(right);
  }

  // ── lookup ─────────────────────────────────────────────────────────────────────

  get(key: number): number | undefined {
    if (this.used === 0) return undefined;
    hashKey(key, this.seed, H);
    const lo = H[0] ?? 0;
    if (this.directory.length === 0) {
      const g = this.small as Groups;
      const { ctrl, keys, elems } = g.chunk;
      const b = g.base;
      const h2 = lo & h2Mask;
      for (let a = b; a < b + groupSlots; a++)
        if (ctrl[a] === h2 && keys[a] === key) return elems === null ? key : elems[a];
      return undefined;
    }
    const t = this.directory[this.dirIndex(H[1] ?? 0)] as Table;
    const s = t.find(key, lo);
    if (s < 0) return undefined;
    const elems = t.chunk.elems;
    return elems === null ? key : elems[t.base + s];
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  // ── delete ─────────────────────────────────────────────────────────────────────

  delete(key: number): void {
    if (this.used === 0) return;
    hashKey(key, this.seed, H);
    const lo = H[0] ?? 0;
    if (this.directory.length === 0) {
      this.deleteSmall(this.small as Groups, key, lo);
    } else {
      const t = this.directory[this.dirIndex(H[1] ?? 0)] as Table;
      if (t.delete(this, key, lo) === 2) this.tombstonePossible = true;
    }
    if (this.used === 0) this.newSeed();
  }

  /**
   * MapImpl.deleteRange: a range as large as a quarter of the slots is deleted table
   * by table in memory order (Table.deleteRange); a small map, or a short range, key
   * by key. Entries that own heap objects keep their objects' handles, by key, through
   * the pass, and drop them after it in key order, each after `sync` (Table.delete's
   * drops); their short ranges are writeKeys', with its syncs.
   */
  deleteRange(
    from: number,
    to: number,
    step: number,
    deleted: Uint8Array | null = null,
    sync?: (n: number) => void,
  ): boolean {
    const owns = this.cols.keyObj || this.cols.elemObj;
    if (owns && sync === undefined) return false;
    if (this.used === 0) return true;
    const tables = this.directory.length === 0 ? [] : this.distinctTables();
    let slots = 0;
    for (const t of tables) slots += t.capacity;
    const n = Math.ceil((to - from) / step);
    if (tables.length === 0 || n * 4 < slots) {
      if (owns) return false;
      for (let k = from; k < to; k += step) {
        const n = this.used;
        this.delete(k);
        if (deleted !== null && this.used < n) deleted[(k - from) / step] = 1;
      }
      return true;
    }
    // Each deleted key's key and elem object handles at 2j and 2j + 1, j = (key − from) / step.
    const heads = owns ? new Int32Array(2 * n) : null;
    const mark = owns ? (deleted ?? new Uint8Array(n)) : deleted;
    for (const t of tables)
      if (t.deleteRange(this, from, to, step, mark, heads)) this.tombstonePossible = true;
    if (this.used === 0) this.newSeed();
    if (heads !== null && mark !== null && sync !== undefined) {
      const objs = this.objects;
      const dropKeys = this.cols.keyObj;
      const dropElems = this.cols.elemObj;
      dropInKeyOrder(mark, n, sync, (j) => {
        if (dropKeys) objs.dropKey(heads[2 * j] as number);
        if (dropElems) objs.dropElem(heads[2 * j + 1] as number);
      });
    }
    return true;
  }

  // ── range loops ────────────────────────────────────────────────────────────────

  /**
   * MapImpl.writeKeys: set(k) (del: delete(k)) for `limit` keys from `from` by `step`,
   * in key order. The common case runs inline with the map's state in locals: a table
   * (not a small map), a key that fits int32, and for an insert an absent key whose
   * probe reaches an empty slot before any tombstone in a table with growthLeft, for a
   * delete a present key or an absent one. Anything else (a small map, an update, a
   * tombstone to reuse, growth, split, pruning, the reseed after the last delete) is
   * one call of set() or delete(), after which the locals are read again. Every heap
   * call passes the HeapGate, which first syncs the keys done so far.
   */
  writeKeys(
    del: boolean,
    from: number,
    to: number,
    step: number,
    limit: number,
    sync: (n: number) => void,
  ): number {
    this.wkSync = sync;
    this.wkDone = 0;
    this.wkSynced = 0;
    this.gate.before = this.syncBeforeHeap;
    try {
      const n = Math.min(limit, Math.ceil((to - from) / step));
      let done = 0;
      while (done < n) {
        done = del ? this.deleteKeysInline(from, step, done, n) : this.insertKeysInline(from, step, done, n);
        if (done >= n) break;
        // The inline loop stopped before key `done`: the full logic takes it.
        this.wkDone = done;
        const k = from + done * step;
        if (del) this.delete(k);
        else this.set(k);
        done++;
      }
      return done;
    } finally {
      this.wkSync = null;
      this.gate.before = null;
    }
  }

  /**
   * Inserts keys from + i·step for i = done, done + 1, … < n while each is the inline
   * case of writeKeys; returns the index of the first key it left (n when none).
   */
  private insertKeysInline(from: number, step: number, done: number, n: number): number {
    const dir = this.directory;
    if (dir.length === 0) return done;
    const storeElems = this.arena.elemsStored;
    const objs = this.objects;
    const program = objs.keyHasProgram || objs.elemHasProgram;
    const owns = this.cols.keyObj || this.cols.elemObj;
    let used = this.used;
    // Keys go in batches (readAheadBatch), then are written in order.
    const batch = SwissMap.readAhead;
    const ringLo = ringHashLo;
    const ringDir = ringDirIndex;
    let sink = 0;
    let pre = done;
    let i = done;
    for (; i < n; i++) {
      const key = from + i * step;
      if ((key | 0) !== key) break;
      if (i === pre) {
        pre = Math.min(n, i + Math.max(1, batch));
        sink ^= this.readAheadBatch(from, step, i, pre, batch > 1);
      }
      const lo = ringLo[i & ringMask] as number;
      const t = dir[ringDir[i & ringMask] as number] as Table;
      if (t.growthLeft === 0) break;
      const chunk = t.chunk;
      const c32 = chunk.c32;
      const ctrl = chunk.ctrl;
      const keys = chunk.keys;
      const base = t.base;
      const lengthMask = t.lengthMask;
      const w = base >>> 2;
      const h2 = lo & h2Mask;
      const h2w = Math.imul(h2, 0x01010101);
      let off = (lo >>> 7) & lengthMask;
      let a = -1;
      for (let st = 1; ; st++) {
        const w0 = c32[w + (off << 1)] as number;
        const w1 = c32[w + (off << 1) + 1] as number;
        const g = base + (off << 3);
        const v0 = w0 ^ h2w;
        for (let m = (v0 - 0x01010101) & ~v0 & 0x80808080; m !== 0; m &= m - 1) {
          const x = g + slotOf(m);
          if (ctrl[x] === h2 && keys[x] === key) a = -2; // present: an update
        }
        const v1 = w1 ^ h2w;
        for (let m = (v1 - 0x01010101) & ~v1 & 0x80808080; m !== 0; m &= m - 1) {
          const x = g + 4 + slotOf(m);
          if (ctrl[x] === h2 && keys[x] === key) a = -2;
        }
        if (a === -2) break;
        const e0 = w0 & 0x80808080;
        const e1 = w1 & 0x80808080;
        if ((e0 | e1) === 0) {
          off = (off + st) & lengthMask;
          continue;
        }
        a = g + (e0 !== 0 ? slotOf(e0) : 4 + slotOf(e1));
        if (ctrl[a] === ctrlDeleted) a = -2; // a tombstone on the way: putSlot's reuse rule
        break;
      }
      if (a < 0) break;
      // Entry objects, in set()'s order: key(i)'s and elem(i)'s before the slot is
      // claimed, the indirect ones after; each passes the gate, at key i's clock.
      let nk = NONE;
      let ne = NONE;
      if (program) {
        this.used = used;
        this.wkDone = i;
        if (objs.keyHasProgram) nk = objs.programKey();
        if (objs.elemHasProgram) ne = objs.programElem();
      }
      ctrl[a] = h2;
      keys[a] = key;
      if (storeElems) (chunk.elems as Float64Array)[a] = key;
      t.growthLeft--;
      t.used++;
      used++;
      if (owns) {
        this.used = used;
        this.wkDone = i;
        if (chunk.keyObj !== null) chunk.keyObj[a] = objs.insertKey(nk);
        if (chunk.elemObj !== null) chunk.elemObj[a] = objs.insertElem(ne);
      }
    }
    this.used = used;
    warmSink.value ^= sink;
    return i;
  }

  /**
   * Hashes keys from + j·step for j in [i, last) into the ring (ringHashLo, ringDirIndex)
   * and, with `read`, reads each one's first control word, key slot and table in one
   * tight loop: the reads are independent, so their cache misses overlap, and the
   * writes that follow find them in the cache. Changes nothing; returns what it read.
   */
  private readAheadBatch(from: number, step: number, i: number, last: number, read: boolean): number {
    const seed = this.seed;
    const gd = this.globalDepth;
    const shift = 32 - gd;
    const ringLo = ringHashLo;
    const ringDir = ringDirIndex;
    for (let j = i; j < last; j++) {
      hashKey(from + j * step, seed, H);
      ringLo[j & ringMask] = H[0] as number;
      ringDir[j & ringMask] = gd === 0 ? 0 : (H[1] as number) >>> shift;
    }
    if (!read) return 0;
    const dir = this.directory;
    const info = this.dirInfo;
    const chunks = this.arena.chunks;
    let sink = 0;
    for (let j = i; j < last; j++) {
      const pd = ringDir[j & ringMask] as number;
      const q = 3 * pd;
      const pc = chunks[info[q] as number] as SlotChunk;
      const pbase = info[q + 1] as number;
      const po = ((ringLo[j & ringMask] as number) >>> 7) & (info[q + 2] as number);
      sink ^=
        (pc.c32[(pbase >>> 2) + (po << 1)] as number) ^
        (pc.keys[pbase + (po << 3)] as number) ^
        (dir[pd] as Table).growthLeft;
    }
    return sink;
  }

  /** As insertKeysInline, for deletes. */
  private deleteKeysInline(from: number, step: number, done: number, n: number): number {
    const dir = this.directory;
    if (dir.length === 0 || this.used === 0) return done;
    let used = this.used;
    const objs = this.objects;
    const owns = this.cols.keyObj || this.cols.elemObj;
    let tombstone = false;
    const batch = SwissMap.readAhead;
    let sink = 0;
    let pre = done;
    let i = done;
    for (; i < n; i++) {
      const key = from + i * step;
      if ((key | 0) !== key || used === 1) break; // the last delete reseeds: delete() does it
      if (i === pre) {
        pre = Math.min(n, i + Math.max(1, batch));
        sink ^= this.readAheadBatch(from, step, i, pre, batch > 1);
      }
      const lo = ringHashLo[i & ringMask] as number;
      const t = dir[ringDirIndex[i & ringMask] as number] as Table;
      const chunk = t.chunk;
      const c32 = chunk.c32;
      const ctrl = chunk.ctrl;
      const keys = chunk.keys;
      const base = t.base;
      const lengthMask = t.lengthMask;
      const w = base >>> 2;
      const h2 = lo & h2Mask;
      const h2w = Math.imul(h2, 0x01010101);
      let off = (lo >>> 7) & lengthMask;
      for (let st = 1; ; st++) {
        const g = base + (off << 3);
        const w0 = c32[w + (off << 1)] as number;
        const w1 = c32[w + (off << 1) + 1] as number;
        let hit = -1;
        const v0 = w0 ^ h2w;
        for (let m = (v0 - 0x01010101) & ~v0 & 0x80808080; m !== 0; m &= m - 1) {
          const x = g + slotOf(m);
          if (ctrl[x] === h2 && keys[x] === key) {
            hit = x;
            break;
          }
        }
        if (hit < 0) {
          const v1 = w1 ^ h2w;
          for (let m = (v1 - 0x01010101) & ~v1 & 0x80808080; m !== 0; m &= m - 1) {
            const x = g + 4 + slotOf(m);
            if (ctrl[x] === h2 && keys[x] === key) {
              hit = x;
              break;
            }
          }
        }
        const hasEmpty = ((w0 & ~(w0 << 6)) | (w1 & ~(w1 << 6))) & 0x80808080;
        if (hit >= 0) {
          t.used--;
          used--;
          if (owns) {
            // Table.delete's drops, through the gate at key i's clock.
            this.used = used;
            this.wkDone = i;
            if (chunk.keyObj !== null) objs.dropKey(chunk.keyObj[hit] ?? NONE);
            if (chunk.elemObj !== null) objs.dropElem(chunk.elemObj[hit] ?? NONE);
          }
          if (hasEmpty !== 0) {
            ctrl[hit] = ctrlEmpty;
            t.growthLeft++;
          } else {
            ctrl[hit] = ctrlDeleted;
            tombstone = true;
          }
          break;
        }
        if (hasEmpty !== 0) break; // absent
        off = (off + st) & lengthMask;
      }
    }
    this.used = used;
    if (tombstone) this.tombstonePossible = true;
    warmSink.value ^= sink;
    return i;
  }

  /** Go: deleteSmall — a small map frees the slot outright. */
  private deleteSmall(g: Groups, key: number, lo: number): void {
    const { ctrl, keys, keyObj, elemObj } = g.chunk;
    const h2 = lo & h2Mask;
    for (let a = g.base; a < g.base + groupSlots; a++) {
      if (ctrl[a] === h2 && keys[a] === key) {
        this.used--;
        if (keyObj !== null) this.objects.dropKey(keyObj[a] ?? NONE);
        if (elemObj !== null) this.objects.dropElem(elemObj[a] ?? NONE);
        ctrl[a] = ctrlEmpty;
        return;
      }
    }
  }

  // ── clear ──────────────────────────────────────────────────────────────────────

  /** Go: Map.Clear. Keeps every table and the directory. */
  clear(): void {
    if (this.used === 0 && (this.rules.clearKeepsTombstonesWhenEmpty || !this.tombstonePossible)) return;
    if (this.directory.length === 0) {
      const g = this.small as Groups;
      this.dropEntries(g);
      g.chunk.ctrl.fill(ctrlEmpty, g.base, g.base + g.slots);
    } else {
      let last: Table | null = null;
      for (const t of this.directory) {
        if (t === last) continue;
        t.clear(this);
        last = t;
      }
      this.tombstonePossible = false;
    }
    this.used = 0;
    this.clearSeq++;
    this.newSeed();
  }

  // ── whole map ──────────────────────────────────────────────────────────────────

  *keys(): Iterable<number> {
    const arrays = this.small !== null ? [this.small] : this.distinctTables().map((t) => t.groups);
    for (const g of arrays) {
      for (let a = g.base; a < g.base + g.slots; a++) {
        if (((g.chunk.ctrl[a] ?? 0) & ctrlEmpty) === 0) yield g.chunk.keys[a] ?? 0;
      }
    }
  }

  /** Every full slot of `g` loses its key and elem objects (the slots stay as they are). */
  private dropEntries(g: Groups): void {
    const { ctrl, keyObj, elemObj } = g.chunk;
    if (keyObj === null && elemObj === null) return;
    for (let a = g.base; a < g.base + g.slots; a++) {
      if (((ctrl[a] ?? 0) & ctrlEmpty) !== 0) continue;
      if (keyObj !== null) this.objects.dropKey(keyObj[a] ?? NONE);
      if (elemObj !== null) this.objects.dropElem(elemObj[a] ?? NONE);
    }
  }

  /** Each table once, in directory order. */
  distinctTables(): Table[] {
    const out: Table[] = [];
    let last: Table | null = null;
    for (const t of this.directory) {
      if (t !== last) out.push(t);
      last = t;
    }
    return out;
  }

  /** m = nil: every object the map holds loses its last reference. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    const heap = this.heap;
    if (this.small !== null) {
      this.dropEntries(this.small);
      this.small.release(heap, this.arena);
      this.small = null;
    }
    for (const t of this.distinctTables()) {
      this.dropEntries(t.groups);
      t.release(this);
    }
    this.directory = [];
    if (this.dirHandle !== -1) heap.drop(this.dirHandle);
    this.dirHandle = -1;
    heap.drop(this.header);
    this.used = 0;
  }

  /**
   * Bytes of every heap object the map holds. `rounded` (the default) counts what
   * mallocgc gives each object — its size class or whole pages, malloc header
   * included, as HeapAlloc does; tiny (noscan, < 16 B) objects share 16-byte blocks
   * and are counted at their own size. `rounded = false` counts the bytes requested.
   */
  heldBytes(rounded = true): number {
    const sz = (size: number, noscan: boolean): number =>
      rounded && !isTiny(size, noscan) ? mallocSize(size, noscan, goMalloc) : size;
    const groupNoscan = this.layout.groupNoscan;
    let b = sz(mapHeaderSize, false);
    if (this.small !== null) b += sz(this.small.bytes, groupNoscan);
    if (this.directory.length > 0) b += sz(this.directory.length * ptrSize, false);
    for (const t of this.distinctTables()) b += sz(tableHeaderSize, false) + sz(t.groups.bytes, groupNoscan);
    b += rounded ? this.objects.bytes : this.objects.requested;
    return b;
  }

  objectBytes(): number {
    return this.objects.bytes;
  }

  internals(): MapInternals {
    const tables = this.distinctTables().map((t) => ({
      capacity: t.capacity,
      used: t.used,
      tombstones: t.tombstones(),
      localDepth: t.localDepth,
      growthLeft: t.growthLeft,
    }));
    const out: SwissInternals = {
      kind: "swiss",
      small: this.directory.length === 0,
      globalDepth: this.globalDepth,
      directoryLen: this.directory.length,
      tables,
      groups: this.small !== null ? 1 : tables.reduce((n, t) => n + t.capacity / groupSlots, 0),
      tombstones: tables.reduce((n, t) => n + t.tombstones, 0),
      bytes: this.heldBytes(),
    };
    return out;
  }

  /** The picture's data (view.ts). */
  view(maxBins: number): SwissView {
    return swissView(this, maxBins);
  }

  checkInvariants(): void {
    const fail = (why: string): never => {
      throw new Error(`swiss map invariant: ${why}`);
    };
    const objs = this.objects;
    if (this.directory.length === 0) {
      if (this.globalDepth !== 0) fail("2: small map with globalDepth ≠ 0");
      if (this.small === null) {
        if (this.used !== 0) fail("1: entries but no group");
      } else {
        const g = this.small;
        const { ctrl, keys } = g.chunk;
        const b = g.base;
        if (g.slots !== groupSlots || b % groupSlots !== 0)
          fail("2: the small group is not one aligned group");
        if (g.countDeleted() !== 0) fail("2: tombstone in a small map");
        const full = g.countFull();
        if (full !== this.used) fail(`1: used ${this.used} but ${full} full slots`);
        for (let j = 0; j < groupSlots; j++) {
          const c = ctrl[b + j] ?? 0;
          if ((c & ctrlEmpty) !== 0) continue;
          hashKey(keys[b + j] ?? 0, this.seed, H);
          if (((H[0] ?? 0) & h2Mask) !== c) fail(`small slot ${j}: ctrl is not the key's H2`);
          for (let i = 0; i < j; i++)
            if (ctrl[b + i] !== ctrlEmpty && keys[b + i] === keys[b + j])
              fail(`duplicate key ${keys[b + j]}`);
        }
      }
    } else {
      if (this.small !== null) fail("2: both a small group and a directory");
      const dirLen = this.directory.length;
      if (dirLen !== 2 ** this.globalDepth) fail(`3: dirLen ${dirLen} ≠ 2^globalDepth (${this.globalDepth})`);
      let used = 0;
      let i = 0;
      while (i < dirLen) {
        const t = this.directory[i] as Table;
        if (t.index !== i) fail(`3: directory entry ${i} starts table with index ${t.index}`);
        if (t.localDepth > this.globalDepth) fail("3: localDepth > globalDepth");
        const entries = 2 ** (this.globalDepth - t.localDepth);
        if (i % entries !== 0) fail(`3: table at ${i} not aligned to its ${entries} entries`);
        for (let k = i; k < i + entries; k++)
          if (this.directory[k] !== t) fail(`3: directory entry ${k} does not point to the table at ${i}`);
        const lo = i;
        const gd = this.globalDepth;
        t.checkInvariants(this, (hi) => {
          const idx = gd === 0 ? 0 : hi >>> (32 - gd);
          return idx >= lo && idx < lo + entries;
        });
        used += t.used;
        i += entries;
      }
      if (used !== this.used) fail(`1: used ${this.used} but tables hold ${used}`);
      if (!this.rules.clearKeepsTombstonesWhenEmpty && !this.tombstonePossible) {
        for (const t of this.distinctTables())
          if (t.groups.countDeleted() > 0) fail("tombstone while tombstonePossible is false");
      }
    }
    if (objs.keyOwns && objs.liveKeys !== this.used)
      fail(`5: ${objs.liveKeys} key object chains for ${this.used} entries`);
    if (objs.elemOwns && objs.liveElems !== this.used)
      fail(`5: ${objs.liveElems} elem object chains for ${this.used} entries`);
  }
}
