/**
 * What a committed Go program's tool printed on the real runtime, as a page shows it:
 * `<RecordedOutput scenario go index skip />` (components/RecordedOutput.astro) and the
 * chapter's Jupyter notebook (src/notebook/jupyter/build.ts) both take it from here, so
 * the two show the same lines. The recording is a file of
 * test/fixtures/go-truth-programs/ (tools/go-truth/program.ts) with a `pprof` list of
 * commands and their output.
 *
 *   { scenario: "heap-profile", go: "1.23", index: 1 }
 *     → text "$ go tool pprof … \n…the lines pprof printed…", where "go1.23.5, linux/amd64"
 */
import { goVersionName, type GoldenFile, type GoldenSet } from "./golden.ts";

export interface RecordedQuote {
  scenario: string;
  go: string;
  /** Which recorded command (default 0). */
  index?: number;
  /** Leading lines of its output to leave out (pprof's File/Time header). */
  skip?: number;
}

export interface Recorded {
  /** The command line, then what it printed. */
  text: string;
  where: string;
}

/** Throws, saying how many commands exist, when the file has no command `index`. */
export function recordedOutput(evidence: GoldenSet, quote: RecordedQuote): Recorded {
  const { scenario, go, index = 0, skip = 0 } = quote;
  const file = evidence.file(go, scenario) as GoldenFile & { pprof?: { command: string; output: string }[] };
  const entry = file.pprof?.[index];
  if (entry === undefined)
    throw new Error(
      `<RecordedOutput>: ${go}/${scenario} has no recorded command #${index} (it has ${file.pprof?.length ?? 0})`,
    );
  const output = entry.output.trimEnd().split("\n").slice(skip).join("\n");
  return {
    text: `$ ${entry.command}\n${output}`,
    where: `${goVersionName(file)}, ${file.goos}/${file.goarch}`,
  };
}
