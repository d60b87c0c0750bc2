/**
 * Seeded key hashing.
 *
 * Go hashes a map key with the map's own random seed (Go 1.23: hmap.hash0, fed
 * to t.Hasher; Go 1.24+: Map.seed) using AES hardware hashing on amd64
 * (src/runtime/asm_amd64.s, aeshashbody). Nothing in this project depends on the
 * exact bits Go produces — only on their *distribution*: how many keys land in
 * each bucket or group decides how many overflow buckets or table splits a map
 * needs, and so how many bytes it holds. Any well-mixed 64-bit hash gives the same
 * distribution, so the model uses a cheap one built from murmur3's 32-bit
 * finaliser (fmix32), applied twice across the two halves of the key.
 *
 * Keys are the scenario's integers (0 ≤ i < 2^53). The same (key, seed) always
 * hashes the same, which makes every run of the model reproducible; a random
 * seed is available through `randomSeed()` for readers who want Go's behaviour of
 * a fresh seed per map.
 *
 * The hash is returned through a caller-owned Uint32Array of length 2 — [lo, hi] —
 * so the hot path allocates nothing.
 *
 *   bits 63 ………………………… 32 | 31 ……………………………… 0
 *        hi                   lo
 *   classic map: bucket = lo & (2^B − 1), tophash = hi >>> 24 (bumped past minTopHash)
 *   Swiss map:   H2 = lo & 0x7f, H1 = the rest; directory index = top globalDepth bits of hi
 */

const C1 = 0x85ebca6b; // murmur3 fmix32 multiplier 1
const C2 = 0xc2b2ae35; // murmur3 fmix32 multiplier 2
const GOLDEN = 0x9e3779b9; // 2^32 / φ, decorrelates the two halves

/** murmur3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, C1);
  h ^= h >>> 13;
  h = Math.imul(h, C2);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash `key` with `seed` into out[0] (low 32 bits) and out[1] (high 32 bits). */
export function hashKey(key: number, seed: number, out: Uint32Array): void {
  const keyLo = key >>> 0;
  const keyHi = Math.floor(key / 4294967296) >>> 0;
  const s = seed >>> 0;
  const lo = fmix32(keyLo ^ fmix32(keyHi ^ s));
  const hi = fmix32(lo ^ Math.imul(keyHi + GOLDEN, C2) ^ (s + GOLDEN));
  out[0] = lo;
  out[1] = hi;
}

/**
 * hashKey's two seed terms for keys 0 ≤ key < 2^32 (keyHi = 0), for loops that hash
 * many keys with one seed: lo = fmix32(key ^ seedLo(seed)), hi = fmix32(lo ^
 * seedHi(seed)) give exactly hashKey's out[0] and out[1].
 */
export function seedLo(seed: number): number {
  return fmix32(seed >>> 0);
}
export function seedHi(seed: number): number {
  return Math.imul(GOLDEN, C2) ^ ((seed >>> 0) + GOLDEN);
}

/** A 32-bit seed from a deterministic generator: seed n of a run. */
export function deriveSeed(base: number, n: number): number {
  return fmix32((base >>> 0) ^ Math.imul(n + 1, GOLDEN));
}

/** A fresh random seed, as Go gives every map (only when a reader asks for it). */
export function randomSeed(): number {
  return (Math.random() * 4294967296) >>> 0;
}
