import { execFileSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "./chromium.ts";
import { serveStatic } from "./static-server.ts";

/**
 * Builds the site once (unless E2E_SKIP_BUILD=1), serves dist/ on a free loopback
 * port, and hands the URL to the tests. With no Chromium on the machine it says so
 * plainly; the browser tests then skip themselves and the link checks still run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The build needs no browser: the link checks read dist/ even where Chromium is missing.
  if (process.env["E2E_SKIP_BUILD"] !== "1") {
    // A production build, as `npm run build` makes it: vitest sets NODE_ENV=test, under
    // which Vite would build the site in its development mode (import.meta.env.DEV),
    // and the kernel would skip its sandboxed frame.
    execFileSync("npx", ["astro", "build"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
  }
  if (!chromiumPath()) {
    process.stdout.write(
      "\n*** No Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): browser tests are skipped. ***\n\n",
    );
    project.provide("chromium", false);
    project.provide("baseUrl", "");
    return async () => {};
  }
  project.provide("chromium", true);
  const server = await serveStatic("dist");
  const { port } = server.address() as AddressInfo;
  project.provide("baseUrl", `http://127.0.0.1:${port}/`);
  return async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    chromium: boolean;
    baseUrl: string;
  }
}
