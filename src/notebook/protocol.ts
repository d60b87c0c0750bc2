/**
 * What a cell produces, and the messages between the page and its chapter's kernel.
 *
 * Terminology
 *   cell     a block of TypeScript in a chapter, with a stable id.
 *   kernel   the evaluator that runs a chapter's cells in one shared scope (kernel.ts).
 *            The browser runs one kernel per chapter in a Web Worker (worker.ts); the
 *            build runs one per chapter in Node (remark-cells.ts).
 *   output   one item a cell shows: text, a console line, a table, an Observable Plot
 *            figure (its markup, drawn in the kernel: figures.ts), a heap chart, a map
 *            picture (map-view.ts), an error.
 *   run      one execution of one cell, numbered by the page (runId). Outputs of a run
 *            may arrive after its "done": a timer or a promise the cell started goes on
 *            running, and what it displays or throws is tagged with that run.
 *
 * Everything here is plain data: it crosses postMessage by structured clone, and the
 * build renders the very same items into HTML.
 *
 * Page → worker
 *   { type: "run", runId, cellId, code, inputs? }
 *                                            run one cell's TypeScript; `inputs` are the
 *                                            values of its controls, by key
 *   { type: "figures", code, error? }        the chart script the kernel asked for (null
 *                                            code, and why, when the page could not fetch it)
 * Worker → page
 *   { type: "need-figures" }                 a cell is about to draw: send the chart
 *                                            script (Plot and a DOM, loaded on first use)
 *   { type: "ready" }                        the kernel is loaded and idle
 *   { type: "output", runId, item }          append an output item
 *   { type: "update", runId, item }          replace the item with the same `id` (live charts)
 *   { type: "progress", runId, ops }         operations done so far in this run
 *   { type: "input", runId, spec }           the run declared an input (inputs/spec.ts):
 *                                            untrusted data, checked by the page
 *   { type: "done", runId, ok, ms }          the run finished (an error was sent as an output)
 *
 * Stopping a run is not a message: the page terminates the worker and starts another
 * (a busy loop never reads its mailbox), so a stop always loses the chapter's state.
 */

import type { MapView } from "../model/contract.ts";
import type { InputSpec, InputValues } from "./inputs/spec.ts";

/** Where the chart script (figures-script.ts) leaves its factory for the kernel to take. */
export const FIGURES_GLOBAL = "__nbFigures";

/** The seed of every chapter's kernel, at build time and in the browser (same seed → same outputs). */
export const CHAPTER_SEED = 1;

/**
 * One sample of a heap chart: HeapAlloc after `ops` map operations, at `t` ms of the
 * runtime's virtual time; HeapInuse and RSS when the chart shows them.
 */
export interface HeapPoint {
  ops: number;
  heapAlloc: number;
  t?: number;
  heapInuse?: number;
  rss?: number;
}

/** The lines a heap chart can draw, and its x axis. */
export const HEAP_LINES = ["HeapAlloc", "HeapInuse", "RSS"] as const;
export type HeapLine = (typeof HEAP_LINES)[number];

/** A labelled moment on a heap chart (a call to chart.note("delete all")). */
export interface HeapNote {
  ops: number;
  label: string;
  t?: number;
}

/** One recorded state of a map picture: the model's view (m.view()) after `ops` map writes. */
export interface MapFrame {
  ops: number;
  view: MapView;
}

export type OutputItem =
  | { kind: "text"; text: string }
  | { kind: "log"; level: "log" | "info" | "warn" | "error"; text: string }
  | { kind: "table"; columns: string[]; rows: string[][]; more: number }
  /** A chart's markup, drawn in the kernel; untrusted: insert it only through sanitize.ts. */
  | { kind: "plot"; html: string }
  | {
      kind: "heap";
      id: number;
      title: string;
      /** Lines drawn (default HeapAlloc only); x is map operations, or virtual time ("time"). */
      lines?: HeapLine[];
      x?: "ops" | "time";
      points: HeapPoint[];
      notes: HeapNote[];
      done: boolean;
    }
  /**
   * A picture of a map's structure (mapView, liveMapView): plain numbers and typed
   * arrays, checked by map-view.ts and drawn by the site's code (map-view-svg.ts).
   * While live, `frames` holds the latest state; when done, every recorded one.
   */
  | { kind: "map"; id: number; title: string; frames: MapFrame[]; every: number; done: boolean }
  | {
      kind: "error";
      name: string;
      message: string;
      line: number | null;
      col: number | null;
      /** Where an asynchronous error came from ("in a setTimeout callback, after the run ended"). */
      context?: string;
    };

export type ToWorker =
  | { type: "run"; runId: number; cellId: string; code: string; inputs?: InputValues }
  /**
   * The chart script's text, or null with the reason it could not be fetched; in
   * `astro dev`, its module URL instead.
   */
  | { type: "figures"; code: string | null; error?: string; url?: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "need-figures" }
  | { type: "output"; runId: number; item: OutputItem }
  | { type: "update"; runId: number; item: OutputItem }
  | { type: "progress"; runId: number; ops: number }
  | { type: "input"; runId: number; spec: InputSpec }
  | { type: "done"; runId: number; ok: boolean; ms: number };
