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
 */
import type { OutputItem } from "./protocol.ts";

const MAX_ROWS = 200; // a table shows at most this many rows, then "n more"
const MAX_ITEMS = 100; // arrays and objects are cut after this many entries when printed

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return n.toLocaleString("en-US", { maximumFractionDigits: 4 });
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
      return `[Function ${value.name || "(anonymous)"}]`;
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.has(obj)) return "[Circular]";
  if (depth > 4) return Array.isArray(obj) ? "[Array]" : "[Object]";
  seen.add(obj);
  try {
    if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const arr = Array.from(obj as unknown as ArrayLike<number>);
      return `${obj.constructor.name}(${arr.length}) [${arr
        .slice(0, MAX_ITEMS)
        .map((n) => formatNumber(n))
        .join(", ")}${arr.length > MAX_ITEMS ? ", …" : ""}]`;
    }
    if (Array.isArray(obj)) {
      const parts = obj.slice(0, MAX_ITEMS).map((v) => formatValue(v, depth + 1, seen));
      if (obj.length > MAX_ITEMS) parts.push(`… ${obj.length - MAX_ITEMS} more`);
      return `[${parts.join(", ")}]`;
    }
    if (obj instanceof Map) {
      const parts = [...obj]
        .slice(0, MAX_ITEMS)
        .map(([k, v]) => `${formatValue(k, depth + 1, seen)} => ${formatValue(v, depth + 1, seen)}`);
      return `Map(${obj.size}) {${parts.join(", ")}}`;
    }
    if (obj instanceof Set) {
      return `Set(${obj.size}) {${[...obj]
        .slice(0, MAX_ITEMS)
        .map((v) => formatValue(v, depth + 1, seen))
        .join(", ")}}`;
    }
    const entries = Object.entries(obj).slice(0, MAX_ITEMS);
    const name = isPlainObject(obj) ? "" : `${obj.constructor?.name ?? "Object"} `;
    if (entries.length === 0) return `${name}{}`;
    return `${name}{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(v, depth + 1, seen)}`).join(", ")} }`;
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
