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
 * Width. The picture is drawn for the width it has, in CSS pixels (one viewBox unit is
 * one pixel): the page measures the figure and redraws it when its width changes
 * (mapFigure's ResizeObserver, at most once per animation frame); the build and
 * Jupyter draw at DEFAULT_WIDTH (640). Large maps are aggregated to the marks that
 * width holds — columns of at least MIN_MARK px, a power of two of them, MAX_ROWS rows,
 * at most MAX_MARKS marks in all (bucketMarks, tableColumns) — summing consecutive
 * buckets or tables, so a 360 px phone column shows fewer, coarser marks than a
 * 1,200 px one, and the picture is a few <path> elements, one per kind of mark,
 * whatever the map's size: 2^18 buckets draw as fast as 2^10.
 *
 * Shading never carries meaning alone: every kind of mark has its own shape (outline,
 * cross, diagonal, triangle, dash) and the legend and the table say it in words. Colours come from classes (notebook.css, light and
 * dark), with presentation attributes as the fallback of a standalone SVG (Jupyter).
 */
import type { ClassicView, SwissView } from "../model/contract.ts";
import { formatNumber } from "./format.ts";
import { bytesText, checkMapItem, summarize, type CheckedMap, type MapItem } from "./map-view.ts";
import type { MapFrame } from "./protocol.ts";

const SVG = "http://www.w3.org/2000/svg";
/** The width the build draws at (CSS px): the chapter column. */
export const DEFAULT_WIDTH = 640;
/** The narrowest and widest drawing (px); narrower figures scroll sideways. */
export const MIN_WIDTH = 240;
export const MAX_WIDTH = 1600;
const BAR = 80; // the bytes bar and its labels, right of the grid
/** The smallest mark of a bucket grid, gap included (px). */
export const MIN_MARK = 8;
const MAX_ROWS = 16;
/** Most marks a grid draws, whatever the width (the kernel's MAP_BINS). */
export const MAX_MARKS = 2048;
/** Most Swiss tables drawn slot by slot; beyond, one column per table. */
const MAX_DETAIL_TABLES = 16;
/** Most slots drawn one by one; beyond, one column per table. */
const MAX_DETAIL_SLOTS = 8192;
/** The smallest slot column of a table drawn slot by slot (px). */
const MIN_SLOT = 3;
/** Average advance of a character of the 10 px labels (px). */
const CHAR = 5.6;

/** What a width allows: the drawing's width W, the grid's, and the columns of marks. */
export interface Layout {
  W: number;
  grid: number;
  cols: number;
  maxMarks: number;
}

export function layoutFor(width: number): Layout {
  const W = Math.min(
    MAX_WIDTH,
    Math.max(MIN_WIDTH, Math.floor(Number.isFinite(width) ? width : DEFAULT_WIDTH)),
  );
  const grid = W - BAR;
  let cols = 1;
  while (cols * 2 * MIN_MARK <= grid) cols *= 2;
  return { W, grid, cols, maxMarks: Math.min(MAX_MARKS, cols * MAX_ROWS) };
}

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
  layout: Layout;
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

/**
 * A label cut into lines that fit `width` px: after a "; " or ", ", before a " · ",
 * else at a space (a word longer than a line is cut where it overflows).
 */
export function wrapLabel(t: string, width: number): string[] {
  const max = Math.max(8, Math.floor(width / CHAR));
  const lines: string[] = [];
  let rest = t;
  while (rest.length > max) {
    let cut = -1;
    let keep = 0;
    let skip = 1;
    for (const [sep, k] of [
      ["; ", 1],
      [" · ", 0],
      [", ", 1],
      [" ", 0],
    ] as const) {
      const at = rest.lastIndexOf(sep, max - k);
      if (at > 0) {
        cut = at;
        keep = k;
        skip = sep.length;
        break;
      }
    }
    if (cut < 0) [cut, keep, skip] = [max, 0, 0];
    lines.push(rest.slice(0, cut + keep));
    rest = rest.slice(cut + skip);
  }
  lines.push(rest);
  return lines;
}

/** A label line at the left of the drawing, wrapped to its width. */
function label(c: Canvas, t: string): void {
  for (const line of wrapLabel(t, c.layout.W)) {
    text(c, 0, c.y + 10, line);
    c.y += 14;
  }
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

/**
 * The grid of `buckets` buckets sent as `bins` bins of `binPer` each, for a layout:
 * bins merged by a power of two until the marks fit layout.maxMarks.
 */
function gridFor(buckets: number, binPer: number, bins: number, layout: Layout): Grid {
  let merge = 1;
  while (bins / merge > layout.maxMarks) merge *= 2;
  const n = Math.ceil(bins / merge);
  const cols = Math.min(n, layout.cols);
  const cell = Math.min(24, layout.grid / cols);
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

/** The marks of a classic map's bucket array at a width: buckets, entries and overflow buckets per mark. */
export interface BucketMarks extends Grid {
  buckets: number[];
  entries: number[];
  overflow: number[];
}

export function bucketMarks(v: ClassicView, width: number): BucketMarks {
  const nb = 2 ** v.B;
  const g = gridFor(nb, v.per, v.entries.length, layoutFor(width));
  const m: BucketMarks = { ...g, buckets: [], entries: [], overflow: [] };
  for (let i = 0; i < g.n; i++) {
    m.buckets.push(Math.min(g.per, nb - i * g.per));
    m.entries.push(binSum(v.entries, g, v.per, i));
    m.overflow.push(binSum(v.overflow, g, v.per, i));
  }
  return m;
}

function drawBuckets(c: Canvas, v: ClassicView): Grid {
  const g = bucketMarks(v, c.layout.W);
  const few = g.n <= 64 && g.cell >= 16;
  for (let i = 0; i < g.n; i++) {
    const [x, y] = cellXY(c, g, i);
    const e = g.entries[i] ?? 0;
    const s = g.cell - g.gap;
    const l = level(e, (g.buckets[i] ?? 0) * 8);
    c.marks.rect(l === 0 ? "mv-outline" : `mv-l${l}`, x, y, s, s);
    if ((g.overflow[i] ?? 0) > 0) c.marks.tri("mv-ov", x + s, y, Math.max(2, s * 0.4));
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
  const g = gridFor(nb, o.per, o.entries.length, c.layout);
  const s = g.cell - g.gap;
  label(
    c,
    `oldbuckets: 2^${o.B} = ${formatNumber(nb)}${o.sameSizeGrow ? " (same-size growth)" : ""}, nevacuate ${formatNumber(o.nevacuate)}`,
  );
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
  const per = gridFor(nb, v.per, v.entries.length, c.layout).per;
  label(
    c,
    `buckets: 2^${v.B} = ${formatNumber(nb)}${per > 1 ? `, one mark per ${formatNumber(per)} buckets` : ""}`,
  );
  const top = c.y;
  const g = drawBuckets(c, v);
  if (v.old !== null && !v.old.sameSizeGrow && v.old.B === v.B - 1) {
    // The X half (bucket i) and the Y half (i + 2^oldB) of the new array.
    const half = Math.ceil(g.n / 2);
    const [x, y] = [(half % g.cols) * g.cell, top + Math.floor(half / g.cols) * g.cell];
    if (x === 0) c.marks.line("mv-half", 0, y - 0.5, g.cols * g.cell, y - 0.5);
    else c.marks.line("mv-half", x - 0.5, y, x - 0.5, y + g.cell);
    label(
      c,
      `X half: buckets 0–${formatNumber(nb / 2 - 1)} · Y half: ${formatNumber(nb / 2)}–${formatNumber(nb - 1)}`,
    );
  }
  c.y += 6;
  // Preallocated overflow buckets.
  label(
    c,
    `preallocated overflow: ${formatNumber(v.preallocatedUsed)} of ${formatNumber(v.preallocated)} used; ${formatNumber(v.overflowBuckets)} overflow buckets in chains`,
  );
  if (v.preallocated > 0) {
    const grid = c.layout.grid;
    const used = (grid * v.preallocatedUsed) / v.preallocated;
    if (used > 0) c.marks.rect("mv-l4", 0, c.y, used, 6);
    c.marks.rect("mv-outline", 0, c.y, grid, 6);
    c.y += 10;
  }
}

function drawSwissSlots(c: Canvas, v: SwissView, slots: Uint8Array): void {
  const rows = v.capacity.length;
  let at = 0;
  if (v.small) {
    label(c, "small map: one group of 8 slots");
    for (let i = 0; i < slots.length; i++) slot(c, slots[i] ?? 0, i * 24, c.y, 23);
    c.y += 30;
    return;
  }
  // The directory: each table's entries, with its local depth.
  const grid = c.layout.grid;
  const dirCell = Math.min(24, grid / Math.max(1, v.dirLen));
  label(c, `directory: 2^${v.globalDepth} = ${formatNumber(v.dirLen)} entries`);
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
  const gw = Math.min(24, grid / maxGroups);
  const s = Math.max(1, Math.min(gw - (gw >= 4 ? 1 : 0), 10));
  for (let r = 0; r < rows; r++) {
    const cap = v.capacity[r] ?? 0;
    label(
      c,
      `table ${r}: localDepth ${v.localDepth[r] ?? 0}, ${formatNumber(v.tableUsed[r] ?? 0)} of ${formatNumber(cap)} slots full, ${formatNumber(v.tableTombstones[r] ?? 0)} deleted`,
    );
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

/** The smallest column of the aggregated Swiss picture (px). */
const MIN_COLUMN = 2;

/** The columns of a Swiss map's tables at a width: tables, slots, full and deleted per column. */
export interface TableColumns {
  /** Rows of the view (runs of view.perTable tables) per column. */
  merge: number;
  /** Tables per column. */
  per: number;
  /** Width of a column (px). */
  w: number;
  tables: number[];
  capacity: number[];
  used: number[];
  tombstones: number[];
}

export function tableColumns(v: SwissView, width: number): TableColumns {
  const grid = layoutFor(width).grid;
  const rows = v.capacity.length;
  let merge = 1;
  while (rows / merge > grid / MIN_COLUMN) merge *= 2;
  const cols = Math.ceil(rows / merge);
  const sum = (a: Uint32Array, i: number): number => {
    let s = 0;
    for (let j = i * merge; j < (i + 1) * merge && j < a.length; j++) s += a[j] ?? 0;
    return s;
  };
  const per = merge * v.perTable;
  const t: TableColumns = { merge, per, w: grid / cols, tables: [], capacity: [], used: [], tombstones: [] };
  for (let i = 0; i < cols; i++) {
    t.tables.push(Math.min(per, v.tables - i * per));
    t.capacity.push(sum(v.capacity, i));
    t.used.push(sum(v.tableUsed, i));
    t.tombstones.push(sum(v.tableTombstones, i));
  }
  return t;
}

function drawSwissTables(c: Canvas, v: SwissView): void {
  const t = tableColumns(v, c.layout.W);
  const cols = t.tables.length;
  const { w } = t;
  const grid = c.layout.grid;
  label(
    c,
    `directory: 2^${v.globalDepth} = ${formatNumber(v.dirLen)} entries; ${formatNumber(v.tables)} tables${t.per > 1 ? `, one column per ${formatNumber(t.per)} tables` : ""}`,
  );
  // The directory bar, with a tick where each column's tables begin.
  c.marks.rect("mv-outline", 0, c.y, grid, 8);
  if (cols <= 128) for (let i = 1; i < cols; i++) c.marks.line("mv-half", i * w, c.y, i * w, c.y + 8);
  c.y += 12;
  const H = 96;
  const maxCap = Math.max(1, ...t.capacity);
  for (let i = 0; i < cols; i++) {
    const cap = t.capacity[i] ?? 0;
    const h = (H * cap) / maxCap;
    const full = (h * (t.used[i] ?? 0)) / Math.max(1, cap);
    const dead = (h * (t.tombstones[i] ?? 0)) / Math.max(1, cap);
    const x = i * w;
    const bw = Math.max(0.5, w - (w >= 3 ? 1 : 0));
    const base = c.y + H;
    c.marks.rect("mv-outline", x, base - h, bw, h);
    if (full > 0) c.marks.rect("mv-full", x, base - full, bw, full);
    if (dead > 0) c.marks.rect("mv-deld", x, base - full - dead, bw, dead);
  }
  c.y += H + 6;
}

/** Whether a Swiss view is drawn slot by slot at this layout (else in aggregated columns). */
function slotBySlot(v: SwissView, layout: Layout): v is SwissView & { slots: Uint8Array } {
  if (v.slots === null) return false;
  if (v.small) return true;
  let groups = 1;
  for (const cap of v.capacity) groups = Math.max(groups, cap / 8);
  return (
    v.capacity.length <= MAX_DETAIL_TABLES &&
    v.slots.length <= MAX_DETAIL_SLOTS &&
    groups * MIN_SLOT <= layout.grid
  );
}

function drawSwiss(c: Canvas, v: SwissView): void {
  if (slotBySlot(v, c.layout)) drawSwissSlots(c, v, v.slots);
  else if (v.small) label(c, `small map: one group, ${formatNumber(v.used)} slots full`);
  else drawSwissTables(c, v);
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
  let y = c.y + 2;
  for (const [cls, label] of items) {
    const advance = 13 + label.length * CHAR + 12;
    if (x > 0 && x + advance - 12 > c.layout.W) {
      x = 0;
      y += 14;
      c.y += 14;
    }
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
    x += advance;
  }
  c.y += 16;
}

function bytesBar(c: Canvas, v: MapFrame["view"], scale: number, top: number): void {
  const x = c.layout.grid + 30;
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

/**
 * The picture of one frame, an aria-hidden <svg> (the caption and table say it in
 * words), drawn `width` CSS px wide (layoutFor: between MIN_WIDTH and MAX_WIDTH) with
 * a 2 px margin around.
 */
export function mapSvg(doc: Document, frame: MapFrame, bytesScale = 0, width = DEFAULT_WIDTH): SVGSVGElement {
  const layout = layoutFor(width);
  const W = layout.W;
  const c: Canvas = { doc, marks: new Marks(), texts: [], y: 0, layout };
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
function showFrame(fig: HTMLElement, m: CheckedMap, i: number, scale: number, width: number): void {
  const t0 = performance.now();
  const doc = fig.ownerDocument;
  const frame = m.frames[i] ?? m.frames[m.frames.length - 1];
  if (frame === undefined) return;
  const s = summarize(frame.view);
  const svg = mapSvg(doc, frame, scale, width);
  const old = fig.querySelector("svg.nb-map-svg");
  if (old) old.replaceWith(svg);
  else fig.prepend(svg);
  const cap = fig.querySelector("figcaption");
  // Which recorded state, only where a slider offers them (a baked picture shows one).
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
  const layout = layoutFor(width);
  // The width drawn at, and the marks of the main grid (buckets, or Swiss slots or
  // columns) with the buckets or tables each covers.
  fig.dataset["width"] = String(layout.W);
  let marks: number;
  let per: number;
  if (v.kind === "classic") {
    const g = bucketMarks(v, layout.W);
    [marks, per] = [g.n, g.per];
  } else if (slotBySlot(v, layout)) [marks, per] = [v.slots.length, 1];
  else if (v.small) [marks, per] = [0, 1];
  else {
    const t = tableColumns(v, layout.W);
    [marks, per] = [t.tables.length, t.per];
  }
  fig.dataset["marks"] = String(marks);
  fig.dataset["marksPer"] = String(per);
  if (fig.isConnected) fig.getBoundingClientRect();
  performance.measure("map-view", { start: t0 });
}

/** The last width a figure on this page measured (the first guess for the next one). */
let measured = 0;

/**
 * The whole figure: root `figure[data-map-view=<id>]`, the picture, a caption, a
 * summary table and, when `timeline` is set (on the page) and the run recorded more
 * than one state, a slider that scrubs through them (redrawn once per frame at most).
 *
 * `width` is the figure's width in CSS px, when the caller knows it (the figure this
 * one replaces); without it, the last width a figure measured, else DEFAULT_WIDTH.
 * On the page (`timeline`) the figure then follows its own width: a ResizeObserver
 * redraws the shown state, at most once per animation frame, whenever the width
 * changes by a pixel or more (and stops once the figure has left the document).
 */
export function mapFigure(
  item: MapItem,
  doc: Document,
  { timeline, width }: { timeline: boolean; width?: number | undefined },
): HTMLElement {
  const m = checkMapItem(item);
  let drawn =
    width !== undefined && width > 0 ? width : timeline && measured > 0 ? measured : DEFAULT_WIDTH + 4;
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
  showFrame(fig, m, last, scale, drawn - 4);
  const win = doc.defaultView;
  if (timeline && win && typeof win.ResizeObserver === "function") {
    let pending = false;
    const observer = new win.ResizeObserver(() => {
      if (pending) return;
      pending = true;
      win.requestAnimationFrame(() => {
        pending = false;
        if (!fig.isConnected) return observer.disconnect();
        const w = fig.clientWidth;
        if (w <= 0) return;
        measured = w;
        if (Math.abs(w - drawn) < 1) return;
        drawn = w;
        showFrame(fig, m, Number(fig.dataset["frame"] ?? last), scale, drawn - 4);
      });
    });
    observer.observe(fig);
  }
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
    input.addEventListener("input", () => {
      if (pending || !win) return;
      pending = true;
      win.requestAnimationFrame(() => {
        pending = false;
        const i = Number(input.value);
        showFrame(fig, m, i, scale, drawn - 4);
        out.textContent = frameLabel(m, i);
      });
    });
  }
  return fig;
}
