/**
 * `input`, the builtin a cell declares its inputs with. It runs in the kernel: each call
 * makes a spec (spec.ts), hands it to the host (the page builds the control; the build
 * bakes it) and returns the value the run was given for it, or the default.
 *
 *     const n = input.range("entries", [1_000, 10_000_000], { value: 1_000_000, scale: "log" });
 *     const go = input.select("Go release", ["1.23", "1.24"], { value: "1.23" });
 *     const fraction = input.range("drain to", [0, 1], { value: 0.25, step: 0.05 });
 *     const hint = input.number("hint", { value: 0, min: 0, max: 20_000_000 });
 *     const name = input.text("label", { value: "cache" });
 *     const gc = input.checkbox("collect after draining", { value: true });
 *
 * With checks (InputChecks, below), a spec the page would refuse is refused here first,
 * as a TypeError in the cell, so an author sees it at build time.
 */
import {
  keyOf,
  MAX_INPUTS,
  MAX_MAGNITUDE,
  type InputSpec,
  type InputValue,
  type InputValues,
} from "./spec.ts";

/**
 * How the kernel turns what a cell declares into a spec. The build and the Jupyter module
 * pass spec.ts's checkedSpec, so an author's mistake is a TypeError of the cell. The
 * browser's kernel keeps the default, `unchecked` (its script stays within the page's
 * budget): it sends the spec as declared, and the page, which checks every spec anyway,
 * refuses a bad one in the cell's notice; the values the page sends are already coerced
 * to their specs.
 */
export type InputChecks = (raw: Record<string, unknown>, key: string, given: InputValues) => InputSpec;

interface Options<T> {
  value?: T;
  /** The input's name in links (default: the label in lower-case words and dashes). */
  key?: string;
}

export interface InputBuiltin {
  range(
    label: string,
    bounds: [number, number],
    options?: Options<number> & { scale?: "linear" | "log"; step?: number },
  ): number;
  number(label: string, options?: Options<number> & { min?: number; max?: number; step?: number }): number;
  select<T extends string>(label: string, options: readonly T[], choice?: Options<T>): T;
  text(label: string, options?: Options<string> & { maxLength?: number }): string;
  checkbox(label: string, options?: Options<boolean>): boolean;
}

/** The `input` of one run: `given` holds the page's values, `declare` receives each spec. */
/** The spec as declared, with the page's value when it has the default's type. */
function unchecked(raw: Record<string, unknown>, key: string, given: InputValues): InputSpec {
  const d = raw["default"];
  const g = given[key];
  return { ...raw, key, value: key in given && typeof g === typeof d ? g : d } as InputSpec;
}

export function inputBuiltin(
  given: InputValues,
  declare: (spec: InputSpec) => void,
  checks: InputChecks = unchecked,
): InputBuiltin {
  const seen = new Set<string>();
  const make = (raw: Record<string, unknown>): InputValue => {
    const label = String(raw["label"]);
    const key = typeof raw["key"] === "string" ? raw["key"] : keyOf(label);
    if (seen.has(key)) throw new TypeError(`input “${label}”: a second input with key “${key}”`);
    if (seen.size >= MAX_INPUTS) throw new TypeError(`more than ${MAX_INPUTS} inputs`);
    seen.add(key);
    const spec = checks(raw, key, given);
    declare(spec);
    return spec.value;
  };
  const defaultStep = (...xs: (number | undefined)[]): number =>
    xs.every((x) => x === undefined || Number.isInteger(x)) ? 1 : 0;
  return {
    range(label, bounds, o = {}) {
      const [min, max] = bounds;
      const scale = o.scale ?? "linear";
      return make({
        kind: "range",
        label,
        key: o.key,
        min,
        max,
        scale,
        step: o.step ?? (scale === "log" ? 0 : defaultStep(min, max, o.value)),
        default: o.value ?? min,
      }) as number;
    },
    number(label, o = {}) {
      return make({
        kind: "number",
        label,
        key: o.key,
        min: o.min ?? -MAX_MAGNITUDE,
        max: o.max ?? MAX_MAGNITUDE,
        step: o.step ?? defaultStep(o.value),
        default: o.value ?? 0,
      }) as number;
    },
    select(label, options, o = {}) {
      return make({
        kind: "select",
        label,
        key: o.key,
        options: [...options],
        default: o.value ?? options[0],
      }) as never;
    },
    text(label, o = {}) {
      return make({
        kind: "text",
        label,
        key: o.key,
        maxLength: o.maxLength ?? 200,
        default: o.value ?? "",
      }) as string;
    },
    checkbox(label, o = {}) {
      return make({ kind: "checkbox", label, key: o.key, default: o.value ?? false }) as boolean;
    },
  };
}
