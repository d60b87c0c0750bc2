/**
 * The Jupyter notebook format, version 4.5 (nbformat's nbformat.v4.5.schema.json), as far
 * as a chapter needs it: Markdown cells, code cells with their outputs, and metadata
 * naming Deno's Jupyter kernel, which runs TypeScript.
 *
 *   { nbformat: 4, nbformat_minor: 5,
 *     metadata: { kernelspec: { name: "deno", … }, language_info: { name: "typescript", … } },
 *     cells: [ { cell_type: "markdown", id, metadata, source },
 *              { cell_type: "code", id, metadata, source, execution_count, outputs }, … ] }
 *
 * Multi-line strings (`source`, a stream's `text`, a mime bundle's text) are written as
 * arrays of lines, each keeping its "\n", as Jupyter itself writes them: a notebook then
 * diffs line by line.
 */

/** One value per mime type: "text/plain", "text/html", "image/svg+xml". */
export type MimeBundle = Record<string, string | string[]>;

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string[] }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface MarkdownCell {
  cell_type: "markdown";
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
}

export interface CodeCell {
  cell_type: "code";
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  execution_count: number | null;
  outputs: Output[];
}

export type Cell = MarkdownCell | CodeCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: {
    kernelspec: { name: string; display_name: string; language: string };
    language_info: Record<string, string>;
    [key: string]: unknown;
  };
  cells: Cell[];
}

/** Deno's Jupyter kernel (`deno jupyter --install` registers it under this name). */
export const DENO_KERNEL: Notebook["metadata"] = {
  kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
  language_info: {
    name: "typescript",
    file_extension: ".ts",
    mimetype: "text/x.typescript",
    codemirror_mode: "typescript",
    nbconvert_exporter: "script",
    pygments_lexer: "typescript",
  },
};

/** "a\nb\n" → ["a\n", "b\n"]; "a\nb" → ["a\n", "b"]. */
export function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A cell id as nbformat 4.5 wants it: 1–64 of letters, digits, "-" and "_". */
export function cellId(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "cell";
}

export function markdownCell(id: string, markdown: string): MarkdownCell {
  return { cell_type: "markdown", id: cellId(id), metadata: {}, source: lines(markdown.trimEnd()) };
}

export function codeCell(
  id: string,
  code: string,
  executionCount: number | null,
  outputs: Output[],
  metadata: Record<string, unknown> = {},
): CodeCell {
  return {
    cell_type: "code",
    id: cellId(id),
    metadata,
    source: lines(code.trimEnd()),
    execution_count: executionCount,
    outputs,
  };
}

/** The notebook as a file: JSON indented by one space and ending in a newline, as Jupyter writes it. */
export function serialize(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
