import { describe, expect, it } from "vitest";
import { classRound, mallocSize, pageRound, roundupsize } from "../../src/model/heap/malloc.ts";
import { maxSmallSize, pageSize, sizeClasses } from "../../src/model/heap/size-classes.ts";

describe("size-classes.ts (generated from Go's sizeclasses.go)", () => {
  it("has Go's 67 classes, sizes strictly ascending, the last one maxSmallSize", () => {
    expect(sizeClasses).toHaveLength(67);
    sizeClasses.forEach((c, i) => {
      expect(c.cls).toBe(i + 1);
      if (i > 0) expect(c.size).toBeGreaterThan(sizeClasses[i - 1]?.size ?? Infinity);
    });
    expect(sizeClasses.at(-1)?.size).toBe(maxSmallSize);
  });

  it("keeps Go's alignment rules: multiples of 8, and of 16 from 32 bytes on", () => {
    for (const c of sizeClasses) {
      expect(c.size % 8).toBe(0);
      if (c.size >= 32) expect(c.size % 16).toBe(0);
      expect(c.size % c.minAlign).toBe(0);
    }
  });

  it("has consistent span columns: objects = ⌊span/size⌋, tail = span − objects·size, npages = span/8 KiB", () => {
    for (const c of sizeClasses) {
      expect(c.spanBytes).toBe(c.npages * pageSize);
      expect(c.objects).toBe(Math.floor(c.spanBytes / c.size));
      expect(c.tailWaste).toBe(c.spanBytes - c.objects * c.size);
    }
  });
});

describe("mallocgc sizes", () => {
  const old = { mallocHeader: false };
  const hdr = { mallocHeader: true };
  it("rounds small objects up to their class", () => {
    expect(classRound(1)).toBe(8);
    expect(classRound(17)).toBe(24);
    expect(classRound(1104)).toBe(1152);
    expect(classRound(32768)).toBe(32768);
    expect(mallocSize(129, true, old)).toBe(144);
  });
  it("rounds large objects to whole pages", () => {
    expect(mallocSize(32769, true, old)).toBe(40960);
    expect(pageRound(8193)).toBe(16384);
    expect(mallocSize(300_000_000, true, hdr)).toBe(Math.ceil(300_000_000 / 8192) * 8192);
  });
  it("adds Go 1.22+'s 8-byte malloc header to pointerful objects over 512 bytes only", () => {
    expect(mallocSize(512, false, hdr)).toBe(512);
    expect(mallocSize(513, false, hdr)).toBe(576);
    expect(mallocSize(1024, false, hdr)).toBe(1152); // 1032 → class 1152
    expect(mallocSize(1024, true, hdr)).toBe(1024); // noscan: no header
    expect(mallocSize(1024, false, old)).toBe(1024); // before 1.22: no header
    expect(mallocSize(32768, false, hdr)).toBe(32768); // over 32760: large, no header
    expect(roundupsize(1024, false, hdr)).toBe(1144); // usable bytes exclude the header
  });
});
