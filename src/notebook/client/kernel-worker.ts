/**
 * The kernel's transport in the browser: the kernel's worker inside its sandboxed frame
 * (kernel-host.ts). This is the only place the page creates the kernel; kernel-client.ts
 * receives it as a factory, so another transport can replace this one without touching
 * the client.
 */
import type { KernelFactory } from "./kernel-client.ts";
import { KernelWorker } from "./kernel-host.ts";

export const connectWorker: KernelFactory = (on) => {
  const w = new KernelWorker();
  w.addEventListener("message", (e) => on.message(e.data));
  w.addEventListener("error", (e) => {
    e.preventDefault();
    on.error(e.message || "the worker stopped unexpectedly");
  });
  // Its script did not arrive (offline, or a deployment removed it): no replacement now.
  w.addEventListener("loadfailed", (e) => on.error(e.message || "its script did not load", "load"));
  // The frame's process died: in practice, a cell used more memory than the browser allows.
  w.addEventListener("lost", () => on.error("it ran out of memory", "memory"));
  return { post: (msg) => w.postMessage(msg), terminate: () => w.terminate() };
};
