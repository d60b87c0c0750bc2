/**
 * The state of /your-map/: every input of the estimator, its defaults, its place in
 * the page's URL, and what is wrong with it.
 *
 * One object describes an estimate completely, so that a link reproduces it:
 *
 *   ?key=string&value=%5B128%5Dbyte&n=1000000&w=drain&keep=1&go=1.23
 *   &len.value.Name=24          a string's typical length
 *   &len.value.Tags=4,8         a slice's typical length and capacity
 *
 * Two kinds of trouble, kept apart:
 *   - a URL value that cannot be read (not a number, an unknown workload or release)
 *     is a *notice*: the default is used instead, and the page says which were ignored;
 *   - an input the model cannot estimate (a type it does not lay out, a map too large
 *     for a browser tab) is a *problem* tied to the control that caused it, by that
 *     control's field name, so the page can show it next to the control.
 *
 * Pure (no DOM) and light: the page imports it without the model. Problems need the
 * model's type rules and are found in the worker (check.ts).
 */
import { goVersions, isGoVersion } from "../model/versions.ts";
import type { GoVersion } from "../model/contract.ts";
import { lengthSlots, readShape, type LengthSlot } from "./go-syntax.ts";

export type Workload =
  /** Fill to the peak, then delete down to `keep` percent of it. */
  | { readonly kind: "drain"; readonly keep: number }
  /** Fill to the peak, then `rounds` times replace `turnover` percent of the entries. */
  | { readonly kind: "window"; readonly rounds: number; readonly turnover: number }
  /** `base` entries; each of `days` days rises to the peak and falls back to base. */
  | { readonly kind: "spike"; readonly base: number; readonly days: number };

export interface Length {
  readonly len: number;
  /** Capacity of a slice's backing array (= len for strings). */
  readonly cap: number;
}

export interface YourMapState {
  readonly key: string;
  readonly value: string;
  /** Typical length of every string and slice, by path (go-syntax.ts). */
  readonly lengths: Readonly<Record<string, Length>>;
  /** Peak entries. */
  readonly peak: number;
  readonly workload: Workload;
  readonly go: GoVersion;
}

/** A field of the form: the control a problem is shown next to. */
export type Field =
  "key" | "value" | "peak" | "go" | "keep" | "rounds" | "turnover" | "base" | "days" | `len:${string}`;

export interface Problem {
  readonly field: Field;
  readonly message: string;
}

/** A string's default length: the scenario strings of every recording (src/model/types.ts STRING_DATA). */
export const DEFAULT_STRING_BYTES = 16;

export const LIMITS = {
  /** Peak entries a browser tab can hold in the model's typed arrays, with room for its fixes. */
  peak: 20_000_000,
  /** Largest heap an estimate may reach: beyond it no real machine holds the map either. */
  heapBytes: 256 * 2 ** 30,
  rounds: 200,
  days: 30,
  length: 1 << 20,
} as const;

export const DEFAULT_STATE: YourMapState = Object.freeze({
  key: "string",
  value: "[128]byte",
  lengths: Object.freeze({ key: { len: DEFAULT_STRING_BYTES, cap: DEFAULT_STRING_BYTES } }),
  peak: 1_000_000,
  workload: Object.freeze({ kind: "drain", keep: 1 }) as Workload,
  go: "1.23",
});

export const DEFAULT_WORKLOADS = {
  drain: { kind: "drain", keep: 1 },
  window: { kind: "window", rounds: 10, turnover: 10 },
  spike: { kind: "spike", base: 100_000, days: 3 },
} as const satisfies Record<Workload["kind"], Workload>;

/** The string and slice parts of the key and value types that parse (none of one that does not). */
export function slotsOf(key: string, value: string): LengthSlot[] {
  const one = (src: string, root: string): LengthSlot[] => {
    try {
      return lengthSlots(readShape(src), root);
    } catch {
      return [];
    }
  };
  return [...one(key, "key"), ...one(value, "value")];
}

/** The default length of a slot: Go's 16-byte scenario string, a slice of 4. */
export function defaultLength(slot: LengthSlot): Length {
  return slot.kind === "string"
    ? { len: DEFAULT_STRING_BYTES, cap: DEFAULT_STRING_BYTES }
    : { len: 4, cap: 4 };
}

/** The state's lengths for exactly the slots its types have, defaults filled in. */
export function lengthsFor(state: Pick<YourMapState, "key" | "value" | "lengths">): Record<string, Length> {
  const out: Record<string, Length> = {};
  for (const slot of slotsOf(state.key, state.value))
    out[slot.path] = state.lengths[slot.path] ?? defaultLength(slot);
  return out;
}

// ── The URL ──────────────────────────────────────────────────────────────────────

/** The state as URL search parameters (defaults included: a link states everything). */
export function toQuery(state: YourMapState): string {
  const q = new URLSearchParams();
  q.set("key", state.key);
  q.set("value", state.value);
  for (const [path, l] of Object.entries(lengthsFor(state)))
    q.set(`len.${path}`, l.cap === l.len ? String(l.len) : `${l.len},${l.cap}`);
  q.set("n", String(state.peak));
  const w = state.workload;
  q.set("w", w.kind);
  if (w.kind === "drain") q.set("keep", String(w.keep));
  if (w.kind === "window") {
    q.set("rounds", String(w.rounds));
    q.set("turnover", String(w.turnover));
  }
  if (w.kind === "spike") {
    q.set("base", String(w.base));
    q.set("days", String(w.days));
  }
  q.set("go", state.go);
  return q.toString();
}

const MAX_TYPE_CHARS = 500; // a type longer than this is not one a reader typed

/**
 * The state a URL describes. Values that cannot be read are replaced by defaults and
 * listed in `ignored` (parameter name and why), for the page's notice.
 */
export function fromQuery(search: string): { state: YourMapState; ignored: string[] } {
  const q = new URLSearchParams(search);
  const ignored: string[] = [];
  const d = DEFAULT_STATE;
  const text = (name: string, fallback: string): string => {
    const v = q.get(name);
    if (v === null) return fallback;
    if (v.trim() === "" || v.length > MAX_TYPE_CHARS) {
      ignored.push(`${name} (${v.trim() === "" ? "empty" : "too long"})`);
      return fallback;
    }
    return v;
  };
  const num = (name: string, fallback: number, integer = true): number => {
    const v = q.get(name);
    if (v === null) return fallback;
    const x = Number(v.replaceAll("_", ""));
    if (v.trim() === "" || !Number.isFinite(x) || (integer && !Number.isSafeInteger(x))) {
      ignored.push(`${name}=${v.slice(0, 40)} (not ${integer ? "a whole number" : "a number"})`);
      return fallback;
    }
    return x;
  };
  const key = text("key", d.key);
  const value = text("value", d.value);
  const lengths: Record<string, Length> = {};
  for (const slot of slotsOf(key, value)) {
    const name = `len.${slot.path}`;
    const v = q.get(name);
    if (v === null) continue;
    const m = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(v);
    if (m === null) {
      ignored.push(`${name}=${v.slice(0, 40)} (not a length, or length,capacity)`);
      continue;
    }
    const len = Number(m[1]);
    lengths[slot.path] = { len, cap: m[2] === undefined ? len : Number(m[2]) };
  }
  const peak = num("n", d.peak);
  const kind = q.get("w") ?? d.workload.kind;
  let workload: Workload;
  switch (kind) {
    case "drain":
      workload = { kind, keep: num("keep", DEFAULT_WORKLOADS.drain.keep, false) };
      break;
    case "window":
      workload = {
        kind,
        rounds: num("rounds", DEFAULT_WORKLOADS.window.rounds),
        turnover: num("turnover", DEFAULT_WORKLOADS.window.turnover, false),
      };
      break;
    case "spike":
      workload = {
        kind,
        base: num("base", Math.min(DEFAULT_WORKLOADS.spike.base, Math.floor(peak / 10))),
        days: num("days", DEFAULT_WORKLOADS.spike.days),
      };
      break;
    default:
      ignored.push(`w=${kind.slice(0, 40)} (not drain, window or spike)`);
      workload = d.workload;
  }
  const goRaw = q.get("go") ?? d.go;
  let go = d.go;
  if (isGoVersion(goRaw)) go = goRaw;
  else ignored.push(`go=${goRaw.slice(0, 40)} (not one of ${goVersions.join(", ")})`);
  return { state: { key, value, lengths, peak, workload, go }, ignored };
}

/**
 * The state a message carries, rebuilt field by field: whatever else the object holds
 * is dropped, and anything of the wrong kind becomes the default (the worker's door).
 */
export function checkState(raw: unknown): YourMapState {
  if (typeof raw !== "object" || raw === null) return DEFAULT_STATE;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown, d: string): string =>
    typeof v === "string" && v.length <= MAX_TYPE_CHARS ? v : d;
  const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
  const key = str(r["key"], DEFAULT_STATE.key);
  const value = str(r["value"], DEFAULT_STATE.value);
  const rawLengths =
    typeof r["lengths"] === "object" && r["lengths"] !== null
      ? (r["lengths"] as Record<string, unknown>)
      : {};
  const lengths: Record<string, Length> = {};
  for (const slot of slotsOf(key, value)) {
    const l = rawLengths[slot.path];
    if (typeof l !== "object" || l === null) continue;
    const { len, cap } = l as Record<string, unknown>;
    lengths[slot.path] = { len: num(len, 0), cap: num(cap, num(len, 0)) };
  }
  const w =
    typeof r["workload"] === "object" && r["workload"] !== null
      ? (r["workload"] as Record<string, unknown>)
      : {};
  let workload: Workload;
  if (w["kind"] === "window")
    workload = {
      kind: "window",
      rounds: num(w["rounds"], DEFAULT_WORKLOADS.window.rounds),
      turnover: num(w["turnover"], DEFAULT_WORKLOADS.window.turnover),
    };
  else if (w["kind"] === "spike")
    workload = {
      kind: "spike",
      base: num(w["base"], DEFAULT_WORKLOADS.spike.base),
      days: num(w["days"], DEFAULT_WORKLOADS.spike.days),
    };
  else workload = { kind: "drain", keep: num(w["keep"], DEFAULT_WORKLOADS.drain.keep) };
  const go = isGoVersion(r["go"]) ? r["go"] : DEFAULT_STATE.go;
  return { key, value, lengths, peak: num(r["peak"], DEFAULT_STATE.peak), workload, go };
}
