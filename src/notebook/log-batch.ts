/**
 * Console lines, batched on their way out of the worker. A cell that logs in a loop
 * would otherwise post one message per line (100,000 lines, 100,000 messages), and the
 * page would spend seconds receiving what it will not show (client/capped-text.ts shows
 * the first 500 lines).
 *
 * Consecutive lines of one level become one `log` item, their texts joined by "\n",
 * sent when the batch reaches MAX_LINES lines or MAX_CHARS characters, when any other
 * message must go out (order is kept), at the end of the run, or on the next turn of
 * the event loop (so a line logged before an `await` is not held back).
 *
 * A run keeps at most RUN_CHARS characters of console output; lines beyond it are
 * counted, not sent, and the run's last item says how many were dropped.
 */
import { formatNumber } from "./format.ts";
import type { OutputItem } from "./protocol.ts";

type LogItem = Extract<OutputItem, { kind: "log" }>;

export const MAX_LINES = 1_000;
export const MAX_CHARS = 256 * 1024;
export const RUN_CHARS = 16 * 2 ** 20;

export class LogBatch {
  readonly #send: (item: LogItem) => void;
  readonly #later: (fn: () => void) => void;
  #level: LogItem["level"] = "log";
  #lines: string[] = [];
  #chars = 0;
  #runChars = 0;
  #dropped = 0;
  #timer = false;

  /** `later` runs a function on a later turn of the event loop (setTimeout by default). */
  constructor(send: (item: LogItem) => void, later: (fn: () => void) => void = (fn) => setTimeout(fn, 0)) {
    this.#send = send;
    this.#later = later;
  }

  push(item: LogItem): void {
    if (this.#runChars + item.text.length > RUN_CHARS) {
      this.#dropped++;
      return;
    }
    this.#runChars += item.text.length;
    if (this.#lines.length > 0 && item.level !== this.#level) this.flush();
    this.#level = item.level;
    this.#lines.push(item.text);
    this.#chars += item.text.length;
    if (this.#lines.length >= MAX_LINES || this.#chars >= MAX_CHARS) this.flush();
    else if (!this.#timer) {
      this.#timer = true;
      this.#later(() => {
        this.#timer = false;
        this.flush();
      });
    }
  }

  /** Sends the lines batched so far. */
  flush(): void {
    if (this.#lines.length === 0) return;
    this.#send({ kind: "log", level: this.#level, text: this.#lines.join("\n") });
    this.#lines = [];
    this.#chars = 0;
  }

  /** The run is over: sends the rest, says what was dropped, and starts counting afresh. */
  end(): void {
    this.flush();
    if (this.#dropped > 0)
      this.#send({
        kind: "log",
        level: "warn",
        text: `… ${formatNumber(this.#dropped)} more console lines dropped: a run keeps at most ${RUN_CHARS / 2 ** 20} MiB of console output.`,
      });
    this.#dropped = 0;
    this.#runChars = 0;
  }
}
