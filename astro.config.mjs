// @ts-check
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";

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
      lastUpdated: false,
      pagination: true,
    }),
  ],
});
