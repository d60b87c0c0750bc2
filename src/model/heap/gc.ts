/**
 * The GOGC=100 pacer: when the collector runs on its own.
 *
 * Follows Go 1.23 src/runtime/mgcpacer.go (gcControllerState.commit, trigger,
 * heapGoalInternal); the arithmetic is unchanged through Go 1.27.
 *
 * Terminology
 *   heapMarked   bytes found live by the last collection (Go: gcController.heapMarked).
 *   roots        bytes of GC roots the last cycle scanned besides the heap: the
 *                goroutine stacks (Go: lastStackScan) and the data and bss segments
 *                (Go: globalsScan, added up in symtab.go modulesinit). Measured per
 *                release (versions.ts gcRoots).
 *   heap goal    the heap size the next cycle aims to finish by (Go's commit()):
 *                heapMarked + (heapMarked + roots)·GOGC/100, at least heapMinimum
 *                (4 MiB).
 *   trigger      the HeapAlloc at which a cycle starts, somewhere between the last
 *                live heap and the goal.
 *
 * The trigger (Go's trigger()):
 *   minTrigger = heapMarked + (goal − heapMarked)·45/64      (≈ 0.7 of the runway)
 *   maxTrigger = heapMarked + (goal − heapMarked)·61/64      (≈ 0.95 of the runway)
 *   if goal − 4 MiB > maxTrigger: maxTrigger = goal − 4 MiB   (large heaps start late)
 *   trigger    = goal − runway, clamped to [minTrigger, maxTrigger]
 * Go's runway is its estimate of how much the program allocates while the
 * concurrent mark runs (cons/mark ratio × scan work). The model's collections are
 * instantaneous and its programs do almost no scan work between collections (map
 * buckets of pointer-free types are noscan), so it takes runway = 0, i.e. the
 * trigger is maxTrigger. For a 300 MiB live heap that is goal − 4 MiB; for a small
 * heap it is 95% of the way to the goal.
 *
 * Invariants
 *   1. heapMarked ≤ trigger ≤ goal.
 *   2. goal ≥ heapMinimum.
 */

export const gcPercent = 100; // GOGC's default
export const heapMinimum = 4 << 20; // Go: defaultHeapMinimum for GOGC=100
export const triggerRatioDen = 64; // denominator of the trigger bounds
export const minTriggerRatioNum = 45; // lower bound ≈ 0.7 of the runway
export const maxTriggerRatioNum = 61; // upper bound ≈ 0.95 of the runway

export interface PacerState {
  readonly heapMarked: number;
  readonly goal: number;
  readonly trigger: number;
}

/**
 * Goal and trigger after a collection that found `heapMarked` bytes live and scanned
 * `roots` bytes of stacks and globals. `percent` is GOGC (−1: off, the goal is
 * infinite unless a memory limit is set); `memoryLimit` caps the goal (bytes).
 */
export function pace(
  heapMarked: number,
  roots = 0,
  percent = gcPercent,
  memoryLimit = Number.POSITIVE_INFINITY,
): PacerState {
  const percentGoal =
    percent < 0
      ? Number.POSITIVE_INFINITY
      : Math.max(
          heapMarked + Math.floor(((heapMarked + roots) * percent) / 100),
          Math.floor((heapMinimum * percent) / 100),
        );
  const goal = Math.max(Math.min(percentGoal, memoryLimit), heapMarked);
  if (!Number.isFinite(goal)) return { heapMarked, goal, trigger: goal };
  const runway = goal - heapMarked;
  const minTrigger = heapMarked + Math.floor(runway / triggerRatioDen) * minTriggerRatioNum;
  let maxTrigger = heapMarked + Math.floor(runway / triggerRatioDen) * maxTriggerRatioNum;
  if (goal > heapMinimum && goal - heapMinimum > maxTrigger) maxTrigger = goal - heapMinimum;
  maxTrigger = Math.max(maxTrigger, minTrigger);
  return { heapMarked, goal, trigger: maxTrigger };
}
