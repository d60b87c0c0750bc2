/**
 * The estimate as DOM: the same code draws the build's baked example (in jsdom) and
 * the page's live results, so the two never disagree.
 *
 * Everything enters as text (textContent) or as numbers checked finite before Plot
 * draws them: the estimate comes from the site's own worker, but the page treats it
 * as data all the same. The chart is an aria-hidden SVG followed by its summary in
 * words; the figures are tables with headers, the program a <pre>.
 */
import type { PlotModule } from "../notebook/heap-chart.ts";
import type { LengthSlot } from "./go-syntax.ts";
import type { Estimate, Fix, Held } from "./figures.ts";
import type { Length } from "./state.ts";

const MiB = 2 ** 20;
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function bytes(b: number): string {
  if (!finite(b)) return "–";
  const a = Math.abs(b);
  if (a >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (a >= MiB) return `${(b / MiB).toFixed(1)} MiB`;
  if (a >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${Math.round(b)} B`;
}

export const count = (n: number): string => (finite(n) ? n.toLocaleString("en-US") : "–");

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function table(
  doc: Document,
  caption: string,
  head: string[],
  rows: string[][],
  attrs: Record<string, string>,
): HTMLElement {
  // A table wider than a phone's column scrolls; the region is focusable so the keyboard reaches it.
  const wrap = el(doc, "div", {
    class: "ym-table",
    role: "region",
    tabindex: "0",
    "aria-label": caption,
    ...attrs,
  });
  const t = el(doc, "table");
  t.append(el(doc, "caption", {}, caption));
  const tr = el(doc, "tr");
  for (const h of head) tr.append(el(doc, "th", { scope: "col" }, h));
  const thead = el(doc, "thead");
  thead.append(tr);
  const tbody = el(doc, "tbody");
  for (const r of rows) {
    const row = el(doc, "tr");
    r.forEach((v, i) => row.append(i === 0 ? el(doc, "th", { scope: "row" }, v) : el(doc, "td", {}, v)));
    tbody.append(row);
  }
  t.append(thead, tbody);
  wrap.append(t);
  return wrap;
}

/** A length control per string or slice: `len:<path>` (and `cap:<path>` for slices). */
export function lengthControls(
  doc: Document,
  slots: readonly LengthSlot[],
  lengths: Readonly<Record<string, Length>>,
): HTMLElement[] {
  return slots.map((slot) => {
    const l = lengths[slot.path] ?? { len: 0, cap: 0 };
    const box = el(doc, "div", { class: "ym-field", "data-ym-slot": slot.path });
    const id = `ym-len-${slot.path.replace(/[^A-Za-z0-9_]/g, "-")}`;
    const msg = `${id}-msg`;
    const what = slot.kind === "string" ? "bytes" : "elements";
    box.append(el(doc, "label", { for: id }, `${slot.path} (${slot.goType}): typical length in ${what}`));
    const len = el(doc, "input", {
      id,
      name: `len:${slot.path}`,
      type: "number",
      min: "0",
      step: "1",
      inputmode: "numeric",
      value: String(l.len),
      "aria-describedby": msg,
    });
    box.append(len);
    if (slot.kind === "slice") {
      box.append(el(doc, "label", { for: `${id}-cap` }, "capacity"));
      box.append(
        el(doc, "input", {
          id: `${id}-cap`,
          name: `cap:${slot.path}`,
          type: "number",
          min: "0",
          step: "1",
          inputmode: "numeric",
          value: String(l.cap),
          "aria-describedby": msg,
        }),
      );
    }
    box.append(el(doc, "p", { id: msg, class: "ym-msg", "data-ym-msg": `len:${slot.path}` }));
    return box;
  });
}

/** HeapAlloc over the workload: an aria-hidden SVG (the summary says it in words). */
export function chart(e: Estimate, Plot: PlotModule, doc: Document): Element {
  const call = (name: string, ...args: unknown[]): unknown =>
    (Plot[name] as (...a: unknown[]) => unknown)(...args);
  const series: [string, (p: Estimate["points"][number]) => number | null][] = [
    ["HeapAlloc", (p) => p.heapAlloc],
    ["HeapInuse", (p) => p.heapInuse],
    ["RSS", (p) => p.rss],
  ];
  const data = series.flatMap(([name, get]) =>
    e.points
      .map((p) => ({ ops: p.ops, v: get(p) }))
      .filter((d): d is { ops: number; v: number } => finite(d.ops) && finite(d.v))
      .map((d) => ({ ops: d.ops, MiB: d.v / MiB, series: name })),
  );
  const svg = call("plot", {
    document: doc,
    height: 260,
    marginLeft: 56,
    marginRight: 28,
    style: { background: "transparent" },
    x: { label: "map writes →", grid: true },
    y: { label: "↑ MiB", grid: true },
    color: { legend: true, domain: series.map(([n]) => n) },
    marks: [
      call("lineY", data, { x: "ops", y: "MiB", stroke: "series", strokeWidth: 1.5 }),
      call("ruleY", [0]),
    ],
  }) as Element;
  svg.setAttribute("aria-hidden", "true");
  return svg;
}

function heldRow(name: string, h: Held): string[] {
  const per = (b: number): string => (h.entries > 0 ? `${count(Math.round(b / h.entries))} B` : "–");
  return [name, count(h.entries), bytes(h.bytes), per(h.bytes), per(h.table), per(h.objects)];
}

function fixRow(f: Fix): string[] {
  const cell = (b: number | null): string =>
    f.pending ? "computing…" : b === null ? "does not apply" : bytes(b);
  return [f.name, `Go ${f.go}`, cell(f.peak), cell(f.after), f.note];
}

/** The results: recommendation, chart, figures, fixes and the Go program. */
export function results(e: Estimate, doc: Document, Plot: PlotModule | null): HTMLElement {
  const root = el(doc, "div", {
    class: "ym-results",
    "data-ym-results": "",
    "data-complete": String(e.complete),
  });
  root.append(
    el(
      doc,
      "p",
      { class: "ym-summary", "data-ym-summary": "" },
      `${e.mapType} on Go ${e.go} (model of linux/amd64, ${e.mapKind === "classic" ? "classic buckets" : "Swiss tables"}), ${count(e.peak.entries)} entries at the peak.`,
    ),
  );
  const rec = el(doc, "p", { class: "ym-recommendation", "data-ym-recommendation": "" });
  rec.append(el(doc, "strong", {}, "Recommendation: "), doc.createTextNode(e.recommendation));
  root.append(rec);

  const fig = el(doc, "figure", { class: "ym-chart", "data-ym-chart": "" });
  if (Plot) fig.append(chart(e, Plot, doc));
  const peakPoint = Math.max(...e.points.map((p) => p.heapAlloc));
  const rssPoints = e.points.map((p) => p.rss).filter(finite);
  const rssText =
    rssPoints.length > 0
      ? ` The process's resident set peaks at ${bytes(Math.max(...rssPoints))} and ends at ${bytes(rssPoints.at(-1) ?? NaN)}.`
      : "";
  fig.append(
    el(
      doc,
      "figcaption",
      {},
      `HeapAlloc over the workload: peak ${bytes(peakPoint)}, ${bytes(e.after.bytes + e.base)} ${e.afterWords} (after a collection), ${bytes(e.recreated + e.base)} once recreated.${rssText}`,
    ),
  );
  root.append(fig);

  root.append(
    table(
      doc,
      "Bytes per entry (heap after runtime.GC(), the runtime's own heap subtracted)",
      [
        "when",
        "entries",
        "heap held",
        "per entry",
        "of it buckets/tables",
        "of it objects the entries point to",
      ],
      [heldRow("At the peak", e.peak), heldRow(e.afterWords.replace(/^a/, "A"), e.after)],
      { "data-ym-per-entry": "" },
    ),
  );
  const stays = el(doc, "p", { "data-ym-stays": "" });
  stays.textContent =
    e.stays > 0
      ? `What stays ${e.afterWords}: ${bytes(e.stays)} more than a fresh map of the same ${count(e.after.entries)} entries holds (${bytes(e.recreated)}). That is the ${e.mapKind === "classic" ? "bucket array and overflow buckets" : "tables"} grown for the peak; deleting entries frees only what they pointed to (${bytes(e.peak.objects - e.after.objects)}).`
      : `Nothing stays ${e.afterWords}: the map holds no more than a fresh map of its ${count(e.after.entries)} entries (${bytes(e.recreated)}).`;
  root.append(stays);

  root.append(
    table(
      doc,
      "The fixes, by their numbers (heap held by the map)",
      ["fix", "release", "at the peak", e.afterWords, "how"],
      e.fixes.map(fixRow),
      { "data-ym-fixes": "" },
    ),
  );

  const prog = el(doc, "details", { class: "ym-program", "data-ym-program": "" });
  prog.append(el(doc, "summary", {}, "The Go program behind this estimate"));
  if (e.program.ok) {
    prog.append(
      el(
        doc,
        "p",
        {},
        `It runs the same workload and prints, for every snapshot, runtime.MemStats' HeapAlloc, NumGC, NextGC and HeapObjects, len(m) and the map's header. Save it as main.go and run it with go run main.go on Go ${e.go}.`,
      ),
    );
    const pre = el(doc, "pre", { tabindex: "0" });
    pre.append(el(doc, "code", { "data-ym-program-text": "" }, e.program.text));
    prog.append(pre);
  } else {
    prog.append(el(doc, "p", { role: "note" }, `No program yet for these types: ${e.program.why}`));
  }
  root.append(prog);
  return root;
}
