import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "model-cli-"));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["src/model/cli.ts", ...args], { cwd: root, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

const good = {
  go: "1.23",
  key: "int",
  elem: "[128]byte",
  steps: [
    { op: "gc" },
    { op: "snapshot", label: "base" },
    { op: "make" },
    { op: "insert", from: 0, to: 1000, every: 500, label: "ins" },
    { op: "gc" },
    { op: "snapshot", label: "added" },
    { op: "delete", from: 0, to: 1000 },
    { op: "gc" },
    { op: "snapshot", label: "deleted" },
    { op: "drop" },
    { op: "gc" },
    { op: "snapshot", label: "dropped" },
  ],
};

describe("model CLI", () => {
  it("prints one JSON line per snapshot with label, heapAlloc, len, numGC and internals", () => {
    const r = cli([file("good.json", good)]);
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => x["label"])).toEqual([
      "base",
      "ins@500",
      "ins@1000",
      "added",
      "deleted",
      "dropped",
    ]);
    const added = rows[3] ?? {};
    expect(added["len"]).toBe(1000);
    expect(added["internals"]).toMatchObject({ kind: "classic", B: 8 });
    expect(rows[4]?.["heapAlloc"]).toBe(added["heapAlloc"]); // deleting frees nothing
    expect(rows[5]?.["internals"]).toBeNull();
    expect(rows[5]?.["heapAlloc"]).toBeLessThan(added["heapAlloc"] as number);
  });

  it("stops quietly when the reader closes the pipe early (| head)", () => {
    const big = {
      ...good,
      steps: [{ op: "make" }, { op: "insert", from: 0, to: 200_000, every: 100, label: "ins" }],
    };
    const r = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" src/model/cli.ts "${file("pipe.json", big)}" | head -2`],
      { cwd: root, encoding: "utf8" },
    );
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).toBe("");
  });

  it("--go overrides the file's release", () => {
    const r = cli([file("good2.json", good), "--go", "1.24"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n")[3] ?? "{}")).toMatchObject({
      internals: { kind: "swiss" },
    });
  });

  const bad: [string, unknown, RegExp][] = [
    ["malformed JSON", "{ nope", /^model: \(file\): not valid JSON/],
    [
      "unknown op",
      { ...good, steps: [{ op: "make" }, { op: "shrink" }] },
      /^model: steps\[1\]\.op: unknown op "shrink"/,
    ],
    ["bad type", { ...good, elem: "map[int]int" }, /^model: elem: unsupported Go type "map\[int\]int"/],
    ["bad key type", { ...good, key: "float64" }, /^model: key: unsupported key type/],
    [
      "to < from",
      { ...good, steps: [{ op: "make" }, { op: "insert", from: 10, to: 5 }] },
      /^model: steps\[1\]\.to: must be ≥ from \(10\), got 5/,
    ],
    [
      "run too large",
      { ...good, steps: [{ op: "make" }, { op: "insert", from: 0, to: 60_000_000 }] },
      /^model: steps\[1\]\.to: .*too large for memory/,
    ],
    ["unknown version", { ...good, go: "1.18" }, /^model: go: must be one of/],
    ["unknown field", { ...good, steps: [{ op: "gc", hint: 3 }] }, /^model: steps\[0\]\.hint: unknown field/],
    [
      "insert into nil map",
      { ...good, steps: [{ op: "insert", from: 0, to: 1 }] },
      /^model: steps\[0\]\.op: insert into a nil map/,
    ],
  ];
  it.each(bad)("%s: exits 2 with one line naming the field", (name, content, message) => {
    const r = cli([file(`${name.replace(/\W/g, "_")}.json`, content)]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it("rejects a missing file and unknown options with one line", () => {
    for (const args of [[join(dir, "absent.json")], ["--frobnicate"], []]) {
      const r = cli(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
