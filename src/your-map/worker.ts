/**
 * The estimator's worker: /your-map/ runs the model here, never on the page's thread.
 * The page keeps two of them (page.ts): the main run in one, then the fixes' runs
 * spread over both.
 *
 *   page ── {type:"run", id, job:"main", state} ──▶ worker
 *        ◀── {type:"problems", id, problems}     first; empty means it runs
 *        ◀── {type:"progress", id, job, done}    0 … 1, at most every 50 ms
 *        ◀── {type:"main", id, run, ms}          the reader's workload: every figure but the fixes'
 *   page ── {type:"run", id, job:"shrink" | "pointer" | "release", state} ──▶ worker
 *        ◀── {type:"progress", …} · {type:"fix", id, run, ms}
 *        ◀── {type:"failed", id, job, message}
 *   page ── {type:"warm", state} ──▶ worker      once, on an idle page (estimate.ts warmUp)
 *
 * It is a site-owned worker, not the notebook's sandboxed kernel, because what it
 * receives is data, never code: the state is rebuilt field by field (checkState) and
 * checked by the model's own rules (check.ts) before anything runs. A run is one
 * synchronous computation; the page cancels an outdated one by terminating the worker
 * (docs/notebook.md, "Your map"). Loading this script loads the model, so the page
 * starts its workers while it idles, before the first run is asked for.
 */
import { problems } from "./check.ts";
import { fixRun, mainRun, warmUp } from "./estimate.ts";
import { checkState } from "./state.ts";
import type { FromEstimator, Job, ToEstimator } from "./protocol.ts";

const PROGRESS_EVERY = 50; // ms between two progress messages
const JOBS: readonly Job[] = ["main", "shrink", "pointer", "release"];

const post = (m: FromEstimator): void => postMessage(m);

addEventListener("message", (e: MessageEvent<ToEstimator>) => {
  const m = e.data;
  if (typeof m === "object" && m !== null && m.type === "warm") {
    warmUp(checkState(m.state));
    return;
  }
  if (typeof m !== "object" || m === null || m.type !== "run" || typeof m.id !== "number") return;
  if (!JOBS.includes(m.job)) return;
  const { id, job } = m;
  const state = checkState(m.state);
  const found = problems(state);
  if (job === "main") post({ type: "problems", id, problems: found });
  else if (found.length > 0)
    post({ type: "failed", id, job, message: found.map((p) => `${p.field}: ${p.message}`).join("; ") });
  if (found.length > 0) return;
  let last = 0;
  const onProgress = (done: number): void => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY && done < 1) return;
    last = now;
    post({ type: "progress", id, job, done });
  };
  try {
    const t = performance.now();
    if (job === "main") {
      const run = mainRun(state, { onProgress });
      post({ type: "main", id, run, ms: performance.now() - t });
    } else {
      const run = fixRun(state, job, { onProgress });
      post({ type: "fix", id, run, ms: performance.now() - t });
    }
  } catch (err) {
    post({ type: "failed", id, job, message: err instanceof Error ? err.message : String(err) });
  }
});
