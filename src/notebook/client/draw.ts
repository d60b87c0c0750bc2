/**
 * Output items as page elements (render.ts does the drawing, shared with the build).
 * Plot is imported the first time a figure has to be drawn, never before.
 */
import type { OutputItem } from "../protocol.ts";
import { renderItem, type PlotModule } from "../render.ts";

let plot: Promise<PlotModule> | null = null;

function loadPlot(): Promise<PlotModule> {
  plot ??= import("@observablehq/plot").then((m) => m as unknown as PlotModule);
  return plot;
}

const needsPlot = (item: OutputItem): boolean => item.kind === "plot" || item.kind === "heap";

/** Draws one item; loads Plot first when the item is a figure. */
export async function draw(item: OutputItem): Promise<HTMLElement> {
  return renderItem(item, document, needsPlot(item) ? await loadPlot() : null);
}
