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
 *   node tools/process-table.ts --programs  only the committed programs' table
 *                                           (test/fixtures/go-truth-programs/, the
 *                                           scenarios of test/model/process-programs.ts)
 */
import { readFileSync } from "node:fs";
import {
  compareProcess,
  compareProcessRows,
  processCompared,
  type ProcessComparison,
} from "../src/golden/compare.ts";
import { processFieldNames, processFields, type GoldenFile } from "../src/golden/golden.ts";
import { isSwiss } from "../src/go-program/generate.ts";
import { checkScenario, runScenario } from "../src/model/scenario.ts";
import { processPrograms } from "../test/model/process-programs.ts";
import { goldenFiles, readGolden } from "./model-table.ts";

/** The table's rows: the map implementation of each golden file's release. */
const FAMILY = { classic: "classic (1.19–1.23)", swiss: "Swiss (1.24–1.27)" } as const;

const MiB = 2 ** 20;

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
    const fam = FAMILY[isSwiss(release) ? "swiss" : "classic"];
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
          `${processFieldNames[f]} ${fails.length}/${cs.length} (${sign}${(worst.diff / MiB).toFixed(1)} at ${worst.label})`,
        );
      }
    }
    if (parts.length > 0 && (filter === undefined || key.includes(filter)))
      missLines.push(`${key}: ${parts.join("; ")}`);
  }
  const lines = [
    `| maps | ${processCompared.map((f) => processFieldNames[f]).join(" | ")} |`,
    `| --- | ${processCompared.map(() => "---").join(" | ")} |`,
  ];
  for (const fam of Object.values(FAMILY)) {
    const cells = processCompared.map((f) => {
      const n = counts.get(`${fam} ${f}`) ?? { ok: 0, all: 0 };
      return `${n.ok} / ${n.all} (${n.all === 0 ? "—" : `${Math.floor((100 * n.ok) / n.all)}%`})`;
    });
    lines.push(`| ${fam} | ${cells.join(" | ")} |`);
  }
  return { table: lines.join("\n"), misses: missLines.join("\n") };
}

const PROGRAMS = new URL("../test/fixtures/go-truth-programs/", import.meta.url).pathname;

/** The committed programs against their recordings: matched / settled and the largest miss, per field. */
export function programsTable(): string {
  const fields = processFields;
  const lines = [
    `| release | program | ${fields.map((f) => processFieldNames[f]).join(" | ")} |`,
    `| --- | --- | ${fields.map(() => "---").join(" | ")} |`,
  ];
  for (const release of ["1.23", "1.24", "1.27"]) {
    for (const name of ["scavenge-timeline", "pointer-spans", "forced-gc"] as const) {
      const program = processPrograms[name];
      if (program === undefined) continue;
      const g = JSON.parse(readFileSync(`${PROGRAMS}go${release}/${name}.json`, "utf8")) as GoldenFile;
      const definition = { go: release, ...program };
      const cmp = compareProcessRows(g.snapshots, runScenario(checkScenario(definition)), definition).filter(
        (c) => c.settled,
      );
      const cells = fields.map((f) => {
        const cs = cmp.filter((c) => c.field === f);
        const ok = cs.filter((c) => c.verdict !== "fail").length;
        const max = cs.reduce((a, c) => Math.max(a, c.diff), 0);
        return `${ok}/${cs.length}, max ${(max / MiB).toFixed(1)}`;
      });
      lines.push(`| ${release} | ${name} | ${cells.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const arg = process.argv.find((a) => a.startsWith("--misses"));
  const filter = arg?.includes("=") === true ? arg.slice(arg.indexOf("=") + 1) : undefined;
  const programsOnly = process.argv.includes("--programs") && arg === undefined;
  if (!programsOnly) {
    const r = processShares(filter);
    console.log(r.table);
    if (arg !== undefined)
      console.log(`\nMisses (field misses/settled, largest |model − real| in MiB):\n${r.misses}`);
  }
  if (process.argv.includes("--programs")) console.log(`\n${programsTable()}`);
}
