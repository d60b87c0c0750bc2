/** Messages between /your-map/'s page and its estimator workers (worker.ts). */
import type { FixRun, FixRunId, MainRun } from "./figures.ts";
import type { Problem, YourMapState } from "./state.ts";

/** A worker's job: the reader's workload ("main"), or one fix's run. */
export type Job = "main" | FixRunId;

export type ToEstimator =
  | {
      readonly type: "run";
      readonly id: number;
      readonly job: Job;
      readonly state: YourMapState;
    }
  /** Warm the model's code on a small copy of `state`; nothing is sent back. */
  | { readonly type: "warm"; readonly state: YourMapState };

export type FromEstimator =
  | { readonly type: "problems"; readonly id: number; readonly problems: readonly Problem[] }
  | { readonly type: "progress"; readonly id: number; readonly job: Job; readonly done: number }
  /** `ms`: how long the run took in the worker (bench/site.ts reports it). */
  | { readonly type: "main"; readonly id: number; readonly run: MainRun; readonly ms: number }
  | { readonly type: "fix"; readonly id: number; readonly run: FixRun; readonly ms: number }
  | { readonly type: "failed"; readonly id: number; readonly job: Job; readonly message: string };
