/**
 * components/golden-data.ts under Vite (vitest bundles import.meta.glob as the
 * site build does): <Measured> finds a scenario in the golden files and a
 * committed program or evidence scenario in the evidence set.
 */
import { describe, expect, it } from "vitest";
import { evidence, golden, truthFor } from "../../components/golden-data.ts";
import { formatNote } from "../../src/golden/golden.ts";

describe("the sets <Measured> quotes from", () => {
  it("keeps evidence out of the golden files the model is compared with", () => {
    expect(golden.all().some((f) => f.scenario === "maps-clone")).toBe(false);
    expect(evidence.all().some((f) => f.scenario === "article-int-128")).toBe(false);
  });

  it("finds a scenario among the golden files and a program among the evidence", () => {
    expect(truthFor("article-int-128")).toBe(golden);
    expect(truthFor("maps-clone")).toBe(evidence);
    expect(truthFor("sizes-int-128")).toBe(evidence);
    const s = truthFor("maps-clone").snapshot("1.27", "maps-clone", "cloned");
    expect(s.heapAllocMedian / 2 ** 20).toBeGreaterThan(280);
    expect(() => truthFor("maps-clone").snapshot("1.27", "maps-clone", "nope")).toThrow(/has no snapshot/);
  });

  it("formats a note by its name", () => {
    expect(formatNote("scanHeapBytes", 37_805_032)).toBe("36.1 MiB");
    expect(formatNote("highestHeapAlloc", 317_197_456)).toBe("302.5 MiB");
    expect(formatNote("gcCPUns20", 624_800_000)).toBe("624.8 ms");
    expect(formatNote("copies", 3)).toBe("3");
    expect(formatNote("peak", 18_748)).toBe("18,748");
  });
});
