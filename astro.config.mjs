// @ts-check
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";
import { unified } from "@astrojs/markdown-remark";
import remarkCells from "./src/notebook/remark-cells.ts";
import { remarkHeadingIds } from "./src/markdown/heading-ids.ts";
import offline from "./src/offline/service-worker.ts";

// The chapters, in reading order. Their slugs are permanent: see README.md.
export const chapters = [
  { label: "1. The situation", slug: "situation" },
  { label: "2. The cause", slug: "cause" },
  { label: "3. Is it a problem?", slug: "is-it-a-problem" },
  { label: "4. Solutions", slug: "solutions" },
];

export default defineConfig({
  site: "http://127.0.0.1:4321",
  trailingSlash: "always",
  // The kernel's worker imports modules of its own; ES workers let Vite split them. The
  // notebook's lazily imported packages are pre-bundled so `astro dev` does not reload
  // the page on the first interaction with a cell.
  vite: {
    worker: { format: "es" },
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
  markdown: { processor: unified({ remarkPlugins: [remarkHeadingIds, remarkCells] }) },
  integrations: [
    starlight({
      title: "Go map memory notebook",
      description:
        "Why a Go map's memory does not shrink when you delete from it, and what to do about it — with a runnable model of Go's map and heap.",
      sidebar: [
        { label: "Chapters", items: chapters },
        {
          label: "Appendix",
          items: [
            { label: "How the model works", slug: "model" },
            { label: "Playground", slug: "playground" },
          ],
        },
      ],
      // The notebook's page script and styles ride along with every page's content.
      components: { MarkdownContent: "./components/NotebookContent.astro" },
      lastUpdated: false,
      pagination: true,
    }),
    // After Starlight (whose hook writes the search index): dist/sw.js, the offline
    // service worker (docs/notebook.md, "Offline").
    offline(),
  ],
});
