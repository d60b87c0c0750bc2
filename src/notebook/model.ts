/**
 * The model as cells see it: `goRuntime` from src/model/runtime.ts. The notebook
 * imports the model only through this module.
 */
export { goRuntime } from "../model/runtime.ts";
export type { GoMap, GoRuntime, MemStats, RuntimeOptions } from "../model/runtime.ts";
