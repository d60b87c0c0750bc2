/**
 * The few things the page does with a cell's inputs before their own chunk
 * (cell-inputs.ts) loads: boot.ts enables the controls the build baked disabled, and
 * every run reads the values they hold (each control keeps its value, as JSON, in
 * data-value; the kernel receives them by key). Shared by boot.ts and cell-view.ts, so it
 * loads with the page script.
 */
import { ATTR, sel } from "../dom-contract.ts";
import type { InputValues } from "../inputs/spec.ts";

const INPUTS = `fieldset${sel(ATTR.inputs)}`;

/** The build bakes the inputs disabled (right without scripts); with scripts they work. */
export function enableInputs(root: ParentNode): void {
  for (const set of root.querySelectorAll<HTMLFieldSetElement>(INPUTS)) set.disabled = false;
}

export function cellHasInputs(cell: Element): boolean {
  return cell.querySelector(INPUTS) !== null;
}

/** The values of a cell's inputs, by key, as a run is given them. */
export function inputValues(cell: Element): InputValues {
  const values: InputValues = {};
  for (const wrap of cell.querySelectorAll(`${INPUTS} ${sel(ATTR.input)}`)) {
    try {
      const v: unknown = JSON.parse(wrap.getAttribute(ATTR.inputValue) ?? "null");
      if (typeof v === "number" || typeof v === "string" || typeof v === "boolean")
        values[wrap.getAttribute(ATTR.input) ?? ""] = v;
    } catch {
      // not a value: the kernel uses the default
    }
  }
  return values;
}
