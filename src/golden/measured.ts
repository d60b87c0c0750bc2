/**
 * A number the real Go runtime measured, as prose quotes it: the text of
 * `<Measured scenario go label />` (components/Measured.astro). The site's page and the
 * chapter's Jupyter notebook (src/notebook/jupyter/) both print it through this one
 * function, so the two never disagree.
 *
 *   { scenario: "article-int-128", go: "1.23", label: "deleted" }
 *     → text "293.3 MiB", where "go1.23.5, linux/amd64"
 *
 * What can be quoted (Measured.astro's props):
 *   field   "heapAlloc" (default), "len", "numGC", "peakRSS" (the process's peak
 *           resident memory, median of the runs; the label still names a snapshot),
 *           a process-memory field of the snapshot: "rss" (the resident set, from
 *           /proc/self/statm), "heapInuse", "heapIdle", "heapReleased", "heapSys" or
 *           "sys" (runtime.MemStats), or
 *           "map.NAME" (the median of a field of the snapshot's map internals, e.g.
 *           map.B, map.tables, map.overflowBuckets);
 *   note    a value a committed program recorded with note() at that snapshot (names
 *           ending in Bytes or HeapAlloc as bytes, in Ns as milliseconds, others as
 *           counts; golden.ts formatNote);
 *   minus   another snapshot of the same run, subtracted (HeapAlloc, numGC, map.*);
 *   stat    "min" or "max": the lowest or highest value of the runs (HeapAlloc or a
 *           process-memory field), not the median;
 *   exact   bytes with separators ("1,168 B") instead of KiB or MiB.
 */
import {
  processFields,
  type ProcessField,
  formatBytes,
  formatNote,
  goVersionName,
  median,
  type GoldenSet,
  type GoldenSnapshot,
} from "./golden.ts";

export interface MeasuredQuote {
  scenario: string;
  go: string;
  label: string;
  minus?: string;
  field?: "heapAlloc" | "len" | "numGC" | "peakRSS" | ProcessField | `map.${string}`;
  note?: string;
  stat?: "median" | "min" | "max";
  exact?: boolean;
}

export interface Measured {
  /** The figure: "293.3 MiB", "1,000,000", "3". */
  text: string;
  /** Where it was measured: "go1.23.5, linux/amd64". */
  where: string;
  /** One sentence on how it was measured (the page's tooltip). */
  title: string;
}

/** Throws, naming what exists, when the file, a label, a map field or a note is missing. */
export function measured(golden: GoldenSet, quote: MeasuredQuote): Measured {
  const { scenario, go, label, minus, field = "heapAlloc", note, stat = "median", exact = false } = quote;
  const file = golden.file(go, scenario);
  const snap = golden.snapshot(go, scenario, label);
  const base = minus === undefined ? undefined : golden.snapshot(go, scenario, minus);
  const mapField = (s: GoldenSnapshot, name: string): number => {
    const values = s.map?.[name];
    if (values === undefined)
      throw new Error(
        `<Measured>: ${go}/${scenario}#${label} has no map field "${name}" (it has: ${Object.keys(s.map ?? {}).join(", ") || "none"})`,
      );
    return median(values);
  };
  const pick = (values: readonly number[]): number =>
    stat === "min" ? Math.min(...values) : stat === "max" ? Math.max(...values) : median(values);
  const isProcess = (processFields as readonly string[]).includes(field);
  const processValue = (s: GoldenSnapshot): number => {
    const values = (s as unknown as Partial<Record<string, readonly number[]>>)[field];
    if (values === undefined)
      throw new Error(
        `<Measured>: ${go}/${scenario}#${label} has no "${field}" (recorded before the process columns?)`,
      );
    return pick(values);
  };
  const heap = (s: GoldenSnapshot): number => (stat === "median" ? s.heapAllocMedian : pick(s.heapAlloc));
  const bytesText = (bytes: number): string =>
    exact ? `${Math.round(bytes).toLocaleString("en-US")} B` : formatBytes(bytes);
  let text: string;
  if (note !== undefined) {
    const notes = (snap as { notes?: Record<string, number[]> }).notes ?? {};
    const values = notes[note];
    if (values === undefined)
      throw new Error(
        `${go}/${scenario}#${label} has no note "${note}" (it has: ${Object.keys(notes).join(", ") || "none"})`,
      );
    const v = median(values);
    text = exact && /(Bytes|HeapAlloc)$/.test(note) ? bytesText(v) : formatNote(note, v);
  } else if (field === "len") text = snap.len.toLocaleString("en-US");
  else if (field === "peakRSS") text = formatBytes(median(file.peakRSSBytes));
  else if (field === "numGC") text = String(median(snap.numGC) - (base ? median(base.numGC) : 0));
  else if (isProcess) text = bytesText(processValue(snap) - (base ? processValue(base) : 0));
  else if (field.startsWith("map.")) {
    const name = field.slice(4);
    text = (mapField(snap, name) - (base ? mapField(base, name) : 0)).toLocaleString("en-US");
  } else text = bytesText(heap(snap) - (base ? heap(base) : 0));
  const where = `${goVersionName(file)}, ${file.goos}/${file.goarch}`;
  const statName =
    (field === "heapAlloc" || isProcess) && stat !== "median"
      ? stat === "min"
        ? "lowest"
        : "highest"
      : "median";
  const title = `Measured on the real runtime: ${where}, ${statName} of ${file.runs} runs (spread ${(snap.spread * 100).toFixed(2)}%), scenario ${scenario}, snapshot “${label}”`;
  return { text, where, title };
}
