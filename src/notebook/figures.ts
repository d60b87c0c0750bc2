/**
 * Charts, drawn where the cell runs.
 *
 * A cell writes `display(Plot.plot({ marks: [Plot.lineY(data, { y: (d) => d.bytes })] }))`.
 * The functions in that call are the cell's code, so they must run where the cell runs:
 * in the kernel's worker in the browser, in Node at build time. Observable Plot draws
 * there into a server-side DOM (linkedom, the bundle it publishes for workers), and
 * what leaves the kernel is the chart's markup, a string. The page (and the build)
 * insert it only through sanitize.ts.
 *
 *   cell ── Plot.plot(opts) ──▶ Plot + linkedom (kernel) ──▶ markup ──▶ sanitize ──▶ page
 *
 * Heap charts (liveHeap) are not drawn here: they are plain numbers, which the page
 * checks and draws with the site's own code (heap-chart.ts), off the kernel's thread,
 * so that a live chart costs the run nothing.
 *
 * Accessibility: Plot labels its <g> groups, which ARIA forbids on elements without a
 * role; a chart's <svg> gets role="img" and one label instead (the author's ariaLabel
 * or title, else "Chart"). Heap charts are aria-hidden: render.ts puts a summary in
 * words beside them.
 *
 * A value that is not a chart but part of one (a mark given to display(), a mark that
 * is not a mark in Plot.plot) is an error of the cell that made it, thrown here.
 */
import * as PlotModule from "@observablehq/plot";
import { parseHTML } from "linkedom/worker";
import type { OutputItem } from "./protocol.ts";

type AnyFn = (...args: unknown[]) => unknown;

export interface Figures {
  /** The `Plot` a cell sees: Observable Plot, drawing into the kernel's DOM. */
  readonly Plot: Readonly<Record<string, unknown>>;
  /** display(value) for a chart: its output item; null when `value` is not Plot's. */
  toItem(value: unknown): OutputItem | null;
}

interface DomNode {
  ownerDocument: unknown;
  localName: string;
  outerHTML: string;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}

export function createFigures(): Figures {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const labels = new WeakMap<object, string>();
  const plot = PlotModule.plot as unknown as AnyFn;
  const legend = PlotModule.legend as unknown as AnyFn;

  const drawn = (options: Record<string, unknown>): unknown => {
    const chart = plot({ ...options, document });
    const label =
      typeof options["ariaLabel"] === "string"
        ? options["ariaLabel"]
        : typeof options["title"] === "string"
          ? options["title"]
          : "Chart";
    if (chart && typeof chart === "object") labels.set(chart, label);
    return chart;
  };
  // mark.plot() goes through Plot's own plot(): it must find this document too.
  const Mark = PlotModule.Mark as unknown as { prototype: Record<string, unknown> };
  Mark.prototype["plot"] = function (this: unknown, options: Record<string, unknown> = {}) {
    const marks = Array.isArray(options["marks"]) ? (options["marks"] as unknown[]) : [];
    return drawn({ ...options, marks: [...marks, this] });
  };

  const Plot = Object.freeze({
    ...(PlotModule as unknown as Record<string, unknown>),
    plot: (options: Record<string, unknown> = {}) => drawn(options),
    legend: (options: Record<string, unknown> = {}) => legend({ ...options, document }),
  });

  const isNode = (value: unknown): value is DomNode =>
    typeof value === "object" && value !== null && (value as DomNode).ownerDocument === document;

  function markup(chart: DomNode, label: string): string {
    // A figure (a chart with a title or a legend) holds the legend's swatch <svg>s before
    // the chart's own: marks lose their labels in every one, the swatches are hidden (their
    // names are text beside them) and the last <svg>, the chart, carries the one label.
    const svgs = chart.localName === "svg" ? [chart] : Array.from(chart.querySelectorAll("svg"));
    const main = svgs.at(-1);
    for (const svg of svgs) {
      for (const g of Array.from(svg.querySelectorAll("[aria-label], [aria-description]"))) {
        g.removeAttribute("aria-label");
        g.removeAttribute("aria-description");
      }
      if (svg !== main) svg.setAttribute("aria-hidden", "true");
    }
    if (main) {
      main.setAttribute("role", "img");
      main.setAttribute("aria-label", label);
    }
    return chart.outerHTML;
  }

  return {
    Plot,
    toItem(value) {
      if (value instanceof PlotModule.Mark) {
        const name = (value as { ariaLabel?: unknown }).ariaLabel;
        throw new TypeError(
          `display() was given a Plot mark (${typeof name === "string" ? name : "mark"}), not a chart: draw it with Plot.plot({ marks: [ … ] }) or mark.plot().`,
        );
      }
      if (!isNode(value)) return null;
      return { kind: "plot", html: markup(value, labels.get(value) ?? "Chart") };
    },
  };
}
