/**
 * Output items as page elements (render.ts does the drawing, shared with the build).
 * A cell's chart is markup from the kernel and enters the page only through the
 * sanitizer (sanitize.ts); a heap chart is numbers, drawn with Plot, which is imported
 * the first time a heap chart has to be drawn, never before. An item that cannot be
 * drawn becomes an error in its cell, never more.
 */
import type { PlotModule } from "../heap-chart.ts";
import type { OutputItem } from "../protocol.ts";
import { renderItem } from "../render.ts";
import { createSanitizer, type Sanitizer } from "../sanitize.ts";

let plot: Promise<PlotModule> | null = null;

function loadPlot(): Promise<PlotModule> {
  plot ??= import("@observablehq/plot").then((m) => m as unknown as PlotModule);
  return plot;
}

let sanitizer: Sanitizer | null = null;
function figure(markup: string): Node {
  sanitizer ??= createSanitizer(window);
  return sanitizer.fragment(markup);
}

/** Draws one item; loads Plot first when the item is a heap chart. */
export async function draw(item: OutputItem): Promise<HTMLElement> {
  const Plot = item.kind === "heap" ? await loadPlot().catch(() => null) : null;
  try {
    return renderItem(item, document, { figure, Plot });
  } catch (e) {
    const message = `This output could not be shown: ${String(e)}`;
    return renderItem({ kind: "error", name: "OutputError", message, line: null, col: null }, document, {
      figure,
      Plot: null,
    });
  }
}
