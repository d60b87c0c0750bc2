import { GoldenSet, type GoldenFile } from "../src/golden/golden.ts";

/**
 * Every golden file, bundled at build time. Components that quote the real
 * runtime read them through this set, so a figure in prose can never drift from
 * the measurement it came from: re-record, rebuild, and the prose follows.
 */
const modules = import.meta.glob<GoldenFile>("/test/fixtures/go-truth/*/*.json", {
  eager: true,
  import: "default",
});

export const golden = new GoldenSet(Object.values(modules));

/**
 * Recorded evidence the model is not held to: committed Go programs
 * (test/fixtures/go-truth-programs/, tools/go-truth/program.ts) and longer or
 * finer scenarios (test/fixtures/go-truth-evidence/, record.ts --scenarios
 * test/go-truth/evidence-scenarios). Same shape as a golden file; their names
 * never collide with a scenario's (test/go-truth/programs.test.ts).
 */
const evidenceModules = import.meta.glob<GoldenFile>(
  ["/test/fixtures/go-truth-programs/*/*.json", "/test/fixtures/go-truth-evidence/*/*.json"],
  { eager: true, import: "default" },
);

export const evidence = new GoldenSet(Object.values(evidenceModules));

/** The set that holds `scenario`: the golden files, else the evidence. */
export function truthFor(scenario: string): GoldenSet {
  return evidence.all().some((f) => f.scenario === scenario) ? evidence : golden;
}
