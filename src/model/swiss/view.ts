/**
 * The Swiss map's picture data (Go 1.24+ src/internal/runtime/maps), read-only and
 * kept apart from the hot code as Go keeps table_debug.go apart from table.go.
 *
 * What it reads, with Go's names:
 *   tables       per distinct table, in directory order: capacity, used, tombstones(),
 *                localDepth, and the 2^(globalDepth − localDepth) directory entries
 *                that point to it (Map.directory); consecutive tables are summed into
 *                one row once there are more tables than bins.
 *   slots        every control byte as a state: empty (ctrlEmpty), full (an H2) or
 *                deleted (ctrlDeleted, a tombstone), table after table, group after
 *                group, while the map has at most 8 slots per bin; a small
 *                map's single group is its eight slots.
 *
 * Cost: O(distinct tables), plus O(slots) when the slots are included.
 */
import { slotDeleted, slotEmpty, slotFull, type SwissView } from "../contract.ts";
import { ctrlDeleted, ctrlEmpty, type Groups } from "./group.ts";
import type { SwissMap } from "./map.ts";

function states(g: Groups, into: Uint8Array, at: number): void {
  const ctrl = g.chunk.ctrl;
  for (let s = 0; s < g.slots; s++) {
    const c = ctrl[g.base + s] ?? ctrlEmpty;
    into[at + s] = c === ctrlDeleted ? slotDeleted : (c & ctrlEmpty) !== 0 ? slotEmpty : slotFull;
  }
}

export function swissView(m: SwissMap, maxBins: number): SwissView {
  const tables = m.distinctTables();
  let perTable = 1;
  while (tables.length / perTable > maxBins) perTable *= 2;
  const rows = Math.ceil(tables.length / perTable);
  const capacity = new Uint32Array(rows);
  const tableUsed = new Uint32Array(rows);
  const tableTombstones = new Uint32Array(rows);
  const localDepth = new Uint8Array(rows).fill(255);
  const dirEntries = new Uint32Array(rows);
  let tombstones = 0;
  let total = 0;
  for (let i = 0; i < tables.length; i++) {
    const t = tables[i];
    if (t === undefined) continue;
    const r = (i / perTable) | 0;
    const dead = t.tombstones();
    capacity[r] = (capacity[r] ?? 0) + t.capacity;
    tableUsed[r] = (tableUsed[r] ?? 0) + t.used;
    tableTombstones[r] = (tableTombstones[r] ?? 0) + dead;
    localDepth[r] = Math.min(localDepth[r] ?? 255, t.localDepth);
    dirEntries[r] = (dirEntries[r] ?? 0) + 2 ** (m.globalDepth - t.localDepth);
    tombstones += dead;
    total += t.capacity;
  }
  const small = m.directory.length === 0;
  if (small) total = m.small?.slots ?? 0;
  let slots: Uint8Array | null = null;
  if (total <= 8 * maxBins) {
    slots = new Uint8Array(total);
    if (small && m.small !== null) states(m.small, slots, 0);
    let at = 0;
    for (const t of tables) {
      states(t.groups, slots, at);
      at += t.capacity;
    }
  }
  return {
    kind: "swiss",
    small,
    globalDepth: m.globalDepth,
    dirLen: m.directory.length,
    used: m.used,
    tombstones,
    tables: tables.length,
    perTable,
    bytes: m.heldBytes(),
    capacity,
    tableUsed,
    tableTombstones,
    localDepth,
    dirEntries,
    slots,
  };
}
