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
