/**
 * Committed Go programs (test/go-truth/programs/NAME/) and what they recorded
 * on real Go (test/fixtures/go-truth-programs/goX.Y/NAME.json, written by
 * tools/go-truth/program.ts). No Go is needed here: the tests check that each
 * recording was made from the source committed today, that a chapter showing a
 * program shows it byte for byte, and that the facts the chapters draw from
 * the recordings hold.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { combineRuns, parseReport, type ProgramSnapshot } from "../../tools/go-truth/program.ts";
import { median, spread } from "../../tools/go-truth/golden.ts";
import { parseMeta } from "../../src/notebook/remark-cells.ts";
import { parseScenario } from "../../src/go-program/scenario.ts";
import type { GoldenFile } from "../../tools/go-truth/golden.ts";

const ROOT = join(import.meta.dirname, "../..");
const PROGRAMS = join(ROOT, "test/go-truth/programs");
const FIXTURES = join(ROOT, "test/fixtures/go-truth-programs");
const CONTENT = join(ROOT, "content");
const EVIDENCE = join(ROOT, "test/fixtures/go-truth-evidence");
const EVIDENCE_SCENARIOS = join(ROOT, "test/go-truth/evidence-scenarios");
const MiB = 1 << 20;

interface ProgramFile {
  scenario: string;
  program: string;
  sources: Record<string, string>;
  probe: { file: string; sha256: string };
  go: string;
  release: string;
  goos: string;
  goarch: string;
  recordedAt: string;
  runs: number;
  snapshots: ProgramSnapshot[];
  pprof?: { command: string; output: string }[];
  timeSeconds: number[];
  peakRSSBytes: number[];
}

const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

const recordings = existsSync(FIXTURES)
  ? readdirSync(FIXTURES)
      .filter((d) => /^go1\.\d+$/.test(d))
      .flatMap((d) =>
        readdirSync(join(FIXTURES, d))
          .filter((f) => f.endsWith(".json"))
          .map((f) => ({ file: `${d}/${f}`, release: d.slice(2), name: f.slice(0, -".json".length) })),
      )
  : [];

function load(release: string, name: string): ProgramFile {
  return JSON.parse(readFileSync(join(FIXTURES, `go${release}`, `${name}.json`), "utf8")) as ProgramFile;
}

function snap(release: string, name: string, label: string): ProgramSnapshot {
  const s = load(release, name).snapshots.find((x) => x.label === label);
  if (s === undefined) throw new Error(`${name} on ${release} has no snapshot ${label}`);
  return s;
}

const heap = (release: string, name: string, label: string): number =>
  snap(release, name, label).heapAllocMedian / MiB;

describe("program.ts reads what report() prints", () => {
  it("parses snapshot lines and their notes, ignoring other output", () => {
    const rows = parseReport(
      "hello\nsnapshot\tdrained\theapAlloc=10\tnumGC=2\tnextGC=40\theapObjects=5\tlen=3\tcopies=1\n",
    );
    expect(rows).toEqual([
      {
        label: "drained",
        values: { heapAlloc: 10, numGC: 2, nextGC: 40, heapObjects: 5, len: 3, copies: 1 },
      },
    ]);
  });

  it.each([
    ["snapshot\t\theapAlloc=1", "without a label"],
    ["snapshot\tx\theapAlloc=abc\tnumGC=1\tnextGC=1\theapObjects=1\tlen=1", "bad field"],
    ["snapshot\tx\theapAlloc=1\tnumGC=1", "no nextGC"],
  ])("rejects %j", (line, message) => {
    expect(() => parseReport(line)).toThrow(message);
  });

  it("combines runs snapshot by snapshot, and refuses runs that disagree on the labels", () => {
    const run = (h: number): ReturnType<typeof parseReport> =>
      parseReport(
        `snapshot\ta\theapAlloc=${h}\tnumGC=1\tnextGC=9\theapObjects=1\tlen=0\tk=${h * 2}\n` +
          `snapshot\tb-live\theapAlloc=7\tnumGC=1\tnextGC=9\theapObjects=1\tlen=4\n`,
      );
    const [a, b] = combineRuns([run(10), run(30), run(20)]);
    expect(a?.heapAlloc).toEqual([10, 30, 20]);
    expect(a?.heapAllocMedian).toBe(20);
    expect(a?.spread).toBeCloseTo(2, 12);
    expect(a?.notes).toEqual({ k: [20, 60, 40] });
    expect(a?.afterGC).toBe(true);
    expect(b?.afterGC).toBe(false);
    expect(b?.len).toBe(4);
    const other = parseReport("snapshot\tz\theapAlloc=1\tnumGC=1\tnextGC=1\theapObjects=1\tlen=0");
    expect(() => combineRuns([run(1), other])).toThrow("different snapshots");
  });
});

describe("program.ts on bad input", () => {
  const tool = join(ROOT, "tools/go-truth/program.ts");
  it.each([
    [["--go", "1.23"], "give at least one program name"],
    [["shrink-policy"], "--go: required"],
    [["--go", "1.23", "no-such-program"], "no-such-program: no such program"],
    [["--go", "1.23", "--runs", "2", "shrink-policy"], "--runs: expected an integer from 3 to 50"],
    [["--go", "1.23", "--fast"], "--fast: unknown flag"],
  ])("%j exits 2 with one line naming the problem", (args, message) => {
    const r = spawnSync(process.execPath, [tool, ...args], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe("recordings of committed programs", () => {
  it("exist for every program on Go 1.23 and 1.27", () => {
    const programs = readdirSync(PROGRAMS).filter((d) => existsSync(join(PROGRAMS, d, "main.go")));
    expect(programs.length).toBeGreaterThan(0);
    for (const release of ["1.23", "1.27"])
      for (const p of programs)
        expect(existsSync(join(FIXTURES, `go${release}`, `${p}.json`)), `${p} ${release}`).toBe(true);
  });

  it("share no name with a scenario, so a figure names one recording", () => {
    const scenarios = readdirSync(join(ROOT, "test/scenarios")).map((f) => f.replace(/\.json$/, ""));
    const evidence = readdirSync(join(ROOT, "test/go-truth/evidence-scenarios")).map((f) =>
      f.replace(/\.json$/, ""),
    );
    const programs = readdirSync(PROGRAMS);
    expect(programs.filter((p) => scenarios.includes(p) || evidence.includes(p))).toEqual([]);
    expect(evidence.filter((p) => scenarios.includes(p))).toEqual([]);
  });

  it.each(recordings)("$file was recorded from the program committed today", ({ release, name }) => {
    const g = load(release, name);
    expect(g.scenario).toBe(name);
    expect(g.release).toBe(release);
    expect(g.go).toMatch(new RegExp(`^go version go${release.replace(".", "\\.")}(\\.\\d+)? linux/amd64$`));
    expect([g.goos, g.goarch]).toEqual(["linux", "amd64"]);
    expect(Number.isNaN(Date.parse(g.recordedAt))).toBe(false);
    const dir = join(PROGRAMS, name);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".go"))
      .sort();
    expect(Object.keys(g.sources).sort()).toEqual(files);
    for (const f of files)
      expect(g.sources[f], `${name}/${f} changed since it was recorded`).toBe(sha256(join(dir, f)));
    expect(g.probe.sha256).toBe(sha256(join(ROOT, g.probe.file)));
    expect(g.runs).toBeGreaterThanOrEqual(3);
    expect(g.timeSeconds).toHaveLength(g.runs);
    for (const s of g.snapshots) {
      expect(s.heapAlloc).toHaveLength(g.runs);
      expect(s.heapAllocMedian).toBe(median(s.heapAlloc));
      expect(s.spread).toBeCloseTo(spread(s.heapAlloc), 12);
      for (const v of Object.values(s.notes)) expect(v).toHaveLength(g.runs);
    }
  });
});

/** Every ```go fence in an MDX text whose meta names program="NAME/FILE.go", with its body. */
function programFences(mdx: string): { program: string; body: string }[] {
  const out: { program: string; body: string }[] = [];
  const re = /^```go[ \t]+([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(mdx))) {
    const program = parseMeta(m[1] ?? "").attrs["program"];
    if (typeof program === "string") out.push({ program, body: m[2] ?? "" });
  }
  return out;
}

describe("a chapter that shows a committed program shows it exactly", () => {
  it("finds program fences", () => {
    const mdx =
      'x\n```go twin truth="go1.23/a" program="p/a.go"\npackage main\n```\n```go\nfunc f() {}\n```\n';
    expect(programFences(mdx)).toEqual([{ program: "p/a.go", body: "package main\n" }]);
  });

  const fences = readdirSync(CONTENT)
    .filter((f) => f.endsWith(".mdx"))
    .flatMap((f) => programFences(readFileSync(join(CONTENT, f), "utf8")).map((x) => ({ chapter: f, ...x })));
  it.skipIf(fences.length === 0).each(fences)("$chapter shows $program as committed", ({ program, body }) => {
    const file = join(PROGRAMS, program);
    expect(existsSync(file), `${program} is not under test/go-truth/programs/`).toBe(true);
    expect(body.trimEnd()).toBe(readFileSync(file, "utf8").trimEnd());
  });
});

describe("what the recordings show", () => {
  it.each(["1.23", "1.24", "1.27"])(
    "the shrink policy gives memory back on Go %s; a plain map does not",
    (r) => {
      expect(heap(r, "shrink-policy", "plain-drained")).toBeGreaterThan(70);
      expect(heap(r, "shrink-policy", "shrink-drained")).toBeLessThan(
        heap(r, "shrink-policy", "plain-drained") / 10,
      );
      expect(heap(r, "shrink-policy", "shrink-end")).toBeLessThan(6);
      expect(median(snap(r, "shrink-policy", "shrink-end").notes["copies"] ?? [])).toBe(3);
    },
  );

  it("maps.Clone sizes the copy by len on Go 1.21–1.24 and copies the whole table on 1.26 and 1.27", () => {
    for (const r of ["1.21", "1.23", "1.24"]) {
      expect(heap(r, "maps-clone", "cloned-both") - heap(r, "maps-clone", "drained")).toBeLessThan(1);
      expect(heap(r, "maps-clone", "cloned")).toBeLessThan(1);
    }
    for (const r of ["1.26", "1.27"]) {
      expect(heap(r, "maps-clone", "cloned")).toBeGreaterThan(280);
      expect(heap(r, "maps-clone", "recreated")).toBeLessThan(1);
    }
  });

  it.each(["1.23", "1.27"])("on Go %s the heap profile puts the retained buckets on the insert line", (r) => {
    const g = load(r, "heap-profile");
    const lines = g.pprof?.find((p) => p.command.includes("-lines"))?.output ?? "";
    const source = readFileSync(join(PROGRAMS, "heap-profile/main.go"), "utf8").split("\n");
    const insert = source.findIndex((l) => l.trim() === "m[i] = [128]byte{}") + 1;
    expect(insert).toBeGreaterThan(0);
    const row = lines.split("\n").find((l) => l.includes(`main.main gotruth/main.go:${insert}`));
    expect(row, lines).toBeDefined();
    expect(Number(/\s(\d+(?:\.\d+)?)%/.exec(row ?? "")?.[1])).toBeGreaterThan(95);
  });

  it.each(["1.23", "1.27"])("on Go %s emptied pointerful buckets stay on the collector's scan list", (r) => {
    const scan = (label: string): number =>
      median(snap(r, "gc-scan", label).notes["scanHeapBytes"] ?? []) / MiB;
    expect(scan("int-128-deleted")).toBeLessThan(1);
    expect(scan("int-ptr-deleted")).toBeGreaterThan(30);
    expect(scan("string-string-deleted")).toBeGreaterThan(60);
  });

  it.each(["1.23", "1.27"])("on Go %s a recreate doubles only when the map is still full", (r) => {
    const f = "recreate-peak";
    expect(heap(r, f, "drain-10k-both-live") - heap(r, f, "drain-10k")).toBeLessThan(3);
    expect(heap(r, f, "half-both-live") / heap(r, f, "half")).toBeGreaterThan(1.45);
    const highest = (label: string): number =>
      median(snap(r, f, label).notes["highestHeapAlloc"] ?? []) / MiB;
    expect(highest("shards-gc-copied-live") / heap(r, f, "shards-gc")).toBeLessThan(1.1);
    expect(highest("shards-nogc-copied-live") / heap(r, f, "shards-nogc")).toBeGreaterThan(1.45);
  });
});

const evidenceFiles = existsSync(EVIDENCE)
  ? readdirSync(EVIDENCE)
      .filter((d) => /^go1\.\d+$/.test(d))
      .flatMap((d) =>
        readdirSync(join(EVIDENCE, d))
          .filter((f) => f.endsWith(".json"))
          .map((f) => ({ file: `${d}/${f}`, release: d.slice(2), name: f.slice(0, -".json".length) })),
      )
  : [];

function evidence(release: string, name: string): GoldenFile {
  return JSON.parse(readFileSync(join(EVIDENCE, `go${release}`, `${name}.json`), "utf8")) as GoldenFile;
}

function at(release: string, name: string, label: string): GoldenFile["snapshots"][number] {
  const s = evidence(release, name).snapshots.find((x) => x.label === label);
  if (s === undefined) throw new Error(`${name} on ${release} has no snapshot ${label}`);
  return s;
}

describe("evidence scenarios (test/go-truth/evidence-scenarios, not held to the model)", () => {
  it.each(evidenceFiles)("$file matches its scenario", ({ release, name }) => {
    const g = evidence(release, name);
    const checked = parseScenario(readFileSync(join(EVIDENCE_SCENARIOS, `${name}.json`), "utf8"));
    expect(g.release).toBe(release);
    expect(g.go).toMatch(/ linux\/amd64$/);
    expect(g.definition).toEqual(checked.scenario);
    expect(g.snapshots.map((s) => s.label)).toEqual(checked.labels);
    expect(g.snapshots.map((s) => s.afterGC)).toEqual(checked.afterGC);
    expect(g.runs).toBeGreaterThanOrEqual(3);
    for (const s of g.snapshots) expect(s.heapAllocMedian).toBe(median(s.heapAlloc));
  });

  it("on Go 1.23, 220,000 entries cost both bucket arrays: the growth past 212,992 is still running after a GC", () => {
    const s = at("1.23", "sizes-int-128", "at-220000");
    expect(s.map?.["growing"]).toEqual(s.heapAlloc.map(() => 1));
    expect(s.heapAllocMedian / s.len).toBeGreaterThan(500);
    expect(at("1.23", "sizes-int-128", "at-200000").heapAllocMedian / 200_000).toBeLessThan(220);
    expect(at("1.23", "sizes-int-128", "at-250000").map?.["growing"]).toEqual([0, 0, 0]);
  });

  it("Go 1.21's load factor of 6 grows at 196,609 entries, 1.23's 6.5 at 212,993", () => {
    expect(at("1.21", "sizes-int-128", "at-200000").map?.["B"]).toEqual([16, 16, 16]);
    expect(at("1.23", "sizes-int-128", "at-212992").map?.["B"]).toEqual([15, 15, 15]);
    expect(at("1.23", "sizes-int-128", "at-212993").map?.["B"]).toEqual([16, 16, 16]);
  });

  it("a classic map under a sliding window is repacked by a same-size growth near round 65–72, then swings between about 10 and 17.7 MiB", () => {
    const g = evidence("1.23", "churn-window-128-300");
    expect(g.runs).toBe(15);
    const rounds = g.snapshots.filter((s) => s.label.startsWith("round-"));
    expect(rounds).toHaveLength(300);
    for (let run = 0; run < g.runs; run++) {
      // The round whose snapshot shows the growth under way, or its result: overflow
      // buckets fall to a fraction (noverflow is reset by the growth).
      const ov = (i: number): number => rounds[i]?.map?.["noverflow"]?.[run] ?? NaN;
      const first =
        rounds.findIndex((s, i) => s.map?.["sameSizeGrow"]?.[run] === 1 || (i > 0 && ov(i) < ov(i - 1) / 2)) +
        1;
      expect(first).toBeGreaterThanOrEqual(60);
      expect(first).toBeLessThanOrEqual(80);
      const settled = rounds.slice(first + 1).filter((s) => s.map?.["growing"]?.[run] === 0);
      const values = settled.map((s) => (s.heapAlloc[run] ?? NaN) / MiB);
      expect(Math.min(...values)).toBeGreaterThan(9.5);
      expect(Math.min(...values)).toBeLessThan(11);
      expect(Math.max(...values)).toBeLessThan(18);
    }
  });
});
