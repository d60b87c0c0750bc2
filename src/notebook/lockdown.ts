/**
 * What a cell may reach from the kernel's worker, decided before any cell runs.
 *
 * The kernel lives in a Web Worker started inside a sandboxed, opaque-origin frame
 * (client/kernel-host.ts), whose Content-Security-Policy already forbids every
 * connection. This module is the second wall: it takes away, from the worker's
 * global scope and from every prototype on its chain (deleting `self.fetch` alone
 * would leave `WorkerGlobalScope.prototype.fetch`), what a cell has no use for and
 * could do harm with:
 *
 *   network       fetch, XMLHttpRequest, WebSocket, WebSocketStream, WebTransport,
 *                 EventSource, Request (only useful with fetch)
 *   code loading  importScripts (the kernel keeps its own reference, for the chart script)
 *   storage       indexedDB, caches, navigator.storage (with its file system),
 *                 and the interfaces IDBFactory, CacheStorage, StorageManager
 *   other realms  Worker, SharedWorker, BroadcastChannel, navigator.serviceWorker,
 *                 navigator.locks
 *   the kernel    postMessage (kept by the kernel, so a cell cannot speak for it),
 *                 close (a cell could end its kernel without a word)
 *
 * Everything else stays: the language, timers (wrapped per run by kernel.ts),
 * performance, crypto, TextEncoder, Blob, URL, WebAssembly, structuredClone, console.
 * `import()` is syntax and cannot be removed; the frame's CSP refuses any source but
 * blob: URLs the kernel itself made from scripts the page fetched.
 */

/** Globals removed from the worker, with every prototype that holds them. */
export const REMOVED_GLOBALS = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "WebTransport",
  "EventSource",
  "Request",
  "importScripts",
  "indexedDB",
  "IDBFactory",
  "caches",
  "CacheStorage",
  "StorageManager",
  "Worker",
  "SharedWorker",
  "BroadcastChannel",
  "postMessage",
  "close",
] as const;

/** Properties removed from the worker's navigator (and its prototype). */
export const REMOVED_NAVIGATOR = ["serviceWorker", "storage", "locks"] as const;

/** Deletes `name` from `target` and every object on its prototype chain. */
function remove(target: object, name: string): void {
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    if (d.configurable) Reflect.deleteProperty(o, name);
    else if (d.writable) (o as Record<string, unknown>)[name] = undefined;
  }
}

/** What is still reachable after lockdown (empty when every removal held). */
export function reachable(scope: object): string[] {
  const left: string[] = [];
  for (const name of REMOVED_GLOBALS)
    if ((scope as Record<string, unknown>)[name] !== undefined) left.push(name);
  const nav = (scope as { navigator?: object }).navigator;
  if (nav)
    for (const name of REMOVED_NAVIGATOR)
      if ((nav as Record<string, unknown>)[name] !== undefined) left.push(`navigator.${name}`);
  return left;
}

/**
 * Takes the capabilities above away from `scope` (the worker's `self`). Returns what
 * the kernel itself still needs, captured first. Throws if anything is left, so a
 * browser that keeps one of them does not run cells with it.
 */
export function lockdown(scope: object): {
  post: (message: unknown) => void;
  importScript: (url: string) => void;
} {
  const s = scope as { postMessage: (m: unknown) => void; importScripts?: (url: string) => void };
  const post = s.postMessage.bind(scope);
  const importScripts = s.importScripts?.bind(scope);
  for (const name of REMOVED_GLOBALS) remove(scope, name);
  const nav = (scope as { navigator?: object }).navigator;
  if (nav) for (const name of REMOVED_NAVIGATOR) remove(nav, name);
  const left = reachable(scope);
  if (left.length > 0) throw new Error(`the kernel could not remove ${left.join(", ")}`);
  return {
    post,
    importScript: (url) => {
      if (!importScripts) throw new Error("this kernel cannot load scripts");
      importScripts(url);
    },
  };
}
