/**
 * `npm run bench`: the model's speed and memory next to the real Go program's.
 *
 * For every scenario with a golden file (test/fixtures/go-truth/go1.XX/), runs the
 * model in a fresh Node process (bench/run-scenario.ts) and prints its time and
 * peak RSS beside what the ground-truth harness recorded for the real Go program
 * on this kind of machine, and the ratios. Then the 10M-element run. Figures, not
 * assertions: the targets are in the issue tracker and docs/model.md.
 *
 * Each model figure is the median of --repeat runs (default 3), each in a fresh
 * process; the 10M line also shows the fastest and slowest run. On a shared virtual
 * machine the same run can take 1.5× longer from one process to the next (where
 * the kernel places the memory decides it), so one run is not a measurement.
 *
 *   npm run bench [-- --go 1.23] [-- --repeat 5] [-- NAME ...]
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { median } from "../src/golden/golden.ts";

interface Golden {
  scenario: string;
  scenarioFile: string;
  timeSeconds: number[];
  cpuSeconds?: number[];
  peakRSSBytes: number[];
  loadAverage?: number;
}

const args = process.argv.slice(2);
const goIdx = args.indexOf("--go");
const releases = goIdx >= 0 ? [args[goIdx + 1] as string] : ["1.23", "1.24"];
const repIdx = args.indexOf("--repeat");
const repeat = repIdx >= 0 ? Number(args[repIdx + 1]) : 3;
if (!Number.isSafeInteger(repeat) || repeat < 1) {
  console.error("bench: --repeat needs a positive integer");
  process.exit(2);
}
const names = args.filter(
  (a, i) => !a.startsWith("--") && args[i - 1] !== "--go" && args[i - 1] !== "--repeat",
);

const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;
const secs = (s: number): string => `${s.toFixed(2)} s`;

interface Run {
  ms: number;
  maxRSSBytes: number;
}

function runOnce(argv: string[]): Run {
  const out = execFileSync(process.execPath, ["bench/run-scenario.ts", ...argv], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as Run;
}

/** `repeat` fresh processes: the median time, the largest peak RSS, and the extremes. */
function runModel(argv: string[]): Run & { minMs: number; maxMs: number } {
  const runs = Array.from({ length: repeat }, () => runOnce(argv));
  const times = runs.map((r) => r.ms);
  return {
    ms: median(times),
    maxRSSBytes: Math.max(...runs.map((r) => r.maxRSSBytes)),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}

const rows: string[][] = [];
for (const go of releases) {
  const dir = join("test/fixtures/go-truth", `go${go}`);
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) {
    const g = JSON.parse(readFileSync(join(dir, file), "utf8")) as Golden;
    if (names.length > 0 && !names.includes(g.scenario)) continue;
    const model = runModel([g.scenarioFile, "--go", go]);
    const goWall = median(g.timeSeconds);
    const goCpu = g.cpuSeconds ? median(g.cpuSeconds) : NaN;
    const goRss = median(g.peakRSSBytes);
    rows.push([
      `${g.scenario} (${go})`,
      secs(model.ms / 1000),
      mib(model.maxRSSBytes),
      secs(goWall),
      Number.isNaN(goCpu) ? "—" : secs(goCpu),
      mib(goRss),
      `${(goWall / (model.ms / 1000)).toFixed(1)}×`,
      `${((model.maxRSSBytes / goRss) * 100).toFixed(0)}%`,
    ]);
    process.stderr.write(".");
  }
}
process.stderr.write("\n");

const header = [
  "scenario (Go)",
  "model time (median)",
  "model peak RSS",
  "Go wall",
  "Go CPU",
  "Go peak RSS",
  "Go wall ÷ model",
  "model RSS ÷ Go",
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log(
  "\nGo figures were recorded by tools/go-truth on this kind of machine (see each golden file's machine and loadAverage).",
);

for (const go of releases) {
  const big = runModel(["--inserts", "10000000", "--go", go]);
  console.log(
    `10M inserts, int → [128]byte, no hint, Go ${go} model: ${secs(big.ms / 1000)} median of ${repeat}` +
      ` (${secs(big.minMs / 1000)}–${secs(big.maxMs / 1000)}), peak RSS ${mib(big.maxRSSBytes)}`,
  );
}
