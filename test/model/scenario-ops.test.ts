import { describe, expect, it } from "vitest";
import { checkScenario, iterations, runScenario, ScenarioError } from "../../src/model/scenario.ts";

const base = { go: "1.23", key: "int", elem: "[128]byte" } as const;

function err(raw: unknown): string {
  try {
    checkScenario(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("scenario process-memory ops", () => {
  it("accepts sleep, freeOSMemory, setMemoryLimit, setGCPercent, step, name and description", () => {
    const sc = checkScenario({
      ...base,
      name: "recreate-idle",
      description: "idle past the forced GC",
      steps: [
        { op: "make" },
        { op: "insert", from: 0, to: 100, step: 3 },
        { op: "setMemoryLimit", bytes: 200 << 20 },
        { op: "setGCPercent", percent: -1 },
        { op: "sleep", ms: 5000 },
        { op: "freeOSMemory" },
        { op: "snapshot", label: "end" },
      ],
    });
    expect(sc.steps.map((s) => s.op)).toEqual([
      "make",
      "insert",
      "setMemoryLimit",
      "setGCPercent",
      "sleep",
      "freeOSMemory",
      "snapshot",
    ]);
    const [row] = runScenario(sc);
    expect(row?.len).toBe(34); // 0, 3, …, 99
    for (const k of ["heapInuse", "heapIdle", "heapReleased", "heapSys", "sys", "rss"] as const)
      expect(typeof row?.[k]).toBe("number");
    expect(row?.heapIdle).toBe((row?.heapSys ?? 0) - (row?.heapInuse ?? 0));
  });

  it("refuses bad values naming the field", () => {
    expect(err({ ...base, steps: [{ op: "sleep" }] })).toMatch(/^steps\[0\]\.ms: must be an integer/);
    expect(err({ ...base, steps: [{ op: "sleep", ms: -1 }] })).toMatch(/^steps\[0\]\.ms: must be between 0/);
    expect(err({ ...base, steps: [{ op: "setGCPercent", percent: -2 }] })).toMatch(
      /^steps\[0\]\.percent: must be between -1/,
    );
    expect(err({ ...base, steps: [{ op: "setMemoryLimit", bytes: 1.5 }] })).toMatch(/^steps\[0\]\.bytes:/);
    expect(err({ ...base, steps: [{ op: "freeOSMemory", ms: 1 }] })).toMatch(
      /^steps\[0\]\.ms: unknown field/,
    );
    expect(err({ ...base, steps: [{ op: "make" }, { op: "insert", from: 0, to: 9, step: 0 }] })).toMatch(
      /^steps\[1\]\.step: must be between 1/,
    );
    expect(err({ ...base, name: 3, steps: [{ op: "gc" }] })).toMatch(/^name: must be a string/);
    expect(err({ ...base, title: "x", steps: [{ op: "gc" }] })).toMatch(/^title: unknown field/);
  });

  it("every counts iterations of the step: nine steps delete all but every tenth key", () => {
    const steps: unknown[] = [{ op: "make" }, { op: "insert", from: 0, to: 1000 }];
    for (let r = 1; r < 10; r++) steps.push({ op: "delete", from: r, to: 1000, step: 10 });
    steps.push({ op: "delete", from: 0, to: 1000, step: 100, every: 5, label: "d" });
    steps.push({ op: "snapshot", label: "end" });
    const rows = runScenario(checkScenario({ ...base, steps }));
    expect(rows.map((r) => r.label)).toEqual(["d@5", "d@10", "end"]);
    expect(rows[0]?.len).toBe(95);
    expect(rows[2]?.len).toBe(90);
    expect(iterations(0, 1000, 100)).toBe(10);
    expect(iterations(1, 1000, 10)).toBe(100);
  });
});
