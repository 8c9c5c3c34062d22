import { EditorView } from "@codemirror/view";
import { render, screen } from "@testing-library/react";

import { WfvContext, type WfvContextValue } from "../provider/context";

import CodeMirrorEditor from "./CodeMirrorEditor";

// The real CodeMirror, as far as jsdom carries it: its text, its accessible name, an edit
// reported through onChange, and a value set from outside shown without being reported back.
test("CodeMirror shows the value, reports edits, and takes a value set from outside", () => {
  const onChange = vi.fn();
  const { rerender } = render(<CodeMirrorEditor id="json" label="Definition (JSON)" value='{"a": 1}' onChange={onChange} describedBy="state" />);
  const content = screen.getByRole("textbox", { name: "Definition (JSON)" });
  expect(content).toHaveTextContent('{"a": 1}');
  expect(content).toHaveAttribute("aria-describedby", "state");
  const view = EditorView.findFromDOM(content);
  expect(view).not.toBeNull();
  view?.dispatch({ changes: { from: 6, to: 7, insert: "2" } });
  expect(onChange).toHaveBeenLastCalledWith('{"a": 2}');

  onChange.mockClear();
  rerender(<CodeMirrorEditor id="json" label="Definition (JSON)" value='{"b": 3}' onChange={onChange} />);
  expect(view?.state.doc.toString()).toBe('{"b": 3}');
  // Reported too (the editor's updateListener sees every change); the auto-save ignores a text it set itself.
  expect(onChange).toHaveBeenLastCalledWith('{"b": 3}');
});

// Under a Content-Security-Policy without 'unsafe-inline' styles, CodeMirror's own <style>
// element applies only with the page's nonce, which the provider hands it.
test("CodeMirror's style element carries the provider's nonce", () => {
  const context = { cspNonce: "n0nce-from-the-page" } as WfvContextValue;
  render(
    <WfvContext.Provider value={context}>
      <CodeMirrorEditor id="json" label="Definition (JSON)" value="{}" onChange={() => undefined} />
    </WfvContext.Provider>,
  );
  const styles = [...document.querySelectorAll("style")].filter((style) => style.textContent?.includes(".cm-"));
  expect(styles.length).toBeGreaterThan(0);
  for (const style of styles) expect(style.getAttribute("nonce")).toBe("n0nce-from-the-page");
});
