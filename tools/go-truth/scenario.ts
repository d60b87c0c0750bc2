/**
 * Scenario files: parsing, validation and the list of snapshot labels.
 *
 * A scenario (test/scenarios/NAME.json) is a straight-line program over one
 * map variable `m`:
 *
 *   { "go": "1.23", "key": "int", "elem": "[128]byte",
 *     "steps": [ {"op": "gc"}, {"op": "snapshot", "label": "base"}, ... ] }
 *
 * Ops, in Go terms:
 *   make      m = make(map[K]V[, hint])      the previous map becomes garbage
 *   insert    for i := from; i < to; i++ { m[key(i)] = elem(i) }
 *   delete    for i := from; i < to; i++ { delete(m, key(i)) }
 *   clear     clear(m)                       (Go 1.21+)
 *   gc        runtime.GC()
 *   recreate  n := make(map[K]V, len(m)); copy m into n; m = n
 *   drop      m = nil
 *   snapshot  runtime.ReadMemStats, labelled `label`
 *
 * insert and delete take an optional `every` (with `label`, default the op's
 * name): a snapshot labelled `LABEL@N` after every `every` iterations, N
 * counting the iterations of that step (1-based), so for `from: 0` N is the
 * number of keys handled so far.
 *
 * The map starts nil, as a package-level `var m map[K]V` does. Validation is
 * strict so that a typo fails loudly: unknown fields, an insert into a nil map,
 * `to < from`, duplicate snapshot labels are all errors. Every error is a
 * ScenarioError whose message starts with the offending field's path, e.g.
 * `steps[4].to: must be ≥ from (0), got -1`.
 */

import { keyProblem, parseType, UnsupportedTypeError, type HarnessType } from "./go-type.ts";

export type Step =
  | { readonly op: "make"; readonly hint?: number }
  | {
      readonly op: "insert" | "delete";
      readonly from: number;
      readonly to: number;
      readonly every?: number;
      readonly label?: string;
    }
  | { readonly op: "clear" | "gc" | "recreate" | "drop" }
  | { readonly op: "snapshot"; readonly label: string };

export interface Scenario {
  readonly go?: string;
  readonly key: string;
  readonly elem: string;
  readonly steps: readonly Step[];
}

export interface CheckedScenario {
  readonly scenario: Scenario;
  readonly keyType: HarnessType;
  readonly elemType: HarnessType;
  /** Every snapshot's label, in the order the program takes them. */
  readonly labels: readonly string[];
  /**
   * For each label: true when the snapshot directly follows a `gc` step (other
   * snapshots in between allowed), so HeapAlloc holds only live memory; false
   * for snapshots taken between collections, which show the GC sawtooth.
   */
  readonly afterGC: readonly boolean[];
  /** Map operations the scenario performs (inserts + deletes + copies). */
  readonly operations: number;
}

export class ScenarioError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const KNOWN_VERSIONS = ["1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27"];
const MAX_INDEX = 100_000_000; // largest from/to/hint accepted: keeps a run within memory
const STEP_FIELDS: Record<Step["op"], readonly string[]> = {
  make: ["op", "hint"],
  insert: ["op", "from", "to", "every", "label"],
  delete: ["op", "from", "to", "every", "label"],
  clear: ["op"],
  gc: ["op"],
  recreate: ["op"],
  drop: ["op"],
  snapshot: ["op", "label"],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function index(v: unknown, field: string, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new ScenarioError(field, `must be an integer, got ${JSON.stringify(v)}`);
  }
  if (v < min || v > MAX_INDEX)
    throw new ScenarioError(field, `must be between ${min} and ${MAX_INDEX}, got ${v}`);
  return v;
}

function label(v: unknown, field: string): string {
  if (typeof v !== "string" || v.length === 0 || v.length > 200) {
    throw new ScenarioError(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}

function goType(v: unknown, field: string): HarnessType {
  if (typeof v !== "string")
    throw new ScenarioError(field, `must be a Go type as a string, got ${JSON.stringify(v)}`);
  try {
    return parseType(v);
  } catch (e) {
    if (e instanceof UnsupportedTypeError) throw new ScenarioError(field, e.message);
    throw e;
  }
}

/** Parses the text of a scenario file; throws ScenarioError naming the bad field. */
export function parseScenario(text: string): CheckedScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError("(file)", `not valid JSON (${(e as Error).message})`);
  }
  return checkScenario(raw);
}

/** Validates an already-parsed scenario value. */
export function checkScenario(raw: unknown): CheckedScenario {
  if (!isRecord(raw)) throw new ScenarioError("(file)", "must be a JSON object");
  for (const k of Object.keys(raw)) {
    if (!["go", "key", "elem", "steps"].includes(k)) throw new ScenarioError(k, "unknown field");
  }
  if (raw["go"] !== undefined && !KNOWN_VERSIONS.includes(raw["go"] as string)) {
    throw new ScenarioError(
      "go",
      `must be one of ${KNOWN_VERSIONS.join(", ")}, got ${JSON.stringify(raw["go"])}`,
    );
  }
  const keyType = goType(raw["key"], "key");
  const why = keyProblem(keyType);
  if (why !== null) throw new ScenarioError("key", why);
  const elemType = goType(raw["elem"], "elem");
  const rawSteps = raw["steps"];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0)
    throw new ScenarioError("steps", "must be a non-empty array");

  const steps: Step[] = [];
  const labels: string[] = [];
  const afterGC: boolean[] = [];
  let collected = false; // no map operation since the last gc step
  const seen = new Set<string>();
  const addLabel = (l: string, field: string): void => {
    if (seen.has(l)) throw new ScenarioError(field, `duplicate snapshot label ${JSON.stringify(l)}`);
    seen.add(l);
    labels.push(l);
    afterGC.push(collected);
  };
  let mapIsNil = true;
  let size = 0; // an upper bound on len(m), for counting recreate's copies
  let operations = 0;

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
    if (o !== "snapshot") collected = o === "gc";
    for (const k of Object.keys(s)) {
      if (!STEP_FIELDS[o].includes(k)) throw new ScenarioError(`${at}.${k}`, `unknown field for op ${o}`);
    }
    switch (o) {
      case "make": {
        const step: Step =
          s["hint"] === undefined ? { op: o } : { op: o, hint: index(s["hint"], `${at}.hint`, 0) };
        steps.push(step);
        mapIsNil = false;
        size = 0;
        break;
      }
      case "insert":
      case "delete": {
        const from = index(s["from"], `${at}.from`, 0);
        const to = index(s["to"], `${at}.to`, 0);
        if (to < from) throw new ScenarioError(`${at}.to`, `must be ≥ from (${from}), got ${to}`);
        if (o === "insert" && mapIsNil) {
          throw new ScenarioError(`${at}.op`, "insert into a nil map (Go panics): add a make step first");
        }
        const every = s["every"] === undefined ? undefined : index(s["every"], `${at}.every`, 1);
        const lbl = s["label"] === undefined ? undefined : label(s["label"], `${at}.label`);
        if (lbl !== undefined && every === undefined) throw new ScenarioError(`${at}.label`, "needs every");
        const step: { op: typeof o; from: number; to: number; every?: number; label?: string } = {
          op: o,
          from,
          to,
        };
        if (every !== undefined) {
          step.every = every;
          const base = lbl ?? o;
          for (let n = every; n <= to - from; n += every) addLabel(`${base}@${n}`, `${at}.label`);
        }
        if (lbl !== undefined) step.label = lbl;
        steps.push(step);
        operations += to - from;
        if (o === "insert") size += to - from;
        break;
      }
      case "snapshot": {
        const lbl = label(s["label"], `${at}.label`);
        addLabel(lbl, `${at}.label`);
        steps.push({ op: o, label: lbl });
        break;
      }
      case "recreate":
        operations += size;
        mapIsNil = false;
        steps.push({ op: o });
        break;
      case "drop":
        mapIsNil = true;
        size = 0;
        steps.push({ op: o });
        break;
      case "clear":
      case "gc":
        steps.push({ op: o });
        break;
    }
  });
  const scenario: Scenario = {
    ...(typeof raw["go"] === "string" ? { go: raw["go"] } : {}),
    key: raw["key"] as string,
    elem: raw["elem"] as string,
    steps,
  };
  return { scenario, keyType, elemType, labels, afterGC, operations };
}
