/**
 * A map picture drawn by the site's own code from a checked frame (map-view.ts): one
 * compact SVG, the same on the page (live and scrubbed) and in the build's HTML (so it
 * shows with JavaScript off), then a caption and a summary table that say in words
 * what it shows.
 *
 * Classic map (Go 1.19–1.23)
 *   buckets       one mark per bucket, shaded by occupancy in quarters of its eight
 *                 slots (empty is an outline), with the count written in it when few;
 *                 a triangle in the corner when the bucket has an overflow chain.
 *   oldbuckets    while growing, above the new array: evacuated buckets crossed by a
 *                 diagonal, with a bar saying which part went to X (solid) and to Y
 *                 (outline); a vertical rule at nevacuate, the evacuation frontier;
 *                 the new array's X and Y halves labelled.
 *   preallocated  the array's spare overflow buckets, used (solid) and free (outline).
 *   bytes         a bar beside the picture: bucket array, old array, and the rest
 *                 (hmap, overflow buckets, entry objects), scaled to the largest
 *                 state of the timeline.
 * Swiss map (Go 1.24+)
 *   small map     its single group of eight slots.
 *   tables        each table a strip of groups, each group a column of eight slots:
 *                 full (solid), empty (outline), deleted (outline with a cross);
 *                 above them the directory, each table's entries spanned and labelled
 *                 with its local depth. With more slots than marks, one column per
 *                 table (or run of tables): full at the bottom, tombstones dashed
 *                 above, empty outlined on top.
 *
 * Large maps are aggregated to the marks the width holds (at most MAX_CELLS), so the
 * picture is a few <path> elements, one per kind of mark, whatever the map's size:
 * 2^18 buckets draw as fast as 2^10. Shading never carries meaning alone: every kind
 * of mark has its own shape (outline, cross, diagonal, triangle, dash) and the legend
 * and the table say it in words. Colours come from classes (notebook.css, light and
 * dark), with presentation attributes as the fallback of a standalone SVG (Jupyter).
 */
import type { ClassicView, SwissView } from "../model/contract.ts";
import { formatNumber } from "./format.ts";
import { bytesText, checkMapItem, summarize, type CheckedMap, type MapItem } from "./map-view.ts";
import type { MapFrame } from "./protocol.ts";

const SVG = "http://www.w3.org/2000/svg";
const W = 640; // viewBox width: the chapter column
const GRID = 560; // width of the grid; the bytes bar goes to its right
const MAX_COLS = 64;
const MAX_ROWS = 16;
/** Most Swiss tables drawn slot by slot; beyond, one column per table. */
const MAX_DETAIL_TABLES = 16;
/** Most marks a grid draws; beyond, consecutive buckets or tables share a mark. */
export const MAX_CELLS = MAX_COLS * MAX_ROWS;

const r2 = (n: number): number => Math.round(n * 100) / 100;

/** One SVG path per kind of mark, built as text. */
class Marks {
  readonly d = new Map<string, string[]>();
  rect(cls: string, x: number, y: number, w: number, h: number): void {
    this.push(cls, `M${r2(x)} ${r2(y)}h${r2(w)}v${r2(h)}h${r2(-w)}z`);
  }
  line(cls: string, x1: number, y1: number, x2: number, y2: number): void {
    this.push(cls, `M${r2(x1)} ${r2(y1)}L${r2(x2)} ${r2(y2)}`);
  }
  tri(cls: string, x: number, y: number, s: number): void {
    this.push(cls, `M${r2(x - s)} ${r2(y)}h${r2(s)}v${r2(s)}z`);
  }
  push(cls: string, d: string): void {
    let list = this.d.get(cls);
    if (list === undefined) this.d.set(cls, (list = []));
    list.push(d);
  }
}

/** Fallback presentation attributes per class (notebook.css overrides them). */
const STYLE: Record<string, Record<string, string>> = {
  "mv-outline": { fill: "none", stroke: "currentColor", "stroke-opacity": "0.45", "stroke-width": "0.6" },
  "mv-l1": { fill: "#3b6fb6", "fill-opacity": "0.3" },
  "mv-l2": { fill: "#3b6fb6", "fill-opacity": "0.5" },
  "mv-l3": { fill: "#3b6fb6", "fill-opacity": "0.75" },
  "mv-l4": { fill: "#3b6fb6" },
  "mv-ov": { fill: "#c2410c" },
  "mv-evac": { fill: "none", stroke: "currentColor", "stroke-width": "0.8" },
  "mv-x": { fill: "currentColor" },
  "mv-y": { fill: "none", stroke: "currentColor", "stroke-width": "0.6" },
  "mv-rule": { fill: "none", stroke: "#c2410c", "stroke-width": "1.5" },
  "mv-half": { fill: "none", stroke: "currentColor", "stroke-width": "1", "stroke-dasharray": "4 2" },
  "mv-full": { fill: "#3b6fb6" },
  "mv-del": { fill: "none", stroke: "#c2410c", "stroke-width": "0.8" },
  "mv-deld": { fill: "#c2410c", "fill-opacity": "0.35", stroke: "#c2410c", "stroke-dasharray": "2 1" },
  "mv-bytes": { fill: "#3b6fb6" },
  "mv-bytes-old": { fill: "#3b6fb6", "fill-opacity": "0.45" },
  "mv-bytes-rest": { fill: "currentColor", "fill-opacity": "0.25" },
};

interface Canvas {
  doc: Document;
  marks: Marks;
  texts: { x: number; y: number; text: string; anchor?: "start" | "middle" | "end"; cls?: string }[];
  y: number;
}

function text(
  c: Canvas,
  x: number,
  y: number,
  t: string,
  anchor: "start" | "middle" | "end" = "start",
  cls?: string,
): void {
  c.texts.push({ x, y, text: t, anchor, ...(cls ? { cls } : {}) });
}

/** Occupancy in quarters: 0 empty, 1–4 up to a quarter … full (or more, with chains). */
function level(entries: number, slots: number): number {
  if (entries === 0 || slots === 0) return 0;
  return Math.min(4, Math.max(1, Math.round((4 * entries) / slots)));
}

interface Grid {
  cols: number;
  cell: number;
  gap: number;
  /** Buckets per mark. */
  per: number;
  n: number;
}

function gridFor(buckets: number, binPer: number, bins: number): Grid {
  let merge = 1;
  while (bins / merge > MAX_CELLS) merge *= 2;
  const n = Math.ceil(bins / merge);
  const cols = Math.min(n, MAX_COLS);
  const cell = Math.min(24, GRID / cols);
  return {
    cols,
    cell,
    gap: cell >= 6 ? 1 : 0,
    per: binPer * merge,
    n: Math.min(n, Math.ceil(buckets / (binPer * merge))),
  };
}

/** The sum of `a` over the bins a mark of `g` covers. */
function binSum(a: Uint32Array, g: Grid, binPer: number, i: number): number {
  const merge = g.per / binPer;
  let s = 0;
  for (let j = i * merge; j < (i + 1) * merge && j < a.length; j++) s += a[j] ?? 0;
  return s;
}

function cellXY(c: Canvas, g: Grid, i: number): [number, number] {
  return [(i % g.cols) * g.cell, c.y + Math.floor(i / g.cols) * g.cell];
}

function drawBuckets(c: Canvas, v: ClassicView): Grid {
  const nb = 2 ** v.B;
  const g = gridFor(nb, v.per, v.entries.length);
  const few = g.n <= 64 && g.cell >= 16;
  for (let i = 0; i < g.n; i++) {
    const [x, y] = cellXY(c, g, i);
    const buckets = Math.min(g.per, nb - i * g.per);
    const e = binSum(v.entries, g, v.per, i);
    const s = g.cell - g.gap;
    const l = level(e, buckets * 8);
    c.marks.rect(l === 0 ? "mv-outline" : `mv-l${l}`, x, y, s, s);
    if (binSum(v.overflow, g, v.per, i) > 0) c.marks.tri("mv-ov", x + s, y, Math.max(2, s * 0.4));
    if (few)
      text(c, x + s / 2, y + s / 2 + 3.5, formatNumber(e), "middle", l >= 3 ? "mv-num mv-num-on" : "mv-num");
  }
  c.y += Math.ceil(g.n / g.cols) * g.cell;
  return g;
}

function drawOld(c: Canvas, v: ClassicView): void {
  const o = v.old;
  if (o === null) return;
  const nb = 2 ** o.B;
  const g = gridFor(nb, o.per, o.entries.length);
  const s = g.cell - g.gap;
  text(
    c,
    0,
    c.y + 10,
    `oldbuckets: 2^${o.B} = ${formatNumber(nb)}${o.sameSizeGrow ? " (same-size growth)" : ""}, nevacuate ${formatNumber(o.nevacuate)}`,
  );
  c.y += 14;
  for (let i = 0; i < g.n; i++) {
    const [x, y] = cellXY(c, g, i);
    const buckets = Math.min(g.per, nb - i * g.per);
    const evac = binSum(o.evacuated, g, o.per, i);
    const e = binSum(o.entries, g, o.per, i);
    const l = level(e, (buckets - evac) * 8);
    c.marks.rect(l === 0 ? "mv-outline" : `mv-l${l}`, x, y, s, s);
    if (evac > 0) {
      c.marks.line("mv-evac", x, y + s, x + s * (evac / buckets), y + s - s * (evac / buckets));
      const moved = binSum(o.toX, g, o.per, i) + binSum(o.toY, g, o.per, i);
      if (moved > 0 && s >= 4) {
        const xw = (s * binSum(o.toX, g, o.per, i)) / moved;
        const h = Math.max(1, s * 0.2);
        if (xw > 0) c.marks.rect("mv-x", x, y, xw, h);
        if (s - xw > 0) c.marks.rect("mv-y", x + xw, y, s - xw, h);
      }
    }
  }
  if (o.nevacuate < nb) {
    const i = Math.floor(o.nevacuate / g.per);
    const [x, y] = cellXY(c, g, i);
    c.marks.line("mv-rule", x - g.gap / 2, y - 3, x - g.gap / 2, y + g.cell + 2);
  }
  c.y += Math.ceil(g.n / g.cols) * g.cell + 8;
}

function drawClassic(c: Canvas, v: ClassicView): void {
  drawOld(c, v);
  const nb = 2 ** v.B;
  text(
    c,
    0,
    c.y + 10,
    `buckets: 2^${v.B} = ${formatNumber(nb)}${v.per > 1 || nb > MAX_CELLS ? `, one mark per ${formatNumber(gridFor(nb, v.per, v.entries.length).per)} buckets` : ""}`,
  );
  c.y += 14;
  const top = c.y;
  const g = drawBuckets(c, v);
  if (v.old !== null && !v.old.sameSizeGrow && v.old.B === v.B - 1) {
    // The X half (bucket i) and the Y half (i + 2^oldB) of the new array.
    const half = Math.ceil(g.n / 2);
    const [x, y] = [(half % g.cols) * g.cell, top + Math.floor(half / g.cols) * g.cell];
    if (x === 0) c.marks.line("mv-half", 0, y - 0.5, g.cols * g.cell, y - 0.5);
    else c.marks.line("mv-half", x - 0.5, y, x - 0.5, y + g.cell);
    text(
      c,
      0,
      c.y + 10,
      `X half: buckets 0–${formatNumber(nb / 2 - 1)} · Y half: ${formatNumber(nb / 2)}–${formatNumber(nb - 1)}`,
    );
    c.y += 14;
  }
  c.y += 6;
  // Preallocated overflow buckets.
  text(
    c,
    0,
    c.y + 10,
    `preallocated overflow: ${formatNumber(v.preallocatedUsed)} of ${formatNumber(v.preallocated)} used; ${formatNumber(v.overflowBuckets)} overflow buckets in chains`,
  );
  c.y += 14;
  if (v.preallocated > 0) {
    const used = (GRID * v.preallocatedUsed) / v.preallocated;
    if (used > 0) c.marks.rect("mv-l4", 0, c.y, used, 6);
    c.marks.rect("mv-outline", 0, c.y, GRID, 6);
    c.y += 10;
  }
}

function drawSwissSlots(c: Canvas, v: SwissView, slots: Uint8Array): void {
  const rows = v.capacity.length;
  let at = 0;
  if (v.small) {
    text(c, 0, c.y + 10, "small map: one group of 8 slots");
    c.y += 14;
    for (let i = 0; i < slots.length; i++) slot(c, slots[i] ?? 0, i * 24, c.y, 23);
    c.y += 30;
    return;
  }
  // The directory: each table's entries, with its local depth.
  const dirCell = Math.min(24, GRID / Math.max(1, v.dirLen));
  text(c, 0, c.y + 10, `directory: 2^${v.globalDepth} = ${formatNumber(v.dirLen)} entries`);
  c.y += 14;
  let e = 0;
  for (let r = 0; r < rows; r++) {
    const n = v.dirEntries[r] ?? 0;
    c.marks.rect("mv-outline", e * dirCell, c.y, n * dirCell - 1, 12);
    if (n * dirCell >= 18)
      text(c, (e + n / 2) * dirCell, c.y + 9, `d${v.localDepth[r] ?? 0}`, "middle", "mv-num");
    e += n;
  }
  c.y += 18;
  const maxGroups = Math.max(1, ...Array.from(v.capacity, (cap) => cap / 8));
  const gw = Math.min(24, GRID / maxGroups);
  const s = Math.max(1, Math.min(gw - (gw >= 4 ? 1 : 0), 10));
  for (let r = 0; r < rows; r++) {
    const cap = v.capacity[r] ?? 0;
    text(
      c,
      0,
      c.y + 10,
      `table ${r}: localDepth ${v.localDepth[r] ?? 0}, ${formatNumber(v.tableUsed[r] ?? 0)} of ${formatNumber(cap)} slots full, ${formatNumber(v.tableTombstones[r] ?? 0)} deleted`,
    );
    c.y += 13;
    for (let gi = 0; gi < cap / 8; gi++)
      for (let j = 0; j < 8; j++)
        slot(c, slots[at + gi * 8 + j] ?? 0, gi * gw, c.y + j * (s + (s >= 4 ? 1 : 0)), s);
    at += cap;
    c.y += 8 * (s + (s >= 4 ? 1 : 0)) + 6;
  }
}

function slot(c: Canvas, state: number, x: number, y: number, s: number): void {
  if (state === 1) c.marks.rect("mv-full", x, y, s, s);
  else {
    c.marks.rect("mv-outline", x, y, s, s);
    if (state === 2) {
      c.marks.line("mv-del", x, y, x + s, y + s);
      c.marks.line("mv-del", x + s, y, x, y + s);
    }
  }
}

/** Rows of tables per column in the aggregated Swiss picture (a column at least 2 units wide). */
function tableMerge(rows: number): number {
  let merge = 1;
  while (rows / merge > GRID / 2) merge *= 2;
  return merge;
}

function drawSwissTables(c: Canvas, v: SwissView): void {
  const rows = v.capacity.length;
  const merge = tableMerge(rows);
  const cols = Math.ceil(rows / merge);
  const w = GRID / cols;
  text(
    c,
    0,
    c.y + 10,
    `directory: 2^${v.globalDepth} = ${formatNumber(v.dirLen)} entries; ${formatNumber(v.tables)} tables${merge * v.perTable > 1 ? `, one column per ${formatNumber(merge * v.perTable)} tables` : ""}`,
  );
  c.y += 14;
  // The directory bar, with a tick where each column's tables begin.
  c.marks.rect("mv-outline", 0, c.y, GRID, 8);
  if (cols <= 128) for (let i = 1; i < cols; i++) c.marks.line("mv-half", i * w, c.y, i * w, c.y + 8);
  c.y += 12;
  const H = 96;
  let maxCap = 1;
  const col = (a: Uint32Array, i: number): number => {
    let s = 0;
    for (let j = i * merge; j < (i + 1) * merge && j < a.length; j++) s += a[j] ?? 0;
    return s;
  };
  for (let i = 0; i < cols; i++) maxCap = Math.max(maxCap, col(v.capacity, i));
  for (let i = 0; i < cols; i++) {
    const cap = col(v.capacity, i);
    const h = (H * cap) / maxCap;
    const full = (h * col(v.tableUsed, i)) / Math.max(1, cap);
    const dead = (h * col(v.tableTombstones, i)) / Math.max(1, cap);
    const x = i * w;
    const bw = Math.max(0.5, w - (w >= 3 ? 1 : 0));
    const base = c.y + H;
    c.marks.rect("mv-outline", x, base - h, bw, h);
    if (full > 0) c.marks.rect("mv-full", x, base - full, bw, full);
    if (dead > 0) c.marks.rect("mv-deld", x, base - full - dead, bw, dead);
  }
  c.y += H + 6;
}

function drawSwiss(c: Canvas, v: SwissView): void {
  if (v.slots !== null && (v.small || v.capacity.length <= MAX_DETAIL_TABLES)) drawSwissSlots(c, v, v.slots);
  else if (v.small) {
    text(c, 0, c.y + 10, `small map: one group, ${formatNumber(v.used)} slots full`);
    c.y += 14;
  } else drawSwissTables(c, v);
}

function legend(c: Canvas, v: MapFrame["view"]): void {
  const items: [string, string][] =
    v.kind === "classic"
      ? [
          ["mv-outline", "empty"],
          ["mv-l2", "half full"],
          ["mv-l4", "full"],
          ["mv-ov", "overflow chain (triangle)"],
          ...(v.old !== null ? ([["mv-evac", "evacuated (diagonal)"]] as [string, string][]) : []),
        ]
      : [
          ["mv-full", "full"],
          ["mv-outline", "empty"],
          ["mv-del", "deleted: tombstone (cross, dashed)"],
        ];
  let x = 0;
  const y = c.y + 2;
  for (const [cls, label] of items) {
    if (cls === "mv-ov") {
      c.marks.rect("mv-outline", x, y, 9, 9);
      c.marks.tri("mv-ov", x + 9, y, 4);
    } else if (cls === "mv-evac") {
      c.marks.rect("mv-outline", x, y, 9, 9);
      c.marks.line("mv-evac", x, y + 9, x + 9, y);
    } else if (cls === "mv-del") {
      slot(c, 2, x, y, 9);
    } else c.marks.rect(cls, x, y, 9, 9);
    text(c, x + 13, y + 8.5, label);
    x += 13 + label.length * 5.6 + 12;
  }
  c.y += 16;
}

function bytesBar(c: Canvas, v: MapFrame["view"], scale: number, top: number): void {
  const x = GRID + 30;
  const H = Math.max(40, c.y - top - 14);
  const k = H / Math.max(1, scale, v.bytes);
  const base = top + 14 + H;
  let y = base;
  const seg = (cls: string, b: number): void => {
    if (b <= 0) return;
    c.marks.rect(cls, x, y - b * k, 16, b * k);
    y -= b * k;
  };
  if (v.kind === "classic") {
    seg("mv-bytes", v.bucketsBytes);
    seg("mv-bytes-old", v.oldbucketsBytes);
    seg("mv-bytes-rest", v.bytes - v.bucketsBytes - v.oldbucketsBytes);
  } else seg("mv-bytes", v.bytes);
  c.marks.rect("mv-outline", x, base - H, 16, H);
  text(c, x + 8, top + 10, "bytes", "middle");
  text(c, x + 8, base + 11, bytesText(v.bytes), "middle");
  c.y = Math.max(c.y, base + 14);
}

/** The picture of one frame, an aria-hidden <svg> (the caption and table say it in words). */
export function mapSvg(doc: Document, frame: MapFrame, bytesScale = 0): SVGSVGElement {
  const c: Canvas = { doc, marks: new Marks(), texts: [], y: 0 };
  const v = frame.view;
  const top = 0;
  if (v.kind === "classic") drawClassic(c, v);
  else drawSwiss(c, v);
  legend(c, v);
  bytesBar(c, v, bytesScale, top);
  const svg = doc.createElementNS(SVG, "svg") as SVGSVGElement;
  const h = Math.ceil(c.y + 2);
  svg.setAttribute("viewBox", `-2 -2 ${W + 4} ${h + 4}`);
  svg.setAttribute("width", String(W + 4));
  svg.setAttribute("height", String(h + 4));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "nb-map-svg");
  for (const [cls, parts] of c.marks.d) {
    const p = doc.createElementNS(SVG, "path");
    p.setAttribute("class", cls);
    for (const [k, val] of Object.entries(STYLE[cls] ?? {})) p.setAttribute(k, val);
    p.setAttribute("d", parts.join(""));
    svg.append(p);
  }
  const g = doc.createElementNS(SVG, "g");
  g.setAttribute("class", "mv-text");
  g.setAttribute("font-size", "10");
  g.setAttribute("fill", "currentColor");
  for (const t of c.texts) {
    const e = doc.createElementNS(SVG, "text");
    e.setAttribute("x", String(r2(t.x)));
    e.setAttribute("y", String(r2(t.y)));
    if (t.anchor !== "start") e.setAttribute("text-anchor", t.anchor ?? "start");
    if (t.cls) e.setAttribute("class", t.cls);
    e.textContent = t.text;
    g.append(e);
  }
  svg.append(g);
  return svg;
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  cls?: string,
  txt?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (txt !== undefined) e.textContent = txt;
  return e;
}

function frameLabel(m: CheckedMap, i: number): string {
  const f = m.frames[i];
  return `after ${formatNumber(f?.ops ?? 0)} operations (state ${i + 1} of ${m.frames.length})`;
}

/**
 * Fills the figure's picture, caption and table for frame i. The time it takes (with
 * the layout, once the figure is on the page) is a User Timing measure, "map-view",
 * which npm run bench:site reports.
 */
function showFrame(fig: HTMLElement, m: CheckedMap, i: number, scale: number): void {
  const t0 = performance.now();
  const doc = fig.ownerDocument;
  const frame = m.frames[i] ?? m.frames[m.frames.length - 1];
  if (frame === undefined) return;
  const s = summarize(frame.view);
  const svg = mapSvg(doc, frame, scale);
  const old = fig.querySelector("svg.nb-map-svg");
  if (old) old.replaceWith(svg);
  else fig.prepend(svg);
  const cap = fig.querySelector("figcaption");
  // Which recorded state, only where a slider offers them: which states a live picture
  // recorded depends on the machine's speed, so the build's caption never names them.
  const when =
    fig.dataset["frames"] !== undefined
      ? ` ${frameLabel(m, i)[0]?.toUpperCase() ?? ""}${frameLabel(m, i).slice(1)}.`
      : "";
  if (cap) cap.textContent = `${m.title}: ${s.sentence}${m.done ? "" : " Still running…"}${when}`;
  const tbody = fig.querySelector("tbody");
  if (tbody) {
    tbody.replaceChildren();
    for (const [k, val] of s.rows) {
      const tr = el(doc, "tr");
      const th = el(doc, "th", undefined, k);
      th.setAttribute("scope", "row");
      tr.append(th, el(doc, "td", undefined, val));
      tbody.append(tr);
    }
  }
  fig.dataset["frame"] = String(i);
  fig.dataset["kind"] = frame.view.kind;
  fig.dataset["ops"] = String(frame.ops);
  const v = frame.view;
  // Buckets (classic) or tables (Swiss, aggregated) per mark.
  fig.dataset["marksPer"] = String(
    v.kind === "classic"
      ? gridFor(2 ** v.B, v.per, v.entries.length).per
      : v.slots !== null && v.capacity.length <= MAX_DETAIL_TABLES
        ? 1
        : v.perTable * tableMerge(v.capacity.length),
  );
  if (fig.isConnected) fig.getBoundingClientRect();
  performance.measure("map-view", { start: t0 });
}

/**
 * The whole figure: root `figure[data-map-view=<id>]`, the picture, a caption, a
 * summary table and, when `timeline` is set (on the page) and the run recorded more
 * than one state, a slider that scrubs through them (redrawn once per frame at most).
 */
export function mapFigure(item: MapItem, doc: Document, { timeline }: { timeline: boolean }): HTMLElement {
  const m = checkMapItem(item);
  const fig = el(doc, "figure", "nb-map");
  fig.dataset["mapView"] = String(m.id);
  fig.dataset["done"] = String(m.done);
  // With a timeline the bytes bar is scaled to the largest recorded state; a baked
  // picture (one state shown, machine-independent) to its own.
  const withTimeline = timeline && m.done && m.frames.length > 1;
  if (withTimeline) fig.dataset["frames"] = String(m.frames.length);
  const scale = withTimeline ? Math.max(...m.frames.map((f) => f.view.bytes)) : 0;
  const cap = el(doc, "figcaption");
  const table = el(doc, "table", "nb-map-table");
  const thead = el(doc, "thead");
  const hr = el(doc, "tr");
  for (const h of ["what", "value"]) {
    const th = el(doc, "th", undefined, h);
    th.setAttribute("scope", "col");
    hr.append(th);
  }
  thead.append(hr);
  table.append(thead, el(doc, "tbody"));
  fig.append(cap, table);
  const last = m.frames.length - 1;
  showFrame(fig, m, last, scale);
  if (withTimeline) {
    const box = el(doc, "div", "nb-map-timeline");
    const label = el(doc, "label");
    const input = el(doc, "input");
    input.type = "range";
    input.min = "0";
    input.max = String(last);
    input.step = "1";
    input.value = String(last);
    input.dataset["mapTimeline"] = "";
    const out = el(doc, "output", undefined, frameLabel(m, last));
    label.append(el(doc, "span", undefined, "Recorded states "), input);
    box.append(label, out);
    fig.append(box);
    let pending = false;
    const win = doc.defaultView;
    input.addEventListener("input", () => {
      if (pending || !win) return;
      pending = true;
      win.requestAnimationFrame(() => {
        pending = false;
        const i = Number(input.value);
        showFrame(fig, m, i, scale);
        out.textContent = frameLabel(m, i);
      });
    });
  }
  return fig;
}
