import { JSDOM } from "jsdom";
import { describe, expect, test } from "vitest";
import { createFigures } from "../../src/notebook/figures.ts";
import { createSanitizer } from "../../src/notebook/sanitize.ts";

// The sanitizer's configuration, on jsdom (the build's DOM; the page uses its own window).
const { window } = new JSDOM("<!doctype html><html><body></body></html>");
const { clean } = createSanitizer(window as unknown as Parameters<typeof createSanitizer>[0]);

describe("charts enter a page only sanitized", () => {
  test("scripts, event handlers, javascript: links and foreignObject are removed", () => {
    const out = clean(
      `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>` +
        `<a href="javascript:alert(3)"><text onclick="alert(4)">x</text></a>` +
        `<foreignObject><div>inside</div></foreignObject><circle r="2"/></svg>`,
    );
    expect(out).not.toMatch(/script|onload|onclick|javascript:|foreignObject|inside/i);
    expect(out).toMatch(/<circle r="2"/);
    expect(out).toMatch(/<text>x<\/text>/);
  });

  test("external URLs go, in href, in url(…) attributes and in style; local references stay", () => {
    const out = clean(
      `<svg><a href="https://example.com/"><text>link</text></a><a href="#cell-x"><text>local</text></a>` +
        `<g style="fill: url(https://example.com/x.svg#p)"><path d="M0,0" clip-path="url(#plot-clip-1)"/></g>` +
        `<rect fill="url(https://example.com/p)" width="1"/><rect style="color: red" width="2"/>` +
        `<rect style="background: \\75rl(x)" width="3"/><image href="https://example.com/i.png"/>` +
        `<use href="#a"/><style>@import "https://example.com/x.css";</style></svg>`,
    );
    expect(out).not.toMatch(/example\.com|\\75rl|<image|<use|<style|@import/);
    expect(out).toMatch(/clip-path="url\(#plot-clip-1\)"/);
    expect(out).toMatch(/href="#cell-x"/);
    expect(out).toMatch(/<rect style="color: red" width="2"/);
    expect(out).toMatch(/<rect width="1"/);
    expect(out).toMatch(/<rect width="3"/);
  });

  test("HTML the cell could build through a chart's document: iframes, forms, img onerror", () => {
    const out = clean(
      `<figure><iframe src="/"></iframe><img src=x onerror="alert(1)"><form action="/"><input></form><h2>Title</h2></figure>`,
    );
    expect(out).not.toMatch(/iframe|onerror|<form|action=/);
    expect(out).toMatch(/<h2>Title<\/h2>/);
  });

  test("a chart Plot drew keeps what makes it a chart", () => {
    const f = createFigures();
    const Plot = f.Plot as unknown as {
      plot: (o: unknown) => unknown;
      lineY: (d: unknown, o?: unknown) => unknown;
    };
    const item = f.toItem(
      Plot.plot({ title: "Line", marks: [Plot.lineY([1, 3, 2], { y: (d: number) => d })] }),
    );
    const html = item?.kind === "plot" ? item.html : "";
    const out = clean(html);
    expect(out).toMatch(/<svg[^>]*viewBox="0 0 640 400"/);
    expect(out).toMatch(/<path[^>]*d="M/);
    expect(out).toMatch(/aria-label="Line"/);
    expect(out).not.toMatch(/<style/);
  });
});
