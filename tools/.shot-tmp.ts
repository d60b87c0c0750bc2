import { chromium } from "playwright-core";
import { serveStatic } from "../test/e2e/static-server.ts";
import { CHROMIUM_FLAGS } from "../test/e2e/chromium.ts";
process.chdir("/work/wt/yourpage");
const server = await serveStatic("dist");
const port = (server.address() as any).port;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
const p = await b.newPage({ viewport: { width: 1280, height: 2400 } });
p.on("console", (m) => console.log("console", m.type(), m.text()));
const t0 = Date.now();
await p.goto(`http://127.0.0.1:${port}/your-map/${process.argv[2] ?? ""}`);
if (process.argv[2]) { await p.locator("[data-your-map][data-ym-state=partial], [data-your-map][data-ym-state=done]").first().waitFor({timeout: 60000}); console.log("first result ms", Date.now()-t0); await p.locator("[data-your-map][data-ym-state=done]").waitFor({timeout: 60000}); console.log("done ms", Date.now()-t0); }
await p.screenshot({ path: "/tmp/ym.png", fullPage: false });
await b.close(); server.close();
