/**
 * The JSON view: CodeMirror 6 with JSON highlighting, line numbers, undo history and bracket
 * matching. Imported lazily by DraftEditor, so CodeMirror loads only when a draft is edited.
 */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { useContext, useEffect, useRef } from "react";

import { WfvContext } from "../provider/context";

import type { TextEditorProps } from "./textEditor";

export default function CodeMirrorEditor({ id, label, value, onChange, describedBy }: TextEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Outside a provider (a host's own use of the editor) there is simply no nonce.
  const cspNonce = useContext(WfvContext)?.cspNonce;
  // The listener is made once: it reads the newest onChange through this ref.
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          json(),
          syntaxHighlighting(defaultHighlightStyle),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          // CodeMirror styles itself through a <style> element: a strict policy needs its nonce.
          ...(cspNonce ? [EditorView.cspNonce.of(cspNonce)] : []),
          EditorView.contentAttributes.of({ id, "aria-label": label, ...(describedBy ? { "aria-describedby": describedBy } : {}) }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // Made once per mount; the value is kept in step below.
  }, []);

  // A text set from outside (a merge, a restore, theirs) replaces the document.
  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="max-h-[32rem] overflow-auto rounded-md border font-mono text-sm" />;
}
