/**
 * Summarises the committed golden files as Markdown tables.
 *
 *   node tools/go-truth/summarize.ts
 *
 * Prints, per Go release: the article's figures (median HeapAlloc at each
 * post-GC snapshot), the run-to-run spread of HeapAlloc after a GC and between
 * GCs, how many post-GC snapshots were byte-identical in every run, and the
 * article scenario's time and peak RSS. Reads test/fixtures/go-truth only.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, mib, type GoldenFile } from "./golden.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = join(ROOT, "test/fixtures/go-truth");

function releases(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((d) => /^go1\.\d+$/.test(d))
    .map((d) => d.slice(2))
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
}

function load(release: string): GoldenFile[] {
  const dir = join(FIXTURES, `go${release}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as GoldenFile);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(3)}%`;
}

function snapshot(
  files: GoldenFile[],
  scenario: string,
  label: string,
): GoldenFile["snapshots"][number] | undefined {
  return files.find((g) => g.scenario === scenario)?.snapshots.find((x) => x.label === label);
}

function at(files: GoldenFile[], scenario: string, label: string): string {
  const s = snapshot(files, scenario, label);
  return s === undefined ? "–" : mib(s.heapAllocMedian);
}

function runs(files: GoldenFile[], scenario: string, label: string): string {
  const s = snapshot(files, scenario, label);
  return s === undefined ? "–" : s.heapAlloc.join(", ");
}

const all = releases().map((r) => [r, load(r)] as const);
const out: string[] = [];

out.push("## An empty program (HeapAlloc after runtime.GC(), bytes, per run)", "");
out.push("| release | `go version` | baseline `base` | a `make(map[int]int)` after GC |");
out.push("| --- | --- | --- | --- |");
for (const [r, files] of all) {
  const go = files[0]?.go ?? "–";
  out.push(`| ${r} | ${go} | ${runs(files, "baseline", "base")} | ${runs(files, "baseline", "empty-map")} |`);
}

out.push("", "## The article's case (median HeapAlloc)", "");
out.push(
  "| release | 1M inserted, before GC | after GC | deleted + GC | `*[128]byte` deleted + GC | recreated + GC |",
);
out.push("| --- | --- | --- | --- | --- | --- |");
for (const [r, files] of all) {
  out.push(
    `| ${r} | ${at(files, "article-int-128", "added-before-gc")} | ${at(files, "article-int-128", "added")} | ${at(files, "article-int-128", "deleted")} | ${at(files, "article-ptr-128", "deleted")} | ${at(files, "article-recreate", "recreated")} |`,
  );
}

out.push("", "## Run-to-run spread of HeapAlloc (max/min − 1)", "");
out.push(
  "Post-GC snapshots are split by live heap: under 1 MiB the runtime's own noise (about 5 KB when it starts one more OS thread) dominates; `churn-*` scenarios are listed apart because their result depends on the hash seed.",
  "",
);
out.push(
  "| release | post-GC snapshots | byte-identical in every run | max post-GC spread, ≥ 1 MiB live (where) | same, churn scenarios | max post-GC spread, < 1 MiB live | max between-GC spread |",
);
out.push("| --- | --- | --- | --- | --- | --- | --- |");
for (const [r, files] of all) {
  let n = 0;
  let identical = 0;
  let worstLarge = { s: 0, where: "" };
  let worstChurn = 0;
  let worstSmall = 0;
  let worstPre = 0;
  for (const g of files) {
    for (const s of g.snapshots) {
      if (!s.afterGC) {
        worstPre = Math.max(worstPre, s.spread);
        continue;
      }
      n++;
      if (s.spread === 0) identical++;
      if (s.heapAllocMedian < 1 << 20) worstSmall = Math.max(worstSmall, s.spread);
      else if (g.scenario.startsWith("churn-")) worstChurn = Math.max(worstChurn, s.spread);
      else if (s.spread > worstLarge.s) worstLarge = { s: s.spread, where: `${g.scenario} ${s.label}` };
    }
  }
  out.push(
    `| ${r} | ${n} | ${identical} | ${pct(worstLarge.s)} (${worstLarge.where}) | ${pct(worstChurn)} | ${pct(worstSmall)} | ${pct(worstPre)} |`,
  );
}

out.push("", "## The article's scenario: time and peak RSS (median of runs)", "");
out.push("| release | wall time | CPU time | peak RSS | load average |");
out.push("| --- | --- | --- | --- | --- |");
for (const [r, files] of all) {
  const g = files.find((x) => x.scenario === "article-int-128");
  if (g === undefined) continue;
  const cpu = g.cpuSeconds === undefined ? "–" : `${median(g.cpuSeconds).toFixed(2)} s`;
  out.push(
    `| ${r} | ${median(g.timeSeconds).toFixed(2)} s | ${cpu} | ${mib(median(g.peakRSSBytes))} | ${g.loadAverage?.toFixed(1) ?? "–"} |`,
  );
}

process.stdout.write(`${out.join("\n")}\n`);
