import { describe, expect, it } from "vitest";
import { grown } from "../../src/model/typed-array.ts";

describe("grown", () => {
  it("keeps the kind and the contents, and fills the new tail", () => {
    const a = Int32Array.from([5, -7, 9]);
    const b = grown(a, 6, -1);
    expect(b).toBeInstanceOf(Int32Array);
    expect([...b]).toEqual([5, -7, 9, -1, -1, -1]);
    expect([...a]).toEqual([5, -7, 9]); // the old array is untouched
    const f = grown(Float64Array.from([2 ** 40, 0.5]), 3);
    expect(f).toBeInstanceOf(Float64Array);
    expect([...f]).toEqual([2 ** 40, 0.5, 0]);
    expect([...grown(new Uint8Array(0), 2)]).toEqual([0, 0]);
  });
});
