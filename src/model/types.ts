/**
 * Go types, parsed from Go syntax and laid out as the gc compiler does on amd64.
 *
 * Follows Go 1.23 src/cmd/compile/internal/types/size.go (CalcSize) for linux/amd64:
 * the model only needs each type's size, alignment and whether it holds pointers,
 * because those three decide every byte a map allocates.
 *
 * Terminology
 *   size      unsafe.Sizeof: the bytes one value occupies, padding included.
 *   align     unsafe.Alignof: a value's address is a multiple of it.
 *   pointers  the type holds at least one pointer word (Go: typ.PtrBytes != 0). A
 *             pointer-free ("noscan") object is never scanned by the GC and may go
 *             to the tiny allocator when it is under 16 bytes.
 *   pointee   what a value points to in the scenario programs: for `*T` the object
 *             new(T) allocates; for `string` the string's bytes, a separate heap
 *             object (see STRING_DATA below).
 *
 * Layout rules (amd64)
 *   1. Basic types: bool, int8, uint8 (byte) are 1 byte; int16/uint16 2; int32,
 *      uint32, rune, float32 4; int, uint, uintptr, int64, uint64, float64 8; each is
 *      aligned to its size. Pointers are 8 bytes; a string is a (pointer, length)
 *      header of 16 bytes, aligned 8.
 *   2. [N]T: size N·size(T), alignment of T; it has pointers iff T has and N > 0.
 *   3. struct: fields laid out in order, each at the next multiple of its alignment;
 *      the struct's alignment is the largest field alignment (1 for struct{}); its size
 *      is rounded up to that alignment. A struct whose LAST field has size zero gets
 *      one extra byte before that rounding, so that a pointer to the trailing field
 *      never points past the object (Go: types.CalcStructSize).
 *
 *   4. []T: a (pointer, len, cap) header of 24 bytes, aligned 8, with pointers.
 *
 * What a value points to (GoType.objects)
 *   A string's bytes and a slice's backing array are separate heap objects; the
 *   header in the bucket or slot only points at them. Their sizes come from the
 *   lengths a scenario gives (withLengths below; defaults when it gives none):
 *     string, len L        mallocgc(L, nil, false): L noscan bytes. Under 16 bytes
 *                          that is the tiny allocator. None for L = 0, nor for L = 1:
 *                          the scenario programs build strings from bytes, and
 *                          slicebytetostring points a one-byte string into the
 *                          runtime's static staticuint64s table.
 *     []T, len L, cap C    makeslice: mallocgc(C·size(T), T, true), noscan when T
 *                          holds no pointers (so a short []byte is tiny too), then
 *                          whatever elements 0 … L−1 point to.
 *     *T                   new(T): size(T) bytes (none for size 0), then what T's
 *                          fields point to.
 *     [N]T, struct         what each element / field points to, in order.
 *   The list is in the order the scenario program allocates (tools/go-truth/
 *   generate.ts builds values field by field, a slice's array before its elements,
 *   new(T) before T's contents), which is the order the tiny allocator sees.
 *
 * Lengths (LengthSpec) mirror the type; pointers are transparent:
 *     string               { "len": 12 }                     default len 16
 *     []T                  { "len": 3, "cap": 4, "elem": S }  default len 0; cap = len
 *     [N]T                 { "elem": S }                      every element alike
 *     *T                   the spec of T
 *     struct               { "Field": S, … }                  by field name
 *   Example for struct{ ID int64; Name string; Tags []string }:
 *     { "Name": { "len": 12 }, "Tags": { "len": 3, "cap": 4, "elem": { "len": 8 } } }
 *   The default string length, 16, is fmt.Sprintf("%016d", i): the scenario strings
 *   every golden file before lengths existed was recorded with (STRING_DATA).
 *
 * Unknown names, maps, channels, interfaces and funcs are rejected with an Error
 * naming the type: the model does not lay them out.
 */
import type { GoField, GoType, HeapObjectSpec, LengthSpec } from "./contract.ts";

/** The bytes behind a scenario string: fmt.Sprintf("%016d", i). */
export const STRING_DATA: GoType = Object.freeze({
  name: "[16]byte",
  size: 16,
  align: 1,
  pointers: false,
  kind: "array",
});

const basic: Record<string, { size: number; kind: GoType["kind"] }> = {
  bool: { size: 1, kind: "bool" },
  int8: { size: 1, kind: "int" },
  uint8: { size: 1, kind: "uint" },
  byte: { size: 1, kind: "uint" },
  int16: { size: 2, kind: "int" },
  uint16: { size: 2, kind: "uint" },
  int32: { size: 4, kind: "int" },
  rune: { size: 4, kind: "int" },
  uint32: { size: 4, kind: "uint" },
  float32: { size: 4, kind: "float" },
  int: { size: 8, kind: "int" },
  int64: { size: 8, kind: "int" },
  uint: { size: 8, kind: "uint" },
  uint64: { size: 8, kind: "uint" },
  uintptr: { size: 8, kind: "uint" },
  float64: { size: 8, kind: "float" },
};

/** Largest type the model accepts (a value bigger than this is not a sensible map slot). */
const MAX_TYPE_SIZE = 2 ** 40; // 1 TiB: keeps every size an exact JS integer

class Parser {
  private pos = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parse(): GoType {
    const t = this.type();
    this.ws();
    if (this.pos !== this.src.length) this.fail(`unexpected "${this.src.slice(this.pos)}"`);
    return t;
  }

  /** The struct fields being parsed, outermost first (for error messages). */
  private readonly where: string[] = [];

  private fail(why: string): never {
    const field = this.where.length > 0 ? `field ${this.where.join(".")}: ` : "";
    throw new Error(`unsupported Go type "${this.src}": ${field}${why}`);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private peek(): string {
    this.ws();
    return this.src[this.pos] ?? "";
  }

  private ident(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (m === null) this.fail(`expected a type at offset ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  private type(): GoType {
    const c = this.peek();
    if (c === "*") {
      this.pos++;
      const elem = this.type();
      return { name: `*${elem.name}`, size: 8, align: 8, pointers: true, pointee: elem, kind: "pointer" };
    }
    if (c === "[") {
      this.pos++;
      this.ws();
      if (this.peek() === "]") {
        this.pos++;
        const elem = this.type();
        return { name: `[]${elem.name}`, size: 24, align: 8, pointers: true, elem, kind: "slice" };
      }
      const m = /^\d+/.exec(this.src.slice(this.pos));
      if (m === null) this.fail("an array needs a constant length [N]T (or [] for a slice)");
      this.pos += m[0].length;
      if (this.peek() !== "]") this.fail("expected ] after the array length");
      this.pos++;
      const n = Number(m[0]);
      const elem = this.type();
      const size = n * elem.size;
      if (!Number.isSafeInteger(n) || size > MAX_TYPE_SIZE) this.fail(`array too large`);
      return {
        name: `[${n}]${elem.name}`,
        size,
        align: elem.align,
        pointers: n > 0 && elem.pointers,
        kind: "array",
        elem,
        len: n,
      };
    }
    const id = this.ident();
    if (id === "struct") return this.struct();
    if (id === "string")
      return { name: "string", size: 16, align: 8, pointers: true, pointee: STRING_DATA, kind: "string" };
    const b = basic[id];
    if (b !== undefined) return { name: id, size: b.size, align: b.size, pointers: false, kind: b.kind };
    if (
      id === "map" ||
      id === "chan" ||
      id === "func" ||
      id === "interface" ||
      id === "any" ||
      id === "error"
    ) {
      this.fail(`${id === "any" || id === "error" ? `${id} (an interface)` : id} types are not supported`);
    }
    this.fail(`unknown type name "${id}"`);
  }

  private struct(): GoType {
    if (this.peek() !== "{") this.fail("expected { after struct");
    this.pos++;
    const fields: { names: string[]; type: GoType }[] = [];
    for (;;) {
      const c = this.peek();
      if (c === "}") {
        this.pos++;
        break;
      }
      if (c === ";" || c === "\n") {
        this.pos++;
        continue;
      }
      const names = [this.ident()];
      while (this.peek() === ",") {
        this.pos++;
        names.push(this.ident());
      }
      const c2 = this.peek();
      if (c2 === ";" || c2 === "}")
        this.fail(`embedded field ${names.join(", ")}: give every field a name and a type`);
      for (const n of names) {
        if (n !== "_" && fields.some((f) => f.names.includes(n))) this.fail(`duplicate field ${n}`);
      }
      this.where.push(names.join(", "));
      const type = this.type();
      this.where.pop();
      fields.push({ names, type });
      const after = this.peek();
      if (after !== ";" && after !== "}") this.fail(`expected ; or } after field ${names.join(", ")}`);
    }
    let offset = 0;
    let align = 1;
    let pointers = false;
    let lastSize = -1;
    const parts: string[] = [];
    const laid: GoField[] = [];
    for (const f of fields) {
      for (const fname of f.names) {
        offset = Math.ceil(offset / f.type.align) * f.type.align;
        laid.push({ name: fname, type: f.type, offset });
        offset += f.type.size;
        align = Math.max(align, f.type.align);
        pointers ||= f.type.pointers;
        lastSize = f.type.size;
      }
      parts.push(`${f.names.join(", ")} ${f.type.name}`);
    }
    if (lastSize === 0 && offset > 0) offset += 1; // rule 3: trailing zero-size field
    const size = Math.ceil(offset / align) * align;
    if (size > MAX_TYPE_SIZE) this.fail("struct too large");
    const name = parts.length === 0 ? "struct{}" : `struct{ ${parts.join("; ")} }`;
    return { name, size, align, pointers, kind: "struct", fields: laid };
  }
}

/** Parse a Go type, e.g. "int", "[128]byte", "*T", "[]string", "struct{ ID int64; Name string }". */
export function parseType(src: string, lengths?: LengthSpec): GoType {
  if (typeof src !== "string" || src.trim() === "")
    throw new Error(`unsupported Go type "${String(src)}": empty`);
  return withLengths(new Parser(src).parse(), lengths);
}

// ───────────────────────────── lengths ─────────────────────────────

/** Typical lengths for the strings and slices inside a type; see the header. */
export type { LengthSpec };

/** A string's length when no LengthSpec gives one: fmt.Sprintf("%016d", i). */
export const DEFAULT_STRING_LEN = 16;
/** Most bytes one string or backing array may have (the model's 1 TiB heap limit). */
export const MAX_OBJECT_BYTES = 2 ** 40;
/** Most heap objects one value may point to (a guard for the typed-array model). */
export const MAX_OBJECTS_PER_VALUE = 1 << 16;

function lengthError(path: string, why: string): never {
  throw new Error(`lengths${path === "" ? "" : ` for ${path}`}: ${why}`);
}

function isSpec(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function count(v: unknown, path: string, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    lengthError(path, `${what} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

function join(path: string, part: string): string {
  return path === "" ? part : `${path}.${part}`;
}

/** Appends to `out` the objects one value of `t` points to under `spec` (program order). */
function collect(t: GoType, spec: unknown, path: string, at: string, out: HeapObjectSpec[]): void {
  if (spec !== undefined && !isSpec(spec))
    lengthError(path, `expected an object for ${t.name}, got ${JSON.stringify(spec)}`);
  const s = spec ?? {};
  const only = (allowed: readonly string[]): void => {
    for (const k of Object.keys(s))
      if (!allowed.includes(k))
        lengthError(
          path,
          allowed.length === 0
            ? `${t.name} has no strings or slices, so "${k}" means nothing here`
            : `unknown key "${k}" for ${t.name} (expected ${allowed.map((a) => `"${a}"`).join(", ")})`,
        );
  };
  const push = (size: number, noscan: boolean, where: string): void => {
    if (size > MAX_OBJECT_BYTES) lengthError(path, `${size} bytes is over the model's limit of 1 TiB`);
    if (size === 0) return; // mallocgc(0) returns &zerobase
    if (out.length >= MAX_OBJECTS_PER_VALUE)
      lengthError(path, `one value would point to over ${MAX_OBJECTS_PER_VALUE} heap objects`);
    out.push({ size, noscan, path: where });
  };
  switch (t.kind) {
    case "string": {
      only(["len"]);
      const len = s["len"] === undefined ? DEFAULT_STRING_LEN : count(s["len"], path, "len");
      // slicebytetostring returns a one-byte string from the runtime's staticuint64s table.
      push(len === 1 ? 0 : len, true, at);
      return;
    }
    case "slice": {
      only(["len", "cap", "elem"]);
      const e = t.elem as GoType;
      const len = s["len"] === undefined ? 0 : count(s["len"], path, "len");
      const cap = s["cap"] === undefined ? len : count(s["cap"], path, "cap");
      if (cap < len) lengthError(path, `cap (${cap}) must be ≥ len (${len})`);
      if (cap * e.size > MAX_OBJECT_BYTES)
        lengthError(path, `a backing array of ${cap} × ${e.size} bytes is over the model's limit of 1 TiB`);
      push(cap * e.size, !e.pointers, `${at}[]`);
      if (len > MAX_OBJECTS_PER_VALUE && e.pointers)
        lengthError(path, `one value would point to over ${MAX_OBJECTS_PER_VALUE} heap objects`);
      if (len === 0) collect(e, s["elem"], join(path, "elem"), `${at}[0]`, []); // still check the spec
      for (let j = 0; j < len; j++) {
        const before = out.length;
        collect(e, s["elem"], join(path, "elem"), `${at}[${j}]`, out);
        if (out.length === before) break; // elements point to nothing: neither do the rest
      }
      return;
    }
    case "array": {
      only(["elem"]);
      const e = t.elem as GoType;
      const n = t.len ?? 0;
      if (n === 0) collect(e, s["elem"], join(path, "elem"), `${at}[0]`, []); // still check the spec
      for (let j = 0; j < n; j++) {
        const before = out.length;
        collect(e, s["elem"], join(path, "elem"), `${at}[${j}]`, out);
        if (out.length === before) break;
      }
      return;
    }
    case "pointer": {
      const p = t.pointee as GoType;
      push(p.size, !p.pointers, at === "" ? "*" : `${at}.*`);
      if (p.size > 0) collect(p, spec, path, at === "" ? "*" : `${at}.*`, out);
      return;
    }
    case "struct": {
      const fields = t.fields ?? [];
      only(fields.map((f) => f.name).filter((n) => n !== "_"));
      for (const f of fields) {
        if (f.name === "_") continue; // blank fields are never set: zero, pointing nowhere
        collect(f.type, s[f.name], join(path, f.name), at === "" ? f.name : `${at}.${f.name}`, out);
      }
      return;
    }
    default:
      only([]);
  }
}

/**
 * The type with the lengths bound: `objects` lists what one value points to (see the
 * header). Throws an Error naming the path ("lengths for Tags.elem: …") on a spec that
 * does not fit the type.
 */
export function withLengths(t: GoType, lengths?: LengthSpec): GoType {
  const objects: HeapObjectSpec[] = [];
  collect(t, lengths, "", "", objects);
  const p = t.kind === "string" ? stringData(objects[0]?.size ?? 0) : t.pointee;
  const { lengths: _old, ...rest } = t;
  const out: GoType = lengths === undefined ? { ...rest, objects } : { ...rest, objects, lengths };
  return p === undefined ? out : { ...out, pointee: p };
}

/** The bytes behind a string of length `len` (STRING_DATA for the default 16). */
function stringData(len: number): GoType {
  if (len === DEFAULT_STRING_LEN) return STRING_DATA;
  return { name: `[${len}]byte`, size: len, align: 1, pointers: false, kind: "array" };
}
