/** Messages between /your-map/'s page and its estimator worker (worker.ts). */
import type { Estimate } from "./estimate.ts";
import type { Problem, YourMapState } from "./state.ts";

export type ToEstimator = { readonly type: "estimate"; readonly id: number; readonly state: YourMapState };

export type FromEstimator =
  | { readonly type: "problems"; readonly id: number; readonly problems: readonly Problem[] }
  | { readonly type: "progress"; readonly id: number; readonly done: number }
  | { readonly type: "result"; readonly id: number; readonly estimate: Estimate }
  | { readonly type: "failed"; readonly id: number; readonly message: string };
