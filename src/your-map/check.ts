/**
 * What the model cannot estimate about a /your-map/ state, each problem tied to the
 * control that caused it (state.ts, Field). It asks the model itself: a type is
 * supported when the model's scenario validator accepts it (src/model/scenario.ts),
 * so the page widens as the model does. Runs in the estimator's worker and at build.
 */
import { checkScenario, ScenarioError } from "../model/scenario.ts";
import { entryBytes } from "../model/limits.ts";
import { goVersions, isGoVersion } from "../model/versions.ts";
import { readShape, SyntaxError } from "./go-syntax.ts";
import { plan, scenarioLengths } from "./workload.ts";
import { defaultLength, LIMITS, slotsOf, type Field, type Problem, type YourMapState } from "./state.ts";

function typeProblem(src: string, field: "key" | "value", other: string): Problem | null {
  try {
    readShape(src);
  } catch (e) {
    if (e instanceof SyntaxError) return { field, message: e.message };
    throw e;
  }
  try {
    checkScenario({
      key: field === "key" ? src : "int",
      elem: field === "value" ? src : "int",
      steps: [{ op: "make" }],
    });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const message = e.message.replace(/^(key|elem): /, "");
    return { field, message: `the model cannot estimate this ${field} type: ${message}` };
  }
  void other;
  return null;
}

/** Everything about the state the model cannot estimate, each tied to its control. */
export function problems(state: YourMapState): Problem[] {
  const out: Problem[] = [];
  const keyProblem = typeProblem(state.key, "key", state.value);
  const valueProblem = typeProblem(state.value, "value", state.key);
  if (keyProblem) out.push(keyProblem);
  if (valueProblem) out.push(valueProblem);
  for (const slot of slotsOf(state.key, state.value)) {
    const l = state.lengths[slot.path] ?? defaultLength(slot);
    const field: Field = `len:${slot.path}`;
    if (!Number.isSafeInteger(l.len) || l.len < 0 || l.len > LIMITS.length)
      out.push({ field, message: `a length between 0 and ${LIMITS.length.toLocaleString("en-US")}` });
    else if (!Number.isSafeInteger(l.cap) || l.cap < l.len || l.cap > LIMITS.length)
      out.push({
        field,
        message: `a capacity between the length and ${LIMITS.length.toLocaleString("en-US")}`,
      });
  }
  const { peak, workload: w } = state;
  if (!Number.isSafeInteger(peak) || peak < 1) out.push({ field: "peak", message: "at least one entry" });
  else if (peak > LIMITS.peak)
    out.push({
      field: "peak",
      message: `${peak.toLocaleString("en-US")} entries are too many for this tab: the model holds at most ${LIMITS.peak.toLocaleString("en-US")}`,
    });
  else if (!keyProblem && !valueProblem) {
    const lengths = scenarioLengths(state);
    try {
      const parsed = checkScenario({
        key: state.key,
        elem: state.value,
        ...(lengths !== undefined ? { lengths } : {}),
        steps: [{ op: "make" }],
      });
      const bytes = peak * entryBytes(parsed.key, parsed.elem);
      if (bytes > LIMITS.heapBytes)
        out.push({
          field: "peak",
          message: `at least ${(bytes / 2 ** 30).toFixed(0)} GiB of heap: too large to estimate in this tab (limit ${LIMITS.heapBytes / 2 ** 30} GiB)`,
        });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      out.push(scenarioProblem(state, e));
    }
  }
  if (w.kind === "drain" && !(w.keep >= 0 && w.keep <= 100))
    out.push({ field: "keep", message: "a percentage from 0 to 100" });
  if (w.kind === "window") {
    if (!Number.isSafeInteger(w.rounds) || w.rounds < 1 || w.rounds > LIMITS.rounds)
      out.push({ field: "rounds", message: `from 1 to ${LIMITS.rounds} rounds` });
    if (!(w.turnover > 0 && w.turnover <= 100))
      out.push({ field: "turnover", message: "a percentage above 0, up to 100" });
  }
  if (w.kind === "spike") {
    if (!Number.isSafeInteger(w.base) || w.base < 0 || (Number.isSafeInteger(peak) && w.base >= peak))
      out.push({ field: "base", message: "from 0 to fewer than the peak entries" });
    if (!Number.isSafeInteger(w.days) || w.days < 1 || w.days > LIMITS.days)
      out.push({ field: "days", message: `from 1 to ${LIMITS.days} days` });
  }
  if (!isGoVersion(state.go)) out.push({ field: "go", message: `one of ${goVersions.join(", ")}` });
  if (out.length > 0) return out;
  // Last, the whole workload as the model will run it: key ranges, key capacity.
  try {
    checkScenario(plan(state).scenario);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    out.push(scenarioProblem(state, e));
  }
  return out;
}

/** The control a model's ScenarioError about the page's own scenario belongs to. */
function scenarioProblem(state: YourMapState, e: ScenarioError): Problem {
  const message = e.message.slice(e.field.length + 2);
  const slots = slotsOf(state.key, state.value);
  const firstSlot = (root: string): Field | null => {
    const slot = slots.find(
      (s) => s.path === root || s.path.startsWith(`${root}.`) || s.path.startsWith(`${root}[`),
    );
    return slot === undefined ? null : `len:${slot.path}`;
  };
  if (e.field === "key") return { field: "key", message };
  if (e.field === "elem") return { field: "value", message };
  if (e.field.startsWith("lengths.key")) return { field: firstSlot("key") ?? "key", message };
  if (e.field.startsWith("lengths.elem")) return { field: firstSlot("value") ?? "value", message };
  if (/lengths\.key/.test(message)) return { field: firstSlot("key") ?? "peak", message };
  const w = state.workload;
  const field: Field = w.kind === "window" ? "rounds" : w.kind === "spike" ? "days" : "peak";
  return { field, message: `this workload is too long for the model: ${message}` };
}
