/**
 * `npm run bench`: the model's speed and memory beside the real Go program's, measured
 * side by side in this run.
 *
 *   npm run bench [-- --go 1.23,1.27] [-- --repeat 5] [-- NAME ...]
 *
 * 1. Side by side. For each release (default 1.23 and 1.27) the real program is
 *    generated and built by tools/go-truth (the same generator and the same process
 *    measurement as the golden files), then the model's CLI and the Go binary run
 *    alternately, --repeat times each (default 5), each in a fresh process, timed
 *    around the whole process (start-up and module loading included) with its peak
 *    RSS (the model with Node's compile cache on, see below). The medians and their
 *    ratios are printed with the load average. The default
 *    scenario is bench/scenarios/article.json: the article's program with one
 *    measurement at the end and none in between; NAME adds scenarios from
 *    test/scenarios/.
 *    Without a Go toolchain (none cached and ../shared/tools/go-toolchain.sh cannot
 *    unpack one) the model is still measured, and the Go figures shown are the golden
 *    file's recording, labelled with its date and load, with no ratio: a recording
 *    made under other conditions is not a measurement of now.
 * 2. 10M inserts of int → [128]byte into a map made without a hint, model only, in
 *    Node (bench/run-scenario.ts), the median of --repeat runs with their range.
 *
 * Figures, not assertions. The targets (docs/model.md, "Cost and speed"): the article
 * scenario at most a quarter of real Go's wall time and of its peak RSS, on 1.23 and
 * 1.27; 10M inserts within 2 s.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { formatBytes, median } from "../src/golden/golden.ts";
import { parseScenario } from "../src/go-program/scenario.ts";
import {
  buildScenario,
  findGoroot,
  runOnce,
  UsageError,
  type RunResult,
} from "../tools/go-truth/toolchain.ts";

interface RecordedGolden {
  recordedAt: string;
  timeSeconds: number[];
  peakRSSBytes: number[];
  loadAverage?: number;
  snapshots: unknown[];
}

function usage(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let releases = ["1.23", "1.27"];
let repeat = 5;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === "--go") {
    releases = (args[++i] ?? usage("--go needs releases, e.g. --go 1.23,1.27")).split(",");
    if (!releases.every((r) => /^1\.\d+$/.test(r)))
      usage(`--go: expected releases like 1.23, got ${releases.join(",")}`);
  } else if (a === "--repeat") {
    repeat = Number(args[++i]);
    if (!Number.isSafeInteger(repeat) || repeat < 1) usage("--repeat needs a positive integer");
  } else if (a.startsWith("--")) usage(`${a}: unknown flag (flags: --go, --repeat)`);
  else names.push(a.replace(/\.json$/, ""));
}

const scenarioFiles = [
  "bench/scenarios/article.json",
  ...names.map((n) => {
    const f = join("test/scenarios", `${n}.json`);
    if (!existsSync(f)) usage(`${n}: no such scenario (${f})`);
    return f;
  }),
];

const mib = (b: number): string => formatBytes(b, 0);
const secs = (s: number): string => `${s.toFixed(2)} s`;
const range = (xs: number[]): string => `${secs(Math.min(...xs))}–${secs(Math.max(...xs))}`;
const load = (): string => (loadavg()[0] ?? 0).toFixed(1);

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

function goroot(release: string): string | null {
  try {
    return findGoroot(release, undefined);
  } catch (e) {
    if (e instanceof UsageError) return null; // no toolchain for this release
    throw e;
  }
}

// The model's CLI as a user's second run meets it: Node's compile cache holds every
// module stripped and compiled (the CLI turns the cache on for the modules it imports;
// this variable covers the CLI's own file too, about 60 ms of start-up). The Go side
// is a binary compiled once before the runs.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), "node-compile-cache");

const modelRun = (file: string, release: string): Promise<RunResult> =>
  runOnce(process.execPath, ["src/model/cli.ts", file, "--go", release]);

// ---- 1. side by side ------------------------------------------------------------------------

const sideBySide: string[][] = [];
const recorded: string[] = [];
const loadBefore = load();
for (const release of releases) {
  const root = goroot(release);
  for (const file of scenarioFiles) {
    const name = basename(file, ".json");
    const model: RunResult[] = [];
    const go: RunResult[] = [];
    if (root === null) {
      for (let r = 0; r < repeat; r++) model.push(await modelRun(file, release));
    } else {
      const checked = parseScenario(readFileSync(file, "utf8"));
      const { binary, dir } = buildScenario(checked, name, release, root);
      try {
        await modelRun(file, release); // untimed: fills the compile cache, as the build fills Go's
        // Alternate, so that a change in the machine's load falls on both alike.
        for (let r = 0; r < repeat; r++) {
          model.push(await modelRun(file, release));
          go.push(await runOnce(binary));
          process.stderr.write(".");
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const mWall = model.map((r) => r.seconds);
    const mRss = median(model.map((r) => r.peakRSSBytes));
    if (go.length > 0) {
      const gWall = go.map((r) => r.seconds);
      const gRss = median(go.map((r) => r.peakRSSBytes));
      sideBySide.push([
        `${name} (${release})`,
        `${secs(median(mWall))} (${range(mWall)})`,
        `${secs(median(gWall))} (${range(gWall)})`,
        (median(mWall) / median(gWall)).toFixed(2),
        mib(mRss),
        mib(gRss),
        (mRss / gRss).toFixed(2),
      ]);
    } else {
      const golden = join("test/fixtures/go-truth", `go${release}`, "article-int-128.json");
      let then = "no recording of the real program for this release";
      if (name === "article" && existsSync(golden)) {
        const g = JSON.parse(readFileSync(golden, "utf8")) as RecordedGolden;
        then =
          `real Go RECORDED ${g.recordedAt.slice(0, 10)} at load ${(g.loadAverage ?? NaN).toFixed(1)} ` +
          `by article-int-128 (a program that also takes ${g.snapshots.length} snapshots): ` +
          `${secs(median(g.timeSeconds))}, peak RSS ${mib(median(g.peakRSSBytes))}; not measured now, so no ratio`;
      }
      recorded.push(
        `${name} (${release}): model ${secs(median(mWall))} (${range(mWall)}), peak RSS ${mib(mRss)}; no Go ${release} toolchain here; ${then}`,
      );
    }
  }
}
process.stderr.write("\n");

if (sideBySide.length > 0) {
  console.log(
    `Side by side, measured now: ${repeat} runs each, alternating model and Go; medians (range); ` +
      `whole processes, wall time; load ${loadBefore} before, ${load()} after.`,
  );
  table(
    ["scenario (Go)", "model wall", "Go wall", "model ÷ Go", "model peak RSS", "Go peak RSS", "model ÷ Go"],
    sideBySide,
  );
  console.log("Targets: model ÷ Go ≤ 0.25 for wall time and for peak RSS.\n");
}
for (const line of recorded) console.log(line);
if (recorded.length > 0) console.log("");

// ---- 2. 10M inserts, model only -----------------------------------------------------------------

interface InProcess {
  ms: number;
  maxRSSBytes: number;
}
function inProcess(argv: string[]): InProcess {
  const out = execFileSync(process.execPath, ["bench/run-scenario.ts", ...argv], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as InProcess;
}
for (const release of releases) {
  const runs = Array.from({ length: repeat }, () => inProcess(["--inserts", "10000000", "--go", release]));
  const ms = runs.map((r) => r.ms / 1000);
  console.log(
    `10M inserts, int → [128]byte, no hint, Go ${release} model in Node: ${secs(median(ms))} median of ${repeat}` +
      ` (${range(ms)}), peak RSS ${mib(Math.max(...runs.map((r) => r.maxRSSBytes)))}; target ≤ 2 s`,
  );
}
