/**
 * Build-time execution: every cell of a chapter runs in Node, in chapter order, in
 * one kernel with the chapter's seed, and its outputs become HTML in the page.
 *
 * 1. remark-cells.ts collects the chapter's cells and calls runChapter().
 * 2. Each cell runs to completion in a fresh Kernel shared by the chapter. Outputs
 *    arrive as events: "output" appends, "update" replaces the item with the same
 *    chart id (a live chart's last state is what gets baked), "progress" is ignored.
 * 3. Items are drawn by render.ts into a linkedom document (Plot draws its SVG there)
 *    and converted to hast.
 * 4. A cell that throws fails the build with "chapter › cell id › line:col: message",
 *    unless the author marked it `throws` (a cell that shows an error on purpose); a
 *    `throws` cell that does not throw fails the build too.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { domToHast, type HNode } from "./hast.ts";
import { Kernel } from "./kernel.ts";
import { CHAPTER_SEED, type OutputItem } from "./protocol.ts";
import { renderItem, type PlotModule } from "./render.ts";

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
}

export class CellBuildError extends Error {
  constructor(chapter: string, cellId: string, where: string, message: string) {
    super(`${chapter} › ${cellId} › ${where}: ${message}`);
    this.name = "CellBuildError";
  }
}

export async function runChapter(chapter: string, cells: CellSource[]): Promise<CellRun[]> {
  let items: OutputItem[] = [];
  const kernel = new Kernel({
    seed: CHAPTER_SEED,
    liveInterval: Number.POSITIVE_INFINITY, // only the final state of a chart is baked
    emit: (e) => {
      if (e.type === "output") items.push(e.item);
      else if (e.type === "update" && e.item.kind === "heap") {
        const id = e.item.id;
        items = items.map((it) => (it.kind === "heap" && it.id === id ? e.item : it));
      }
    },
  });
  const runs: CellRun[] = [];
  for (const cell of cells) {
    items = [];
    const created = kernel.releases.length;
    const result = await kernel.run(cell.id, cell.code);
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
    runs.push({ id: cell.id, items, ms: result.ms, go: [...new Set(kernel.releases.slice(created))] });
  }
  return runs;
}

let cachedDocument: Document | null = null;

/** Output items as hast, drawn by the same code the page uses. */
export function itemsToHast(items: OutputItem[]): HNode[] {
  cachedDocument ??= parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
  const doc = cachedDocument;
  const out: HNode[] = [];
  for (const item of items) {
    const node = domToHast(
      renderItem(item, doc, Plot as unknown as PlotModule) as unknown as Parameters<typeof domToHast>[0],
    );
    if (node) out.push(node);
  }
  return out;
}
