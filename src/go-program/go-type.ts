/**
 * Go types, as far as the ground-truth harness needs them.
 *
 * The harness does not model anything: it writes a Go program and lets the
 * real compiler and runtime decide every size and layout. It still has to know
 * three things about a scenario's key and elem types, and this module answers
 * them from the type's Go spelling:
 *
 *   1. the Go source text of the type (for `type K = ...` in the program);
 *   2. its size on amd64, because a map stores keys and elems wider than 128
 *      bytes indirectly (Go 1.19–1.23 runtime/map.go: maxKeySize, maxElemSize;
 *      Go 1.24+ internal/abi: MapMaxKeyBytes, MapMaxElemBytes), and the program
 *      mirrors the runtime's bucket or group struct to read the map's header;
 *   3. how to build the value that scenario integer i stands for (see
 *      `valueFunction` in generate.ts).
 *
 * Grammar accepted (a subset of Go's type syntax, the one scenarios use):
 *
 *   type   := "*" type | "[" digits "]" type | "[" "]" type | struct | basic
 *   struct := "struct" "{" [ field { ";" field } [";"] ] "}"
 *   field  := name { "," name } type
 *   basic  := int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32
 *          | uint64 | uintptr | byte | rune | float32 | float64 | bool | string
 *
 * Sizes and alignments follow the gc compiler on amd64 (types.CalcSize): fields at
 * multiples of their alignment, a struct rounded to its largest alignment, one byte
 * of padding after a trailing zero-size field.
 *
 * Anything else is rejected with a message naming the type. The model under
 * src/model has its own, richer type module; this one exists so the harness
 * stays independent of the thing it checks.
 */

export type HarnessType =
  | { readonly kind: "basic"; readonly name: BasicName }
  | { readonly kind: "array"; readonly len: number; readonly elem: HarnessType }
  | { readonly kind: "slice"; readonly elem: HarnessType }
  | { readonly kind: "pointer"; readonly elem: HarnessType }
  | { readonly kind: "emptyStruct" }
  | { readonly kind: "struct"; readonly fields: readonly HarnessField[] };

export interface HarnessField {
  readonly name: string;
  readonly type: HarnessType;
}

const BASIC_SIZES = {
  int: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  uintptr: 8,
  byte: 1,
  rune: 4,
  float32: 4,
  float64: 8,
  bool: 1,
  string: 16, // a string header: data pointer and length
} as const;

export type BasicName = keyof typeof BASIC_SIZES;

const MAX_INDIRECT_THRESHOLD = 128; // keys/elems wider than this are stored as pointers (maxKeySize, maxElemSize)
const MAX_ARRAY_LEN = 1 << 20; // refuse absurd array types early

/** Thrown for a type the harness cannot express; the message names the type. */
export class UnsupportedTypeError extends Error {}

function isBasic(name: string): name is BasicName {
  return Object.hasOwn(BASIC_SIZES, name);
}

/** Parses a Go type spelling such as "[128]byte", "*[128]byte", "struct{ ID int64; Tags []string }". */
export function parseType(text: string): HarnessType {
  const src = text;
  let pos = 0;
  const fail = (why: string): never => {
    throw new UnsupportedTypeError(`unsupported type ${JSON.stringify(text)}: ${why}`);
  };
  const ws = (): void => {
    while (pos < src.length && /\s/.test(src[pos] ?? "")) pos++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    pos += m?.[0].length ?? 0;
    return m?.[0] ?? "";
  };
  const parse = (): HarnessType => {
    ws();
    if (src.startsWith("*", pos)) {
      pos += 1;
      return { kind: "pointer", elem: parse() };
    }
    if (src.startsWith("[", pos)) {
      const close = src.indexOf("]", pos);
      const digits = close < 0 ? "" : src.slice(pos + 1, close).trim();
      if (close >= 0 && digits === "") {
        pos = close + 1;
        return { kind: "slice", elem: parse() };
      }
      if (!/^[0-9]+$/.test(digits)) fail("array length must be a decimal constant");
      const len = Number(digits);
      if (len > MAX_ARRAY_LEN) fail(`array length over ${MAX_ARRAY_LEN}`);
      pos = close + 1;
      return { kind: "array", len, elem: parse() };
    }
    const w = word();
    if (w === "struct") {
      ws();
      if (!src.startsWith("{", pos)) fail("expected { after struct");
      pos++;
      const fields: HarnessField[] = [];
      for (;;) {
        ws();
        if (src.startsWith("}", pos)) {
          pos++;
          break;
        }
        if (src.startsWith(";", pos)) {
          pos++;
          continue;
        }
        const names = [word()];
        if (names[0] === "") fail("expected a field name");
        for (ws(); src.startsWith(",", pos); ws()) {
          pos++;
          names.push(word());
        }
        const type = parse();
        for (const name of names) fields.push({ name, type });
        ws();
        if (!src.startsWith(";", pos) && !src.startsWith("}", pos))
          fail(`expected ; or } after field ${names.join(", ")}`);
      }
      return fields.length === 0 ? { kind: "emptyStruct" } : { kind: "struct", fields };
    }
    if (!isBasic(w)) fail(w === "" ? "expected a type" : `unknown type name ${w}`);
    return { kind: "basic", name: w as BasicName };
  };
  const t = parse();
  ws();
  if (pos !== src.length) fail(`unexpected ${JSON.stringify(src.slice(pos))}`);
  return t;
}

/** The type's Go source text, canonical spelling. */
export function goSource(t: HarnessType): string {
  switch (t.kind) {
    case "basic":
      return t.name;
    case "array":
      return `[${t.len}]${goSource(t.elem)}`;
    case "slice":
      return `[]${goSource(t.elem)}`;
    case "pointer":
      return `*${goSource(t.elem)}`;
    case "emptyStruct":
      return "struct{}";
    case "struct":
      return `struct{ ${t.fields.map((f) => `${f.name} ${goSource(f.type)}`).join("; ")} }`;
  }
}

/** unsafe.Alignof on amd64. */
export function alignOf(t: HarnessType): number {
  switch (t.kind) {
    case "basic":
      return t.name === "string" ? 8 : BASIC_SIZES[t.name];
    case "array":
      return alignOf(t.elem);
    case "slice":
    case "pointer":
      return 8;
    case "emptyStruct":
      return 1;
    case "struct":
      return Math.max(1, ...t.fields.map((f) => alignOf(f.type)));
  }
}

/** unsafe.Sizeof on amd64. */
export function sizeOf(t: HarnessType): number {
  switch (t.kind) {
    case "basic":
      return BASIC_SIZES[t.name];
    case "array":
      return t.len * sizeOf(t.elem);
    case "slice":
      return 24;
    case "pointer":
      return 8;
    case "emptyStruct":
      return 0;
    case "struct": {
      let off = 0;
      let last = -1;
      for (const f of t.fields) {
        const a = alignOf(f.type);
        off = Math.ceil(off / a) * a + sizeOf(f.type);
        last = sizeOf(f.type);
      }
      if (last === 0 && off > 0) off += 1;
      const a = alignOf(t);
      return Math.ceil(off / a) * a;
    }
  }
}

/** True when the map stores this type behind a pointer (wider than 128 bytes). */
export function storedIndirectly(t: HarnessType): boolean {
  return sizeOf(t) > MAX_INDIRECT_THRESHOLD;
}

export function isInteger(t: HarnessType): boolean {
  return t.kind === "basic" && !["float32", "float64", "bool", "string"].includes(t.name);
}

export function isByteArray(t: HarnessType): boolean {
  return t.kind === "array" && t.elem.kind === "basic" && (t.elem.name === "byte" || t.elem.name === "uint8");
}

/**
 * Key types the scenario format defines a key for: integers (T(i)), string
 * (fmt.Sprintf("%016d", i)) and byte arrays of at least 8 bytes (i in the first 8
 * bytes, little-endian). Returns the reason when the type is not one of them.
 */
export function keyProblem(t: HarnessType): string | null {
  if (isInteger(t)) return null;
  if (t.kind === "basic" && t.name === "string") return null;
  if (isByteArray(t) && t.kind === "array" && t.len >= 8) return null;
  if (t.kind === "struct" && !hasSliceOrPointer(t)) return null; // the model checks it holds distinct keys
  return `key type ${goSource(t)} is not an integer type, string, [N]byte with N ≥ 8, or a struct of such fields`;
}

function hasSliceOrPointer(t: HarnessType): boolean {
  if (t.kind === "slice" || t.kind === "pointer") return true;
  if (t.kind === "array") return hasSliceOrPointer(t.elem);
  if (t.kind === "struct") return t.fields.some((f) => hasSliceOrPointer(f.type));
  return false;
}
