/**
 * A number the real Go runtime measured, as prose quotes it: the text of
 * `<Measured scenario go label />` (components/Measured.astro). The site's page and the
 * chapter's Jupyter notebook (src/notebook/jupyter/) both print it through this one
 * function, so the two never disagree.
 *
 *   { scenario: "article-int-128", go: "1.23", label: "deleted" }
 *     → text "293.3 MiB", where "go1.23.5, linux/amd64"
 */
import { formatBytes, formatNote, goVersionName, median, type GoldenSet } from "./golden.ts";

export interface MeasuredQuote {
  scenario: string;
  go: string;
  label: string;
  /** Another snapshot of the same run to subtract (the heap before the map existed). */
  minus?: string;
  /** What to quote: HeapAlloc (the default), len, or the number of collections. */
  field?: "heapAlloc" | "len" | "numGC";
  /** A value a committed program recorded with note() at that snapshot, instead (formatNote). */
  note?: string;
}

export interface Measured {
  /** The figure: "293.3 MiB", "1,000,000", "3". */
  text: string;
  /** Where it was measured: "go1.23.5, linux/amd64". */
  where: string;
  /** One sentence on how it was measured (the page's tooltip). */
  title: string;
}

/** Throws, naming what exists, when the file or a label is missing. */
export function measured(golden: GoldenSet, quote: MeasuredQuote): Measured {
  const { scenario, go, label, minus, field = "heapAlloc", note } = quote;
  const file = golden.file(go, scenario);
  const snap = golden.snapshot(go, scenario, label);
  const base = minus === undefined ? undefined : golden.snapshot(go, scenario, minus);
  let text: string;
  if (note !== undefined) {
    const notes = (snap as { notes?: Record<string, number[]> }).notes ?? {};
    const values = notes[note];
    if (values === undefined)
      throw new Error(
        `${go}/${scenario}#${label} has no note "${note}" (it has: ${Object.keys(notes).join(", ") || "none"})`,
      );
    text = formatNote(note, median(values));
  } else if (field === "len") text = snap.len.toLocaleString("en-US");
  else if (field === "numGC") text = String(median(snap.numGC) - (base ? median(base.numGC) : 0));
  else text = formatBytes(snap.heapAllocMedian - (base?.heapAllocMedian ?? 0));
  const where = `${goVersionName(file)}, ${file.goos}/${file.goarch}`;
  const title = `Measured on the real runtime: ${where}, median of ${file.runs} runs (spread ${(snap.spread * 100).toFixed(2)}%), scenario ${scenario}, snapshot “${label}”`;
  return { text, where, title };
}
