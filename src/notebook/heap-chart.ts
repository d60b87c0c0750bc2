/**
 * A heap chart (liveHeap) drawn from its samples by the site's own code, with
 * Observable Plot: on the page in the browser, in a server-side DOM at build time.
 *
 * The samples come from the kernel, so they are checked before anything is drawn:
 * only finite numbers are kept, labels are strings cut to MAX_LABEL characters (Plot
 * sets them as text, never as markup), and no option of the chart comes from the cell.
 * That is why this chart, unlike a cell's own Plot call (figures.ts), may be drawn on
 * the page: no function of the cell is involved.
 */
import { HEAP_LINES, type HeapLine, type HeapNote, type HeapPoint, type OutputItem } from "./protocol.ts";

export type PlotModule = Record<string, unknown>;
type HeapItem = Extract<OutputItem, { kind: "heap" }>;

const MiB = 2 ** 20; // bytes in a mebibyte, the unit of every heap chart
const MAX_POINTS = 10_000; // more than the kernel ever sends (it halves beyond 4000)
const MAX_NOTES = 100; // labelled moments drawn on one chart
const MAX_LABEL = 80; // characters of a note's label

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * How each line is told apart without colour: its dash pattern, its marker, and its
 * name written at its end.
 */
const LINE_STYLE: Record<HeapLine, { key: keyof HeapPoint; dash: string; marker: string }> = {
  HeapAlloc: { key: "heapAlloc", dash: "none", marker: "none" },
  HeapInuse: { key: "heapInuse", dash: "6,3", marker: "circle-stroke" },
  RSS: { key: "rss", dash: "2,2", marker: "dot" },
};

/** The lines an item asks for, checked (default HeapAlloc). */
export function checkedLines(item: HeapItem): HeapLine[] {
  const asked: unknown[] = Array.isArray(item.lines) ? item.lines : ["HeapAlloc"];
  const lines = HEAP_LINES.filter((l) => asked.includes(l));
  return lines.length > 0 ? lines : ["HeapAlloc"];
}

/** The item's samples and notes, reduced to what is safe and sensible to draw. */
export function checkedSamples(item: HeapItem): { points: HeapPoint[]; notes: HeapNote[] } {
  const optional = (v: unknown): number | undefined => (finite(v) ? v : undefined);
  const points = (Array.isArray(item.points) ? item.points : [])
    .slice(0, MAX_POINTS)
    .filter((p) => finite(p?.ops) && finite(p?.heapAlloc))
    .map((p) => {
      const q: HeapPoint = { ops: p.ops, heapAlloc: p.heapAlloc };
      const t = optional(p.t);
      const inuse = optional(p.heapInuse);
      const rss = optional(p.rss);
      if (t !== undefined) q.t = t;
      if (inuse !== undefined) q.heapInuse = inuse;
      if (rss !== undefined) q.rss = rss;
      return q;
    });
  const notes = (Array.isArray(item.notes) ? item.notes : [])
    .slice(0, MAX_NOTES)
    .filter((n) => finite(n?.ops))
    .map((n) => {
      const m: HeapNote = { ops: n.ops, label: String(n.label).slice(0, MAX_LABEL) };
      const t = optional(n.t);
      if (t !== undefined) m.t = t;
      return m;
    });
  return { points, notes };
}

/** The chart, an aria-hidden <svg> (render.ts puts a summary in words beside it). */
export function heapChart(item: HeapItem, Plot: PlotModule, doc: Document): Element {
  const call = (name: string, ...args: unknown[]): unknown =>
    (Plot[name] as (...a: unknown[]) => unknown)(...args);
  const { points, notes } = checkedSamples(item);
  const lines = checkedLines(item);
  const byTime = item.x === "time";
  const xOf = (p: { ops: number; t?: number }): number => (byTime ? (p.t ?? 0) / 1000 : p.ops);
  const marks: unknown[] = [];
  for (const line of lines) {
    const style = LINE_STYLE[line];
    const data = points
      .filter((p) => finite(p[style.key]))
      .map((p) => ({ x: xOf(p), MiB: (p[style.key] as number) / MiB }));
    if (data.length === 0) continue;
    if (lines.length === 1)
      marks.push(
        call("areaY", data, {
          x: "x",
          y: "MiB",
          fillOpacity: 0.15,
          fill: "currentColor",
          curve: "step-after",
        }),
      );
    marks.push(
      call("lineY", data, {
        x: "x",
        y: "MiB",
        curve: "step-after",
        strokeDasharray: style.dash,
        ...(data.length <= 60 && style.marker !== "none" ? { marker: style.marker } : {}),
      }),
    );
    // The legend is the line's own name at its end (not a colour key).
    if (lines.length > 1)
      marks.push(
        call("text", [data[data.length - 1]], {
          x: "x",
          y: "MiB",
          text: () => line,
          dx: 4,
          textAnchor: "start",
        }),
      );
  }
  marks.push(call("ruleY", [0]));
  if (notes.length > 0) {
    const at = notes.map((n) => ({ ...n, x: xOf(n) }));
    marks.push(call("ruleX", at, { x: "x", strokeDasharray: "3,3" }));
    // Labels in the right third of the chart go to the left of their rule, so that
    // they are not cut at the edge.
    const maxX = Math.max(1, ...points.map(xOf));
    const right = at.filter((n) => n.x > (2 / 3) * maxX);
    const left = at.filter((n) => n.x <= (2 / 3) * maxX);
    marks.push(call("text", left, { x: "x", text: "label", frameAnchor: "top", dx: 4, textAnchor: "start" }));
    marks.push(call("text", right, { x: "x", text: "label", frameAnchor: "top", dx: -4, textAnchor: "end" }));
  }
  const chart = call("plot", {
    document: doc,
    height: 220,
    marginLeft: 56,
    marginRight: lines.length > 1 ? 80 : 28,
    style: { background: "transparent" },
    x: { label: byTime ? "virtual seconds →" : "operations →", grid: true },
    y: { label: `↑ ${lines.length === 1 ? lines[0] : "memory"} (MiB)`, grid: true },
    marks,
  }) as Element;
  chart.setAttribute("aria-hidden", "true");
  return chart;
}
