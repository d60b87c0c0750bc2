/**
 * Output items as page elements (render.ts does the drawing, shared with the build).
 * A cell's chart is markup from the kernel and enters the page only through the
 * sanitizer (sanitize.ts); a heap chart is numbers, drawn with Plot, which is imported
 * the first time a heap chart has to be drawn, never before. An item that cannot be
 * drawn becomes an error in its cell, never more; a Plot that does not arrive is a
 * LoadFailure (load-errors.ts).
 */
import type { PlotModule } from "../heap-chart.ts";
import type { OutputItem } from "../protocol.ts";
import { renderItem, type Drawing } from "../render.ts";
import { createSanitizer, type Sanitizer } from "../sanitize.ts";
import { lazy } from "./load-errors.ts";

let plot: Promise<PlotModule> | null = null;

/** Plot, imported once; a failed import (offline, a deployment) is a LoadFailure, retried next time. */
function loadPlot(): Promise<PlotModule> {
  plot ??= lazy("plot", () => import("@observablehq/plot")).then(
    (m) => m as unknown as PlotModule,
    (error: unknown) => {
      plot = null;
      throw error;
    },
  );
  return plot;
}

type MapFigure = NonNullable<Drawing["mapFigure"]>;

/** The width of the picture a newer state replaces (live updates keep their size). */
function widthOf(id: number): number | undefined {
  const w = document.querySelector(`figure[data-map-view="${id}"]`)?.clientWidth ?? 0;
  return w > 0 ? w : undefined;
}
let mapDrawing: Promise<MapFigure> | null = null;

/** The map picture's drawing code, a chunk of its own, imported with the first map picture. */
function loadMapFigure(): Promise<MapFigure> {
  mapDrawing ??= lazy("map-view", () => import("../map-view-svg.ts")).then(
    (m) => (item, doc) => m.mapFigure(item, doc, { timeline: true, width: widthOf(item.id) }),
    (error: unknown) => {
      mapDrawing = null;
      throw error;
    },
  );
  return mapDrawing;
}

let sanitizer: Sanitizer | null = null;
function figure(markup: string): Node {
  sanitizer ??= createSanitizer(window);
  return sanitizer.fragment(markup);
}

/**
 * Draws one item; loads Plot first when the item is a heap chart. Throws a LoadFailure
 * when Plot does not load (the cell then keeps its previous outputs: output-swap.ts).
 */
export async function draw(item: OutputItem): Promise<HTMLElement> {
  const Plot = item.kind === "heap" ? await loadPlot() : null;
  const mapFigure = item.kind === "map" ? await loadMapFigure() : null;
  try {
    return renderItem(item, document, { figure, Plot, mapFigure });
  } catch (e) {
    const message = `This output could not be shown: ${String(e)}`;
    return renderItem({ kind: "error", name: "OutputError", message, line: null, col: null }, document, {
      figure,
      Plot: null,
    });
  }
}
