/**
 * What the notebook keeps in this browser, and the one place its keys are spelled.
 *
 * A reader's edit of a cell is saved in localStorage under `nb:v1:<page path>:<cell id>`
 * and removed when it equals the original again. Storage may be full or blocked
 * (private windows, strict settings): every function here then degrades to "nothing
 * saved", and edits live until the page closes.
 *
 * boot.ts (every page) asks only whether there is something to restore; the notebook
 * (notebook-ui.ts) reads and writes edits.
 */

/** The key prefix; bump the version if the stored shape ever changes. */
export const STORAGE_PREFIX = "nb:v1";

export function editKey(path: string, cellId: string): string {
  return `${STORAGE_PREFIX}:${path}:${cellId}`;
}

function store(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // reading the property itself throws where storage is blocked
  }
}

/** The reader's saved edit of a cell on this page, or null. */
export function loadEdit(cellId: string, path = location.pathname): string | null {
  try {
    return store()?.getItem(editKey(path, cellId)) ?? null;
  } catch {
    return null;
  }
}

/** Saves `doc` as the reader's edit, or forgets the edit when it equals the original. */
export function saveEdit(cellId: string, doc: string, original: string, path = location.pathname): void {
  try {
    const s = store();
    if (doc === original) s?.removeItem(editKey(path, cellId));
    else s?.setItem(editKey(path, cellId), doc);
  } catch {
    // Storage full or blocked: the edit lives until the page closes.
  }
}

/** True when any of these cells has a saved edit on this page. */
export function hasEdits(cellIds: Iterable<string>, path = location.pathname): boolean {
  for (const id of cellIds) if (loadEdit(id, path) !== null) return true;
  return false;
}
