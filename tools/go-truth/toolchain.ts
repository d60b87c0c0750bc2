/**
 * What every go-truth recorder shares: finding a Go toolchain, the environment a
 * build and a measured run get, the machine's description, running a binary
 * once (wall and CPU time, peak RSS) and writing JSON the way Prettier would.
 *
 * record.ts (generated scenario programs) and program.ts (committed Go programs)
 * both use it, so the two kinds of recording run Go the same way.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, homedir, release as kernelRelease, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateProgram } from "../../src/go-program/generate.ts";
import type { Machine } from "./golden.ts";
import type { CheckedScenario } from "../../src/go-program/scenario.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const GNU_TIME = "/usr/bin/time";

/** Bad input: the CLI prints its message on one line and exits 2. */
export class UsageError extends Error {}

/** `--go 1.23[,1.27]`: the releases named, each like 1.23. */
export function releasesFlag(value: string): string[] {
  return value.split(",").map((r) => {
    if (!/^1\.\d+$/.test(r))
      throw new UsageError(`--go: expected a release like 1.23, got ${JSON.stringify(r)}`);
    return r;
  });
}

/** `--runs N`: an integer from `min` (enough runs to show the runtime's spread) to 50. */
export function runsFlag(value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 50)
    throw new UsageError(`--runs: expected an integer from ${min} to 50, got ${value}`);
  return n;
}

export function findGoroot(release: string, override: string | undefined): string {
  if (override !== undefined) return override;
  const cached = join(homedir(), ".cache/go-toolchains", release);
  if (existsSync(join(cached, "bin/go"))) return cached;
  const script = resolve(ROOT, "../shared/tools/go-toolchain.sh");
  if (existsSync(script)) {
    const r = spawnSync(script, [release], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const root = r.stdout.trim().split("\n").pop() ?? "";
    if (r.status === 0 && existsSync(join(root, "bin/go"))) return root;
  }
  throw new UsageError(
    `--go ${release}: no Go toolchain found (tried ${cached} and ${script}); pass --goroot`,
  );
}

export function goEnv(goroot: string, release: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOROOT: goroot,
    PATH: `${join(goroot, "bin")}:${process.env["PATH"] ?? ""}`,
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    GOCACHE: `/tmp/gocache-${release}`,
    GOPATH: join(tmpdir(), "gopath-go-truth"),
    CGO_ENABLED: "0",
    GO111MODULE: "on",
  };
}

/** The environment a measured run gets: the runtime's defaults, nothing tuned. */
export function runEnv(): NodeJS.ProcessEnv {
  const tuning = ["GOGC", "GOMAXPROCS", "GODEBUG", "GOMEMLIMIT", "GOTRACEBACK"];
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !tuning.includes(k)));
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1] !== undefined) cpu = m[1].trim();
  } catch {
    // not Linux: keep os.cpus()'s model
  }
  return { cpu, cores: cpus().length, memoryBytes: totalmem(), kernel: kernelRelease() };
}

export interface RunResult {
  stdout: string;
  seconds: number;
  /** User + system CPU time; less sensitive than wall time to a busy machine. */
  cpuSeconds: number | undefined;
  peakRSSBytes: number;
}

function runWithGnuTime(binary: string, args: readonly string[]): RunResult {
  const dir = mkdtempSync(join(tmpdir(), "go-truth-time-"));
  const timeFile = join(dir, "time");
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ["-f", "%M %U %S", "-o", timeFile, binary, ...args], {
    env: runEnv(),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const [rss, user, sys] = (readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "")
    .split(" ")
    .map(Number);
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${binary} failed (${r.status}): ${r.stderr}`);
  const cpuSeconds = user === undefined || sys === undefined ? undefined : Number((user + sys).toFixed(2));
  return { stdout: r.stdout, seconds, cpuSeconds, peakRSSBytes: (rss ?? NaN) * 1024 };
}

async function runWithProcStatus(binary: string, args: readonly string[]): Promise<RunResult> {
  return await new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binary, [...args], { env: runEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peakKiB = 0;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m?.[1] !== undefined) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // the process has just exited
      }
    }, 2);
    child.on("close", (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`${binary} failed (${code}): ${stderr}`));
      else resolvePromise({ stdout, seconds, cpuSeconds: undefined, peakRSSBytes: peakKiB * 1024 });
    });
  });
}

export async function runOnce(binary: string, args: readonly string[] = []): Promise<RunResult> {
  return existsSync(GNU_TIME) ? runWithGnuTime(binary, args) : await runWithProcStatus(binary, args);
}

/** JSON as the repository's Prettier would write it, so formatting checks pass. */
export async function formatJson(value: unknown): Promise<string> {
  const text = `${JSON.stringify(value)}\n`;
  try {
    const prettier = await import("prettier");
    return await prettier.format(text, { parser: "json" });
  } catch {
    return `${JSON.stringify(value, null, 2)}\n`;
  }
}

/** Writes a scenario's generated program into a fresh temporary directory and builds it once. */
export function buildScenario(
  checked: CheckedScenario,
  name: string,
  release: string,
  goroot: string,
): { binary: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `go-truth-${name}-`));
  writeFileSync(join(dir, "go.mod"), `module gotruth\n\ngo ${release}\n`);
  writeFileSync(join(dir, "main.go"), generateProgram(checked, release, name));
  const binary = join(dir, "prog");
  const r = spawnSync(join(goroot, "bin/go"), ["build", "-o", binary, "."], {
    cwd: dir,
    env: goEnv(goroot, release),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`go build failed for ${name} on ${release}:\n${r.stderr}`);
  return { binary, dir };
}
