/**
 * A cell's inputs, as data: what `input.range(…)` and its siblings declare (declare.ts,
 * in the kernel) and what the page builds form controls from (controls.ts, site code).
 *
 *     const n = input.range("entries", [1_000, 10_000_000], { value: 1_000_000, scale: "log" });
 *
 * Terminology
 *   spec     one input: its kind, key, label, bounds or options, default and current
 *            value. Plain JSON; it crosses postMessage and is baked into the HTML.
 *   key      the input's name in URLs and in the run's values: the label in lower-case
 *            words and dashes ("entries", "go-release"), or the author's `key`.
 *   value    a number (range, number), a string (select, text) or a boolean (checkbox).
 *
 * Invariants
 *   1. A spec comes from a cell, so the page treats it as untrusted: checkSpec() accepts
 *      only the shapes below, within LIMITS, and returns a fresh object (nothing else
 *      the kernel put in it survives).
 *   2. coerce() never throws: a value from a URL or a run that does not fit its spec
 *      becomes the nearest value that does (clamped, or the default), with the reason.
 */

export type InputValue = number | string | boolean;
export type InputValues = Record<string, InputValue>;

interface Common {
  key: string;
  label: string;
}
export type InputSpec =
  | (Common & {
      kind: "range";
      min: number;
      max: number;
      step: number;
      scale: "linear" | "log";
      default: number;
      value: number;
    })
  | (Common & { kind: "number"; min: number; max: number; step: number; default: number; value: number })
  | (Common & { kind: "select"; options: string[]; default: string; value: string })
  | (Common & { kind: "text"; maxLength: number; default: string; value: string })
  | (Common & { kind: "checkbox"; default: boolean; value: boolean });

export type InputKind = InputSpec["kind"];

/** Inputs in one cell, at most. */
export const MAX_INPUTS = 12;
/** Characters of a key, at most. */
export const MAX_KEY = 40;
/** |bound| of a number, at most (past it, integers lose exactness in a URL). */
export const MAX_MAGNITUDE = 1e15;

/** What the page accepts from a cell. */
export const LIMITS = {
  label: 80, // characters of a label
  key: MAX_KEY, // characters of a key
  perCell: MAX_INPUTS, // inputs in one cell
  options: 50, // options of a select
  option: 80, // characters of an option
  text: 1_000, // characters of a text field's value
  magnitude: MAX_MAGNITUDE, // |bound| of a number
} as const;

/** Log sliders have this many positions between their bounds. */
export const LOG_STEPS = 400;

const KEY = /^[a-z0-9][a-z0-9-]*$/;

/** "Go release" → "go-release": a label as a key. */
export function keyOf(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_KEY);
}

const finite = (x: unknown): x is number =>
  typeof x === "number" && Number.isFinite(x) && Math.abs(x) <= LIMITS.magnitude;
const text = (x: unknown, max: number): x is string =>
  typeof x === "string" && x.length > 0 && x.length <= max;

/** A fresh, checked copy of `raw`, or the reason it is refused (invariant 1). */
export function checkSpec(raw: unknown): InputSpec | string {
  if (typeof raw !== "object" || raw === null) return "an input is not an object";
  const r = raw as Record<string, unknown>;
  const label = r["label"];
  const key = r["key"];
  if (!text(label, LIMITS.label)) return `an input's label must be 1–${LIMITS.label} characters`;
  if (!text(key, LIMITS.key) || !KEY.test(key))
    return `input “${label}”: its key must be lower-case letters, digits and dashes (at most ${LIMITS.key})`;
  const common = { key, label };
  const bad = (why: string): string => `input “${label}”: ${why}`;
  switch (r["kind"]) {
    case "range":
    case "number": {
      const { min, max, step } = r as Record<string, unknown>;
      if (!finite(min) || !finite(max) || !(min < max)) return bad("needs finite bounds with min < max");
      if (!finite(step) || step < 0) return bad("its step must be a finite number ≥ 0");
      const d = r["default"];
      const v = r["value"];
      if (!finite(d) || !finite(v)) return bad("its default and value must be finite numbers");
      if (r["kind"] === "number")
        return {
          kind: "number",
          ...common,
          min,
          max,
          step,
          default: clamp(d, min, max),
          value: clamp(v, min, max),
        };
      const scale = r["scale"];
      if (scale !== "linear" && scale !== "log") return bad('its scale must be "linear" or "log"');
      if (scale === "log" && !(min > 0)) return bad("a log scale needs min > 0");
      return {
        kind: "range",
        ...common,
        min,
        max,
        step,
        scale,
        default: clamp(d, min, max),
        value: clamp(v, min, max),
      };
    }
    case "select": {
      const options = r["options"];
      if (!Array.isArray(options) || options.length < 1 || options.length > LIMITS.options)
        return bad(`needs 1–${LIMITS.options} options`);
      if (!options.every((o) => text(o, LIMITS.option)))
        return bad(`each option must be 1–${LIMITS.option} characters`);
      const list = options.map(String);
      if (new Set(list).size !== list.length) return bad("has the same option twice");
      const d = r["default"];
      const v = r["value"];
      if (typeof d !== "string" || !list.includes(d))
        return bad(`its value ${JSON.stringify(d)} is not one of its options`);
      const def = d;
      return {
        kind: "select",
        ...common,
        options: list,
        default: def,
        value: typeof v === "string" && list.includes(v) ? v : def,
      };
    }
    case "text": {
      const maxLength = r["maxLength"];
      if (
        typeof maxLength !== "number" ||
        !Number.isInteger(maxLength) ||
        maxLength < 1 ||
        maxLength > LIMITS.text
      )
        return bad(`its maxLength must be an integer 1–${LIMITS.text}`);
      const d = r["default"];
      const v = r["value"];
      if (typeof d !== "string" || typeof v !== "string") return bad("its default and value must be strings");
      return {
        kind: "text",
        ...common,
        maxLength,
        default: d.slice(0, maxLength),
        value: v.slice(0, maxLength),
      };
    }
    case "checkbox": {
      const d = r["default"];
      const v = r["value"];
      if (typeof d !== "boolean" || typeof v !== "boolean")
        return bad("its default and value must be true or false");
      return { kind: "checkbox", ...common, default: d, value: v };
    }
    default:
      return bad("its kind must be range, number, select, text or checkbox");
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Rounds to the spec's step (from its min), or to three significant digits on a log scale without one. */
export function snap(spec: Extract<InputSpec, { kind: "range" | "number" }>, x: number): number {
  let y = x;
  if (spec.step > 0) y = spec.min + Math.round((x - spec.min) / spec.step) * spec.step;
  else if (spec.kind === "range" && spec.scale === "log" && x !== 0) {
    const p = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 2);
    y = Math.round(x / p) * p;
  }
  // Decimal steps (0.05) leave binary noise: keep the digits the step has.
  y = Number(y.toPrecision(12));
  return clamp(y, spec.min, spec.max);
}

/** A log slider's position (0…LOG_STEPS) for a value, and back. */
export function logPosition(spec: { min: number; max: number }, value: number): number {
  return Math.round((Math.log(value / spec.min) / Math.log(spec.max / spec.min)) * LOG_STEPS);
}
export function logValue(spec: { min: number; max: number }, position: number): number {
  return spec.min * (spec.max / spec.min) ** (position / LOG_STEPS);
}

/**
 * `raw` as a value of `spec` (invariant 2): strings from a URL are parsed; a number out
 * of bounds is clamped; anything unusable is the default. `problem` says what was done.
 */
export function coerce(spec: InputSpec, raw: unknown): { value: InputValue; problem: string | null } {
  const fallback = (why: string): { value: InputValue; problem: string } => ({
    value: spec.default,
    problem: `${why}: the default, ${show(spec.default)}, is used`,
  });
  switch (spec.kind) {
    case "range":
    case "number": {
      const x = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof x !== "number" || !Number.isFinite(x)) return fallback(`${show(raw)} is not a number`);
      if (x < spec.min || x > spec.max) {
        const value = snap(spec, clamp(x, spec.min, spec.max));
        return {
          value,
          problem: `${show(x)} is outside ${show(spec.min)}–${show(spec.max)}: ${show(value)} is used`,
        };
      }
      return { value: snap(spec, x), problem: null };
    }
    case "select":
      return typeof raw === "string" && spec.options.includes(raw)
        ? { value: raw, problem: null }
        : fallback(`${show(raw)} is not one of the choices`);
    case "text":
      if (typeof raw !== "string") return fallback(`${show(raw)} is not text`);
      return raw.length > spec.maxLength
        ? {
            value: raw.slice(0, spec.maxLength),
            problem: `the text is longer than ${spec.maxLength} characters: it was cut`,
          }
        : { value: raw, problem: null };
    case "checkbox":
      if (raw === true || raw === "true" || raw === "1") return { value: true, problem: null };
      if (raw === false || raw === "false" || raw === "0") return { value: false, problem: null };
      return fallback(`${show(raw)} is not true or false`);
  }
}

/** A value as the page prints it: numbers grouped (en-US), strings quoted. */
export function show(value: unknown): string {
  if (typeof value === "number") return value.toLocaleString("en-US", { maximumFractionDigits: 6 });
  if (typeof value === "string") return `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;
  return String(value);
}

/** Two specs describe the same control (everything but the current value agrees). */
export function sameControl(a: InputSpec, b: InputSpec): boolean {
  return JSON.stringify({ ...a, value: null }) === JSON.stringify({ ...b, value: null });
}

/**
 * A declared input as a checked spec, with the host's value coerced to it: the kernel's
 * checks at build time and in the Jupyter module (declare.ts InputChecks). A spec the
 * page would refuse is a TypeError of the cell.
 */
export function checkedSpec(raw: Record<string, unknown>, key: string, given: InputValues): InputSpec {
  const spec = checkSpec({ ...raw, key, value: raw["default"] });
  if (typeof spec === "string") throw new TypeError(spec);
  return { ...spec, value: key in given ? coerce(spec, given[key]).value : spec.default } as InputSpec;
}
