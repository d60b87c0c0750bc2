import { expect, test } from "vitest";
import { LogBatch, MAX_LINES, RUN_CHARS } from "../../src/notebook/log-batch.ts";
import type { OutputItem } from "../../src/notebook/protocol.ts";

type LogItem = Extract<OutputItem, { kind: "log" }>;

function batch(): { sent: LogItem[]; later: (() => void)[]; logs: LogBatch } {
  const sent: LogItem[] = [];
  const later: (() => void)[] = [];
  return {
    sent,
    later,
    logs: new LogBatch(
      (i) => sent.push(i),
      (fn) => later.push(fn),
    ),
  };
}

test("100,000 console lines become a hundred messages, in order, every line kept", () => {
  const { sent, logs } = batch();
  for (let i = 0; i < 100_000; i++) logs.push({ kind: "log", level: "log", text: `line ${i}` });
  logs.end();
  expect(sent).toHaveLength(100_000 / MAX_LINES);
  const lines = sent.flatMap((s) => s.text.split("\n"));
  expect(lines).toHaveLength(100_000);
  expect(lines[99_999]).toBe("line 99999");
});

test("a change of level, or a flush, keeps the order; a lone line goes out on the next turn", () => {
  const { sent, later, logs } = batch();
  logs.push({ kind: "log", level: "log", text: "a" });
  logs.push({ kind: "log", level: "log", text: "b" });
  logs.push({ kind: "log", level: "warn", text: "c" });
  expect(sent).toEqual([{ kind: "log", level: "log", text: "a\nb" }]);
  for (const fn of later.splice(0)) fn();
  expect(sent.at(-1)).toEqual({ kind: "log", level: "warn", text: "c" });
  logs.end();
  expect(sent).toHaveLength(2);
});

test("beyond the run's budget lines are counted, not kept, and the run says so", () => {
  const { sent, logs } = batch();
  const big = "x".repeat(RUN_CHARS / 4);
  for (let i = 0; i < 6; i++) logs.push({ kind: "log", level: "log", text: big });
  logs.end();
  expect(sent.reduce((n, s) => n + s.text.length, 0)).toBeLessThanOrEqual(RUN_CHARS + 100);
  expect(sent.at(-1)?.text).toMatch(/2 more console lines dropped: a run keeps at most 16 MiB/);
  // The next run starts with a fresh budget.
  logs.push({ kind: "log", level: "log", text: big });
  logs.end();
  expect(sent.at(-1)?.text).toBe(big);
});
