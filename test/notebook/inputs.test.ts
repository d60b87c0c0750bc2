import fc from "fast-check";
import { toHtml } from "hast-util-to-html";
import type { Root } from "mdast";
import { toHast } from "mdast-util-to-hast";
import remarkCells from "../../src/notebook/remark-cells.ts";
import { describe, expect, test } from "vitest";
import { rerunPlan, type CellNames } from "../../src/notebook/inputs/dependencies.ts";
import {
  checkedSpec,
  checkSpec,
  coerce,
  LIMITS,
  logPosition,
  logValue,
  type InputSpec,
  type InputValue,
} from "../../src/notebook/inputs/spec.ts";
import { hasInputs, inputParams, onlyInputsOf, withInputs } from "../../src/notebook/inputs/url.ts";
import { Kernel, type KernelEvent } from "../../src/notebook/kernel.ts";
import { compileCell, usedNames } from "../../src/notebook/compile.ts";

const range = {
  kind: "range",
  key: "entries",
  label: "entries",
  min: 1_000,
  max: 10_000_000,
  step: 0,
  scale: "log",
  default: 1_000_000,
  value: 1_000_000,
} as const;

describe("input specs, as the page checks them", () => {
  test("a well-formed spec of each kind passes, as a fresh object without extra fields", () => {
    const r = checkSpec({ ...range, onclick: "alert(1)" });
    expect(r).toEqual(range);
    expect(r).not.toHaveProperty("onclick");
    expect(
      checkSpec({
        kind: "select",
        key: "go",
        label: "Go",
        options: ["1.23", "1.24"],
        default: "1.24",
        value: "1.23",
      }),
    ).toMatchObject({ value: "1.23" });
    expect(
      checkSpec({ kind: "checkbox", key: "gc", label: "GC", default: false, value: true }),
    ).toMatchObject({ value: true });
    expect(
      checkSpec({ kind: "text", key: "t", label: "t", maxLength: 3, default: "abcdef", value: "xy" }),
    ).toMatchObject({ default: "abc", value: "xy" });
  });

  test.each([
    [{ ...range, kind: "script" }, /kind must be/],
    [{ ...range, label: "x".repeat(LIMITS.label + 1) }, /label must be 1–80/],
    [{ ...range, label: "" }, /label must be/],
    [{ ...range, key: "Bad Key" }, /key must be lower-case/],
    [{ ...range, min: 10, max: 10 }, /min < max/],
    [{ ...range, min: Number.NaN }, /finite bounds/],
    [{ ...range, max: 1e300 }, /finite bounds/],
    [{ ...range, min: 0 }, /log scale needs min > 0/],
    [{ ...range, scale: "cubic" }, /scale must be/],
    [{ kind: "select", key: "s", label: "s", options: [], default: "", value: "" }, /1–50 options/],
    [
      {
        kind: "select",
        key: "s",
        label: "s",
        options: Array.from({ length: 51 }, (_, i) => `o${i}`),
        default: "o1",
        value: "o1",
      },
      /1–50 options/,
    ],
    [
      { kind: "select", key: "s", label: "s", options: ["a", "a"], default: "a", value: "a" },
      /same option twice/,
    ],
    [{ kind: "text", key: "t", label: "t", maxLength: 10_000, default: "", value: "" }, /maxLength/],
    [{ kind: "checkbox", key: "c", label: "c", default: "yes", value: true }, /true or false/],
    [null, /not an object/],
  ])("refused: %j", (raw, why) => {
    const r = checkSpec(raw);
    expect(typeof r).toBe("string");
    expect(r).toMatch(why);
  });

  test("a value from a URL is parsed, clamped or replaced by the default, with the reason", () => {
    const spec = checkSpec(range) as InputSpec;
    expect(coerce(spec, "250000")).toEqual({ value: 250_000, problem: null });
    expect(coerce(spec, "1e12")).toEqual({
      value: 10_000_000,
      problem: expect.stringMatching(/outside 1,000–10,000,000: 10,000,000 is used/),
    });
    expect(coerce(spec, "-5").value).toBe(1_000);
    expect(coerce(spec, "lots")).toEqual({
      value: 1_000_000,
      problem: expect.stringMatching(/not a number.*default, 1,000,000/),
    });
    const select = checkSpec({
      kind: "select",
      key: "go",
      label: "Go",
      options: ["1.23", "1.24"],
      default: "1.23",
      value: "1.23",
    }) as InputSpec;
    expect(coerce(select, "1.99").problem).toMatch(/not one of the choices/);
  });

  test("a log slider's positions map back to the value they came from, within one position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (p) => logPosition(range, logValue(range, p)) === p),
      { seed: 13 },
    );
  });
});

describe("input in the kernel", () => {
  function kernel(): { k: Kernel; events: KernelEvent[] } {
    const events: KernelEvent[] = [];
    return {
      k: new Kernel({ seed: 1, emit: (e) => events.push(e), inputChecks: checkedSpec }),
      events,
    };
  }
  const cell = `const n = input.range("entries", [1_000, 10_000_000], { value: 1_000_000, scale: "log" });
const go = input.select("Go release", ["1.23", "1.24"], { value: "1.23" });
display(n + " " + go);`;

  test("a cell runs with its defaults, and declares each input as a spec", async () => {
    const { k, events } = kernel();
    expect((await k.run("a", cell, 1)).ok).toBe(true);
    const specs = events.flatMap((e) => (e.type === "input" ? [e.spec] : []));
    expect(specs.map((s) => [s.kind, s.key, s.value])).toEqual([
      ["range", "entries", 1_000_000],
      ["select", "go-release", "1.23"],
    ]);
    expect(events.find((e) => e.type === "output")).toMatchObject({ item: { text: "1000000 1.23" } });
    expect(k.get("n")).toBe(1_000_000);
  });

  test("the host's values are used, coerced to the spec (an out-of-range value is clamped)", async () => {
    const { k, events } = kernel();
    await k.run("a", cell, 1, { entries: 5e9, "go-release": "1.24" });
    expect(events.find((e) => e.type === "output")).toMatchObject({ item: { text: "10000000 1.24" } });
  });

  test("a spec the page would refuse is the cell's TypeError", async () => {
    const { k, events } = kernel();
    const r = await k.run("a", `input.range("n", [5, 1]);`, 1);
    expect(r.ok).toBe(false);
    expect(events.find((e) => e.type === "output")).toMatchObject({
      item: { name: "TypeError", message: expect.stringMatching(/min < max/) },
    });
    const twice = await k.run("b", `input.checkbox("gc"); input.checkbox("GC");`, 2);
    expect(twice.error?.message).toMatch(/a second input with key “gc”/);
  });
});

test("without checks (the browser's kernel) a declared spec goes to the page as it is, and the page refuses a bad one", async () => {
  const events: KernelEvent[] = [];
  const k = new Kernel({ seed: 1, emit: (e) => events.push(e) });
  const r = await k.run("a", `const n = input.range("n", [5, 1], { value: 3 }); display(n);`, 1, { n: 4 });
  expect(r.ok).toBe(true);
  const spec = events.find((e) => e.type === "input");
  expect(spec).toMatchObject({ spec: { kind: "range", key: "n", min: 5, max: 1, value: 4 } });
  expect(checkSpec(spec?.type === "input" ? spec.spec : null)).toMatch(/min < max/);
});

describe("which cells an input change runs", () => {
  const names = (code: string): CellNames => {
    const { declared } = compileCell(code);
    return { declares: declared, uses: usedNames(code, declared) };
  };
  const cells = [
    names(`const rt = goRuntime({ go: "1.23" }); const m = rt.makeMap("int", "int");`),
    names(`const n = input.range("n", [1, 10]);`),
    names(`m.insertRange(0, n); const s = m.len;`),
    names(`display(s);`),
    names(`display(rt.go);`),
    names(`const n = 3; display(n);`),
  ];

  test("the cell, its dependants below (transitively), and the providers above that have not run", () => {
    expect(rerunPlan(cells, [1], () => false)).toEqual([0, 1, 2, 3]);
    expect(rerunPlan(cells, [1], () => true)).toEqual([1, 2, 3]);
    // A change at the top runs everything that reads rt or m, and what reads their results.
    expect(rerunPlan(cells, [0], () => true)).toEqual([0, 2, 3, 4]);
  });

  test("a cell that declares a name for itself does not depend on the one above", () => {
    expect(rerunPlan(cells, [1], () => true)).not.toContain(5);
  });

  test("every plan is sorted, holds the changed cells, and only cells it must", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cells.length - 1 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (c, ran) => {
          const plan = rerunPlan(cells, [c], (i) => ran[i] ?? false);
          expect(plan).toEqual([...plan].sort((a, b) => a - b));
          expect(plan).toContain(c);
          for (const i of plan) if (i < c) expect(ran[i]).toBe(false);
        },
      ),
      { seed: 42 },
    );
  });
});

describe("input values in the URL", () => {
  const page = new URL("https://example.org/situation/#cell-experiment");
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
    fc.integer(),
    fc.boolean(),
    fc.string({ unit: "grapheme", maxLength: 40 }),
  );
  const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);

  test("encode then decode gives every value back, as its input reads it (fast-check, seeded)", () => {
    fc.assert(
      fc.property(id, fc.dictionary(id, value, { maxKeys: 6 }), (cell, values) => {
        const map = new Map<string, { value: InputValue; default: InputValue }>(
          Object.entries(values).map(([k, v]) => [k, { value: v, default: "\u0000never" }]),
        );
        const url = new URL(withInputs(page, cell, map).href);
        expect(url.hash).toBe(page.hash);
        const back = inputParams(url).get(cell) ?? new Map<string, string>();
        expect([...back.keys()].sort()).toEqual(Object.keys(values).sort());
        for (const [k, v] of Object.entries(values)) {
          const raw = back.get(k);
          if (typeof v === "number") expect(Number(raw)).toBe(Object.is(v, -0) ? 0 : v);
          else if (typeof v === "boolean") expect(raw).toBe(String(v));
          else expect(raw).toBe(v);
        }
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });

  test("values equal to their default stay out of the link; other cells' values stay, and a cell's Share keeps its own", () => {
    const url = withInputs(
      new URL("https://example.org/p/?swiss.go=1.24"),
      "experiment",
      new Map([
        ["entries", { value: 250_000, default: 1_000_000 }],
        ["go", { value: "1.23", default: "1.23" }],
      ]),
    );
    expect(url.search).toBe("?swiss.go=1.24&experiment.entries=250000");
    expect(hasInputs(url, ["experiment"])).toBe(true);
    expect(hasInputs(url, ["other"])).toBe(false);
    expect(onlyInputsOf(url, "experiment").search).toBe("?experiment.entries=250000");
  });
});

describe("inputs baked at build time", () => {
  test("the controls are in the page, labelled, with their defaults, and disabled until the page script runs", async () => {
    const root = {
      type: "root",
      children: [
        {
          type: "code",
          lang: "ts",
          meta: 'cell id="fill"',
          value: `const n = input.range("entries", [1_000, 1_000_000], { value: 5_000, scale: "log" });
const go = input.select("Go release", ["1.23", "1.24"], { value: "1.24" });
const gc = input.checkbox("collect", { value: true });
display(n);`,
        },
      ],
    } as unknown as Root;
    await remarkCells()(root, { path: "chapter.mdx" });
    const html = toHtml(toHast(root) as Parameters<typeof toHtml>[0]);
    expect(html).toMatch(/<fieldset class="nb-inputs" data-inputs="" disabled><legend>Inputs<\/legend>/);
    expect(html).toContain('<label for="cell-fill-input-entries">entries</label>');
    expect(html).toMatch(
      /<input type="range" min="0" max="400" step="1" id="cell-fill-input-entries"[^>]*aria-valuetext="5,000"/,
    );
    expect(html).toContain('<option value="1.24" selected>1.24</option>');
    expect(html).toMatch(/<input type="checkbox"[^>]* checked/);
    expect(html).toMatch(/data-uses="[^"]*\binput\b[^"]*"/);
    // Above the notice and the output, which shows what the defaults gave.
    expect(html.indexOf("data-inputs")).toBeLessThan(html.indexOf("data-output"));
    expect(html).toContain('<pre class="nb-text">5,000</pre>');
  });
});
