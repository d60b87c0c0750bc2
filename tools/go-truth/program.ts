/**
 * Records a committed Go program on real Go releases.
 *
 *   node tools/go-truth/program.ts --go 1.23 [--go 1.27 ...] [--runs 3] NAME [NAME ...]
 *
 * Some things a chapter shows cannot be written as a scenario (a type with
 * methods, maps.Clone, runtime/metrics, a heap profile). Those are Go programs,
 * committed under test/go-truth/programs/NAME/ (package main, one or more .go
 * files), so that the page can show the very source that produced its numbers.
 * This tool copies the program's files and the shared probe (measure.go, which
 * provides snapshot, note and report) into a temporary module, builds it once
 * per release, runs it --runs times with the runtime's defaults (the same
 * environment as record.ts), and writes
 *
 *   test/fixtures/go-truth-programs/go1.23/NAME.json
 *
 * in the golden file's shape (snapshots with one value per run, median and
 * spread), plus `notes` per snapshot (what the program passed to note()), the
 * SHA-256 of every source file, and, for a program whose directory holds a
 * file named `pprof` (one `go tool pprof` flag set per line), each command's
 * output on the heap profile the last run wrote to the path given as its
 * first argument.
 *
 * These files live outside test/fixtures/go-truth/ on purpose: they are
 * evidence about the runtime, not scenarios the model is held to.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { isSwiss, minorVersion } from "../../src/go-program/generate.ts";
import { median, mib, spread, spreadText, type GoldenSnapshot } from "./golden.ts";
import type { ProcessField } from "../../src/golden/golden.ts";
import {
  findGoroot,
  formatJson,
  goEnv,
  machine,
  ROOT,
  runOnce,
  UsageError,
  releasesFlag,
  runsFlag,
} from "./toolchain.ts";

const PROGRAM_DIR = join(ROOT, "test/go-truth/programs");
const OUT_DIR = join(ROOT, "test/fixtures/go-truth-programs");
const MEASURE = join(ROOT, "tools/go-truth/measure.go");
const MIN_RUNS = 3;
const STANDARD = ["heapAlloc", "numGC", "nextGC", "heapObjects", "len"] as const;

/** One `snapshot` line of a program's output. */
export interface ProgramRow {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
}

/** Parses what report() printed; lines that are not snapshots are ignored. */
export function parseReport(stdout: string): ProgramRow[] {
  const rows: ProgramRow[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("snapshot\t")) continue;
    const [, label, ...pairs] = line.split("\t");
    if (label === undefined || label === "") throw new Error(`snapshot line without a label: ${line}`);
    const values: Record<string, number> = {};
    for (const p of pairs) {
      const eq = p.indexOf("=");
      const v = Number(p.slice(eq + 1));
      if (eq <= 0 || !Number.isFinite(v)) throw new Error(`bad field ${JSON.stringify(p)} in: ${line}`);
      values[p.slice(0, eq)] = v;
    }
    for (const f of STANDARD)
      if (values[f] === undefined) throw new Error(`snapshot ${label}: no ${f} in: ${line}`);
    rows.push({ label, values });
  }
  return rows;
}

/** A golden file's snapshot (golden.ts), without map internals, with the program's notes. */
export interface ProgramSnapshot extends Omit<GoldenSnapshot, "map" | ProcessField> {
  readonly map: null;
  /** What the program passed to note(), one value per run. */
  readonly notes: Record<string, number[]>;
}

/** The runs' rows, snapshot by snapshot; every run must print the same labels. */
export function combineRuns(runs: readonly ProgramRow[][]): ProgramSnapshot[] {
  const first = runs[0];
  if (first === undefined) throw new Error("no runs");
  for (const r of runs) {
    const a = r.map((x) => x.label).join(",");
    const b = first.map((x) => x.label).join(",");
    if (a !== b) throw new Error(`runs printed different snapshots: ${a} / ${b}`);
  }
  return first.map((row, i) => {
    const col = (f: string): number[] => runs.map((r) => r[i]?.values[f] ?? NaN);
    const heapAlloc = col("heapAlloc");
    const s = spread(heapAlloc);
    const notes: Record<string, number[]> = {};
    for (const k of Object.keys(row.values))
      if (!(STANDARD as readonly string[]).includes(k)) notes[k] = col(k);
    return {
      label: row.label,
      // A program says so itself: labels of snapshots taken right after runtime.GC() do not end in "-live".
      afterGC: !row.label.endsWith("-live"),
      len: row.values["len"] ?? NaN,
      heapAlloc,
      heapAllocMedian: median(heapAlloc),
      spread: s,
      spreadText: spreadText(s),
      numGC: col("numGC"),
      nextGC: col("nextGC"),
      heapObjects: col("heapObjects"),
      map: null,
      notes,
    };
  });
}

interface Options {
  releases: string[];
  runs: number;
  names: string[];
  out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { releases: [], runs: MIN_RUNS, names: [], out: OUT_DIR };
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
    } else if (a === "--out") {
      o.out = value();
    } else if (a.startsWith("-")) {
      throw new UsageError(`${a}: unknown flag (flags: --go, --runs, --out)`);
    } else {
      if (!existsSync(join(PROGRAM_DIR, a)))
        throw new UsageError(`${a}: no such program (${join(PROGRAM_DIR, a)})`);
      o.names.push(a);
    }
  }
  if (o.releases.length === 0) throw new UsageError("--go: required, e.g. --go 1.23");
  if (o.names.length === 0) throw new UsageError("give at least one program name");
  return o;
}

function goFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".go"))
    .sort();
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

async function recordProgram(name: string, release: string, goroot: string, o: Options): Promise<unknown> {
  const src = join(PROGRAM_DIR, name);
  const files = goFiles(src);
  const dir = mkdtempSync(join(tmpdir(), `go-truth-program-${name}-`));
  const env = goEnv(goroot, release);
  const go = join(goroot, "bin/go");
  const version = spawnSync(go, ["version"], { env, encoding: "utf8" }).stdout.trim();
  const pprofFile = join(src, "pprof");
  const pprofFlags = existsSync(pprofFile)
    ? readFileSync(pprofFile, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => l.trim().split(/\s+/))
    : null;
  try {
    writeFileSync(join(dir, "go.mod"), `module gotruth\n\ngo ${release}\n`);
    for (const f of files) copyFileSync(join(src, f), join(dir, f));
    copyFileSync(MEASURE, join(dir, "measure.go"));
    const binary = join(dir, "prog");
    const b = spawnSync(go, ["build", "-trimpath", "-o", binary, "."], { cwd: dir, env, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`go build failed for ${name} on ${release}:\n${b.stderr}`);
    const profile = join(dir, "heap.pprof");
    const runs: ProgramRow[][] = [];
    const seconds: number[] = [];
    const cpu: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < o.runs; run++) {
      const r = await runOnce(binary, pprofFlags ? [profile] : []);
      runs.push(parseReport(r.stdout));
      seconds.push(Number(r.seconds.toFixed(4)));
      if (r.cpuSeconds !== undefined) cpu.push(r.cpuSeconds);
      rss.push(r.peakRSSBytes);
    }
    const pprof = (pprofFlags ?? []).map((flags) => {
      const p = spawnSync(go, ["tool", "pprof", ...flags, binary, profile], {
        cwd: dir,
        env,
        encoding: "utf8",
      });
      if (p.status !== 0) throw new Error(`go tool pprof failed for ${name} on ${release}:\n${p.stderr}`);
      return { command: `go tool pprof ${flags.join(" ")} prog heap.pprof`, output: p.stdout };
    });
    const platform = /\s(\w+)\/(\w+)$/.exec(version);
    return {
      scenario: name,
      program: relative(ROOT, src),
      sources: Object.fromEntries(files.map((f) => [f, sha256(join(src, f))])),
      probe: { file: relative(ROOT, MEASURE), sha256: sha256(MEASURE) },
      definition: { program: relative(ROOT, src) },
      go: version,
      release,
      mapKind: isSwiss(release) ? "swiss" : "classic",
      goos: platform?.[1] ?? "unknown",
      goarch: platform?.[2] ?? "unknown",
      machine: machine(),
      recordedAt: new Date().toISOString(),
      command: `node tools/go-truth/program.ts --go ${release} --runs ${o.runs} ${name}`,
      env: { GOGC: "unset (100)", GOMAXPROCS: `unset (${cpus().length})` },
      runs: o.runs,
      snapshots: combineRuns(runs),
      ...(pprof.length > 0 ? { pprof } : {}),
      timeSeconds: seconds,
      ...(cpu.length === o.runs ? { cpuSeconds: cpu } : {}),
      peakRSSBytes: rss,
      loadAverage: loadavg()[0] ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  for (const release of o.releases) {
    minorVersion(release);
    const goroot = findGoroot(release, undefined);
    const outDir = join(o.out, `go${release}`);
    mkdirSync(outDir, { recursive: true });
    for (const name of o.names) {
      const g = (await recordProgram(name, release, goroot, o)) as {
        go: string;
        snapshots: ProgramSnapshot[];
        pprof?: { command: string; output: string }[];
      };
      writeFileSync(join(outDir, `${name}.json`), await formatJson(g));
      process.stdout.write(`${name} on ${g.go}\n`);
      for (const s of g.snapshots) {
        const notes = Object.entries(s.notes)
          .map(([k, v]) => `${k}=${median(v)}`)
          .join(" ");
        process.stdout.write(
          `  ${s.label.padEnd(28)} len ${String(s.len).padStart(8)}  HeapAlloc ${mib(s.heapAllocMedian).padStart(10)}  spread ${s.spreadText}  ${notes}\n`,
        );
      }
      for (const p of g.pprof ?? []) process.stdout.write(`$ ${p.command}\n${p.output}`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  main().catch((e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`program.ts: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`program.ts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
