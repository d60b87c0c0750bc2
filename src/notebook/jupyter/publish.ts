/**
 * Publishes the kernel module (kernel-module.ts) as one ES module at
 * /notebooks/kernel.js, which every chapter notebook imports by URL.
 *
 * esbuild bundles it with everything it imports (the model, Observable Plot, linkedom),
 * minified, licences kept at the end. A Deno kernel only imports the module and calls
 * the builtins, never Kernel.run, so the cell compiler (compile.ts, with sucrase) is
 * replaced by a stub that says so: it is most of the bundle otherwise.
 *
 * The Astro integration writes the file after `astro build` and serves it from memory
 * under `astro dev`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { build, type Plugin } from "esbuild";
import { KERNEL_MODULE_PATH } from "./ipynb.ts";

const ENTRY = fileURLToPath(new URL("./kernel-module.ts", import.meta.url));

const noCompiler: Plugin = {
  name: "no-cell-compiler",
  setup(b) {
    // Only the kernel's own import of the compiler (src/notebook/kernel.ts → ./compile.ts).
    b.onResolve({ filter: /^\.\/compile\.ts$/ }, (args) =>
      /[/\\]notebook[/\\]kernel\.ts$/.test(args.importer)
        ? { path: "compile-stub", namespace: "nb-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "nb-stub" }, () => ({
      loader: "js",
      contents: `export class CellSyntaxError extends SyntaxError {}
export function compileCell() { throw new Error("The published kernel module runs no cell code: Deno's kernel does."); }`,
    }));
  },
};

/** The module's text. */
export async function bundleKernelModule(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    target: "es2022",
    minify: true,
    legalComments: "eof",
    // linkedom asks for the optional `canvas` package inside a try; it is never there.
    external: ["canvas"],
    plugins: [noCompiler],
    banner: {
      js: "// The Go map memory notebook's kernel module: goRuntime, display, liveHeap, mib, Plot, input. See the site's README.",
    },
    logLevel: "warning",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild wrote no kernel module");
  return file.text;
}

/** Astro integration: /notebooks/kernel.js in dist/ and under the dev server. */
export default function publishKernelModule(): AstroIntegration {
  return {
    name: "go-map-notebook-kernel-module",
    hooks: {
      "astro:server:setup": ({ server }) => {
        let text: Promise<string> | null = null;
        server.middlewares.use(KERNEL_MODULE_PATH, (_req, res) => {
          text ??= bundleKernelModule();
          text.then(
            (body) => {
              res.setHeader("Content-Type", "text/javascript; charset=utf-8");
              res.end(body);
            },
            (e: unknown) => {
              text = null;
              res.statusCode = 500;
              res.end(String(e));
            },
          );
        });
      },
      "astro:build:done": async ({ dir, logger }) => {
        const out = join(fileURLToPath(dir), KERNEL_MODULE_PATH);
        const body = await bundleKernelModule();
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, body);
        logger.info(`${KERNEL_MODULE_PATH} (${Math.round(body.length / 1024)} KiB)`);
      },
    },
  };
}
