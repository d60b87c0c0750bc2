/**
 * The drawing kit of the chapter notebooks: render.ts's Drawing over a linkedom
 * document, with Observable Plot for heap charts and map-view-svg.ts for map pictures. The build writes a notebook's outputs
 * with it (ipynb.ts) and the published module shows a re-run's outputs with it
 * (kernel-module.ts), so the two serialise charts alike, attribute for attribute.
 *
 * A chart's markup is inserted as it is, not through the page's sanitizer: a notebook
 * is no page of the site. At build time the markup is the site's own cells'; in Deno it
 * is the reader's own code, run on the reader's own machine.
 */
import * as RealPlot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { PlotModule } from "../heap-chart.ts";
import { mapFigure } from "../map-view-svg.ts";
import type { Drawing } from "../render.ts";

let kit: { document: Document; drawing: Drawing } | null = null;

export function notebookDrawing(): { document: Document; drawing: Drawing } {
  if (!kit) {
    const doc = parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
    kit = {
      document: doc,
      drawing: {
        figure: (markup) => {
          const box = doc.createElement("div");
          box.innerHTML = markup;
          const fragment = doc.createDocumentFragment();
          fragment.append(...box.childNodes);
          return fragment;
        },
        Plot: RealPlot as unknown as PlotModule,
        mapFigure: (item, d) => mapFigure(item, d, { timeline: false }),
      },
    };
  }
  return kit;
}
