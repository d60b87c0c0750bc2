import { existsSync } from "node:fs";

/**
 * Debian's Chromium, driven by playwright-core. The project never downloads a
 * browser: it uses /usr/bin/chromium (apt-get install chromium) or CHROMIUM_PATH.
 */
export function chromiumPath(): string | null {
  const candidates = [process.env["CHROMIUM_PATH"], "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const path of candidates) if (path && existsSync(path)) return path;
  return null;
}

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];
