/**
 * Scenarios: a straight-line program over one map, run on the model.
 *
 * The same file format the ground-truth harness runs on real Go
 * (test/scenarios/*.json; src/go-program/scenario.ts documents the Go each op becomes):
 *
 *   { "go": "1.23", "key": "int", "elem": "[128]byte",
 *     "steps": [ {"op": "gc"}, {"op": "snapshot", "label": "base"}, {"op": "make"},
 *                {"op": "insert", "from": 0, "to": 1000000, "every": 50000, "label": "ins"}, … ] }
 *
 * Strings and slices in the key and elem take their typical lengths from an optional
 * top-level "lengths": { "key": LengthSpec, "elem": LengthSpec } (types.ts documents
 * LengthSpec; without it strings are 16 bytes and slices empty), e.g.
 *
 *   { "key": "string", "elem": "struct{ ID int64; Tags []string }",
 *     "lengths": { "key": { "len": 64 }, "elem": { "Tags": { "len": 3, "cap": 4, "elem": { "len": 8 } } } },
 *     "steps": [ … ] }
 *
 * Ops: make (optional hint; the previous map becomes garbage), insert/delete over
 * i = from, from+step, … < to (step defaults to 1; optional every + label: a snapshot
 * `LABEL@N` after every `every` iterations, N counted from 1 within the step), clear,
 * gc, recreate, drop, snapshot, and the process-memory ops: sleep (ms of virtual time:
 * the scavenger and sysmon's forced collection act, nothing really waits),
 * freeOSMemory (debug.FreeOSMemory), setMemoryLimit (debug.SetMemoryLimit, bytes) and
 * setGCPercent (debug.SetGCPercent, −1 turns the collector off). Top-level `name` and
 * `description` strings are accepted and ignored.
 *
 * This module is pure (no Node APIs): the notebook runs it in a Web Worker. Every
 * validation error is a ScenarioError whose message starts with the offending field,
 * e.g. `steps[4].to: must be ≥ from (0), got -1`.
 */
import type { GoType, GoVersion, MapInternals } from "./contract.ts";
import {
  checkKeyType,
  goRuntime,
  keyCapacity,
  type GoMap,
  type GoRuntime,
  type MapLengths,
} from "./runtime.ts";
import { parseType, withLengths, type LengthSpec } from "./types.ts";
import { goVersions, isGoVersion } from "./versions.ts";

export type Step =
  | { readonly op: "make"; readonly hint?: number }
  | {
      readonly op: "insert" | "delete";
      readonly from: number;
      readonly to: number;
      /** i = from, from+step, … < to; default 1. */
      readonly step?: number;
      readonly every?: number;
      readonly label?: string;
    }
  | { readonly op: "clear" | "gc" | "recreate" | "drop" | "freeOSMemory" }
  | { readonly op: "snapshot"; readonly label: string }
  | { readonly op: "sleep"; readonly ms: number }
  | { readonly op: "setMemoryLimit"; readonly bytes: number }
  | { readonly op: "setGCPercent"; readonly percent: number };

export interface Scenario {
  readonly go: GoVersion;
  readonly key: GoType;
  readonly elem: GoType;
  readonly steps: readonly Step[];
  /** The file's "lengths", already bound into key and elem (their `objects`). */
  readonly lengths?: MapLengths;
}

/** One line of output: a snapshot. */
export interface SnapshotRow {
  label: string;
  heapAlloc: number;
  len: number;
  numGC: number;
  nextGC: number;
  heapObjects: number;
  /** runtime.MemStats.HeapInuse: bytes in in-use spans. */
  heapInuse: number;
  /** runtime.MemStats.HeapIdle: HeapSys − HeapInuse. */
  heapIdle: number;
  /** runtime.MemStats.HeapReleased: idle bytes returned to the OS. */
  heapReleased: number;
  /** runtime.MemStats.HeapSys: heap bytes obtained from the OS. */
  heapSys: number;
  /** runtime.MemStats.Sys: all bytes obtained from the OS. */
  sys: number;
  /** Resident set, as /proc/self/statm's second field × the page size. */
  rss: number;
  /** m == nil at this point. */
  nil: boolean;
  internals: Omit<MapInternals, "occupancy"> | null;
}

export class ScenarioError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

export const MAX_INDEX = 100_000_000; // largest from/to/hint a scenario may name
export const MAX_LIVE_ENTRIES = 50_000_000; // larger maps would not fit a browser tab's memory
export const MAX_SLEEP_MS = 24 * 3600 * 1000; // one virtual day per sleep step
export const MAX_LIMIT_BYTES = Number.MAX_SAFE_INTEGER; // Go's "no limit" is math.MaxInt64; JSON numbers past 2^53 are not exact

const STEP_FIELDS: Record<Step["op"], readonly string[]> = {
  make: ["op", "hint"],
  insert: ["op", "from", "to", "step", "every", "label"],
  delete: ["op", "from", "to", "step", "every", "label"],
  clear: ["op"],
  gc: ["op"],
  recreate: ["op"],
  drop: ["op"],
  snapshot: ["op", "label"],
  sleep: ["op", "ms"],
  freeOSMemory: ["op"],
  setMemoryLimit: ["op", "bytes"],
  setGCPercent: ["op", "percent"],
};

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v))
    throw new ScenarioError(field, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw new ScenarioError(field, `must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** Iterations of `for i := from; i < to; i += step`. */
export function iterations(from: number, to: number, step = 1): number {
  return to <= from ? 0 : Math.ceil((to - from) / step);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function int(v: unknown, field: string, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v))
    throw new ScenarioError(field, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > MAX_INDEX)
    throw new ScenarioError(field, `must be between ${min} and ${MAX_INDEX}, got ${v}`);
  return v;
}

function typeField(v: unknown, field: string): GoType {
  if (typeof v !== "string")
    throw new ScenarioError(field, `must be a Go type as a string, got ${JSON.stringify(v)}`);
  try {
    return parseType(v);
  } catch (e) {
    throw new ScenarioError(field, (e as Error).message);
  }
}

/** Parse and validate scenario text; `go` overrides the file's release. */
export function parseScenario(text: string, go?: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError("(file)", `not valid JSON (${(e as Error).message.split("\n")[0] ?? ""})`);
  }
  return checkScenario(raw, go);
}

/** Validate an already-parsed scenario value. */
export function checkScenario(raw: unknown, goOverride?: string): Scenario {
  if (!isRecord(raw)) throw new ScenarioError("(file)", "must be a JSON object");
  for (const k of Object.keys(raw))
    if (!["go", "key", "elem", "steps", "lengths", "name", "description"].includes(k))
      throw new ScenarioError(k, "unknown field");
  for (const k of ["name", "description"])
    if (raw[k] !== undefined && typeof raw[k] !== "string")
      throw new ScenarioError(k, `must be a string, got ${JSON.stringify(raw[k])}`);
  const goRaw = goOverride ?? raw["go"] ?? "1.23";
  if (!isGoVersion(goRaw)) {
    throw new ScenarioError(
      goOverride !== undefined ? "--go" : "go",
      `must be one of ${goVersions.join(", ")}, got ${JSON.stringify(goRaw)}`,
    );
  }
  const lengths = lengthsField(raw["lengths"]);
  const key = bindLengths(typeField(raw["key"], "key"), lengths.key, "lengths.key");
  try {
    checkKeyType(key);
  } catch (e) {
    throw new ScenarioError("key", (e as Error).message);
  }
  const keyCap = key.kind === "string" || key.kind === "struct" ? keyCapacity(key) : Infinity;
  const elem = bindLengths(typeField(raw["elem"], "elem"), lengths.elem, "lengths.elem");
  const rawSteps = raw["steps"];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0)
    throw new ScenarioError("steps", "must be a non-empty array");
  const steps: Step[] = [];
  const seen = new Set<string>();
  const addLabel = (l: string, field: string): void => {
    if (seen.has(l)) throw new ScenarioError(field, `duplicate snapshot label ${JSON.stringify(l)}`);
    seen.add(l);
  };
  let isNil = true;
  let size = 0; // upper bound on len(m)
  rawSteps.forEach((s: unknown, i: number) => {
    const at = `steps[${i}]`;
    if (!isRecord(s)) throw new ScenarioError(at, "must be an object");
    const op = s["op"];
    if (typeof op !== "string" || !Object.hasOwn(STEP_FIELDS, op)) {
      throw new ScenarioError(
        `${at}.op`,
        `unknown op ${JSON.stringify(op)} (expected one of ${Object.keys(STEP_FIELDS).join(", ")})`,
      );
    }
    const o = op as Step["op"];
    for (const k of Object.keys(s))
      if (!STEP_FIELDS[o].includes(k)) throw new ScenarioError(`${at}.${k}`, `unknown field for op ${o}`);
    switch (o) {
      case "make": {
        const hint = s["hint"] === undefined ? undefined : int(s["hint"], `${at}.hint`, 0);
        if (hint !== undefined && hint > MAX_LIVE_ENTRIES)
          throw new ScenarioError(`${at}.hint`, `a hint over ${MAX_LIVE_ENTRIES} is too large for memory`);
        steps.push(hint === undefined ? { op: o } : { op: o, hint });
        isNil = false;
        size = 0;
        break;
      }
      case "insert":
      case "delete": {
        const from = int(s["from"], `${at}.from`, 0);
        const to = int(s["to"], `${at}.to`, 0);
        if (to < from) throw new ScenarioError(`${at}.to`, `must be ≥ from (${from}), got ${to}`);
        if (o === "insert" && isNil)
          throw new ScenarioError(`${at}.op`, "insert into a nil map (Go panics): add a make step first");
        const stride = s["step"] === undefined ? undefined : int(s["step"], `${at}.step`, 1);
        const count = iterations(from, to, stride);
        if (to > keyCap)
          throw new ScenarioError(
            `${at}.to`,
            `keys of type ${key.name} hold distinct values for i < ${keyCap} only (lengths.key: a longer string gives more), got ${to}`,
          );
        const every = s["every"] === undefined ? undefined : int(s["every"], `${at}.every`, 1);
        const label = s["label"];
        if (label !== undefined && (typeof label !== "string" || label === ""))
          throw new ScenarioError(`${at}.label`, `must be a non-empty string, got ${JSON.stringify(label)}`);
        if (label !== undefined && every === undefined) throw new ScenarioError(`${at}.label`, "needs every");
        if (o === "insert") {
          size = Math.min(size + count, Number.MAX_SAFE_INTEGER);
          if (Math.min(size, to) > MAX_LIVE_ENTRIES)
            throw new ScenarioError(
              `${at}.to`,
              `a map of up to ${count} more entries is too large for memory (limit ${MAX_LIVE_ENTRIES} live entries)`,
            );
        }
        const step: {
          op: typeof o;
          from: number;
          to: number;
          step?: number;
          every?: number;
          label?: string;
        } = { op: o, from, to };
        if (stride !== undefined) step.step = stride;
        if (every !== undefined) {
          step.every = every;
          const base = typeof label === "string" ? label : o;
          for (let n = every; n <= count; n += every) addLabel(`${base}@${n}`, `${at}.label`);
        }
        if (typeof label === "string") step.label = label;
        steps.push(step);
        break;
      }
      case "snapshot": {
        const label = s["label"];
        if (typeof label !== "string" || label === "")
          throw new ScenarioError(`${at}.label`, `must be a non-empty string, got ${JSON.stringify(label)}`);
        addLabel(label, `${at}.label`);
        steps.push({ op: o, label });
        break;
      }
      case "recreate":
        if (isNil) throw new ScenarioError(`${at}.op`, "recreate of a nil map: add a make step first");
        steps.push({ op: o });
        break;
      case "drop":
        isNil = true;
        size = 0;
        steps.push({ op: o });
        break;
      case "clear":
        size = 0;
        steps.push({ op: o });
        break;
      case "gc":
      case "freeOSMemory":
        steps.push({ op: o });
        break;
      case "sleep":
        steps.push({ op: o, ms: intIn(s["ms"], `${at}.ms`, 0, MAX_SLEEP_MS) });
        break;
      case "setMemoryLimit":
        steps.push({ op: o, bytes: intIn(s["bytes"], `${at}.bytes`, 0, MAX_LIMIT_BYTES) });
        break;
      case "setGCPercent":
        steps.push({ op: o, percent: intIn(s["percent"], `${at}.percent`, -1, 1_000_000) });
        break;
    }
  });
  const out = { go: goRaw, key, elem, steps };
  return raw["lengths"] === undefined ? out : { ...out, lengths };
}

function lengthsField(v: unknown): MapLengths {
  if (v === undefined) return {};
  if (!isRecord(v))
    throw new ScenarioError("lengths", `must be an object { "key": …, "elem": … }, got ${JSON.stringify(v)}`);
  for (const k of Object.keys(v))
    if (k !== "key" && k !== "elem")
      throw new ScenarioError(`lengths.${k}`, `unknown field (expected "key" or "elem")`);
  const out: { key?: LengthSpec; elem?: LengthSpec } = {};
  for (const side of ["key", "elem"] as const) {
    const s = v[side];
    if (s === undefined) continue;
    if (!isRecord(s))
      throw new ScenarioError(`lengths.${side}`, `must be an object, got ${JSON.stringify(s)}`);
    out[side] = s as LengthSpec;
  }
  return out;
}

function bindLengths(t: GoType, spec: LengthSpec | undefined, field: string): GoType {
  if (spec === undefined) return t;
  try {
    return withLengths(t, spec);
  } catch (e) {
    throw new ScenarioError(field, (e as Error).message);
  }
}

export interface RunOptions {
  readonly seed?: number;
  /** Called with each snapshot as it is taken (the CLI prints it). */
  readonly onSnapshot?: (row: SnapshotRow) => void;
  /**
   * Whether snapshots read the map's internals (default true). m.internals() walks
   * every bucket of a classic map; a caller that only charts HeapAlloc turns it off.
   */
  readonly internals?: boolean;
}

function snapshot(rt: GoRuntime, m: GoMap | null, label: string, withInternals = true): SnapshotRow {
  let internals: SnapshotRow["internals"] = null;
  if (m !== null && withInternals) {
    const { occupancy: _occ, ...rest } = m.internals() as MapInternals & { occupancy?: unknown };
    internals = rest;
  }
  return { ...sampleRow(rt, m?.len ?? 0, label), nil: m === null, internals };
}

/** A snapshot row of the runtime's figures, for a map of `len` entries (no internals). */
function sampleRow(rt: GoRuntime, len: number, label: string): SnapshotRow {
  const ms = rt.readMemStats();
  return {
    label,
    heapAlloc: ms.HeapAlloc,
    len,
    numGC: ms.NumGC,
    nextGC: ms.NextGC,
    heapObjects: ms.HeapObjects,
    heapInuse: ms.HeapInuse,
    heapIdle: ms.HeapIdle,
    heapReleased: ms.HeapReleased,
    heapSys: ms.HeapSys,
    sys: ms.Sys,
    rss: rt.rss(),
    nil: false,
    internals: null,
  };
}

/** Run a validated scenario; returns every snapshot in order. */
export function runScenario(sc: Scenario, opts: RunOptions = {}): SnapshotRow[] {
  const rt = goRuntime({ go: sc.go, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const rows: SnapshotRow[] = [];
  const emit = (row: SnapshotRow): void => {
    rows.push(row);
    opts.onSnapshot?.(row);
  };
  let m: GoMap | null = null;
  for (const step of sc.steps) {
    switch (step.op) {
      case "make":
        if (m !== null) rt.drop(m);
        m = rt.makeMap(sc.key, sc.elem, step.hint ?? 0);
        break;
      case "insert":
      case "delete": {
        const cur = m;
        if (cur === null) break; // delete on a nil map is a no-op in Go; insert is rejected by validation
        const stride = step.step ?? 1;
        const total = iterations(step.from, step.to, stride);
        const every = step.every ?? total + 1;
        const base = step.label ?? step.op;
        if (step.every !== undefined && opts.internals === false) {
          // A row without internals reads only the runtime and len: one range under a
          // heap-only sampler gives the same rows, and lets a large delete run in
          // memory order (runtime.ts onSample) where chunks of `every` keys could not.
          let n = 0;
          const stop = rt.onSample(every, (s) => emit(sampleRow(rt, s.len, `${base}@${(n += every)}`)), {
            heapOnly: true,
          });
          try {
            if (step.op === "insert") cur.insertRange(step.from, step.to, stride);
            else cur.deleteRange(step.from, step.to, stride);
          } finally {
            stop();
          }
          break;
        }
        for (let done = 0; done < total;) {
          const next = Math.min(total, done + every);
          const from = step.from + done * stride;
          const to = Math.min(step.to, step.from + next * stride);
          if (step.op === "insert") cur.insertRange(from, to, stride);
          else cur.deleteRange(from, to, stride);
          if (step.every !== undefined && next % step.every === 0)
            emit(snapshot(rt, cur, `${base}@${next}`, opts.internals));
          done = next;
        }
        break;
      }
      case "sleep":
        rt.sleep(step.ms);
        break;
      case "freeOSMemory":
        rt.freeOSMemory();
        break;
      case "setMemoryLimit":
        rt.setMemoryLimit(step.bytes);
        break;
      case "setGCPercent":
        rt.setGCPercent(step.percent);
        break;
      case "clear":
        if (m !== null) rt.clear(m);
        break;
      case "gc":
        rt.GC();
        break;
      case "recreate":
        if (m !== null) m = rt.recreate(m);
        break;
      case "drop":
        if (m !== null) rt.drop(m);
        m = null;
        break;
      case "snapshot":
        emit(snapshot(rt, m, step.label, opts.internals));
        break;
    }
  }
  return rows;
}
