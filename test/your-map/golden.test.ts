/**
 * /your-map/'s estimates against the real runtime: every recorded golden file whose
 * program is a fill-then-drain workload (make · insert 0..N · delete the oldest D ·
 * collections between, the article's shape and the key/elem shapes) is turned into
 * the page's inputs (its "lengths" as the page's length controls; what follows the
 * drain, such as a refill, is left out), run through the
 * page's estimate function, and each post-GC
 * snapshot the two share (base, added, deleted, recreated) must match the recording
 * by src/golden/compare.ts's rule.
 */
import { describe, expect, it } from "vitest";
import { judge, postGCLabels } from "../../src/golden/compare.ts";
import { versionRules } from "../../src/model/versions.ts";
import type { GoVersion } from "../../src/model/contract.ts";
import { goldenFiles, readGolden } from "../../tools/model-table.ts";
import { estimate } from "../../src/your-map/estimate.ts";
import { problems } from "../../src/your-map/check.ts";
import { DEFAULT_STATE, type Length, type YourMapState } from "../../src/your-map/state.ts";
import { readShape, type Shape } from "../../src/your-map/go-syntax.ts";

type RawStep = { op: string; from?: number; to?: number; hint?: number; label?: string };
type Spec = { len?: number; cap?: number; elem?: Spec; [field: string]: unknown };

/** A scenario's LengthSpec as the page's lengths by path (go-syntax.ts paths). */
function pathLengths(shape: Shape, path: string, spec: Spec | undefined, out: Record<string, Length>): void {
  if (spec === undefined) return;
  switch (shape.kind) {
    case "string":
      if (spec.len !== undefined) out[path] = { len: spec.len, cap: spec.len };
      return;
    case "slice":
      if (spec.len !== undefined) out[path] = { len: spec.len, cap: spec.cap ?? spec.len };
      pathLengths(shape.elem, `${path}[]`, spec.elem, out);
      return;
    case "array":
      pathLengths(shape.elem, `${path}[]`, spec.elem, out);
      return;
    case "pointer":
      pathLengths(shape.elem, path, spec, out);
      return;
    case "struct":
      for (const f of shape.fields)
        pathLengths(f.type, `${path}.${f.name}`, spec[f.name] as Spec | undefined, out);
      return;
    case "name":
      return;
  }
}

/** The page's inputs for a golden file's program, or null when it is not a fill-then-drain. */
function asYourMap(
  def: { key: string; elem: string; steps: RawStep[]; lengths?: { key?: Spec; elem?: Spec } },
  go: string,
): YourMapState | null {
  let peak = 0;
  let deleted = 0;
  let phase: "start" | "made" | "filled" | "draining" = "start";
  for (const s of def.steps) {
    if (s.op === "gc" || s.op === "snapshot" || s.op === "recreate") continue;
    if (s.op === "make" && phase === "start" && (s.hint ?? 0) === 0) phase = "made";
    else if (s.op === "insert" && phase === "made" && s.from === 0) {
      peak = s.to ?? 0;
      phase = "filled";
    } else if (s.op === "insert" && phase === "draining") {
      break; // a refill after the drain: the page's workload ends at the drain, and so does the match
    } else if (s.op === "delete" && (phase === "filled" || phase === "draining") && s.from === deleted) {
      deleted = s.to ?? 0;
      phase = "draining";
    } else return null;
  }
  const labels = def.steps.filter((s) => s.op === "snapshot").map((s) => s.label);
  if (phase !== "draining" || peak === 0 || !labels.includes("added") || !labels.includes("deleted"))
    return null;
  const lengths: Record<string, Length> = {};
  pathLengths(readShape(def.key), "key", def.lengths?.key, lengths);
  pathLengths(readShape(def.elem), "value", def.lengths?.elem, lengths);
  const state: YourMapState = {
    ...DEFAULT_STATE,
    key: def.key,
    value: def.elem,
    lengths,
    peak,
    workload: { kind: "drain", keep: ((peak - deleted) / peak) * 100 },
    go: go as GoVersion,
  };
  return problems(state).length === 0 ? state : null;
}

const SHARED = ["base", "added", "deleted", "recreated"];

// The releases the page's shapes are recorded on; the model's own golden tests hold the rest.
const RELEASES = ["1.23", "1.24", "1.27"];

const cases = goldenFiles()
  .filter(({ release }) => RELEASES.includes(release))
  .map(({ release, file }) => ({ release, file, golden: readGolden(file) }))
  .map((c) => ({ ...c, state: asYourMap(c.golden.definition as never, c.release) }))
  .filter((c) => c.state !== null)
  .map((c) => ({ name: `go${c.release}/${c.golden.scenario}`, ...c }));

describe("/your-map/ estimates match the golden files", () => {
  it("has recorded fill-then-drain shapes to check, the article and key-string-elem-string among them", () => {
    const names = cases.map((c) => c.name);
    expect(names).toContain("go1.23/article-int-128");
    expect(names).toContain("go1.24/key-string-elem-string");
    expect(names).toContain("go1.27/article-ptr-128");
    // The shapes recorded for this page: structs with strings and slices, []byte values, long keys.
    for (const release of RELEASES)
      for (const shape of [
        "yourmap-struct-fields",
        "yourmap-string-bytes",
        "yourmap-string-ptr-struct",
        "yourmap-bytes16-struct",
        "yourmap-long-keys",
      ])
        expect(names).toContain(`go${release}/${shape}`);
  });

  it.each(cases)("$name", ({ golden, state, release }) => {
    const e = estimate(state as YourMapState, { fixes: false });
    const model = new Map(e.points.map((p) => [p.label, p.heapAlloc]));
    model.set("recreated", e.recreated + e.base);
    const post = postGCLabels(golden.definition);
    const thread = versionRules(release as GoVersion).newMBytes;
    const checked = golden.snapshots.filter((s) => SHARED.includes(s.label) && post.has(s.label));
    expect(checked.map((s) => s.label)).toEqual(expect.arrayContaining(["base", "added", "deleted"]));
    for (const s of checked) {
      const m = model.get(s.label);
      expect({ label: s.label, model: m, verdict: judge(m ?? NaN, s, thread) !== null }).toEqual({
        label: s.label,
        model: m,
        verdict: true,
      });
    }
  });
});
