/**
 * The heap objects one map entry keeps alive, besides its slot.
 *
 * Follows Go 1.24 src/internal/runtime/maps/table.go (PutSlot, Delete,
 * uncheckedPutSlot) and map.go (putSlotSmall, deleteSmall) for indirect keys and
 * elems, and the scenario programs for what a key or elem points to.
 *
 * Terminology
 *   key object   what a slot's key refers to: the separately allocated key when the
 *                key is indirect (over 128 bytes, Go: newobject(typ.Key)), or the bytes
 *                of a string key (fmt.Sprintf's result).
 *   elem object  likewise for the elem: the indirect elem (newobject(typ.Elem)), the
 *                pointee of a `*T` elem (the program's new(T)), or a string's bytes.
 *
 * What each operation does to them
 *   insert  a new entry allocates its key object and elem object (if the types have
 *           them). Go allocates indirect objects inside PutSlot; the program allocates
 *           new(T) and Sprintf strings before calling mapassign.
 *   update  m[k] = v on a present key: an indirect elem is reused (the value is
 *           copied into it); a `*T` or string elem is a fresh object from the program,
 *           and the old one loses its last reference. A string key is overwritten
 *           with the program's new string (Go: NeedKeyUpdate is true for strings), so
 *           the old key bytes become garbage and the new ones stay.
 *   delete  the slot's pointers are cleared: both objects lose their last reference.
 *   grow, split
 *           entries move by copying the pointers (uncheckedPutSlot); nothing is
 *           allocated or dropped.
 *   clear   every slot is cleared (typedmemclr): every object is dropped.
 *
 * Temporary strings the program builds only to look up or delete a key are garbage
 * the moment the call returns; they belong to the caller (runtime.ts), not the map.
 *
 * Invariant
 *   1. liveKeyObjs == used when the key type has objects (else 0); likewise elems.
 */
import type { Allocator, GoType, ObjectHandle } from "../contract.ts";
import type { GroupLayout } from "./layout.ts";

interface ObjectKind {
  readonly size: number;
  readonly noscan: boolean;
}

function objectKind(t: GoType, indirect: boolean): ObjectKind | null {
  if (indirect) return { size: t.size, noscan: !t.pointers };
  // new(T) of a zero-size T allocates nothing (mallocgc returns &zerobase).
  if (t.pointee !== undefined && t.pointee.size > 0)
    return { size: t.pointee.size, noscan: !t.pointee.pointers };
  return null;
}

export class EntryObjects {
  private readonly heap: Allocator;
  /** Allocation made for each key, or null when keys own nothing. */
  readonly key: ObjectKind | null;
  readonly elem: ObjectKind | null;
  /** m[k] = v on a present key replaces the key object (string keys). */
  readonly keyReplacedOnUpdate: boolean;
  /** m[k] = v on a present key replaces the elem object (*T and string elems). */
  readonly elemReplacedOnUpdate: boolean;
  liveKeyObjs = 0;
  liveElemObjs = 0;

  constructor(heap: Allocator, key: GoType, elem: GoType, layout: GroupLayout) {
    this.heap = heap;
    this.key = objectKind(key, layout.indirectKey);
    this.elem = objectKind(elem, layout.indirectElem);
    this.keyReplacedOnUpdate = !layout.indirectKey && this.key !== null;
    this.elemReplacedOnUpdate = !layout.indirectElem && this.elem !== null;
  }

  newKeyObj(): ObjectHandle {
    const k = this.key;
    if (k === null) return 0;
    this.liveKeyObjs++;
    return this.heap.alloc(k.size, k.noscan);
  }

  newElemObj(): ObjectHandle {
    const e = this.elem;
    if (e === null) return 0;
    this.liveElemObjs++;
    return this.heap.alloc(e.size, e.noscan);
  }

  dropKeyObj(h: ObjectHandle): void {
    this.liveKeyObjs--;
    this.heap.drop(h);
  }

  dropElemObj(h: ObjectHandle): void {
    this.liveElemObjs--;
    this.heap.drop(h);
  }
}
