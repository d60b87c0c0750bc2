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
 * T(i) (so int8 keys wrap at 256, as Go's conversion does), string keys the 16-digit
 * decimal of i, [N]byte keys i in their first 8 bytes; the model identifies each key
 * by that value.
 *
 * Arguments Go could not express (a fractional or reversed range) and writes that would
 * take the heap past 1 TiB are refused with a RangeError before anything changes
 * (limits.ts).
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
 *   rt.sleep(ms)       advances virtual time, no real waiting: O(1) plus, while the
 *                      scavenger has work, O(chunks) per 250 ms slice with a chart.
 *   rt.freeOSMemory()  a forced GC (as rt.GC()) plus O(1) release.
 *   rt.setMemoryLimit, rt.setGCPercent, rt.rss()  O(1).
 *   m.internals()      O(2^B + overflow buckets): walks every chain (occupancy is
 *                      included while 2^B ≤ 65536).
 *   m.checkInvariants  O(n): tests only.
 *   onSample(k, fn)    fn runs after every k-th map write; costs what fn costs.
 */
import type { GoType, GoVersion, MapImpl, MapInternals } from "./contract.ts";
import { ClassicMap } from "./classic/map.ts";
import { deriveSeed, randomSeed } from "./hash.ts";
import { Heap, type MemStats } from "./heap/heap.ts";
import { processBaseline } from "./heap/process.ts";
import { checkHeap, checkInt, checkRange, entryBytes, MAX_HEAP_BYTES } from "./limits.ts";
import { makeSwissMap } from "./swiss/index.ts";
import { parseType } from "./types.ts";
import { isGoVersion, versionRules, type VersionRules } from "./versions.ts";

export type { MemStats } from "./heap/heap.ts";

export interface RuntimeOptions {
  /** The Go release to model, "1.19" … "1.27". */
  readonly go: GoVersion;
  /** Base of every map's hash seed; the same seed gives the same run. Default 1. */
  readonly seed?: number;
  /** Go's behaviour: a fresh random seed per map (runs are then not reproducible). */
  readonly randomSeeds?: boolean;
}

export interface Sample {
  /** Map writes (sets and deletes) since the runtime started. */
  readonly ops: number;
  readonly HeapAlloc: number;
  readonly NumGC: number;
  readonly len: number;
}

/** Converts scenario integer i into the key value a Go key type holds (T(i)). */
function keyConversion(t: GoType): (i: number) => number {
  if (t.kind === "int" || t.kind === "uint") {
    const bits = t.size * 8;
    if (bits >= 64) return (i) => i;
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
  return (i) => i;
}

function checkStep(op: string, step: unknown): void {
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 1)
    throw new RangeError(`${op}: step must be a positive integer, got ${String(step)}`);
}

function checkKeyType(t: GoType): void {
  if (t.kind === "int" || t.kind === "uint" || t.kind === "string") return;
  if (t.kind === "array" && t.size >= 8 && /^\[\d+\](byte|uint8)$/.test(t.name)) return;
  throw new Error(`unsupported key type "${t.name}": keys must be integers, string or [N]byte with N ≥ 8`);
}

/**
 * Range loops read `warmAhead` keys ahead through MapImpl.warm (a software prefetch:
 * the cache misses of consecutive keys overlap instead of queueing). 0 turns it off;
 * tests do, to show it changes nothing.
 */
export const rangeTuning = { warmAhead: 16 };
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

  constructor(rt: GoRuntime, impl: MapImpl, key: GoType, elem: GoType) {
    this.rt = rt;
    this.impl = impl;
    this.key = key;
    this.elem = elem;
    this.conv = keyConversion(key);
    this.entryBytes = entryBytes(key, elem);
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
    const heapAlloc = this.rt.heap.heapAlloc;
    if (heapAlloc + this.entryBytes > MAX_HEAP_BYTES && !this.impl.has(this.conv(i)))
      checkHeap(`set on a ${this.goName()}`, heapAlloc, 1, this.entryBytes);
    this.impl.set(this.conv(i), elem);
    this.rt.tick(this);
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
    this.impl.delete(this.conv(i));
    this.rt.tick(this);
  }

  /** for i := from; i < to; i += step { m[key(i)] = elem(i) } (step defaults to 1) */
  insertRange(from: number, to: number, step = 1): void {
    checkRange("insertRange", from, to);
    checkStep("insertRange", step);
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
    this.writeRange(from, to, step, true);
  }

  /** The loop of insertRange and deleteRange, reading `rangeTuning.warmAhead` keys ahead. */
  private writeRange(from: number, to: number, step: number, del: boolean): void {
    const impl = this.impl;
    const conv = this.conv;
    const ahead = Math.max(1, rangeTuning.warmAhead) * step;
    const warm = rangeTuning.warmAhead > 0 && impl.warm !== undefined;
    let sink = 0;
    for (let i = from; i < to;) {
      const end = Math.min(to, i + ahead);
      if (warm) for (let j = i; j < end; j += step) sink += (impl.warm as (k: number) => number)(conv(j));
      for (; i < end; i += step) {
        if (del) impl.delete(conv(i));
        else impl.set(conv(i));
        this.rt.tick(this);
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
  private samplers: { every: number; left: number; fn: (s: Sample) => void }[] = [];

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
    });
    this.seedBase = opts.seed ?? 1;
    this.randomSeeds = opts.randomSeeds ?? false;
  }

  /** make(map[K]V, hint): types in Go syntax or already parsed. */
  makeMap(key: string | GoType, elem: string | GoType, hint = 0): GoMap {
    const k = typeof key === "string" ? parseType(key) : key;
    const e = typeof elem === "string" ? parseType(elem) : elem;
    checkKeyType(k);
    if (!Number.isSafeInteger(hint) || hint < 0)
      throw new Error(`make: hint must be a non-negative integer, got ${hint}`);
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

  /** Virtual time in milliseconds since the runtime started. */
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

  /** Call fn after every `every` map writes; returns a function that unsubscribes. */
  onSample(every: number, fn: (s: Sample) => void): () => void {
    if (!Number.isSafeInteger(every) || every < 1)
      throw new Error(`onSample: every must be a positive integer, got ${every}`);
    const s = { every, left: every, fn };
    this.samplers.push(s);
    return () => {
      this.samplers = this.samplers.filter((x) => x !== s);
    };
  }

  /** @internal one map write happened. */
  tick(m: GoMap): void {
    this.ops++;
    const ss = this.samplers;
    for (let i = 0; i < ss.length; i++) {
      const s = ss[i];
      if (s !== undefined && --s.left === 0) {
        s.left = s.every;
        s.fn({
          ops: this.ops,
          HeapAlloc: this.heap.heapAlloc,
          NumGC: this.heap.readMemStats().NumGC,
          len: m.len,
        });
      }
    }
  }
}

/** Create a model Go runtime for one release. */
export function goRuntime(opts: RuntimeOptions): GoRuntime {
  return new GoRuntime(opts);
}
