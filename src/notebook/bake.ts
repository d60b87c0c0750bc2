/**
 * Build-time execution: every cell of a chapter runs in Node, in chapter order, in
 * one kernel with the chapter's seed, and its outputs become HTML in the page.
 *
 * 1. remark-cells.ts collects the chapter's cells and calls runChapter().
 * 2. Each cell runs to completion in a fresh Kernel shared by the chapter. Outputs
 *    arrive as events: "output" appends, "update" replaces the item with the same
 *    chart id (a live chart's last state is what gets baked), "progress" is ignored.
 * 3. Charts are drawn in the kernel, as in the browser (figures.ts: Plot into linkedom),
 *    and arrive as markup. Items are drawn by render.ts into a jsdom document, each
 *    chart's markup through the same sanitizer the page uses (sanitize.ts), heap
 *    charts drawn from their samples by heap-chart.ts as on the page, and converted
 *    to hast: a baked chart is the markup a live one would be.
 * 4. The inputs a cell declares (input.range(…), inputs/declare.ts) arrive as specs; the
 *    cell runs with their defaults, and inputsToHast() bakes them as disabled controls.
 * 5. A cell that throws fails the build with "chapter › cell id › line:col: message",
 *    unless the author marked it `throws` (a cell that shows an error on purpose); a
 *    `throws` cell that does not throw fails the build too.
 */
import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import { createFigures } from "./figures.ts";
import { domToHast, type HNode } from "./hast.ts";
import { Kernel } from "./kernel.ts";
import { CHAPTER_SEED, type OutputItem } from "./protocol.ts";
import type { PlotModule } from "./heap-chart.ts";
import { mapFigure } from "./map-view-svg.ts";
import { renderItem, type Drawing } from "./render.ts";
import { createSanitizer, type Sanitizer } from "./sanitize.ts";
import { inputsFieldset } from "./inputs/controls.ts";
import { checkedSpec, type InputSpec } from "./inputs/spec.ts";

export interface CellSource {
  id: string;
  code: string;
  /** The author expects this cell to throw (its error is part of the story). */
  throws: boolean;
}

export interface CellRun {
  id: string;
  items: OutputItem[];
  ms: number;
  /** The Go releases of the runtimes this cell created ("1.23", …), each once. */
  go: string[];
  /** The inputs the cell declared, with their defaults (baked as disabled controls). */
  inputs: InputSpec[];
}

export class CellBuildError extends Error {
  constructor(chapter: string, cellId: string, where: string, message: string) {
    super(`${chapter} › ${cellId} › ${where}: ${message}`);
    this.name = "CellBuildError";
  }
}

export async function runChapter(chapter: string, cells: CellSource[]): Promise<CellRun[]> {
  // Outputs by run (a timer may display after its cell has finished).
  const byTag = new Map<number, OutputItem[]>();
  const inputsByTag = new Map<number, InputSpec[]>();
  const kernel = new Kernel({
    seed: CHAPTER_SEED,
    liveInterval: Number.POSITIVE_INFINITY, // only the final state of a chart is baked
    figures: createFigures,
    inputChecks: checkedSpec,
    emit: (e) => {
      if (e.type === "input") {
        inputsByTag.get(e.tag)?.push(e.spec);
        return;
      }
      const items = byTag.get(e.tag);
      if (!items) return;
      if (e.type === "output") items.push(e.item);
      else if (e.type === "update" && (e.item.kind === "heap" || e.item.kind === "map")) {
        const { id, kind } = e.item;
        const at = items.findIndex((it) => it.kind === kind && it.id === id);
        if (at >= 0) items[at] = e.item;
      }
    },
  });
  const runs: CellRun[] = [];
  for (const [index, cell] of cells.entries()) {
    const items: OutputItem[] = [];
    const inputs: InputSpec[] = [];
    byTag.set(index + 1, items);
    inputsByTag.set(index + 1, inputs);
    const created = kernel.releases.length;
    const result = await kernel.run(cell.id, cell.code, index + 1);
    if (!result.ok && !cell.throws) {
      const err = result.error;
      const where = err && err.line !== null ? `${err.line}:${err.col ?? 0}` : "?:?";
      throw new CellBuildError(
        chapter,
        cell.id,
        where,
        `${err?.name ?? "Error"}: ${err?.message ?? "failed"}`,
      );
    }
    if (result.ok && cell.throws) {
      throw new CellBuildError(chapter, cell.id, "-", "marked `throws` but ran without an error");
    }
    runs.push({
      id: cell.id,
      items,
      ms: result.ms,
      go: [...new Set(kernel.releases.slice(created))],
      inputs,
    });
  }
  return runs;
}

let dom: { document: Document; drawing: Drawing } | null = null;

/**
 * The build's drawing kit, made once: a jsdom document (DOMPurify needs a real DOM),
 * the page's sanitizer as the door for chart markup, and Plot for heap charts.
 */
export function buildDrawing(): { document: Document; drawing: Drawing } {
  if (!dom) {
    const { window } = new JSDOM("<!doctype html><html><body></body></html>");
    const sanitizer: Sanitizer = createSanitizer(window);
    dom = {
      document: window.document,
      drawing: {
        figure: (markup) => sanitizer.fragment(markup),
        Plot: Plot as unknown as PlotModule,
        // Baked without the timeline's slider: the page adds it when the cell runs.
        mapFigure: (item, doc) => mapFigure(item, doc, { timeline: false }),
      },
    };
  }
  return dom;
}

/** Output items as hast, drawn by the same code the page uses. */
export function itemsToHast(items: OutputItem[]): HNode[] {
  const { document: doc, drawing } = buildDrawing();
  const out: HNode[] = [];
  for (const item of items) {
    const node = domToHast(renderItem(item, doc, drawing) as unknown as Parameters<typeof domToHast>[0]);
    if (node) out.push(node);
  }
  return out;
}

/** A cell's inputs as hast: the page's own controls (inputs/controls.ts), disabled until its script runs. */
export function inputsToHast(cellDomId: string, specs: InputSpec[]): HNode | null {
  const { document: doc } = buildDrawing();
  const set = inputsFieldset(doc, cellDomId, specs, true);
  return set ? domToHast(set as unknown as Parameters<typeof domToHast>[0]) : null;
}
