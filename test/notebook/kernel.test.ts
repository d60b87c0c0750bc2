import { describe, expect, test } from "vitest";
import { createFigures } from "../../src/notebook/figures.ts";
import { Kernel, MAX_MAP_ENTRIES, type KernelEvent } from "../../src/notebook/kernel.ts";
import type { OutputItem } from "../../src/notebook/protocol.ts";

function kernel(opts: { now?: () => number } = {}) {
  const events: KernelEvent[] = [];
  const k = new Kernel({ seed: 1, emit: (e) => events.push(e), figures: createFigures, ...opts });
  const outputs = (): OutputItem[] =>
    events.filter((e) => e.type === "output").map((e) => (e as { item: OutputItem }).item);
  return { k, events, outputs, clear: () => (events.length = 0) };
}

describe("shared scope", () => {
  test("top-level declarations of one cell are visible to the next", async () => {
    const { k, outputs } = kernel();
    expect(
      (await k.run("a", "const x: number = 20; let y = 1; function twice(n: number) { return 2 * n }")).ok,
    ).toBe(true);
    expect((await k.run("b", "display(twice(x) + y)")).ok).toBe(true);
    expect(outputs()).toEqual([{ kind: "text", text: "41" }]);
  });

  test("destructured names and classes are shared; types are not", async () => {
    const { k } = kernel();
    await k.run(
      "a",
      "interface P { q: number }\ntype T = string;\nconst { a, b: [c] } = { a: 1, b: [2] };\nclass K { v = 3 }",
    );
    expect(k.names().sort()).toEqual(["K", "a", "c"]);
  });

  test("assigning to an earlier cell's variable updates the scope", async () => {
    const { k, outputs } = kernel();
    await k.run("a", "let n = 1;");
    await k.run("b", "n = n + 1;");
    await k.run("c", "display(n)");
    expect(outputs()).toEqual([{ kind: "text", text: "2" }]);
  });

  test("a cell may redeclare a name, and re-running a cell works", async () => {
    const { k, outputs } = kernel();
    await k.run("a", "const v = 1;");
    expect((await k.run("a", "const v = 2;")).ok).toBe(true);
    await k.run("b", "display(v)");
    expect(outputs()).toEqual([{ kind: "text", text: "2" }]);
  });

  test("names declared before a throw are kept, later ones are not", async () => {
    const { k } = kernel();
    await k.run("a", "const before = 1;\nthrow new Error('x');\nconst after = 2;");
    expect(k.names()).toContain("before");
    expect(k.names()).not.toContain("after");
  });

  test("top-level await works", async () => {
    const { k, outputs } = kernel();
    await k.run("a", "const v = await Promise.resolve(7); display(v)");
    expect(outputs()).toEqual([{ kind: "text", text: "7" }]);
  });

  test("two kernels do not share anything (a restart starts empty)", async () => {
    const one = kernel();
    await one.k.run("a", "const x = 1");
    const two = kernel();
    const r = await two.k.run("b", "display(x)");
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/x is not defined/);
  });
});

describe("error positions are the cell's own line:col", () => {
  test("a thrown error on line 3, after type annotations that sucrase removes", async () => {
    const { k, outputs } = kernel();
    const src =
      "const a: number = 1;\nconst b: Array<string> = [];\nconst c: number = a + (null as any).boom;";
    const r = await k.run("cell-x", src);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ name: "TypeError", line: 3 });
    // V8 places the error on the property name; its column in the TypeScript source
    // is 14 characters right of where it is in the stripped JavaScript.
    expect(r.error?.col).toBe((src.split("\n")[2] ?? "").indexOf("boom") + 1);
    expect(outputs()).toContainEqual(r.error);
  });

  test("an error inside a function points at the throw, in the cell", async () => {
    const { k } = kernel();
    const r = await k.run("c", "function f(n: number): never {\n  throw new Error(`bad ${n}`);\n}\nf(3);");
    expect(r.error).toMatchObject({ name: "Error", message: "bad 3", line: 2, col: 9 });
  });

  test("a syntax error is reported with its position and nothing runs", async () => {
    const { k, outputs } = kernel();
    const r = await k.run("s", "display(1);\nconst x = ;");
    expect(r.error).toMatchObject({ name: "SyntaxError", line: 2, col: 11 });
    expect(outputs().filter((o) => o.kind === "text")).toEqual([]);
  });

  test("a thrown non-Error value is reported without a position", async () => {
    const { k } = kernel();
    const r = await k.run("t", "throw 'plain'");
    expect(r.error).toMatchObject({ message: 'Uncaught "plain"', line: null });
  });
});

describe("display and console", () => {
  test("strings, numbers, objects and console.log", async () => {
    const { k, outputs } = kernel();
    await k.run(
      "a",
      "display('hi'); display(1234567); display({ a: [1, 'b'] }); console.log('n =', 3); console.warn('careful')",
    );
    expect(outputs()).toEqual([
      { kind: "text", text: "hi" },
      { kind: "text", text: "1,234,567" },
      { kind: "text", text: '{ a: [1, "b"] }' },
      { kind: "log", level: "log", text: "n = 3" },
      { kind: "log", level: "warn", text: "careful" },
    ]);
  });

  test("an array of objects becomes a table", async () => {
    const { k, outputs } = kernel();
    await k.run("a", "display([{ go: '1.23', MiB: 293.3 }, { go: '1.24', MiB: 287, note: 'swiss' }])");
    expect(outputs()).toEqual([
      {
        kind: "table",
        columns: ["go", "MiB", "note"],
        rows: [
          ["1.23", "293.3", ""],
          ["1.24", "287", "swiss"],
        ],
        more: 0,
      },
    ]);
  });

  test("Plot draws in the kernel: function accessors run here, a chart leaves as markup", async () => {
    const { k, outputs } = kernel();
    const r = await k.run(
      "a",
      "const scale = 10;\ndisplay(Plot.plot({ title: 'Tenfold', marks: [Plot.dot([1, 2, 3], { x: (d: number) => d * scale, y: (d: number) => d })] }))",
    );
    expect(r.ok).toBe(true);
    const [item] = outputs();
    expect(item?.kind).toBe("plot");
    const html = item?.kind === "plot" ? item.html : "";
    // Three dots, at x = 10, 20, 30: the accessor used the cell's own variable.
    expect(html.match(/<circle/g)?.length).toBe(3);
    expect(html).toMatch(
      /<svg[^>]*role="img"[^>]*aria-label="Tenfold"|<svg[^>]*aria-label="Tenfold"[^>]*role="img"/,
    );
    expect(structuredClone(item)).toEqual(item);
  });

  test("a chart with a legend: marks keep no labels in any svg, the swatches are hidden, the chart has the one label", async () => {
    const { k, outputs } = kernel();
    const r = await k.run(
      "a",
      "display(Plot.plot({ title: 'Two lines', color: { legend: true }, marks: [Plot.line([{ x: 1, y: 1, z: 'a' }, { x: 2, y: 2, z: 'a' }, { x: 1, y: 2, z: 'b' }, { x: 2, y: 1, z: 'b' }], { x: 'x', y: 'y', stroke: 'z', ariaLabel: 'Line' })] }))",
    );
    expect(r.ok).toBe(true);
    const [item] = outputs();
    const html = item?.kind === "plot" ? item.html : "";
    const svgs = html.match(/<svg\b[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(1); // the swatches' and the chart's
    expect(svgs.at(-1)).toMatch(/role="img"/);
    for (const tag of svgs.slice(0, -1)) expect(tag).toMatch(/aria-hidden="true"/);
    // Only the chart's <svg> is labelled: no <g> or mark keeps aria-label (axe: aria-prohibited-attr).
    expect(html.match(/aria-label=/g)?.length).toBe(1);
  });

  test("a malformed Plot value is an error of its cell, with the message", async () => {
    const { k, outputs, clear } = kernel();
    const bare = await k.run("a", "display(Plot.lineY([1, 2, 3]))");
    expect(bare.ok).toBe(false);
    expect(outputs()).toMatchObject([
      {
        kind: "error",
        name: "TypeError",
        message: expect.stringMatching(/Plot mark \(line\), not a chart/),
        line: 1,
      },
    ]);
    clear();
    const bad = await k.run("b", "Plot.plot({ marks: [42] })");
    expect(bad.ok).toBe(false);
    expect(outputs()).toMatchObject([
      { kind: "error", message: expect.stringMatching(/invalid mark/), line: 1 },
    ]);
    clear();
    expect((await k.run("c", "display(Plot.lineY([1, 2, 3]).plot().localName)")).ok).toBe(true);
    expect(outputs()).toEqual([{ kind: "text", text: "svg" }]);
  });
  test("a chart script that fails to load is a clear error, and is asked for again by the next Plot cell", async () => {
    const events: KernelEvent[] = [];
    let attempts = 0;
    const k = new Kernel({
      seed: 1,
      emit: (e) => events.push(e),
      figures: () => {
        attempts++;
        // The host's words for the failure (kernel-host.ts sends load-errors.ts's sentence).
        if (attempts === 1) throw new Error("Could not load Observable Plot: you appear to be offline.");
        return createFigures();
      },
    });
    const first = await k.run("a", "display(Plot.plot({ marks: [Plot.dotX([1])] }))");
    expect(first.error?.message).toBe("Could not load Observable Plot: you appear to be offline.");
    // Named so that the page shows it above the cell's previous outputs (cell-view.ts).
    expect(first.error?.name).toBe("LoadFailure");
    const second = await k.run("a", "display(Plot.plot({ marks: [Plot.dotX([1])] }))");
    expect(second.ok).toBe(true);
    expect(attempts).toBe(2);
  });
});

describe("asynchronous errors", () => {
  test("a throw in a setTimeout callback is an error of the run that scheduled it, even after it ended", async () => {
    const { k, events } = kernel();
    const r = await k.run(
      "a",
      "setTimeout(() => { throw new Error('late boom') }, 20);\ndisplay('scheduled')",
      7,
    );
    expect(r.ok).toBe(true);
    await expect
      .poll(() => events.filter((e) => e.type === "output" && e.item.kind === "error").length)
      .toBe(1);
    const late = events.find((e) => e.type === "output" && e.item.kind === "error");
    expect(late).toMatchObject({
      tag: 7,
      item: { message: "late boom", line: 1, context: "in a setTimeout callback, after the run ended" },
    });
    // The kernel still runs cells.
    expect((await k.run("b", "display(1 + 1)", 8)).ok).toBe(true);
  });

  test("a throw in a timer during the run fails the run", async () => {
    const { k, outputs } = kernel();
    const r = await k.run(
      "a",
      "setTimeout(() => { throw new TypeError('soon') }, 0);\nawait new Promise((ok) => setTimeout(ok, 30));",
    );
    expect(r.ok).toBe(false);
    expect(outputs()).toMatchObject([
      { kind: "error", name: "TypeError", message: "soon", context: "in a setTimeout callback" },
    ]);
  });

  test("reportUncaught blames the run whose code ran last", async () => {
    const { k, events } = kernel();
    await k.run("a", "setTimeout(() => {}, 0)", 3);
    await k.run("b", "display(2)", 4);
    k.reportUncaught(new RangeError("nobody caught me"), "rejection");
    expect(events.at(-1)).toMatchObject({
      tag: 4,
      item: { name: "RangeError", context: "unhandled promise rejection, after the run ended" },
    });
  });
});

describe("the model in cells", () => {
  test("goRuntime is in scope and seeded", async () => {
    const { k, outputs } = kernel();
    const r = await k.run(
      "a",
      'const rt = goRuntime({ go: "1.23" });\nconst m = rt.makeMap("int", "[128]byte");\nm.insertRange(0, 1000);\ndisplay(m.len)',
    );
    expect(r.ok).toBe(true);
    expect(outputs()).toEqual([{ kind: "text", text: "1,000" }]);
  });

  test("a run too large is refused before the model allocates", async () => {
    const { k } = kernel();
    await k.run(
      "a",
      'const rt = goRuntime({ go: "1.23" }); const m = rt.makeMap("int", "[128]byte"); const before = rt.readMemStats().HeapAlloc;',
    );
    const r = await k.run("b", "m.insertRange(0, 1e10)");
    expect(r.error).toMatchObject({ name: "RangeError", line: 1, col: 3 });
    expect(r.error?.message).toMatch(/^Refused before allocating: inserting 10,000,000,000 elements/);
    const check = await k.run(
      "c",
      "if (rt.readMemStats().HeapAlloc !== before || m.len !== 0) throw new Error('allocated')",
    );
    expect(check.ok).toBe(true);
    expect(MAX_MAP_ENTRIES).toBeLessThan(1e10);
  });

  test("bad range bounds reach the cell as the model's own message, not as a size refusal", async () => {
    const { k } = kernel();
    await k.run("a", 'const rt = goRuntime({ go: "1.23" }); const m = rt.makeMap("int", "int");');
    const frac = await k.run("b", "m.insertRange(0.5, 10.7)");
    expect(frac.error).toMatchObject({
      name: "RangeError",
      message: "insertRange: from must be an integer, got 0.5",
    });
    const reversed = await k.run("c", "m.insertRange(0, -1e9)");
    expect(reversed.error?.message).toBe("insertRange: to must be ≥ from (0), got -1000000000");
    const inf = await k.run("d", "m.insertRange(0, Infinity)");
    expect(inf.error?.message).toBe("insertRange: to must be an integer, got Infinity");
  });

  test("mib() in a cell prints no negative zero", async () => {
    const { k, outputs } = kernel();
    await k.run("a", "display(mib(-1)); display(mib(-(2 ** 20)))");
    expect(outputs()).toEqual([
      { kind: "text", text: "0.0 MiB" },
      { kind: "text", text: "-1.0 MiB" },
    ]);
  });

  test("a loop of single sets stops at the limit, before allocating the entry past it", async () => {
    const events: KernelEvent[] = [];
    const k = new Kernel({ seed: 1, emit: (e) => events.push(e), maxEntries: 1000 });
    const r = await k.run(
      "a",
      'const rt = goRuntime({ go: "1.23" });\nconst m = rt.makeMap("int", "int");\nfor (let i = 0; ; i++) m.set(i);',
    );
    expect(r.error).toMatchObject({ name: "RangeError", line: 3 });
    expect(r.error?.message).toBe(
      "Refused before allocating: the map already holds 1,000 entries, the notebook's limit per map.",
    );
    expect((await k.run("b", "m.set(5); display(m.len)")).ok).toBe(true);
    expect(events.at(-1)).toEqual({ type: "output", tag: 2, item: { kind: "text", text: "1,000" } });
    const hint = await k.run("c", 'rt.makeMap("int", "int", 1001)');
    expect(hint.error?.message).toMatch(
      /make\(map\[int\]int, 1,001\) asks for more than the notebook's limit of 1,000/,
    );
  });

  test("a live heap chart is shown at once, updated while the cell runs, and finished at the end", async () => {
    let t = 0;
    const { k, events } = kernel({ now: () => (t += 10) });
    const r = await k.run(
      "a",
      'const rt = goRuntime({ go: "1.23" });\nconst chart = liveHeap(rt, { every: 1000 });\nconst m = rt.makeMap("int", "[128]byte");\nm.insertRange(0, 100000);\nchart.note("inserted");\nrt.GC();',
    );
    expect(r.ok).toBe(true);
    const first = events.find((e) => e.type === "output");
    expect(first).toMatchObject({ item: { kind: "heap", done: false } });
    const updates = events.filter((e) => e.type === "update");
    expect(updates.length).toBeGreaterThanOrEqual(10);
    const last = updates.at(-1) as { item: Extract<OutputItem, { kind: "heap" }> };
    expect(last.item.done).toBe(true);
    expect(last.item.notes).toEqual([{ ops: 100000, label: "inserted" }]);
    expect(last.item.points.length).toBeGreaterThan(90);
    expect(events.some((e) => e.type === "progress")).toBe(true);
  });
});

describe("liveHeap with process memory", () => {
  test("draws RSS and HeapInuse beside HeapAlloc over virtual time, idle included", async () => {
    const { k, events } = kernel();
    const r = await k.run(
      "a",
      [
        'const rt = goRuntime({ go: "1.23" });',
        'const chart = liveHeap(rt, { every: 20000, lines: ["HeapAlloc", "HeapInuse", "RSS"], x: "time" });',
        'let m = rt.makeMap("int", "[128]byte");',
        "m.insertRange(0, 200000);",
        "m.deleteRange(100, 200000);",
        "m = rt.recreate(m);",
        "rt.GC();",
        'chart.note("recreated");',
        "rt.sleep(130_000);", // sysmon's forced GC comes at the wake ending this sleep
        "rt.sleep(10_000);", // sysmon wakes the scavenger at this sleep's end (its next timer)
        "rt.sleep(10_000);", // and the scavenger then returns the rest
      ].join("\n"),
    );
    expect(r.ok).toBe(true);
    const last = events.filter((e) => e.type === "update").at(-1) as {
      item: Extract<OutputItem, { kind: "heap" }>;
    };
    expect(last.item.lines).toEqual(["HeapAlloc", "HeapInuse", "RSS"]);
    expect(last.item.x).toBe("time");
    const pts = last.item.points;
    expect(pts.every((p) => typeof p.rss === "number" && typeof p.heapInuse === "number")).toBe(true);
    // 130 s of sleep in slices of 250 ms: samples while nothing runs.
    expect(pts.filter((p) => (p.t ?? 0) > 0).length).toBeGreaterThan(500);
    const note = last.item.notes[0];
    expect(note).toMatchObject({ label: "recreated" });
    // The map writes and the collection took virtual time too (model/heap/scavenger.ts workNs, markNs).
    const tNote = note?.t ?? 0;
    expect(tNote).toBeGreaterThan(0);
    expect(pts.at(-1)?.t).toBeCloseTo(tNote + 150_000, 6);
    const atNote = pts.find((p) => p.t === tNote && p.ops === note?.ops);
    expect(atNote).toBeDefined();
    expect(pts.at(-1)?.rss ?? Infinity).toBeLessThan((atNote?.rss ?? 0) / 4); // after sysmon's forced GC
  });

  test("refuses unknown lines and axes with a clear error", async () => {
    const { k } = kernel();
    const bad = await k.run("a", 'liveHeap(goRuntime({ go: "1.23" }), { lines: ["Heap"] })');
    expect(bad.error?.message).toMatch(
      /^liveHeap: lines must be a non-empty list of "HeapAlloc", "HeapInuse", "RSS"/,
    );
    const axis = await k.run("b", 'liveHeap(goRuntime({ go: "1.23" }), { x: "seconds" })');
    expect(axis.error?.message).toMatch(/^liveHeap: x must be "ops" or "time"/);
  });
});
