/**
 * The shape of a Go type as a reader types it on /your-map/: which parts of a key or
 * value are strings and slices, so that the page can ask for their typical lengths.
 *
 * This is not a layout: sizes, alignment and what the model supports are the model's
 * business (src/model/types.ts parses the same text and decides). This module only
 * reads Go's type syntax far enough to name every string and slice in it, including
 * those the model does not lay out yet, so that a control appears for each one as
 * soon as the type parses and a refusal can name the part that caused it.
 *
 * Grammar (a subset of the Go specification's TypeLit, "Types"):
 *
 *   type   := "*" type | "[" "]" type | "[" digits "]" type | "struct" "{" fields "}" | name
 *   fields := { identList type [";"] }
 *
 * Paths name a part from its root: `key`, `value.Name`, `value.Tags`, `value.Tags[]`
 * (the strings inside the slice), `value[]` (an array's or pointer's target keeps the
 * path of its container, with `[]` for array and slice elements).
 */

export type Shape =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "string" }
  | { readonly kind: "slice"; readonly elem: Shape }
  | { readonly kind: "array"; readonly len: number; readonly elem: Shape }
  | { readonly kind: "pointer"; readonly elem: Shape }
  | { readonly kind: "struct"; readonly fields: readonly { readonly name: string; readonly type: Shape }[] };

/** A string or slice in a type: one length control on the page. */
export interface LengthSlot {
  /** Where it sits, e.g. "value.Tags" (see the module comment). */
  readonly path: string;
  readonly kind: "string" | "slice";
  /** Go spelling of the part, e.g. "[]string". */
  readonly goType: string;
}

export class SyntaxError extends Error {}

/** Kinds of Go type the model never lays out (named here, so the message can say so). */
const UNSUPPORTED = new Set(["map", "chan", "func", "interface", "any", "error"]);

class Reader {
  private pos = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parse(): Shape {
    const t = this.type();
    this.ws();
    if (this.pos < this.src.length) this.fail(`unexpected "${this.src.slice(this.pos, this.pos + 12)}"`);
    return t;
  }

  private fail(why: string): never {
    throw new SyntaxError(why.includes("cannot be estimated") ? why : `not a Go type: ${why}`);
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
    if (m === null)
      this.fail(
        this.pos >= this.src.length
          ? "it ends too early"
          : `expected a name at "${this.src.slice(this.pos, this.pos + 12)}"`,
      );
    this.pos += m[0].length;
    return m[0];
  }

  private type(): Shape {
    const c = this.peek();
    if (c === "*") {
      this.pos++;
      return { kind: "pointer", elem: this.type() };
    }
    if (c === "[") {
      this.pos++;
      if (this.peek() === "]") {
        this.pos++;
        return { kind: "slice", elem: this.type() };
      }
      const m = /^\d+/.exec(this.src.slice(this.pos));
      if (m === null) this.fail("an array needs a length, [N]T");
      this.pos += m[0].length;
      if (this.peek() !== "]") this.fail("expected ] after the array length");
      this.pos++;
      return { kind: "array", len: Number(m[0]), elem: this.type() };
    }
    const id = this.ident();
    if (UNSUPPORTED.has(id))
      this.fail(
        `${id} types cannot be estimated: the model lays out integers, floats, bool, strings, arrays, slices, pointers and structs`,
      );
    if (id === "string") return { kind: "string" };
    if (id !== "struct") return { kind: "name", name: id };
    if (this.peek() !== "{") this.fail("expected { after struct");
    this.pos++;
    const fields: { name: string; type: Shape }[] = [];
    for (;;) {
      const c2 = this.peek();
      if (c2 === "}") {
        this.pos++;
        return { kind: "struct", fields };
      }
      if (c2 === ";") {
        this.pos++;
        continue;
      }
      if (c2 === "") this.fail("missing } at the end of the struct");
      const names = [this.ident()];
      while (this.peek() === ",") {
        this.pos++;
        names.push(this.ident());
      }
      const t = this.type();
      for (const name of names) fields.push({ name, type: t });
      const after = this.peek();
      if (after !== ";" && after !== "}") this.fail(`expected ; or } after field ${names.join(", ")}`);
    }
  }
}

/** Reads Go type syntax; throws SyntaxError with a short reason. */
export function readShape(src: string): Shape {
  if (src.trim() === "") throw new SyntaxError("empty");
  return new Reader(src).parse();
}

/** Go spelling of a shape, as gofmt would print it. */
export function spell(s: Shape): string {
  switch (s.kind) {
    case "name":
      return s.name;
    case "string":
      return "string";
    case "slice":
      return `[]${spell(s.elem)}`;
    case "array":
      return `[${s.len}]${spell(s.elem)}`;
    case "pointer":
      return `*${spell(s.elem)}`;
    case "struct":
      return s.fields.length === 0
        ? "struct{}"
        : `struct{ ${s.fields.map((f) => `${f.name} ${spell(f.type)}`).join("; ")} }`;
  }
}

/** Every string and slice in a shape, outermost first. */
export function lengthSlots(s: Shape, path: string): LengthSlot[] {
  switch (s.kind) {
    case "name":
      return [];
    case "string":
      return [{ path, kind: "string", goType: "string" }];
    case "slice":
      return [{ path, kind: "slice", goType: spell(s) }, ...lengthSlots(s.elem, `${path}[]`)];
    case "array":
      return lengthSlots(s.elem, `${path}[]`);
    case "pointer":
      return lengthSlots(s.elem, path);
    case "struct":
      return s.fields.flatMap((f) => lengthSlots(f.type, `${path}.${f.name}`));
  }
}

/** A length as the page holds it (state.ts Length). */
interface SlotLength {
  readonly len: number;
  readonly cap: number;
}

/**
 * The model's LengthSpec (src/model/types.ts) for a shape, from the page's lengths by
 * path: the same tree, a string's or slice's entry at its path. Undefined when the
 * shape holds no string or slice.
 */
export function lengthSpec(
  s: Shape,
  path: string,
  lengths: Readonly<Record<string, SlotLength>>,
): Record<string, unknown> | undefined {
  switch (s.kind) {
    case "name":
      return undefined;
    case "string": {
      const l = lengths[path];
      return l === undefined ? undefined : { len: l.len };
    }
    case "slice": {
      const l = lengths[path];
      const elem = lengthSpec(s.elem, `${path}[]`, lengths);
      const out: Record<string, unknown> = l === undefined ? {} : { len: l.len, cap: l.cap };
      if (elem !== undefined) out["elem"] = elem;
      return Object.keys(out).length === 0 ? undefined : out;
    }
    case "array": {
      const elem = lengthSpec(s.elem, `${path}[]`, lengths);
      return elem === undefined ? undefined : { elem };
    }
    case "pointer":
      return lengthSpec(s.elem, path, lengths);
    case "struct": {
      const out: Record<string, unknown> = {};
      for (const f of s.fields) {
        const spec = lengthSpec(f.type, `${path}.${f.name}`, lengths);
        if (spec !== undefined) out[f.name] = spec;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
  }
}
