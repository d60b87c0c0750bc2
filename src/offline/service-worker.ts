/**
 * The offline service worker, written into dist/ after the build (Node only).
 *
 * Workbox's generateSW (workbox-build) lists every file a reader needs and writes
 * dist/sw.js: a precache of those files, each with a content hash, and a route that
 * answers from the precache first. So once any page of the site has loaded, and the
 * worker has installed in the background, every chapter, the editor, the kernel's
 * worker, Observable Plot and the search index work without a network.
 *
 * What is precached (PRECACHE_PATTERNS): every page's HTML, everything Astro emits
 * into _astro/ (page scripts, the lazily imported editor and Plot chunks, the kernel's
 * worker and any chunk it imports, CSS), the favicon, and the part of the Pagefind
 * index that Starlight's search box loads. A pattern that matches nothing, or a file
 * too large to precache, fails the build: a silently partial precache would only show
 * up offline.
 *
 * Updates (docs/notebook.md, "Offline"): a new deployment changes sw.js (the hashes),
 * which the browser notices on the next navigation. The new worker precaches the new
 * files beside the old ones and waits, so pages still open keep the files they were
 * built with; the page then offers a reload (src/offline/register.ts). Old caches are
 * deleted once the new worker takes over.
 *
 * `astro dev` never runs the build hook, and the page registers a worker only in a build
 * (`__OFFLINE_SW__`, defined below), so there is no service worker in development.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { generateSW, getManifest } from "workbox-build";
import { SW_FILE } from "./sw-file.ts";
import { mib } from "../golden/golden.ts";

/** The files a reader needs offline, relative to dist/. */
export const PRECACHE_PATTERNS = [
  "**/*.html",
  "_astro/**/*",
  "favicon.svg",
  // Starlight's search box: Pagefind's UI, its WebAssembly for English, the index.
  "pagefind/pagefind-entry.json",
  "pagefind/pagefind.js",
  "pagefind/pagefind-worker.js",
  "pagefind/pagefind-ui.{js,css}",
  "pagefind/pagefind.*.pf_meta",
  "pagefind/wasm.en.pagefind",
  "pagefind/index/*.pf_index",
  "pagefind/fragment/*.pf_fragment",
];

/** The largest file precached; the biggest chapter's HTML is under a megabyte. */
const MAX_BYTES = 4 * 1024 * 1024;

/** Which files are precached, and how their URLs are named (shared by the bench). */
function manifestOptions(dist: string) {
  return {
    globDirectory: dist,
    globPatterns: PRECACHE_PATTERNS,
    globIgnores: ["404.html", SW_FILE],
    // Astro names _astro/ files by their content's hash: the name is the revision.
    dontCacheBustURLsMatching: /^_astro\//,
    maximumFileSizeToCacheInBytes: MAX_BYTES,
  };
}

export interface PrecacheSummary {
  count: number;
  bytes: number;
}

/** The precached files' paths relative to dist/ (what sw.js lists). */
export async function precachedFiles(dist: string): Promise<string[]> {
  const { manifestEntries, warnings } = await getManifest(manifestOptions(dist));
  if (warnings.length > 0) throw new Error(`service worker: ${warnings.join("; ")}`);
  return manifestEntries.map((entry) => entry.url);
}

/** Writes `${dist}/sw.js`; throws when the precache would miss a file. */
export async function writeServiceWorker(dist: string): Promise<PrecacheSummary> {
  const { count, size, warnings } = await generateSW({
    ...manifestOptions(dist),
    swDest: join(dist, SW_FILE),
    // /situation/ is answered with /situation/index.html, whatever its query
    // (a shared cell's link carries one).
    directoryIndex: "index.html",
    ignoreURLParametersMatching: [/.*/],
    // The first visit's page is controlled as soon as the precache is complete, so it
    // too keeps working offline. A new deployment's worker waits (see above).
    clientsClaim: true,
    skipWaiting: false,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: "production",
  });
  if (warnings.length > 0) throw new Error(`service worker: ${warnings.join("; ")}`);
  return { count, bytes: size };
}

/** The Astro integration; list it after Starlight, whose hook writes the Pagefind index. */
export default function offline(): AstroIntegration {
  return {
    name: "offline-service-worker",
    hooks: {
      // The page registers the worker only in a build, where sw.js exists (not from
      // import.meta.env.PROD, which follows NODE_ENV: a build run by the tests has "test").
      "astro:config:setup": ({ command, updateConfig }) => {
        updateConfig({ vite: { define: { __OFFLINE_SW__: JSON.stringify(command === "build") } } });
      },
      "astro:build:done": async ({ dir, logger }) => {
        const { count, bytes } = await writeServiceWorker(fileURLToPath(dir));
        logger.info(`${SW_FILE}: ${count} files precached, ${mib(bytes)}`);
      },
    },
  };
}
