/**
 * Process memory, model vs real Go: the share of settled snapshots within the targets,
 * per field, classic maps (Go 1.19–1.23) against Swiss tables (1.24–1.27), over every
 * scenario golden file that records the process columns (src/golden/compare.ts
 * compareProcess, the rule the tests and the site use).
 *
 *   node tools/process-table.ts             the share table (markdown)
 *   node tools/process-table.ts --misses    also every scenario with a miss: per field,
 *                                           misses / settled and the largest |model − real
 *                                           median| in MiB
 *   node tools/process-table.ts --misses=SUBSTRING   only files whose "goX.Y scenario" contains it
 */
import { compareProcess, processCompared, type ProcessComparison } from "../src/golden/compare.ts";
import { goldenFiles, readGolden } from "./model-table.ts";

const MiB = 2 ** 20;

const names: Record<string, string> = {
  heapInuse: "HeapInuse",
  heapIdle: "HeapIdle",
  heapReleased: "HeapReleased",
  heapSys: "HeapSys",
  rss: "RSS",
};

export function family(release: string): "classic (1.19–1.23)" | "Swiss (1.24–1.27)" {
  return Number(release.split(".")[1]) >= 24 ? "Swiss (1.24–1.27)" : "classic (1.19–1.23)";
}

export interface ProcessShares {
  table: string;
  misses: string;
}

export function processShares(filter?: string): ProcessShares {
  const counts = new Map<string, { ok: number; all: number }>();
  const missLines: string[] = [];
  for (const { release, file } of goldenFiles()) {
    const g = readGolden(file);
    const key = `go${release} ${g.scenario}`;
    let cmp: ProcessComparison[];
    try {
      cmp = compareProcess(g);
    } catch (e) {
      missLines.push(`${key}: model failed: ${(e as Error).message}`);
      continue;
    }
    if (cmp.length === 0) continue;
    const fam = family(release);
    const parts: string[] = [];
    for (const f of processCompared) {
      const cs = cmp.filter((c) => c.field === f);
      const ok = cs.filter((c) => c.verdict !== "fail").length;
      const k = `${fam} ${f}`;
      const n = counts.get(k) ?? { ok: 0, all: 0 };
      counts.set(k, { ok: n.ok + ok, all: n.all + cs.length });
      const fails = cs.filter((c) => c.verdict === "fail");
      if (fails.length > 0) {
        const worst = fails.reduce((a, c) => (c.diff > a.diff ? c : a));
        const sign = worst.model > worst.real ? "+" : "−";
        parts.push(
          `${names[f] ?? f} ${fails.length}/${cs.length} (${sign}${(worst.diff / MiB).toFixed(1)} at ${worst.label})`,
        );
      }
    }
    if (parts.length > 0 && (filter === undefined || key.includes(filter)))
      missLines.push(`${key}: ${parts.join("; ")}`);
  }
  const lines = [
    `| maps | ${processCompared.map((f) => names[f] ?? f).join(" | ")} |`,
    `| --- | ${processCompared.map(() => "---").join(" | ")} |`,
  ];
  for (const fam of ["classic (1.19–1.23)", "Swiss (1.24–1.27)"]) {
    const cells = processCompared.map((f) => {
      const n = counts.get(`${fam} ${f}`) ?? { ok: 0, all: 0 };
      return `${n.ok} / ${n.all} (${n.all === 0 ? "—" : `${Math.floor((100 * n.ok) / n.all)}%`})`;
    });
    lines.push(`| ${fam} | ${cells.join(" | ")} |`);
  }
  return { table: lines.join("\n"), misses: missLines.join("\n") };
}

if (import.meta.main) {
  const arg = process.argv.find((a) => a.startsWith("--misses"));
  const filter = arg?.includes("=") === true ? arg.slice(arg.indexOf("=") + 1) : undefined;
  const r = processShares(filter);
  console.log(r.table);
  if (arg !== undefined) console.log(`\nMisses (field misses/settled, largest |model − real| in MiB):\n${r.misses}`);
}
