/**
 * Where the kernel lives on the page: a Web Worker inside a sandboxed frame.
 *
 *   page (site origin)                      frame: sandbox="allow-scripts", srcdoc,
 *   ───────────────────                     opaque origin, CSP: no connections
 *   KernelWorker ── {type:"start", code} ──▶ new Worker(blob: kernel script)
 *        ▲   ◀──────── {kernel: message} ───     │  ▲
 *        │   ── {kernel: message} ────────▶      ▼  │ postMessage
 *        │   ── "ping" / ◀── "pong" ─────   the kernel (worker.ts)
 *
 * Why a frame. Chromium ends the whole renderer process when a dedicated worker runs
 * out of memory, and a worker shares its page's process. A sandboxed frame without
 * allow-same-origin has an opaque origin, and Chromium gives such frames a process of
 * their own (measured in docs/notebook.md, "Memory"): when a cell allocates without
 * bound, only the frame's process dies. The page notices that the frame stopped
 * answering its pings and reports a "lost" kernel; notebook-ui.ts starts a fresh one.
 * The opaque origin also means the kernel has no cookies, no storage and no
 * same-origin fetch, and the frame's CSP (inherited by its worker) refuses every
 * connection and every script but blob: URLs.
 *
 * The page fetches the kernel script (and, when the kernel first asks, the chart
 * script) itself, so the site's service worker can serve it offline: the frame's own
 * requests are outside its control. Both are one self-contained classic script each
 * (astro.config.mjs: worker.format "iife"), which is what a blob: URL can start.
 *
 * KernelWorker looks like a Worker to its user: postMessage, terminate, and "message",
 * "error" and "lost" events.
 *
 * In `astro dev` the scripts are unbundled ES modules, which a blob: URL cannot start:
 * there the kernel is a module worker of the page and imports the chart script by URL.
 * The sandbox, and the memory protection, are the built site's.
 *
 * A kernel that fails before it is ready (its script cannot be fetched: offline, or a
 * file gone after a deployment) fires "loadfailed", not "error": the client then
 * reports it and starts no replacement until the reader runs a cell again.
 */
import type { FromWorker, ToWorker } from "../protocol.ts";
import { reportLoadFailure } from "./load-errors.ts";
import figuresUrl from "../figures-script.ts?worker&url";
import kernelUrl from "../worker.ts?worker&url";

const PING_EVERY = 500; // ms between two pings to the frame
const LOST_AFTER = 3000; // ms without an answer, while the page is visible, before the frame is presumed dead

const FRAME_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; connect-src 'none'";

// The frame's whole document. It relays messages between the page and the worker and
// answers pings from its own thread, which a busy worker does not block.
const FRAME_SCRIPT = `(() => {
  let worker = null;
  const up = (m) => parent.postMessage(m, "*");
  addEventListener("message", (e) => {
    if (e.source !== parent) return;
    const m = e.data;
    if (m === "ping") return up("pong");
    if (m && m.type === "start" && !worker) {
      const url = URL.createObjectURL(new Blob([m.code], { type: "text/javascript" }));
      worker = new Worker(url, { name: "notebook-kernel" });
      URL.revokeObjectURL(url);
      worker.onmessage = (w) => up({ kernel: w.data });
      worker.onerror = (w) => { w.preventDefault(); up({ error: w.message || "the kernel stopped unexpectedly" }); };
      worker.onmessageerror = () => up({ error: "a message from the kernel could not be read" });
    } else if (m && "kernel" in m && worker) worker.postMessage(m.kernel);
  });
  up("frame-ready");
})();`;

const FRAME_DOC = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body><script>${FRAME_SCRIPT}</script></body></html>`;

const scripts = new Map<string, Promise<string>>();
/** A script's text, fetched once per page by the page itself. */
function script(url: string): Promise<string> {
  let text = scripts.get(url);
  if (!text) {
    text = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
      return r.text();
    });
    text.catch(() => scripts.delete(url));
    scripts.set(url, text);
  }
  return text;
}

interface KernelWorkerEventMap {
  message: MessageEvent<FromWorker>;
  error: ErrorEvent;
  /** The kernel failed before it was ready: its script did not load. */
  loadfailed: ErrorEvent;
  /** The frame stopped answering: its process died, in practice out of memory. */
  lost: Event;
}

export class KernelWorker {
  readonly #events = new EventTarget();
  readonly #frame: HTMLIFrameElement;
  readonly #onMessage: (e: MessageEvent) => void;
  #dev: Worker | null = null;
  #ready = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastPong = 0;
  #lastCheck = 0;
  #ended = false;

  constructor() {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.title = "notebook kernel";
    frame.dataset["kernelFrame"] = "";
    frame.style.cssText = "position:absolute;width:0;height:0;border:0;visibility:hidden";
    frame.srcdoc = FRAME_DOC;
    this.#frame = frame;
    this.#onMessage = (e) => {
      if (e.source !== frame.contentWindow || this.#ended) return;
      this.#received(e.data);
    };
    if (import.meta.env.DEV) {
      this.#dev = new Worker(kernelUrl, { type: "module", name: "notebook-kernel" });
      this.#dev.addEventListener("message", (e) => this.#received({ kernel: e.data as unknown }));
      this.#dev.addEventListener("error", (e) => {
        e.preventDefault();
        this.#fail(e.message || "the kernel stopped unexpectedly");
      });
      return;
    }
    window.addEventListener("message", this.#onMessage);
    document.body.append(frame);
  }

  addEventListener<K extends keyof KernelWorkerEventMap>(
    type: K,
    listener: (event: KernelWorkerEventMap[K]) => void,
  ): void {
    this.#events.addEventListener(type, listener as EventListener);
  }

  removeEventListener<K extends keyof KernelWorkerEventMap>(
    type: K,
    listener: (event: KernelWorkerEventMap[K]) => void,
  ): void {
    this.#events.removeEventListener(type, listener as EventListener);
  }

  postMessage(message: ToWorker): void {
    if (this.#dev) this.#dev.postMessage(message);
    else this.#frame.contentWindow?.postMessage({ kernel: message }, "*");
  }

  /** Ends the kernel at once (its frame, and with it the worker, is removed). */
  terminate(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    window.removeEventListener("message", this.#onMessage);
    document.removeEventListener("visibilitychange", this.#onVisible);
    this.#frame.remove();
    this.#dev?.terminate();
  }

  #received(data: unknown): void {
    if (data === "pong") {
      this.#lastPong = performance.now();
      return;
    }
    if (data === "frame-ready") {
      this.#watch();
      void script(kernelUrl).then(
        (code) => this.#frame.contentWindow?.postMessage({ type: "start", code }, "*"),
        (e: unknown) => this.#fail(`the kernel could not be loaded (${String(e)})`),
      );
      return;
    }
    if (typeof data !== "object" || data === null) return;
    if ("error" in data) {
      this.#fail(String((data as { error: unknown }).error));
      return;
    }
    if (!("kernel" in data)) return;
    const msg = (data as { kernel: FromWorker }).kernel;
    if (typeof msg !== "object" || msg === null || typeof msg.type !== "string") return;
    if (msg.type === "ready") {
      this.#ready = true;
    }
    if (msg.type === "need-figures") {
      if (this.#dev) return this.postMessage({ type: "figures", code: null, url: figuresUrl });
      void script(figuresUrl).then(
        (code) => this.postMessage({ type: "figures", code }),
        (e: unknown) => {
          // The page's own words for it (load-errors.ts), shown in the cell and the status line.
          const text = reportLoadFailure("plot", e, null);
          this.postMessage({ type: "figures", code: null, error: text });
        },
      );
      return;
    }
    this.#events.dispatchEvent(new MessageEvent("message", { data: msg }));
  }

  #fail(message: string): void {
    if (this.#ended) return;
    this.#events.dispatchEvent(
      new ErrorEvent(this.#ready ? "error" : "loadfailed", { message, cancelable: true }),
    );
  }

  readonly #onVisible = (): void => {
    // Hidden pages have their timers slowed; the silence of a hidden page proves nothing.
    this.#lastPong = performance.now();
  };

  /** Pings the frame; a frame silent for LOST_AFTER while the page was watching is lost. */
  #watch(): void {
    this.#lastPong = this.#lastCheck = performance.now();
    document.addEventListener("visibilitychange", this.#onVisible);
    this.#timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.#lastCheck > 2 * PING_EVERY; // this page was itself too busy to watch
      this.#lastCheck = now;
      if (late || document.visibilityState !== "visible")
        this.#lastPong = Math.max(this.#lastPong, now - PING_EVERY);
      if (now - this.#lastPong > LOST_AFTER) {
        this.terminate();
        this.#events.dispatchEvent(new Event("lost"));
        return;
      }
      this.#frame.contentWindow?.postMessage("ping", "*");
    }, PING_EVERY);
  }
}
