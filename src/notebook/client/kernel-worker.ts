/**
 * The kernel's transport in the browser: a module Web Worker running worker.ts. This is
 * the only place the page creates the kernel's worker; kernel-client.ts receives it as
 * a factory, so another transport can replace this one without touching the client.
 */
import type { FromWorker } from "../protocol.ts";
import type { KernelFactory } from "./kernel-client.ts";

export const connectWorker: KernelFactory = (on) => {
  const w = new Worker(new URL("../worker.ts", import.meta.url), { type: "module", name: "notebook-kernel" });
  w.addEventListener("message", (e: MessageEvent<FromWorker>) => on.message(e.data));
  w.addEventListener("error", (e) => {
    e.preventDefault();
    on.error(e.message || "the worker stopped unexpectedly");
  });
  w.addEventListener("messageerror", () => on.error("a message from the kernel could not be read"));
  return { post: (msg) => w.postMessage(msg), terminate: () => w.terminate() };
};
