// @ts-check
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";
import { unified } from "@astrojs/markdown-remark";
import remarkCells from "./src/notebook/remark-cells.ts";
import { remarkHeadingIds } from "./src/markdown/heading-ids.ts";
import publishKernelModule from "./src/notebook/jupyter/publish.ts";
import offline from "./src/offline/service-worker.ts";

// The site's public address. Chapter notebooks import the model from it
// (SITE/notebooks/kernel.js), so set SITE_URL to where the site is served when building
// it for others; the default is the local preview server (`npm start`).
const site = process.env["SITE_URL"] ?? "http://127.0.0.1:4321";

// The chapters, in reading order. Their slugs are permanent: see README.md.
export const chapters = [
  { label: "1. The situation", slug: "situation" },
  { label: "2. The cause", slug: "cause" },
  { label: "3. Is it a problem?", slug: "is-it-a-problem" },
  { label: "4. Solutions", slug: "solutions" },
];

/**
 * compile.ts reads sucrase's parser, which sucrase publishes only at CommonJS paths
 * (sucrase/dist/parser/…); its entry point, in the kernel's bundle, uses the same
 * parser's ES build (sucrase/dist/esm/parser/…). In the browser bundles the CommonJS
 * paths resolve to the ES build, so the kernel carries one parser and not two (about
 * 26 KB gzipped). Node, which runs the cells at build time, keeps the CommonJS paths:
 * the ES build's extensionless imports load only through a bundler.
 * @returns {import("vite").Plugin}
 */
function oneSucraseParser() {
  return {
    name: "one-sucrase-parser",
    enforce: "pre",
    resolveId(id, importer, options) {
      const m = /^sucrase\/dist\/parser\/(.*)$/.exec(id);
      if (m === null || options.ssr) return null;
      return this.resolve(`sucrase/dist/esm/parser/${m[1]}`, importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  site,
  trailingSlash: "always",
  // The kernel's worker and its chart script are each one self-contained classic script
  // (iife): the page fetches them and starts them from blob: URLs inside the kernel's
  // sandboxed frame (src/notebook/client/kernel-host.ts). The notebook's lazily imported
  // packages are pre-bundled so `astro dev` does not reload the page on the first
  // interaction with a cell.
  vite: {
    worker: { format: "iife", plugins: () => [oneSucraseParser()] },
    optimizeDeps: {
      include: [
        "@codemirror/commands",
        "@codemirror/lang-javascript",
        "@codemirror/language",
        "@codemirror/state",
        "@codemirror/view",
        "@lezer/highlight",
        "@observablehq/plot",
        "lz-string",
        "sucrase",
        "sucrase/dist/parser/index.js",
        "sucrase/dist/parser/tokenizer/index.js",
        "workbox-window",
      ],
    },
  },
  // Notebook cells: ```ts cell fences run at build time and become cells (docs/notebook.md).
  markdown: { processor: unified({ remarkPlugins: [remarkHeadingIds, [remarkCells, { site }]] }) },
  integrations: [
    // /notebooks/kernel.js, the model as one ES module for downloaded notebooks.
    publishKernelModule(),
    starlight({
      title: "Go map memory notebook",
      description:
        "Why a Go map's memory does not shrink when you delete from it, and what to do about it — with a runnable model of Go's map and heap.",
      // Long lines of plain code blocks wrap (indent kept) instead of scrolling: a
      // scrolling block would need to be focusable (axe: scrollable-region-focusable),
      // and wrapped code reads better in a narrow column.
      expressiveCode: { defaultProps: { wrap: true } },
      sidebar: [
        { label: "Chapters", items: chapters },
        // The estimator for a reader's own map (src/your-map/); a permanent slug too.
        { label: "Your map", slug: "your-map" },
        {
          label: "Appendix",
          items: [
            { label: "How the model works", slug: "model" },
            { label: "Playground", slug: "playground" },
          ],
        },
      ],
      // Scripting is on: the notebook's controls and tabs are shown only under html.js,
      // so a page without scripts shows no button that would do nothing (docs/notebook.md).
      head: [{ tag: "script", content: "document.documentElement.classList.add('js')" }],
      components: {
        // The notebook's page script and styles ride along with every page's content.
        MarkdownContent: "./components/NotebookContent.astro",
        // Starlight's own, fixed: the search button's name contains its visible text,
        // and the theme scripts survive blocked storage (components/starlight/).
        Search: "./components/starlight/Search.astro",
        ThemeProvider: "./components/starlight/ThemeProvider.astro",
        ThemeSelect: "./components/starlight/ThemeSelect.astro",
      },
      lastUpdated: false,
      pagination: true,
    }),
    // After Starlight (whose hook writes the search index): dist/sw.js, the offline
    // service worker (docs/notebook.md, "Offline").
    offline(),
  ],
});
