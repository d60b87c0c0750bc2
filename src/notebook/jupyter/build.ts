/**
 * The build's side of a chapter's notebook: remark-cells.ts calls these two.
 *
 *   attachNotebook(file, …)  builds the chapter's .ipynb (ipynb.ts) and puts its text in
 *                            the chapter's remark front matter, `ipynb`, which Astro hands
 *                            to src/pages/notebooks/[slug].ipynb.ts through render(entry).
 *   downloadLink(chapter)    the "Download .ipynb" link of the chapter's notebook bar: a
 *                            plain link with `download`, no script, hidden in print.
 *
 * `<Measured>` in the prose becomes its figure, read from the same golden files as the
 * page's (src/golden/measured.ts), loaded from disk here because the remark plugin runs
 * outside Vite.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GoldenSet, type GoldenFile } from "../../golden/golden.ts";
import { measured, type MeasuredQuote } from "../../golden/measured.ts";
import { recordedOutput } from "../../golden/recorded-output.ts";
import { h, type HElement } from "../hast.ts";
import { chapterNotebook, notebookPath, type ChapterInput } from "./ipynb.ts";
import { serialize } from "./nbformat.ts";

const goldenSets = new Map<string, GoldenSet>();

/**
 * The golden files and, beside them, the recorded evidence a page may quote as well
 * (test/fixtures/go-truth-programs and -evidence, as components/golden-data.ts reads
 * them). Their scenario names never collide (test/go-truth/programs.test.ts), so one
 * set serves every quote.
 */
function goldenSet(truthDir: string): GoldenSet {
  let set = goldenSets.get(truthDir);
  if (!set) {
    const files: GoldenFile[] = [];
    for (const dir of [truthDir, `${truthDir}-programs`, `${truthDir}-evidence`]) {
      if (!existsSync(dir)) continue;
      for (const release of readdirSync(dir, { withFileTypes: true })) {
        if (!release.isDirectory()) continue;
        for (const name of readdirSync(join(dir, release.name))) {
          if (name.endsWith(".json"))
            files.push(JSON.parse(readFileSync(join(dir, release.name, name), "utf8")) as GoldenFile);
        }
      }
    }
    set = new GoldenSet(files);
    goldenSets.set(truthDir, set);
  }
  return set;
}

interface VFileLike {
  data: { astro?: { frontmatter?: Record<string, unknown> } } & Record<string, unknown>;
}

export interface AttachOptions extends Omit<ChapterInput, "title" | "description" | "components"> {
  /** test/fixtures/go-truth: the golden files <Measured> quotes. */
  truthDir: string;
}

/** Builds the chapter's notebook and stores its text as the front matter field `ipynb`. */
export function attachNotebook(file: VFileLike, options: AttachOptions): void {
  const astro = (file.data.astro ??= {});
  const frontmatter = (astro.frontmatter ??= {});
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const notebook = chapterNotebook({
    ...options,
    title: str(frontmatter["title"]) ?? options.chapter,
    ...(str(frontmatter["description"]) ? { description: str(frontmatter["description"]) as string } : {}),
    components: {
      Measured: (props) => {
        const quote: MeasuredQuote = {
          scenario: String(props["scenario"]),
          go: String(props["go"]),
          label: String(props["label"]),
          ...(typeof props["minus"] === "string" ? { minus: props["minus"] } : {}),
          ...(typeof props["field"] === "string"
            ? { field: props["field"] as NonNullable<MeasuredQuote["field"]> }
            : {}),
          ...(typeof props["note"] === "string" ? { note: props["note"] } : {}),
          ...(typeof props["stat"] === "string"
            ? { stat: props["stat"] as NonNullable<MeasuredQuote["stat"]> }
            : {}),
          ...(props["exact"] === true ? { exact: true } : {}),
        };
        const m = measured(goldenSet(options.truthDir), quote);
        return props["bare"] === true ? m.text : `${m.text} (${m.where})`;
      },
    },
    blocks: {
      RecordedOutput: (props) => {
        const scenario = String(props["scenario"]);
        const r = recordedOutput(goldenSet(options.truthDir), {
          scenario,
          go: String(props["go"]),
          ...(typeof props["index"] === "string" ? { index: Number(props["index"]) } : {}),
          ...(typeof props["skip"] === "string" ? { skip: Number(props["skip"]) } : {}),
        });
        return [
          { type: "code", lang: "text", value: r.text },
          {
            type: "paragraph",
            children: [
              { type: "text", value: `Recorded on the real runtime: ${r.where}, program ${scenario}.` },
            ],
          },
        ];
      },
    },
  });
  frontmatter["ipynb"] = serialize(notebook);
}

/** The notebook bar's "Download .ipynb" link. */
export function downloadLink(chapter: string): HElement {
  return h(
    "a",
    {
      className: ["nb-btn", "nb-download"],
      href: notebookPath(chapter),
      download: `${chapter}.ipynb`,
      type: "application/x-ipynb+json",
      "data-download-notebook": "",
      title: "This chapter as a Jupyter notebook, with the outputs computed when the site was built",
    },
    ["Download .ipynb"],
  );
}
