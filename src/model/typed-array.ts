/**
 * Growing a typed array.
 *
 * Not a Go concept: the model keeps per-object and per-slot state in typed arrays
 * (no JS object per entry), and several of them grow by doubling as the map or the
 * heap grows — the heap's per-handle tables and its free and garbage stacks, the
 * overflow pool's buckets, delete's chain scratch. Each does the same thing: a
 * longer array of the same kind, the old contents copied to its start, the new
 * tail set to a fill value. This module is that one step.
 */

type TypedArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/**
 * A copy of `a` that is `length` elements long (length ≥ a.length), of the same kind,
 * with the elements past the old end set to `fill`. Cost: O(length); callers double
 * `length`, so growth is amortised O(1) per element.
 */
export function grown<A extends TypedArray>(a: A, length: number, fill = 0): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
