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
 * Scenario strings are fmt.Sprintf("%016d", i): 16 bytes of data, no pointers,
 * allocated with mallocgc(16, nil, false), i.e. a 16-byte noscan object. That is
 * what `string`'s pointee describes.
 *
 * Unknown names, maps, slices, channels, interfaces and funcs are rejected with an
 * Error naming the type: the model does not lay them out.
 */
import type { GoType } from "./contract.ts";

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

  private fail(why: string): never {
    throw new Error(`unsupported Go type "${this.src}": ${why}`);
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
      const m = /^\d+/.exec(this.src.slice(this.pos));
      if (m === null) this.fail("slices ([]T) are not supported; arrays need a length [N]T");
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
      this.fail(`${id} types are not supported`);
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
      fields.push({ names, type: this.type() });
      const after = this.peek();
      if (after !== ";" && after !== "}") this.fail(`expected ; or } after field ${names.join(", ")}`);
    }
    let offset = 0;
    let align = 1;
    let pointers = false;
    let lastSize = -1;
    const parts: string[] = [];
    for (const f of fields) {
      for (const _ of f.names) {
        offset = Math.ceil(offset / f.type.align) * f.type.align + f.type.size;
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
    return { name, size, align, pointers, kind: "struct" };
  }
}

/** Parse a Go type, e.g. "int", "[128]byte", "*[128]byte", "struct{ a int32; b string }". */
export function parseType(src: string): GoType {
  if (typeof src !== "string" || src.trim() === "")
    throw new Error(`unsupported Go type "${String(src)}": empty`);
  return new Parser(src).parse();
}
