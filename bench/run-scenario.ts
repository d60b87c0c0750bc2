/**
 * One benchmark measurement in a process of its own, so that its peak memory is
 * its own: runs a scenario file (or `--inserts N`: N inserts of int → [128]byte into a map made without a hint)
 * on the model and prints {ms, maxRSSBytes} as JSON. Used by bench/model.ts.
 */
import { readFileSync } from "node:fs";
import { goRuntime } from "../src/model/runtime.ts";
import { parseScenario, runScenario } from "../src/model/scenario.ts";
import type { GoVersion } from "../src/model/contract.ts";

const args = process.argv.slice(2);
const go = (args[args.indexOf("--go") + 1] ?? "1.23") as GoVersion;
const start = performance.now();
if (args[0] === "--inserts") {
  const n = Number(args[1]);
  const rt = goRuntime({ go });
  const m = rt.makeMap("int", "[128]byte");
  m.insertRange(0, n);
} else {
  const path = args[0];
  if (!path) throw new Error("usage: run-scenario.ts FILE.json --go 1.23 | --inserts N --go 1.23");
  runScenario(parseScenario(readFileSync(path, "utf8"), go));
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, maxRSSBytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
