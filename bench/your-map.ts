/**
 * node bench/your-map.ts [--repeat N] [--wall] [--json]: /your-map/'s default estimate
 * (1M peak entries) in this Node process: the main run's time (the figure the page
 * waits for), first in the process (cold, as in a fresh worker) and then the median of
 * N more (default 7), and each fix run's, with the load average. Times are the
 * process's CPU time (every thread's), which a loaded machine disturbs less than the
 * wall clock; --wall times the wall clock instead. --json prints the main run's figures instead, to compare two builds of the
 * model for identical numbers.
 */
import { loadavg } from "node:os";
import { median } from "../src/golden/golden.ts";
import { fixRun, fixRunsFor, mainRun } from "../src/your-map/estimate.ts";
import { DEFAULT_STATE } from "../src/your-map/state.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--repeat");
const repeat = at >= 0 ? Number(args[at + 1]) : 7;
const state = DEFAULT_STATE;

if (args.includes("--json")) {
  const main = mainRun(state);
  const fixes = fixRunsFor(state).map((f) => fixRun(state, f.id));
  process.stdout.write(JSON.stringify({ main, fixes }) + "\n");
  process.exit(0);
}

/** CPU time of this process (every thread: the JIT's and the collector's too), ms; wall time when --wall. */
const wall = args.includes("--wall");
const time = (f: () => unknown): number => {
  const t = performance.now();
  const c = process.cpuUsage();
  f();
  if (wall) return performance.now() - t;
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const cold = time(() => mainRun(state));
const main: number[] = [];
for (let i = 0; i < repeat; i++) main.push(time(() => mainRun(state)));
const row = (name: string, ms: number[]): void =>
  void process.stdout.write(
    `${name.padEnd(40)} ${median(ms).toFixed(0).padStart(6)} ms   (${ms.map((x) => x.toFixed(0)).join(" ")})\n`,
  );
process.stdout.write(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}\n`,
);
row("main run, first in this process", [cold]);
row(`main run, median of ${repeat}`, main);
for (const f of fixRunsFor(state)) {
  const ms: number[] = [];
  for (let i = 0; i < Math.min(3, repeat); i++) ms.push(time(() => fixRun(state, f.id)));
  row(`fix run ${f.id} (${f.go})`, ms);
}
