import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import { checkedLines, checkedSamples, heapChart } from "../../src/notebook/heap-chart.ts";
import type { OutputItem } from "../../src/notebook/protocol.ts";

type HeapItem = Extract<OutputItem, { kind: "heap" }>;
const MiB = 2 ** 20;
const points = Array.from({ length: 50 }, (_, i) => ({
  ops: i * 1000,
  heapAlloc: i * MiB,
  t: i * 250,
  heapInuse: i * 1.1 * MiB,
  rss: (i + 3) * MiB,
}));
const item = (extra: Partial<HeapItem>): HeapItem => ({
  kind: "heap",
  id: 1,
  title: "memory",
  points,
  notes: [{ ops: 1000, label: "recreated", t: 250 }],
  done: true,
  ...extra,
});

describe("heap chart lines", () => {
  test("draws HeapAlloc, HeapInuse and RSS with distinct dashes, markers and their names at the line ends", () => {
    const { document } = parseHTML("<html><body></body></html>");
    const html = heapChart(
      item({ lines: ["HeapAlloc", "HeapInuse", "RSS"], x: "time" }),
      Plot as never,
      document as never,
    ).outerHTML;
    expect(html).toContain('stroke-dasharray="6,3"'); // HeapInuse
    expect(html).toContain('stroke-dasharray="2,2"'); // RSS
    expect(html).toMatch(/>RSS</);
    expect(html).toMatch(/>HeapInuse</);
    expect(html).toMatch(/>HeapAlloc</);
    expect(html).toContain("virtual seconds");
  });

  test("keeps only known lines and finite numbers from the kernel", () => {
    expect(checkedLines(item({ lines: ["RSS", "<script>" as never] }))).toEqual(["RSS"]);
    expect(checkedLines(item({}))).toEqual(["HeapAlloc"]);
    const bad = item({ points: [{ ops: 1, heapAlloc: 2, rss: Number.NaN, heapInuse: "x" as never }] });
    expect(checkedSamples(bad).points).toEqual([{ ops: 1, heapAlloc: 2 }]);
  });
});
