/**
 * The notebook's DOM contract, spelled once: the attributes the build writes
 * (remark-cells.ts, inputs/controls.ts) and the page script reads (client/), which the
 * e2e tests rely on too. docs/notebook.md, "The DOM contract", describes the whole tree.
 *
 *     section[data-cell=<id>][id=cell-<id>][data-declares="rt m"][data-uses="goRuntime n"]
 *       fieldset[data-inputs]            the cell's inputs (disabled until the page script runs)
 *         [data-input=<key>][data-input-kind][data-input-spec=<json>][data-value=<json>]
 *           label, input | select, output[data-input-shown]
 *       [data-notice] [data-progress] [data-output]
 */

/** Attribute names, without brackets; `sel` makes a selector of one. */
export const ATTR = {
  cell: "data-cell",
  declares: "data-declares",
  uses: "data-uses",
  code: "data-code",
  notice: "data-notice",
  progress: "data-progress",
  output: "data-output",
  inputs: "data-inputs",
  input: "data-input",
  inputKind: "data-input-kind",
  inputSpec: "data-input-spec",
  inputValue: "data-value",
  inputShown: "data-input-shown",
} as const;

/** `[data-…]`, or `[data-…="value"]`. */
export function sel(attr: (typeof ATTR)[keyof typeof ATTR], value?: string): string {
  return value === undefined ? `[${attr}]` : `[${attr}="${value}"]`;
}
