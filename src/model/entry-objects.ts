/**
 * The heap objects one map entry keeps alive, besides its slot: shared by the classic
 * map (classic/map.ts) and the Swiss-table map (swiss/map.ts).
 *
 * Follows Go 1.23 src/runtime/map.go (mapassign, mapdelete, evacuate, needkeyupdate)
 * and Go 1.24 src/internal/runtime/maps/table.go (PutSlot, Delete, uncheckedPutSlot)
 * and map.go (putSlotSmall, deleteSmall) for indirect keys and elems, and the scenario
 * programs (src/go-program/generate.ts) for what a key or elem value points to.
 *
 * Terminology
 *   indirect object   a key (elem) over 128 bytes lives in its own heap object, which
 *                     the map allocates when a new entry is placed (Go 1.23:
 *                     newobject(t.Key) in mapassign; 1.24+: in PutSlot).
 *   program objects   what the value itself points to (GoType.objects, types.ts):
 *                     a string's bytes, a slice's backing array, a new(T) and what
 *                     its fields point to. The program allocates them while it
 *                     evaluates key(i) and elem(i), before mapassign runs.
 *   chain             one entry's key (elem) objects: the indirect object first when
 *                     there is one, then the program objects in allocation order.
 *                     The slot keeps only the chain's head handle; the rest is linked
 *                     through `next`, a typed array indexed by handle, so a map of
 *                     ten million entries holds no JS object per entry. An entry
 *                     whose value points to nothing (an empty string, a nil slice)
 *                     has the head NONE.
 *
 * What each operation does to them
 *   insert  the program objects exist already; the map adds the indirect object and
 *           keeps the chain.
 *   update  m[k] = v on a present key. The elem: an indirect elem object is reused
 *           (typedmemmove copies the value into it), the old value's program objects
 *           lose their last reference and the new ones stay. A direct elem: the whole
 *           old chain goes, the new one stays. The key: when Go's needkeyupdate holds
 *           (the key holds strings or floats) the new key is stored the same way;
 *           otherwise the new key(i)'s program objects were temporaries, garbage at once.
 *   delete  the slot's pointers are cleared: both chains lose their last reference.
 *   grow, split, evacuate
 *           entries move by copying the head handles; nothing is allocated or dropped.
 *   clear   every slot is cleared: every chain is dropped.
 *
 * Temporary strings the program builds only to look up or delete a key are garbage
 * the moment the call returns; they belong to the caller (runtime.ts), not the map.
 *
 * Accounting: `bytes` is what the live chains hold, each object at what mallocgc gives
 * it (size class, malloc header), a tiny object at its own size; `requested` counts
 * the bytes asked for.
 *
 * Invariant
 *   1. liveKeys (liveElems) = the entries holding a key (elem) chain, when the type
 *      has one at all (keyOwns / elemOwns); the map checks it against its count.
 */
import type { Allocator, GoType, HeapObjectSpec, ObjectHandle } from "./contract.ts";
import { isTiny, mallocSize, type MallocRules } from "./heap/malloc.ts";
import { grown } from "./typed-array.ts";

/** Head of a chain that holds no object. */
export const NONE = -1;

/** What one side (key or elem) of an entry allocates. */
interface Side {
  /** The map's indirect object, or null when the value sits in the slot. */
  readonly indirect: HeapObjectSpec | null;
  /** The program's objects for one value. */
  readonly program: readonly HeapObjectSpec[];
  /** Rounded bytes of one value's program objects. */
  readonly programBytes: number;
  readonly programRequested: number;
  /** mallocSize of each program object, 0 for a tiny one (Heap.allocRun). */
  readonly rounded: readonly number[];
  /** A chain has more than one object: the rest is linked through `next`. */
  readonly linked: boolean;
}

function side(t: GoType, indirect: boolean, rules: MallocRules): Side {
  const ind = indirect && t.size > 0 ? { size: t.size, noscan: !t.pointers, path: "(indirect)" } : null;
  const program = t.objects ?? [];
  let programBytes = 0;
  let programRequested = 0;
  for (const o of program) {
    programBytes += roundedSize(o, rules);
    programRequested += o.size;
  }
  const linked = (ind === null ? 0 : 1) + program.length > 1;
  const rounded = program.map((o) => (isTiny(o.size, o.noscan) ? 0 : mallocSize(o.size, o.noscan, rules)));
  return { indirect: ind, program, programBytes, programRequested, rounded, linked };
}

function roundedSize(o: HeapObjectSpec, rules: MallocRules): number {
  return isTiny(o.size, o.noscan) ? o.size : mallocSize(o.size, o.noscan, rules);
}

/** Go's needkeyupdate: the key holds a string or a float, anywhere inside. */
export function needKeyUpdate(t: GoType): boolean {
  if (t.kind === "string" || t.kind === "float") return true;
  if (t.kind === "array") return (t.len ?? 0) > 0 && t.elem !== undefined && needKeyUpdate(t.elem);
  if (t.kind === "struct") return (t.fields ?? []).some((f) => needKeyUpdate(f.type));
  return false;
}

/**
 * The drops after a memory-order delete pass (MapImpl.deleteRange): visits the keys
 * the pass deleted (mark[j] = 1, j = (key − from) / step) in key order, and before
 * each calls `sync` with the writes since the previous one, so that every drop sees
 * the clock it has in the key-by-key loop; `drop(j)` drops key j's objects.
 */
export function dropInKeyOrder(
  mark: Uint8Array,
  n: number,
  sync: (writes: number) => void,
  drop: (j: number) => void,
): void {
  let synced = 0;
  for (let j = 0; j < n; j++) {
    if (mark[j] === 0) continue;
    if (j > synced) {
      sync(j - synced);
      synced = j;
    }
    drop(j);
  }
}

/**
 * A map's door to the heap: every alloc and drop of its entry objects (and, in the
 * Swiss map, of its tables and groups too) passes here, and `before` (set by
 * MapImpl.writeKeys) runs first, so a range loop can bring the runtime's clock up to
 * date before the heap sees the call, as the key-by-key loop has it there.
 */
export class HeapGate implements Allocator {
  before: (() => void) | null = null;
  allocRun?: NonNullable<Allocator["allocRun"]>;
  isLive?: NonNullable<Allocator["isLive"]>;
  private readonly inner: Allocator;

  constructor(inner: Allocator) {
    this.inner = inner;
    const run = inner.allocRun;
    if (run !== undefined)
      this.allocRun = (objs, rounded, out): void => {
        if (this.before !== null) this.before();
        run.call(inner, objs, rounded, out);
      };
    const live = inner.isLive;
    if (live !== undefined) this.isLive = (h): boolean => live.call(inner, h);
  }

  alloc(size: number, noscan: boolean): ObjectHandle {
    if (this.before !== null) this.before();
    return this.inner.alloc(size, noscan);
  }

  drop(handle: ObjectHandle): void {
    if (this.before !== null) this.before();
    this.inner.drop(handle);
  }
}

/** allocChain's scratch: the handles of one value's objects. */
let scratch = new Int32Array(64);

export class EntryObjects {
  private readonly heap: Allocator;
  private readonly rules: MallocRules;
  private readonly k: Side;
  private readonly e: Side;
  /** A slot's key owns heap objects: the map keeps a key-handle column. */
  readonly keyOwns: boolean;
  readonly elemOwns: boolean;
  /** m[k] = v on a present key stores the new key's program objects (needkeyupdate). */
  readonly keyReplacedOnUpdate: boolean;
  /** The key or elem has program objects (the program allocates before mapassign). */
  readonly keyHasProgram: boolean;
  readonly elemHasProgram: boolean;
  /** Entries holding a key (elem) chain. */
  liveKeys = 0;
  liveElems = 0;
  /** Heap bytes the live chains hold (size classes; tiny objects at their size). */
  bytes = 0;
  /** Bytes the live chains asked mallocgc for. */
  requested = 0;
  /** The rest of each chain: next[h] is the object after h, NONE at the end. */
  private next = new Int32Array(0);

  constructor(
    heap: Allocator,
    key: GoType,
    elem: GoType,
    indirectKey: boolean,
    indirectElem: boolean,
    rules: MallocRules,
  ) {
    this.heap = heap;
    this.rules = rules;
    this.k = side(key, indirectKey, rules);
    this.e = side(elem, indirectElem, rules);
    this.keyHasProgram = this.k.program.length > 0;
    this.elemHasProgram = this.e.program.length > 0;
    this.keyOwns = this.k.indirect !== null || this.keyHasProgram;
    this.elemOwns = this.e.indirect !== null || this.elemHasProgram;
    this.keyReplacedOnUpdate = this.keyHasProgram && needKeyUpdate(key);
  }

  /** The objects key(i) allocates, as the program evaluates it: a chain head or NONE. */
  programKey(): ObjectHandle {
    return this.k.program.length === 0 ? NONE : this.allocChain(this.k);
  }

  /** The objects elem(i) allocates: a chain head or NONE. */
  programElem(): ObjectHandle {
    return this.e.program.length === 0 ? NONE : this.allocChain(this.e);
  }

  /** A new entry's key chain: the indirect object (allocated now) before `prog`. */
  insertKey(prog: ObjectHandle): ObjectHandle {
    this.liveKeys++;
    return this.insert(this.k, prog);
  }

  insertElem(prog: ObjectHandle): ObjectHandle {
    this.liveElems++;
    return this.insert(this.e, prog);
  }

  /** m[k] = v on a present key: the key chain to keep (see the header). */
  updateKey(head: ObjectHandle, prog: ObjectHandle): ObjectHandle {
    if (!this.keyReplacedOnUpdate) {
      this.dropRun(this.k, prog, false);
      return head;
    }
    return this.update(this.k, head, prog);
  }

  updateElem(head: ObjectHandle, prog: ObjectHandle): ObjectHandle {
    return this.update(this.e, head, prog);
  }

  /** delete, clear, m = nil: the entry's key chain loses its last reference. */
  dropKey(head: ObjectHandle): void {
    this.liveKeys--;
    this.dropChain(this.k, head);
  }

  dropElem(head: ObjectHandle): void {
    this.liveElems--;
    this.dropChain(this.e, head);
  }

  /** Every handle of a chain, head first (for invariant checks). */
  keyChain(head: ObjectHandle): ObjectHandle[] {
    return this.chain(this.k, head);
  }

  elemChain(head: ObjectHandle): ObjectHandle[] {
    return this.chain(this.e, head);
  }

  private chain(s: Side, head: ObjectHandle): ObjectHandle[] {
    if (!s.linked) return head === NONE ? [] : [head];
    const out: ObjectHandle[] = [];
    for (let h = head; h !== NONE; h = this.next[h] ?? NONE) out.push(h);
    return out;
  }

  // ───────────────────────────── internals ─────────────────────────────

  private link(h: ObjectHandle, to: ObjectHandle): void {
    if (h >= this.next.length) {
      let n = Math.max(1024, this.next.length * 2);
      while (n <= h) n *= 2;
      const old = this.next.length;
      this.next = grown(this.next, n);
      this.next.fill(NONE, old);
    }
    this.next[h] = to;
  }

  /** Allocates one value's program objects in order and links them; returns the head. */
  private allocChain(s: Side): ObjectHandle {
    const objs = s.program;
    const heap = this.heap;
    if (objs.length > 1 && heap.allocRun !== undefined) {
      if (scratch.length < objs.length) scratch = new Int32Array(objs.length * 2);
      heap.allocRun(objs, s.rounded, scratch);
      const last = objs.length - 1;
      for (let j = 0; j < last; j++) this.link(scratch[j] as number, scratch[j + 1] as number);
      this.link(scratch[last] as number, NONE);
      return scratch[0] as number;
    }
    const first = objs[0] as HeapObjectSpec;
    const head = heap.alloc(first.size, first.noscan);
    let prev = head;
    for (let j = 1; j < objs.length; j++) {
      const o = objs[j] as HeapObjectSpec;
      const h = heap.alloc(o.size, o.noscan);
      this.link(prev, h);
      prev = h;
    }
    if (s.linked) this.link(prev, NONE);
    return head;
  }

  private insert(s: Side, prog: ObjectHandle): ObjectHandle {
    if (prog !== NONE) {
      this.bytes += s.programBytes;
      this.requested += s.programRequested;
    }
    const ind = s.indirect;
    if (ind === null) return prog;
    const h = this.heap.alloc(ind.size, ind.noscan);
    this.bytes += roundedSize(ind, this.rules);
    this.requested += ind.size;
    if (s.linked) this.link(h, prog);
    return h;
  }

  private update(s: Side, head: ObjectHandle, prog: ObjectHandle): ObjectHandle {
    if (prog !== NONE) {
      this.bytes += s.programBytes;
      this.requested += s.programRequested;
    }
    if (s.indirect === null) {
      this.dropRun(s, head, true);
      return prog;
    }
    // The indirect object stays; the value's program objects are swapped.
    if (s.linked) {
      this.dropRun(s, this.next[head] ?? NONE, true);
      this.link(head, prog);
    }
    return head;
  }

  private dropChain(s: Side, head: ObjectHandle): void {
    if (head === NONE) return;
    if (s.indirect === null) {
      this.dropRun(s, head, true);
      return;
    }
    if (s.linked) this.dropRun(s, this.next[head] ?? NONE, true);
    this.heap.drop(head);
    this.bytes -= roundedSize(s.indirect, this.rules);
    this.requested -= s.indirect.size;
  }

  /** Drops one value's program objects; `held` says whether they were counted in bytes. */
  private dropRun(s: Side, h0: ObjectHandle, held: boolean): void {
    if (h0 === NONE) return;
    if (held) {
      this.bytes -= s.programBytes;
      this.requested -= s.programRequested;
    }
    if (!s.linked || s.program.length === 1) {
      this.heap.drop(h0);
      return;
    }
    for (let h = h0; h !== NONE;) {
      const n = this.next[h] ?? NONE;
      this.heap.drop(h);
      h = n;
    }
  }
}
