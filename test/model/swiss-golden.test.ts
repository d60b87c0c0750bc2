/**
 * The Swiss-table map, run through the whole model (runtime, heap, GC), against the
 * real Go 1.24, 1.26 and 1.27 runtimes' golden files (test/fixtures/go-truth/goX.Y).
 *
 * Checked here: every post-GC snapshot that has a map, in the scenarios whose outcome
 * does not hinge on the hash seed, within max(1%, 256 B) of the real median (or of
 * the range of the real runs, when a few-KB runtime allocation made them disagree).
 * Left out on purpose:
 *   - churn-* scenarios: how many tables a churned map ends with depends on where
 *     its keys hash, so real runs themselves spread by up to 10%;
 *   - small-* and hints-* scenarios: their totals are ~50 KB, so the few-KB runtime
 *     allocations that come and go between real runs exceed 1%; and at n=3584 the
 *     number of split tables (5, 6 or 7) depends on the seed. The map's own bytes at
 *     every growth boundary are tested exactly in swiss.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { compareGolden } from "../../src/golden/compare.ts";
import type { GoldenFile } from "../../src/golden/golden.ts";
import { checkScenario, runScenario } from "../../src/model/scenario.ts";
import { goldenSuite, preGCRangeSuite } from "./golden-lib.ts";

// Every golden file of the Swiss-table releases (1.24+), as golden-lib.ts judges them.
goldenSuite((minor) => minor >= 24);
preGCRangeSuite((minor) => minor >= 24);

// Stricter, for the scenarios whose outcome does not hinge on the hash seed:

const root = path.resolve(import.meta.dirname, "../fixtures/go-truth");

const deterministic = [
  "article-int-128",
  "article-ptr-128",
  "clear-int-128",
  "clear-ptr-128",
  "elem-0-struct",
  "elem-8-int",
  "elem-64-bytes",
  "elem-128-bytes",
  "elem-129-bytes",
  "elem-256-bytes",
  "elem-string",
  "key-bytes-16",
  "key-int32-elem-int32",
  "key-string",
  "key-string-elem-string",
];

function load(release: string, name: string): GoldenFile | null {
  const file = path.join(root, `go${release}`, `${name}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as GoldenFile) : null;
}

describe.each(["1.24", "1.26", "1.27"])("go %s golden files", (release) => {
  test.each(deterministic)("%s: post-GC HeapAlloc within max(1 percent, 256 B)", (name) => {
    const g = load(release, name);
    if (g === null) return; // fixture not recorded for this release
    // src/golden/compare.ts's rule: within max(1%, 256 B) of the median ("median"), or of
    // the runs' range when the real runs disagree ("runs"); no thread or seed allowance here.
    const withMap = new Set(g.snapshots.filter((s) => s.map !== null).map((s) => s.label));
    const compared = compareGolden(g).filter((c) => c.postGC && withMap.has(c.label));
    for (const c of compared) {
      expect(c.modelLen, c.label).toBe(c.realLen);
      expect(["median", "runs"], `${c.label}: model ${c.model}, real median ${c.real}`).toContain(c.verdict);
    }
    expect(compared.length).toBeGreaterThan(0);
  });
  test("the article's case: 1M int→[128]byte, delete all, GC: about 287 MiB, within 0.5%", () => {
    const g = load(release, "article-int-128");
    if (g === null) return;
    const real = g.snapshots.find((s) => s.label === "deleted")?.heapAllocMedian ?? 0;
    const row = runScenario(checkScenario(g.definition, g.release)).find((r) => r.label === "deleted");
    expect(real / 2 ** 20).toBeGreaterThan(280);
    expect(Math.abs((row?.heapAlloc ?? 0) - real) / real).toBeLessThan(0.005);
  });
});
