import { describe, expect, test } from "vitest";
import * as fc from "fast-check";
import { compileCell, decodeMappings, lineCol, CellSyntaxError } from "../../src/notebook/compile.ts";
import { formatValue, mib, toItem } from "../../src/notebook/format.ts";

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

  test("dates, regular expressions and other built-ins print as a console shows them", () => {
    expect(formatValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe("2024-01-02T03:04:05.000Z");
    expect(formatValue(new Date(Number.NaN))).toBe("Invalid Date");
    expect(formatValue(/a+b/gi)).toBe("/a+b/gi");
    expect(formatValue(new RegExp("x/y"))).toBe("/x\\/y/");
    expect(formatValue({ when: new Date(0), re: /z/ })).toBe("{ when: 1970-01-01T00:00:00.000Z, re: /z/ }");
    expect(formatValue(new Set([1, "a"]))).toBe('Set(2) {1, "a"}');
    expect(formatValue(new Map([[1, new Set()]]))).toBe("Map(1) {1 => Set(0) {}}");
    expect(formatValue(12345678901234567890n)).toBe("12345678901234567890n");
    expect(formatValue(Symbol("s"))).toBe("Symbol(s)");
    expect(formatValue(new RangeError("too big"))).toBe("RangeError: too big");
    expect(formatValue([new TypeError("t")])).toBe("[TypeError: t]");
    expect(formatValue(new Float64Array([0.5, 1500]))).toBe("Float64Array(2) [0.5, 1,500]");
    expect(formatValue(new BigInt64Array([3n]))).toBe("BigInt64Array(1) [3n]");
    expect(formatValue(new ArrayBuffer(16))).toBe("ArrayBuffer { byteLength: 16 }");
    expect(formatValue(new DataView(new ArrayBuffer(4)))).toBe("DataView { byteLength: 4 }");
    expect(formatValue(Object(1))).toBe("[Number: 1]");
    expect(formatValue(Object("s"))).toBe('[String: "s"]');
    expect(formatValue(new WeakMap())).toBe("WeakMap { <items unknown> }");
    expect(formatValue(Promise.resolve(1))).toBe("Promise { … }");
    class Point {
      x = 1;
    }
    expect(formatValue(new Point())).toBe("Point { x: 1 }");
    expect(formatValue(Point)).toBe("[class Point]");
    expect(formatValue(() => 1)).toBe("[Function (anonymous)]");
    expect(formatValue({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } })).toBe(
      "{ a: { b: { c: { d: { e: [Object] } } } } }",
    );
    const a: unknown[] = [];
    a.push({ back: a });
    expect(formatValue(a)).toBe("[{ back: [Circular] }]");
  });

  test("a value whose Symbol.toStringTag lies prints as the object it is", () => {
    const fake = { [Symbol.toStringTag]: "Date", when: 1 };
    expect(formatValue(fake)).toBe("{ when: 1 }");
    expect(formatValue({ [Symbol.toStringTag]: "RegExp" })).toBe("{}");
  });

  test("mib never prints a negative zero", () => {
    expect(mib(-1)).toBe("0.0 MiB");
    expect(mib(-0)).toBe("0.0 MiB");
    expect(mib(-(2 ** 20))).toBe("-1.0 MiB");
    expect(mib(-0.06 * 2 ** 20)).toBe("-0.1 MiB");
    expect(mib(3 * 2 ** 19)).toBe("1.5 MiB");
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
