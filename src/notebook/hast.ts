/**
 * Tiny hast helpers for the build: make elements, and turn a (server-side) DOM
 * subtree into hast so MDX can emit it as part of the page.
 */

export interface HText {
  type: "text";
  value: string;
}
export interface HElement {
  type: "element";
  tagName: string;
  properties: Record<string, string | number | boolean | string[]>;
  children: HNode[];
}
export type HNode = HElement | HText;

export function h(
  tagName: string,
  properties: HElement["properties"] = {},
  children: (HNode | string | null | false)[] = [],
): HElement {
  const kids: HNode[] = [];
  for (const c of children) {
    if (c === null || c === false) continue;
    kids.push(typeof c === "string" ? { type: "text", value: c } : c);
  }
  return { type: "element", tagName, properties, children: kids };
}

interface DomLike {
  nodeType: number;
  nodeName: string;
  localName?: string;
  textContent: string | null;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomLike>;
}

const BOOLEAN = new Set(["disabled", "checked", "selected", "hidden", "multiple"]);

/** A DOM element (linkedom's or a browser's) as hast. Attribute names are kept as written. */
export function domToHast(node: DomLike): HNode | null {
  if (node.nodeType === 3) return { type: "text", value: node.textContent ?? "" };
  if (node.nodeType !== 1) return null;
  // MDX cannot carry a <style> element's text; Plot's few rules are in notebook.css.
  if ((node.localName ?? node.nodeName.toLowerCase()) === "style") return null;
  const properties: HElement["properties"] = {};
  for (const attr of Array.from(node.attributes ?? [])) {
    if (attr.name === "class") properties["className"] = attr.value.split(/\s+/).filter(Boolean);
    // hast reads "" as false for a boolean attribute: a baked `disabled` or `selected` would vanish.
    else if (BOOLEAN.has(attr.name)) properties[attr.name] = true;
    else properties[attr.name] = attr.value;
  }
  const children: HNode[] = [];
  for (const child of Array.from(node.childNodes)) {
    const c = domToHast(child);
    if (c) children.push(c);
  }
  return { type: "element", tagName: node.localName ?? node.nodeName.toLowerCase(), properties, children };
}
