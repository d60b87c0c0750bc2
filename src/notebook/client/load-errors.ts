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
 * screen readers. Nothing on the page is removed: the outputs stay as they were. The
 * editor's next try imports its chunk from a fresh URL (retryingImport), since the
 * browser may keep the failed import.
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

/**
 * A lazy import that can be tried again. Chromium keeps a failed dynamic import in the
 * page's module map: import() of that URL then fails at once, without a request, even
 * once the file is reachable again. Its message names the URL ("Failed to fetch
 * dynamically imported module: URL"; Firefox's says "error loading dynamically imported
 * module: URL"), so after a failure the next call imports that URL with `?retry=N`, a new
 * entry in the map. The bundler may hand the module over inside its chunk's namespace,
 * under a name of its own: `has` names an export of the module, and a retry returns the
 * chunk's namespace if it has it, or else the one export of it that has it. Where the
 * message names no URL of this site, the next call simply tries `load` again.
 */
export function retryingImport<T extends object>(
  load: () => Promise<T>,
  has: string,
  {
    importUrl = (url: string): Promise<unknown> => import(/* @vite-ignore */ url),
    origin = (): string => location.origin,
  }: { importUrl?: (url: string) => Promise<unknown>; origin?: () => string } = {},
): () => Promise<T> {
  let failedUrl: string | null = null;
  let tries = 0;
  return async () => {
    try {
      if (failedUrl === null) return await load();
      const ns = (await importUrl(`${failedUrl}?retry=${tries}`)) as Record<string, unknown>;
      const mod =
        has in ns ? ns : Object.values(ns).find((v) => typeof v === "object" && v !== null && has in v);
      if (mod === undefined) throw new Error(`${failedUrl}: no module with ${has} in it`);
      return mod as T;
    } catch (error) {
      tries++;
      failedUrl = failedModuleUrl(error, origin()) ?? failedUrl;
      throw error;
    }
  };
}

/** The same-origin module URL a failed import's message names, if any. */
export function failedModuleUrl(error: unknown, origin = location.origin): string | null {
  const message = error instanceof Error ? error.message : String(error);
  for (const m of message.matchAll(/https?:\/\/[^\s"')]+/g)) {
    try {
      const url = new URL(m[0]);
      if (url.origin === origin) return `${url.origin}${url.pathname}`;
    } catch {
      // not a URL after all
    }
  }
  return null;
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
