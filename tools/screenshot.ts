/**
 * Takes the README's screenshot: serves the built site (dist/) on loopback and
 * photographs a page in Debian's Chromium.
 *   node tools/screenshot.ts [path=/situation/] [out=docs/screenshot.png]
 */
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../test/e2e/chromium.ts";
import { serveStatic } from "../test/e2e/static-server.ts";

const path = process.argv[2] ?? "/situation/";
const out = process.argv[3] ?? "docs/screenshot.png";
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("screenshot: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)");
  process.exit(2);
}
const server = await serveStatic("dist");
const { port } = server.address() as AddressInfo;
const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: "networkidle" });
await page.screenshot({ path: out });
await browser.close();
server.close();
console.log(`screenshot: ${path} → ${out}`);
