/**
 * The kernel: runs a chapter's cells, one after another, in one shared scope.
 *
 * Terminology
 *   scope     the names every cell has declared at its top level so far, with their
 *             current values. Later cells see them, as in a Jupyter kernel.
 *   builtins  what every cell has without declaring it: goRuntime (the model, seeded),
 *             Plot (Observable Plot drawing into the kernel's own DOM, figures.ts),
 *             display, console, liveHeap, mapView, liveMapView, mib, input (a cell's form
 *             controls, inputs/declare.ts: the host passes each run its values and
 *             receives the specs as "input" events), and timers of its own (below).
 *   tag       the number of a run, given by the host (the page's runId); every event
 *             carries the tag of the run it belongs to.
 *   host      whoever receives the outputs: the worker (which posts them to the page)
 *             or the build (which renders them into the HTML).
 *
 * How a run works
 *   1. compile.ts strips the types and lists the names the cell declares.
 *   2. The JavaScript becomes the body of an AsyncFunction whose parameters are the
 *      builtins and the scope's names, minus those the cell declares itself (a cell
 *      may redeclare a name: its own declaration wins). Top-level await works.
 *   3. One line is put before the body: it hands the kernel a getter for every name
 *      the cell declares or receives. After the run, successful or not, the kernel
 *      reads each getter and stores the value in the scope; a name still in its
 *      temporal dead zone (the cell threw before reaching it) is skipped. Assigning to
 *      an earlier cell's variable therefore updates the scope too.
 *   4. A thrown error is located with the stack frame of the cell's own code (the
 *      function carries a sourceURL), shifted by the lines the Function constructor
 *      adds (measured once, not assumed) and the prologue line, then mapped through
 *      compile.ts's source map to the cell's own line:col.
 *   5. Before "done", the kernel waits one macrotask, so that a promise the cell
 *      rejected and left unhandled is reported as part of its run.
 *
 * Asynchronous errors
 *   Each run gets its own setTimeout, setInterval, clearTimeout and clearInterval: the
 *   callbacks they schedule know their run, and a throw in one is reported as an error
 *   output tagged with that run, even after the run has ended ("after the run ended"),
 *   and never reaches the host as an uncaught error. What escapes them (a rejected
 *   promise nobody handled, a timer scheduled through globalThis) the host hands to
 *   reportUncaught(), which blames the run whose code ran last: the run in progress,
 *   or the run whose timer callback fired.
 *
 * Invariants
 *   1. The kernel never touches a DOM and never imports one: it runs in a Worker and
 *      in Node alike. Charts are drawn by the Figures its host hands it (figures.ts).
 *   2. Everything it emits is plain data (protocol.ts).
 *   3. With the same seed and the same cells in the same order, the outputs are the
 *      same (the build and the browser agree).
 *   4. A run the model cannot hold is refused before the model allocates: every
 *      runtime gets the notebook's entry limit (RuntimeOptions.maxEntries, limits.ts).
 *
 * A closure keeps the binding of the cell that created it: if cell 1 defines
 * `function f() { return x }` and cell 2 assigns `x = 2`, f still sees cell 1's x.
 * Assigning through the scope (cell 2 calling a setter defined in cell 1) avoids that.
 */
import { CellSyntaxError, compileCell, type Compiled } from "./compile.ts";
import { formatValue, mib, toItem } from "./format.ts";
import type { Figures } from "./figures.ts";
import {
  goRuntime as modelRuntime,
  type GoMap,
  type GoRuntime as Runtime,
  type RuntimeOptions,
} from "./model.ts";
import {
  HEAP_LINES,
  type HeapLine,
  type HeapNote,
  type HeapPoint,
  type MapFrame,
  type OutputItem,
} from "./protocol.ts";
import { inputBuiltin, type InputChecks } from "./inputs/declare.ts";
import type { InputSpec, InputValues } from "./inputs/spec.ts";

/** What the kernel tells its host; `tag` is the run the event belongs to. */
export type KernelEvent =
  | { type: "output"; tag: number; item: OutputItem }
  | { type: "update"; tag: number; item: OutputItem }
  | { type: "progress"; tag: number; ops: number }
  /** The run declared an input (input.range(…) and its siblings): the page builds its control. */
  | { type: "input"; tag: number; spec: InputSpec };

export interface KernelOptions {
  /** Seed for every runtime a cell creates without giving one (deterministic outputs). */
  seed: number;
  emit: (event: KernelEvent) => void;
  /** Milliseconds, monotonic; live charts are posted at most every `liveInterval` of it. */
  now?: () => number;
  /** Minimum milliseconds between two live updates of a chart (default 25). */
  liveInterval?: number;
  /** Most entries one map may hold (default MAX_MAP_ENTRIES); tests lower it. */
  maxEntries?: number;
  /**
   * Plot and a DOM to draw into, asked for the first time a cell mentions Plot (the
   * browser loads them then; the build has them at once). Without it, Plot is
   * unavailable. Heap charts need neither: they leave the kernel as numbers.
   */
  figures?: () => Figures | Promise<Figures>;
  /**
   * Checks for what cells declare with `input` (spec.ts checkedSpec): the build passes
   * them, so a malformed input fails the build; without them the spec goes to the page
   * as declared, and the page checks it (inputs/declare.ts).
   */
  inputChecks?: InputChecks;
}

export interface RunResult {
  ok: boolean;
  ms: number;
  error?: Extract<OutputItem, { kind: "error" }>;
}

/** The most entries the notebook lets one map hold; more is refused before allocating. */
export const MAX_MAP_ENTRIES = 20_000_000; // ~3 GiB of map[int][128]byte in Go; the model keeps it in typed arrays

const MAX_CHART_POINTS = 4000; // a live chart halves its points beyond this
/**
 * Bins per array of a map picture's frame: as many marks as the widest picture draws
 * (map-view-svg.ts MAX_MARKS); narrower pictures sum them further.
 */
export const MAP_BINS = 2048;
/** States a live map picture keeps for its timeline; beyond, every other one goes. */
export const MAX_MAP_FRAMES = 64;
/**
 * Writes a live map picture lets pass between two recorded states, per unit of the last
 * view it read (a bucket, classic, or a group of 8 slots, Swiss) beyond the first
 * MAP_VIEW_FREE_UNITS: reading a view is O(units), so the timeline's views cost a fixed
 * small share of the writes that led to them, whatever the map's size.
 */
export const MAP_VIEW_OPS_PER_UNIT = 4;
export const MAP_VIEW_FREE_UNITS = 1024;
/** A live post of the latest state waits at least this many times what the last view cost. */
const MAP_POST_COST_FACTOR = 100;
/**
 * …and at least this long (ms): a post crosses two message hops to the page, which draws
 * it, and in Chromium that slows the run far more than reading the view does.
 */
const MAP_POST_MIN_MS = 200;

/** Buckets (with the old array and overflow buckets) or groups and tables a view reads. */
export function viewUnits(view: MapFrame["view"]): number {
  if (view.kind === "classic") return 2 ** view.B + (view.old ? 2 ** view.old.B : 0) + view.overflowBuckets;
  if (view.small) return 1;
  let slots = 0;
  for (const c of view.capacity) slots += c;
  return slots / 8 + view.tables;
}

const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

/** Lines the Function constructor puts before a body, measured on this engine. */
const HEADER_LINES = (() => {
  try {
    new Function("a", "\nthrow new Error('probe');\n//# sourceURL=nb-probe.js")(0);
  } catch (e) {
    const m = /nb-probe\.js:(\d+):\d+/.exec(String((e as Error).stack));
    if (m) return Number(m[1]) - 2;
  }
  return 2;
})();

interface LiveChart {
  item: Extract<OutputItem, { kind: "heap" }>;
  runtime: Runtime;
  stop: () => void;
  lastPost: number;
  lastOps: number;
  /** One sample of the chart's lines now. */
  sample: (ops: number) => HeapPoint;
}

/**
 * liveHeap's options: a sample every `every` map writes (and every 250 ms of virtual
 * sleep); `lines` to draw among HeapAlloc, HeapInuse and RSS (default HeapAlloc); x
 * in map operations or in the runtime's virtual time ("time", for idle).
 */
export interface LiveHeapOptions {
  every?: number;
  title?: string;
  lines?: HeapLine[];
  x?: "ops" | "time";
}

function checkLines(lines: unknown): HeapLine[] {
  if (lines === undefined) return ["HeapAlloc"];
  if (
    !Array.isArray(lines) ||
    lines.length === 0 ||
    !lines.every((l) => (HEAP_LINES as readonly unknown[]).includes(l))
  )
    throw new Error(
      `liveHeap: lines must be a non-empty list of ${HEAP_LINES.map((l) => JSON.stringify(l)).join(", ")}, got ${JSON.stringify(lines)}`,
    );
  return [...new Set(lines as HeapLine[])];
}

type MapItem = Extract<OutputItem, { kind: "map" }>;

interface LiveMap {
  item: MapItem;
  map: GoMap;
  stop: () => void;
  lastPost: number;
  /** Map writes seen since the picture was made. */
  ops: number;
  /** Samples between two recorded states, at least; doubles whenever the timeline is thinned. */
  stride: number;
  /** Samples since the last recorded state (each `every` map writes), and the units its view read (viewUnits). */
  sinceFrame: number;
  units: number;
  /** What the last view cost (ms, the host's clock): live posts wait in proportion. */
  lastCost: number;
  /** The latest state read, and whether it has been posted yet. */
  latest: MapFrame;
  posted: boolean;
}

/** What mapView(m) returns: one state of the map, for display(). */
class MapPicture {
  readonly item: MapItem;
  constructor(item: MapItem) {
    this.item = item;
  }
}

/** A handle a cell holds on a live map picture. */
export interface MapViewHandle {
  readonly __mapView: number;
  /** Stops following the map: the picture keeps this moment, with its timeline. */
  stop(): void;
}

/** One run, as its timers and reportUncaught() see it. */
interface RunContext {
  tag: number;
  cellId: string;
  compiled: Compiled;
  /** True until the run's "done"; after that its errors are "after the run ended". */
  running: boolean;
  /** The first asynchronous error that arrived while the run was in progress. */
  failure: RunResult["error"];
  timers: Set<unknown>;
  /** The values the host gave this run's inputs, by key (inputs/spec.ts). */
  inputs: InputValues;
}

type ErrorItem = Extract<OutputItem, { kind: "error" }>;

const MENTIONS_PLOT = /\bPlot\b/;

/** The "code" of the host context: nothing to map an error back to. */
const HOST_CODE: Compiled = { js: "", declared: [], original: (line, col) => ({ line, col }) };

// The host's own timers, taken before any cell could replace them.
const hostSetTimeout = globalThis.setTimeout.bind(globalThis);
const hostClearTimeout = globalThis.clearTimeout.bind(globalThis);
const hostSetInterval = globalThis.setInterval.bind(globalThis);
const hostClearInterval = globalThis.clearInterval.bind(globalThis);

/** A handle a cell holds on a live heap chart. */
export interface HeapChartHandle {
  readonly __heapChart: number;
  /** Marks the current moment on the chart with a label. */
  note(label: string): void;
}

function fileName(cellId: string): string {
  return `nb-${cellId.replace(/[^\w-]/g, "_")}.js`;
}

export class Kernel {
  private readonly scope = new Map<string, unknown>();
  private readonly options: KernelOptions;
  private readonly now: () => number;
  /** The Go release of every runtime a cell created, in order (the build's note names them). */
  readonly releases: string[] = [];
  private charts: LiveChart[] = [];
  private maps: LiveMap[] = [];
  /** The runtime that made each map a cell holds (for the Go release in a picture's title). */
  private nextChartId = 1;
  private lastProgress = 0;
  private runCount = 0;
  private figures: Figures | null = null;
  private figuresLoading: Promise<Figures | null> | null = null;
  /** Why the chart script failed to load the last time it was asked for. */
  private figuresError: string | null = null;
  /** The run whose code ran last: the one in progress, or the one whose callback fired. */
  private active: RunContext | null = null;

  constructor(options: KernelOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
  }

  /** Names in the shared scope (for tests and the page's variable list). */
  names(): string[] {
    return [...this.scope.keys()];
  }

  get(name: string): unknown {
    return this.scope.get(name);
  }

  /** Runs one cell; every event it causes, now or later, carries `tag`. */
  async run(
    cellId: string,
    source: string,
    tag: number = ++this.runCount,
    inputs: InputValues = {},
  ): Promise<RunResult> {
    const start = this.now();
    const fail = (error: ErrorItem): RunResult => {
      this.options.emit({ type: "output", tag, item: error });
      return { ok: false, ms: this.now() - start, error };
    };
    let compiled: Compiled;
    try {
      compiled = compileCell(source);
    } catch (e) {
      return fail(
        e instanceof CellSyntaxError
          ? { kind: "error", name: "SyntaxError", message: e.message, line: e.line, col: e.col }
          : {
              kind: "error",
              name: "SyntaxError",
              message: String((e as Error).message ?? e),
              line: null,
              col: null,
            },
      );
    }
    if (MENTIONS_PLOT.test(source)) await this.loadFigures();

    const ctx: RunContext = {
      tag,
      cellId,
      compiled,
      running: true,
      failure: undefined,
      timers: new Set(),
      inputs,
    };
    const builtins = this.builtins(ctx);
    const declared = new Set(compiled.declared);
    const params = new Map<string, unknown>();
    for (const [k, v] of Object.entries(builtins)) if (!declared.has(k)) params.set(k, v);
    for (const [k, v] of this.scope) if (!declared.has(k)) params.set(k, v);
    const tracked = [...new Set([...compiled.declared, ...this.scope.keys()])];
    const getters: Record<string, () => unknown> = {};
    const prologue = `__nb_register({${tracked.map((n) => `${JSON.stringify(n)}: () => ${n}`).join(", ")}});`;
    const body = `${prologue}\n${compiled.js}\n//# sourceURL=${fileName(cellId)}`;

    let fn: (...values: unknown[]) => Promise<unknown>;
    try {
      fn = new AsyncFunction("__nb_register", ...params.keys(), body);
    } catch (e) {
      // Valid TypeScript the engine still rejects (say, a name declared twice).
      return fail({
        kind: "error",
        name: (e as Error).name ?? "SyntaxError",
        message: String((e as Error).message ?? e),
        line: null,
        col: null,
      });
    }

    let failure: RunResult["error"];
    this.active = ctx;
    try {
      await fn((g: Record<string, () => unknown>) => Object.assign(getters, g), ...params.values());
    } catch (e) {
      failure = this.locate(e, ctx);
    } finally {
      for (const [name, get] of Object.entries(getters)) {
        try {
          this.scope.set(name, get());
        } catch {
          // Still in its temporal dead zone: the cell threw before declaring it.
        }
      }
      this.finishCharts(tag);
    }
    if (failure) this.options.emit({ type: "output", tag, item: failure });
    // One macrotask: a promise the cell rejected without a handler is reported now,
    // as part of this run, rather than after its "done".
    await new Promise<void>((resolve) => hostSetTimeout(resolve, 0));
    ctx.running = false;
    failure ??= ctx.failure;
    if (failure) return { ok: false, ms: this.now() - start, error: failure };
    return { ok: true, ms: this.now() - start };
  }

  /**
   * An error nothing in the cell caught, reported by the host (a worker's "error" and
   * "unhandledrejection" events): shown in the run whose code ran last.
   */
  reportUncaught(reason: unknown, how: "exception" | "rejection"): void {
    const ctx = this.active;
    if (!ctx) return;
    this.asyncError(ctx, reason, how === "rejection" ? "unhandled promise rejection" : "uncaught exception");
  }

  /** Loads Plot and its DOM once; null when the host has none (or they fail to load). */
  async loadFigures(): Promise<Figures | null> {
    if (this.figures) return this.figures;
    const load = this.options.figures;
    if (!load) return null;
    this.figuresLoading ??= Promise.resolve()
      .then(load)
      .then(
        (f) => (this.figures = f),
        (e: unknown) => {
          // Asked for again by the next cell that mentions Plot.
          this.figuresError = e instanceof Error ? e.message : String(e);
          this.figuresLoading = null;
          return null;
        },
      );
    return this.figuresLoading;
  }

  private asyncError(ctx: RunContext, reason: unknown, where: string): void {
    const item = this.locate(reason, ctx);
    item.context = ctx.running ? where : `${where}, after the run ended`;
    if (ctx.running) ctx.failure ??= item;
    this.options.emit({ type: "output", tag: ctx.tag, item });
  }

  private locate(e: unknown, ctx: RunContext): ErrorItem {
    const isError = e instanceof Error || (typeof e === "object" && e !== null && "message" in e);
    const err = e as Error;
    const name = isError ? String(err.name ?? "Error") : "Error";
    const message = isError ? String(err.message) : `Uncaught ${formatValue(e, 1)}`;
    const file = fileName(ctx.cellId).replace(/[.]/g, "\\.");
    const m = isError ? new RegExp(`${file}:(\\d+):(\\d+)`).exec(String(err.stack ?? "")) : null;
    if (!m) return { kind: "error", name, message, line: null, col: null };
    const jsLine = Number(m[1]) - HEADER_LINES - 1;
    const pos = ctx.compiled.original(jsLine, Number(m[2]));
    return { kind: "error", name, message, line: pos.line, col: pos.col };
  }

  /**
   * The run's own timers: a callback runs as its run (for reportUncaught) and a throw
   * in it is that run's error, never an uncaught one.
   */
  private timers(ctx: RunContext): Record<string, unknown> {
    const wrap = (kind: string, fn: unknown, args: unknown[]) => (): void => {
      const previous = this.active;
      this.active = ctx;
      try {
        if (typeof fn !== "function") throw new TypeError(`${kind}: the callback is not a function`);
        (fn as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        this.asyncError(ctx, e, `in a ${kind} callback`);
      } finally {
        // Still this run's until the promises it settled have been looked at: an
        // unhandled rejection is reported after the callback's microtasks.
        hostSetTimeout(() => {
          if (this.active === ctx && previous) this.active = previous;
        }, 0);
      }
    };
    return {
      setTimeout: (fn: unknown, ms?: number, ...args: unknown[]) => {
        const id: unknown = hostSetTimeout(() => {
          ctx.timers.delete(id);
          wrap("setTimeout", fn, args)();
        }, ms);
        ctx.timers.add(id);
        return id;
      },
      setInterval: (fn: unknown, ms?: number, ...args: unknown[]) => {
        const id: unknown = hostSetInterval(wrap("setInterval", fn, args), ms);
        ctx.timers.add(id);
        return id;
      },
      clearTimeout: (id: unknown) => hostClearTimeout(id as Parameters<typeof clearTimeout>[0]),
      clearInterval: (id: unknown) => hostClearInterval(id as Parameters<typeof clearInterval>[0]),
    };
  }

  /** A context for builtins used outside any run (tag 0): the published notebook module. */
  private hostContext(): RunContext {
    return {
      tag: 0,
      cellId: "notebook",
      compiled: HOST_CODE,
      running: true,
      failure: undefined,
      timers: new Set(),
      inputs: {},
    };
  }

  /**
   * What every cell has at hand. Outside a run (the published notebook module,
   * jupyter/kernel-module.ts) it is the builtins of a host context, tag 0.
   */
  builtins(ctx: RunContext = this.hostContext()): Record<string, unknown> {
    const tag = ctx.tag;
    const emit = (item: OutputItem): void => this.options.emit({ type: "output", tag, item });
    const log =
      (level: "log" | "info" | "warn" | "error") =>
      (...args: unknown[]): void =>
        emit({ kind: "log", level, text: args.map((a) => formatValue(a)).join(" ") });
    const display = (value: unknown): unknown => {
      const chart = this.charts.find(
        (c) => c.item.id === (value as Partial<HeapChartHandle> | null)?.__heapChart,
      );
      const live = this.maps.find((c) => c.item.id === (value as Partial<MapViewHandle> | null)?.__mapView);
      if (chart) this.postChart(chart, tag);
      else if (live) this.postMap(live, tag, "update");
      else if (value instanceof MapPicture) emit(value.item);
      else emit(this.figures?.toItem(value) ?? toItem(value));
      return value;
    };
    return {
      goRuntime: (opts: RuntimeOptions) => this.runtime(opts),
      Plot: this.figures?.Plot ?? unavailablePlot(this.figuresError, () => void this.loadFigures()),
      display,
      console: {
        log: log("log"),
        info: log("info"),
        debug: log("log"),
        warn: log("warn"),
        error: log("error"),
        table: (rows: unknown) => emit(toItem(rows)),
      },
      liveHeap: (rt: Runtime, opts?: LiveHeapOptions) => this.liveHeap(rt, opts ?? {}, tag),
      mapView: (m: GoMap, opts?: { title?: string }) => this.mapView(m, opts ?? {}),
      liveMapView: (m: GoMap, opts?: { every?: number; title?: string }) =>
        this.liveMapView(m, opts ?? {}, tag),
      mib,
      input: inputBuiltin(
        ctx.inputs,
        (spec) => this.options.emit({ type: "input", tag, spec }),
        this.options.inputChecks,
      ),
      ...this.timers(ctx),
    };
  }

  /** goRuntime for cells: seeded by default, with maps that refuse impossible sizes. */
  private runtime(opts: RuntimeOptions): Runtime {
    const limit = this.options.maxEntries ?? MAX_MAP_ENTRIES;
    // The model refuses a make hint, insertRange or set past the limit before allocating
    // (src/model/limits.ts); a cell may lower the limit, never raise it.
    const maxEntries = Math.min(opts.maxEntries ?? limit, limit);
    const rt = modelRuntime({
      ...opts,
      seed: opts.seed ?? this.options.seed,
      maxEntries,
      limitName: "the notebook's limit",
    });
    this.releases.push(rt.go);
    return rt;
  }

  private liveHeap(rt: Runtime, opts: LiveHeapOptions, tag: number): HeapChartHandle {
    const lines = checkLines(opts.lines);
    const x = opts.x ?? "ops";
    if (x !== "ops" && x !== "time")
      throw new Error(`liveHeap: x must be "ops" or "time", got ${JSON.stringify(x)}`);
    const id = this.nextChartId++;
    // The x axis counts map writes since the chart was made: sample i is at i·every.
    const every = opts.every ?? 10_000;
    const t0 = rt.now;
    const sample = (ops: number, heapAlloc = rt.readMemStats().HeapAlloc): HeapPoint => {
      const p: HeapPoint = { ops, heapAlloc };
      if (x === "time") p.t = rt.now - t0;
      if (lines.includes("HeapInuse")) p.heapInuse = rt.readMemStats().HeapInuse;
      if (lines.includes("RSS")) p.rss = rt.rss();
      return p;
    };
    let samples = 0;
    const chart: LiveChart = {
      item: {
        kind: "heap",
        id,
        title: opts.title ?? lines.join(", "),
        points: [sample(0)],
        notes: [],
        done: false,
        ...(lines.length !== 1 || lines[0] !== "HeapAlloc" ? { lines } : {}),
        ...(x === "time" ? { x } : {}),
      },
      runtime: rt,
      stop: () => {},
      lastPost: this.now(),
      lastOps: 0,
      sample,
    };
    const interval = this.options.liveInterval ?? 25;
    const push = (p: HeapPoint): void => {
      const points = chart.item.points;
      points.push(p);
      if (points.length > MAX_CHART_POINTS)
        chart.item.points = points.filter((_, i) => i % 2 === 0 || i === points.length - 1);
      const t = this.now();
      if (t - chart.lastPost >= interval) {
        chart.lastPost = t;
        this.postChart(chart, tag);
      }
      if (t - this.lastProgress >= interval) {
        this.lastProgress = t;
        this.options.emit({ type: "progress", tag, ops: chart.lastOps });
      }
    };
    // The chart reads the heap, never the map: a delete range may replay its samples.
    const stopOps = rt.onSample(
      every,
      (s: { HeapAlloc: number }) => {
        chart.lastOps = ++samples * every;
        push(sample(chart.lastOps, s.HeapAlloc));
      },
      { heapOnly: true },
    );
    // Idle time is drawn too: the scavenger and the forced collection act while the program sleeps.
    const stopTime = rt.onSleep(() => push(sample(chart.lastOps)));
    chart.stop = () => {
      stopOps();
      stopTime();
    };
    this.charts.push(chart);
    this.postChart(chart, tag, "output");
    return {
      __heapChart: id,
      note: (label: string) => {
        const point = sample(chart.lastOps);
        chart.item.points.push(point);
        const note: HeapNote = { ops: chart.lastOps, label };
        if (point.t !== undefined) note.t = point.t;
        chart.item.notes.push(note);
      },
    };
  }

  /** The map a cell passed, or a TypeError that says what was expected. */
  private mapOf(m: unknown, fn: string): GoMap {
    if (typeof (m as Partial<GoMap> | null)?.view !== "function" || typeof (m as GoMap).goName !== "function")
      throw new TypeError(`${fn}(m): m must be a map made by rt.makeMap`);
    return m as GoMap;
  }

  private mapTitle(m: GoMap, title: string | undefined): string {
    const rt = m.runtime;
    return title !== undefined ? String(title) : `${m.goName()}${rt ? `, Go ${rt.go}` : ""}`;
  }

  /** mapView(m): the map's structure now, for display() (map-view-svg.ts draws it). */
  private mapView(m: GoMap, opts: { title?: string }): MapPicture {
    const map = this.mapOf(m, "mapView");
    return new MapPicture({
      kind: "map",
      id: this.nextChartId++,
      title: this.mapTitle(map, opts.title),
      frames: [{ ops: 0, view: map.view(MAP_BINS) }],
      every: 0,
      done: true,
    });
  }

  /**
   * liveMapView(m, { every }): a picture that follows the map while the cell runs.
   * Every `every` map writes of its runtime (a sample) it may read the map's view:
   *
   * - to record a state for the timeline, at the first sample at least `stride` samples
   *   after the last recorded one at which at least MAP_VIEW_OPS_PER_UNIT writes per
   *   unit of the last view (viewUnits, beyond MAP_VIEW_FREE_UNITS) have passed. At most
   *   MAX_MAP_FRAMES are kept: beyond, every other one goes and the stride doubles.
   *   Which states are recorded is a function of the program alone (its writes and the
   *   map's size), never of the machine's speed; reading a view is O(units), so the
   *   timeline costs a constant small share of the writes.
   * - to post the latest state to the page, at most every liveInterval ms of the host's
   *   clock, every MAP_POST_MIN_MS, and every MAP_POST_COST_FACTOR times what the last
   *   view cost; a state just recorded is posted without reading the map again. Posts
   *   are not the timeline: they only show the run's progress.
   */
  private liveMapView(m: GoMap, opts: { every?: number; title?: string }, tag: number): MapViewHandle {
    const map = this.mapOf(m, "liveMapView");
    const rt = map.runtime;
    if (!rt) throw new TypeError("liveMapView(m): m must be a map made in this notebook by rt.makeMap");
    const every = opts.every ?? 1_000;
    const start = this.now();
    const first: MapFrame = { ops: 0, view: map.view(MAP_BINS) };
    const live: LiveMap = {
      item: {
        kind: "map",
        id: this.nextChartId++,
        title: this.mapTitle(map, opts.title),
        frames: [first],
        every,
        done: false,
      },
      map,
      stop: () => {},
      lastPost: start,
      ops: 0,
      stride: 1,
      sinceFrame: 0,
      units: viewUnits(first.view),
      lastCost: this.now() - start,
      latest: first,
      posted: true,
    };
    const interval = this.options.liveInterval ?? 25;
    const read = (): void => {
      const t = this.now();
      live.latest = { ops: live.ops, view: map.view(MAP_BINS) };
      live.lastCost = this.now() - t;
      live.posted = false;
    };
    live.stop = rt.onSample(every, () => {
      live.ops += every;
      live.sinceFrame++;
      const paid = live.units - MAP_VIEW_FREE_UNITS;
      if (live.sinceFrame >= live.stride && live.sinceFrame * every >= MAP_VIEW_OPS_PER_UNIT * paid) {
        read();
        this.recordMap(live);
      }
      const t = this.now();
      if (t - live.lastPost < Math.max(interval, MAP_POST_MIN_MS, MAP_POST_COST_FACTOR * live.lastCost))
        return;
      if (live.posted) read();
      live.lastPost = t;
      live.posted = true;
      this.postMap(live, tag, "update");
    });
    this.maps.push(live);
    this.postMap(live, tag, "output");
    return {
      __mapView: live.item.id,
      stop: () => {
        if (!this.maps.includes(live)) return;
        this.maps = this.maps.filter((x) => x !== live);
        this.finishMap(live, tag);
      },
    };
  }

  private recordMap(live: LiveMap): void {
    live.sinceFrame = 0;
    live.units = viewUnits(live.latest.view);
    const frames = live.item.frames;
    frames.push(live.latest);
    if (frames.length > MAX_MAP_FRAMES) {
      live.item.frames = frames.filter((_, i) => i % 2 === 0 || i === frames.length - 1);
      live.stride *= 2;
    }
  }

  /** Posts a map picture: while live its latest state, once done every recorded one. */
  private postMap(live: LiveMap, tag: number, type: "output" | "update"): void {
    const frames = live.item.done ? [...live.item.frames] : [live.latest];
    this.options.emit({ type, tag, item: { ...live.item, frames } });
  }

  /** Posts a heap chart's samples (the page draws them: heap-chart.ts). */
  private postChart(chart: LiveChart, tag: number, type: "output" | "update" = "update"): void {
    this.options.emit({ type, tag, item: { ...chart.item, points: [...chart.item.points] } });
  }

  /**
   * At the end of a run, charts stop following their runtime and send their last state
   * (the notebook module calls it when a cell that made a chart has finished).
   */
  finishCharts(tag = 0): void {
    for (const chart of this.charts) {
      chart.stop();
      chart.item.points.push(chart.sample(chart.lastOps));
      chart.item.done = true;
      this.postChart(chart, tag);
    }
    this.charts = [];
    for (const live of this.maps) this.finishMap(live, tag);
    this.maps = [];
  }

  /** A live map picture stops following its map and sends every recorded state. */
  private finishMap(live: LiveMap, tag: number): void {
    live.stop();
    live.latest = { ops: live.ops, view: live.map.view(MAP_BINS) };
    const last = live.item.frames.at(-1);
    if (last?.ops === live.ops) live.item.frames[live.item.frames.length - 1] = live.latest;
    else live.item.frames.push(live.latest);
    live.item.done = true;
    this.postMap(live, tag, "update");
  }
}

/**
 * Plot when the chart script is not there: it failed to load (`error`), or a cell
 * reached it without naming it before it was loaded.
 */
function unavailablePlot(error: string | null, load: () => void): Record<string, unknown> {
  const message =
    error === null ? "Plot is still loading in this kernel: run the cell again in a moment." : error;
  return new Proxy(
    {},
    {
      get() {
        load();
        const e = new Error(message);
        // The page shows a LoadFailure above the cell's previous outputs, never instead of them.
        if (error !== null) e.name = "LoadFailure";
        throw e;
      },
    },
  );
}
