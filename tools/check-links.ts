/**
 * Internal-link checker for the built site (dist/).
 *
 * Every `href` and `src` that points inside the site must resolve: a path to a
 * file or folder with index.html in dist/, and a `#fragment` to an element id on
 * the target page. Reviewers paste these links into pull requests; a broken one
 * is a bug. Run after `astro build`: `node tools/check-links.ts [dist]`.
 *
 * It also fails when an id appears twice on a page (a fragment must name one element),
 * and when a link uses a cell's author id (`#experiment`) where the cell's fragment is
 * `#cell-experiment`: the page script sends such old links on, but the site's own links
 * must not depend on it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

const root = process.argv[2] ?? "dist";

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...htmlFiles(full));
    else if (name.endsWith(".html")) out.push(full);
  }
  return out;
}

function pagePath(dir: string, file: string): string {
  const rel = "/" + relative(dir, file).split(sep).join("/");
  return rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel;
}

function idsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) ids.add(decodeHtml(m[1] ?? ""));
  return ids;
}

/** Ids that appear more than once in a page's HTML. */
export function duplicateIds(html: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const m of html.matchAll(/\sid="([^"]*)"/g)) {
    const id = decodeHtml(m[1] ?? "");
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  return [...twice];
}

function cellIdsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\sdata-cell="([^"]+)"/g)) ids.add(decodeHtml(m[1] ?? ""));
  return ids;
}

function decodeHtml(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function checkSite(dir: string): string[] {
  let files: string[];
  try {
    files = htmlFiles(dir);
  } catch {
    return [`${dir}: not found — run \`astro build\` first`];
  }
  const pages = new Map<string, Set<string>>();
  const cells = new Map<string, Set<string>>();
  const sources = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    const html = readFileSync(file, "utf8");
    const page = pagePath(dir, file);
    pages.set(page, idsOf(html));
    cells.set(page, cellIdsOf(html));
    sources.set(page, html);
    for (const id of duplicateIds(html)) problems.push(`${page}: id "${id}" appears more than once`);
  }
  for (const [page, html] of sources) {
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const raw = decodeHtml(m[1] ?? "");
      if (raw === "" || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith("//")) continue;
      const url = new URL(raw, `http://site${page}`);
      const path = decodeURIComponent(url.pathname);
      const target = pages.get(path) ?? (path.endsWith("/") ? undefined : pages.get(path + "/"));
      if (!target) {
        if (!isFile(join(dir, path))) problems.push(`${page}: broken link ${raw}`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && fragment !== "top" && !target.has(fragment))
        problems.push(
          cells.get(path)?.has(fragment)
            ? `${page}: #${fragment} on ${path} is a cell: link to #cell-${fragment} (${raw})`
            : `${page}: no #${fragment} on ${path} (${raw})`,
        );
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkSite(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-links: ${problems.length} broken internal link(s)`);
    process.exit(1);
  }
  console.log(`check-links: every internal link in ${root}/ resolves`);
}
