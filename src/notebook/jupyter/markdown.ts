/**
 * A chapter's prose as plain Markdown, for the Markdown cells of its Jupyter notebook.
 *
 * The chapter is MDX: Markdown plus JSX components and import lines. A notebook reader
 * sees Markdown only, so each MDX node becomes what the page shows:
 *
 *   import … from "…"                          dropped
 *   <Measured scenario go label />             its figure: "293.3 MiB (go1.23.5, linux/amd64)"
 *   <Aside type="tip" title="In this chapter"> a block quote opening with "**In this chapter**"
 *   <sup>B</sup>, <kbd>…</kbd> (HTML tags)     the same tags, as inline HTML
 *   any other component                        its children (none: dropped)
 *   {expressions}                              dropped
 *   [text](/model/#accuracy), [text](#why)     absolute links to the site's pages
 *
 * The conversion works on a copy of the tree (the page is still to be rendered from
 * it) and writes with mdast-util-to-markdown and its GFM extension (tables, strike-
 * through), the serializer remark itself uses.
 */
import type { Nodes, Parent, PhrasingContent, Root, RootContent } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";

/** The MDX nodes remark-mdx adds to mdast, in the shape this module reads them. */
interface JsxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}
interface JsxElement {
  type: "mdxJsxFlowElement" | "mdxJsxTextElement";
  name: string | null;
  attributes: JsxAttribute[];
  children: RootContent[];
}

/** A component's string, boolean and number attributes: `<Measured go="1.23" bare />`, `index={1}` as "1". */
export type JsxProps = Record<string, string | true>;

/** What a component becomes: inline text, or nothing (null) to fall back to the default. */
export type ComponentText = (props: JsxProps) => string | null;

export interface ProseOptions {
  /** The page's own address, e.g. http://127.0.0.1:4321/situation/; links are resolved against it. */
  pageUrl: string;
  /** Components shown as a line of text (by name), e.g. { Measured: (p) => "293.3 MiB …" }. */
  components?: Record<string, ComponentText>;
  /** Components shown as Markdown blocks (by name), e.g. a recorded tool output as a code block. */
  blocks?: Record<string, (props: JsxProps) => RootContent[]>;
}

const ASIDE_TITLES: Record<string, string> = {
  note: "Note",
  tip: "Tip",
  caution: "Caution",
  danger: "Danger",
};

function props(el: JsxElement): JsxProps {
  const out: JsxProps = {};
  for (const a of el.attributes) {
    if (a.type !== "mdxJsxAttribute" || !a.name) continue;
    if (a.value === null || a.value === undefined) out[a.name] = true;
    else if (typeof a.value === "string") out[a.name] = a.value;
    else {
      // An expression attribute holding a number literal: index={1}.
      const expr = (a.value as { value?: unknown }).value;
      if (typeof expr === "string" && /^-?\d+(\.\d+)?$/.test(expr.trim())) out[a.name] = expr.trim();
    }
  }
  return out;
}

function isJsx(node: { type: string }): node is JsxElement {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

function absolute(href: string, pageUrl: string): string {
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return href;
  }
}

/** The Markdown nodes an MDX node stands for (none when it shows nothing). */
function convert(node: RootContent, options: ProseOptions): RootContent[] {
  const type = node.type as string;
  if (type === "mdxjsEsm" || type === "mdxFlowExpression" || type === "mdxTextExpression") return [];
  if (isJsx(node)) return convertJsx(node, options);
  if (node.type === "link" || node.type === "definition") node.url = absolute(node.url, options.pageUrl);
  if (node.type === "image") node.url = absolute(node.url, options.pageUrl);
  if ("children" in node) (node as Parent).children = convertAll((node as Parent).children, options);
  return [node];
}

function convertAll(nodes: RootContent[], options: ProseOptions): RootContent[] {
  return nodes.flatMap((n) => convert(n, options));
}

function convertJsx(el: JsxElement, options: ProseOptions): RootContent[] {
  const name = el.name ?? "";
  const p = props(el);
  const inline = el.type === "mdxJsxTextElement";
  const block = options.blocks?.[name];
  if (block !== undefined) return block(p);
  const text = options.components?.[name]?.(p);
  if (text !== undefined && text !== null) {
    const t: RootContent = { type: "text", value: text };
    return inline ? [t] : [{ type: "paragraph", children: [t] }];
  }
  const children = convertAll(el.children, options);
  if (name === "Aside") {
    const kind = typeof p["type"] === "string" ? p["type"] : "note";
    const title = typeof p["title"] === "string" ? p["title"] : (ASIDE_TITLES[kind] ?? "Note");
    const heading: RootContent = {
      type: "paragraph",
      children: [{ type: "strong", children: [{ type: "text", value: title }] }],
    };
    const body = children.every((c) => isPhrasing(c))
      ? [{ type: "paragraph", children: children as PhrasingContent[] } as RootContent]
      : children;
    return [{ type: "blockquote", children: [heading, ...body] } as RootContent];
  }
  // Lower-case names are HTML elements (<sup>, <kbd>): Jupyter's Markdown takes them as they are.
  if (/^[a-z]/.test(name)) {
    const attrs = Object.entries(p)
      .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${v.replace(/"/g, "&quot;")}"`))
      .join("");
    return [{ type: "html", value: `<${name}${attrs}>` }, ...children, { type: "html", value: `</${name}>` }];
  }
  return children;
}

function isPhrasing(node: RootContent): boolean {
  return !["paragraph", "heading", "list", "blockquote", "code", "table", "thematicBreak"].includes(
    node.type,
  );
}

/** Top-level MDX nodes (prose between two cells) as one Markdown text. */
export function proseToMarkdown(nodes: readonly RootContent[], options: ProseOptions): string {
  const copy = structuredClone(nodes) as RootContent[];
  const root: Root = { type: "root", children: convertAll(copy, options) };
  if (root.children.length === 0) return "";
  return toMarkdown(root as Nodes, {
    extensions: [gfmToMarkdown()],
    bullet: "-",
    emphasis: "_",
    fences: true,
    rule: "-",
  }).trim();
}
