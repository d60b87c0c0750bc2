/**
 * The model's command line: run a scenario file and print one JSON line per snapshot.
 *
 *   npm run --silent model -- FILE.json [--go 1.24] [--seed N]
 *
 * Each line: {"label", "heapAlloc", "len", "numGC", "nextGC", "heapObjects",
 * "heapInuse", "heapIdle", "heapReleased", "heapSys", "sys", "rss", "nil", "internals"}
 * (bytes for every memory field). Bad input exits with status 2 and a single line on stderr naming the
 * offending field (e.g. `model: steps[3].to: must be ≥ from (10), got 5`); an internal
 * failure exits 1 with a single line too. Never a stack trace, not even when the reader
 * closes the pipe early (`| head -3` ends the run quietly).
 */
import { readFileSync } from "node:fs";
import { enableCompileCache } from "node:module";

// Start-up: Node strips the model's TypeScript on every load (a WebAssembly
// transformer, about 150 ms of a 0.2 s start here). The compile cache (in the OS
// temporary directory, checked against each file's contents) keeps the stripped and
// compiled modules between runs, as a Go binary is compiled once: later runs start in
// about 60 ms. The model is therefore imported after the cache is on.
enableCompileCache();
const { parseScenario, runScenario, ScenarioError } = await import("./scenario.ts");

function fail(code: number, msg: string): never {
  process.stderr.write(`model: ${msg.split("\n")[0] ?? msg}\n`);
  process.exit(code);
}

// A reader that stops early (`| head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  fail(1, `stdout: ${e.message}`);
});

function main(argv: string[]): void {
  let file: string | undefined;
  let go: string | undefined;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--go") {
      go = argv[++i];
      if (go === undefined) fail(2, "--go: needs a version, e.g. --go 1.24");
    } else if (a.startsWith("--go=")) go = a.slice(5);
    else if (a === "--seed") {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v)) fail(2, "--seed: must be an integer");
      seed = v;
    } else if (a.startsWith("--"))
      fail(2, `${a}: unknown option (usage: model FILE.json [--go 1.24] [--seed N])`);
    else if (file === undefined) file = a;
    else fail(2, `${a}: only one scenario file is accepted`);
  }
  if (file === undefined) fail(2, "FILE: missing (usage: model FILE.json [--go 1.24] [--seed N])");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    fail(2, `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const sc = parseScenario(text, go);
    runScenario(sc, {
      ...(seed !== undefined ? { seed } : {}),
      onSnapshot: (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
    });
  } catch (e) {
    if (e instanceof ScenarioError) fail(2, e.message);
    if (e instanceof RangeError) fail(2, `scenario too large for memory (${e.message})`);
    fail(1, `internal error: ${(e as Error).message}`);
  }
}

main(process.argv.slice(2));
