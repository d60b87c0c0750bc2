import { describe, expect, test } from "vitest";
import {
  KernelClient,
  type KernelPort,
  type KernelStatus,
  type PortHandlers,
  type RunEvent,
} from "../../src/notebook/client/kernel-client.ts";
import type { FromWorker, ToWorker } from "../../src/notebook/protocol.ts";

type RunMsg = Extract<ToWorker, { type: "run" }>;

/** A kernel that does nothing by itself: the test plays the worker's part. */
class FakeKernel {
  readonly ports: { on: PortHandlers; sent: RunMsg[]; terminated: boolean }[] = [];
  readonly connect = (on: PortHandlers): KernelPort => {
    const port = { on, sent: [] as RunMsg[], terminated: false };
    this.ports.push(port);
    return { post: (m) => port.sent.push(m as RunMsg), terminate: () => (port.terminated = true) };
  };
  get last(): { on: PortHandlers; sent: RunMsg[]; terminated: boolean } {
    const p = this.ports.at(-1);
    if (!p) throw new Error("no port");
    return p;
  }
  say(msg: FromWorker, port = this.last): void {
    port.on.message(msg);
  }
}

function setup(): {
  fake: FakeKernel;
  client: KernelClient;
  statuses: KernelStatus[];
  crashes: [string, string | null][];
} {
  const fake = new FakeKernel();
  const statuses: KernelStatus[] = [];
  const crashes: [string, string | null][] = [];
  const client = new KernelClient({
    connect: fake.connect,
    onStatus: (s) => statuses.push(s),
    onCrash: (reason, victim) => crashes.push([reason, victim]),
  });
  client.start();
  return { fake, client, statuses, crashes };
}

const runIdOf = (m: RunMsg | undefined): number => {
  if (!m) throw new Error("nothing was sent");
  return m.runId;
};

describe("KernelClient", () => {
  test("runs wait for ready, then go one at a time in queue order, reading code when sent", async () => {
    const { fake, client, statuses } = setup();
    let code = "display(1)";
    const a = client.run(
      "a",
      () => code,
      () => {},
    );
    const b = client.run(
      "b",
      () => "display(2)",
      () => {},
    );
    code = "display(10)"; // read when the run is sent, not when it is queued
    expect(fake.last.sent).toEqual([]);
    fake.say({ type: "ready" });
    expect(fake.last.sent).toEqual([{ type: "run", runId: 1, cellId: "a", code: "display(10)", inputs: {} }]);
    expect(client.pending).toEqual(["a", "b"]);
    fake.say({ type: "done", runId: 1, ok: true, ms: 3 });
    expect(fake.last.sent.map((m) => m.cellId)).toEqual(["a", "b"]);
    fake.say({ type: "done", runId: runIdOf(fake.last.sent[1]), ok: false, ms: 1 });
    await expect(a).resolves.toBe(true);
    await expect(b).resolves.toBe(false);
    expect(client.busy).toBe(false);
    expect(statuses).toEqual(["starting", "busy", "busy", "idle", "busy", "idle"]);
  });

  test("each run's events reach its own listener only, with the execution count", () => {
    const { fake, client } = setup();
    fake.say({ type: "ready" });
    const events: Record<string, RunEvent[]> = { a: [], b: [] };
    void client.run(
      "a",
      () => "",
      (e) => events["a"]?.push(e),
    );
    void client.run(
      "b",
      () => "",
      (e) => events["b"]?.push(e),
    );
    const item = { kind: "text", text: "x" } as const;
    fake.say({ type: "output", runId: 1, item });
    fake.say({ type: "progress", runId: 1, ops: 5 });
    fake.say({ type: "done", runId: 1, ok: true, ms: 2 });
    fake.say({ type: "output", runId: 2, item });
    fake.say({ type: "done", runId: 2, ok: true, ms: 2 });
    expect(events["a"]).toEqual([
      { type: "start", runId: 1 },
      { type: "output", item },
      { type: "progress", ops: 5 },
      { type: "done", ok: true, ms: 2, count: 1 },
    ]);
    expect(events["b"]).toEqual([
      { type: "start", runId: 2 },
      { type: "output", item },
      { type: "done", ok: true, ms: 2, count: 2 },
    ]);
  });

  test("a stale run's messages, and a terminated worker's, are ignored", async () => {
    const { fake, client } = setup();
    fake.say({ type: "ready" });
    const seen: RunEvent[] = [];
    const first = client.run(
      "a",
      () => "",
      () => {},
    );
    const old = fake.last;
    client.replace("stop");
    await expect(first).resolves.toBe(false);
    const second = client.run(
      "b",
      () => "",
      (e) => seen.push(e),
    );
    fake.say({ type: "ready" });
    const id = runIdOf(fake.last.sent[0]);
    expect(id).toBe(2);
    // The old worker's last words, and messages for a run that is not the current one.
    fake.say({ type: "output", runId: 2, item: { kind: "text", text: "old worker" } }, old);
    fake.say({ type: "done", runId: 2, ok: true, ms: 1 }, old);
    old.on.error("late crash of a terminated worker");
    fake.say({ type: "output", runId: 1, item: { kind: "text", text: "stale run" } });
    fake.say({ type: "done", runId: 1, ok: true, ms: 1 });
    expect(seen).toEqual([{ type: "start", runId: 2 }]);
    expect(client.running).toBe("b");
    fake.say({ type: "done", runId: 2, ok: true, ms: 1 });
    await expect(second).resolves.toBe(true);
    expect(fake.ports).toHaveLength(2);
  });

  test("a crash resolves every pending run false, reports the victim and connects a fresh kernel", async () => {
    const { fake, client, crashes } = setup();
    fake.say({ type: "ready" });
    const events: RunEvent[][] = [[], [], []];
    const runs = ["a", "b", "c"].map((id, i) =>
      client.run(
        id,
        () => "",
        (e) => events[i]?.push(e),
      ),
    );
    const crashed = fake.last;
    crashed.on.error("out of memory");
    await expect(Promise.all(runs)).resolves.toEqual([false, false, false]);
    expect(crashed.terminated).toBe(true);
    expect(crashes).toEqual([["out of memory", "a"]]);
    expect(events.map((e) => e.at(-1))).toEqual([
      { type: "cancelled", cause: "crash", wasRunning: true },
      { type: "cancelled", cause: "crash", wasRunning: false },
      { type: "cancelled", cause: "crash", wasRunning: false },
    ]);
    expect(client.busy).toBe(false);
    // The fresh kernel starts counting again.
    expect(fake.ports).toHaveLength(2);
    const ev: RunEvent[] = [];
    const next = client.run(
      "d",
      () => "",
      (e) => ev.push(e),
    );
    fake.say({ type: "ready" });
    fake.say({ type: "done", runId: runIdOf(fake.last.sent[0]), ok: true, ms: 1 });
    await expect(next).resolves.toBe(true);
    expect(ev.at(-1)).toMatchObject({ type: "done", count: 1 });
  });

  test("replace reports what it ended", () => {
    const { fake, client } = setup();
    fake.say({ type: "ready" });
    expect(client.replace("restart")).toEqual({ running: null, queued: [] });
    void client.run(
      "a",
      () => "",
      () => {},
    );
    void client.run(
      "b",
      () => "",
      () => {},
    );
    expect(client.replace("stop")).toEqual({ running: "a", queued: ["b"] });
  });

  test("outputs of a finished run still reach its cell, until that cell runs again", async () => {
    const { fake, client } = setup();
    const seen: string[] = [];
    const listener = (tag: string) => (e: { type: string; item?: { kind: string } }) => {
      if (e.type === "output") seen.push(`${tag}:${e.item?.kind}`);
    };
    fake.say({ type: "ready" });
    const first = client.run("a", () => "x", listener("first"));
    fake.say({ type: "done", runId: 1, ok: true, ms: 1 });
    await first;
    fake.say({ type: "output", runId: 1, item: { kind: "text", text: "late" } });
    expect(seen).toEqual(["first:text"]);
    const again = client.run("a", () => "y", listener("second"));
    fake.say({ type: "output", runId: 1, item: { kind: "text", text: "too late" } });
    expect(seen).toEqual(["first:text"]);
    fake.say({ type: "done", runId: 2, ok: true, ms: 1 });
    await again;
  });

  test("a kernel lost to memory is a crash with the memory cause", () => {
    const events: [string, string | null, string][] = [];
    const fake = new FakeKernel();
    const client = new KernelClient({
      connect: fake.connect,
      onCrash: (reason, victim, cause) => events.push([reason, victim, cause]),
    });
    client.start();
    fake.last.on.message({ type: "ready" });
    void client.run(
      "big",
      () => "while (true) {}",
      () => {},
    );
    fake.last.on.error("it ran out of memory", "memory");
    expect(events).toEqual([["it ran out of memory", "big", "memory"]]);
  });

  test("inputs: a run carries its controls' values, read when sent; a queued run of a cell can be dropped, the kernel kept", async () => {
    const { fake, client } = setup();
    const events: RunEvent[] = [];
    let n = 1;
    const a = client.run(
      "a",
      () => "display(n)",
      () => {},
      () => ({ n }),
    );
    const b = client.run(
      "b",
      () => "display(2)",
      (e) => events.push(e),
    );
    n = 5;
    fake.say({ type: "ready" });
    expect(fake.last.sent[0]?.inputs).toEqual({ n: 5 });
    fake.say({ type: "input", runId: 1, spec: { kind: "range" } as never }); // untrusted: passed on as it came
    expect(client.cancelQueued("b", "input")).toBe(1);
    expect(client.cancelQueued("a", "input")).toBe(0); // in progress: not dropped
    await expect(b).resolves.toBe(false);
    expect(events).toEqual([{ type: "cancelled", cause: "input", wasRunning: false }]);
    fake.say({ type: "done", runId: 1, ok: true, ms: 1 });
    await expect(a).resolves.toBe(true);
    expect(fake.ports.length).toBe(1);
    expect(fake.last.sent.map((m) => m.cellId)).toEqual(["a"]);
  });
});
