/**
 * What is being reviewed, inline: the draft against the version it is compared with, as the
 * compare screen lists it (every changed step; the selected one's field changes and
 * breaking changes, from compare/StepPanel), with each step's comments under it and a form
 * to comment on it. Steps commented on but unchanged are listed too, so no comment hides.
 * No graphs are drawn here (the compare view has them): the list says the same in words.
 */
import { useMemo, useState } from "react";

import { Button } from "../components/ui/button";
import { TRIGGER_ID } from "../graph/layout";
import { type Marked, marksOf } from "../compare/marks";
import { Patch } from "../compare/Patch";
import { useComparison } from "../compare/queries";
import { StepPanel } from "../compare/StepPanel";

import { CommentForm } from "./CommentForm";
import type { CommentInput, ReviewEvent } from "./queries";
import { ThreadEvent } from "./ThreadEvent";

export interface ReviewDiffProps {
  workflowId: string;
  /** The version the draft is compared with, and the draft. */
  from: number;
  to: number;
  /** Comments by the action id they are about (thread.ts). */
  comments: Map<string, ReviewEvent[]>;
  /** Null while the review is not open: its comments show, no form does. */
  comment: { onComment: (input: CommentInput, done: () => void) => void; busy: boolean; error: Error | null } | null;
}

/** Comments anchor to the draft's actions: not the trigger, conditions, settings or a removed step. */
const anchorable = (marked: Marked | null, key: string) => key !== TRIGGER_ID && !key.startsWith("@") && marked?.change?.kind !== "removed";

export function ReviewDiff({ workflowId, from, to, comments, comment }: ReviewDiffProps) {
  const same = from === to;
  const comparison = useComparison(workflowId, from, to, !same);
  const marks = useMemo(() => (comparison.data ? marksOf(comparison.data) : null), [comparison.data]);
  const [selected, setSelected] = useState<string | null>(null);
  const [patch, setPatch] = useState(false);

  if (same) return <p>The draft is compared with itself: there is nothing to show.</p>;
  if (comparison.isPending) return <p className="text-muted-foreground text-sm">Comparing v{from} and v{to}…</p>;
  if (comparison.isError) return <p role="alert">Could not compare v{from} and v{to}: {comparison.error.message}</p>;
  const changed = marks?.changed ?? [];
  const commentedOnly = [...comments.keys()].filter((key) => !changed.some((each) => each.key === key));
  const marked = changed.find((each) => each.key === selected) ?? null;
  const stepComments = selected !== null ? (comments.get(selected) ?? []) : [];

  return (
    <section aria-label={`Changes from v${from} to v${to}`} className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 className="font-semibold">
          v{from} → v{to}: {comparison.data.summary}
          {comparison.data.breaking.length ? `; ${comparison.data.breaking.length} breaking` : ""}
        </h3>
        <Button variant="outline" size="sm" aria-pressed={patch} onClick={() => setPatch(!patch)}>
          {patch ? "Show the steps" : "Show git's patch"}
        </Button>
      </div>
      {patch ? (
        <Patch workflowId={workflowId} from={from} to={to} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-[16rem_1fr]">
          <nav aria-label="Changed steps">
            <ul className="grid gap-1">
              {changed.map((each) => (
                <li key={each.key}>
                  <Button variant={each.key === selected ? "secondary" : "ghost"} size="sm" aria-pressed={each.key === selected} onClick={() => setSelected(each.key)}>
                    <span className="font-mono">{each.title}</span>
                    {each.change ? ` ${each.change.kind}` : ""}
                    {each.breaking.length ? " ⚠" : ""}
                    {comments.get(each.key)?.length ? ` (${comments.get(each.key)?.length} comments)` : ""}
                  </Button>
                </li>
              ))}
              {commentedOnly.map((key) => (
                <li key={key}>
                  <Button variant={key === selected ? "secondary" : "ghost"} size="sm" aria-pressed={key === selected} onClick={() => setSelected(key)}>
                    <span className="font-mono">{key}</span> unchanged ({comments.get(key)?.length} comments)
                  </Button>
                </li>
              ))}
            </ul>
            {changed.length === 0 ? <p className="text-sm">{`v${from} and v${to} have no differences: their documents are the same.`}</p> : null}
          </nav>
          <div className="grid content-start gap-3">
            <StepPanel selected={selected} marked={marked} from={from} to={to} />
            {selected !== null ? (
              <section aria-label={`Comments on ${marked?.title ?? selected}`} className="grid gap-2">
                {stepComments.length ? (
                  <ul className="grid gap-2">
                    {stepComments.map((event) => (
                      <ThreadEvent key={event.id} event={event} />
                    ))}
                  </ul>
                ) : (
                  <p className="text-muted-foreground text-sm">No comments on this step.</p>
                )}
                {comment && anchorable(marked, selected) ? (
                  <CommentForm
                    key={selected}
                    actionId={selected}
                    paths={marked?.change?.fields?.map((field) => field.path) ?? []}
                    busy={comment.busy}
                    error={comment.error}
                    onComment={comment.onComment}
                  />
                ) : comment ? (
                  <p className="text-muted-foreground text-sm">Comments anchor to the draft's actions: say what you see here in the thread below.</p>
                ) : null}
              </section>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
