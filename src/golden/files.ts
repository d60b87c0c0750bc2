/**
 * Reading one golden file from disk, for the build (remark-cells.ts: a Go twin's
 * `truth="go1.XX/NAME"`). Node only; golden.ts stays pure for Vite.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TwinTruth } from "./golden.ts";

/** The golden file `ref` ("go1.23/delete-all") under `dir`, or the reason it cannot be read. */
export function readTwinTruth(dir: string, ref: string): TwinTruth | string {
  const path = join(dir, `${ref}.json`);
  if (!existsSync(path)) return `truth="${ref}" names ${path}, which does not exist`;
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as Partial<TwinTruth>;
    if (typeof data.scenario !== "string" || !Array.isArray(data.snapshots))
      return `truth="${ref}": ${path} is not a golden file (no scenario or snapshots)`;
    return data as TwinTruth;
  } catch (e) {
    return `truth="${ref}": ${path} is not JSON (${(e as Error).message})`;
  }
}
