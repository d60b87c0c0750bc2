/**
 * Model vs real Go: runs every golden scenario on the model and compares snapshots.
 *
 *   node tools/model-table.ts            print the table (markdown) to stdout
 *   node tools/model-table.ts --write    also replace the table in docs/model.md
 *
 * A golden file (test/fixtures/go-truth/goX.Y/NAME.json) holds, per snapshot, the
 * HeapAlloc of every run and their median. A snapshot is "post-GC" when the last
 * step before it (other snapshots aside) is a gc: those are the ones the model must
 * match within max(1%, 256 B) of the real median. The others (taken mid-insert or
 * right after one) show the pacer's sawtooth; the table reports their error too.
 * test/model/golden-lib.ts (classic-golden.test.ts, swiss-golden.test.ts) uses
 * the same functions.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { compareGolden, type Comparison, type Golden } from "../src/golden/compare.ts";
import { formatBytes } from "../src/golden/golden.ts";

export { compareGolden, type Comparison, type Golden } from "../src/golden/compare.ts";

export const FIXTURES = new URL("../test/fixtures/go-truth/", import.meta.url).pathname;

export function goldenFiles(): { release: string; file: string }[] {
  if (!existsSync(FIXTURES)) return [];
  const out: { release: string; file: string }[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    const m = /^go(1\.\d+)$/.exec(dir);
    if (m === null) continue;
    for (const f of readdirSync(join(FIXTURES, dir)).sort())
      if (f.endsWith(".json")) out.push({ release: m[1] ?? "", file: join(FIXTURES, dir, f) });
  }
  return out;
}

export function readGolden(file: string): Golden {
  return JSON.parse(readFileSync(file, "utf8")) as Golden;
}

function fmtBytes(n: number): string {
  return formatBytes(n, n >= 2 ** 20 ? 2 : 1);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(3)}%`;
}

export function table(): string {
  const lines: string[] = [];
  lines.push(
    "| release | scenario | post-GC snapshots | worst post-GC error | worst (label) | pre-GC snapshots | pre-GC within 1% | pre-GC in runs' range | worst pre-GC error |",
  );
  lines.push("|---|---|---:|---:|---|---:|---:|---:|---:|");
  const verdicts = new Map<string, number>();
  const worstByRelease = new Map<string, number>();
  const worstBigByRelease = new Map<string, number>();
  const detail: string[] = [];
  for (const { release, file } of goldenFiles()) {
    const g = readGolden(file);
    let cmp: Comparison[];
    try {
      cmp = compareGolden(g);
    } catch (e) {
      lines.push(`| ${release} | ${g.scenario} | — | model failed: ${(e as Error).message} | | | | | |`);
      continue;
    }
    const post = cmp.filter((c) => c.postGC);
    for (const c of post)
      if (c.realLen >= 20_000)
        worstBigByRelease.set(release, Math.max(worstBigByRelease.get(release) ?? 0, c.error));
    const pre = cmp.filter((c) => !c.postGC);
    const wp = post.reduce<Comparison | null>((a, c) => (a === null || c.error > a.error ? c : a), null);
    const wq = pre.reduce((a, c) => Math.max(a, c.error), 0);
    for (const c of post)
      verdicts.set(`${release} ${c.verdict}`, (verdicts.get(`${release} ${c.verdict}`) ?? 0) + 1);
    const preOk = pre.filter((c) => c.error <= 0.01).length;
    const preInRuns = pre.filter((c) => c.verdict !== "fail").length;
    worstByRelease.set(release, Math.max(worstByRelease.get(release) ?? 0, wp?.error ?? 0));
    lines.push(
      `| ${release} | ${g.scenario} | ${post.length} | ${wp === null ? "—" : pct(wp.error)} | ${wp === null ? "" : `${wp.label}: ${fmtBytes(wp.model)} vs ${fmtBytes(wp.real)}`} | ${pre.length} | ${pre.length === 0 ? "—" : `${preOk}/${pre.length}`} | ${pre.length === 0 ? "—" : `${preInRuns}/${pre.length}`} | ${pre.length === 0 ? "—" : pct(wq)} |`,
    );
    for (const c of post) {
      detail.push(
        `| ${release} | ${g.scenario} | ${c.label} | ${c.realLen} | ${c.real} | ${c.model} | ${c.model - c.real} | ${pct(c.error)} | ${c.verdict === "fail" ? "**no**" : c.verdict} |`,
      );
    }
  }
  lines.push("");
  lines.push(
    "Worst post-GC error per release (against the median of the real runs): " +
      [...worstByRelease].map(([r, w]) => `${r} ${pct(w)}`).join(", ") +
      ".",
  );
  lines.push("");
  lines.push(
    "Worst post-GC error per release for maps of 20 000 entries or more: " +
      [...worstBigByRelease].map(([r, w]) => `${r} ${pct(w)}`).join(", ") +
      ".",
  );
  lines.push("");
  lines.push(
    "How post-GC snapshots matched (see tools/model-table.ts): " +
      [...verdicts]
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") +
      ".",
  );
  lines.push("");
  lines.push("Every post-GC snapshot (bytes of HeapAlloc; real = median of the recorded runs):");
  lines.push("");
  lines.push("| release | scenario | snapshot | len | real | model | model − real | error | match |");
  lines.push("|---|---|---|---:|---:|---:|---:|---:|---|");
  lines.push(...detail);
  return lines.join("\n");
}

const BEGIN = "<!-- model-table:begin (generated by tools/model-table.ts --write) -->";
const END = "<!-- model-table:end -->";

if (import.meta.main) {
  const t = table();
  if (process.argv.includes("--write")) {
    const doc = new URL("../docs/model.md", import.meta.url).pathname;
    const text = readFileSync(doc, "utf8");
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a < 0 || b < a) {
      console.error(`model-table: markers not found in ${doc}`);
      process.exit(2);
    }
    writeFileSync(
      doc,
      `${text.slice(0, a + BEGIN.length)}\n<!-- prettier-ignore-start -->\n\n${t}\n\n<!-- prettier-ignore-end -->\n${text.slice(b)}`,
    );
  }
  console.log(t);
}
