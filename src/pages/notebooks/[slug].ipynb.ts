/**
 * /notebooks/<chapter>.ipynb: each chapter with cells as a Jupyter notebook. The file is
 * built with the page by the remark plugin (src/notebook/jupyter/), which leaves its text
 * in the chapter's remark front matter; this route only writes it out.
 */
import type { APIRoute, GetStaticPaths } from "astro";
import { getCollection, render } from "astro:content";

export const getStaticPaths = (async () => {
  const paths = [];
  for (const entry of await getCollection("docs")) {
    const { remarkPluginFrontmatter } = await render(entry);
    const ipynb: unknown = remarkPluginFrontmatter["ipynb"];
    if (typeof ipynb === "string") paths.push({ params: { slug: entry.id }, props: { ipynb } });
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ ipynb: string }> = ({ props }) =>
  new Response(props.ipynb, { headers: { "Content-Type": "application/x-ipynb+json" } });
