import { JSDOM } from "jsdom";
import { describe, expect, test } from "vitest";
import { Kernel, MAX_MAP_FRAMES, type KernelEvent } from "../../src/notebook/kernel.ts";
import { checkMapItem, MapViewError, summarize } from "../../src/notebook/map-view.ts";
import {
  bucketMarks,
  DEFAULT_WIDTH,
  layoutFor,
  mapFigure,
  MAX_MARKS,
  MIN_MARK,
  tableColumns,
  wrapLabel,
} from "../../src/notebook/map-view-svg.ts";
import type { OutputItem } from "../../src/notebook/protocol.ts";

type MapItem = Extract<OutputItem, { kind: "map" }>;

function kernel(opts: { now?: () => number; liveInterval?: number } = {}) {
  const events: KernelEvent[] = [];
  const k = new Kernel({ seed: 1, emit: (e) => events.push(e), ...opts });
  const maps = (type?: "output" | "update"): MapItem[] =>
    events
      .filter(
        (e) =>
          (type === undefined || e.type === type) &&
          (e.type === "output" || e.type === "update") &&
          e.item.kind === "map",
      )
      .map((e) => (e as { item: MapItem }).item);
  return { k, events, maps };
}

const doc = new JSDOM("<!doctype html><body></body>").window.document;

describe("mapView and liveMapView (kernel.ts)", () => {
  test("display(mapView(m)) shows one state of the map, titled with its type and release", async () => {
    const { k, maps } = kernel();
    const r = await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int"); m.insertRange(0, 100); display(mapView(m));',
    );
    expect(r.ok).toBe(true);
    const [item] = maps("output");
    expect(item?.title).toBe("map[int]int, Go 1.23");
    expect(item?.frames).toHaveLength(1);
    expect(item?.frames[0]?.view.kind).toBe("classic");
    expect(item?.done).toBe(true);
  });

  test("mapView refuses what is not a map", async () => {
    const { k } = kernel();
    const r = await k.run("a", "mapView({ len: 3 })");
    expect(r.error?.message).toMatch(/must be a map made by rt.makeMap/);
  });

  test("a live picture posts its latest state while running and every recorded one at the end", async () => {
    let t = 0;
    const { k, maps } = kernel({ now: () => (t += 1), liveInterval: 50 });
    const r = await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte"); liveMapView(m, { every: 10 }); m.insertRange(0, 2_000);',
    );
    expect(r.ok).toBe(true);
    const updates = maps("update");
    const live = updates.filter((u) => !u.done);
    expect(live.length).toBeGreaterThan(0);
    for (const u of live) expect(u.frames).toHaveLength(1);
    const last = updates.at(-1);
    expect(last?.done).toBe(true);
    const frames = last?.frames ?? [];
    // Recorded every 10 writes, thinned to at most MAX_MAP_FRAMES (+ the final state).
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.length).toBeLessThanOrEqual(MAX_MAP_FRAMES + 1);
    expect(frames.at(-1)?.ops).toBe(2_000);
    const ops = frames.map((f) => f.ops);
    expect([...ops].sort((a, b) => a - b)).toEqual(ops);
    // The timeline holds the moment the array doubled: some frame has an old array.
    expect(frames.some((f) => f.view.kind === "classic" && f.view.old !== null)).toBe(true);
  });

  test("stop() keeps the moment: later writes do not reach the picture", async () => {
    const { k, maps } = kernel({ liveInterval: 0 });
    const r = await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int"); const p = liveMapView(m, { every: 10 }); m.insertRange(0, 100); p.stop(); m.insertRange(100, 1_000);',
    );
    expect(r.ok).toBe(true);
    const all = maps();
    const last = all.at(-1);
    expect(last?.done).toBe(true);
    expect(last?.frames.at(-1)?.ops).toBe(100);
    for (const item of all) for (const f of item.frames) expect(f.ops).toBeLessThanOrEqual(100);
  });

  // A clock per run: `tick` ms pass at every reading of it, and each view costs `view` ms.
  async function recorded(make: string, code: string, tick: number, view: number) {
    const clock = { t: 0, view, views: 0, units: 0 };
    (globalThis as { __clock?: typeof clock }).__clock = clock;
    const { k, maps } = kernel({ now: () => (clock.t += tick), liveInterval: 25 });
    const r = await k.run(
      "a",
      [
        make,
        "const c = globalThis.__clock; const read = m.view.bind(m);",
        "m.view = (n) => { c.t += c.view; c.views++; const v = read(n); c.units += v.kind === 'classic' ? 2 ** v.B : v.capacity.reduce((a, b) => a + b, 0) / 8; return v; };",
        code,
      ].join("\n"),
    );
    delete (globalThis as { __clock?: typeof clock }).__clock;
    expect(r.ok).toBe(true);
    const last = maps("update").at(-1);
    expect(last?.done).toBe(true);
    return { frames: last?.frames ?? [], clock };
  }

  test.each([
    ["classic", "1.23"],
    ["swiss", "1.24"],
  ])("the timeline (%s) records the same states on a fast machine and a slow one", async (_, go) => {
    const code = [
      "liveMapView(m, { every: 50 });",
      "m.insertRange(0, 30_000);",
      "for (let i = 0; i < 30_000; i += 2) m.delete(i);",
      "m.insertRange(30_000, 40_000);",
    ].join("\n");
    const make = `const m = goRuntime({ go: "${go}" }).makeMap("int", "int");`;
    // A fast machine: microseconds per clock reading, views free. A slow one: every
    // clock reading 5 ms later, every view 200 ms.
    const fast = await recorded(make, code, 0.001, 0);
    const slow = await recorded(make, code, 5, 200);
    const ops = (f: typeof fast) => f.frames.map((x) => x.ops);
    expect(ops(fast).length).toBeGreaterThan(10);
    expect(ops(slow)).toEqual(ops(fast));
    expect(slow.frames.map((f) => f.view)).toEqual(fast.frames.map((f) => f.view));
  });

  test("a long run keeps at most MAX_MAP_FRAMES states, and its views stay a small share of its writes", async () => {
    const { frames, clock } = await recorded(
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int");',
      ["liveMapView(m, { every: 1 });", "m.insertRange(0, 300_000);", "m.deleteRange(0, 300_000);"].join(
        "\n",
      ),
      0,
      0,
    );
    // The recorded states, thinned, and the last one.
    expect(frames.length).toBeGreaterThan(MAX_MAP_FRAMES / 2);
    expect(frames.length).toBeLessThanOrEqual(MAX_MAP_FRAMES + 1);
    expect(frames.at(-1)?.ops).toBe(600_000);
    const ops = frames.map((f) => f.ops);
    expect([...ops].sort((a, b) => a - b)).toEqual(ops);
    // The clock never moves here (no live posts): every view read was one the timeline
    // asked for, and the buckets they walked are of the order of the writes, not of
    // writes × buckets (a view after every write would walk about 10^10).
    expect(clock.units).toBeLessThan(4 * 600_000);
  });
});

describe("checking a map item (map-view.ts)", () => {
  const item = async (code: string): Promise<MapItem> => {
    const { k, maps } = kernel();
    await k.run("a", code);
    const it = maps("output")[0];
    if (!it) throw new Error("no map item");
    return it;
  };

  test("a checked item is a copy with the same numbers", async () => {
    const it = await item(
      'const m = goRuntime({ go: "1.24" }).makeMap("int", "int"); m.insertRange(0, 1_200); display(mapView(m));',
    );
    const c = checkMapItem(it);
    expect(c.frames[0]?.view).toEqual(it.frames[0]?.view);
    expect(c.frames[0]?.view).not.toBe(it.frames[0]?.view);
  });

  test.each([
    ["an unknown kind", (it: MapItem) => ((it.frames[0] as { view: { kind: string } }).view.kind = "script")],
    ["a count that is not a number", (it: MapItem) => ((it.frames[0]?.view as { B: unknown }).B = "<img>")],
    ["a negative count", (it: MapItem) => ((it.frames[0]?.view as { count: number }).count = -1)],
    [
      "an array of the wrong length",
      (it: MapItem) => ((it.frames[0]?.view as unknown as { entries: number[] }).entries = [1, 2]),
    ],
    [
      "a mark that is not a count",
      (it: MapItem) => {
        const v = it.frames[0]?.view as { entries: unknown };
        v.entries = [...(v.entries as Uint32Array)].map((x, i) => (i === 0 ? NaN : x));
      },
    ],
    ["no frames", (it: MapItem) => (it.frames = [])],
  ])("refuses %s", async (_, spoil) => {
    const it = await item(
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int"); m.insertRange(0, 100); display(mapView(m));',
    );
    const copy = structuredClone(it);
    spoil(copy);
    expect(() => checkMapItem(copy)).toThrow(MapViewError);
  });

  test("a slot state outside empty, full and deleted is refused", async () => {
    const it = await item(
      'const m = goRuntime({ go: "1.24" }).makeMap("int", "int"); m.insertRange(0, 5); display(mapView(m));',
    );
    const copy = structuredClone(it);
    (copy.frames[0]?.view as { slots: Uint8Array }).slots[0] = 7;
    expect(() => checkMapItem(copy)).toThrow(/slots\[0\]/);
  });

  test("the summary says what the picture shows", async () => {
    const it = await item(
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte"); m.insertRange(0, 430); display(mapView(m));',
    );
    const s = summarize(checkMapItem(it).frames[0]?.view ?? (null as never));
    expect(s.sentence).toMatch(/^430 entries in 2\^7 = 128 buckets/);
    expect(s.sentence).toMatch(/growing from 2\^6: \d+ of 64 old buckets evacuated \(nevacuate \d+\)/);
    expect(Object.fromEntries(s.rows)["entries (count)"]).toBe("430");
  });
});

describe("drawing (map-view-svg.ts)", () => {
  test("the root carries data-map-view; the picture, caption and table agree", async () => {
    const { k, maps } = kernel();
    await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int"); m.insertRange(0, 50); display(mapView(m));',
    );
    const it = maps("output")[0] as MapItem;
    const fig = mapFigure(it, doc, { timeline: false });
    expect(fig.dataset["mapView"]).toBe(String(it.id));
    expect(fig.querySelector("svg")?.getAttribute("aria-hidden")).toBe("true");
    expect(fig.querySelector("figcaption")?.textContent).toMatch(/50 entries in 2\^3 = 8 buckets/);
    expect(fig.querySelector("tbody")?.textContent).toContain("entries (count)50");
    // Eight buckets, eight marks, each with its count written in it.
    const nums = Array.from(fig.querySelectorAll("text.mv-num, text.mv-num-on")).map((t) =>
      Number(t.textContent),
    );
    expect(nums).toHaveLength(8);
    expect(nums.reduce((a, b) => a + b, 0)).toBe(50);
    expect(fig.querySelector("[data-map-timeline]")).toBeNull();
  });

  test("2^18 buckets are aggregated to the marks the width holds, in a few paths", async () => {
    const { k, maps } = kernel();
    await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "[128]byte"); m.insertRange(0, 1_000_000); display(mapView(m));',
    );
    const it = maps("output")[0] as MapItem;
    // The build's width: 64 columns of 16 rows.
    const fig = mapFigure(it, doc, { timeline: false });
    expect(fig.dataset["width"]).toBe(String(DEFAULT_WIDTH));
    expect(Number(fig.dataset["marks"])).toBe(1024);
    expect(Number(fig.dataset["marksPer"])).toBe(2 ** 18 / 1024);
    expect(fig.querySelectorAll("svg path").length).toBeLessThan(20);
    // A phone column and a wide screen: fewer and more marks, each at least MIN_MARK px.
    const narrow = mapFigure(it, doc, { timeline: false, width: 364 });
    const wide = mapFigure(it, doc, { timeline: false, width: 1204 });
    expect(Number(narrow.dataset["marks"])).toBe(512);
    expect(Number(wide.dataset["marks"])).toBe(MAX_MARKS);
    for (const f of [narrow, wide]) {
      const svg = f.querySelector("svg");
      expect(Number(svg?.getAttribute("width"))).toBe(Number(f.dataset["width"]) + 4);
      expect(svg?.getAttribute("viewBox")).toMatch(new RegExp(`^-2 -2 ${Number(f.dataset["width"]) + 4} `));
    }
  });

  test("the marks follow the width and keep every bucket and entry (bucketMarks)", async () => {
    const { k, maps } = kernel();
    await k.run(
      "a",
      'const m = goRuntime({ go: "1.23" }).makeMap("int", "int"); m.insertRange(0, 860_000); display(mapView(m));',
    );
    const v = checkMapItem(maps("output")[0] as MapItem).frames[0]?.view;
    if (v?.kind !== "classic") throw new Error("not classic");
    expect(v.old).not.toBeNull(); // growing: the old array is aggregated too
    let previous = 0;
    for (const width of [240, 360, 480, 640, 900, 1200, 1600]) {
      const g = bucketMarks(v, width);
      const layout = layoutFor(width);
      // Power-of-two columns of at least MIN_MARK px within the grid, at most MAX_MARKS.
      expect(g.cols * MIN_MARK).toBeLessThanOrEqual(layout.grid);
      expect(g.cols * g.cell).toBeLessThanOrEqual(layout.grid + 1e-9);
      expect(g.cell).toBeGreaterThanOrEqual(MIN_MARK);
      expect(g.n).toBeLessThanOrEqual(Math.min(MAX_MARKS, layout.cols * 16));
      expect(g.n).toBeGreaterThanOrEqual(previous);
      previous = g.n;
      // Nothing lost to the aggregation.
      expect(g.buckets.reduce((a, b) => a + b, 0)).toBe(2 ** v.B);
      expect(g.entries.reduce((a, b) => a + b, 0)).toBe(v.entries.reduce((a, b) => a + b, 0));
      expect(g.overflow.reduce((a, b) => a + b, 0)).toBe(v.overflowBuckets);
    }
    expect(bucketMarks(v, 360).n).toBeLessThan(bucketMarks(v, 1200).n);
  });

  test("Swiss tables are summed into columns the width holds, keeping every table and slot (tableColumns)", async () => {
    const { k, maps } = kernel();
    await k.run(
      "a",
      'const m = goRuntime({ go: "1.24" }).makeMap("int", "int", 1024 * 896); m.insertRange(0, 300_000); m.deleteRange(0, 300_000, 2); display(mapView(m));',
    );
    const v = checkMapItem(maps("output")[0] as MapItem).frames[0]?.view;
    if (v?.kind !== "swiss") throw new Error("not swiss");
    expect(v.tables).toBe(1024);
    const total = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    for (const width of [240, 360, 640, 1200]) {
      const t = tableColumns(v, width);
      expect(t.w).toBeGreaterThanOrEqual(2);
      expect(t.tables.length * t.w).toBeLessThanOrEqual(layoutFor(width).grid + 1e-9);
      expect(total(t.tables)).toBe(v.tables);
      expect(total(t.capacity)).toBe(total(v.capacity));
      expect(total(t.used)).toBe(v.used);
      expect(total(t.tombstones)).toBe(v.tombstones);
    }
    expect(tableColumns(v, 360).tables.length).toBeLessThan(tableColumns(v, 1200).tables.length);
  });

  test("labels wrap to the width", () => {
    const t = "preallocated overflow: 1,024 of 2,048 used; 17 overflow buckets in chains";
    expect(wrapLabel(t, 640)).toEqual([t]);
    // At the "; " where it fits, else at a space; nothing lost.
    expect(wrapLabel(t, 300)).toEqual([
      "preallocated overflow: 1,024 of 2,048 used;",
      "17 overflow buckets in chains",
    ]);
    const lines = wrapLabel(t, 240);
    expect(lines.join(" ")).toBe(t);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(240 / 5.6);
    for (const l of wrapLabel("x".repeat(100), 240)) expect(l.length).toBeLessThanOrEqual(240 / 5.6);
  });

  test("a finished live picture gets a timeline that redraws the chosen state", async () => {
    const { window } = new JSDOM("<!doctype html><body></body>", { pretendToBeVisual: true });
    const { k, maps } = kernel();
    await k.run(
      "a",
      'const m = goRuntime({ go: "1.24" }).makeMap("int", "int"); liveMapView(m, { every: 100 }); m.insertRange(0, 1_200);',
    );
    const it = maps("update").at(-1) as MapItem;
    const fig = mapFigure(it, window.document, { timeline: true });
    window.document.body.append(fig);
    const input = fig.querySelector("input[data-map-timeline]") as HTMLInputElement;
    expect(Number(input.max)).toBe(it.frames.length - 1);
    expect(fig.querySelector("figcaption")?.textContent).toMatch(/1,200 entries in 2 tables/);
    input.value = "1";
    input.dispatchEvent(new window.Event("input"));
    await new Promise((r) => window.requestAnimationFrame(r));
    expect(fig.dataset["frame"]).toBe("1");
    expect(fig.querySelector("figcaption")?.textContent).toMatch(
      /^map\[int\]int, Go 1\.24: 100 entries in 1 tables/,
    );
    expect(fig.querySelector("output")?.textContent).toMatch(/after 100 operations/);
  });
});
