/**
 * A cell's outputs as Jupyter outputs. The build uses it to write the outputs it
 * computed into a chapter's notebook, and the published kernel module (kernel-module.ts)
 * uses it to show what a cell displays in Deno's Jupyter kernel, so a downloaded
 * notebook and a re-run of it look the same.
 *
 *   text                 → display_data  text/plain
 *   console.log / info   → stream stdout (warn and error: stderr)
 *   table                → display_data  text/html (the page's table) + text/plain (aligned)
 *   plot                 → display_data  image/svg+xml (Plot's SVG) + text/plain (its label)
 *   heap chart           → display_data  image/svg+xml + text/plain (the summary in words)
 *   error                → error         ename, evalue, traceback
 *
 * Drawing goes through render.ts, the code that draws the page's outputs, with the
 * drawing kit it is given: drawing.ts's linkedom document, at build time and in Deno.
 */
import { heapSummary, renderItem, type Drawing } from "../render.ts";
import type { OutputItem } from "../protocol.ts";
import { lines, type MimeBundle, type Output } from "./nbformat.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

/** The first <svg> of a chart, standalone: Jupyter shows image/svg+xml as an image. */
function svgText(root: Element): string | null {
  const svg = root.localName === "svg" ? root : root.querySelector("svg");
  if (!svg) return null;
  if (!svg.getAttribute("xmlns")) svg.setAttribute("xmlns", SVG_NS);
  return svg.outerHTML;
}

/** Columns padded to their widest value, a rule under the header. */
function plainTable(item: Extract<OutputItem, { kind: "table" }>): string {
  const widths = item.columns.map((c, i) => Math.max(c.length, ...item.rows.map((r) => (r[i] ?? "").length)));
  const row = (cells: string[]): string =>
    cells
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [row(item.columns), row(widths.map((w) => "-".repeat(w))), ...item.rows.map(row)];
  if (item.more > 0) out.push(`… and ${item.more.toLocaleString("en-US")} more rows`);
  return out.join("\n");
}

function display(data: MimeBundle): Output {
  const bundle: MimeBundle = {};
  for (const [type, value] of Object.entries(data))
    bundle[type] = typeof value === "string" ? lines(value) : value;
  return { output_type: "display_data", data: bundle, metadata: {} };
}

/** The mime bundle of a displayed item (not of a log line or an error). */
export function mimeBundle(item: OutputItem, doc: Document, drawing: Drawing): Record<string, string> {
  switch (item.kind) {
    case "text":
    case "log":
      return { "text/plain": item.text };
    case "error":
      return { "text/plain": `${item.name}: ${item.message}` };
    case "table":
      return { "text/html": renderItem(item, doc, drawing).outerHTML, "text/plain": plainTable(item) };
    case "plot": {
      const fig = renderItem(item, doc, drawing);
      const chart = fig.firstElementChild;
      const label =
        chart?.querySelector("svg")?.getAttribute("aria-label") ?? chart?.getAttribute("aria-label");
      const bundle: Record<string, string> = { "text/plain": label ?? "Chart" };
      const svg = chart ? svgText(chart) : null;
      if (svg) bundle["image/svg+xml"] = svg;
      // A figure with a title, caption or legend keeps them as HTML beside the bare SVG.
      if (chart && chart.localName !== "svg") bundle["text/html"] = chart.outerHTML;
      return bundle;
    }
    case "heap": {
      const fig = renderItem(item, doc, drawing);
      const svg = svgText(fig);
      return svg
        ? { "image/svg+xml": svg, "text/plain": heapSummary(item) }
        : { "text/plain": heapSummary(item) };
    }
    case "map": {
      const fig = renderItem(item, doc, drawing);
      const svg = svgText(fig);
      const summary = fig.querySelector("figcaption")?.textContent ?? "A picture of the map";
      return svg ? { "image/svg+xml": svg, "text/plain": summary } : { "text/plain": summary };
    }
  }
}

/** One output item as a Jupyter output. */
export function toOutput(item: OutputItem, doc: Document, drawing: Drawing): Output {
  switch (item.kind) {
    case "log":
      return {
        output_type: "stream",
        name: item.level === "warn" || item.level === "error" ? "stderr" : "stdout",
        text: lines(`${item.text}\n`),
      };
    case "error": {
      const where = item.line !== null ? ` (cell line ${item.line}, column ${item.col ?? 0})` : "";
      return {
        output_type: "error",
        ename: item.name,
        evalue: item.message,
        traceback: [`${item.name}: ${item.message}${where}`],
      };
    }
    default:
      return display(mimeBundle(item, doc, drawing));
  }
}

/** A cell's outputs in order; consecutive lines of one stream are joined, as Jupyter does. */
export function toOutputs(items: readonly OutputItem[], doc: Document, drawing: Drawing): Output[] {
  const out: Output[] = [];
  for (const item of items) {
    const next = toOutput(item, doc, drawing);
    const last = out.at(-1);
    if (next.output_type === "stream" && last?.output_type === "stream" && last.name === next.name) {
      last.text.push(...next.text);
    } else out.push(next);
  }
  return out;
}
