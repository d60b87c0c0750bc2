/**
 * A cell's output area while it runs: the previous outputs (the build's, or an earlier
 * run's) stay until the run has something to put in their place.
 *
 *   - the run's first output, once drawn, replaces them; later ones are appended;
 *   - a run that ends with no output at all leaves the area empty (that is its output);
 *   - when an output cannot be drawn because a lazily loaded part did not arrive
 *     (Plot, offline), the previous outputs come back under the message, so a failed
 *     load never leaves a cell blank;
 *   - a run that is stopped or whose kernel fails before any output keeps them.
 *
 * `data-origin` follows what is shown: "live" once the run's output replaced the old,
 * the old value while the old outputs are shown.
 */
type Phase = "waiting" | "live" | "kept";

interface Run {
  runId: number;
  previous: Node[];
  origin: string;
  phase: Phase;
}

const runs = new WeakMap<HTMLElement, Run>();

function runOf(out: HTMLElement, runId: number): Run | null {
  const run = runs.get(out);
  return run && run.runId === runId && out.dataset["runId"] === String(runId) ? run : null;
}

/** A run starts; the area keeps what it shows. */
export function beginRun(out: HTMLElement, runId: number): void {
  runs.set(out, {
    runId,
    previous: [...out.childNodes],
    origin: out.dataset["origin"] ?? "build",
    phase: "waiting",
  });
  out.dataset["runId"] = String(runId);
  out.setAttribute("aria-busy", "true");
}

/**
 * The run is about to show something: on its first output the previous ones go. False
 * when the area belongs to a later run or kept the old outputs.
 */
export function claim(out: HTMLElement, runId: number): boolean {
  const run = runOf(out, runId);
  if (!run || run.phase === "kept") return false;
  if (run.phase === "waiting") {
    out.replaceChildren();
    out.dataset["origin"] = "live";
    out.removeAttribute("aria-busy");
    run.phase = "live";
  }
  return true;
}

/** Shows one drawn output of the run; false when the area belongs to a later run or kept the old. */
export function showOutput(out: HTMLElement, runId: number, el: HTMLElement): boolean {
  if (!claim(out, runId)) return false;
  out.append(el);
  return true;
}

/** True while the area shows this run's own outputs (live charts may be redrawn). */
export function showsRun(out: HTMLElement): boolean {
  const run = runs.get(out);
  return run !== undefined && out.dataset["runId"] === String(run.runId) && run.phase === "live";
}

/** An output could not be drawn: the message, then the previous outputs. */
export function keepPrevious(out: HTMLElement, runId: number, message: HTMLElement): void {
  const run = runOf(out, runId);
  if (!run) return;
  if (run.phase === "kept") return;
  out.replaceChildren(message, ...run.previous);
  out.dataset["origin"] = run.origin;
  out.removeAttribute("aria-busy");
  run.phase = "kept";
}

/** The run is over: if it showed nothing, its output is empty. */
export function endRun(out: HTMLElement, runId: number): void {
  const run = runOf(out, runId);
  if (!run) return;
  if (run.phase === "waiting") {
    out.replaceChildren();
    out.dataset["origin"] = "live";
  }
  out.removeAttribute("aria-busy");
}

/** The run was abandoned (Stop, a kernel that failed): the area shows what it showed. */
export function abandonRun(out: HTMLElement, runId: number): void {
  if (runOf(out, runId)) out.removeAttribute("aria-busy");
}

/** An output that could not be drawn, for another reason than a failed load. */
export function drawFailure(error: unknown): HTMLElement {
  const el = document.createElement("div");
  el.className = "nb-error";
  el.setAttribute("role", "alert");
  el.textContent = `This output could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
  return el;
}
