import { describe, expect, test } from "vitest";
import { createFigures } from "../../src/notebook/figures.ts";
import { Kernel, type KernelEvent } from "../../src/notebook/kernel.ts";
import { IdleWarmUp, warmModel, warmUpSteps } from "../../src/notebook/warm-up.ts";

/** A schedule the test drives: tick() runs the macrotasks queued so far. */
function manualSchedule() {
  const queue: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => void queue.push(fn),
    async tick(): Promise<void> {
      for (const fn of queue.splice(0)) fn();
      await new Promise((r) => setTimeout(r, 0)); // the step's promise settles
    },
    get queued(): number {
      return queue.length;
    },
  };
}

describe("IdleWarmUp", () => {
  test("runs each step once, one per macrotask, in order", async () => {
    const ran: number[] = [];
    const s = manualSchedule();
    const w = new IdleWarmUp(
      [0, 1, 2].map((i) => () => void ran.push(i)),
      s.schedule,
    );
    w.start();
    expect(ran).toEqual([]); // nothing runs synchronously
    await s.tick();
    expect(ran).toEqual([0]);
    await s.tick();
    await s.tick();
    expect(ran).toEqual([0, 1, 2]);
    await s.tick();
    expect(ran).toEqual([0, 1, 2]);
    expect(w.left).toBe(0);
    expect(s.queued).toBe(0);
  });

  test("pause stops it before the next step; resume goes on where it stopped", async () => {
    const ran: number[] = [];
    const s = manualSchedule();
    const w = new IdleWarmUp(
      [0, 1, 2, 3].map((i) => () => void ran.push(i)),
      s.schedule,
    );
    w.start();
    await s.tick();
    w.pause(); // a run arrives: the step already scheduled must not run
    await s.tick();
    await s.tick();
    expect(ran).toEqual([0]);
    w.resume();
    await s.tick();
    await s.tick();
    await s.tick();
    expect(ran).toEqual([0, 1, 2, 3]);
  });

  test("a step that throws or rejects is skipped, and the rest still run", async () => {
    const ran: string[] = [];
    const s = manualSchedule();
    const w = new IdleWarmUp(
      [
        () => {
          throw new Error("no");
        },
        () => Promise.reject(new Error("no")),
        () => void ran.push("last"),
      ],
      s.schedule,
    );
    w.start();
    for (let i = 0; i < 4; i++) await s.tick();
    expect(ran).toEqual(["last"]);
  });

  test("a step's promise is waited for before the next step", async () => {
    const ran: string[] = [];
    let release: () => void = () => {};
    const s = manualSchedule();
    const w = new IdleWarmUp(
      [() => new Promise<void>((r) => (release = r)), () => void ran.push("second")],
      s.schedule,
    );
    w.start();
    await s.tick();
    await s.tick();
    expect(ran).toEqual([]);
    release();
    await s.tick();
    await s.tick();
    expect(ran).toEqual(["second"]);
  });
});

describe("the warm-up leaves nothing a cell sees", () => {
  const cells = [
    ["setup", 'const rt = goRuntime({ go: "1.23" });\nconst m = rt.makeMap("int", "[128]byte");'],
    [
      "experiment",
      'const chart = liveHeap(rt, { every: 5_000 });\nm.insertRange(0, 60_000);\nrt.GC();\nm.deleteRange(0, 60_000, 3);\nrt.GC();\ndisplay([{ heap: rt.readMemStats().HeapAlloc, gc: rt.readMemStats().NumGC, len: m.len }]);\nconst s = goRuntime({ go: "1.27" });\nconst w = s.makeMap("string", "[16]byte");\nw.insertRange(0, 5_000);\ndisplay(s.readMemStats());',
    ],
  ] as const;

  async function outputs(warm: boolean): Promise<KernelEvent[]> {
    const events: KernelEvent[] = [];
    let t = 0;
    const k = new Kernel({ seed: 1, emit: (e) => events.push(e), figures: createFigures, now: () => t++ });
    if (warm) for (const step of warmUpSteps()) await step();
    for (const [id, code] of cells) expect((await k.run(id, code)).ok).toBe(true);
    return events;
  }

  test("a kernel's outputs are the same with and without the warm-up before them", async () => {
    const cold = await outputs(false);
    const warm = await outputs(true);
    expect(warm.length).toBeGreaterThan(3);
    expect(warm).toEqual(cold);
  });

  test("warmModel runs both families without throwing, on sizes that grow and shrink", () => {
    expect(() => warmModel("1.23", 3_000)).not.toThrow();
    expect(() => warmModel("1.27", 3_000)).not.toThrow();
  });
});
