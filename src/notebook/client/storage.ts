/**
 * What the notebook keeps in this browser, and the one place its keys are spelled.
 *
 * A reader's edit of a cell is saved in localStorage under `nb:v1:<page path>:<cell id>`
 * and removed when it equals the original again. Storage may be full or blocked
 * (private windows, strict settings): every function here then degrades to "nothing
 * saved", and edits live until the page closes.
 *
 * When shared code from a link is loaded into a cell, the page also remembers which code
 * it was (its checksum) and the reader's saved edit at that moment, under
 * `nb:v1:<page path>:<cell id>:share`. Reloading the link then shows the reader's later
 * edit instead of loading the shared code over it, and Reset goes back to the edit the
 * reader had before the link.
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

/** A shared link's code, as loaded into a cell. */
export interface ShareMemo {
  /** checksum() of the shared code. */
  sum: string;
  /** The reader's saved edit when the shared code was loaded, or null. */
  before: string | null;
}

const shareKey = (path: string, cellId: string): string => `${editKey(path, cellId)}:share`;

export function loadShareMemo(cellId: string, path = location.pathname): ShareMemo | null {
  try {
    const raw = store()?.getItem(shareKey(path, cellId));
    if (!raw) return null;
    const memo = JSON.parse(raw) as Partial<ShareMemo>;
    if (typeof memo.sum !== "string") return null;
    return { sum: memo.sum, before: typeof memo.before === "string" ? memo.before : null };
  } catch {
    return null;
  }
}

export function saveShareMemo(cellId: string, memo: ShareMemo, path = location.pathname): void {
  try {
    store()?.setItem(shareKey(path, cellId), JSON.stringify(memo));
  } catch {
    // Storage full or blocked: a reload loads the shared code again.
  }
}
