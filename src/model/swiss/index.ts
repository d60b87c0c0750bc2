/**
 * The Swiss-table map of Go 1.24–1.27, behind the contract's MapImpl.
 *
 * Follows src/internal/runtime/maps/ of Go 1.24 (and 1.26, 1.27; see versions.ts).
 * The modules, from the bytes up:
 *
 *   layout.ts          struct and group sizes the compiler gives a map[K]V
 *   group.ts           control bytes and the typed-array storage of a group array
 *   ../entry-objects.ts  heap objects an entry keeps alive (shared with the classic map)
 *   table.ts           one Swiss table: probing, insert, delete, grow, split, prune
 *   map.ts             small map, directory, extendible hashing, hints, clear
 *   versions.ts        what each release does differently, with the evidence
 *
 * Cost for a reader: set/get/delete are O(1) on average (one hash, a short probe);
 * a growth copies one table (≤ 1024 slots); a directory doubling copies the
 * directory. checkInvariants and internals() are O(entries).
 */
import type { MapImpl, MapOptions } from "../contract.ts";
import { SwissMap } from "./map.ts";

export { SwissMap } from "./map.ts";
export { groupLayout, assignPath, mapHeaderSize, tableHeaderSize } from "./layout.ts";
export { maxTableCapacity, maxAvgGroupLoad } from "./table.ts";
export { swissRules, type SwissRules } from "./versions.ts";

/** make(map[K]V, hint) for Go 1.24+. */
export function makeSwissMap(opts: MapOptions): MapImpl {
  return new SwissMap(opts);
}
