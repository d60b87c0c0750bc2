import { describe, expect, it } from "vitest";
import { problems } from "../../src/your-map/check.ts";
import { goProgram } from "../../src/your-map/estimate.ts";
import { readShape, lengthSlots } from "../../src/your-map/go-syntax.ts";
import {
  checkState,
  DEFAULT_STATE,
  fromQuery,
  toQuery,
  type YourMapState,
} from "../../src/your-map/state.ts";
import { plan } from "../../src/your-map/workload.ts";
import { checkScenario, runScenario } from "../../src/model/scenario.ts";

const state = (over: Partial<YourMapState>): YourMapState => ({ ...DEFAULT_STATE, ...over });

describe("the state in the URL", () => {
  it("round-trips every workload, lengths and release", () => {
    const states: YourMapState[] = [
      DEFAULT_STATE,
      state({
        key: "int64",
        value: "struct{ ID int64; Name string; Tags []string }",
        lengths: {
          "value.Name": { len: 24, cap: 24 },
          "value.Tags": { len: 3, cap: 8 },
          "value.Tags[]": { len: 16, cap: 16 },
        },
        peak: 250_000,
        workload: { kind: "window", rounds: 7, turnover: 12.5 },
        go: "1.27",
      }),
      state({ workload: { kind: "spike", base: 1000, days: 4 }, go: "1.21" }),
    ];
    for (const s of states) {
      const back = fromQuery(`?${toQuery(s)}`);
      expect(back.ignored).toEqual([]);
      expect(back.state).toEqual({ ...s, lengths: back.state.lengths });
      expect(toQuery(back.state)).toBe(toQuery(s));
    }
  });

  it("lists what it cannot read and uses the defaults for it", () => {
    const { state: s, ignored } = fromQuery("?n=many&go=2.0&w=hourly&key=");
    expect(s.peak).toBe(DEFAULT_STATE.peak);
    expect(s.go).toBe(DEFAULT_STATE.go);
    expect(s.workload).toEqual(DEFAULT_STATE.workload);
    expect(s.key).toBe(DEFAULT_STATE.key);
    expect(ignored.join(" ")).toMatch(/n=many.*w=hourly.*go=2\.0/);
    expect(ignored.some((i) => i.startsWith("key"))).toBe(true);
  });

  it("rebuilds a message's state field by field, dropping what does not belong", () => {
    const s = checkState({
      key: 5,
      value: "int",
      peak: "9",
      extra: () => 1,
      workload: { kind: "spike", days: 2 },
      go: "9",
    });
    expect(s).toEqual({
      key: DEFAULT_STATE.key,
      value: "int",
      lengths: {},
      peak: DEFAULT_STATE.peak,
      workload: { kind: "spike", base: 100_000, days: 2 },
      go: DEFAULT_STATE.go,
    });
  });
});

describe("types and their length controls", () => {
  it("finds every string and slice, nested ones included", () => {
    const slots = lengthSlots(
      readShape("struct{ ID int64; Name string; Tags []string; P *struct{ S string } }"),
      "value",
    );
    expect(slots.map((s) => `${s.path}:${s.kind}`)).toEqual([
      "value.Name:string",
      "value.Tags:slice",
      "value.Tags[]:string",
      "value.P.S:string",
    ]);
  });

  it("ties each problem to its control", () => {
    const fields = (s: YourMapState): string[] => problems(s).map((p) => p.field);
    expect(fields(DEFAULT_STATE)).toEqual([]);
    expect(fields(state({ key: "chan int" }))).toEqual(["key"]);
    expect(fields(state({ key: "float64" }))).toEqual(["key"]);
    expect(fields(state({ value: "struct{ A int" }))).toEqual(["value"]);
    expect(fields(state({ peak: 30_000_000 }))).toEqual(["peak"]);
    expect(fields(state({ value: "[1000000]byte", peak: 1_000_000 }))).toEqual(["peak"]);
    expect(fields(state({ workload: { kind: "drain", keep: 101 } }))).toEqual(["keep"]);
    expect(fields(state({ workload: { kind: "spike", base: 2_000_000, days: 0 } }))).toEqual([
      "base",
      "days",
    ]);
    expect(problems(state({ key: "map[int]int" }))[0]?.message).toMatch(/map types cannot be estimated/);
  });
});

describe("workloads as scenarios", () => {
  it("a drain to 0 % is the article's program, snapshot for snapshot after each collection", () => {
    const p = plan(state({ key: "int", lengths: {}, peak: 100_000, workload: { kind: "drain", keep: 0 } }));
    const rows = new Map(runScenario(checkScenario(p.scenario)).map((r) => [r.label, r.len]));
    expect([rows.get("base"), rows.get("added"), rows.get("deleted")]).toEqual([0, 100_000, 0]);
  });

  it("the shrink policy copies each time len falls below a quarter of the peak", () => {
    const p = plan(
      state({ key: "int", lengths: {}, peak: 100_000, workload: { kind: "drain", keep: 1 } }),
      "shrink",
    );
    // 100,000 → below 25,000 (copy) → below 6,250 (copy) → below 1,563 (copy) → 1,000.
    expect(p.copies).toBe(3);
    const rows = runScenario(checkScenario(p.scenario));
    expect(rows.find((r) => r.label === "deleted")?.len).toBe(1000);
  });

  it("the Go program is the harness's, for the page's own scenario", () => {
    const prog = goProgram(state({ key: "int", lengths: {} }));
    expect(prog.ok).toBe(true);
    if (prog.ok) {
      expect(prog.text).toContain("type K = int");
      expect(prog.text).toContain("type V = [128]byte");
      expect(prog.text).toContain("for i := 0; i < 1000000; i++ {");
      expect(prog.text).toContain("runtime.ReadMemStats(&memStats)");
    }
  });

  it("typical lengths reach the model: longer strings and fuller slices cost their bytes", () => {
    const value = "struct{ ID int64; Name string; Tags []string }";
    const small = plan(state({ key: "int", value, lengths: {}, peak: 1000 }));
    expect(small.scenario.lengths).toEqual({
      elem: { Name: { len: 16 }, Tags: { len: 4, cap: 4, elem: { len: 16 } } },
    });
    const big = state({
      key: "int",
      value,
      lengths: { "value.Name": { len: 200, cap: 200 }, "value.Tags": { len: 1, cap: 8 } },
      peak: 1000,
    });
    expect(plan(big).scenario.lengths).toEqual({
      elem: { Name: { len: 200 }, Tags: { len: 1, cap: 8, elem: { len: 16 } } },
    });
    const heap = (s: YourMapState): number =>
      runScenario(checkScenario(plan(s).scenario)).find((r) => r.label === "added")?.heapAlloc ?? NaN;
    expect(heap(big)).toBeGreaterThan(heap(state({ key: "int", value, lengths: {}, peak: 1000 })));
    // A string key too short to hold the peak's distinct keys is refused at its length.
    expect(problems(state({ lengths: { key: { len: 2, cap: 2 } } })).map((p) => p.field)).toEqual([
      "len:key",
    ]);
  });
});
