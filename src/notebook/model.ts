/**
 * The model as cells see it: `goRuntime` from src/model/runtime.ts. The notebook
 * imports the model only through this module.
 */
export { goRuntime } from "../model/runtime.ts";
