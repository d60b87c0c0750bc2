/**
 * Records ground truth from the real Go runtime.
 *
 *   node tools/go-truth/record.ts --go 1.23 [--go 1.24 ...] [--runs 3] [NAME ...]
 *   node tools/go-truth/record.ts --emit NAME --go 1.23      (print the Go program)
 *
 * For each scenario (default: every test/scenarios/*.json) and each release:
 * generate the Go program (src/go-program/generate.ts) into a temporary directory, build it
 * once, run it --runs times with GOGC and GOMAXPROCS left at their defaults,
 * time each run and take its peak RSS (GNU time's %M; without it, VmHWM from
 * /proc while the program runs), and write
 * test/fixtures/go-truth/go1.23/NAME.json (see golden.ts). A summary table
 * (median HeapAlloc and run-to-run spread per snapshot) goes to stdout.
 *
 * Where Go comes from: --goroot DIR, else ~/.cache/go-toolchains/RELEASE, else
 * ../shared/tools/go-toolchain.sh RELEASE (which unpacks it there).
 *
 * --scenarios DIR and --out DIR replace test/scenarios and
 * test/fixtures/go-truth (for trying things out without touching the goldens).
 *
 * Bad input (unknown flag, unknown scenario, a scenario that does not
 * validate) prints one line naming the problem and exits 2.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { parseScenario, ScenarioError, type CheckedScenario } from "../../src/go-program/scenario.ts";
import { generateProgram, isSwiss, minorVersion, parseProgramOutput } from "../../src/go-program/generate.ts";
import { combineSnapshot, median, mib, type GoldenFile } from "./golden.ts";
import {
  buildScenario,
  findGoroot,
  formatJson,
  goEnv,
  machine,
  ROOT,
  releasesFlag,
  runOnce,
  runsFlag,
  UsageError,
} from "./toolchain.ts";

const SCENARIO_DIR = join(ROOT, "test/scenarios");
const FIXTURE_DIR = join(ROOT, "test/fixtures/go-truth");
const MIN_RUNS = 3; // golden files need at least this many runs to show the runtime's spread

interface Options {
  releases: string[];
  runs: number;
  names: string[];
  emit: boolean;
  goroot: string | undefined;
  out: string;
  scenarios: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    releases: [],
    runs: MIN_RUNS,
    names: [],
    emit: false,
    goroot: undefined,
    out: FIXTURE_DIR,
    scenarios: SCENARIO_DIR,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a}: needs a value`);
      return v;
    };
    if (a === "--go") {
      o.releases.push(...releasesFlag(value()));
    } else if (a === "--runs") {
      o.runs = runsFlag(value(), MIN_RUNS);
    } else if (a === "--emit") {
      o.emit = true;
    } else if (a === "--goroot") {
      o.goroot = resolve(value());
    } else if (a === "--out") {
      o.out = resolve(value());
    } else if (a === "--scenarios") {
      o.scenarios = resolve(value());
    } else if (a.startsWith("-")) {
      throw new UsageError(`${a}: unknown flag (flags: --go, --runs, --emit, --goroot, --out, --scenarios)`);
    } else {
      o.names.push(a.replace(/\.json$/, ""));
    }
  }
  if (o.releases.length === 0) throw new UsageError("--go: required, e.g. --go 1.23");
  if (o.goroot !== undefined && o.releases.length > 1)
    throw new UsageError("--goroot: use with a single --go release");
  if (o.emit && (o.names.length !== 1 || o.releases.length !== 1)) {
    throw new UsageError("--emit: give exactly one scenario and one --go release");
  }
  return o;
}

function loadScenario(dir: string, name: string): CheckedScenario {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) throw new UsageError(`${name}: no such scenario (${file})`);
  try {
    return parseScenario(readFileSync(file, "utf8"));
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(`${name}.json: ${e.message}`);
    throw e;
  }
}

async function record(
  name: string,
  checked: CheckedScenario,
  release: string,
  goroot: string,
  o: Options,
): Promise<GoldenFile> {
  const version = spawnSync(join(goroot, "bin/go"), ["version"], {
    env: goEnv(goroot, release),
    encoding: "utf8",
  }).stdout.trim();
  const { binary, dir } = buildScenario(checked, name, release, goroot);
  const rows: Record<string, number>[][] = [];
  const seconds: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      const r = await runOnce(binary);
      rows.push(parseProgramOutput(r.stdout, release, checked.labels.length));
      seconds.push(Number(r.seconds.toFixed(4)));
      if (r.cpuSeconds !== undefined) cpu.push(r.cpuSeconds);
      rss.push(r.peakRSSBytes);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const platform = /\s(\w+)\/(\w+)$/.exec(version);
  return {
    scenario: name,
    scenarioFile: relative(ROOT, join(o.scenarios, `${name}.json`)),
    definition: checked.scenario,
    go: version,
    release,
    mapKind: isSwiss(release) ? "swiss" : "classic",
    goos: platform?.[1] ?? "unknown",
    goarch: platform?.[2] ?? "unknown",
    machine: machine(),
    recordedAt: new Date().toISOString(),
    command: `node tools/go-truth/record.ts --go ${release} --runs ${o.runs} ${name}`,
    env: { GOGC: "unset (100)", GOMAXPROCS: `unset (${cpus().length})` },
    runs: o.runs,
    snapshots: checked.labels.map((label, s) =>
      combineSnapshot(
        label,
        checked.afterGC[s] ?? false,
        rows.map((r) => r[s] as Record<string, number>),
      ),
    ),
    timeSeconds: seconds,
    ...(cpu.length === o.runs ? { cpuSeconds: cpu } : {}),
    peakRSSBytes: rss,
    loadAverage: loadavg()[0] ?? 0,
  };
}

function summary(g: GoldenFile): string {
  const lines = [
    `${g.scenario} on ${g.go}: time ${median(g.timeSeconds).toFixed(2)} s` +
      (g.cpuSeconds === undefined ? "" : `, CPU ${median(g.cpuSeconds).toFixed(2)} s`) +
      `, peak RSS ${mib(median(g.peakRSSBytes))} (medians), load ${(g.loadAverage ?? 0).toFixed(1)}`,
  ];
  for (const s of g.snapshots) {
    lines.push(
      `  ${s.label.padEnd(24)} len ${String(s.len).padStart(8)}  HeapAlloc ${String(s.heapAllocMedian).padStart(11)} (${mib(s.heapAllocMedian)})  spread ${s.spreadText}`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(o.scenarios)) throw new UsageError(`--scenarios: no such directory ${o.scenarios}`);
  const names =
    o.names.length > 0
      ? o.names
      : readdirSync(o.scenarios)
          .filter((f) => f.endsWith(".json"))
          .map((f) => basename(f, ".json"))
          .sort();
  const scenarios = names.map((n) => [n, loadScenario(o.scenarios, n)] as const);
  if (o.emit) {
    const [[name, checked]] = scenarios as [readonly [string, CheckedScenario]];
    process.stdout.write(generateProgram(checked, o.releases[0] as string, name));
    return;
  }
  for (const release of o.releases) {
    minorVersion(release);
    const goroot = findGoroot(release, o.goroot);
    const outDir = join(o.out, `go${release}`);
    mkdirSync(outDir, { recursive: true });
    for (const [name, checked] of scenarios) {
      const g = await record(name, checked, release, goroot, o);
      writeFileSync(join(outDir, `${name}.json`), await formatJson(g));
      process.stdout.write(`${summary(g)}\n`);
    }
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`record.ts: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`record.ts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
