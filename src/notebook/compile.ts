/**
 * Compiling a cell: TypeScript in, a JavaScript function body and its top-level
 * names out, plus a way back from a position in the compiled code to the cell's own
 * line:col.
 *
 * 1. Types are stripped by sucrase (transforms: ["typescript"], no other rewriting),
 *    which keeps every line where it was; columns move where annotations vanish, so
 *    sucrase's source map (token-granular) maps them back.
 * 2. sucrase's parser also tells us each identifier's role. Those it marks as
 *    top-level declarations and that are not types (interface, type, declare) are the
 *    names the cell contributes to the chapter's shared scope.
 * 3. A syntax error is reported at the parser's position, converted to 1-based
 *    line:col of the cell.
 */
import { transform } from "sucrase";
import { parse } from "sucrase/dist/parser/index.js";
import { IdentifierRole } from "sucrase/dist/parser/tokenizer/index.js";

export interface Compiled {
  js: string;
  /** Names declared at the top level of the cell (variables, functions, classes, enums). */
  declared: string[];
  /** Maps a 1-based line:col in `js` to the cell's own line:col. */
  original(line: number, col: number): { line: number; col: number };
}

/** A syntax error, positioned in the cell's source. */
export class CellSyntaxError extends SyntaxError {
  readonly line: number;
  readonly col: number;
  constructor(message: string, line: number, col: number) {
    super(message);
    this.name = "SyntaxError";
    this.line = line;
    this.col = col;
  }
}

/** 1-based line and column of character offset `pos` in `src`. */
export function lineCol(src: string, pos: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: pos - start + 1 };
}

export function compileCell(source: string): Compiled {
  let declared: string[];
  try {
    const file = parse(source, false, true, false) as { tokens: SucraseToken[] };
    const names = new Set<string>();
    for (const t of file.tokens) {
      const role = t.identifierRole;
      if (
        (role === IdentifierRole.TopLevelDeclaration ||
          role === IdentifierRole.ObjectShorthandTopLevelDeclaration) &&
        !t.isType
      ) {
        names.add(source.slice(t.start, t.end));
      }
    }
    declared = [...names];
  } catch (err) {
    const e = err as { message?: string; pos?: number };
    const { line, col } = lineCol(source, typeof e.pos === "number" ? e.pos : 0);
    const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)\s*$/, "");
    throw new CellSyntaxError(message, line, col);
  }
  const out = transform(source, {
    transforms: ["typescript"],
    disableESTransforms: true,
    filePath: "cell.ts",
    sourceMapOptions: { compiledFilename: "cell.js" },
  });
  const segments = decodeMappings(out.sourceMap?.mappings ?? "");
  return {
    js: out.code,
    declared,
    original(line, col) {
      const row = segments[line - 1];
      if (!row || row.length === 0) return { line, col };
      // The last mapped token that starts at or before the column, shifted by the
      // distance from that token's start.
      let best = row[0] as Segment;
      for (const s of row) if (s.genCol <= col - 1) best = s;
      const delta = Math.max(0, col - 1 - best.genCol);
      return { line: best.srcLine + 1, col: best.srcCol + delta + 1 };
    },
  };
}

/**
 * The names a cell reads and does not declare at its top level: its parameters, as far
 * as the chapter is concerned (an over-approximation: a local that shadows a chapter name
 * counts too). The build bakes them (data-uses); the page re-runs a cell when an input
 * changes one of them. Apart from compileCell so the browser's kernel does not carry it.
 * Throws on a syntax error, as compileCell does.
 */
export function usedNames(source: string, declared: readonly string[]): string[] {
  const file = parse(source, false, true, false) as { tokens: SucraseToken[] };
  const reads = new Set<string>();
  for (const t of file.tokens) {
    const role = t.identifierRole;
    if ((role === IdentifierRole.Access || role === IdentifierRole.ObjectShorthand) && !t.isType)
      reads.add(source.slice(t.start, t.end));
  }
  return [...reads].filter((n) => !declared.includes(n));
}

interface SucraseToken {
  start: number;
  end: number;
  identifierRole: number | null;
  isType: boolean;
}

interface Segment {
  genCol: number;
  srcLine: number;
  srcCol: number;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes a source map's "mappings" (base64 VLQ), one array of segments per generated line. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const lineText of mappings.split(";")) {
    const row: Segment[] = [];
    let genCol = 0;
    for (const seg of lineText.split(",")) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0] ?? 0;
      if (fields.length >= 4) {
        srcLine += fields[2] ?? 0;
        srcCol += fields[3] ?? 0;
        row.push({ genCol, srcLine, srcCol });
      }
    }
    lines.push(row);
  }
  return lines;
}
