import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkScenario, parseScenario, ScenarioError } from "../../src/go-program/scenario.ts";

const SCENARIOS = join(import.meta.dirname, "../scenarios");

function errorOf(raw: unknown): string {
  try {
    checkScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

const ok = { key: "int", elem: "int", steps: [{ op: "make" }, { op: "snapshot", label: "a" }] };

describe("scenario validation", () => {
  it("expands every into LABEL@N snapshots, N counting the step's iterations", () => {
    const c = checkScenario({
      key: "int",
      elem: "int",
      steps: [
        { op: "make" },
        { op: "insert", from: 10, to: 40, every: 10, label: "ins" },
        { op: "delete", from: 0, to: 5, every: 2 },
        { op: "snapshot", label: "end" },
      ],
    });
    expect(c.labels).toEqual(["ins@10", "ins@20", "ins@30", "delete@2", "delete@4", "end"]);
    expect(c.operations).toBe(35);
    expect(c.afterGC).toEqual([false, false, false, false, false, false]);
  });

  it("marks the snapshots that directly follow a gc step", () => {
    const c = checkScenario({
      key: "int",
      elem: "int",
      steps: [
        { op: "gc" },
        { op: "snapshot", label: "a" },
        { op: "snapshot", label: "b" },
        { op: "make" },
        { op: "snapshot", label: "c" },
        { op: "gc" },
        { op: "snapshot", label: "d" },
      ],
    });
    expect(c.afterGC).toEqual([true, true, false, true]);
  });

  it.each([
    [
      { ...ok, steps: [{ op: "make" }, { op: "insert", from: 5, to: 4 }] },
      "steps[1].to: must be ≥ from (5), got 4",
    ],
    [{ ...ok, steps: [{ op: "explode" }] }, "steps[0].op: unknown op"],
    [{ ...ok, steps: [{ op: "insert", from: 0, to: 1 }] }, "steps[0].op: insert into a nil map"],
    [{ ...ok, steps: [{ op: "make", hint: -1 }] }, "steps[0].hint: must be between 0"],
    [{ ...ok, steps: [{ op: "make", hnt: 1 }] }, "steps[0].hnt: unknown field"],
    [{ ...ok, steps: [{ op: "snapshot" }] }, "steps[0].label: must be a non-empty string"],
    [
      {
        ...ok,
        steps: [
          { op: "snapshot", label: "x" },
          { op: "snapshot", label: "x" },
        ],
      },
      "steps[1].label: duplicate",
    ],
    [{ ...ok, key: "map[int]int" }, 'key: unsupported Go type "map[int]int"'],
    [{ ...ok, key: "*int" }, 'key: unsupported key type "*int"'],
    [{ ...ok, elem: "[3]complex128" }, 'elem: unsupported Go type "[3]complex128"'],
    [{ ...ok, go: "1.18" }, "go: must be one of"],
    [{ ...ok, steps: [] }, "steps: must be a non-empty array"],
    [{ ...ok, extra: 1 }, "extra: unknown field"],
  ])("rejects %j naming the field", (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });

  it("reports malformed JSON as a file-level error", () => {
    expect(() => parseScenario("{")).toThrow(/^\(file\): not valid JSON/);
  });

  it("accepts every committed scenario, and there are at least 22 of them", () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(22);
    for (const f of files) {
      const c = parseScenario(readFileSync(join(SCENARIOS, f), "utf8"));
      expect(c.labels.length, f).toBeGreaterThan(0);
      expect(c.operations, f).toBeLessThanOrEqual(3_000_000);
    }
  });
});
