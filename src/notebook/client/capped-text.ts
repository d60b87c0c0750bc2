/**
 * A cell's text output (display() of text, console lines), capped so that no output can
 * freeze or widen the page. The first SHOW_LINES lines or SHOW_CHARS characters of a
 * run are shown; the rest is kept in memory, not in the DOM, behind one line:
 *
 *     … 99,500 more lines (4,750,000 characters) not shown.  [Show 5,000 more lines] [Download all (.txt)]
 *
 * "Show more" adds the next MORE_LINES lines (MORE_CHARS characters) at a time, so a
 * click never puts megabytes into the page; "Download" gives every line of the run as a
 * text file. Long tokens wrap (notebook.css: overflow-wrap: anywhere).
 */
import { formatNumber } from "../format.ts";

export const SHOW_LINES = 500;
export const SHOW_CHARS = 20_000;
export const MORE_LINES = 5_000;
export const MORE_CHARS = 200_000;

interface Segment {
  /** The <pre>'s class: nb-text, or nb-log nb-log-<level>. */
  cls: string;
  text: string;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The longest prefix of `text` within `lines` lines and `chars` characters. */
function cut(text: string, lines: number, chars: number): string {
  let end = Math.min(text.length, chars);
  let seen = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    if (++seen === lines) {
      end = i;
      break;
    }
  }
  return text.slice(0, end);
}

export class CappedText {
  readonly #out: HTMLElement;
  readonly #name: string;
  readonly #all: Segment[] = [];
  readonly #hidden: Segment[] = [];
  #hiddenLines = 0;
  #hiddenChars = 0;
  #lines = SHOW_LINES;
  #chars = SHOW_CHARS;
  #more: HTMLElement | null = null;
  #label: HTMLElement | null = null;
  #showButton: HTMLButtonElement | null = null;
  #frame = 0;

  /** `name` names the downloaded file. */
  constructor(out: HTMLElement, name: string) {
    this.#out = out;
    this.#name = name;
  }

  add(cls: string, text: string): void {
    const seg = { cls, text };
    this.#all.push(seg);
    if (this.#hidden.length > 0) {
      this.#hide(seg);
      return;
    }
    // Shows what fits the budget, then hides the rest behind the control.
    const lines = lineCount(text);
    if (lines <= this.#lines && text.length <= this.#chars) {
      this.#lines -= lines;
      this.#chars -= text.length;
      this.#out.append(this.#pre(cls, text));
      return;
    }
    const shown = this.#lines > 0 && this.#chars > 0 ? cut(text, this.#lines, this.#chars) : "";
    let rest = text.slice(shown.length);
    if (rest.startsWith("\n")) rest = rest.slice(1);
    this.#lines = 0;
    this.#chars = 0;
    if (shown.length > 0) this.#out.append(this.#pre(cls, shown));
    this.#hide({ cls, text: rest });
  }

  #hide(seg: Segment): void {
    this.#hidden.push(seg);
    this.#hiddenLines += lineCount(seg.text);
    this.#hiddenChars += seg.text.length;
    if (!this.#more) this.#makeMore();
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#count());
  }

  #pre(cls: string, text: string): HTMLElement {
    const pre = document.createElement("pre");
    pre.className = cls;
    pre.textContent = text;
    return pre;
  }

  #makeMore(): void {
    const more = document.createElement("div");
    more.className = "nb-output-more";
    more.dataset["outputMore"] = "";
    this.#label = document.createElement("span");
    const show = document.createElement("button");
    show.type = "button";
    show.className = "nb-btn";
    show.textContent = `Show ${formatNumber(MORE_LINES)} more lines`;
    show.addEventListener("click", () => this.#showMore());
    const download = document.createElement("button");
    download.type = "button";
    download.className = "nb-btn";
    download.textContent = "Download all (.txt)";
    download.addEventListener("click", () => this.#download());
    more.append(this.#label, " ", show, " ", download);
    this.#showButton = show;
    this.#more = more;
    this.#out.append(more);
    this.#count();
  }

  #count(): void {
    this.#frame = 0;
    if (!this.#label || !this.#more) return;
    if (this.#hidden.length === 0) {
      this.#more.remove();
      this.#more = null;
      return;
    }
    const what =
      this.#hiddenLines > 1
        ? `${formatNumber(this.#hiddenLines)} more lines (${formatNumber(this.#hiddenChars)} characters)`
        : `${formatNumber(this.#hiddenChars)} more characters`;
    this.#label.textContent = `… ${what} not shown.`;
    if (this.#showButton)
      this.#showButton.textContent =
        this.#hiddenLines > 1
          ? `Show ${formatNumber(Math.min(MORE_LINES, this.#hiddenLines))} more lines`
          : "Show more";
  }

  #showMore(): void {
    let lines = MORE_LINES;
    let chars = MORE_CHARS;
    const parts: Segment[] = [];
    while (this.#hidden.length > 0 && lines > 0 && chars > 0) {
      const seg = this.#hidden[0] as Segment;
      const n = lineCount(seg.text);
      if (n <= lines && seg.text.length <= chars) {
        this.#hidden.shift();
        parts.push(seg);
        lines -= n;
        chars -= seg.text.length;
        this.#hiddenLines -= n;
        this.#hiddenChars -= seg.text.length;
        continue;
      }
      const shown = cut(seg.text, lines, chars);
      let rest = seg.text.slice(shown.length);
      if (rest.startsWith("\n")) rest = rest.slice(1);
      parts.push({ cls: seg.cls, text: shown });
      this.#hidden[0] = { cls: seg.cls, text: rest };
      this.#hiddenLines -= lineCount(seg.text) - lineCount(rest);
      this.#hiddenChars -= seg.text.length - rest.length;
      break;
    }
    // Consecutive lines of one kind go into one <pre>.
    const pres: HTMLElement[] = [];
    let group: Segment | null = null;
    for (const p of parts) {
      if (group && group.cls === p.cls) group.text += `\n${p.text}`;
      else {
        if (group) pres.push(this.#pre(group.cls, group.text));
        group = { ...p };
      }
    }
    if (group) pres.push(this.#pre(group.cls, group.text));
    this.#more?.before(...pres);
    this.#count();
  }

  #download(): void {
    const blob = new Blob([this.#all.map((s) => s.text).join("\n") + "\n"], { type: "text/plain" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${this.#name}-output.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }
}
