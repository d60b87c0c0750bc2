/**
 * CodeMirror 6 for a cell: TypeScript highlighting, the usual editing keys, and
 * Shift+Enter or Ctrl/Cmd+Enter to run the cell.
 *
 * Tab is not bound: it moves focus, as everywhere else on the page, so tabbing through
 * a chapter never edits its code. Indenting is Ctrl+] and outdenting Ctrl+[ (Cmd on a
 * Mac), CodeMirror's indentMore/indentLess in its default keymap; the editor's label
 * says so. CodeMirror's own focus outline is off: `.nb-editor` clips its content (for
 * the rounded corners), so the ring is drawn on `.nb-editor:focus-within` instead
 * (components/notebook.css).
 */
import { javascript } from "@codemirror/lang-javascript";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { EditorView, drawSelection, highlightSpecialChars, keymap, lineNumbers } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  onRun: () => void;
  onChange: (doc: string) => void;
}

const theme = EditorView.theme({
  "&": { fontSize: "0.875rem", backgroundColor: "var(--sl-color-bg)", color: "var(--sl-color-white)" },
  ".cm-activeLine": { backgroundColor: "transparent" },
  ".cm-activeLineGutter": { backgroundColor: "transparent" },
  ".cm-content": { fontFamily: "var(--sl-font-mono, monospace)" },
  ".cm-gutters": { backgroundColor: "transparent", color: "var(--sl-color-gray-3)", border: "none" },
  "&.cm-focused": { outline: "none" },
});

// Colours are CSS variables (components/notebook.css) so that both themes pass AA.
const highlight = HighlightStyle.define([
  {
    tag: [t.keyword, t.operatorKeyword, t.modifier, t.controlKeyword, t.definitionKeyword],
    color: "var(--nb-tok-keyword)",
  },
  { tag: [t.string, t.special(t.string), t.regexp], color: "var(--nb-tok-string)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--nb-tok-number)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--nb-tok-comment)", fontStyle: "italic" },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.variableName)],
    color: "var(--nb-tok-name)",
  },
  { tag: [t.typeName, t.className, t.namespace], color: "var(--nb-tok-type)" },
]);

/** What the editor's label says about its keys (also in docs/notebook.md). */
export const EDITOR_KEYS =
  "Shift+Enter runs it. Tab moves on to the next control; Control+] indents and Control+[ outdents (Command on a Mac).";

export function createEditor(opts: EditorOptions): EditorView {
  const run = (): boolean => {
    opts.onRun();
    return true;
  };
  return new EditorView({
    doc: opts.doc,
    parent: opts.parent,
    extensions: [
      Prec.highest(
        keymap.of([
          { key: "Shift-Enter", run },
          { key: "Mod-Enter", run },
        ]),
      ),
      // A lean setup (no autocompletion, search or lint) keeps the editor chunk small.
      lineNumbers(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      EditorState.tabSize.of(2),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      javascript({ typescript: true }),
      Prec.high(syntaxHighlighting(highlight)),
      EditorView.lineWrapping,
      theme,
      EditorView.contentAttributes.of({ "aria-label": opts.label }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) opts.onChange(u.state.doc.toString());
      }),
    ],
  });
}

export function setDoc(view: EditorView, doc: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
}
