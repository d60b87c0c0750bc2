/**
 * Turning a value given to display() or console.log into an output item.
 *
 *   string                       → text, as is
 *   array of plain objects       → table (columns: the union of keys, first 200 rows)
 *   a chart drawn by Plot        → plot (figures.ts, before this is asked)
 *   anything else                → text, formatted like a compact console.log
 *
 * Numbers are printed with their digits grouped (en-US), so "293,304,320" reads at a
 * glance and the build's output does not depend on the machine's locale.
 *
 * Values print as a reader expects from a console: a Date as its ISO time
 * (2024-01-02T03:04:05.000Z), a RegExp as /source/flags, an Error as "Name: message",
 * Map and Set with their size and entries, a typed array with its length, a bigint
 * with its "n", a boxed primitive as [Number: 1], a class instance with its class name.
 * A value met again inside itself is "[Circular]"; beyond five levels of nesting an
 * object is "[Object]". Built-in kinds are recognised by their internal tag
 * (Object.prototype.toString), which a value made in another realm also carries.
 */
import type { OutputItem } from "./protocol.ts";

const MAX_ROWS = 200; // a table shows at most this many rows, then "n more"
const MAX_ITEMS = 100; // arrays and objects are cut after this many entries when printed

/** `bytes` in MiB with one decimal, as the cells' mib() prints it: src/golden's, one function. */
export { mib } from "../golden/golden.ts";

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return n.toLocaleString("en-US", { maximumFractionDigits: 4 });
}

function formatError(e: Error): string {
  const name = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
  return `${name}: ${String(e.message)}`;
}

const BOXED: Record<string, (v: object) => unknown> = {
  Number: (v) => Number.prototype.valueOf.call(v),
  String: (v) => String.prototype.valueOf.call(v),
  Boolean: (v) => Boolean.prototype.valueOf.call(v),
  BigInt: (v) => BigInt.prototype.valueOf.call(v),
  Symbol: (v) => Symbol.prototype.valueOf.call(v),
};

/** Dates, regular expressions, boxed primitives, buffers and the like; null for the rest. */
function brand(obj: object, tag: string, seen: WeakSet<object>): string | null {
  try {
    switch (tag) {
      case "Date": {
        const time = Date.prototype.getTime.call(obj);
        return Number.isNaN(time) ? "Invalid Date" : new Date(time).toISOString();
      }
      case "RegExp": {
        const source = Object.getOwnPropertyDescriptor(RegExp.prototype, "source")?.get?.call(obj) as string;
        const flags = Object.getOwnPropertyDescriptor(RegExp.prototype, "flags")?.get?.call(obj) as string;
        return `/${source}/${flags}`;
      }
      case "ArrayBuffer":
        return `ArrayBuffer { byteLength: ${formatNumber(
          Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")?.get?.call(obj) as number,
        )} }`;
      case "DataView":
        return `DataView { byteLength: ${formatNumber(
          Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength")?.get?.call(obj) as number,
        )} }`;
      case "WeakMap":
      case "WeakSet":
        return `${tag} { <items unknown> }`;
      case "Promise":
        return "Promise { … }";
    }
    const unbox = BOXED[tag];
    if (unbox) return `[${tag}: ${formatValue(unbox(obj), 1, seen)}]`;
  } catch {
    // Not the built-in its tag claims: printed as an object.
  }
  return null;
}

function className(obj: object): string {
  const ctor = (obj as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A compact, deterministic rendering of any value. */
export function formatValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): string {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : JSON.stringify(value);
    case "number":
      return formatNumber(value);
    case "bigint":
      return `${value}n`;
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return /^class\b/.test(Function.prototype.toString.call(value))
        ? `[class ${value.name || "(anonymous)"}]`
        : `[Function ${value.name || "(anonymous)"}]`;
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.has(obj)) return "[Circular]";
  if (depth > 4) return Array.isArray(obj) ? "[Array]" : "[Object]";
  seen.add(obj);
  try {
    const tag = Object.prototype.toString.call(obj).slice(8, -1);
    const inner = (v: unknown): string => formatValue(v, depth + 1, seen);
    // The tag only picks a candidate (Symbol.toStringTag can lie); each built-in's own
    // method then checks the value really is one, and throws if it is not.
    const builtin = brand(obj, tag, seen);
    if (builtin !== null) return builtin;
    if (ArrayBuffer.isView(obj)) {
      const arr = obj as unknown as ArrayLike<number | bigint>;
      const shown = Array.from({ length: Math.min(arr.length, MAX_ITEMS) }, (_, i) => formatValue(arr[i]));
      return `${tag}(${formatNumber(arr.length)}) [${shown.join(", ")}${arr.length > MAX_ITEMS ? ", …" : ""}]`;
    }
    if (Array.isArray(obj)) {
      const parts = obj.slice(0, MAX_ITEMS).map(inner);
      if (obj.length > MAX_ITEMS) parts.push(`… ${obj.length - MAX_ITEMS} more`);
      return `[${parts.join(", ")}]`;
    }
    if (obj instanceof Map || tag === "Map") {
      const map = obj as Map<unknown, unknown>;
      const parts = [...map].slice(0, MAX_ITEMS).map(([k, v]) => `${inner(k)} => ${inner(v)}`);
      if (map.size > MAX_ITEMS) parts.push(`… ${map.size - MAX_ITEMS} more`);
      return `Map(${map.size}) {${parts.join(", ")}}`;
    }
    if (obj instanceof Set || tag === "Set") {
      const set = obj as Set<unknown>;
      const parts = [...set].slice(0, MAX_ITEMS).map(inner);
      if (set.size > MAX_ITEMS) parts.push(`… ${set.size - MAX_ITEMS} more`);
      return `Set(${set.size}) {${parts.join(", ")}}`;
    }
    if (obj instanceof Error || tag === "Error") return formatError(obj as Error);
    const entries = Object.entries(obj).slice(0, MAX_ITEMS);
    const name = isPlainObject(obj) ? "" : `${className(obj)} `;
    if (entries.length === 0) return `${name}{}`;
    return `${name}{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inner(v)}`).join(", ")} }`;
  } finally {
    seen.delete(obj);
  }
}

function cell(v: unknown): string {
  return typeof v === "string" ? v : formatValue(v, 1);
}

/** The output item for display(value). */
export function toItem(value: unknown): OutputItem {
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
    const columns: string[] = [];
    for (const row of value.slice(0, MAX_ROWS))
      for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
    const rows = value.slice(0, MAX_ROWS).map((row) => columns.map((c) => (c in row ? cell(row[c]) : "")));
    return { kind: "table", columns, rows, more: Math.max(0, value.length - MAX_ROWS) };
  }
  return { kind: "text", text: formatValue(value) };
}
