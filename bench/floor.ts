/**
 * The memory-bound limit of the article scenario on this machine: the model's
 * per-operation memory traffic with none of the model around it.
 *
 *   node bench/floor.ts [N] [--repeat R]      (N defaults to 1,000,000)
 *
 * The classic map's model (classic/map.ts, buckets.ts) keeps a Uint8 tophash and an
 * Int32 key per slot, 8 slots a bucket. This loop does what its hot paths must do
 * for N inserts of distinct int keys into a map made without a hint, then deleting
 * them all, and nothing else: hash the key, read its bucket's tophash bytes, write
 * one tophash and one key; at each doubling (load factor 6.5) allocate the new
 * arrays and move every entry (rehash, read, write), as evacuation does in total;
 * delete in one pass over the slots in memory order (as deleteRange does). No
 * overflow chains (a full bucket drops the key), no heap accounting, no growth
 * spread over inserts. The median of R runs in this process (the first run
 * included, as a CLI run is a first run) is printed with the load average.
 *
 * What the model costs above this is its logic; what this costs is the random
 * access to a table of N slots (10 MB at 1M keys: in L3 here; 80 MB at 10M: DRAM).
 */
import { loadavg } from "node:os";
import { fmix32 } from "../src/model/hash.ts";

function run(n: number, seed: number): { insertMs: number; deleteMs: number } {
  const t0 = performance.now();
  let B = 0;
  let th = new Uint8Array(8);
  let ks = new Int32Array(8);
  for (let k = 0; k < n; k++) {
    if (k + 1 > 8 && k + 1 > 13 * ((1 << B) / 2)) {
      const nth = new Uint8Array(th.length * 2);
      const nks = new Int32Array(ks.length * 2);
      const mask = (1 << (B + 1)) - 1;
      for (let s = 0; s < th.length; s++) {
        const t = th[s] as number;
        if (t < 5) continue;
        const key = ks[s] as number;
        const base = (fmix32(key ^ seed) & mask) * 8;
        let j = 0;
        while (j < 8 && nth[base + j] !== 0) j++;
        if (j < 8) {
          nth[base + j] = t;
          nks[base + j] = key;
        }
      }
      th = nth;
      ks = nks;
      B++;
    }
    const h = fmix32(k ^ seed);
    const base = (h & ((1 << B) - 1)) * 8;
    let j = 0;
    while (j < 8 && th[base + j] !== 0) j++;
    if (j < 8) {
      th[base + j] = (h >>> 24) | 5;
      ks[base + j] = k;
    }
  }
  const t1 = performance.now();
  for (let s = 0; s < th.length; s++) {
    const key = ks[s] as number;
    if ((th[s] as number) >= 5 && key >= 0 && key < n) th[s] = 0;
  }
  const t2 = performance.now();
  return { insertMs: t1 - t0, deleteMs: t2 - t1 };
}

const args = process.argv.slice(2);
const ri = args.indexOf("--repeat");
const repeat = ri >= 0 ? Number(args[ri + 1]) : 5;
const n = Number(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--repeat") ?? 1e6);
if (!Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(repeat) || repeat < 1) {
  console.error("usage: node bench/floor.ts [N] [--repeat R]");
  process.exit(2);
}
const runs = Array.from({ length: repeat }, (_, r) => run(n, 0x9e3779b9 ^ r));
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
const ins = med(runs.map((r) => r.insertMs));
const del = med(runs.map((r) => r.deleteMs));
console.log(
  `floor, ${n.toLocaleString("en-US")} inserts + delete all: insert ${ins.toFixed(0)} ms, delete ${del.toFixed(0)} ms, ` +
    `total ${(ins + del).toFixed(0)} ms (median of ${repeat}; first run ${(runs[0]?.insertMs ?? 0).toFixed(0)} + ${(runs[0]?.deleteMs ?? 0).toFixed(0)} ms; load ${(loadavg()[0] ?? 0).toFixed(1)})`,
);
