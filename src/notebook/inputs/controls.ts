/**
 * A cell's inputs as form controls, built by the site's own code from checked specs
 * (spec.ts). The build draws them into its server-side DOM and bakes them, disabled; the
 * page draws them again when a run declares different ones, and reads and sets them.
 *
 *     <fieldset class="nb-inputs" data-inputs disabled>
 *       <legend>Inputs</legend>
 *       <div class="nb-input" data-input="entries" data-input-kind="range"
 *            data-input-spec='{"kind":"range",…}' data-value="1000000">
 *         <label for="cell-experiment-input-entries">entries</label>
 *         <input type="range" id="cell-experiment-input-entries" min="0" max="400" …>
 *         <output for="cell-experiment-input-entries" data-input-shown>1,000,000</output>
 *       </div>
 *     </fieldset>
 *
 * A log slider moves over LOG_STEPS positions; the value itself is in `data-value`
 * (JSON), which is what a run reads, so a position never rounds a value it did not set.
 */
import { ATTR, sel } from "../dom-contract.ts";
import {
  checkSpec,
  LOG_STEPS,
  logPosition,
  logValue,
  show,
  snap,
  type InputSpec,
  type InputValue,
} from "./spec.ts";

/** The element id of an input's control. */
export const controlId = (cellDomId: string, key: string): string => `${cellDomId}-input-${key}`;

function shown(value: InputValue): string {
  return typeof value === "string" ? value : show(value);
}

/** One input: its label, its control, and (for sliders) the value it shows. */
function control(doc: Document, cellDomId: string, spec: InputSpec): HTMLElement {
  const wrap = doc.createElement("div");
  wrap.className = `nb-input nb-input-${spec.kind}`;
  wrap.setAttribute(ATTR.input, spec.key);
  wrap.setAttribute(ATTR.inputKind, spec.kind);
  wrap.setAttribute(ATTR.inputSpec, JSON.stringify({ ...spec, value: spec.default }));
  const id = controlId(cellDomId, spec.key);
  const label = doc.createElement("label");
  label.setAttribute("for", id);
  label.textContent = spec.label;
  let field: HTMLElement;
  if (spec.kind === "select") {
    const select = doc.createElement("select");
    for (const o of spec.options) {
      const option = doc.createElement("option");
      option.setAttribute("value", o);
      option.textContent = o;
      select.append(option);
    }
    field = select;
  } else {
    const input = doc.createElement("input");
    input.setAttribute(
      "type",
      spec.kind === "checkbox"
        ? "checkbox"
        : spec.kind === "range"
          ? "range"
          : spec.kind === "number"
            ? "number"
            : "text",
    );
    if (spec.kind === "range" && spec.scale === "log") {
      input.setAttribute("min", "0");
      input.setAttribute("max", String(LOG_STEPS));
      input.setAttribute("step", "1");
    } else if (spec.kind === "range" || spec.kind === "number") {
      input.setAttribute("min", String(spec.min));
      input.setAttribute("max", String(spec.max));
      input.setAttribute("step", spec.step > 0 ? String(spec.step) : "any");
    } else if (spec.kind === "text") {
      input.setAttribute("maxlength", String(spec.maxLength));
      input.setAttribute("spellcheck", "false");
    }
    field = input;
  }
  field.id = id;
  wrap.append(label, field);
  if (spec.kind === "checkbox") wrap.replaceChildren(field, label);
  if (spec.kind === "range") {
    const out = doc.createElement("output");
    out.setAttribute("for", id);
    out.setAttribute(ATTR.inputShown, "");
    wrap.append(out);
  }
  setValue(wrap, spec, spec.value);
  return wrap;
}

/** The fieldset of a cell's inputs (empty specs: null). Disabled until the page script enables it. */
export function inputsFieldset(
  doc: Document,
  cellDomId: string,
  specs: readonly InputSpec[],
  disabled: boolean,
): HTMLElement | null {
  if (specs.length === 0) return null;
  const set = doc.createElement("fieldset");
  set.className = "nb-inputs";
  set.setAttribute(ATTR.inputs, "");
  if (disabled) set.setAttribute("disabled", "");
  const legend = doc.createElement("legend");
  legend.textContent = "Inputs";
  set.append(legend);
  for (const spec of specs) set.append(control(doc, cellDomId, spec));
  return set;
}

/** The spec baked into an input's element, checked again (the page trusts no markup it did not make). */
export function specOf(wrap: Element): InputSpec | null {
  try {
    const spec = checkSpec(JSON.parse(wrap.getAttribute(ATTR.inputSpec) ?? ""));
    return typeof spec === "string" ? null : spec;
  } catch {
    return null;
  }
}

/** The value an input holds (its `data-value`). */
export function valueOf(wrap: Element): InputValue | null {
  try {
    const v: unknown = JSON.parse(wrap.getAttribute(ATTR.inputValue) ?? "");
    return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : null;
  } catch {
    return null;
  }
}

/** Shows `value` in the input's control, and keeps it as its `data-value`. */
export function setValue(wrap: Element, spec: InputSpec, value: InputValue): void {
  wrap.setAttribute(ATTR.inputValue, JSON.stringify(value));
  const field = wrap.querySelector("input, select");
  if (!field) return;
  const text = shown(value);
  if (spec.kind === "checkbox") {
    if (value === true) field.setAttribute("checked", "");
    else field.removeAttribute("checked");
    (field as HTMLInputElement).checked = value === true;
  } else {
    const raw =
      spec.kind === "range" && spec.scale === "log"
        ? String(logPosition(spec, Number(value)))
        : String(value);
    if (spec.kind === "select") {
      for (const o of field.querySelectorAll("option"))
        if (o.getAttribute("value") === value) o.setAttribute("selected", "");
        else o.removeAttribute("selected");
    } else field.setAttribute("value", raw);
    (field as HTMLInputElement).value = raw;
  }
  if (spec.kind === "range") {
    field.setAttribute("aria-valuetext", text);
    const out = wrap.querySelector(sel(ATTR.inputShown));
    if (out) out.textContent = text;
  }
}

/** The value the reader just set with the control (an `input` or `change` event), snapped to the spec. */
export function readControl(wrap: Element, spec: InputSpec): InputValue {
  const field = wrap.querySelector<HTMLInputElement>("input, select");
  if (!field) return spec.value;
  switch (spec.kind) {
    case "checkbox":
      return field.checked;
    case "select":
    case "text":
      return field.value;
    case "range":
      return snap(spec, spec.scale === "log" ? logValue(spec, Number(field.value)) : Number(field.value));
    case "number": {
      const x = field.valueAsNumber;
      return Number.isFinite(x) ? snap(spec, x) : spec.default;
    }
  }
}
