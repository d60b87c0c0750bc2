/**
 * A recording Allocator for the Swiss map's tests: every alloc and drop is logged,
 * double drops and drops of unknown handles throw, and the live set can be
 * inspected. It stands in for src/model/heap where a test wants the map's own
 * requests, not Go's size-class rounding.
 */
import type { Allocator, ObjectHandle } from "../../src/model/contract.ts";

export interface AllocRecord {
  readonly handle: ObjectHandle;
  readonly size: number;
  readonly noscan: boolean;
}

export class FakeHeap implements Allocator {
  private next = 1;
  readonly live = new Map<ObjectHandle, AllocRecord>();
  readonly log: (({ op: "alloc" } & AllocRecord) | { op: "drop"; handle: ObjectHandle; size: number })[] = [];
  liveBytes = 0;

  alloc(size: number, noscan: boolean): ObjectHandle {
    if (!Number.isInteger(size) || size < 0) throw new Error(`bad size ${size}`);
    const rec = { handle: this.next++, size, noscan };
    this.live.set(rec.handle, rec);
    this.log.push({ op: "alloc", ...rec });
    this.liveBytes += size;
    return rec.handle;
  }

  drop(handle: ObjectHandle): void {
    const rec = this.live.get(handle);
    if (rec === undefined) throw new Error(`drop of unknown or dropped handle ${handle}`);
    this.live.delete(handle);
    this.log.push({ op: "drop", handle, size: rec.size });
    this.liveBytes -= rec.size;
  }

  /** Sizes of the allocations since log index `from`, in order. */
  allocSizes(from = 0): number[] {
    return this.log.slice(from).flatMap((e) => (e.op === "alloc" ? [e.size] : []));
  }

  dropSizes(from = 0): number[] {
    return this.log.slice(from).flatMap((e) => (e.op === "drop" ? [e.size] : []));
  }

  /** Live objects by size: { size: count }. */
  liveBySize(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const r of this.live.values()) out[r.size] = (out[r.size] ?? 0) + 1;
    return out;
  }
}
