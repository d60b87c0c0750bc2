/**
 * A map picture's data on the drawing side: checked, then put into words.
 *
 * The frames of a map item come from the kernel (mapView, liveMapView), so nothing in
 * them is trusted: checkFrame() copies each one into fresh typed arrays, keeping only
 * what a view of the model can be — the kind is "classic" or "swiss", every count a
 * non-negative integer below 2^32, every array of the length its header implies and
 * at most MAX_BINS long, a slot state 0, 1 or 2 — and throws a MapViewError naming
 * the first field that is not. Only checked frames reach map-view-svg.ts, which draws
 * them with the site's own code; no markup or function of the cell is involved.
 *
 * summarize() is the picture's text alternative: one sentence (the caption) and the
 * rows of a small table, both from the same checked frame as the picture.
 */
import type { ClassicOldView, ClassicView, MapView, SwissView } from "../model/contract.ts";
import { formatNumber } from "./format.ts";
import type { MapFrame, OutputItem } from "./protocol.ts";

export type MapItem = Extract<OutputItem, { kind: "map" }>;

/** Most marks one array of a frame may hold (the kernel sends at most MAP_BINS, 2,048). */
export const MAX_BINS = 65_536;
/** Most frames one item may hold (the kernel records at most MAX_FRAMES). */
export const MAX_ITEM_FRAMES = 1_000;
const MAX_TITLE = 80;

export class MapViewError extends Error {
  override name = "MapViewError";
}

type Rec = Record<string, unknown>;

function num(o: Rec, key: string, max = 2 ** 32): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= max)
    throw new MapViewError(`map picture: ${key} is not a count (${typeof v})`);
  return v;
}

function flag(o: Rec, key: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw new MapViewError(`map picture: ${key} is not true or false`);
  return v;
}

function counts<T extends Uint32Array | Uint8Array>(
  o: Rec,
  key: string,
  length: number,
  make: (n: number) => T,
  max = 2 ** 32,
): T {
  const v = o[key] as ArrayLike<unknown> | null | undefined;
  if (v === null || typeof v !== "object" || typeof v.length !== "number")
    throw new MapViewError(`map picture: ${key} is not an array`);
  if (v.length !== length || length > MAX_BINS)
    throw new MapViewError(`map picture: ${key} has ${v.length} marks, expected ${length}`);
  const out = make(length);
  for (let i = 0; i < length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= max)
      throw new MapViewError(`map picture: ${key}[${i}] is not a count`);
    out[i] = x;
  }
  return out;
}

const u32 = (n: number): Uint32Array => new Uint32Array(n);
const u8 = (n: number): Uint8Array => new Uint8Array(n);

function bins(B: number, per: number): number {
  if (per < 1 || (per & (per - 1)) !== 0) throw new MapViewError("map picture: per is not a power of two");
  return Math.ceil(2 ** B / per);
}

function checkClassic(o: Rec): ClassicView {
  const B = num(o, "B", 64);
  const per = num(o, "per", 2 ** 31);
  const n = bins(B, per);
  let old: ClassicOldView | null = null;
  const ov = o["old"];
  if (ov !== null) {
    if (typeof ov !== "object" || ov === undefined)
      throw new MapViewError("map picture: old is not an object");
    const r = ov as Rec;
    const oB = num(r, "B", 64);
    const oper = num(r, "per", 2 ** 31);
    const on = bins(oB, oper);
    old = {
      B: oB,
      nevacuate: num(r, "nevacuate"),
      sameSizeGrow: flag(r, "sameSizeGrow"),
      per: oper,
      entries: counts(r, "entries", on, u32),
      evacuated: counts(r, "evacuated", on, u32),
      toX: counts(r, "toX", on, u32),
      toY: counts(r, "toY", on, u32),
    };
  }
  return {
    kind: "classic",
    B,
    count: num(o, "count"),
    noverflow: num(o, "noverflow"),
    bytes: num(o, "bytes", 2 ** 53),
    bucketsBytes: num(o, "bucketsBytes", 2 ** 53),
    oldbucketsBytes: num(o, "oldbucketsBytes", 2 ** 53),
    overflowBuckets: num(o, "overflowBuckets"),
    preallocated: num(o, "preallocated"),
    preallocatedUsed: num(o, "preallocatedUsed"),
    per,
    entries: counts(o, "entries", n, u32),
    overflow: counts(o, "overflow", n, u32),
    old,
  };
}

function checkSwiss(o: Rec): SwissView {
  const tables = num(o, "tables");
  const perTable = num(o, "perTable", 2 ** 31);
  if (perTable < 1) throw new MapViewError("map picture: perTable is 0");
  const rows = Math.ceil(tables / perTable);
  const capacity = counts(o, "capacity", rows, u32);
  const total = capacity.reduce((a, c) => a + c, 0);
  const small = flag(o, "small");
  const slotsRaw = o["slots"];
  let slots: Uint8Array | null = null;
  if (slotsRaw !== null) {
    const len = (slotsRaw as ArrayLike<unknown> | undefined)?.length;
    if (typeof len !== "number" || (!small && len !== total) || (small && len > 8))
      throw new MapViewError("map picture: slots do not match the tables");
    slots = counts(o, "slots", len, u8, 3);
  }
  return {
    kind: "swiss",
    small,
    globalDepth: num(o, "globalDepth", 64),
    dirLen: num(o, "dirLen"),
    used: num(o, "used"),
    tombstones: num(o, "tombstones"),
    tables,
    perTable,
    bytes: num(o, "bytes", 2 ** 53),
    capacity,
    tableUsed: counts(o, "tableUsed", rows, u32),
    tableTombstones: counts(o, "tableTombstones", rows, u32),
    localDepth: counts(o, "localDepth", rows, u8, 256),
    dirEntries: counts(o, "dirEntries", rows, u32),
    slots,
  };
}

/** A frame reduced to what a view can be; throws MapViewError otherwise. */
export function checkFrame(frame: unknown): MapFrame {
  if (frame === null || typeof frame !== "object")
    throw new MapViewError("map picture: a frame is not an object");
  const f = frame as Rec;
  const ops = num(f, "ops", 2 ** 53);
  const v = f["view"];
  if (v === null || typeof v !== "object") throw new MapViewError("map picture: a frame has no view");
  const kind = (v as Rec)["kind"];
  if (kind === "classic") return { ops, view: checkClassic(v as Rec) };
  if (kind === "swiss") return { ops, view: checkSwiss(v as Rec) };
  throw new MapViewError("map picture: the view is neither classic nor swiss");
}

export interface CheckedMap {
  id: number;
  title: string;
  every: number;
  done: boolean;
  frames: MapFrame[];
}

export function checkMapItem(item: MapItem): CheckedMap {
  const raw = item as unknown as Rec;
  const frames = raw["frames"];
  if (!Array.isArray(frames) || frames.length === 0 || frames.length > MAX_ITEM_FRAMES)
    throw new MapViewError("map picture: no frames, or too many");
  return {
    id: num(raw, "id"),
    title: String(raw["title"]).slice(0, MAX_TITLE),
    every: num(raw, "every", 2 ** 53),
    done: flag(raw, "done"),
    frames: frames.map(checkFrame),
  };
}

const KiB = 1024;
/** Bytes as B, KiB or MiB with one decimal. */
export function bytesText(n: number): string {
  if (n < KiB) return `${formatNumber(n)} B`;
  if (n < KiB * KiB) return `${(n / KiB).toFixed(1)} KiB`;
  return `${(n / KiB / KiB).toFixed(1)} MiB`;
}

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] ?? 0;
  return s;
};

export interface Summary {
  sentence: string;
  rows: [string, string][];
}

function classicSummary(v: ClassicView): Summary {
  const nb = 2 ** v.B;
  const rows: [string, string][] = [
    ["buckets (2^B)", `2^${v.B} = ${formatNumber(nb)}`],
    ["entries (count)", formatNumber(v.count)],
    ["entries per bucket", (v.count / nb).toFixed(2)],
    ["overflow buckets", formatNumber(v.overflowBuckets)],
    ["preallocated overflow used", `${formatNumber(v.preallocatedUsed)} of ${formatNumber(v.preallocated)}`],
  ];
  let growth = "not growing";
  if (v.old !== null) {
    const o = v.old;
    const evac = sum(o.evacuated);
    const x = sum(o.toX);
    const y = sum(o.toY);
    growth = `growing from 2^${o.B}: ${formatNumber(evac)} of ${formatNumber(2 ** o.B)} old buckets evacuated (nevacuate ${formatNumber(o.nevacuate)}), ${formatNumber(x)} entries moved to X, ${formatNumber(y)} to Y`;
    rows.push(
      [
        "old buckets (2^oldB)",
        `2^${o.B} = ${formatNumber(2 ** o.B)}${o.sameSizeGrow ? ", same-size growth" : ""}`,
      ],
      ["evacuated (nevacuate)", `${formatNumber(evac)} (${formatNumber(o.nevacuate)})`],
      ["entries moved to X / Y", `${formatNumber(x)} / ${formatNumber(y)}`],
      ["entries not yet moved", formatNumber(sum(o.entries))],
    );
  }
  rows.push(["bytes held", bytesText(v.bytes)]);
  const marks = v.per > 1 ? ` (one mark per ${formatNumber(v.per)} buckets)` : "";
  return {
    sentence: `${formatNumber(v.count)} entries in 2^${v.B} = ${formatNumber(nb)} buckets${marks}, ${formatNumber(v.overflowBuckets)} overflow buckets; ${growth}; ${bytesText(v.bytes)}.`,
    rows,
  };
}

function swissSummary(v: SwissView): Summary {
  const slots = sum(v.capacity);
  if (v.small) {
    const full = v.slots === null ? v.used : v.slots.filter((s) => s === 1).length;
    return {
      sentence: `A small map: one group of 8 slots, ${formatNumber(full)} full, no directory and no tables; ${bytesText(v.bytes)}.`,
      rows: [
        ["groups", v.slots === null || v.slots.length === 0 ? "none yet" : "1 (small map)"],
        ["entries (used)", formatNumber(v.used)],
        ["bytes held", bytesText(v.bytes)],
      ],
    };
  }
  let lo = 255;
  let hi = 0;
  for (const d of v.localDepth) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const depths = lo === hi ? `${lo}` : `${lo}–${hi}`;
  return {
    sentence: `${formatNumber(v.used)} entries in ${formatNumber(v.tables)} tables of ${formatNumber(slots)} slots (${formatNumber(slots / 8)} groups of 8), ${formatNumber(v.tombstones)} tombstones; directory of 2^${v.globalDepth} = ${formatNumber(v.dirLen)} entries, local depth ${depths}; ${bytesText(v.bytes)}.`,
    rows: [
      ["directory (2^globalDepth)", `2^${v.globalDepth} = ${formatNumber(v.dirLen)}`],
      ["tables (localDepth)", `${formatNumber(v.tables)} (${depths})`],
      ["slots (groups)", `${formatNumber(slots)} (${formatNumber(slots / 8)})`],
      ["entries (used)", formatNumber(v.used)],
      ["tombstones (deleted)", formatNumber(v.tombstones)],
      ["empty slots", formatNumber(slots - v.used - v.tombstones)],
      ["bytes held", bytesText(v.bytes)],
    ],
  };
}

export function summarize(view: MapView): Summary {
  return view.kind === "classic" ? classicSummary(view) : swissSummary(view);
}
