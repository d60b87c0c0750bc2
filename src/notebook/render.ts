/**
 * Output items as DOM. The same code draws the build's HTML (with a server-side DOM,
 * see bake.ts) and the page's live outputs, so the two never disagree.
 *
 * A heap chart is drawn with Observable Plot, followed by a one-line summary in words
 * (last and peak HeapAlloc) for readers who do not see the chart.
 */
import { formatNumber, mib } from "./format.ts";
import { replay } from "./plot-record.ts";
import type { HeapPoint, OutputItem } from "./protocol.ts";

export type PlotModule = Record<string, unknown>;

const MiB = 2 ** 20; // bytes in a mebibyte, the unit of every heap chart

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

/** The heap chart as a recorded Plot call (so it can also be replayed by replay()). */
export function heapChartFigure(
  item: Extract<OutputItem, { kind: "heap" }>,
  Plot: PlotModule,
  doc: Document,
): Element {
  const call = (name: string, ...args: unknown[]): unknown =>
    (Plot[name] as (...a: unknown[]) => unknown)(...args);
  const data = item.points.map((p: HeapPoint) => ({ ops: p.ops, MiB: p.heapAlloc / MiB }));
  const marks: unknown[] = [
    call("areaY", data, { x: "ops", y: "MiB", fillOpacity: 0.15, fill: "currentColor", curve: "step-after" }),
    call("lineY", data, { x: "ops", y: "MiB", curve: "step-after" }),
    call("ruleY", [0]),
  ];
  if (item.notes.length > 0) {
    marks.push(call("ruleX", item.notes, { x: "ops", strokeDasharray: "3,3" }));
    // Labels in the right third of the chart go to the left of their rule, so that
    // they are not cut at the edge.
    const maxOps = Math.max(1, ...item.points.map((p) => p.ops));
    const right = item.notes.filter((n) => n.ops > (2 / 3) * maxOps);
    const left = item.notes.filter((n) => n.ops <= (2 / 3) * maxOps);
    marks.push(
      call("text", left, { x: "ops", text: "label", frameAnchor: "top", dx: 4, textAnchor: "start" }),
    );
    marks.push(
      call("text", right, { x: "ops", text: "label", frameAnchor: "top", dx: -4, textAnchor: "end" }),
    );
  }
  return call("plot", {
    document: doc,
    height: 220,
    marginLeft: 56,
    marginRight: 28,
    style: { background: "transparent" },
    x: { label: "operations →", grid: true },
    y: { label: "↑ HeapAlloc (MiB)", grid: true },
    marks,
  }) as Element;
}

export function heapSummary(item: Extract<OutputItem, { kind: "heap" }>): string {
  const last = item.points.at(-1);
  if (!last) return `${item.title}: no samples yet.`;
  const peak = Math.max(...item.points.map((p) => p.heapAlloc));
  return `${item.title}: ${mib(last.heapAlloc)} after ${formatNumber(last.ops)} operations (peak ${mib(peak)})${item.done ? "." : ", still running…"}`;
}

/** One output item as an element. Plot is needed only for plot and heap items. */
export function renderItem(item: OutputItem, doc: Document, Plot: PlotModule | null): HTMLElement {
  switch (item.kind) {
    case "text":
      return el(doc, "pre", "nb-text", item.text);
    case "log":
      return el(doc, "pre", `nb-log nb-log-${item.level}`, item.text);
    case "error": {
      const box = el(doc, "div", "nb-error");
      box.setAttribute("role", "alert");
      const where = item.line !== null ? ` at line ${item.line}, column ${item.col ?? 0}` : "";
      box.append(
        el(doc, "strong", undefined, `${item.name}${where}`),
        el(doc, "pre", undefined, item.message),
      );
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
      if (!Plot) return fig;
      const chart = replay(item.call, Plot, doc) as Element;
      // One accessible image: Plot labels its <g> groups, which ARIA forbids on
      // elements without a role; the figure's name is the author's ariaLabel or title.
      const svg = chart.localName === "svg" ? chart : chart.querySelector("svg");
      if (svg) {
        for (const g of Array.from(svg.querySelectorAll("[aria-label], [aria-description]"))) {
          g.removeAttribute("aria-label");
          g.removeAttribute("aria-description");
        }
        const opts = (item.call.args[0] ?? {}) as { ariaLabel?: unknown; title?: unknown };
        svg.setAttribute("role", "img");
        svg.setAttribute(
          "aria-label",
          typeof opts.ariaLabel === "string"
            ? opts.ariaLabel
            : typeof opts.title === "string"
              ? opts.title
              : "Chart",
        );
      }
      fig.append(chart);
      return fig;
    }
    case "heap": {
      const fig = el(doc, "figure", "nb-heap");
      fig.dataset["heap"] = String(item.id);
      fig.dataset["points"] = String(item.points.length);
      if (Plot) {
        const chart = heapChartFigure(item, Plot, doc);
        chart.setAttribute("aria-hidden", "true");
        fig.append(chart);
      }
      fig.append(el(doc, "figcaption", undefined, heapSummary(item)));
      return fig;
    }
  }
}
