/**
 * Input values in a URL's query, one parameter per input that differs from its default:
 *
 *     /situation/?experiment.entries=250000&experiment.elem=%5B64%5Dbyte#cell-experiment
 *
 *   <cell id>.<key>   both are lower-case words and dashes, so the dot is unambiguous
 *                     and never meets the legacy share link's `cell` and `code`;
 *   value             a number as JavaScript writes it (exact for every double), true or
 *                     false, or the text itself (URL-encoded by URLSearchParams).
 *
 * The page keeps its own URL this way as inputs change, and a cell's Share link carries
 * that cell's parameters. Decoding gives strings: spec.ts coerce() turns each into a
 * value of its input, clamping or refusing with a reason. The query rather than the
 * fragment: the fragment already names the cell and carries shared code (share-url.ts),
 * and a query survives every tool that keeps links whole. Nothing here imports anything
 * heavy: boot.ts uses hasInputs on every page.
 */
import type { InputValue } from "./spec.ts";

const PARAM = /^([a-z0-9][a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)$/;

/** The input values a URL carries, by cell id, then key (as strings). */
export function inputParams(url: URL): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [name, value] of url.searchParams) {
    const m = PARAM.exec(name);
    if (!m) continue;
    const [, cell = "", key = ""] = m;
    let values = out.get(cell);
    if (!values) out.set(cell, (values = new Map()));
    values.set(key, value);
  }
  return out;
}

/** True when the URL sets inputs of one of `cells`. */
export function hasInputs(url: URL, cells: readonly string[]): boolean {
  const params = inputParams(url);
  return cells.some((id) => params.has(id));
}

export const encodeValue = (v: InputValue): string => String(v);

/**
 * `url` with `cellId`'s parameters replaced by `values` (entries equal to their default
 * left out). Other cells' parameters and the fragment are kept.
 */
export function withInputs(
  url: URL,
  cellId: string,
  values: ReadonlyMap<string, { value: InputValue; default: InputValue }>,
): URL {
  const next = new URL(url.href);
  for (const name of [...next.searchParams.keys()])
    if (name.startsWith(`${cellId}.`)) next.searchParams.delete(name);
  for (const [key, { value, default: d }] of values)
    if (value !== d) next.searchParams.set(`${cellId}.${key}`, encodeValue(value));
  return next;
}

/** `url` with only `cellId`'s input parameters (a cell's Share link). */
export function onlyInputsOf(url: URL, cellId: string): URL {
  const next = new URL(url.href);
  for (const name of [...next.searchParams.keys()]) {
    const m = PARAM.exec(name);
    if (m && m[1] !== cellId) next.searchParams.delete(name);
  }
  return next;
}
