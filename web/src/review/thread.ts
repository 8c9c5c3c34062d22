/**
 * A review's thread read for the screen: comments by the step they are about, the rest in
 * the general thread, and a verdict added before the server has answered (its id is
 * negative until the server's review replaces it).
 */
import type { components } from "../api/client";

type Review = components["schemas"]["ReviewPublic"];
type ReviewEvent = components["schemas"]["ReviewEventPublic"];
type Verdict = components["schemas"]["VerdictCreate"]["verdict"];

/** The text the server gives a verdict without a body. */
export const VERDICT_TEXT: Record<Verdict, string> = { approve: "Approved", request_changes: "Changes requested" };

/** An event the server has not confirmed yet. */
export const isSending = (event: ReviewEvent) => event.id < 0;

/** Comments anchored to a step, by its action id, in the thread's order. */
export function commentsByStep(events: readonly ReviewEvent[]): Map<string, ReviewEvent[]> {
  const byStep = new Map<string, ReviewEvent[]>();
  for (const event of events) {
    if (event.kind !== "comment" || event.action_id === null) continue;
    byStep.set(event.action_id, [...(byStep.get(event.action_id) ?? []), event]);
  }
  return byStep;
}

/** The thread without the comments shown beside their steps: general comments and verdicts. */
export const generalThread = (events: readonly ReviewEvent[]) => events.filter((event) => event.kind !== "comment" || event.action_id === null);

/** The review as it will be once the verdict is taken: the event appended, the reviewer's latest verdict counted. */
export function withVerdict(review: Review, verdict: Verdict, userId: string | null): Review {
  const author = userId ?? "you";
  const event: ReviewEvent = {
    id: -Date.now(),
    kind: verdict,
    author_id: author,
    body: VERDICT_TEXT[verdict],
    action_id: null,
    json_path: null,
    lock_version: 0,
    commit_sha: "",
    created_at: new Date().toISOString(),
    stale: false,
  };
  const others = (ids: string[]) => ids.filter((id) => id !== author);
  const state = review.state;
  return {
    ...review,
    events: [...(review.events ?? []), event],
    state: {
      ...state,
      approved_by: verdict === "approve" ? [...others(state.approved_by), author] : others(state.approved_by),
      changes_requested_by: verdict === "request_changes" ? [...others(state.changes_requested_by), author] : others(state.changes_requested_by),
    },
  };
}
