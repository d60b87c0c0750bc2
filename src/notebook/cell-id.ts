/**
 * A cell's id on the page. The author's id (`cell id="experiment"`) is the cell's
 * `data-cell`; its element id and URL fragment are `cell-<id>`, so a cell never shares
 * an id with a heading's anchor. The build (remark-cells.ts) and the page script
 * (client/) both use these, so the two cannot drift apart.
 */

/** The element id, and the URL fragment, of a cell. */
export function cellDomId(id: string): string {
  return `cell-${id}`;
}

/** The author's id from a fragment or element id `cell-<id>`, or null. */
export function cellIdFromDomId(domId: string): string | null {
  return domId.startsWith("cell-") ? domId.slice("cell-".length) : null;
}
