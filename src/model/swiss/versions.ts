/**
 * What changes in the Swiss-table map from one Go release to the next.
 *
 * Every release from Go 1.24 to 1.27 uses the same map design (src/internal/runtime/
 * maps/): small maps of one group, tables of up to maxTableCapacity slots, 7/8 load,
 * extendible hashing. The struct sizes and growth rules are identical. Three behaviours
 * differ, and each is a rule here, named after what it changes, with the evidence.
 *
 * 1. pruneTombstones — Go 1.26+. When an insert finds growthLeft == 0 and it did not
 *    reuse a tombstone, the table first tries to turn tombstones that no probe sequence
 *    needs back into empty slots, and grows only if that frees less than 10% of its
 *    capacity. Evidence: go1.26.10 src/internal/runtime/maps/table.go pruneTombstones
 *    (called from table.PutSlot) and runtime_fast32.go:298, runtime_fast64.go:299,
 *    runtime_faststr.go:369 (`if t.growthLeft == 0 { t.pruneTombstones(typ, m) }`).
 *    The generic runtime_mapassign in runtime.go (used for other key types and for
 *    elems over 128 bytes) calls t.rehash without pruning, in 1.26 and in 1.27; the
 *    64-bit pointer-key routine (runtime_mapassign_fast64ptr) gains the call only in
 *    1.27 (go1.27.3 runtime_fast64.go:511). go1.24.4 has no pruneTombstones at all.
 *    Go 1.25: no toolchain is installed here and the module proxy is unreachable, so
 *    the evidence is indirect: the index of golang/go's history holds pruneTombstones
 *    only in versions of table.go/runtime_fast*.go written against abi.MapType, the
 *    name the 1.26 cycle introduced when it dropped the `_swiss.go` files; no version
 *    written against abi.SwissMapType (the 1.24/1.25 spelling) contains it. The
 *    growth it fixes was reported on go1.24rc1 as golang/go#70886. The model treats
 *    1.25 like 1.24 (no pruning); this is the least certain rule in the model.
 *
 * 2. clearKeepsTombstonesWhenEmpty — Go 1.24/1.25. Map.Clear returns at once when
 *    used == 0 (go1.24.4 map.go:726 `if m == nil || m.Used() == 0`), so a table whose
 *    entries were all deleted keeps its tombstones after clear(m). Go 1.26 tracks
 *    Map.tombstonePossible and clears such tables too (go1.26.10 map.go:736). Tied to
 *    the same 1.26 change set as rule 1, so 1.25 follows 1.24.
 *
 * 3. smallUpdateGrows — Go 1.24–1.26. An assignment to a small map that already holds
 *    8 entries converts it to a table even when the key is already present (go1.24.4
 *    map.go:494 `if m.used < abi.SwissMapGroupSlots` before looking for the key, and
 *    the TODO below it). Go 1.27 looks for the key first and grows only when there is
 *    no free slot (go1.27.3 map.go:521, putSlotSmall returning nil).
 *
 * Nothing here changes memory accounting: clear() never frees a table or shrinks the
 * directory in any release ("TODO: shrink directory?" in every Map.Clear).
 *
 * Observed on the real runtimes (go1.24.4, go1.26.10, go1.27.3, linux/amd64, reading
 * Map and table fields through unsafe; test/model/swiss.test.ts holds the figures):
 *   rule 1  make(map[int]int, 112), 56 entries, 100000 × (delete oldest, insert new):
 *           1.24 ends with a 512-slot table, 1.26 and 1.27 with 128 slots. With
 *           20000 rounds: map[int][128]byte and map[string]int stay at 128 slots in
 *           1.26/1.27, map[int][129]byte and map[int16]int grow to 256 as in 1.24.
 *   rule 2  224 entries in a 256-slot table, all deleted, then clear(m): growthLeft
 *           stays 80 in 1.24 (144 tombstones kept), returns to 224 in 1.26/1.27.
 *   rule 3  8 entries, then m[3] = 33: 1.24 and 1.26 hold a 16-slot table, 1.27 is
 *           still a small map.
 */
import type { GoVersion } from "../contract.ts";

export interface SwissRules {
  /** Go 1.26+: table.pruneTombstones before a growth, on the fast assign paths. */
  readonly pruneTombstones: boolean;
  /** Go 1.27+: the 64-bit pointer-key assign path prunes too. */
  readonly pruneOnPointerKeys: boolean;
  /** Go ≤1.25: clear() of a map with no entries leaves its tombstones in place. */
  readonly clearKeepsTombstonesWhenEmpty: boolean;
  /** Go ≤1.26: assigning to a full small map grows it even if the key exists. */
  readonly smallUpdateGrows: boolean;
}

const rules: Partial<Record<GoVersion, SwissRules>> = {
  "1.24": {
    pruneTombstones: false,
    pruneOnPointerKeys: false,
    clearKeepsTombstonesWhenEmpty: true,
    smallUpdateGrows: true,
  },
  "1.25": {
    pruneTombstones: false,
    pruneOnPointerKeys: false,
    clearKeepsTombstonesWhenEmpty: true,
    smallUpdateGrows: true,
  },
  "1.26": {
    pruneTombstones: true,
    pruneOnPointerKeys: false,
    clearKeepsTombstonesWhenEmpty: false,
    smallUpdateGrows: true,
  },
  "1.27": {
    pruneTombstones: true,
    pruneOnPointerKeys: true,
    clearKeepsTombstonesWhenEmpty: false,
    smallUpdateGrows: false,
  },
};

/** The rules a release follows; throws for releases before the Swiss map (≤ 1.23). */
export function swissRules(go: GoVersion): SwissRules {
  const r = rules[go];
  if (r === undefined) throw new Error(`go ${go} has no Swiss-table map (Go 1.24+); use the classic map`);
  return r;
}
