import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";

/**
 * A minimal static file server for the built site (dist/), bound to loopback.
 * Astro's own preview server would do, but this one starts in milliseconds,
 * needs no Vite, and answers 404 for a missing file so link tests can fail.
 */
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".xml": "application/xml",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

export function resolveInDist(root: string, urlPath: string): string | null {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0] ?? "/"));
  const full = resolve(join(root, clean));
  if (!full.startsWith(resolve(root))) return null;
  for (const candidate of [full, join(full, "index.html")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return null;
}

/** The request handler of serveStatic, for a test server that changes some answers. */
export function staticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const file = resolveInDist(root, req.url ?? "/");
    if (!file) {
      const notFound = resolveInDist(root, "/404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      if (notFound) createReadStream(notFound).pipe(res);
      else res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  };
}

export function serveStatic(root: string, port = 0): Promise<Server> {
  return listen(createServer(staticHandler(root)), port);
}

/** Starts a server on a loopback port (0: a free one). */
export function listen(server: Server, port = 0): Promise<Server> {
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}
