import { describe, expect, it } from "vitest";
import { parseType, STRING_DATA } from "../../src/model/types.ts";

describe("parseType (amd64 layout)", () => {
  it.each([
    ["int", 8, 8, false],
    ["int8", 1, 1, false],
    ["int16", 2, 2, false],
    ["int32", 4, 4, false],
    ["rune", 4, 4, false],
    ["uint64", 8, 8, false],
    ["uintptr", 8, 8, false],
    ["byte", 1, 1, false],
    ["float32", 4, 4, false],
    ["float64", 8, 8, false],
    ["bool", 1, 1, false],
    ["string", 16, 8, true],
    ["[128]byte", 128, 1, false],
    ["[0]int", 0, 8, false],
    ["[3]string", 48, 8, true],
    ["*[128]byte", 8, 8, true],
    ["struct{}", 0, 1, false],
    ["[4]struct{}", 0, 1, false],
  ] as const)("%s: size %d, align %d, pointers %s", (src, size, align, pointers) => {
    const t = parseType(src);
    expect(t.size).toBe(size);
    expect(t.align).toBe(align);
    expect(t.pointers).toBe(pointers);
  });

  it("pads struct fields to their alignment and the struct to its largest", () => {
    expect(parseType("struct{ a int8; b int64 }").size).toBe(16);
    expect(parseType("struct{ a int8; b int8; c int32 }").size).toBe(8);
    expect(parseType("struct{ a int64; b int8 }").size).toBe(16);
    expect(parseType("struct{ a, b int32; c int8 }").size).toBe(12);
    expect(parseType("struct{ a int32; s string }")).toMatchObject({ size: 24, align: 8, pointers: true });
  });

  it("gives a trailing zero-size field a byte of padding (types.CalcStructSize)", () => {
    expect(parseType("struct{ a int64; z struct{} }").size).toBe(16);
    expect(parseType("struct{ a int32; z [0]int64 }").size).toBe(16);
    expect(parseType("struct{ z struct{} }").size).toBe(0);
  });

  it("describes pointees: new(T) for *T, 16 noscan bytes for string", () => {
    expect(parseType("*[128]byte").pointee).toMatchObject({ size: 128, pointers: false });
    expect(parseType("**int").pointee).toMatchObject({ size: 8, pointers: true });
    expect(parseType("string").pointee).toBe(STRING_DATA);
    expect(STRING_DATA).toMatchObject({ size: 16, pointers: false });
  });

  it.each([
    "map[int]int",
    "chan int",
    "interface{}",
    "any",
    "Foo",
    "int9",
    "",
    "[12",
    "struct{ a int",
    "[2]",
  ])("rejects %j with an error naming it", (src) => {
    expect(() => parseType(src)).toThrow(/unsupported Go type/);
    if (src !== "") expect(() => parseType(src)).toThrow(src.slice(0, 3));
  });
});
