/**
 * A log of every heap call a runtime's maps make (alloc, allocRun, drop), each with
 * the virtual clock it sees. The range-loop tests compare the logs of the maps' own
 * loops and of the key-by-key loop: a loop that skips a sync before a heap call shows
 * up here even where MemStats and samples agree.
 */
import type { GoRuntime } from "../../src/model/runtime.ts";

export function logHeapCalls(rt: GoRuntime): string[] {
  const calls: string[] = [];
  const heap = rt.heap;
  const alloc = heap.alloc.bind(heap);
  const allocRun = heap.allocRun.bind(heap);
  const drop = heap.drop.bind(heap);
  heap.alloc = (size: number, noscan: boolean): number => {
    calls.push(`alloc ${size} ${noscan} @${heap.nowNs}`);
    return alloc(size, noscan);
  };
  heap.allocRun = (objs, rounded, out): void => {
    calls.push(`allocRun ${objs.length} @${heap.nowNs}`);
    allocRun(objs, rounded, out);
  };
  heap.drop = (h: number): void => {
    calls.push(`drop ${h} @${heap.nowNs}`);
    drop(h);
  };
  return calls;
}
