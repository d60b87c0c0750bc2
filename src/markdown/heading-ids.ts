/**
 * Short, permanent heading anchors: `## Why the heap stays large \{#why}`.
 * (MDX reads a bare `{` as the start of an expression, hence the backslash;
 * in plain Markdown `{#why}` works as it is.)
 *
 * Reviewers link to a section from a pull request, so a section's anchor must
 * not change when its wording is polished. A heading that ends in `{#id}` gets
 * that id (and loses the braces); other headings keep the id Starlight derives
 * from their text. Ids must be lower-case words joined by hyphens, and unique on
 * the page: a repeated id fails the build rather than silently breaking a link.
 */
import type { Heading, Root, Text } from "mdast";
// Brings the `hProperties` field of mdast node data into scope (remark-rehype reads it).
import type {} from "mdast-util-to-hast";

const EXPLICIT_ID = /\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$/;

interface VFileLike {
  readonly path?: string;
}

export function remarkHeadingIds() {
  return (tree: Root, file: VFileLike): void => {
    const seen = new Set<string>();
    const visit = (node: Root | Root["children"][number]): void => {
      if (node.type === "heading") setId(node, seen, file.path ?? "(unknown file)");
      if ("children" in node) for (const child of node.children) visit(child);
    };
    visit(tree);
  };
}

function setId(heading: Heading, seen: Set<string>, path: string): void {
  const last = heading.children.at(-1);
  if (last?.type !== "text") return;
  const match = EXPLICIT_ID.exec(last.value);
  if (!match) {
    if (/\{#/.test(last.value))
      throw new Error(`${path}: malformed heading id in "${last.value}" (use {#lower-case-words})`);
    return;
  }
  const id = match[1] as string;
  if (seen.has(id)) throw new Error(`${path}: heading id #${id} is used twice`);
  seen.add(id);
  (last as Text).value = last.value.slice(0, match.index);
  heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } };
}
