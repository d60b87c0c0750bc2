import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkSite } from "../../tools/check-links.ts";

describe("internal links", () => {
  test("every internal link and fragment in the built site resolves", () => {
    expect(checkSite("dist")).toEqual([]);
  });

  test("the checker reports a broken path and a missing fragment", () => {
    const dir = mkdtempSync(join(tmpdir(), "links-"));
    mkdirSync(join(dir, "a"));
    writeFileSync(
      join(dir, "index.html"),
      '<a href="/a/#here">ok</a><a href="/b/">b</a><a href="/a/#gone">x</a>',
    );
    writeFileSync(join(dir, "a", "index.html"), '<h2 id="here">Here</h2>');
    expect(checkSite(dir)).toEqual(["/: broken link /b/", "/: no #gone on /a/ (/a/#gone)"]);
  });
});
