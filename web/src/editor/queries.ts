/** A draft's working copy (docs/api.md#draft-auto-save): restore it, save it, commit it. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "../api/client";
import { wfvKeys } from "../api/keys";
import { ApiError, unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

export type Draft = components["schemas"]["DraftPublic"];
export type DraftSaved = components["schemas"]["DraftSaved"];
export type Definition = Draft["definition"];
export type ActionType = components["schemas"]["ActionTypePublic"];

export const draftKey = (workflowId: string, versionNumber: number) =>
  ["wfv", "workflow", workflowId, "version", String(versionNumber), "draft"] as const;

/** Your latest save of the draft, or null when you have none (the API's 404). */
export function useDraft(workflowId: string, versionNumber: number) {
  const { api } = useWfv();
  return useQuery({
    queryKey: draftKey(workflowId, versionNumber),
    queryFn: async ({ signal }) => {
      try {
        return unwrap(
          await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}/draft", {
            params: { path: { workflow_id: workflowId, version: String(versionNumber) } },
            signal,
          }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    // The editor owns the text once it is open: a refetch must not replace what is typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** The action types' catalogue, for the form of a step. */
export function useActionTypes() {
  const { api } = useWfv();
  return useQuery({
    queryKey: ["wfv", "action-types"] as const,
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/action-types", { signal })).items,
    staleTime: Infinity,
  });
}

export interface SaveRequest {
  revision: number;
  definition: Definition;
  /** Only what changed since `revision`, when it can be said; null: send the whole definition. */
  patch: Definition | null;
}

/**
 * One auto-save. A patch whose base the store lost (409 draft-base-unknown) is sent again at
 * once as the whole definition, as docs/api.md asks. Optimistic: the cached draft holds what
 * was sent while the save is under way, and goes back if it fails.
 */
export function useSaveDraft(workflowId: string, versionNumber: number) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  const key = draftKey(workflowId, versionNumber);
  return useMutation({
    // Never paused by TanStack Query (its default while it thinks the browser is offline,
    // "Saving…" for good): the save loop decides. It holds saves while the browser says it is
    // offline, and a save that fails anyway (no network behind an "online" browser) is kept.
    networkMode: "always",
    mutationFn: async ({ revision, definition, patch }: SaveRequest) => {
      const post = async (body: components["schemas"]["DraftSave"]) =>
        unwrap(
          await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/draft", {
            params: { path: { workflow_id: workflowId, version: String(versionNumber) } },
            body,
          }),
        );
      if (!patch) return post({ revision, definition });
      try {
        return await post({ revision, patch });
      } catch (error) {
        if (error instanceof ApiError && error.problem.resend === "definition") return post({ revision, definition });
        throw error;
      }
    },
    onMutate: async ({ revision, definition }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Draft | null>(key);
      const sending: Draft = { definition, revision, saved_at: before?.saved_at ?? new Date().toISOString() };
      queryClient.setQueryData(key, sending);
      return { before };
    },
    onError: (_error, _request, context) => {
      if (context) queryClient.setQueryData(key, context.before);
    },
    onSuccess: (saved, { definition }) => {
      const now: Draft = {
        definition: saved.merged && saved.definition ? saved.definition : definition,
        revision: saved.revision,
        saved_at: saved.saved_at,
      };
      queryClient.setQueryData(key, now);
    },
  });
}

/** Commit the working copy as the version's next edit: the version's lock and the revision seen. */
export function useCommitDraft(workflowId: string, versionNumber: number) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ lockVersion, revision }: { lockVersion: number; revision: number }) =>
      unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/draft/commit", {
          params: { path: { workflow_id: workflowId, version: String(versionNumber) } },
          body: { lock_version: lockVersion, revision },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: wfvKeys.versions(workflowId) });
      void queryClient.invalidateQueries({ queryKey: wfvKeys.version(workflowId, String(versionNumber)) });
    },
  });
}
