/**
 * Takes the README's screenshot: serves the built site (dist/) on loopback and
 * photographs a page in Debian's Chromium.
 *   node tools/screenshot.ts [path=/situation/] [out=docs/screenshot.png] [--full | --element=CSS]
 */
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../test/e2e/chromium.ts";
import { serveStatic } from "../test/e2e/static-server.ts";

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const fullPage = process.argv.includes("--full");
const element = process.argv.find((a) => a.startsWith("--element="))?.slice("--element=".length);
const path = positional[0] ?? "/situation/";
const out = positional[1] ?? "docs/screenshot.png";
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
if (element) await page.locator(element).first().screenshot({ path: out });
else await page.screenshot({ path: out, fullPage });
await browser.close();
server.close();
console.log(`screenshot: ${path} → ${out}`);
