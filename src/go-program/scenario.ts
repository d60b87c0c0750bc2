/**
 * Scenario files: parsing, validation and the list of snapshot labels, as the
 * Go program generator (generate.ts) needs them: the go-truth harness
 * (tools/go-truth/) and /your-map/ check scenarios here before a program is
 * written.
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
 *   sleep           time.Sleep(ms * time.Millisecond)
 *   freeOSMemory    debug.FreeOSMemory()  (a collection, then every free page returned)
 *   setMemoryLimit  debug.SetMemoryLimit(bytes)
 *   setGCPercent    debug.SetGCPercent(percent)  (−1: the collector off)
 *
 * insert and delete take an optional `step` (i = from, from+step, … < to).
 * Top-level `name` and `description` are carried into the golden file's
 * definition and otherwise ignored.
 *
 * insert and delete take an optional `every` (with `label`, default the op's
 * name): a snapshot labelled `LABEL@N` after every `every` iterations, N
 * counting the iterations of that step (1-based), so for `from: 0` N is the
 * number of keys handled so far.
 *
 * Strings and slices take their lengths from the optional top-level "lengths":
 * { "key": LengthSpec, "elem": LengthSpec } (src/model/types.ts documents the
 * format; README.md has examples): without it a string is 16 bytes, a slice nil.
 *
 * The map starts nil, as a package-level `var m map[K]V` does. Validation is
 * strict so that a typo fails loudly: unknown fields, an insert into a nil map,
 * `to < from`, duplicate snapshot labels are all errors — checked by the model's
 * own validator (src/model/scenario.ts), so harness and model accept the same
 * files. Every error is a
 * ScenarioError whose message starts with the offending field's path, e.g.
 * `steps[4].to: must be ≥ from (0), got -1`.
 */

import {
  checkScenario as checkModelScenario,
  iterations,
  ScenarioError,
  type Step,
} from "../model/scenario.ts";
import type { LengthSpec } from "../model/types.ts";
import { keyProblem, parseType, UnsupportedTypeError, type HarnessType } from "./go-type.ts";

/** A scenario's steps are the model's (src/model/scenario.ts): one format. */
export type { Step };

export interface Scenario {
  /** The scenario's own name and what it shows: carried along, not run. */
  readonly name?: string;
  readonly description?: string;
  readonly go?: string;
  readonly key: string;
  readonly elem: string;
  readonly steps: readonly Step[];
  /** Typical lengths of the strings and slices in key and elem (src/model/types.ts LengthSpec). */
  readonly lengths?: ScenarioLengths;
}

/** The file's "lengths" field, as the model's validator accepted it. */
export interface ScenarioLengths {
  readonly key?: LengthSpec;
  readonly elem?: LengthSpec;
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

/** Validation errors are the model's (src/model/scenario.ts): one format, one validator. */
export { ScenarioError };

const FALLBACK_RELEASE = "1.23"; // validates a file that names no release (--go gives it one)

/** Parses the text of a scenario file; throws ScenarioError naming the bad field. */
export function parseScenario(text: string): CheckedScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError("(file)", `not valid JSON (${(e as Error).message.split("\n")[0] ?? ""})`);
  }
  return checkScenario(raw);
}

/**
 * Validates an already-parsed scenario value. The structure, the limits and every
 * error message come from the model's validator, so the harness records exactly
 * the files the model can run; this adds only what generating a Go program needs.
 */
export function checkScenario(raw: unknown): CheckedScenario {
  const hasRelease = isRecord(raw) && raw["go"] !== undefined;
  const checked = checkModelScenario(raw, hasRelease ? undefined : FALLBACK_RELEASE);
  const file = raw as Record<string, unknown>;
  const keyType = harnessType(file["key"] as string, "key");
  const why = keyProblem(keyType);
  if (why !== null) throw new ScenarioError("key", why);
  const elemType = harnessType(file["elem"] as string, "elem");

  const steps = checked.steps;
  const labels: string[] = [];
  const afterGC: boolean[] = [];
  let collected = false; // a gc came after the last map operation
  let size = 0; // an upper bound on len(m), for counting recreate's copies
  let operations = 0;
  for (const step of steps) {
    switch (step.op) {
      case "gc":
      case "freeOSMemory": // FreeOSMemory runs a full collection first
        collected = true;
        break;
      case "sleep":
      case "setMemoryLimit":
      case "setGCPercent":
        // Nothing is allocated: a snapshot after a gc stays a post-GC one (a
        // collection the runtime starts meanwhile finds the same live heap).
        break;
      case "snapshot":
        labels.push(step.label);
        afterGC.push(collected);
        break;
      case "insert":
      case "delete": {
        const count = iterations(step.from, step.to, step.step);
        if (step.every !== undefined) {
          const base = step.label ?? step.op;
          for (let n = step.every; n <= count; n += step.every) {
            labels.push(`${base}@${n}`);
            afterGC.push(false);
          }
        }
        operations += count;
        if (step.op === "insert") size += count;
        collected = false;
        break;
      }
      case "recreate":
        operations += size;
        collected = false;
        break;
      case "make":
      case "drop":
      case "clear":
        size = 0;
        collected = false;
        break;
    }
  }
  const scenario: Scenario = {
    ...(typeof file["name"] === "string" ? { name: file["name"] } : {}),
    ...(typeof file["description"] === "string" ? { description: file["description"] } : {}),
    ...(typeof file["go"] === "string" ? { go: file["go"] } : {}),
    key: file["key"] as string,
    elem: file["elem"] as string,
    steps,
    ...(checked.lengths !== undefined ? { lengths: checked.lengths } : {}),
  };
  return { scenario, keyType, elemType, labels, afterGC, operations };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function harnessType(v: string, field: string): HarnessType {
  try {
    return parseType(v);
  } catch (e) {
    if (e instanceof UnsupportedTypeError) throw new ScenarioError(field, e.message);
    throw e;
  }
}
