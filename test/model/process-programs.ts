/**
 * The committed Go programs of test/go-truth/programs/ that measure process memory,
 * written as scenarios the model runs: same steps, same snapshot labels.
 */
const idleLabels = (n: number, ms: number, name: (t: number) => string) =>
  Array.from({ length: n }, (_, i) => [
    { op: "sleep", ms },
    { op: "snapshot", label: name((i + 1) * ms) },
  ]).flat();

const deleteAllButEveryTenth = Array.from({ length: 9 }, (_, r) => ({
  op: "delete",
  from: r + 1,
  to: 500_000,
  step: 10,
}));

export const processPrograms: Record<string, { key: string; elem: string; steps: unknown[] }> = {
  "scavenge-timeline": {
    key: "int",
    elem: "[128]byte",
    steps: [
      { op: "gc" },
      { op: "snapshot", label: "start" },
      { op: "make" },
      { op: "insert", from: 0, to: 1_000_000 },
      { op: "snapshot", label: "inserted-live" },
      { op: "gc" },
      { op: "snapshot", label: "inserted" },
      { op: "delete", from: 1000, to: 1_000_000 },
      { op: "gc" },
      { op: "snapshot", label: "deleted" },
      { op: "recreate" },
      { op: "gc" },
      { op: "snapshot", label: "recreated" },
      ...idleLabels(24, 250, (t) => `idle-${String(t).padStart(4, "0")}-live`),
      { op: "freeOSMemory" },
      { op: "snapshot", label: "freed" },
    ],
  },
  "pointer-spans": {
    key: "int",
    elem: "*[128]byte",
    steps: [
      { op: "gc" },
      { op: "snapshot", label: "start" },
      { op: "make" },
      { op: "insert", from: 0, to: 500_000 },
      { op: "gc" },
      { op: "snapshot", label: "scattered-inserted" },
      ...deleteAllButEveryTenth,
      { op: "gc" },
      { op: "snapshot", label: "scattered-deleted" },
      { op: "freeOSMemory" },
      { op: "snapshot", label: "scattered-freed" },
      { op: "drop" },
      { op: "gc" },
      { op: "freeOSMemory" },
      { op: "snapshot", label: "dropped" },
      { op: "make" },
      { op: "insert", from: 0, to: 500_000 },
      { op: "gc" },
      { op: "snapshot", label: "contiguous-inserted" },
      { op: "delete", from: 50_000, to: 500_000 },
      { op: "gc" },
      { op: "snapshot", label: "contiguous-deleted" },
      { op: "freeOSMemory" },
      { op: "snapshot", label: "contiguous-freed" },
    ],
  },
  "forced-gc": {
    key: "int",
    elem: "[128]byte",
    steps: [
      { op: "make" },
      { op: "insert", from: 0, to: 1_000_000 },
      { op: "delete", from: 1000, to: 1_000_000 },
      { op: "recreate" },
      { op: "gc" },
      { op: "snapshot", label: "recreated" },
      ...idleLabels(11, 10_000, (t) => `idle-${String(t / 1000).padStart(3, "0")}s-live`),
      ...Array.from({ length: 5 }, (_, i) => [
        { op: "sleep", ms: 5000 },
        { op: "snapshot", label: `idle-${110 + 5 * (i + 1)}s-live` },
      ]).flat(),
    ],
  },
};
