/**
 * A draft's review (docs/api.md, "review a draft before it is published"): the reviews of the
 * version, the open one's thread and state, comments, verdicts (shown at once, taken back
 * if the server refuses), and the workflow's approval rule.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "../api/client";
import { wfvKeys } from "../api/keys";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

import { withVerdict } from "./thread";
import { identityOf } from "./token";

export type Review = components["schemas"]["ReviewPublic"];
export type ReviewEvent = components["schemas"]["ReviewEventPublic"];
export type Verdict = components["schemas"]["VerdictCreate"]["verdict"];
export type Workflow = components["schemas"]["WorkflowPublic"];

const reviewsKey = (workflowId: string, version: number) => ["wfv", "workflow", workflowId, "version", String(version), "reviews"] as const;
const reviewKey = (workflowId: string, reviewId: string) => ["wfv", "workflow", workflowId, "review", reviewId] as const;
const editorsKey = (workflowId: string, versionId: string) => ["wfv", "workflow", workflowId, "editors", versionId] as const;

/** Each POST carries a fresh Idempotency-Key: a retry of the same click is not done twice. */
const once = () => ({ "idempotency-key": crypto.randomUUID() });

/** The version's reviews, newest first. */
export function useReviews(workflowId: string, version: number) {
  const { api } = useWfv();
  return useQuery({
    queryKey: reviewsKey(workflowId, version),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}/reviews", {
          params: { path: { workflow_id: workflowId, version: String(version) } },
          signal,
        }),
      ).items,
  });
}

/** One review with its thread and whether the draft may be published. */
export function useReview(workflowId: string, reviewId: string | null) {
  const { api } = useWfv();
  return useQuery({
    queryKey: reviewKey(workflowId, reviewId ?? ""),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/reviews/{review_id}", {
          params: { path: { workflow_id: workflowId, review_id: reviewId ?? "" } },
          signal,
        }),
      ),
    enabled: reviewId !== null,
  });
}

/** An answer holding the whole review replaces the cached one; the list is read again. */
function useSettle(workflowId: string, version: number) {
  const queryClient = useQueryClient();
  return (review: Review) => {
    queryClient.setQueryData(reviewKey(workflowId, review.id), review);
    void queryClient.invalidateQueries({ queryKey: reviewsKey(workflowId, version) });
  };
}

export function useStartReview(workflowId: string, version: number) {
  const { api } = useWfv();
  const settle = useSettle(workflowId, version);
  return useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/reviews", {
          params: { path: { workflow_id: workflowId, version: String(version) }, header: once() },
          body: {},
        }),
      ),
    onSuccess: settle,
  });
}

export interface CommentInput {
  body: string;
  /** The step it is about; absent for a general comment. */
  actionId?: string;
  /** A JSON path in the step (`config.template`), when the comment is about one field. */
  path?: string;
}

export function useComment(workflowId: string, version: number, reviewId: string) {
  const { api } = useWfv();
  const settle = useSettle(workflowId, version);
  return useMutation({
    mutationFn: async ({ body, actionId, path }: CommentInput) =>
      unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/reviews/{review_id}/comments", {
          params: { path: { workflow_id: workflowId, review_id: reviewId }, header: once() },
          body: { body, ...(actionId ? { action_id: actionId } : {}), ...(path ? { path } : {}) },
        }),
      ),
    onSuccess: settle,
  });
}

/**
 * A verdict shows in the thread as soon as it is given (the issue asks for it: a reviewer
 * sees their click count), and is taken back if the server refuses it: the cache holds the
 * review as it was, and the refusal's detail is shown by the panel.
 */
export function useVerdict(workflowId: string, version: number, reviewId: string, userId: string | null) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  const settle = useSettle(workflowId, version);
  const key = reviewKey(workflowId, reviewId);
  return useMutation({
    mutationFn: async (verdict: Verdict) =>
      unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/reviews/{review_id}/verdicts", {
          params: { path: { workflow_id: workflowId, review_id: reviewId }, header: once() },
          body: { verdict },
        }),
      ),
    onMutate: async (verdict) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Review>(key);
      if (before) queryClient.setQueryData(key, withVerdict(before, verdict, userId));
      return { before };
    },
    onError: (_error, _verdict, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSuccess: settle,
  });
}

/** An admin's change of the approval rule: every open review's state follows it. */
export function useRequiredApprovals(workflowId: string) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (requiredApprovals: number) =>
      unwrap(
        await api.PATCH("/api/v1/workflows/{workflow_id}", {
          params: { path: { workflow_id: workflowId } },
          body: { required_approvals: requiredApprovals },
        }),
      ),
    onSuccess: (workflow) => {
      queryClient.setQueryData(wfvKeys.workflow(workflowId), workflow);
      void queryClient.invalidateQueries({ queryKey: ["wfv", "workflow", workflowId, "review"] });
      void queryClient.invalidateQueries({ queryKey: wfvKeys.workflows() });
    },
  });
}

/**
 * Who edited the draft after creating it, from its audit entries (the server refuses their
 * approvals too). The trail may be closed to the reader: then only the creator is known.
 */
export function useDraftEditors(workflowId: string, versionId: string | null) {
  const { api } = useWfv();
  return useQuery({
    queryKey: editorsKey(workflowId, versionId ?? ""),
    queryFn: async ({ signal }) => {
      const answer = await api.GET("/api/v1/workflows/{workflow_id}/audit", {
        params: { path: { workflow_id: workflowId }, query: { version_id: versionId, action: "update", limit: 200 } },
        signal,
      });
      return answer.data ? [...new Set(answer.data.items.map((entry) => entry.actor_id))] : [];
    },
    enabled: versionId !== null,
  });
}

/** The reader as the token tells it (token.ts); the panel's props win over it. */
export function useIdentity() {
  const { getToken } = useWfv();
  return useQuery({
    queryKey: ["wfv", "token", "identity"],
    queryFn: async () => identityOf(await getToken()),
    staleTime: 60_000,
  });
}
