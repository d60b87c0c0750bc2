import { compressToEncodedURIComponent } from "lz-string";
import { describe, expect, test } from "vitest";
import {
  checksum,
  lengthWarning,
  parseShare,
  shareUrl,
  withoutShare,
} from "../../src/notebook/client/share-url.ts";

const page = new URL("https://example.org/situation/");

describe("share links", () => {
  test("the code travels in the fragment, with its checksum, and parses back", () => {
    const code = "display('hello ' + 42);";
    const payload = compressToEncodedURIComponent(code);
    const url = shareUrl(page, "experiment", payload, code);
    expect(url.search).toBe("");
    expect(url.hash).toBe(`#cell-experiment:sum=${checksum(code)}&code=${payload}`);
    expect(parseShare(new URL(url.href))).toEqual({
      cellId: "experiment",
      payload,
      sum: checksum(code),
      legacy: false,
    });
  });

  test("the earlier query form still parses; a plain cell or heading fragment is not a share", () => {
    const legacy = new URL("https://example.org/situation/?cell=swiss&code=abc#swiss");
    expect(parseShare(legacy)).toEqual({ cellId: "swiss", payload: "abc", sum: null, legacy: true });
    expect(withoutShare(legacy).href).toBe("https://example.org/situation/#cell-swiss");
    expect(parseShare(new URL("https://example.org/situation/#cell-swiss"))).toBeNull();
    expect(parseShare(new URL("https://example.org/situation/#swiss"))).toBeNull();
  });

  test("checksum is FNV-1a over UTF-16 units", () => {
    expect(checksum("")).toBe("811c9dc5");
    expect(checksum("a")).toBe("e40c292c");
    expect(checksum("ab")).not.toBe(checksum("ba"));
  });

  test("length warnings at the documented thresholds", () => {
    expect(lengthWarning(2_000)).toBeNull();
    expect(lengthWarning(2_001)).toMatch(/2,001 characters long: some .* 2,000 characters/);
    expect(lengthWarning(8_001)).toMatch(/many tools cut or refuse links longer than 8,000/);
  });
});
