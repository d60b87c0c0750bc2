/**
 * The model against the real Go runtime: every golden file under
 * test/fixtures/go-truth/goX.Y/ (recorded by tools/go-truth/ on real Go), every
 * snapshot taken right after runtime.GC(), must match the real HeapAlloc within
 * max(1%, 256 B) — of the median of the recorded runs, or of their range when the
 * runs disagree, or after the runtime's own timing-dependent ~5 KiB (versions.ts),
 * or with another hash seed for small maps whose state depends on Go's random seed.
 * tools/model-table.ts documents each of these and prints how every snapshot matched;
 * docs/model.md carries that table.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareGolden, goldenFiles, readGolden } from "../../tools/model-table.ts";
import { heapMinimum } from "../../src/model/heap/gc.ts";
import { isGoVersion, versionRules } from "../../src/model/versions.ts";

const swissPresent = existsSync(new URL("../../src/model/swiss/index.ts", import.meta.url));

const files = goldenFiles();

// Both suites of a test file compare the same goldens: run each scenario once.
const memo = new Map<string, ReturnType<typeof compareGolden>>();
function compareFile(file: string): ReturnType<typeof compareGolden> {
  let c = memo.get(file);
  if (c === undefined) {
    c = compareGolden(readGolden(file));
    memo.set(file, c);
  }
  return c;
}

/** The golden suite for the releases `which` selects (one test file per group runs in parallel). */
export function goldenSuite(which: (minor: number) => boolean): void {
  const releases = [...new Set(files.map((f) => f.release))].filter((r) => which(Number(r.split(".")[1])));

  it("has golden files to check", () => {
    expect(releases.length).toBeGreaterThan(0);
  });

  it.each(releases)(
    "versions.ts baseHeap for Go %s is the median of its golden base snapshots",
    (release) => {
      const bases = files
        .filter((f) => f.release === release)
        .flatMap((f) =>
          readGolden(f.file)
            .snapshots.filter((s) => s.label === "base")
            .map((s) => s.heapAllocMedian),
        )
        .sort((a, b) => a - b);
      expect(bases.length).toBeGreaterThan(0);
      if (!isGoVersion(release)) throw new Error(`unknown release ${release}`);
      expect(versionRules(release).baseHeap).toBe(bases[Math.floor((bases.length - 1) / 2)]);
    },
  );

  it.each(releases)(
    "versions.ts gcRoots for Go %s is the median of NextGC − 2·HeapAlloc after forced GCs",
    (release) => {
      // Right after runtime.GC(), HeapAlloc is heapMarked and Go's goal is
      // heapMarked + (heapMarked + stacks + globals)·GOGC/100, unless 4 MiB is larger.
      // Scenarios that change GOGC or set a memory limit have other goals: left out.
      const roots = files
        .filter((f) => f.release === release)
        .map((f) => readGolden(f.file))
        .filter((g) => !JSON.stringify(g.definition).match(/"setGCPercent"|"setMemoryLimit"/))
        .flatMap((g) =>
          g.snapshots.flatMap((s) =>
            s.afterGC
              ? s.heapAlloc.flatMap((h, i) => {
                  const next = s.nextGC[i] ?? 0;
                  return next > heapMinimum ? [next - 2 * h] : [];
                })
              : [],
          ),
        )
        .sort((a, b) => a - b);
      expect(roots.length).toBeGreaterThan(100);
      if (!isGoVersion(release)) throw new Error(`unknown release ${release}`);
      expect(versionRules(release).gcRoots).toBe(roots[Math.floor((roots.length - 1) / 2)]);
    },
  );

  describe.each(releases)("model vs real Go %s", (release) => {
    const minor = Number(release.split(".")[1]);
    const skip = minor >= 24 && !swissPresent;
    const mine = files.filter((f) => f.release === release);
    it.skipIf(skip).each(
      mine.map((f) => [
        f.file
          .split("/")
          .at(-1)
          ?.replace(/\.json$/, "") ?? f.file,
        f.file,
      ]),
    )(
      "%s: every post-GC snapshot matches real Go",
      (name, file) => {
        const cmp = compareFile(file).filter((c) => c.postGC);
        expect(cmp.length).toBeGreaterThan(0);
        const known = KNOWN_BASE_MISSES[`${release} ${name}`];
        const misses = cmp
          .filter((c) => c.verdict === "fail" && !(known !== undefined && c.label === "base"))
          .map((c) => `${release}/${name}/${c.label}`);
        if (known !== undefined) {
          const base = cmp.find((c) => c.label === "base");
          expect(base?.verdict, "the base snapshot matches now: remove it from KNOWN_BASE_MISSES").toBe(
            "fail",
          );
          expect(Math.abs((base?.model ?? 0) - (base?.real ?? 0))).toBeLessThanOrEqual(known);
        }
        expect(misses, `model off by more than max(1%, 256 B): ${misses.join(", ")}`).toEqual([]);
        // Snapshots whose real runs agree with each other must match the median itself
        // or differ only by one OS thread's objects (newMBytes): no seed excuse for big maps.
        for (const c of cmp)
          if (c.realLen > 20_000) expect(["median", "runs", "runtime", "fail"]).toContain(c.verdict);
      },
      180_000,
    );
    if (skip)
      it.skip(`Go ${release}: src/model/swiss/index.ts is absent, Swiss-table goldens skipped`, () => {});
  });
}

/**
 * The pre-GC series (snapshots taken mid-insert, between collections): the pacer must
 * reproduce Go's sawtooth. Asserted for the classic releases: the same NumGC as the
 * real median at ≥ 85% of the snapshots, and HeapAlloc within 1% at the share given
 * here (pointerful heaps miss more: Go's concurrent mark starts earlier than the
 * model's instantaneous collection; see docs/model.md, simplification 3).
 */
const PRE_GC_WITHIN_1PCT: [RegExp, number][] = [
  [/^pregc-ptr-/, 0.7],
  [/^(article-int-|pregc-int-|pregc-string-)/, 0.95],
];

export function preGCSuite(which: (minor: number) => boolean): void {
  const chosen = files.filter((f) => which(Number(f.release.split(".")[1])));
  const cases = chosen.flatMap((f) => {
    const name =
      f.file
        .split("/")
        .at(-1)
        ?.replace(/\.json$/, "") ?? f.file;
    const rule = PRE_GC_WITHIN_1PCT.find(([re]) => re.test(name));
    return rule === undefined ? [] : [[`${f.release} ${name}`, f.file, rule[1]] as const];
  });
  it.each(cases)("%s: the pre-GC sawtooth follows real Go", (_name, file, share) => {
    const g = readGolden(file);
    const cmp = compareFile(file);
    const pre = g.snapshots.filter((s) => !cmp.find((c) => c.label === s.label)?.postGC);
    expect(pre.length).toBeGreaterThan(10);
    const sameGC = pre.filter((s) => {
      const med = [...s.numGC].sort((a, b) => a - b)[Math.floor((s.numGC.length - 1) / 2)];
      return cmp.find((c) => c.label === s.label)?.modelNumGC === med;
    }).length;
    const within = cmp.filter((c) => !c.postGC && c.error <= 0.01).length;
    expect(sameGC / pre.length).toBeGreaterThanOrEqual(0.85);
    expect(within / pre.length).toBeGreaterThanOrEqual(share);
  });
}

/**
 * The pre-GC series of the Swiss-table releases. Here real runs disagree with each
 * other by up to 47% between collections (when a table splits relative to the
 * trigger depends on the hash seed), so these fixtures hold 15 runs and the model is
 * held to the range of the runs (± max(1%, 256 B)) instead of their median: at ≥ 90%
 * of the snapshots, except where the share measured today is lower (listed, so that
 * it can only improve).
 */
/**
 * Base snapshots (before the map exists) that miss by a few hundred bytes, with the
 * largest miss allowed (bytes). Their programs import runtime/debug and time (the
 * process-memory ops), whose package initialisation allocates about 0.5 KiB more on
 * the heap than the other scenarios' programs do (measured 2026-12-02 on Go 1.23: the
 * same harness, 45,120 B with those imports against 44,608 B without, in one shell);
 * the model's baseline is one measured constant per release, so these land just past
 * max(1%, 256 B). Every later snapshot of these files is held as usual.
 */
const KNOWN_BASE_MISSES: Record<string, number> = {
  "1.23 ptr-scattered-128": 640,
  "1.23 recreate-forced-gc-int-128": 640,
  "1.24 recreate-forced-gc-int-128": 640,
};

const PRE_GC_IN_RANGE_BELOW_90: Record<string, number> = {
  "1.26 article-ptr-128": 12 / 21,
  "1.27 article-ptr-128": 18 / 21,
  "1.26 pregc-int-128": 0.6, // re-recorded 2026-12-02 with elems written (15 runs, load 1.5): 61% in range
  "1.27 pregc-int-128": 0.33,
};

export function preGCRangeSuite(which: (minor: number) => boolean): void {
  const cases = files
    .filter((f) => which(Number(f.release.split(".")[1])))
    .map(
      (f) =>
        [
          `${f.release} ${
            f.file
              .split("/")
              .at(-1)
              ?.replace(/\.json$/, "") ?? f.file
          }`,
          f.file,
        ] as const,
    )
    .filter(([name]) => /^\S+ (pregc-|article-(int|ptr)-128$)/.test(name));
  it("covers the pre-GC fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
  it.each(cases)("%s: pre-GC snapshots lie within the range of 15 real runs", (name, file) => {
    const g = readGolden(file);
    expect(g.snapshots[0]?.heapAlloc.length).toBeGreaterThanOrEqual(15);
    const pre = compareFile(file).filter((c) => !c.postGC);
    expect(pre.length).toBeGreaterThan(10);
    const inRange = pre.filter((c) => c.verdict !== "fail").length / pre.length;
    expect(inRange).toBeGreaterThanOrEqual(PRE_GC_IN_RANGE_BELOW_90[name] ?? 0.9);
  });
}
