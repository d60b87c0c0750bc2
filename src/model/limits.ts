/**
 * What the model refuses, and why: arguments Go's own code could not express, and maps
 * no machine the chapters speak of could hold. Every refusal is a RangeError thrown
 * before the model changes anything, naming the argument and the rule it broke.
 *
 * Range loops. `m.insertRange(from, to)` stands for
 * `for i := from; i < to; i++ { m[key(i)] = elem(i) }` (deleteRange likewise), so from
 * and to are Go ints: safe integers here, with from ≤ to. A fractional bound has no Go
 * counterpart and a reversed range is almost always a slip (Go would silently run no
 * iteration); both are refused, as the scenario files refuse them (scenario.ts). `set`
 * and `delete` take one integer i for the same reason.
 *
 * Heap. Go 1.23 src/runtime/malloc.go caps one allocation at maxAlloc (1<<48 on
 * linux/amd64) and the compiler accepts arrays far larger than any machine's memory:
 * `map[int][1 << 40]byte` compiles, and its first insert asks mallocgc for 1 TiB. Keys
 * and elems over 128 bytes (maxKeySize, maxElemSize in runtime/map.go and
 * internal/runtime/maps) are stored indirectly, one heap object each, so every insert
 * of such a map allocates at least the full value. The model refuses a write (set,
 * insertRange, or the copy recreate makes) whose new entries would take HeapAlloc past
 * MAX_HEAP_BYTES (1 TiB), counting at least
 * `entryBytes` per entry and every key of a range as new. Below that limit sizes stay
 * exact integers.
 *
 * Entries. A runtime may also be given `maxEntries` (RuntimeOptions), the most entries
 * one map may hold: the notebook's kernel sets 20,000,000, what a browser tab's memory
 * holds in the model's typed arrays. It is checked at the same places as the heap limit,
 * before anything is allocated: make's hint, insertRange's new keys (every key of the
 * range counted as new), and a set of a key not yet present when the map is full.
 */
import type { GoType } from "./contract.ts";

/** The most HeapAlloc the model lets a runtime reach; a write past it is refused. */
export const MAX_HEAP_BYTES = 2 ** 40; // 1 TiB

/** Go's maxKeySize and maxElemSize: larger keys and elems live in their own heap object. */
const MAX_INLINE_BYTES = 128;

/** A size in the largest binary unit that keeps it at or above 1, e.g. "1 TiB", "1.5 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? String(v) : String(Number(v.toFixed(1)));
  return `${text} ${units[u] ?? "bytes"}`;
}

/**
 * The fewest heap bytes one new entry of a map[key]elem adds: its key and elem slots
 * (a pointer for an indirect one), the indirect objects, and the object a string or
 * pointer value points to. Size-class rounding and bucket growth only add to it.
 */
export function entryBytes(key: GoType, elem: GoType): number {
  const one = (t: GoType): number => {
    const indirect = t.size > MAX_INLINE_BYTES;
    let pointees = 0;
    for (const o of t.objects ?? []) pointees += o.size;
    return (indirect ? 8 + t.size : t.size) + pointees;
  };
  return one(key) + one(elem);
}

/** The most entries one map may hold, and how refusals name the limit. */
export interface EntryLimit {
  readonly maxEntries: number;
  /** e.g. "the notebook's limit"; default "the runtime's limit". */
  readonly name: string;
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/** make(map, hint): refused when the hint alone asks for more entries than the limit. */
export function checkHint(limit: EntryLimit | null, mapName: string, hint: number): void {
  if (limit === null || hint <= limit.maxEntries) return;
  throw new RangeError(
    `Refused before allocating: make(${mapName}, ${fmt(hint)}) asks for more than ${limit.name} of ${fmt(limit.maxEntries)} entries per map.`,
  );
}

/** insertRange: refused when len + the range's keys would pass the limit. */
export function checkRangeEntries(limit: EntryLimit | null, len: number, n: number): void {
  if (limit === null || len + n <= limit.maxEntries) return;
  throw new RangeError(
    `Refused before allocating: inserting ${fmt(n)} elements would take the map past ${limit.name} of ${fmt(limit.maxEntries)} entries per map.`,
  );
}

/** set of a new key on a full map. */
export function checkSetEntries(limit: EntryLimit | null, len: number): void {
  if (limit === null || len < limit.maxEntries) return;
  throw new RangeError(
    `Refused before allocating: the map already holds ${fmt(len)} entries, ${limit.name} per map.`,
  );
}

function show(v: unknown): string {
  return typeof v === "number" ? String(v) : typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** One Go int argument: a safe integer. */
export function checkInt(op: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v))
    throw new RangeError(`${op}: ${name} must be an integer, got ${show(v)}`);
}

/** The bounds of a range loop: two integers, from ≤ to. */
export function checkRange(op: string, from: unknown, to: unknown): void {
  checkInt(op, "from", from);
  checkInt(op, "to", to);
  if ((to as number) < (from as number))
    throw new RangeError(`${op}: to must be ≥ from (${show(from)}), got ${show(to)}`);
}

/** Refuses `entries` new entries of `bytes` each when they would take the heap past the limit. */
export function checkHeap(what: string, heapAlloc: number, entries: number, bytes: number): void {
  const adds = entries * bytes;
  if (heapAlloc + adds <= MAX_HEAP_BYTES) return;
  throw new RangeError(
    `Refused before allocating: ${what} would add at least ${formatBytes(adds)} to a heap of ${formatBytes(heapAlloc)} (${entries === 1 ? "one entry" : `${entries.toLocaleString("en-US")} entries`} of at least ${formatBytes(bytes)}), past the model's limit of ${formatBytes(MAX_HEAP_BYTES)}`,
  );
}
