import { fromMarkdown } from "mdast-util-from-markdown";
import type { Heading, Root } from "mdast";
import { describe, expect, test } from "vitest";
import { remarkHeadingIds } from "../../src/markdown/heading-ids.ts";
import type {} from "mdast-util-to-hast";

function run(md: string): Root {
  const tree = fromMarkdown(md);
  remarkHeadingIds()(tree, { path: "chapter.mdx" });
  return tree;
}

function headings(tree: Root): { text: string; id: unknown }[] {
  return tree.children
    .filter((n): n is Heading => n.type === "heading")
    .map((h) => ({
      text: h.children.map((c) => ("value" in c ? c.value : "")).join(""),
      id: h.data?.hProperties?.["id"],
    }));
}

describe("remarkHeadingIds", () => {
  test("an explicit {#id} becomes the heading's id and leaves its text", () => {
    expect(headings(run("## Why the heap stays large {#why}\n\n## Plain heading\n"))).toEqual([
      { text: "Why the heap stays large", id: "why" },
      { text: "Plain heading", id: undefined },
    ]);
  });

  test("a repeated id fails, naming the file", () => {
    expect(() => run("## A {#same}\n\n## B {#same}\n")).toThrow(
      "chapter.mdx: heading id #same is used twice",
    );
  });

  test("a malformed id fails instead of leaking braces into the page", () => {
    expect(() => run("## A {#Not Valid}\n")).toThrow(/malformed heading id/);
  });
});
