/**
 * hash.ts: the seed terms that range loops compute once per seed give exactly
 * hashKey's result for keys below 2^32.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { fmix32, hashKey, seedHi, seedLo } from "../../src/model/hash.ts";

it("fmix32(key ^ seedLo), fmix32(lo ^ seedHi) is hashKey for 0 ≤ key < 2^32", () => {
  const out = new Uint32Array(2);
  fc.assert(
    fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }), (key, seed) => {
      hashKey(key, seed, out);
      const lo = fmix32(key ^ seedLo(seed));
      expect([lo, fmix32(lo ^ seedHi(seed))]).toEqual([out[0], out[1]]);
    }),
    { seed: 1, numRuns: 2000 },
  );
});
