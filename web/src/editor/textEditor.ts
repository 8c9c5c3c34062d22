/**
 * What the draft editor needs of a text editor: its value and a change. CodeMirror draws it
 * in the app; the tests put a plain textarea in its place (CodeMirror measures layout that
 * jsdom does not have), so the save logic is tested without it.
 */
export interface TextEditorProps {
  id: string;
  /** The accessible name of the text. */
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The id of the element describing the text (the save indicator). */
  describedBy?: string;
}
