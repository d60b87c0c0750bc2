import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import {
  beginRun,
  endRun,
  keepPrevious,
  showOutput,
  showsRun,
} from "../../src/notebook/client/output-swap.ts";
import { loadFailureText } from "../../src/notebook/client/load-errors.ts";

// A cell's output area during a run: the previous outputs stay until new ones are drawn.
function area(): { out: HTMLElement; el: (text: string) => HTMLElement } {
  const { document } = parseHTML(
    `<div data-output data-origin="build"><svg data-baked></svg><pre>baked text</pre></div>`,
  );
  const out = document.querySelector("[data-output]") as unknown as HTMLElement;
  const el = (text: string): HTMLElement => {
    const p = document.createElement("p");
    p.textContent = text;
    return p as unknown as HTMLElement;
  };
  return { out, el };
}

describe("output-swap", () => {
  test("a run keeps the previous outputs until its first output is drawn, then replaces them", () => {
    const { out, el } = area();
    beginRun(out, 1);
    expect(out.textContent).toBe("baked text");
    expect(out.querySelector("svg")).not.toBeNull();
    expect(out.getAttribute("aria-busy")).toBe("true");
    expect(showsRun(out)).toBe(false);

    expect(showOutput(out, 1, el("first"))).toBe(true);
    expect(showOutput(out, 1, el("second"))).toBe(true);
    expect(out.textContent).toBe("firstsecond");
    expect(out.dataset["origin"]).toBe("live");
    expect(out.hasAttribute("aria-busy")).toBe(false);
    expect(showsRun(out)).toBe(true);
    endRun(out, 1);
    expect(out.textContent).toBe("firstsecond");
  });

  test("a run with no output at all leaves the area empty when it ends", () => {
    const { out } = area();
    beginRun(out, 1);
    endRun(out, 1);
    expect(out.childNodes.length).toBe(0);
    expect(out.dataset["origin"]).toBe("live");
  });

  test("an output that cannot be drawn brings the previous outputs back under the message", () => {
    const { out, el } = area();
    beginRun(out, 1);
    showOutput(out, 1, el("new text"));
    keepPrevious(out, 1, el("Could not load Plot"));
    expect(out.textContent).toBe("Could not load Plotbaked text");
    expect(out.querySelector("svg")).not.toBeNull();
    expect(out.dataset["origin"]).toBe("build");
    // Later outputs of that run do not replace them; the run's end does not clear them.
    expect(showOutput(out, 1, el("late"))).toBe(false);
    endRun(out, 1);
    expect(out.textContent).toBe("Could not load Plotbaked text");
    expect(showsRun(out)).toBe(false);
  });

  test("an older run's outputs never land in the area of a newer one", () => {
    const { out, el } = area();
    beginRun(out, 1);
    beginRun(out, 2);
    expect(showOutput(out, 1, el("stale"))).toBe(false);
    expect(out.textContent).toBe("baked text");
    expect(showOutput(out, 2, el("fresh"))).toBe(true);
    expect(out.textContent).toBe("fresh");
  });
});

describe("load-errors", () => {
  test("the message names the part, and says offline when the browser is offline", () => {
    expect(loadFailureText("editor", new Error("x"), false)).toBe(
      "Could not load the notebook's editor: you appear to be offline. The outputs on the page stay as they are; reconnect, then try again.",
    );
    expect(loadFailureText("kernel", new Error("Failed to fetch /_astro/worker.js"), true)).toBe(
      "Could not load the notebook's kernel: a file of the site did not arrive (Failed to fetch /_astro/worker.js). If the site was updated since this page was opened, reload the page.",
    );
    expect(loadFailureText("plot", undefined, true)).toMatch(
      /^Could not load Observable Plot, which draws the charts: a file of the site did not arrive\. /,
    );
  });
});
