/**
 * Did a re-recording move HeapAlloc?
 *
 *   node tools/go-truth/heapalloc-check.ts [--base REV] [--slack 0.01]
 *
 * Compares every golden file in test/fixtures/go-truth/ with the same file at git
 * revision REV (default HEAD), snapshot by snapshot. A change to the generated
 * program that should not touch the heap (a new column, the RSS probe, writing a
 * value's first byte) must leave HeapAlloc where it was. A snapshot taken right
 * after runtime.GC() passes when the new median lies within the old runs' range
 * widened by max(slack × median, 4 KiB) (the runtime's own background allocations
 * after a collection are tens of bytes to a few KiB, see the README). Snapshots
 * taken between collections follow the collector's timing and are only reported.
 * A post-GC median that moved by exactly one OS thread's heap objects (the fifth
 * thread the runtime starts when the scheduler chooses; versions.ts newMBytes,
 * the same exception src/golden/compare.ts makes) is counted apart, as noise.
 *
 * Prints one line per file that has a failing or moved snapshot, then a summary;
 * exits 1 when a post-GC snapshot moved.
 */

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { versionRules } from "../../src/model/versions.ts";
import type { GoVersion } from "../../src/model/contract.ts";
import { median, type GoldenFile } from "./golden.ts";
import { ROOT, UsageError } from "./toolchain.ts";

const FIXTURES = "test/fixtures/go-truth";
const MIN_SLACK_BYTES = 4096;

interface Options {
  readonly base: string;
  readonly slack: number;
}

function parseArgs(argv: readonly string[]): Options {
  let base = "HEAD";
  let slack = 0.01;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--base" && v !== undefined) {
      base = v;
      i++;
    } else if (a === "--slack" && v !== undefined && Number.isFinite(Number(v)) && Number(v) >= 0) {
      slack = Number(v);
      i++;
    } else
      throw new UsageError(`${a ?? ""}: unknown flag or missing value (flags: --base REV, --slack FRACTION)`);
  }
  return { base, slack };
}

function atRevision(rev: string, path: string): GoldenFile | null {
  const r = spawnSync("git", ["show", `${rev}:${path}`], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return r.status === 0 ? (JSON.parse(r.stdout) as GoldenFile) : null;
}

export interface Moved {
  readonly label: string;
  readonly afterGC: boolean;
  readonly before: number;
  readonly after: number;
  readonly ok: boolean;
  /** Not within the range, but within it once one thread's objects are added or taken away. */
  readonly thread: boolean;
}

/** Snapshot by snapshot: the new median against the old runs' range, widened by the slack. */
export function compareHeapAlloc(before: GoldenFile, after: GoldenFile, slack: number): Moved[] {
  const thread = versionRules(after.release as GoVersion).newMBytes;
  return after.snapshots.flatMap((s) => {
    const old = before.snapshots.find((o) => o.label === s.label);
    if (old === undefined) return [];
    const m = median(old.heapAlloc);
    const allow = Math.max(slack * m, MIN_SLACK_BYTES);
    const lo = Math.min(...old.heapAlloc) - allow;
    const hi = Math.max(...old.heapAlloc) + allow;
    const now = median(s.heapAlloc);
    const within = (x: number): boolean => x >= lo && x <= hi;
    const ok = within(now);
    const byThread = !ok && thread > 0 && (within(now + thread) || within(now - thread));
    return [{ label: s.label, afterGC: s.afterGC, before: m, after: now, ok, thread: byThread }];
  });
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  let files = 0;
  let settled = 0;
  let failed = 0;
  let live = 0;
  let liveOutside = 0;
  let worst = 0;
  let threads = 0;
  for (const dir of readdirSync(join(ROOT, FIXTURES)).sort()) {
    for (const f of readdirSync(join(ROOT, FIXTURES, dir)).sort()) {
      const path = `${FIXTURES}/${dir}/${f}`;
      const before = atRevision(o.base, path);
      if (before === null) continue; // a new file: nothing to compare
      const after = JSON.parse(readFileSync(join(ROOT, path), "utf8")) as GoldenFile;
      files++;
      const rows = compareHeapAlloc(before, after, o.slack);
      const bad = rows.filter((r) => r.afterGC && !r.ok && !r.thread);
      threads += rows.filter((r) => r.afterGC && r.thread).length;
      for (const r of rows) {
        if (r.afterGC) {
          settled++;
          if (r.before > 0) worst = Math.max(worst, Math.abs(r.after / r.before - 1));
        } else {
          live++;
          if (!r.ok) liveOutside++;
        }
      }
      failed += bad.length;
      for (const r of bad)
        process.stdout.write(`MOVED ${dir}/${f} ${r.label}: median ${r.before} → ${r.after}\n`);
    }
  }
  process.stdout.write(
    `${files} files against ${o.base}: ${settled} post-GC snapshots, ${failed} moved, ` +
      `${threads} by one OS thread's objects ` +
      `(largest change of a median ${(worst * 100).toFixed(3)}%); ` +
      `${live} snapshots between collections, ${liveOutside} outside the old range (reported only)\n`,
  );
  if (failed > 0) process.exit(1);
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`heapalloc-check.ts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}
