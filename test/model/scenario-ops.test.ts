import fc from "fast-check";
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

describe("sampled steps without internals", () => {
  // runScenario runs a step with `every` as one range under a heap-only sampler when
  // the rows carry no internals; the rows must be the chunked loop's, internals aside.
  const types = [
    ["int", "[128]byte"],
    ["string", "[16]byte"],
    ["int", "*[128]byte"],
  ] as const;
  it("gives the rows the chunked loop gives, on random programs of both families", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("1.21", "1.23", "1.24", "1.27"),
        fc.constantFrom(...types),
        fc.array(
          fc.record({
            op: fc.constantFrom("insert", "delete", "delete", "gc", "sleep"),
            from: fc.integer({ min: 0, max: 30_000 }),
            n: fc.integer({ min: 1, max: 40_000 }),
            step: fc.constantFrom(1, 1, 2, 3),
            every: fc.constantFrom(7, 1_000, 4_096, 9_999),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (go, [key, elem], ops) => {
          const steps: Record<string, unknown>[] = [{ op: "make" }, { op: "insert", from: 0, to: 20_000 }];
          ops.forEach((o, i) => {
            if (o.op === "gc") steps.push({ op: "gc" });
            else if (o.op === "sleep") steps.push({ op: "sleep", ms: 1_500 });
            else
              steps.push({
                op: o.op,
                from: o.from,
                to: o.from + o.n,
                step: o.step,
                every: o.every,
                label: `s${i}`,
              });
          });
          steps.push({ op: "snapshot", label: "end" });
          const sc = checkScenario({ go, key, elem, steps });
          const chunked = runScenario(sc, { seed: 3 }).map((r) => ({ ...r, internals: null }));
          const sampled = runScenario(sc, { seed: 3, internals: false });
          expect(sampled).toEqual(chunked);
        },
      ),
      { numRuns: 40, seed: 20261202 },
    );
  });
});
