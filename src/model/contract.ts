/**
 * The seams between the model's parts.
 *
 * The model is three layers, each in its own module:
 *
 *   runtime.ts      goRuntime({ go }) — what a notebook cell or the CLI talks to
 *       │
 *       ├── classic/  the Go 1.19–1.23 map   (src/runtime/map.go)
 *       ├── swiss/    the Go 1.24+ map       (src/internal/runtime/maps/)
 *       │
 *   heap/           Go's allocator and collector (mallocgc, size classes, tiny
 *                   allocator, GC and its GOGC=100 pacer)
 *
 * A map never frees memory itself; it only allocates heap objects and later drops
 * its reference to them. An object nobody references is garbage: it still counts
 * in HeapAlloc until the next collection sweeps it, exactly as in Go. Handles are
 * plain numbers so that a map of ten million entries holds its pointees in a typed
 * array, never in ten million JS objects.
 */

/** A heap object's identity. */
export type ObjectHandle = number;

/** What a map needs from the heap (Go: mallocgc and the GC's reachability). */
export interface Allocator {
  /**
   * Allocate one object of `size` bytes (Go: mallocgc(size, typ, needzero)).
   * `noscan` is true when the type holds no pointers (Go: typ.PtrBytes == 0); it
   * selects the tiny allocator for objects under 16 bytes, as Go does.
   */
  alloc(size: number, noscan: boolean): ObjectHandle;
  /**
   * Optional: allocate several objects in order into out[0 …) (the model's Heap has it;
   * entry-objects.ts uses it for values that point to more than one object).
   * `rounded[j]` is objs[j]'s mallocSize, 0 for a tiny object.
   */
  allocRun?(
    objs: readonly { size: number; noscan: boolean }[],
    rounded: readonly number[],
    out: Int32Array,
  ): void;
  /** The last reference to the object is gone: it is garbage from now on. */
  drop(handle: ObjectHandle): void;
  /** Whether the object is still allocated; for invariant checks (the model's Heap has it, test heaps may not). */
  isLive?(handle: ObjectHandle): boolean;
}

/** The map implementations behind `rt.makeMap`, classic or Swiss. */
export interface MapImpl {
  /** Number of live entries (Go: len(m)). */
  readonly len: number;
  /**
   * Insert or overwrite (Go: m[k] = v). Keys and elems are identified by the
   * scenario integer i; the Go type decides their size and what they point to
   * (a `*T` elem is a fresh new(T) on every set, as `m[k] = new(T)`).
   */
  set(key: number, elem?: number): void;
  /** Lookup (Go: v, ok := m[k]); undefined when absent. */
  get(key: number): number | undefined;
  has(key: number): boolean;
  /** Go: delete(m, k). */
  delete(key: number): void;
  /**
   * Optional: read the memory a write of `key` touches first and return any number
   * derived from it, changing nothing. Range loops call it a few keys ahead so that
   * cache misses overlap (a software prefetch); it must never affect the map's state.
   */
  warm?(key: number): number;
  /**
   * Optional: `for k := from; k < to; k += step { delete(m, k) }` over the stored keys
   * themselves (the caller passes keys, not scenario integers, and only when they are
   * the same), leaving exactly the state those deletes leave in that order. Returns
   * false, having changed nothing, when the implementation cannot; the caller then
   * loops over delete(). Deleting is order-independent once no growth is under way
   * (classic: emptyRest marks exactly the empty tail of each chain; Swiss: a group's
   * "has an empty slot" does not change while it only loses entries), so a large range
   * can visit slots in memory order instead of finding each key. Entries that own heap
   * objects lose them in key order after the pass, as the deletes drop them: before
   * dropping key k's, the map calls `sync(n)` with the writes of the range before k not
   * yet synced (as writeKeys does), so each drop sees the clock of its own delete.
   *
   * With `deleted`, the caller replays the samples of heap-only samplers afterwards
   * (GoRuntime.onSample): the map sets deleted[(k − from) / step] = 1 for every key k
   * it deleted, and returns false, having changed nothing, if the range would allocate
   * (a growth under way), which the replay could not place; the drops of entries'
   * objects it places through `sync`.
   */
  deleteRange?(
    from: number,
    to: number,
    step: number,
    deleted: Uint8Array | null,
    sync?: (n: number) => void,
  ): boolean;
  /**
   * Optional: the loop `for k := from; k < to; k += step { m[k] = k }` (with `del`,
   * `delete(m, k)`) over stored keys, as for deleteRange, in key order, for at most
   * `limit` keys, leaving exactly the state that many set() or delete() calls leave:
   * the same slots, chains, tables, heap objects and counters. It is the same
   * algorithm with the per-call overhead taken out of the loop, so a sampled run (whose
   * samplers may read the map between writes) keeps the speed of an unsampled one.
   *
   * The runtime's clock advances by each write (GoRuntime.tick): before any heap call
   * (an allocation or a drop: the map's own objects, and its entries' string bytes,
   * backing arrays, new(T) and indirect keys and elems, entry-objects.ts HeapGate) the
   * map calls `sync(n)` with the writes completed since the previous sync, so every
   * heap call sees the clock, the scavenger and the collector exactly where the
   * key-by-key loop would have them. Returns the number of keys done (synced ones
   * included), at least one when `limit` ≥ 1 and a key is left; or 0, having changed
   * nothing, when it cannot run this map; the caller then loops over set() or delete().
   */
  writeKeys?(
    del: boolean,
    from: number,
    to: number,
    step: number,
    limit: number,
    sync: (n: number) => void,
  ): number;
  /** Go 1.21+: clear(m). */
  clear(): void;
  /** Every key in the map, in no particular order (tests use it). */
  keys(): Iterable<number>;
  /**
   * Every (key, elem) pair, where an implementation keeps elems apart from keys
   * (recreate copies them); without it, recreate reads keys() and get().
   */
  entries?(): [number, number][];
  /** The map's structure, for pictures: see MapInternals. */
  internals(): MapInternals;
  /**
   * Heap bytes of what the entries point to, indirect key/elem objects included
   * (entry-objects.ts: size classes and malloc headers, tiny objects at their size);
   * internals().bytes minus this is the map's own structure.
   */
  objectBytes(): number;
  /**
   * The picture's data: counts per bucket (classic) or slot states (Swiss), at most
   * about `maxBins` marks (consecutive buckets are summed beyond it). Read-only, O(2^B)
   * or O(slots); never called on a hot path (classic/view.ts, swiss/view.ts).
   */
  view(maxBins: number): MapView;
  /** Throws an Error naming the broken invariant. Tests call it after every op. */
  checkInvariants(): void;
  /** The map itself becomes unreachable (Go: m = nil): drop every object it holds. */
  drop(): void;
}

export interface ClassicInternals {
  kind: "classic";
  /** log2 of the number of buckets (Go: hmap.B). */
  B: number;
  /** Bucket size in bytes (Go: t.BucketSize). */
  bucketSize: number;
  /** Go: hmap.noverflow (approximate in Go for B ≥ 16, exact here). */
  noverflow: number;
  /** Overflow buckets in use, counted exactly. */
  overflowBuckets: number;
  /** Preallocated overflow buckets still unused. */
  preallocatedFree: number;
  /** Old bucket array still alive during growth (Go: hmap.oldbuckets != nil). */
  growing: boolean;
  oldB: number | null;
  /** Go: hmap.nevacuate, the evacuation progress mark. */
  nevacuate: number;
  sameSizeGrow: boolean;
  /** Live entries per bucket (chain included), length 2^B, for occupancy pictures. */
  occupancy?: Uint16Array;
  /** Bytes the map holds, all objects included (buckets, overflow, pointees). */
  bytes: number;
}

export interface SwissInternals {
  kind: "swiss";
  /** A small map: one group, no table, no directory. */
  small: boolean;
  /** Go: Map.globalDepth. */
  globalDepth: number;
  /** Go: len(Map.directory), in entries (tables may repeat). */
  directoryLen: number;
  /** One row per distinct table. */
  tables: { capacity: number; used: number; tombstones: number; localDepth: number; growthLeft: number }[];
  groups: number;
  tombstones: number;
  /** Bytes the map holds, all objects included. */
  bytes: number;
}

export type MapInternals = ClassicInternals | SwissInternals;

/**
 * A classic map as a picture sees it (classic/view.ts): the bucket array in bins of
 * `per` consecutive buckets (per = 1 until 2^B exceeds the bins asked for), and the
 * old array while a growth is in progress. Every field is a number or a typed array.
 */
export interface ClassicView {
  kind: "classic";
  /** Go: hmap.B, hmap.count, hmap.noverflow. */
  B: number;
  count: number;
  noverflow: number;
  /** Bytes the map holds (every object), the bucket array, and the old array. */
  bytes: number;
  bucketsBytes: number;
  oldbucketsBytes: number;
  /** Overflow buckets chained in the current array, preallocated ones included. */
  overflowBuckets: number;
  /** makeBucketArray's preallocated overflow buckets, and how many nextOverflow has handed out. */
  preallocated: number;
  preallocatedUsed: number;
  /** Buckets per bin; bins = ceil(2^B / per). */
  per: number;
  /** Per bin: live entries in its chains, and overflow buckets chained after its buckets. */
  entries: Uint32Array;
  overflow: Uint32Array;
  /** Go: hmap.oldbuckets, while growing; null otherwise. */
  old: ClassicOldView | null;
}

export interface ClassicOldView {
  B: number;
  /** Go: hmap.nevacuate, the first old bucket not known to be evacuated. */
  nevacuate: number;
  sameSizeGrow: boolean;
  per: number;
  /** Per bin of old buckets: entries still there, buckets evacuated, and the slots
   *  evacuate marked evacuatedX (sent to bucket i) and evacuatedY (to i + 2^oldB). */
  entries: Uint32Array;
  evacuated: Uint32Array;
  toX: Uint32Array;
  toY: Uint32Array;
}

/** Slot states in SwissView.slots. */
export const slotEmpty = 0;
export const slotFull = 1;
export const slotDeleted = 2;

/**
 * A Swiss map as a picture sees it (swiss/view.ts): one row per distinct table in
 * directory order (rows of `perTable` consecutive tables summed once there are more
 * tables than the bins asked for), and, while the map has at most 8 slots per bin,
 * every slot's state (table after table, group after group).
 */
export interface SwissView {
  kind: "swiss";
  /** A small map: one group, no directory (Go: dirLen == 0). */
  small: boolean;
  /** Go: Map.globalDepth, len(Map.directory), Map.used. */
  globalDepth: number;
  dirLen: number;
  used: number;
  tombstones: number;
  /** Distinct tables, and tables per row. */
  tables: number;
  perTable: number;
  bytes: number;
  /** Per row (Go: table.capacity, used, tombstones()), summed over its tables. */
  capacity: Uint32Array;
  tableUsed: Uint32Array;
  tableTombstones: Uint32Array;
  /** Per row: the least table.localDepth, and the directory entries its tables fill. */
  localDepth: Uint8Array;
  dirEntries: Uint32Array;
  /** slotEmpty / slotFull / slotDeleted per slot; null beyond 8 slots per bin. */
  slots: Uint8Array | null;
}

export type MapView = ClassicView | SwissView;

/** The Go releases the model knows. */
export type GoVersion = "1.19" | "1.20" | "1.21" | "1.22" | "1.23" | "1.24" | "1.25" | "1.26" | "1.27";

/** A Go type as the compiler lays it out on amd64 (src/model/types.ts parses them). */
export interface GoType {
  /** Canonical Go spelling, e.g. "[128]byte", "*[128]byte", "struct{}". */
  readonly name: string;
  /** unsafe.Sizeof */
  readonly size: number;
  /** unsafe.Alignof */
  readonly align: number;
  /** Holds pointers (Go: typ.PtrBytes != 0): decides noscan allocation and clearing. */
  readonly pointers: boolean;
  /** For `*T`: T, which set() allocates with new(T). For string: the bytes live in a
   *  separate heap object of the string's length; see types.ts. */
  readonly pointee?: GoType;
  readonly kind: "int" | "uint" | "float" | "bool" | "string" | "array" | "slice" | "pointer" | "struct";
  /** [N]T and []T: T. */
  readonly elem?: GoType;
  /** [N]T: N. */
  readonly len?: number;
  /** struct: its fields in order, with their offsets (types.ts). */
  readonly fields?: readonly GoField[];
  /**
   * The heap objects one value of this type points to, in the order the scenario
   * program allocates them (string bytes, slice backing arrays, new(T) pointees),
   * for the lengths bound with withLengths (types.ts; defaults otherwise). Indirect
   * key and elem objects are the map's, not listed here.
   */
  readonly objects?: readonly HeapObjectSpec[];
  /** The lengths `objects` was computed for (types.ts withLengths); absent: defaults. */
  readonly lengths?: LengthSpec;
}

/**
 * Typical lengths of the strings and slices inside a type, mirroring it (types.ts
 * documents the format): "len", "cap", "elem" for a string or slice, field names for
 * a struct; a pointer's spec is its pointee's.
 */
export interface LengthSpec {
  readonly len?: number;
  readonly cap?: number;
  readonly elem?: LengthSpec;
  readonly [field: string]: LengthSpec | number | undefined;
}

/** A struct field as the compiler lays it out. */
export interface GoField {
  readonly name: string;
  readonly type: GoType;
  /** unsafe.Offsetof */
  readonly offset: number;
}

/** One heap object a value points to: what mallocgc is asked for. */
export interface HeapObjectSpec {
  /** Bytes requested (before size-class rounding); never 0 (nothing is allocated then). */
  readonly size: number;
  /** The object holds no pointers (Go: typ.PtrBytes == 0, string bytes always). */
  readonly noscan: boolean;
  /** Where it hangs in the value, e.g. "Name", "Tags[]", "Tags[2]", "*", "*.Name". */
  readonly path: string;
}

/** What every map implementation's constructor takes. */
export interface MapOptions {
  readonly heap: Allocator;
  readonly key: GoType;
  readonly elem: GoType;
  /** make(map[K]V, hint); 0 when absent. */
  readonly hint: number;
  /** Hash seed (see hash.ts). */
  readonly seed: number;
  readonly go: GoVersion;
}
