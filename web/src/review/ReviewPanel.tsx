/**
 * A draft's review (docs/api.md, "review a draft before it is published"): the open review
 * (or a button that opens one), its status and whether the draft may be published; the
 * draft's changes inline, each step's comments under it with a form to comment on it;
 * Approve / Request changes; the general thread; and the workflow's approval rule.
 *
 * Who the reader is and whether they are an admin come from the token (review/token.ts)
 * unless the host says so through `userId` and `admin`; either way only the server decides.
 */
import { useMemo } from "react";

import { useVersions } from "../api/queries";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { formatDate } from "../history/format";

import { CommentForm } from "./CommentForm";
import { type Review, useComment, useDraftEditors, useIdentity, useReview, useReviews, useStartReview, useVerdict } from "./queries";
import { RequiredApprovals } from "./RequiredApprovals";
import { ReviewDiff } from "./ReviewDiff";
import { commentsByStep, generalThread } from "./thread";
import { ThreadEvent } from "./ThreadEvent";
import { Verdicts } from "./Verdicts";

export interface ReviewPanelProps {
  workflowId: string;
  /** The draft's version number. */
  versionNumber: number;
  /** The reader's user id, when the host knows it better than the token's `sub`. */
  userId?: string;
  /** Whether the reader is an admin, when the host knows it better than the token's permissions. */
  admin?: boolean;
}

export const CANNOT_APPROVE = "You edited this draft, so you cannot approve it.";

function State({ review }: { review: Review }) {
  const { state } = review;
  const stale = state.stale_approvals.length ? ` Stale approvals (the draft changed since): ${state.stale_approvals.join(", ")}.` : "";
  return (
    <div className="grid gap-1 text-sm" role="status">
      <p>
        {state.publishable ? "Publishable: every approval needed is here." : `Not publishable yet: ${state.missing.join("; ") || "see the problems below"}.`}
      </p>
      <p className="text-muted-foreground">
        Approved by {state.approved_by.length ? state.approved_by.join(", ") : "no one yet"}
        {state.required_approvals ? ` (${state.required_approvals} needed)` : ""}
        {state.changes_requested_by.length ? `; changes requested by ${state.changes_requested_by.join(", ")}` : ""}.{stale}
      </p>
      {state.problems?.length ? (
        <ul aria-label="Problems in the draft" className="list-disc pl-5">
          {state.problems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function OpenReview({ workflowId, versionNumber, review, from, userId, cannotApprove }: {
  workflowId: string;
  versionNumber: number;
  review: Review;
  from: number | null;
  userId: string | null;
  cannotApprove: string | null;
}) {
  const stepComment = useComment(workflowId, versionNumber, review.id);
  const generalComment = useComment(workflowId, versionNumber, review.id);
  const verdict = useVerdict(workflowId, versionNumber, review.id, userId);
  const events = useMemo(() => review.events ?? [], [review.events]);
  const byStep = useMemo(() => commentsByStep(events), [events]);
  const open = review.status === "open";
  return (
    <>
      <h2 className="flex items-center gap-2 font-semibold">
        {review.title} <Badge variant={open ? "secondary" : "outline"}>{review.status}</Badge>
      </h2>
      <p className="text-muted-foreground text-sm">
        Opened by {review.opened_by} {formatDate(review.opened_at)}
        {review.closed_at ? `, ${review.status} ${formatDate(review.closed_at)}` : ""}.
      </p>
      <State review={review} />
      {open ? (
        <Verdicts
          cannotApprove={cannotApprove}
          busy={verdict.isPending}
          error={verdict.error}
          onVerdict={(given) => verdict.mutate(given)}
        />
      ) : null}
      {from !== null ? (
        <ReviewDiff
          workflowId={workflowId}
          from={from}
          to={versionNumber}
          comments={byStep}
          comment={
            open
              ? { onComment: (input, done) => stepComment.mutate(input, { onSuccess: done }), busy: stepComment.isPending, error: stepComment.error }
              : null
          }
        />
      ) : (
        <p className="text-sm">v{versionNumber} is the workflow's first version: there is nothing to compare it with.</p>
      )}
      <section aria-label="Thread" className="grid gap-2">
        <h3 className="font-semibold">Thread</h3>
        {generalThread(events).length ? (
          <ol className="grid gap-2">
            {generalThread(events).map((event) => (
              <ThreadEvent key={event.id} event={event} />
            ))}
          </ol>
        ) : (
          <p className="text-muted-foreground text-sm">No verdicts or general comments yet.</p>
        )}
        {open ? (
          <CommentForm
            actionId={null}
            busy={generalComment.isPending}
            error={generalComment.error}
            onComment={(input, done) => generalComment.mutate(input, { onSuccess: done })}
          />
        ) : null}
      </section>
    </>
  );
}

export function ReviewPanel({ workflowId, versionNumber, userId, admin }: ReviewPanelProps) {
  const versions = useVersions(workflowId);
  const reviews = useReviews(workflowId, versionNumber);
  const identity = useIdentity();
  const start = useStartReview(workflowId, versionNumber);
  const draft = versions.data?.find((version) => version.version_number === versionNumber) ?? null;
  const editors = useDraftEditors(workflowId, draft?.id ?? null);
  // The open review, else the newest (merged or closed), shown as it ended.
  // A review just opened is shown at once, before the list is read again.
  const listed = reviews.data?.find((review) => review.status === "open") ?? start.data ?? reviews.data?.[0] ?? null;
  const review = useReview(workflowId, listed?.id ?? null);

  if (versions.isPending || reviews.isPending || identity.isPending) return <p className="text-muted-foreground text-sm">Reading the review…</p>;
  if (versions.isError) return <p role="alert">Could not read the versions: {versions.error.message}</p>;
  if (reviews.isError) return <p role="alert">Could not read the reviews of v{versionNumber}: {reviews.error.message}</p>;
  if (!draft) return <p role="alert">This workflow has no v{versionNumber}.</p>;

  const reader = userId ?? identity.data?.userId ?? null;
  const isAdmin = admin ?? identity.data?.admin ?? null;
  const authors = new Set([draft.created_by, ...(editors.data ?? [])]);
  const cannotApprove = reader !== null && authors.has(reader) ? CANNOT_APPROVE : null;
  // What the draft is compared with: the version current when the review opened, else the
  // version it was made from, else the current one.
  const numberOf = (id: string | null | undefined) => versions.data.find((version) => version.id === id)?.version_number;
  const current = versions.data.find((version) => version.is_current)?.version_number;
  const from = numberOf(review.data?.base_version_id) ?? numberOf(draft.parent_version_id) ?? current ?? null;
  const canOpen = draft.status === "draft" && listed?.status !== "open";

  return (
    <section aria-label={`Review of v${versionNumber}`} className="flex flex-col gap-4">
      {review.data ? (
        <OpenReview workflowId={workflowId} versionNumber={versionNumber} review={review.data} from={from} userId={reader} cannotApprove={cannotApprove} />
      ) : listed && review.isError ? (
        <p role="alert">Could not read the review: {review.error.message}</p>
      ) : listed ? (
        <p className="text-muted-foreground text-sm">Reading the review…</p>
      ) : (
        <h2 className="font-semibold">v{versionNumber} has no review yet</h2>
      )}
      {canOpen ? (
        <div className="grid gap-2">
          {draft.status === "draft" && !listed ? <p className="text-sm">Open a review to comment on the draft's changes and approve it.</p> : null}
          <div>
            <Button onClick={() => start.mutate()} disabled={start.isPending}>
              Open a review
            </Button>
          </div>
          {start.isError ? <p role="alert">{start.error.message}</p> : null}
        </div>
      ) : null}
      {draft.status !== "draft" && !listed ? <p>v{versionNumber} is {draft.status}: only drafts are reviewed.</p> : null}
      <RequiredApprovals workflowId={workflowId} admin={isAdmin} />
    </section>
  );
}
