/**
 * The address of a shared cell: its code travels in the URL's fragment, which browsers
 * never send to a server (so no server refuses a long link with HTTP 414, and no
 * server log keeps the code).
 *
 *     /situation/#cell-experiment:sum=1a2b3c4d&code=<lz-string>
 *
 *   cell-<id>   the cell's own fragment (cell-id.ts);
 *   sum         FNV-1a (32 bit, hex) of the code, so a damaged or cut-short link is
 *               recognised instead of loading half a program;
 *   code        the code, compressed with lz-string's compressToEncodedURIComponent.
 *
 * Links of the earlier form `?cell=<id>&code=<lz-string>#<id>` still load (they have no
 * sum). Nothing here imports lz-string: boot.ts uses `hasShare` on every page.
 */
import { cellDomId, cellIdFromDomId } from "../cell-id.ts";

export interface SharedCode {
  cellId: string;
  /** The compressed code ("" when the link carries none). */
  payload: string;
  /** The checksum the link carries, or null (earlier links have none). */
  sum: string | null;
  /** True for the earlier query-string form. */
  legacy: boolean;
}

/** Links longer than this are cut by some chat and code-review tools. */
export const LONG_LINK = 2_000;
/** Links longer than this are refused or cut by many tools. */
export const VERY_LONG_LINK = 8_000;

/** FNV-1a over the UTF-16 code units, as 8 hex digits. */
export function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The shared code a URL carries, in either form, or null. */
export function parseShare(url: URL): SharedCode | null {
  const hash = url.hash.slice(1);
  const colon = hash.indexOf(":");
  if (colon > 0) {
    const cellId = cellIdFromDomId(decodeURIComponent(hash.slice(0, colon)));
    if (cellId) {
      const params = new URLSearchParams(hash.slice(colon + 1));
      return { cellId, payload: params.get("code") ?? "", sum: params.get("sum"), legacy: false };
    }
  }
  const cellId = url.searchParams.get("cell");
  const payload = url.searchParams.get("code");
  if (cellId !== null && payload !== null) return { cellId, payload, sum: null, legacy: true };
  return null;
}

/** True when the URL carries shared code (boot.ts then wakes the notebook at once). */
export function hasShare(url: URL): boolean {
  return parseShare(url) !== null;
}

/** The share URL of `code` (already compressed as `payload`) for a cell of this page. */
export function shareUrl(base: URL, cellId: string, payload: string, code: string): URL {
  const url = withoutShare(base);
  // lz-string's URI alphabet (A–Z a–z 0–9 + - $) needs no escaping in a fragment.
  url.hash = `${cellDomId(cellId)}:sum=${checksum(code)}&code=${payload}`;
  return url;
}

/** The URL without any shared code: the query's cell/code and the fragment's payload go. */
export function withoutShare(base: URL): URL {
  const url = new URL(base.href);
  const shared = parseShare(url);
  url.searchParams.delete("cell");
  url.searchParams.delete("code");
  if (shared) url.hash = cellDomId(shared.cellId);
  return url;
}

/** What to tell the reader about a link's length, or null when it is short enough. */
export function lengthWarning(length: number): string | null {
  const n = length.toLocaleString("en-US");
  if (length > VERY_LONG_LINK)
    return `This link is ${n} characters long: many tools cut or refuse links longer than ${VERY_LONG_LINK.toLocaleString("en-US")} characters. Share a shorter version of the cell, or paste the code itself.`;
  if (length > LONG_LINK)
    return `This link is ${n} characters long: some chat and code-review tools cut links longer than ${LONG_LINK.toLocaleString("en-US")} characters. Check that it arrives whole.`;
  return null;
}
