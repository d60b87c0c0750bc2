/**
 * The scavenger: when the runtime returns idle heap memory to the OS.
 *
 * Follows Go 1.23 src/runtime/mgcscavenge.go (gcPaceScavenger, the background
 * scavenger bgscavenge, heapRetained), mheap.go (allocSpan's inline scavenging on heap
 * growth and under a memory limit; debug.FreeOSMemory → mheap.scavengeAll) and
 * proc.go (sysmon's forced collection, forcegcperiod = 2 minutes). Go 1.27's files
 * keep the same goals and constants.
 *
 * Terminology
 *   retained         heapRetained(): HeapInuse + free unreleased heap bytes.
 *   mappedReady      memory the runtime has mapped and not released (Go:
 *                    gcController.mappedReady): Sys − HeapReleased in the model.
 *   gcPercentGoal    set at each collection: lastHeapInUse × heapGoal ÷ lastHeapGoal,
 *                    plus retainExtraPercent (10%), rounded up to a physical page. No
 *                    goal (∞) before the second collection or when retained is already
 *                    within a page of it.
 *   memoryLimitGoal  95% of the memory limit (reduceExtraPercent = 5), or ∞ while
 *                    mappedReady is below that.
 *
 * Behaviour
 *   - After every collection the goals are recomputed (gcPaceScavenger).
 *   - The background scavenger then releases memory at a steady rate of virtual time
 *     until retained ≤ gcPercentGoal and mappedReady ≤ memoryLimitGoal, taking only
 *     what the density rule allows (mheap.ts). Go paces it to scavengePercent = 1% of
 *     one CPU; the bytes that buys per second depend on madvise's cost, so the rate is
 *     a measured figure (backgroundRate below), not derived.
 *   - A heap growth releases at once what would take retained past gcPercentGoal, and
 *     a span taken from released memory releases at once what would take mappedReady
 *     past the limit (allocSpan's HaveSpan block), ignoring density.
 *   - debug.FreeOSMemory: a collection, then every free page released.
 *   - sysmon starts a collection when more than forcegcperiod (2 min) passed since the
 *     last one, unless GOGC is off (gcTrigger.test, kind gcTriggerTime), checked when
 *     sysmon wakes: at the end of a sleep or every forcegcperiod/2 into it (heap.ts idle).
 *
 * Simplifications (measured errors in docs/model.md)
 *   - Real releases come in bursts that a 250 ms sampling sees as steps (Go 1.23: most
 *     of the reclaimable memory within one step at ~2.4 s after the collection); the
 *     model releases linearly at the calibrated rate, reaching the same plateau.
 *   - Time passes only in rt.sleep: allocation and map work take no virtual time.
 */

export const scavengePercent = 1; // % of one CPU the background scavenger may use
export const retainExtraPercent = 10;
export const reduceExtraPercent = 5;
export const physPageSize = 4096;
export const forcegcperiod = 2 * 60 * 1e9; // ns, proc.go

/**
 * Bytes per second the background scavenger releases (1% of a CPU at madvise's cost),
 * fitted to the article program on linux/amd64: Go 1.23 released 258 MiB by 2.5 s
 * after the collection, Go 1.27 168 MiB by 1.75 s (docs/research/pm-model/).
 */
export const backgroundRate = 100 * 2 ** 20;

export interface ScavengeGoals {
  gcPercentGoal: number;
  memoryLimitGoal: number;
}

/** gcPaceScavenger: the goals after a collection. */
export function paceScavenger(
  memoryLimit: number,
  heapGoal: number,
  lastHeapGoal: number,
  lastHeapInUse: number,
  retained: number,
  mappedReady: number,
): ScavengeGoals {
  const limitGoal = Math.floor(memoryLimit * (1 - reduceExtraPercent / 100));
  const memoryLimitGoal = mappedReady <= limitGoal ? Number.POSITIVE_INFINITY : limitGoal;
  if (lastHeapGoal === 0 || !Number.isFinite(heapGoal) || !Number.isFinite(lastHeapGoal))
    return { gcPercentGoal: Number.POSITIVE_INFINITY, memoryLimitGoal };
  let goal = Math.floor(lastHeapInUse * (heapGoal / lastHeapGoal));
  goal += Math.floor(goal / (100 / retainExtraPercent));
  goal = Math.ceil(goal / physPageSize) * physPageSize;
  if (retained <= goal || retained - goal < physPageSize)
    return { gcPercentGoal: Number.POSITIVE_INFINITY, memoryLimitGoal };
  return { gcPercentGoal: goal, memoryLimitGoal };
}

/** Bytes the background scavenger still wants to release. */
export function scavengeWork(goals: ScavengeGoals, retained: number, mappedReady: number): number {
  return Math.max(0, retained - goals.gcPercentGoal, mappedReady - goals.memoryLimitGoal);
}
