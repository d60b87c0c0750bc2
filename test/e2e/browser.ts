import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";
import { CHROMIUM_FLAGS, chromiumPath } from "./chromium.ts";

export { CHROMIUM_FLAGS, chromiumPath };

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error("no Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH");
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

/** The base URL of the site the global setup serves. */
export function siteUrl(path = "/"): string {
  const base = inject("baseUrl");
  if (!base) throw new Error("no base URL: the e2e global setup did not run");
  return new URL(path, base).toString();
}

/** Collects console errors and uncaught page errors while a page is open. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("response", (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  return errors;
}

/** True when the global setup found a browser; browser tests skip otherwise. */
export function hasChromium(): boolean {
  return inject("chromium");
}
