/**
 * Registers the offline service worker (/sw.js, written at build time by
 * service-worker.ts) through Workbox's page library, workbox-window.
 *
 * Nothing happens until the page has loaded and the browser is idle: workbox-window is
 * imported then, and the worker's precache downloads in the background, so neither
 * competes with the page's first load or its first interaction, nor with work a page
 * has asked it to wait for (deferRegistration). `astro dev` has no service worker,
 * and this does nothing there.
 *
 * html[data-offline] says where things stand: "installing" while the precache
 * downloads, "ready" once the worker controls the page (every chapter and every chunk
 * is then on this machine), "unavailable" where service workers are missing or refused
 * (the site then needs the network, and the notebook reports a load that fails:
 * src/notebook/client/load-errors.ts).
 *
 * A new deployment: the browser finds a changed sw.js on a later visit, the new worker
 * precaches the new files and waits, and the page offers a reload. Accepting sends the
 * waiting worker Workbox's SKIP_WAITING message; the page reloads once it controls.
 * Declining keeps the old files until every tab of the site is closed.
 */
import type { Workbox } from "workbox-window";
import { SW_FILE } from "./sw-file.ts";

/** True in a build (sw.js exists), false under `astro dev`: defined by service-worker.ts. */
declare const __OFFLINE_SW__: boolean;

type OfflineState = "installing" | "ready" | "unavailable";

function setState(state: OfflineState): void {
  document.documentElement.dataset["offline"] = state;
}

function whenIdle(run: () => void): void {
  const idle = (): void => {
    if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: 5000 });
    else setTimeout(run, 1000);
  };
  if (document.readyState === "complete") idle();
  else addEventListener("load", idle, { once: true });
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

/** The notice for a new deployment: reload now, or later. */
function offerReload(wb: Workbox): void {
  if (document.querySelector("[data-offline-update]")) return;
  const box = document.createElement("div");
  box.className = "offline-update";
  box.dataset["offlineUpdate"] = "";
  box.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent =
    "A new version of this site is ready. Reload to use it: your edits are kept, the notebook's variables are not.";
  const reload = button("Reload", () => {
    reload.disabled = true;
    wb.addEventListener("controlling", () => location.reload());
    wb.messageSkipWaiting();
  });
  box.append(
    text,
    reload,
    button("Later", () => box.remove()),
  );
  document.body.append(box);
}

async function start(): Promise<void> {
  setState("installing");
  try {
    const { Workbox } = await import("workbox-window");
    const wb = new Workbox(`${import.meta.env.BASE_URL}${SW_FILE}`);
    wb.addEventListener("waiting", () => offerReload(wb));
    await wb.register({ immediate: true });
    await wb.controlling;
    setState("ready");
  } catch {
    // Refused (private mode, a policy, a test that blocks workers) or not fetched:
    // the site works online as it did without one.
    setState("unavailable");
  }
}

/** Page work the precache waits for (deferRegistration). */
const holds: Promise<unknown>[] = [];

/**
 * Work the page has started that the precache must not compete with: registration
 * waits until `until` settles, then for the page to be idle again. The precache is
 * a burst of downloads and cache writes in the browser's own threads; on a machine
 * with two cores it takes one from a computation in a worker, which the idle
 * callback cannot see (the page's thread is idle while a worker computes).
 * /your-map/ holds it while the estimate a link asked for runs.
 */
export function deferRegistration(until: Promise<unknown>): void {
  holds.push(until);
}

/** Resolves once every hold, including any added meanwhile, has settled. */
async function holdsSettled(): Promise<boolean> {
  let waited = false;
  while (holds.length > 0) {
    waited = true;
    await Promise.allSettled(holds.splice(0));
  }
  return waited;
}

export function registerServiceWorker(): void {
  if (!__OFFLINE_SW__) return;
  if (!("serviceWorker" in navigator)) {
    setState("unavailable");
    return;
  }
  whenIdle(() => {
    void holdsSettled().then((waited) => (waited ? whenIdle(() => void start()) : void start()));
  });
}
