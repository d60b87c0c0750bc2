/**
 * The runtime's late few KiB, held to what real Go recorded: the committed program
 * test/go-truth/programs/new-thread/ collects forty times beside a count of the OS
 * threads the runtime has created (test/fixtures/go-truth-programs/goX.Y/new-thread.json).
 * versions.ts newMBytes claims every such step in HeapAlloc is one new thread's heap
 * objects, of a fixed size per release, arriving at no fixed collection. No Go needed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GoVersion } from "../../src/model/contract.ts";
import { versionRules } from "../../src/model/versions.ts";

interface Snapshot {
  label: string;
  heapAlloc: number[];
  notes: { threads: number[] };
}

const DIR = join(import.meta.dirname, "../fixtures/go-truth-programs");
const files = readdirSync(DIR)
  .filter((d) => readdirSync(join(DIR, d)).includes("new-thread.json"))
  .map((d) => ({
    release: d.replace(/^go/, "") as GoVersion,
    snapshots: (
      JSON.parse(readFileSync(join(DIR, d, "new-thread.json"), "utf8")) as { snapshots: Snapshot[] }
    ).snapshots,
  }));

const STEP = 1024; // larger than the ~100 B of small runtime objects, smaller than any thread's

describe("one more OS thread: the runtime's late allocation (versions.ts newMBytes)", () => {
  it("is recorded on every release the model has golden files for", () => {
    expect(files.map((f) => f.release).sort()).toEqual([
      "1.19",
      "1.21",
      "1.22",
      "1.23",
      "1.24",
      "1.26",
      "1.27",
    ]);
  });

  it.each(files)(
    "Go $release: every step in HeapAlloc is one new thread's objects",
    ({ release, snapshots }) => {
      const bytes = versionRules(release).newMBytes;
      const runs = snapshots[0]?.heapAlloc.length ?? 0;
      const collections = new Set<number>();
      let steps = 0;
      for (let r = 0; r < runs; r++) {
        for (let i = 1; i < snapshots.length; i++) {
          const [prev, cur] = [snapshots[i - 1] as Snapshot, snapshots[i] as Snapshot];
          const step = (cur.heapAlloc[r] ?? 0) - (prev.heapAlloc[r] ?? 0);
          if (step <= STEP) continue;
          steps++;
          collections.add(i);
          // The size is the release's constant, within the tens of bytes of small runtime objects.
          expect(Math.abs(step - bytes), `run ${r}, ${cur.label}: step ${step} B`).toBeLessThanOrEqual(64);
          // A thread was created at this snapshot or the one before.
          const before = snapshots[Math.max(0, i - 2)]?.notes.threads[r] ?? 0;
          expect(cur.notes.threads[r], `run ${r}, ${cur.label}: no new thread`).toBeGreaterThan(before);
        }
      }
      expect(steps).toBeGreaterThan(0);
      // It comes at no fixed collection: the recorded runs put it at more than one.
      expect(collections.size).toBeGreaterThan(1);
    },
  );
});
