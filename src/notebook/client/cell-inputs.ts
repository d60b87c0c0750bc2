/**
 * A cell's inputs on the page (loaded with the first input event, an input in the URL,
 * or the first run that declares inputs; never with the rest of the notebook, to keep
 * the editor and kernel chunks within their budget).
 *
 * The controls are the site's: baked by the build (inputs/controls.ts), or rebuilt here
 * when a run declares different ones. A run's specs come from cell code, so each one is
 * checked (spec.ts checkSpec) before anything is built from it; values from a URL are
 * coerced to their spec, and what had to be changed is said in the cell's notice.
 */
import { ATTR, sel } from "../dom-contract.ts";
import { inputsFieldset, readControl, setValue, specOf, valueOf } from "../inputs/controls.ts";
import { checkSpec, coerce, LIMITS, sameControl, type InputSpec, type InputValue } from "../inputs/spec.ts";
import { onlyInputsOf, withInputs } from "../inputs/url.ts";

export { InputRuns } from "./input-runs.ts";

const inputsOf = (cell: Element): Element[] => [
  ...cell.querySelectorAll(`${sel(ATTR.inputs)} ${sel(ATTR.input)}`),
];

/** The reader moved a control: keep its value (snapped to its spec) and show it. */
export function controlChanged(wrap: Element): void {
  const spec = specOf(wrap);
  if (spec) setValue(wrap, spec, readControl(wrap, spec));
}

/** Each input of the cell with its value and default, by key. */
export function currentValues(cell: Element): Map<string, { value: InputValue; default: InputValue }> {
  const out = new Map<string, { value: InputValue; default: InputValue }>();
  for (const wrap of inputsOf(cell)) {
    const spec = specOf(wrap);
    const value = valueOf(wrap);
    if (spec && value !== null) out.set(spec.key, { value, default: spec.default });
  }
  return out;
}

/** `url` with the cell's current input values (entries at their default left out). */
export function urlWithInputs(url: URL, cellId: string, cell: Element): URL {
  return withInputs(url, cellId, currentValues(cell));
}

/** The page's own address follows the inputs (without a new history entry per value). */
export function syncPageUrl(cellId: string, cell: Element): void {
  const next = urlWithInputs(new URL(location.href), cellId, cell);
  if (next.href !== location.href) history.replaceState(history.state, "", next);
}

/** A cell's Share link keeps its own inputs only. */
export function shareBase(url: URL, cellId: string, cell: Element): URL {
  return urlWithInputs(onlyInputsOf(url, cellId), cellId, cell);
}

/**
 * Sets the cell's inputs from a URL's values (strings, by key). Returns what had to be
 * changed or ignored, in words, for the cell's notice (empty when everything fit).
 */
export function applyValues(cell: Element, values: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const wraps = new Map<string, Element>();
  for (const wrap of inputsOf(cell)) wraps.set(wrap.getAttribute(ATTR.input) ?? "", wrap);
  for (const [key, raw] of values) {
    const wrap = wraps.get(key);
    const spec = wrap ? specOf(wrap) : null;
    if (!wrap || !spec) {
      problems.push(`“${key.slice(0, LIMITS.key)}” is not an input of this cell: ignored`);
      continue;
    }
    const { value, problem } = coerce(spec, raw);
    if (problem) problems.push(`${spec.label}: ${problem}`);
    setValue(wrap, spec, value);
  }
  return problems;
}

/** Every input of the cell back to its default. */
export function resetValues(cell: Element): void {
  for (const wrap of inputsOf(cell)) {
    const spec = specOf(wrap);
    if (spec) setValue(wrap, spec, spec.default);
  }
}

/**
 * After a run: the controls become what the run declared. Each spec is checked; when
 * the checked specs describe the controls the cell already has, nothing is rebuilt (the
 * reader's focus and values stay). Returns the refusals, in words.
 */
export function reconcile(cell: HTMLElement, raw: readonly unknown[]): string[] {
  const refused: string[] = [];
  const specs: InputSpec[] = [];
  const keys = new Set<string>();
  for (const r of raw.slice(0, LIMITS.perCell)) {
    const spec = checkSpec(r);
    if (typeof spec === "string") refused.push(spec);
    else if (!keys.has(spec.key)) {
      keys.add(spec.key);
      specs.push(spec);
    }
  }
  if (raw.length > LIMITS.perCell) refused.push(`only the first ${LIMITS.perCell} inputs are shown`);
  const old = cell.querySelector(sel(ATTR.inputs));
  const current = inputsOf(cell).map(specOf);
  const same =
    current.length === specs.length &&
    current.every((c, i) => c !== null && sameControl(c, specs[i] as InputSpec));
  if (same) {
    // The run's values are what the controls hold (coerced by the kernel the same way).
    for (const [i, wrap] of inputsOf(cell).entries()) {
      const spec = specs[i];
      if (spec) setValue(wrap, spec, spec.value);
    }
    return refused;
  }
  const set = inputsFieldset(document, cell.id, specs, false);
  if (set && old) old.replaceWith(set);
  else if (set) cell.querySelector(sel(ATTR.notice))?.before(set);
  else old?.remove();
  return refused;
}

/** What a link's values did, for the cell's notice. */
export function linkNotice(problems: readonly string[]): string {
  return `Some input values in this link did not fit this cell: ${problems.join("; ")}.`;
}
