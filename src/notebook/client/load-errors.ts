/**
 * What the page says when a part of the notebook that it loads lazily does not arrive:
 * the editor (notebook-ui.ts with CodeMirror, imported by boot.ts), the kernel (the
 * worker's script), Observable Plot (imported when the first chart is drawn) or the map
 * pictures' drawing (map-view-svg.ts, imported with the first map picture).
 *
 * The two usual causes are a reader who went offline before the service worker had
 * installed (or where service workers are refused), and a chunk that is gone because
 * the site was deployed again since the page was opened. The message names the part
 * and the likely cause; it goes in the status line, in the cell concerned, and to
 * screen readers. Nothing on the page is removed: the outputs stay as they were.
 */
import { announce } from "./announce.ts";

export type LazyPart = "editor" | "kernel" | "plot" | "map-view";

const NAMES: Record<LazyPart, string> = {
  editor: "the notebook's editor",
  kernel: "the notebook's kernel",
  plot: "Observable Plot, which draws the charts",
  "map-view": "the drawing of map pictures",
};

/** A lazy load that failed, with the part it was for. */
export class LoadFailure extends Error {
  readonly part: LazyPart;
  constructor(part: LazyPart, cause?: unknown) {
    super(loadFailureText(part, cause), { cause });
    this.name = "LoadFailure";
    this.part = part;
  }
}

/** Runs a lazy import; its failure becomes a LoadFailure naming the part. */
export async function lazy<T>(part: LazyPart, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw error instanceof LoadFailure ? error : new LoadFailure(part, error);
  }
}

function detail(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "";
  return message ? ` (${message})` : "";
}

/** The sentence the reader sees. */
export function loadFailureText(part: LazyPart, cause?: unknown, online = navigator.onLine): string {
  const what = NAMES[part];
  if (!online)
    return `Could not load ${what}: you appear to be offline. The outputs on the page stay as they are; reconnect, then try again.`;
  return `Could not load ${what}: a file of the site did not arrive${detail(cause)}. If the site was updated since this page was opened, reload the page.`;
}

/**
 * Says that a part did not load: in the notebook's status line, in the cell's notice
 * line when there is a cell, and to screen readers. Returns the text.
 */
export function reportLoadFailure(part: LazyPart, cause: unknown, cell: HTMLElement | null): string {
  const text = cause instanceof LoadFailure ? cause.message : loadFailureText(part, cause);
  const status = document.querySelector<HTMLElement>("[data-kernel-status]");
  if (status) status.textContent = text;
  const notice = cell?.querySelector<HTMLElement>("[data-notice]");
  if (notice) {
    notice.hidden = false;
    notice.dataset["kind"] = "warn";
    notice.textContent = text;
  }
  document.documentElement.dataset["loadError"] = part;
  announce(text);
  return text;
}

/** The message as a cell output: `[role=alert]`, like the kernel's errors. */
export function loadFailureAlert(part: LazyPart, cause: unknown): HTMLElement {
  const el = document.createElement("div");
  el.className = "nb-error";
  el.setAttribute("role", "alert");
  el.dataset["loadError"] = part;
  el.textContent = cause instanceof LoadFailure ? cause.message : loadFailureText(part, cause);
  return el;
}
