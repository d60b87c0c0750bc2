import { describe, expect, test } from "vitest";
import * as fc from "fast-check";
import { compileCell, decodeMappings, lineCol, CellSyntaxError } from "../../src/notebook/compile.ts";
import { formatValue, toItem } from "../../src/notebook/format.ts";

describe("compileCell", () => {
  test("strips types, keeps lines, lists top-level value declarations only", () => {
    const c = compileCell(
      "interface P { a: number }\nconst x: P = { a: 1 };\nfunction f<T>(v: T): T { const inner = v; return inner }\nenum E { A }",
    );
    expect(c.js.split("\n")).toHaveLength(4);
    expect(c.js).not.toContain(": P");
    expect(c.declared.sort()).toEqual(["E", "f", "x"]);
  });

  test("maps a compiled position back across removed annotations", () => {
    const src = "const a: Array<number> = [], b = a.length;";
    const c = compileCell(src);
    const col = c.js.indexOf("a.length") + 1;
    expect(c.original(1, col)).toEqual({ line: 1, col: src.indexOf("a.length") + 1 });
  });

  test("a syntax error carries the cell's line and column", () => {
    try {
      compileCell("const ok = 1;\n  let = ;");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CellSyntaxError);
      expect(e).toMatchObject({ line: 2, col: 7 });
    }
  });

  test("lineCol is 1-based", () => {
    expect(lineCol("ab\ncd", 0)).toEqual({ line: 1, col: 1 });
    expect(lineCol("ab\ncd", 4)).toEqual({ line: 2, col: 2 });
  });

  test("VLQ decoding: 'AAAA,EAAE;AACA' ", () => {
    expect(decodeMappings("AAAA,EAAE;AACA")).toEqual([
      [
        { genCol: 0, srcLine: 0, srcCol: 0 },
        { genCol: 2, srcLine: 0, srcCol: 2 },
      ],
      [{ genCol: 0, srcLine: 1, srcCol: 2 }],
    ]);
  });

  test("any valid cell of plain statements keeps its line count", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom("const a1: number = 1;", "let s: string = 'x';", "", "type T = { q: 1 };", "f();"),
          { maxLength: 12 },
        ),
        (lines) => {
          const src = lines.map((l, i) => l.replace(/a1|s(?=:)/, (n) => `${n}${i}`)).join("\n");
          expect(compileCell(src).js.split("\n").length).toBe(src.split("\n").length);
        },
      ),
    );
  });
});

describe("formatValue and toItem", () => {
  test("deterministic, compact printing", () => {
    expect(formatValue(1234.56789)).toBe("1,234.5679");
    expect(formatValue([1, "a", null, undefined, 10n])).toBe('[1, "a", null, undefined, 10n]');
    expect(formatValue(new Map([["k", { v: [1] }]]))).toBe('Map(1) {"k" => { v: [1] }}');
    expect(formatValue(new Uint8Array([1, 2]))).toBe("Uint8Array(2) [1, 2]");
    const cyc: Record<string, unknown> = {};
    cyc["self"] = cyc;
    expect(formatValue(cyc)).toBe("{ self: [Circular] }");
  });

  test("tables stop at 200 rows and say how many more", () => {
    const item = toItem(Array.from({ length: 250 }, (_, i) => ({ i })));
    expect(item).toMatchObject({ kind: "table", columns: ["i"], more: 50 });
    expect(item.kind === "table" && item.rows.length).toBe(200);
  });

  test("an empty array or an array of non-objects is text, not a table", () => {
    expect(toItem([])).toEqual({ kind: "text", text: "[]" });
    expect(toItem([1, 2])).toEqual({ kind: "text", text: "[1, 2]" });
  });
});
