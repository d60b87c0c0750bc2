/**
 * Runs a chapter notebook's code cells in Deno, the way Deno's Jupyter kernel does, and
 * sets what they display beside the outputs the build wrote into the file.
 *
 *   node tools/run-notebook.ts dist/notebooks/situation.ipynb [--module dist/notebooks/kernel.js]
 *
 * Deno's Jupyter kernel evaluates each cell in one REPL session: TypeScript, top-level
 * await, names shared between cells (and redeclarable). `deno repl --eval-file` runs
 * files in such a session, one evaluation per file and in order, so each code cell
 * becomes one file. Before them a prelude stands in for the frontend: it gives Deno a
 * `Deno.jupyter.display` that records mime bundles (updates by display_id replace the
 * output they name), and records console lines as stream outputs. An import map sends
 * the first cell's import of "<site>/notebooks/kernel.js" to the built module file;
 * `--no-remote` and read access to that file only keep the run local.
 *
 * The deno binary is the npm package `deno` (a devDependency), so nothing is downloaded.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Notebook, Output } from "../src/notebook/jupyter/nbformat.ts";

const DENO = resolve(dirname(fileURLToPath(import.meta.url)), "../node_modules/.bin/deno");
const RESULT = "__NOTEBOOK_RESULT__";

/** An output with its strings joined: the form in which two runs are compared. */
export type PlainOutput =
  | { output_type: "stream"; name: string; text: string }
  | { output_type: "display_data"; data: Record<string, string> }
  | { output_type: "error"; ename: string; evalue: string };

export interface CellResult {
  id: string;
  /** What the cell showed when Deno ran it. */
  outputs: PlainOutput[];
  /** What the build wrote into the notebook. */
  baked: PlainOutput[];
  /** The REPL's report when the cell threw, else null. */
  error: string | null;
}

const join_ = (v: string | string[]): string => (Array.isArray(v) ? v.join("") : v);

/** Joins multi-line strings and adjacent lines of one stream. */
export function plain(outputs: readonly Output[] | readonly PlainOutput[]): PlainOutput[] {
  const out: PlainOutput[] = [];
  for (const o of outputs) {
    let p: PlainOutput;
    if (o.output_type === "stream") p = { output_type: "stream", name: o.name, text: join_(o.text) };
    else if (o.output_type === "error") p = { output_type: "error", ename: o.ename, evalue: o.evalue };
    else {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.data)) data[k] = join_(v as string | string[]);
      p = { output_type: "display_data", data };
    }
    const last = out.at(-1);
    if (p.output_type === "stream" && last?.output_type === "stream" && last.name === p.name)
      last.text += p.text;
    else out.push(p);
  }
  return out;
}

/**
 * Outputs as compared between two engines: SVG coordinates rounded to 1/1000 of a pixel.
 * Deno's V8 and Node's may differ in the last bit of Math.log, which Plot's log scales
 * use (104.34047844734533 against …535); nothing a reader could see.
 */
export function comparable(outputs: readonly PlainOutput[]): PlainOutput[] {
  return outputs.map((o) => {
    if (o.output_type !== "display_data" || !o.data["image/svg+xml"]) return o;
    const svg = o.data["image/svg+xml"].replace(/-?\d+\.\d{4,}/g, (n) =>
      String(Number(Number(n).toFixed(3))),
    );
    return { ...o, data: { ...o.data, "image/svg+xml": svg } };
  });
}

const PRELUDE = `
const print = console.log.bind(console);
const cells: unknown[][] = [];
const where = new Map<string, [number, number]>();
let current = -1;
const push = (o: unknown): void => { cells[current]?.push(o); };
(globalThis as Record<string, unknown>).__notebook = {
  start(i: number) { current = i; cells[i] = []; },
  finish() { print(${JSON.stringify(RESULT)} + JSON.stringify(cells)); },
};
(Deno as unknown as Record<string, unknown>).jupyter = {
  display(bundle: Record<string, string>, options: { display_id?: string; update?: boolean } = {}) {
    const o = { output_type: "display_data", data: bundle };
    const at = options.display_id ? where.get(options.display_id) : undefined;
    if (options.update && at) cells[at[0]]![at[1]] = o;
    else {
      push(o);
      if (options.display_id) where.set(options.display_id, [current, cells[current]!.length - 1]);
    }
    return Promise.resolve();
  },
};
const line = (args: unknown[]): string =>
  args.map((a) => (typeof a === "string" ? a : Deno.inspect(a))).join(" ") + "\\n";
for (const [level, name] of [["log", "stdout"], ["info", "stdout"], ["debug", "stdout"], ["warn", "stderr"], ["error", "stderr"]] as const) {
  (console as unknown as Record<string, unknown>)[level] = (...args: unknown[]) =>
    push({ output_type: "stream", name, text: line(args) });
}
`;

/** Runs the notebook's code cells in a fresh Deno REPL session; the first cell imports `moduleFile`. */
export function runNotebook(notebookFile: string, moduleFile: string): CellResult[] {
  const notebook = JSON.parse(readFileSync(notebookFile, "utf8")) as Notebook;
  const code = notebook.cells.filter((c) => c.cell_type === "code");
  const imported = /from\s+"([^"]+)"/.exec(code[0]?.source.join("") ?? "")?.[1];
  if (!imported) throw new Error(`${notebookFile}: the first code cell imports no module`);
  const dir = mkdtempSync(join(tmpdir(), "notebook-"));
  try {
    writeFileSync(
      join(dir, "import-map.json"),
      JSON.stringify({ imports: { [imported]: pathToFileURL(resolve(moduleFile)).href } }),
    );
    const files = [join(dir, "prelude.ts")];
    writeFileSync(files[0] as string, PRELUDE);
    code.forEach((cell, i) => {
      const mark = join(dir, `start-${i}.ts`);
      const body = join(dir, `cell-${i}.ts`);
      writeFileSync(mark, `(globalThis as any).__notebook.start(${i});`);
      writeFileSync(body, cell.source.join(""));
      files.push(mark, body);
    });
    // A chart is redrawn once its cell yields: one turn of the event loop before reporting.
    const end = join(dir, "finish.ts");
    writeFileSync(
      end,
      "await new Promise((r) => setTimeout(r, 0));\n(globalThis as any).__notebook.finish();",
    );
    files.push(end);
    const stdout = execFileSync(
      DENO,
      [
        "repl",
        "--quiet",
        "--no-remote",
        "--no-config",
        `--import-map=${join(dir, "import-map.json")}`,
        `--allow-read=${resolve(moduleFile)}`,
        `--eval-file=${files.join(",")}`,
      ],
      {
        input: "",
        encoding: "utf8",
        maxBuffer: 256 * 2 ** 20,
        env: { ...process.env, DENO_DIR: join(dir, "deno-dir"), NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      },
    );
    const resultLine = stdout.split("\n").find((l) => l.startsWith(RESULT));
    if (!resultLine) throw new Error(`Deno printed no result:\n${stdout}`);
    const shown = JSON.parse(resultLine.slice(RESULT.length)) as (PlainOutput[] | null)[];
    const errors = new Map<number, string>();
    for (const m of stdout.matchAll(/Error in --eval-file file "[^"]*cell-(\d+)\.ts": (.*)/g))
      errors.set(Number(m[1]), m[2] ?? "");
    for (const m of stdout.matchAll(/Error in --eval-file file "[^"]*(prelude|start-\d+|finish)\.ts": (.*)/g))
      throw new Error(`the runner's own ${m[1]}.ts failed: ${m[2]}`);
    return code.map((cell, i) => ({
      id: cell.id,
      outputs: plain((shown[i] ?? []) as PlainOutput[]),
      baked: plain(cell.outputs),
      error: errors.get(i) ?? null,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const m = args.indexOf("--module");
  const moduleFile = m >= 0 ? (args.splice(m, 2)[1] ?? "") : "dist/notebooks/kernel.js";
  let failed = 0;
  for (const file of args) {
    for (const r of runNotebook(file, moduleFile)) {
      const same = JSON.stringify(comparable(r.outputs)) === JSON.stringify(comparable(r.baked));
      if (r.error || !same) failed++;
      console.log(
        `${file} › ${r.id}: ${r.error ? `threw ${r.error}` : same ? "outputs as built" : "outputs differ"}`,
      );
    }
  }
  process.exitCode = failed ? 1 : 0;
}
