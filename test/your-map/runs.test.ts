import { describe, expect, it } from "vitest";
import { estimate, fixRun, fixRunsFor, mainRun, warmUp } from "../../src/your-map/estimate.ts";
import { compare, type FixRun, type FixRunId } from "../../src/your-map/figures.ts";
import { DEFAULT_STATE, type YourMapState } from "../../src/your-map/state.ts";
import { plan } from "../../src/your-map/workload.ts";
import { checkScenario, runScenario } from "../../src/model/scenario.ts";

// The page runs the estimate in parts, the main run first and each fix apart, in
// whichever worker is free; put together, the parts are the estimate made in one go.

const state = (over: Partial<YourMapState>): YourMapState => ({ ...DEFAULT_STATE, peak: 30_000, ...over });

describe("the estimate in parts", () => {
  it("gives the same figures after a warm-up as before it (the worker warms up on an idle page)", () => {
    const s = state({ peak: 60_000 });
    const before = estimate(s);
    warmUp({ ...s, go: "1.24", key: "int", value: "[64]byte", lengths: {} });
    warmUp(s);
    expect(estimate(s)).toEqual(before);
  });

  it("is the whole estimate once every fix run has arrived, in any order", () => {
    const s = state({ workload: { kind: "window", rounds: 3, turnover: 20 }, go: "1.24" });
    const main = mainRun(s);
    const runs = main.fixRuns.map((f) => fixRun(s, f.id));
    const backwards = new Map<FixRunId, FixRun>(runs.reverse().map((r) => [r.id, r]));
    expect(compare(main, backwards)).toEqual(estimate(s));
  });

  it("lists a fix still running as pending, and is complete only with every one", () => {
    const s = state({});
    const main = mainRun(s);
    expect(main.fixRuns.map((f) => f.id)).toEqual(["shrink", "pointer", "release"]);
    const first = compare(main, new Map());
    expect(first.complete).toBe(false);
    expect(first.fixes.filter((f) => f.pending).map((f) => f.id)).toEqual(["shrink", "pointer", "release"]);
    // The main figures are all there before any fix.
    expect(first.after.bytes).toBeGreaterThan(first.recreated);
    expect(first.stays).toBe(first.after.bytes - first.recreated);
    const shrink = fixRun(s, "shrink");
    const second = compare(main, new Map([["shrink", shrink]]));
    expect(second.complete).toBe(false);
    expect(second.fixes.find((f) => f.id === "shrink")).toMatchObject({
      pending: false,
      after: shrink.after,
    });
    expect(second.recommendation).toMatch(/more fixes are still being compared/);
  });

  it("runs no pointer fix for pointer values", () => {
    const s = state({ key: "int", value: "*[64]byte", lengths: {} });
    expect(fixRunsFor(s).map((f) => f.id)).toEqual(["shrink", "release"]);
    expect(() => fixRun(s, "pointer")).toThrow(/does not apply/);
    const e = estimate(s);
    expect(e.complete).toBe(true);
    expect(e.fixes.find((f) => f.id === "pointer")?.note).toMatch(/pointers already/);
  });

  it("gives a fix's run the figures of the same run with the chart's samples", () => {
    // A fix's run leaves out the sampled snapshots; the snapshots after each collection
    // must not notice.
    for (const s of [state({}), state({ go: "1.27", workload: { kind: "spike", base: 3000, days: 2 } })]) {
      for (const variant of ["shrink", "pointer", "plain"] as const) {
        const rows = (samples: boolean) =>
          runScenario(checkScenario(plan(s, variant, s.go, { samples }).scenario), {
            seed: 1,
            internals: false,
          })
            .filter((r) => !r.label.includes("@"))
            .map((r) => [r.label, r.heapAlloc, r.len]);
        const bare = rows(false);
        expect(bare.length).toBeGreaterThan(2);
        expect(bare).toEqual(rows(true));
      }
    }
  });
});
