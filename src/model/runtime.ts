/**
 * goRuntime: the model's front door, a Go runtime in miniature.
 *
 * A notebook cell (or the CLI) creates one runtime per experiment and talks to it in
 * Go's terms:
 *
 *   const rt = goRuntime({ go: "1.23" });
 *   const m = rt.makeMap("int", "[128]byte");      // m := make(map[int][128]byte)
 *   m.insertRange(0, 1_000_000);                  // for i := 0; i < 1e6; i++ { m[i] = v }
 *   m.deleteRange(0, 1_000_000);                  // ... delete(m, i)
 *   rt.GC();                                      // runtime.GC()
 *   rt.readMemStats().HeapAlloc;                  // runtime.ReadMemStats(&ms); ms.HeapAlloc
 *
 * The runtime owns one heap (heap/heap.ts, with the release's allocator rules and the
 * runtime's own baseline objects) and picks the map implementation the release uses:
 * the classic map for Go 1.19–1.23 (classic/), the Swiss-table map for 1.24+ (swiss/).
 *
 * Keys and elems are scenario integers i (see docs/model.md): integer key types hold
 * T(i) (so int8 keys wrap at 256, as Go's conversion does), string keys the decimal of
 * i zero-padded to the string's length (16 by default), [N]byte keys i in their first
 * 8 bytes, struct keys every field built from i alike; the model identifies each key
 * by i. Strings and slices inside keys and elems have the lengths given to makeMap
 * (types.ts, LengthSpec): their bytes and backing arrays are heap objects of their own.
 *
 *   const m = rt.makeMap("string", "struct{ ID int64; Name string; Tags []string }", 0, {
 *     key: { len: 64 },
 *     elem: { Name: { len: 12 }, Tags: { len: 3, cap: 4, elem: { len: 8 } } },
 *   });
 *
 * Arguments Go could not express (a fractional or reversed range), writes that would
 * take the heap past 1 TiB, and (with RuntimeOptions.maxEntries) maps past an entry
 * limit are refused with a RangeError before anything changes (limits.ts).
 *
 * What each call costs (n = entries, B = log2 buckets):
 *   makeMap            O(2^B) for a hint (the bucket array is allocated at once).
 *   m.set / m.delete   O(1) amortised; during a classic growth each write also
 *                      evacuates up to two old buckets (O(8 + chain)).
 *   m.insertRange(a,b) (b − a) sets, no per-entry JS objects: about 0.3–1 µs per key.
 *   m.get / m.has      O(1), no growth work.
 *   rt.clear(m)        O(2^B): the array is zeroed, B is kept.
 *   rt.GC()            O(objects dropped since the last collection).
 *   rt.readMemStats()  O(1).
 *   rt.sleep(ms)       advances virtual time, no real waiting: O(1) plus O(chunks) per
 *                      background scavenger run. Map writes and collections advance
 *                      it too (heap/scavenger.ts workNs, markNs: fitted costs).
 *   rt.freeOSMemory()  a forced GC (as rt.GC()) plus O(1) release.
 *   rt.setMemoryLimit, rt.setGCPercent, rt.rss()  O(1).
 *   m.internals()      O(2^B + overflow buckets): walks every chain (occupancy is
 *                      included while 2^B ≤ 65536).
 *   m.view(bins)       O(2^B + overflow) classic, O(slots) Swiss: the picture's data.
 *   m.checkInvariants  O(n): tests only.
 *   onSample(k, fn)    fn runs after every k-th map write; costs what fn costs. A
 *                      range then runs in the map's key-order loop, cut every k
 *                      writes; with { heapOnly: true } (fn reads no map) a large
 *                      deleteRange keeps its memory-order pass, and fn's samples are
 *                      replayed after it: O(range) more.
 */
import type { GoType, GoVersion, MapImpl, MapInternals, MapView } from "./contract.ts";
import { ClassicMap } from "./classic/map.ts";
import { deriveSeed, randomSeed } from "./hash.ts";
import { Heap, type MemStats } from "./heap/heap.ts";
import { processBaseline } from "./heap/process.ts";
import { scavengerRules, workNs } from "./heap/scavenger.ts";
import {
  checkHeap,
  checkHint,
  checkInt,
  checkRange,
  checkRangeEntries,
  checkSetEntries,
  entryBytes,
  MAX_HEAP_BYTES,
  type EntryLimit,
} from "./limits.ts";
import { makeSwissMap } from "./swiss/index.ts";
import { parseType, withLengths, type LengthSpec } from "./types.ts";
import { isGoVersion, versionRules, type VersionRules } from "./versions.ts";

export type { MemStats } from "./heap/heap.ts";

export interface RuntimeOptions {
  /** The Go release to model, "1.19" … "1.27". */
  readonly go: GoVersion;
  /** Base of every map's hash seed; the same seed gives the same run. Default 1. */
  readonly seed?: number;
  /** Go's behaviour: a fresh random seed per map (runs are then not reproducible). */
  readonly randomSeeds?: boolean;
  /**
   * Most entries one map may hold; a make hint, insertRange or set past it is refused
   * before allocating (limits.ts). Default: no limit besides the heap's 1 TiB.
   */
  readonly maxEntries?: number;
  /** How refusals name that limit, e.g. "the notebook's limit" (default "the runtime's limit"). */
  readonly limitName?: string;
}

/** Typical lengths of the strings and slices in a map's key and elem (types.ts LengthSpec). */
export interface MapLengths {
  readonly key?: LengthSpec;
  readonly elem?: LengthSpec;
}

export interface Sample {
  /** Map writes (sets and deletes) since the runtime started. */
  readonly ops: number;
  readonly HeapAlloc: number;
  readonly NumGC: number;
  readonly len: number;
}

/** The key of scenario integer i is i itself (range operations may then work on keys). */
const sameKey = (i: number): number => i;

/** Converts scenario integer i into the key value a Go key type holds (T(i)). */
function keyConversion(t: GoType): (i: number) => number {
  if (t.kind === "int" || t.kind === "uint") {
    const bits = t.size * 8;
    if (bits >= 64) return sameKey;
    if (bits === 32) return t.kind === "int" ? (i) => i | 0 : (i) => i >>> 0;
    const mod = 2 ** bits;
    const half = mod / 2;
    return t.kind === "int"
      ? (i) => {
          const r = ((i % mod) + mod) % mod;
          return r >= half ? r - mod : r;
        }
      : (i) => ((i % mod) + mod) % mod;
  }
  return sameKey;
}

function checkStep(op: string, step: unknown): void {
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 1)
    throw new RangeError(`${op}: step must be a positive integer, got ${String(step)}`);
}

function isByteArray(t: GoType): boolean {
  return t.kind === "array" && t.elem !== undefined && t.elem.size === 1 && t.elem.kind === "uint";
}

/**
 * How many distinct keys a key type built from i can hold (struct fields and strings
 * carry i, see the header): scenario integers past it would collide in Go.
 */
export function keyCapacity(t: GoType): number {
  switch (t.kind) {
    case "int":
      return 2 ** (t.size * 8 - 1);
    case "uint":
      return 2 ** (t.size * 8);
    case "string": {
      const len = typeof t.lengths?.len === "number" ? t.lengths.len : 16;
      return len >= 16 ? Infinity : 10 ** len;
    }
    case "array":
      return isByteArray(t) ? 2 ** (8 * Math.min(t.len ?? 0, 8)) : 0;
    case "struct": {
      let best = 0;
      for (const f of t.fields ?? [])
        if (f.name !== "_") best = Math.max(best, keyCapacity(withLengths(f.type, lengthsOf(t, f.name))));
      return best;
    }
    default:
      return 0;
  }
}

/** The LengthSpec a struct type was bound with, for one field (undefined: defaults). */
function lengthsOf(t: GoType, field: string): LengthSpec | undefined {
  const v = t.lengths?.[field];
  return typeof v === "object" ? v : undefined;
}

function hasSlice(t: GoType): boolean {
  if (t.kind === "slice") return true;
  if (t.kind === "array") return t.elem !== undefined && hasSlice(t.elem);
  if (t.kind === "struct") return (t.fields ?? []).some((f) => hasSlice(f.type));
  return false;
}

/** Throws naming the type when a key type cannot be a scenario key. */
export function checkKeyType(t: GoType): void {
  if (hasSlice(t))
    throw new Error(
      `invalid map key type "${t.name}": slices are not comparable, so Go rejects them as keys`,
    );
  if (t.kind === "int" || t.kind === "uint" || t.kind === "string") return;
  if (isByteArray(t) && t.size >= 8) return;
  if (t.kind === "struct" && keyCapacity(t) >= 2 ** 31) return;
  throw new Error(
    `unsupported key type "${t.name}": keys must be integers, string, [N]byte with N ≥ 8, or a struct with such a field (int32 or wider) to hold distinct keys`,
  );
}

/**
 * Range loops read `warmAhead` keys ahead through MapImpl.warm (a software prefetch:
 * the cache misses of consecutive keys overlap instead of queueing). 0 turns it off;
 * tests do, to show it changes nothing. `fastRanges: false` turns off the maps' own
 * range loops (MapImpl.deleteRange, writeKeys), for the tests that show they change
 * nothing either.
 */
export const rangeTuning = { warmAhead: 16, fastRanges: true };
/** The longest step of virtual time between two onSleep calls. */
export const SLEEP_SLICE_MS = 250;
/** Keeps the warm reads observable, so the JIT cannot drop them. */
const warmSink = { value: 0 };

/** A Go map value: what `m` is in `m := make(map[K]V)`. */
export class GoMap {
  readonly key: GoType;
  readonly elem: GoType;
  /** The implementation (classic or Swiss); use it for pictures and tests. */
  readonly impl: MapImpl;
  private readonly rt: GoRuntime;
  private readonly conv: (i: number) => number;
  /** The fewest heap bytes a new entry adds (limits.ts). */
  private readonly entryBytes: number;
  /** Scenario integers 0 ≤ i < keyLimit give distinct keys (string and struct keys); else Infinity. */
  private readonly keyLimit: number;

  constructor(rt: GoRuntime, impl: MapImpl, key: GoType, elem: GoType) {
    this.rt = rt;
    this.impl = impl;
    this.key = key;
    this.elem = elem;
    this.conv = keyConversion(key);
    this.entryBytes = entryBytes(key, elem);
    const cap = key.kind === "string" || key.kind === "struct" ? keyCapacity(key) : Infinity;
    this.keyLimit = cap >= 1e16 ? Infinity : cap;
  }

  /** Refuses scenario integers whose keys would collide in Go (a string too short for i's digits). */
  private checkKeys(op: string, from: number, to: number): void {
    if (this.keyLimit === Infinity || to <= from || (from >= 0 && to <= this.keyLimit)) return;
    throw new RangeError(
      `${op}: keys of type ${this.key.name} hold distinct values for 0 ≤ i < ${this.keyLimit.toLocaleString("en-US")} only (a longer string length gives more), got i = ${from < 0 ? from : to - 1}`,
    );
  }

  /** The map's Go type, e.g. "map[int][128]byte". */
  goName(): string {
    return `map[${this.key.name}]${this.elem.name}`;
  }

  /** len(m) */
  get len(): number {
    return this.impl.len;
  }

  /** m[key(i)] = elem(i) */
  set(i: number, elem?: number): void {
    checkInt("set", "i", i);
    this.checkKeys("set", i, i + 1);
    if (
      this.rt.entryLimit !== null &&
      this.impl.len >= this.rt.entryLimit.maxEntries &&
      !this.impl.has(this.conv(i))
    )
      checkSetEntries(this.rt.entryLimit, this.impl.len);
    const heapAlloc = this.rt.heap.heapAlloc;
    if (heapAlloc + this.entryBytes > MAX_HEAP_BYTES && !this.impl.has(this.conv(i)))
      checkHeap(`set on a ${this.goName()}`, heapAlloc, 1, this.entryBytes);
    this.impl.set(this.conv(i), elem);
    this.rt.tick(this, workNs.insert);
  }

  /** v, ok := m[key(i)] */
  get(i: number): number | undefined {
    return this.impl.get(this.conv(i));
  }

  has(i: number): boolean {
    return this.impl.has(this.conv(i));
  }

  /** delete(m, key(i)) */
  delete(i: number): void {
    checkInt("delete", "i", i);
    this.checkKeys("delete", i, i + 1);
    this.impl.delete(this.conv(i));
    this.rt.tick(this, workNs.delete);
  }

  /** for i := from; i < to; i += step { m[key(i)] = elem(i) } (step defaults to 1) */
  insertRange(from: number, to: number, step = 1): void {
    checkRange("insertRange", from, to);
    checkStep("insertRange", step);
    this.checkKeys("insertRange", from, to);
    checkRangeEntries(this.rt.entryLimit, this.impl.len, Math.ceil((to - from) / step));
    checkHeap(
      `insertRange(${from}, ${to}) on a ${this.goName()}`,
      this.rt.heap.heapAlloc,
      Math.ceil((to - from) / step),
      this.entryBytes,
    );
    this.writeRange(from, to, step, false);
  }

  /** for i := from; i < to; i += step { delete(m, key(i)) } (step defaults to 1) */
  deleteRange(from: number, to: number, step = 1): void {
    checkRange("deleteRange", from, to);
    checkStep("deleteRange", step);
    this.checkKeys("deleteRange", from, to);
    this.writeRange(from, to, step, true);
  }

  /**
   * The loop of insertRange and deleteRange. In order of preference: a large delete
   * range in memory order (MapImpl.deleteRange, when no sampler reads the map, since
   * the map's states in between differ; heap-only samples are replayed); the map's own key-order loop (MapImpl.writeKeys), cut at every
   * sample so samplers see each state they would see key by key; key by key, reading
   * `rangeTuning.warmAhead` keys ahead.
   */
  private writeRange(from: number, to: number, step: number, del: boolean): void {
    const impl = this.impl;
    const conv = this.conv;
    const rt = this.rt;
    const fast = rangeTuning.fastRanges && conv === sameKey && to > from;
    if (fast && del && impl.deleteRange !== undefined && rt.heapOnlySamplers()) {
      const n = Math.ceil((to - from) / step);
      const sampled = !rt.unsampled();
      // Heap-only samplers read no map: their samples are replayed after the range,
      // each at its write with the clock, the heap and len as they were there.
      const deleted = sampled ? new Uint8Array(n) : null;
      let len = impl.len;
      let at = 0; // writes of the range the clock (and the replay) has reached
      const advance = (k: number): void => {
        if (deleted === null) {
          if (k > 0) rt.tick(this, workNs.delete, k);
          at += k;
          return;
        }
        for (const end = at + k; at < end;) {
          const s = Math.min(end - at, rt.writesToNextSample());
          for (let j = at; j < at + s; j++) len -= deleted[j] as number;
          rt.tick(this, workNs.delete, s, len);
          at += s;
        }
      };
      // The map calls advance before dropping an entry's objects (MapImpl.deleteRange).
      if (impl.deleteRange(from, to, step, deleted, advance)) {
        advance(n - at);
        return;
      }
    }
    const cost = del ? workNs.delete : workNs.insert;
    let i = from;
    if (fast && impl.writeKeys !== undefined) {
      let synced = 0;
      const sync = (n: number): void => {
        if (n <= 0) return;
        synced += n;
        rt.tick(this, cost, n);
      };
      while (i < to) {
        synced = 0;
        const limit = Math.min(Math.ceil((to - i) / step), rt.writesToNextSample());
        const done = impl.writeKeys(del, i, to, step, limit, sync);
        if (done === 0) break; // this map cannot: key by key below
        if (done > limit || done < synced)
          throw new Error(`writeKeys: ${done} keys done, ${synced} synced, limit ${limit}`);
        if (done > synced) rt.tick(this, cost, done - synced);
        i += done * step;
      }
    }
    const ahead = Math.max(1, rangeTuning.warmAhead) * step;
    const warm = rangeTuning.warmAhead > 0 && impl.warm !== undefined;
    let sink = 0;
    while (i < to) {
      const end = Math.min(to, i + ahead);
      if (warm) for (let j = i; j < end; j += step) sink += (impl.warm as (k: number) => number)(conv(j));
      for (; i < end; i += step) {
        if (del) impl.delete(conv(i));
        else impl.set(conv(i));
        rt.tick(this, cost);
      }
    }
    warmSink.value = sink;
  }

  /** clear(m) (Go 1.21+; earlier releases lower the range-and-delete loop to the same call). */
  clear(): void {
    this.impl.clear();
  }

  internals(): MapInternals {
    return this.impl.internals();
  }

  /**
   * Heap bytes of what the entries point to: string bytes, slice backing arrays,
   * new(T) pointees, indirect keys and elems (size classes; tiny objects at their own
   * size). `internals().bytes − objectBytes()` is the buckets or tables themselves.
   */
  objectBytes(): number {
    return this.impl.objectBytes();
  }

  /** The runtime that made this map (liveMapView samples its writes). */
  get runtime(): GoRuntime {
    return this.rt;
  }

  /** The picture's data: at most about `maxBins` marks (classic/view.ts, swiss/view.ts). */
  view(maxBins = 4096): MapView {
    if (!Number.isSafeInteger(maxBins) || maxBins < 1)
      throw new Error(`view: maxBins must be a positive integer, got ${maxBins}`);
    return this.impl.view(maxBins);
  }

  checkInvariants(): void {
    this.impl.checkInvariants();
  }

  /** Every key's scenario value, in no particular order. */
  keys(): Iterable<number> {
    return this.impl.keys();
  }
}

export class GoRuntime {
  readonly go: GoVersion;
  readonly rules: VersionRules;
  readonly heap: Heap;
  private readonly seedBase: number;
  private readonly randomSeeds: boolean;
  private nmaps = 0;
  private ops = 0;
  private samplers: { every: number; left: number; fn: (s: Sample) => void; heapOnly: boolean }[] = [];
  /** RuntimeOptions.maxEntries, or null when there is none. */
  readonly entryLimit: EntryLimit | null;

  constructor(opts: RuntimeOptions) {
    if (!isGoVersion(opts.go))
      throw new Error(`unknown Go version ${JSON.stringify(opts.go)}: expected "1.19" … "1.27"`);
    this.go = opts.go;
    this.rules = versionRules(opts.go);
    this.heap = new Heap({
      mallocHeader: this.rules.mallocHeader,
      baseHeap: this.rules.baseHeap,
      gcRoots: this.rules.gcRoots,
      process: processBaseline(opts.go),
      scavenger: scavengerRules(opts.go),
    });
    this.seedBase = opts.seed ?? 1;
    this.randomSeeds = opts.randomSeeds ?? false;
    const max = opts.maxEntries;
    if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0))
      throw new Error(`goRuntime: maxEntries must be a non-negative integer, got ${String(max)}`);
    this.entryLimit =
      max === undefined ? null : { maxEntries: max, name: opts.limitName ?? "the runtime's limit" };
  }

  /**
   * make(map[K]V, hint): types in Go syntax or already parsed; `lengths` gives the
   * typical lengths of the strings and slices in K and V (types.ts LengthSpec).
   */
  makeMap(key: string | GoType, elem: string | GoType, hint = 0, lengths: MapLengths = {}): GoMap {
    const bind = (t: string | GoType, spec: LengthSpec | undefined, side: string): GoType => {
      const base = typeof t === "string" ? parseType(t) : t;
      if (spec === undefined) return base;
      try {
        return withLengths(base, spec);
      } catch (e) {
        throw new Error(`${side} ${base.name}: ${(e as Error).message}`, { cause: e });
      }
    };
    const k = bind(key, lengths.key, "key");
    const e = bind(elem, lengths.elem, "elem");
    checkKeyType(k);
    if (!Number.isSafeInteger(hint) || hint < 0)
      throw new Error(`make: hint must be a non-negative integer, got ${hint}`);
    checkHint(this.entryLimit, `map[${k.name}]${e.name}`, hint);
    const seed = this.randomSeeds ? randomSeed() : deriveSeed(this.seedBase, this.nmaps++);
    const opts = { heap: this.heap, key: k, elem: e, hint, seed, go: this.go };
    const impl = this.rules.map === "classic" ? new ClassicMap(opts) : makeSwissMap(opts);
    return new GoMap(this, impl, k, e);
  }

  /** clear(m) */
  clear(m: GoMap): void {
    m.clear();
  }

  /** m = nil (or m = make(...) replacing it): the map and everything it holds become garbage. */
  drop(m: GoMap): void {
    m.impl.drop();
  }

  /**
   * The article's fix: n := make(map[K]V, len(m)); for k, v := range m { n[k] = v }.
   * The old map is dropped. (The copy allocates fresh pointees where Go would copy the
   * pointer: the live heap after a GC is the same; the garbage before it is larger.)
   */
  recreate(m: GoMap): GoMap {
    checkHeap(
      `recreate of a ${m.goName()} of ${m.len} entries`,
      this.heap.heapAlloc,
      m.len,
      entryBytes(m.key, m.elem),
    );
    const n = this.makeMap(m.key, m.elem, m.len);
    const src = m.impl;
    if (src.entries !== undefined) for (const [k, v] of src.entries()) n.impl.set(k, v);
    else for (const k of m.impl.keys()) n.impl.set(k, m.impl.get(k));
    m.impl.drop();
    return n;
  }

  /** runtime.GC() */
  GC(): void {
    this.heap.GC();
  }

  /**
   * runtime.ReadMemStats: HeapAlloc, NumGC, HeapObjects, TotalAlloc, Mallocs, Frees,
   * NextGC, and the process-memory fields HeapInuse, HeapIdle, HeapReleased, HeapSys, Sys.
   */
  readMemStats(): MemStats {
    return this.heap.readMemStats();
  }

  private gcPercent = 100;
  private memoryLimit = Number.MAX_SAFE_INTEGER; // Go: math.MaxInt64, no limit

  /** Virtual time in milliseconds since the runtime started: sleeps, map writes and collections. */
  get now(): number {
    return this.heap.nowNs / 1e6;
  }

  /** time.Sleep(ms): advances virtual time; the scavenger and sysmon act; nothing waits. */
  sleep(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
      throw new RangeError(`sleep: ms must be a non-negative number, got ${String(ms)}`);
    if (this.sleepers.length === 0) {
      this.heap.idle(ms * 1e6);
      return;
    }
    // With listeners (a live chart), time passes in slices of at most SLEEP_SLICE_MS;
    // sysmon still sees one sleep.
    const start = this.heap.nowNs;
    const end = start + ms * 1e6;
    for (let left = ms; left > 0;) {
      const d = Math.min(left, SLEEP_SLICE_MS);
      this.heap.idle(d * 1e6, start, end);
      left -= d;
      for (const fn of [...this.sleepers]) fn(this.now);
    }
  }

  private sleepers: ((nowMs: number) => void)[] = [];

  /** Call fn(now) as virtual time passes in sleep (every ≤ 250 ms); returns a function that unsubscribes. */
  onSleep(fn: (nowMs: number) => void): () => void {
    this.sleepers.push(fn);
    return () => {
      this.sleepers = this.sleepers.filter((x) => x !== fn);
    };
  }

  /** debug.FreeOSMemory(): a forced collection, then every idle page is returned to the OS. */
  freeOSMemory(): void {
    this.heap.freeOSMemory();
  }

  /**
   * debug.SetMemoryLimit(bytes): sets the soft memory limit and returns the previous
   * one; a negative argument only queries. No limit reads as Number.MAX_SAFE_INTEGER
   * (Go's math.MaxInt64).
   */
  setMemoryLimit(bytes: number): number {
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes))
      throw new RangeError(`setMemoryLimit: bytes must be an integer, got ${String(bytes)}`);
    const prev = this.memoryLimit;
    if (bytes >= 0) {
      this.memoryLimit = bytes;
      this.heap.setPacing(this.gcPercent, this.limitBytes());
    }
    return prev;
  }

  /** debug.SetGCPercent(p): sets GOGC (negative: off) and returns the previous value. */
  setGCPercent(percent: number): number {
    if (typeof percent !== "number" || !Number.isSafeInteger(percent))
      throw new RangeError(`setGCPercent: percent must be an integer, got ${String(percent)}`);
    const prev = this.gcPercent;
    this.gcPercent = percent < 0 ? -1 : percent;
    this.heap.setPacing(this.gcPercent, this.limitBytes());
    return prev;
  }

  private limitBytes(): number {
    return this.memoryLimit >= Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : this.memoryLimit;
  }

  /** The resident set in bytes, as /proc/self/statm's resident pages × 4096 (heap/process.ts). */
  rss(): number {
    return this.heap.rss;
  }

  /**
   * Call fn after every `every` map writes; returns a function that unsubscribes.
   * `heapOnly: true` promises that fn reads the runtime (the heap, the clock, the
   * sample) and never a map: a large delete range may then run in memory order, with
   * fn's samples replayed after it, each with the state of the heap and the len of
   * its own write. Without it, a sampled range runs in key order.
   */
  onSample(every: number, fn: (s: Sample) => void, opts: { heapOnly?: boolean } = {}): () => void {
    if (!Number.isSafeInteger(every) || every < 1)
      throw new Error(`onSample: every must be a positive integer, got ${every}`);
    const s = { every, left: every, fn, heapOnly: opts.heapOnly === true };
    this.samplers.push(s);
    return () => {
      this.samplers = this.samplers.filter((x) => x !== s);
    };
  }

  /** @internal no onSample subscriber: a range of writes may run as one step. */
  unsampled(): boolean {
    return this.samplers.length === 0;
  }

  /** @internal Every sampler (if any) reads only the heap: ranges may replay their samples. */
  heapOnlySamplers(): boolean {
    return this.samplers.every((s) => s.heapOnly);
  }

  /** @internal How many map writes may run before a sampler must see the map (Infinity: none). */
  writesToNextSample(): number {
    let n = Infinity;
    for (const s of this.samplers) if (s.left < n) n = s.left;
    return n;
  }

  /**
   * @internal `n` map writes happened (one, unless a range loop allowed more; never past
   * a sample), each costing `ns` of virtual time (scavenger.ts workNs); `len` is the
   * map's len after them (given when a replay has already moved on).
   */
  tick(m: GoMap, ns: number, n = 1, len = m.len): void {
    this.ops += n;
    this.heap.work(ns * n);
    const ss = this.samplers;
    for (let i = 0; i < ss.length; i++) {
      const s = ss[i];
      // n never passes a sample: range loops stop at writesToNextSample().
      if (s !== undefined && (s.left -= n) <= 0) {
        s.left = s.every;
        s.fn({
          ops: this.ops,
          HeapAlloc: this.heap.heapAlloc,
          NumGC: this.heap.readMemStats().NumGC,
          len,
        });
      }
    }
  }
}

/** Create a model Go runtime for one release. */
export function goRuntime(opts: RuntimeOptions): GoRuntime {
  return new GoRuntime(opts);
}
