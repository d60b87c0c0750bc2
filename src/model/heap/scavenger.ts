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
 *   - The background scavenger (bgscavenge, scavengerState) works in runs and sleeps:
 *     a run (scavengerState.run) releases 64 KiB quanta (scavengeQuantum) until it
 *     has worked minScavWorkTime = 1 ms, the goals are met (shouldStop) or nothing is
 *     left that the density rule allows (mheap.ts); a run that released nothing parks
 *     it. After a run it sleeps worked × (1 + scavengeCostRatio) ÷ sleepRatio, a short
 *     run counting as 1 ms (scavengerState.sleep), and the sleep controller (a
 *     piController: kp 0.3375, ti 3.2e6, tt 1e9, output 0.001–1000) moves sleepRatio
 *     so that worked ÷ ((slept + worked) × GOMAXPROCS) tends to scavengePercent = 1%.
 *     Starting at startingScavSleepRatio = 0.001 (1 s of sleep per run), the first
 *     long sleep winds the controller up to a ratio near 1: the next runs follow each
 *     other within milliseconds (the bursts a 250 ms sampling sees as steps), until
 *     the controller settles near 1% of the CPUs.
 *   - It is woken (scavengerState.wake) at each collection's sweep termination
 *     (mgcsweep.go finishsweep_m), and works through the mark phase (markNs of virtual
 *     time) under the last cycle's goals; and again when sweeping finishes (sweepone →
 *     ready, which sysmon turns into a wake), under the new goals. The model's sweep
 *     is instantaneous, so the second wake comes at mark termination.
 *   - The bytes one millisecond of work releases are madvise's cost on the recording
 *     machine: a measured figure (bytesPerWorkMs below), not derived.
 *   - Runs happen in virtual time: while the program sleeps, and while it works (each
 *     map write costs the fitted time in workNs), so memory the scavenger may take is
 *     released during a long insert or delete loop as in Go.
 *   - A heap growth releases at once what would take retained past gcPercentGoal, and
 *     a span taken from released memory releases at once what would take mappedReady
 *     past the limit (allocSpan's HaveSpan block), ignoring density.
 *   - debug.FreeOSMemory: a collection, then every free page released.
 *   - sysmon starts a collection when more than forcegcperiod (2 min) passed since the
 *     last one, unless GOGC is off (gcTrigger.test, kind gcTriggerTime), checked when
 *     sysmon wakes: at the end of a sleep or every forcegcperiod/2 into it (heap.ts idle).
 *     At the sleep's end sysmon wakes with the program, which reads its stats before
 *     the injected forcegchelper's cycle reaches mark termination (mgc.go
 *     gcMarkTermination: numgc++): that collection ends at the program's next step.
 *   - Go 1.19 has no scavenger index (mgcscavenge.go before Go 1.21 has no
 *     scavChunkHiOccFrac): its background scavenger takes any free page, dense chunk
 *     or not (scavengerRules).
 *
 * Simplifications (measured errors in docs/model.md)
 *   - The cost of work is one figure per map write (workNs), fitted to the recorded
 *     programs' durations on a loaded 2-core machine; real durations vary with load by
 *     a factor of several, and so does what the scavenger releases during work.
 *   - A run's duration is released bytes ÷ bytesPerWorkMs; real madvise costs vary.
 *   - A collection's mark phase is one fitted duration (markNs), whatever the heap.
 *   - scavengeIndex's search cursor (searchAddrBg, raised to freeHWM at nextGen) is not
 *     kept: a run takes the highest chunks the density rule allows; a run that finds
 *     nothing parks until the next collection, as an exhausted cursor does in Go.
 */

export const scavengePercent = 1; // % of one CPU the background scavenger may use
export const retainExtraPercent = 10;
export const reduceExtraPercent = 5;
export const physPageSize = 4096;
export const forcegcperiod = 2 * 60 * 1e9; // ns, proc.go

export const minScavWorkTime = 1e6; // ns, mgcscavenge.go
export const startingScavSleepRatio = 0.001; // mgcscavenge.go
export const scavengeCostRatio = 0; // 0.7 on darwin/ios only
/** GOMAXPROCS of the recordings (the golden files' env: unset, 2 cores). */
export const gomaxprocs = 2;

/**
 * Bytes one millisecond of the background scavenger's work releases (madvise of
 * resident pages), fitted on linux/amd64 to single runs between two snapshots of Go
 * 1.23, while the controller sleeps a second per run: 17 MiB in the 15 ms from `full`
 * to `recreated` (docs/research/pm-model/1.23-article.jsonl) and 13–15 MiB during the
 * deletes of article-int-128 (test/fixtures/go-truth/go1.23, `added` → `deleted`).
 */
export const bytesPerWorkMs = 16 * 2 ** 20;

/**
 * Virtual time one map write costs (ns), fitted to the recorded programs' durations
 * on the 2-core recording machine at load < 2 (gogc-50-int-128, memory-limit-int-128,
 * ptr-scattered-128: 0.8–1.6 s for 1M inserts and 0.9–1M deletes, Go 1.23–1.27;
 * docs/research/pm-model 1.23-article: 1M inserts in 2.1 s, 1.27: 1.5 s). Inserts
 * carry the table growth and the collections; a delete only clears a slot.
 */
export const workNs = { insert: 1200, delete: 100 } as const;

/**
 * Virtual time from a collection's sweep termination to its mark termination (ns), in
 * which the scavenger woken by finishsweep_m works under the last cycle's goals. Fit:
 * Go 1.23 took 15 ms from `full` to `recreated` (a runtime.GC and a 1,000-entry copy,
 * docs/research/pm-model/1.23-article.jsonl).
 */
export const markNs = 10e6;

/**
 * The part of markNs that runtime.GC() and debug.FreeOSMemory spend sweeping every span
 * after mark termination (lastgc) before they return (ns; 1 ms taken). It puts the
 * program's next timer just past lastgc + n × 10 s, so a sleep ending 120 s after the
 * call finds more than forcegcperiod gone, as in the real runs that collected at the
 * 120 s timer (forced-gc).
 */
export const sweepNs = 1e6;

/** Release rules that differ between Go releases. */
export interface ScavengerRules {
  /** The background scavenger skips chunks that were dense (Go 1.21+: scavengeIndex). */
  readonly densityIndex: boolean;
}

export function scavengerRules(go: string): ScavengerRules {
  return { densityIndex: Number(go.split(".")[1]) >= 21 };
}

/** piController (mgcscavenge.go), the scavenger's sleep controller. */
export class PIController {
  errIntegral = 0;
  private readonly kp: number;
  private readonly ti: number;
  private readonly tt: number;
  private readonly min: number;
  private readonly max: number;
  constructor(kp: number, ti: number, tt: number, min: number, max: number) {
    this.kp = kp;
    this.ti = ti;
    this.tt = tt;
    this.min = min;
    this.max = max;
  }

  /** next: the new output, or null when the state overflowed (it is then reset). */
  next(input: number, setpoint: number, period: number): number | null {
    const prop = this.kp * (setpoint - input);
    const rawOutput = prop + this.errIntegral;
    if (!Number.isFinite(rawOutput)) {
      this.errIntegral = 0;
      return null;
    }
    const output = Math.min(this.max, Math.max(this.min, rawOutput));
    this.errIntegral +=
      ((this.kp * period) / this.ti) * (setpoint - input) + (period / this.tt) * (output - rawOutput);
    if (!Number.isFinite(this.errIntegral)) {
      this.errIntegral = 0;
      return null;
    }
    return output;
  }
}

/**
 * scavengerState: when the background scavenger runs, in virtual time. `release(bytes)`
 * does the work (the page heap's scavenge toward the goals) and returns the bytes it
 * released; 0 parks the scavenger until the next wake.
 */
export class ScavengerState {
  parked = true;
  /** When the next run starts (ns), if not parked. */
  nextRunNs = 0;
  private sleepStartNs = 0;
  private lastWorkedNs = 0;
  sleepRatio = startingScavSleepRatio;
  private controllerCooldown = 0;
  private readonly sleepController = new PIController(0.3375, 3.2e6, 1e9, 0.001, 1000);

  /** scavengerState.wake: unpark (or cut the sleep short) now. */
  wake(nowNs: number): void {
    if (this.parked) {
      this.parked = false;
      this.nextRunNs = nowNs;
      this.sleepStartNs = -1;
    } else if (this.nextRunNs > nowNs) {
      this.endSleep(nowNs);
      this.nextRunNs = nowNs;
    }
  }

  /** Runs every run due by `untilNs`. */
  advance(untilNs: number, release: (bytes: number) => number): void {
    while (!this.parked && this.nextRunNs <= untilNs) {
      const start = this.nextRunNs;
      if (this.sleepStartNs >= 0) this.endSleep(start);
      const budget = (bytesPerWorkMs * minScavWorkTime) / 1e6;
      const released = release(budget);
      if (released <= 0) {
        this.parked = true;
        return;
      }
      const worked = Math.max(minScavWorkTime, (released / budget) * minScavWorkTime);
      this.lastWorkedNs = worked * (1 + scavengeCostRatio);
      const sleepNs = Math.floor(this.lastWorkedNs / this.sleepRatio);
      this.sleepStartNs = start + worked;
      this.nextRunNs = this.sleepStartNs + sleepNs;
    }
  }

  /** The end of scavengerState.sleep: the controller sees how long it slept. */
  private endSleep(nowNs: number): void {
    const slept = Math.max(0, nowNs - this.sleepStartNs);
    this.sleepStartNs = -1;
    const worked = this.lastWorkedNs;
    if (this.controllerCooldown > 0) {
      const t = slept + worked;
      this.controllerCooldown = t > this.controllerCooldown ? 0 : this.controllerCooldown - t;
      return;
    }
    const cpuFraction = worked / ((slept + worked) * gomaxprocs);
    const r = this.sleepController.next(cpuFraction, scavengePercent / 100, slept + worked);
    if (r === null) {
      this.sleepRatio = startingScavSleepRatio;
      this.controllerCooldown = 5e9;
    } else this.sleepRatio = r;
  }
}

export interface ScavengeGoals {
  gcPercentGoal: number;
  memoryLimitGoal: number;
}

/** memoryLimitHeapGoal() with no limit (math.MaxInt64, less its 3% headroom). */
const noLimitHeapGoal = Math.floor(2 ** 63 * 0.97);

function finiteGoal(goal: number): number {
  return Number.isFinite(goal) ? Math.min(goal, noLimitHeapGoal) : noLimitHeapGoal;
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
  if (lastHeapGoal === 0) return { gcPercentGoal: Number.POSITIVE_INFINITY, memoryLimitGoal };
  // GOGC off without a limit: Go's heap goal is then memoryLimitHeapGoal under
  // math.MaxInt64 (gcPercentHeapGoal is ^uint64(0)), a finite number near 2^63, so two
  // such goals give a ratio of 1 and the scavenger keeps lastHeapInUse + 10%.
  const ratio = finiteGoal(heapGoal) / finiteGoal(lastHeapGoal);
  let goal = Math.floor(lastHeapInUse * ratio);
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
