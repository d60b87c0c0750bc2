import { parseHTML } from "linkedom";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CappedText, MORE_LINES, SHOW_CHARS, SHOW_LINES } from "../../src/notebook/client/capped-text.ts";

// CappedText against a server-side DOM; animation frames run at once.
const saved = { document: globalThis.document, raf: globalThis.requestAnimationFrame };
beforeAll(() => {
  Object.assign(globalThis, {
    document: parseHTML("<html><body></body></html>").document,
    requestAnimationFrame: (fn: () => void) => {
      queueMicrotask(fn);
      return 1;
    },
  });
});
afterAll(() => {
  Object.assign(globalThis, { document: saved.document, requestAnimationFrame: saved.raf });
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

test("short output is shown as it is, one <pre> per item", () => {
  const out = document.createElement("div");
  const text = new CappedText(out, "c");
  text.add("nb-text", "hello");
  text.add("nb-log nb-log-warn", "careful");
  expect(out.innerHTML).toBe('<pre class="nb-text">hello</pre><pre class="nb-log nb-log-warn">careful</pre>');
});

test("past the line budget, lines are counted behind one control, and Show more adds the next ones", async () => {
  const out = document.createElement("div");
  const text = new CappedText(out, "c");
  // One item of many lines, as the worker batches them.
  text.add("nb-log nb-log-log", Array.from({ length: 12_000 }, (_, i) => `l${i}`).join("\n"));
  await tick();
  expect(out.querySelectorAll("pre")[0]?.textContent?.split("\n")).toHaveLength(SHOW_LINES);
  const more = out.querySelector("[data-output-more]");
  // The control comes after the lines it continues.
  expect([...out.children].map((c) => c.localName)).toEqual(["pre", "div"]);
  expect(more?.textContent).toMatch(/… 11,500 more lines \(\S+ characters\) not shown\./);
  (more?.querySelectorAll("button")[0] as unknown as { click(): void }).click();
  await tick();
  expect(out.textContent).toContain(`l${SHOW_LINES + MORE_LINES - 1}`);
  expect(out.textContent).not.toContain(`l${SHOW_LINES + MORE_LINES}\n`);
  expect(more?.textContent).toMatch(/6,500 more lines/);
});

test("one huge line is cut at the character budget and counted in characters", async () => {
  const out = document.createElement("div");
  const text = new CappedText(out, "c");
  text.add("nb-text", "y".repeat(SHOW_CHARS + 1234));
  await tick();
  expect(out.querySelector("pre")?.textContent).toHaveLength(SHOW_CHARS);
  expect(out.querySelector("[data-output-more]")?.textContent).toMatch(/… 1,234 more characters not shown\./);
});
