/**
 * Output items as DOM. The same code draws the build's HTML (with a server-side DOM,
 * see bake.ts) and the page's live outputs, so the two never disagree.
 *
 * A cell's charts arrive drawn, as markup from the kernel (figures.ts); they are the
 * cell's and enter the document only through `figure`, the sanitizer's door
 * (sanitize.ts). A heap chart is plain numbers, drawn here by heap-chart.ts with Plot
 * (no function of the cell involved), followed by a one-line summary in words (last
 * and peak HeapAlloc) for readers who do not see the chart.
 */
import { formatNumber, mib } from "./format.ts";
import { checkedSamples, heapChart, type PlotModule } from "./heap-chart.ts";
import type { OutputItem } from "./protocol.ts";

export interface Drawing {
  /** Turns a chart's untrusted markup into sanitized nodes of the document. */
  figure: (markup: string) => Node;
  /** Observable Plot for heap charts; without it a heap chart is its summary alone. */
  Plot: PlotModule | null;
  /** The map picture's drawing (map-view-svg.ts), loaded when the first one is drawn. */
  mapFigure?: ((item: Extract<OutputItem, { kind: "map" }>, doc: Document) => HTMLElement) | null;
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function heapSummary(item: Extract<OutputItem, { kind: "heap" }>): string {
  const { points } = checkedSamples(item);
  const last = points.at(-1);
  if (!last) return `${item.title}: no samples yet.`;
  const peak = Math.max(...points.map((p) => p.heapAlloc));
  const more = [
    last.heapInuse !== undefined ? `HeapInuse ${mib(last.heapInuse)}` : "",
    last.rss !== undefined ? `RSS ${mib(last.rss)}` : "",
  ].filter((x) => x !== "");
  const when =
    item.x === "time" && last.t !== undefined ? ` at ${formatNumber(Math.round(last.t / 100) / 10)} s` : "";
  return `${item.title}: ${mib(last.heapAlloc)} after ${formatNumber(last.ops)} operations${when} (peak ${mib(peak)})${more.length > 0 ? `; ${more.join(", ")}` : ""}${item.done ? "." : ", still running…"}`;
}

/** One output item as an element. */
export function renderItem(
  item: OutputItem,
  doc: Document,
  { figure, Plot, mapFigure }: Drawing,
): HTMLElement {
  switch (item.kind) {
    case "text":
      return el(doc, "pre", "nb-text", item.text);
    case "log":
      return el(doc, "pre", `nb-log nb-log-${item.level}`, item.text);
    case "error": {
      const box = el(doc, "div", "nb-error");
      box.setAttribute("role", "alert");
      const where = item.line !== null ? ` at line ${item.line}, column ${item.col ?? 0}` : "";
      box.append(el(doc, "strong", undefined, `${item.name}${where}`));
      if (item.context) box.append(el(doc, "span", "nb-error-context", ` (${item.context})`));
      box.append(el(doc, "pre", undefined, item.message));
      if (item.line !== null) box.dataset["line"] = `${item.line}:${item.col ?? 0}`;
      return box;
    }
    case "table": {
      const wrap = el(doc, "div", "nb-table");
      const table = el(doc, "table");
      const head = el(doc, "tr");
      for (const c of item.columns) {
        const th = el(doc, "th", undefined, c);
        th.setAttribute("scope", "col");
        head.append(th);
      }
      const thead = el(doc, "thead");
      thead.append(head);
      const tbody = el(doc, "tbody");
      for (const row of item.rows) {
        const tr = el(doc, "tr");
        for (const v of row) tr.append(el(doc, "td", undefined, v));
        tbody.append(tr);
      }
      table.append(thead, tbody);
      wrap.append(table);
      if (item.more > 0) wrap.append(el(doc, "p", "nb-more", `… and ${formatNumber(item.more)} more rows`));
      return wrap;
    }
    case "plot": {
      const fig = el(doc, "div", "nb-plot");
      fig.append(figure(item.html));
      return fig;
    }
    case "heap": {
      const fig = el(doc, "figure", "nb-heap");
      fig.dataset["heap"] = String(item.id);
      fig.dataset["points"] = String(checkedSamples(item).points.length);
      if (Plot) fig.append(heapChart(item, Plot, doc));
      fig.append(el(doc, "figcaption", undefined, heapSummary(item)));
      return fig;
    }
    case "map": {
      if (mapFigure) return mapFigure(item, doc);
      const fig = el(doc, "figure", "nb-map");
      fig.dataset["mapView"] = String(Number(item.id) || 0);
      fig.append(el(doc, "figcaption", undefined, "A picture of the map (it could not be drawn here)."));
      return fig;
    }
  }
}
