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
import type { HeapNote, HeapPoint, OutputItem } from "./protocol.ts";

export type PlotModule = Record<string, unknown>;
type HeapItem = Extract<OutputItem, { kind: "heap" }>;

const MiB = 2 ** 20; // bytes in a mebibyte, the unit of every heap chart
const MAX_POINTS = 10_000; // more than the kernel ever sends (it halves beyond 4000)
const MAX_NOTES = 100; // labelled moments drawn on one chart
const MAX_LABEL = 80; // characters of a note's label

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The item's samples and notes, reduced to what is safe and sensible to draw. */
export function checkedSamples(item: HeapItem): { points: HeapPoint[]; notes: HeapNote[] } {
  const points = (Array.isArray(item.points) ? item.points : [])
    .slice(0, MAX_POINTS)
    .filter((p) => finite(p?.ops) && finite(p?.heapAlloc))
    .map((p) => ({ ops: p.ops, heapAlloc: p.heapAlloc }));
  const notes = (Array.isArray(item.notes) ? item.notes : [])
    .slice(0, MAX_NOTES)
    .filter((n) => finite(n?.ops))
    .map((n) => ({ ops: n.ops, label: String(n.label).slice(0, MAX_LABEL) }));
  return { points, notes };
}

/** The chart, an aria-hidden <svg> (render.ts puts a summary in words beside it). */
export function heapChart(item: HeapItem, Plot: PlotModule, doc: Document): Element {
  const call = (name: string, ...args: unknown[]): unknown =>
    (Plot[name] as (...a: unknown[]) => unknown)(...args);
  const { points, notes } = checkedSamples(item);
  const data = points.map((p) => ({ ops: p.ops, MiB: p.heapAlloc / MiB }));
  const marks: unknown[] = [
    call("areaY", data, { x: "ops", y: "MiB", fillOpacity: 0.15, fill: "currentColor", curve: "step-after" }),
    call("lineY", data, { x: "ops", y: "MiB", curve: "step-after" }),
    call("ruleY", [0]),
  ];
  if (notes.length > 0) {
    marks.push(call("ruleX", notes, { x: "ops", strokeDasharray: "3,3" }));
    // Labels in the right third of the chart go to the left of their rule, so that
    // they are not cut at the edge.
    const maxOps = Math.max(1, ...points.map((p) => p.ops));
    const right = notes.filter((n) => n.ops > (2 / 3) * maxOps);
    const left = notes.filter((n) => n.ops <= (2 / 3) * maxOps);
    marks.push(
      call("text", left, { x: "ops", text: "label", frameAnchor: "top", dx: 4, textAnchor: "start" }),
    );
    marks.push(
      call("text", right, { x: "ops", text: "label", frameAnchor: "top", dx: -4, textAnchor: "end" }),
    );
  }
  const chart = call("plot", {
    document: doc,
    height: 220,
    marginLeft: 56,
    marginRight: 28,
    style: { background: "transparent" },
    x: { label: "operations →", grid: true },
    y: { label: "↑ HeapAlloc (MiB)", grid: true },
    marks,
  }) as Element;
  chart.setAttribute("aria-hidden", "true");
  return chart;
}
