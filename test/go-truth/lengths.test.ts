/**
 * The harness's side of strings, slices and structs with lengths: its own type module
 * agrees with the model's on layout, and the generated program builds values in the
 * order and sizes the model allocates (src/model/types.ts GoType.objects).
 */
import { describe, expect, it } from "vitest";
import { generateProgram } from "../../src/go-program/generate.ts";
import { alignOf, goSource, parseType as harnessType, sizeOf } from "../../src/go-program/go-type.ts";
import { checkScenario } from "../../src/go-program/scenario.ts";
import { parseType as modelType } from "../../src/model/types.ts";

const steps = [{ op: "make" }, { op: "insert", from: 0, to: 10 }, { op: "delete", from: 0, to: 5 }];

function fn(src: string, name: string): string {
  const start = src.indexOf(`func ${name}(`);
  return src.slice(start, src.indexOf("\n}\n", start) + 2).trimEnd();
}

describe("harness types and lengths", () => {
  it.each([
    "struct{ ID int64; Name string; Tags []string }",
    "struct{ A int8; B []int32; C int16; D string; E bool }",
    "struct{ a, b int32; c int8 }",
    "struct{ a int64; z struct{} }",
    "*struct{ S string; T [2]string }",
    "[3]struct{ X uint16; Y []byte }",
  ])("%s: the same size and alignment as the model's", (t) => {
    const h = harnessType(t);
    const m = modelType(t);
    expect(sizeOf(h)).toBe(m.size);
    expect(alignOf(h)).toBe(m.align);
    expect(modelType(goSource(h)).size).toBe(m.size);
  });

  it("builds a struct value field by field, a slice's array before its elements", () => {
    const c = checkScenario({
      key: "string",
      elem: "*struct{ ID int64; Name string; Tags []string }",
      lengths: { key: { len: 24 }, elem: { Name: { len: 12 }, Tags: { len: 3, cap: 4, elem: { len: 8 } } } },
      steps,
    });
    const src = generateProgram(c, "1.24", "t");
    expect(fn(src, "elem")).toBe(
      [
        "func elem(i int) V {",
        "\tvar v V",
        "\tv = new(struct{ ID int64; Name string; Tags []string })",
        "\t(*v).ID = int64(i)",
        "\t(*v).Name = str12(i)",
        "\t(*v).Tags = make([]string, 3, 4)",
        "\tfor j0 := range (*v).Tags {",
        "\t\t(*v).Tags[j0] = str8(i)",
        "\t}",
        "\treturn v",
        "}",
      ].join("\n"),
    );
    expect(fn(src, "key")).toContain("\tv = str24(i)");
    // Deletes look the key up through a global buffer: no allocation.
    expect(fn(src, "lookupKey")).toContain("\tv = lookupString(lookupBuf0[:], i)");
    expect(src).toContain("\tlookupBuf0 [24]byte");
    expect(fn(src, "str12")).toContain("\tvar b [12]byte");
  });

  it("keeps the first harness's program for types without lengths", () => {
    const c = checkScenario({ key: "string", elem: "string", steps });
    const src = generateProgram(c, "1.23", "t");
    expect(src).toContain("digits16(&b, i)");
    expect(src).not.toContain("putDigits");
  });
});
