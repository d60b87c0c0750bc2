import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { docsSchema } from "@astrojs/starlight/schema";

// The chapters live in content/ at the top of the project (not Starlight's default
// src/content/docs/), so that prose and code are separate at a glance. A file's
// name is its slug, and slugs never change: reviewers paste them into pull requests.
export const collections = {
  docs: defineCollection({
    loader: glob({ base: "./content", pattern: "**/[^_]*.{md,mdx}" }),
    schema: docsSchema(),
  }),
};
