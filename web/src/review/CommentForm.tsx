/**
 * A comment's text, and for a step an optional JSON path in it (the changed fields are
 * offered): sent as the server's CommentCreate. Its refusal is shown under the form.
 */
import { type FormEvent, useId, useState } from "react";

import { Button } from "../components/ui/button";
import { Input } from "../components/ui/input";

import type { CommentInput } from "./queries";

export interface CommentFormProps {
  /** What the comment is about, for its label: a step's id, or null for the general thread. */
  actionId: string | null;
  /** Paths offered for the field (the step's changed fields). */
  paths?: readonly string[];
  busy: boolean;
  error: Error | null;
  onComment: (input: CommentInput, done: () => void) => void;
}

export function CommentForm({ actionId, paths = [], busy, error, onComment }: CommentFormProps) {
  const [body, setBody] = useState("");
  const [path, setPath] = useState("");
  const id = useId();
  const label = actionId === null ? "Comment on the draft" : `Comment on ${actionId}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = body.trim();
    if (!text) return;
    onComment({ body: text, ...(actionId !== null ? { actionId } : {}), ...(path.trim() ? { path: path.trim() } : {}) }, () => {
      setBody("");
      setPath("");
    });
  };
  return (
    <form aria-label={`New ${label.toLowerCase()}`} onSubmit={submit} className="grid gap-2">
      <label htmlFor={`${id}-body`} className="text-sm font-medium">
        {label}
      </label>
      <textarea
        id={`${id}-body`}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        rows={3}
        className="border-input focus-visible:border-ring focus-visible:ring-ring/50 rounded-md border bg-transparent px-3 py-2 text-sm outline-none focus-visible:ring-[3px]"
      />
      {actionId !== null ? (
        <>
          <label htmlFor={`${id}-path`} className="text-sm">
            Field path (optional)
          </label>
          <Input id={`${id}-path`} value={path} list={`${id}-paths`} placeholder="config.template" onChange={(event) => setPath(event.target.value)} />
          <datalist id={`${id}-paths`}>
            {paths.map((each) => (
              <option key={each} value={each} />
            ))}
          </datalist>
        </>
      ) : null}
      <div>
        <Button type="submit" size="sm" disabled={busy || !body.trim()}>
          Comment
        </Button>
      </div>
      {error ? <p role="alert">{error.message}</p> : null}
    </form>
  );
}
