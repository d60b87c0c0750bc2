/**
 * Observable Plot across a thread boundary.
 *
 * A cell runs where there is no DOM (a Web Worker, or Node at build time), yet it
 * writes `display(Plot.plot({ marks: [Plot.lineY(data, { x: "ops", y: "bytes" })] }))`.
 * In the kernel `Plot` is a recorder: every `Plot.name(...args)` returns the plain
 * object { __plot: name, args }, with functions among the args kept as their source
 * text ({ __fn: "d => d.x" }). The page (or the build, with a server-side DOM) replays
 * the record against the real Plot module.
 *
 * Limit: a function given to Plot is re-created from its text, so it must not use
 * variables of the cell (write `d => d.bytes / 2 ** 20`, not `d => d.bytes / scale`).
 */
import type { PlotCall } from "./protocol.ts";

const MAX_DEPTH = 8; // deeper option objects are passed through untouched

function record(value: unknown, depth: number): unknown {
  if (typeof value === "function") return { __fn: String(value) };
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    // Data arrays are copied only when they hold something to convert.
    const mapped = value.map((v) => record(v, depth + 1));
    return mapped.some((v, i) => v !== value[i]) ? mapped : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = record(v, depth + 1);
    if (out[k] !== v) changed = true;
  }
  return changed ? out : value;
}

/** The `Plot` a cell sees: records calls instead of drawing. */
export const recordingPlot: Record<string, (...args: unknown[]) => PlotCall> = new Proxy(
  {},
  {
    get(_target, name) {
      if (typeof name !== "string") return undefined;
      return (...args: unknown[]): PlotCall => ({ __plot: name, args: args.map((a) => record(a, 0)) });
    },
  },
);

export function isPlotCall(value: unknown): value is PlotCall {
  return (
    typeof value === "object" && value !== null && typeof (value as { __plot?: unknown }).__plot === "string"
  );
}

type PlotModule = Record<string, unknown>;

/** Replays a recorded call against the real Plot; `document` is passed to Plot.plot. */
export function replay(call: PlotCall, Plot: PlotModule, document: Document): unknown {
  const revive = (value: unknown, depth: number): unknown => {
    if (isPlotCall(value)) return replay(value, Plot, document);
    if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
    if (typeof (value as { __fn?: unknown }).__fn === "string") {
      return new Function(`return (${(value as { __fn: string }).__fn});`)() as unknown;
    }
    if (Array.isArray(value)) return value.map((v) => revive(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, depth + 1)]));
  };
  const fn = Plot[call.__plot];
  if (typeof fn !== "function") throw new TypeError(`Plot.${call.__plot} is not a function`);
  const args = call.args.map((a) => revive(a, 0));
  if (call.__plot === "plot") args[0] = { ...(args[0] as object), document };
  return (fn as (...a: unknown[]) => unknown)(...args);
}
