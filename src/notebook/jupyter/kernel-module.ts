/**
 * The published kernel module: what a downloaded chapter notebook imports by URL.
 *
 *   import { goRuntime, display, liveHeap, mapView, liveMapView, mib, Plot, input } from "<site>/notebooks/kernel.js";
 *
 * publish.ts bundles this file, with the model, Observable Plot and linkedom, into one ES
 * module at /notebooks/kernel.js. Its exports are the builtins of a Kernel (kernel.ts),
 * the very functions the site's cells call, seeded with the chapter seed, so a notebook
 * re-run in Deno prints what the page printed. What differs:
 *
 *   display(value)   shows a mime bundle with Deno.jupyter.display (outputs.ts: tables as
 *                    HTML, Plot figures as SVG drawn with linkedom); outside Jupyter it
 *                    prints the text/plain form with console.log. It returns nothing
 *                    (the site's returns its argument), so that a cell ending in
 *                    display(…) does not show its value a second time.
 *   liveHeap(rt)     (and liveMapView(m)) the chart is shown when it is made and redrawn once the cell's code
 *                    yields (its end, or an await): then it stops following the runtime,
 *                    as it does at the end of a run on the site. It is not animated.
 *   Plot             Observable Plot drawing into linkedom, as in the site's kernel
 *                    (figures.ts); display() shows the chart's SVG (drawing.ts).
 *   console          is Deno's own (numbers print without digit grouping).
 *   input            returns each input's default (edit the call to try another value).
 *
 * Nothing here runs at import beyond making the kernel: no network, no file access.
 */
import { createFigures } from "../figures.ts";
import { checkedSpec } from "../inputs/spec.ts";
import { Kernel, type KernelEvent, type LiveHeapOptions } from "../kernel.ts";
import { CHAPTER_SEED, type OutputItem } from "../protocol.ts";
import { notebookDrawing } from "./drawing.ts";
import { mimeBundle } from "./outputs.ts";
import type { GoMap, GoRuntime } from "../model.ts";

/** The model's types, for a notebook written in TypeScript. */
export type { GoMap, GoRuntime, MemStats, RuntimeOptions } from "../model.ts";

interface Jupyter {
  display(
    bundle: Record<string, string>,
    options: { raw: true; display_id?: string; update?: boolean },
  ): Promise<void>;
}

function jupyter(): Jupyter | null {
  const deno = (globalThis as { Deno?: { jupyter?: Jupyter } }).Deno;
  return typeof deno?.jupyter?.display === "function" ? deno.jupyter : null;
}

const bundleOf = (item: OutputItem): Record<string, string> => {
  const { document, drawing } = notebookDrawing();
  return mimeBundle(item, document, drawing);
};

function show(event: KernelEvent): void {
  if (event.type === "progress" || event.type === "input") return; // a notebook's inputs keep their defaults
  const { item } = event;
  const j = jupyter();
  if (item.kind === "heap" || item.kind === "map") {
    // A chart is one display, redrawn in place when its run ends.
    if (event.type === "output") setTimeout(() => kernel.finishCharts(), 0);
    if (j) {
      const options = {
        raw: true as const,
        display_id: `go-map-${item.kind}-${item.id}`,
        update: event.type === "update",
      };
      j.display(bundleOf(item), options).catch((e: unknown) => console.error(e));
    } else if (item.done) console.log(bundleOf(item)["text/plain"]);
    return;
  }
  if (item.kind === "log") {
    (item.level === "warn" || item.level === "error" ? console.error : console.log)(item.text);
    return;
  }
  if (j) j.display(bundleOf(item), { raw: true }).catch((e: unknown) => console.error(e));
  else console.log(bundleOf(item)["text/plain"]);
}

const kernel = new Kernel({
  seed: CHAPTER_SEED,
  liveInterval: Number.POSITIVE_INFINITY,
  figures: createFigures,
  inputChecks: checkedSpec,
  emit: show,
});
await kernel.loadFigures();
const builtins = kernel.builtins() as {
  goRuntime: (typeof import("../model.ts"))["goRuntime"];
  display: (value: unknown) => unknown;
  liveHeap: (rt: GoRuntime, options?: LiveHeapOptions) => { note(label: string): void };
  mapView: (m: GoMap, options?: { title?: string }) => object;
  liveMapView: (m: GoMap, options?: { every?: number; title?: string }) => { stop(): void };
  mib: (bytes: number) => string;
  Plot: Record<string, (...args: unknown[]) => unknown>;
  input: import("../inputs/declare.ts").InputBuiltin;
};

export const { goRuntime, liveHeap, mapView, liveMapView, mib, Plot, input } = builtins;

/**
 * Shows a value below the cell. It returns nothing, as IPython's display() does: Deno's
 * kernel shows a cell's last value as its result, and most cells end with display(…).
 */
export function display(value: unknown): void {
  builtins.display(value);
}
