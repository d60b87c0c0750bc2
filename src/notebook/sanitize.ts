/**
 * The one door through which a chart drawn by a cell enters a page.
 *
 * Charts are drawn in the kernel (figures.ts), where the cell's own functions run, and
 * arrive as markup. That markup is the cell's to shape: a cell can reach the kernel's
 * server-side DOM through a chart's ownerDocument and add whatever it likes. So the
 * page, and the build, insert it only after DOMPurify (cure53/DOMPurify, the sanitizer
 * browsers' own security teams point to) has kept what a chart needs and nothing that
 * runs or fetches:
 *
 *   kept      HTML and SVG elements and presentation attributes (DOMPurify's html and
 *             svg profiles), `style` attributes without URLs, internal references
 *             such as clip-path="url(#plot-clip-1)" and href="#…"
 *   dropped   <script>, event handlers (onload=…), javascript: and every other URL in
 *             href/xlink:href, <foreignObject>, <style> (the three rules Plot needs are
 *             in notebook.css), <image>, <use>, SVG animation, <iframe>/<object>/<embed>,
 *             `style` with url(…), image-set, expression(…) or escapes, and any other
 *             attribute whose url(…) leaves the document
 *
 * DOMPurify needs a real DOM: the page passes its window, the build a jsdom window
 * (bake.ts). Both get the same configuration, so a baked chart and a live one are the
 * same markup.
 */
import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from "dompurify";

const FORBID_TAGS = [
  "style",
  "foreignObject",
  "image",
  "use",
  "animate",
  "animateMotion",
  "animateTransform",
  "set",
  "iframe",
  "object",
  "embed",
  "link",
  "meta",
  "base",
  "form",
];

const CONFIG: Config = {
  USE_PROFILES: { html: true, svg: true },
  FORBID_TAGS,
  FORBID_ATTR: ["target", "formaction", "srcset", "ping"],
};

/** A url(…) that stays inside the document: url(#id). */
const LOCAL_URL = /^url\(\s*["']?#[\w-]+["']?\s*\)$/i;
const ANY_URL = /url\s*\(/gi;
const DANGEROUS_CSS = /\\|expression\s*\(|image-set|@import|binding|behavior/i;

function hooks(purify: DOMPurify): DOMPurify {
  purify.addHook("uponSanitizeAttribute", (_node, data) => {
    const name = data.attrName.toLowerCase();
    const value = data.attrValue;
    if (name === "href" || name === "xlink:href" || name === "src" || name === "action") {
      if (!/^#[\w-]*$/.test(value.trim())) data.keepAttr = false;
      return;
    }
    if (name === "style" && DANGEROUS_CSS.test(value)) {
      data.keepAttr = false;
      return;
    }
    const urls = value.match(ANY_URL);
    if (urls) {
      // Every url(…) in the value must be a local reference.
      const refs = value.match(/url\s*\([^)]*\)/gi) ?? [];
      if (refs.length !== urls.length || !refs.every((r) => LOCAL_URL.test(r))) data.keepAttr = false;
    }
  });
  return purify;
}

export interface Sanitizer {
  /** The markup, cleaned, as a fragment of `window`'s document. */
  fragment(markup: string): DocumentFragment;
  /** The markup, cleaned, as a string. */
  clean(markup: string): string;
}

/** A sanitizer bound to one window (the page's, or jsdom's at build time). */
export function createSanitizer(window: WindowLike): Sanitizer {
  const purify = hooks(createDOMPurify(window));
  if (!purify.isSupported) throw new Error("DOMPurify cannot run on this DOM: refusing to insert charts");
  return {
    fragment: (markup) => purify.sanitize(markup, { ...CONFIG, RETURN_DOM_FRAGMENT: true }),
    clean: (markup) => purify.sanitize(markup, { ...CONFIG }),
  };
}
