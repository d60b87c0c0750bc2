/**
 * The estimator's worker: /your-map/ runs the model here, never on the page's thread.
 *
 *   page ── {type:"estimate", id, state} ──▶ worker
 *        ◀── {type:"problems", id, problems}     always first; empty means it runs
 *        ◀── {type:"progress", id, done}         0 … 1, at most every 50 ms
 *        ◀── {type:"result", id, estimate}       after each run (fixes arrive later)
 *        ◀── {type:"failed", id, message}
 *
 * It is a site-owned worker, not the notebook's sandboxed kernel, because what it
 * receives is data, never code: the state is rebuilt field by field (checkState) and
 * checked by the model's own rules (check.ts) before anything runs. A run is one
 * synchronous computation; the page cancels an outdated one by terminating the worker
 * (docs/notebook.md, "Your map").
 */
import { problems } from "./check.ts";
import { estimate } from "./estimate.ts";
import { checkState } from "./state.ts";
import type { ToEstimator, FromEstimator } from "./protocol.ts";

const PROGRESS_EVERY = 50; // ms between two progress messages

const post = (m: FromEstimator): void => postMessage(m);

addEventListener("message", (e: MessageEvent<ToEstimator>) => {
  const m = e.data;
  if (typeof m !== "object" || m === null || m.type !== "estimate" || typeof m.id !== "number") return;
  const id = m.id;
  const state = checkState(m.state);
  const found = problems(state);
  post({ type: "problems", id, problems: found });
  if (found.length > 0) return;
  let last = 0;
  try {
    estimate(state, {
      onProgress: (done) => {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY && done < 1) return;
        last = now;
        post({ type: "progress", id, done });
      },
      onPartial: (est) => post({ type: "result", id, estimate: est }),
    });
  } catch (err) {
    post({ type: "failed", id, message: err instanceof Error ? err.message : String(err) });
  }
});
