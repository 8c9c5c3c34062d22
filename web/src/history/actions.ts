/**
 * What the history can do to a version (docs/api.md): copy it into a new draft, publish a
 * draft, roll back to a published version, delete a draft. One mutation for the four, so
 * the panel has one place for the last answer: its success sentence or the server's refusal.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "../api/client";
import { wfvKeys } from "../api/keys";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";
import { identityOf } from "../review/token";

type Version = components["schemas"]["VersionPublic"];
export type ActionKind = "draft" | "publish" | "rollback" | "delete";

export interface VersionAction {
  kind: ActionKind;
  version: Pick<Version, "version_number" | "lock_version">;
}

export interface ActionDone {
  kind: ActionKind;
  /** The version the action was asked of. */
  from: number;
  /** The version the API answered with: the new draft, the published one, the rollback's copy, the deleted draft. */
  answer: Version;
}

/** Each POST carries a fresh Idempotency-Key: a retry of the same click is not done twice. */
const once = () => ({ "idempotency-key": crypto.randomUUID() });

/** The actions a version's status allows; the server still refuses what it must. */
export function actionsFor(version: Pick<Version, "status" | "is_current" | "deleted_at">): ActionKind[] {
  if (version.deleted_at) return [];
  if (version.status === "draft") return ["publish", "delete"];
  // A rollback refuses the current version and archived ones (409): offer it on the others.
  if (version.status === "active" && !version.is_current) return ["draft", "rollback"];
  return ["draft"];
}

export function useVersionAction(workflowId: string) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, version }: VersionAction): Promise<ActionDone> => {
      const path = { workflow_id: workflowId, version: String(version.version_number) };
      const answer = await (async (): Promise<Version> => {
        switch (kind) {
          case "draft":
            return unwrap(
              await api.POST("/api/v1/workflows/{workflow_id}/versions", {
                params: { path: { workflow_id: workflowId }, header: once() },
                body: { from_version: version.version_number },
              }),
            );
          case "publish":
            // The lock the reader saw: a draft edited since is a 409, never published unseen.
            return unwrap(
              await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/publish", {
                params: { path, header: once() },
                body: { lock_version: version.lock_version },
              }),
            );
          case "rollback":
            return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/rollback", { params: { path, header: once() } }));
          case "delete":
            return unwrap(
              await api.DELETE("/api/v1/workflows/{workflow_id}/versions/{version}", {
                params: { path, header: { "if-match": `"${version.lock_version}"` } },
              }),
            );
        }
      })();
      return { kind, from: version.version_number, answer };
    },
    // After a refusal too: a stale lock or a version moved means the rows on screen are old,
    // and a retry must send the lock the server holds now (the refusal's words stay shown).
    onSettled: () => {
      // Every key of the workflow: the versions list, each version, the live counts, the
      // review a publish merges, the rollout and impact that name the current version.
      void queryClient.invalidateQueries({ queryKey: ["wfv", "workflow", workflowId] });
      // The workflows list carries each one's current_version_id.
      void queryClient.invalidateQueries({ queryKey: wfvKeys.workflows() });
    },
  });
}

/** Whether the token holds workflows:admin, as far as the browser can tell (review/token.ts). */
export function useAdmin() {
  const { getToken } = useWfv();
  return useQuery({
    queryKey: ["wfv", "token", "identity"],
    queryFn: async () => identityOf(await getToken()),
    staleTime: 60_000,
    select: (identity) => identity.admin,
  });
}

/** A refusal that only a review can lift: the workflow's approval rule or a request for changes. */
export function needsReview(problem: { type?: string; status?: number }): boolean {
  return problem.type === "/problems/publish-blocked" || (/approv|review/i.test(problem.type ?? "") && (problem.status === 409 || problem.status === 422));
}
