/** The workflow's rollout (docs/rollouts.md): read it, start one, and its four controls. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "../api/client";
import { wfvKeys } from "../api/keys";
import { ApiError, unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

import { cannotEditReason } from "./permissions";

export type Rollout = components["schemas"]["RolloutPublic"];
export type RolloutStep = components["schemas"]["RolloutStep"];
export type Control = "pause" | "resume" | "promote" | "abort";

const rolloutKey = (workflowId: string) => ["wfv", "workflow", workflowId, "rollout"] as const;
/** A running rollout steps on the worker's schedule: read it again this often. */
export const ROLLOUT_EVERY_MS = 10_000;

/** The rollout not over, else the latest; null when the workflow never had one. */
export function useRollout(workflowId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: rolloutKey(workflowId),
    queryFn: async ({ signal }) => {
      try {
        return unwrap(await api.GET("/api/v1/workflows/{workflow_id}/rollout", { params: { path: { workflow_id: workflowId } }, signal }));
      } catch (error) {
        if (error instanceof ApiError && error.problem.type === "/problems/rollout-not-found") return null;
        throw error;
      }
    },
    refetchInterval: (query) => (query.state.data?.state === "running" ? ROLLOUT_EVERY_MS : false),
  });
}

/** Each POST carries a fresh Idempotency-Key: a retry of the same click is not done twice. */
const once = () => ({ "idempotency-key": crypto.randomUUID() });

function useSettle(workflowId: string) {
  const queryClient = useQueryClient();
  return (rollout: Rollout) => {
    queryClient.setQueryData(rolloutKey(workflowId), rollout);
    void queryClient.invalidateQueries({ queryKey: wfvKeys.versions(workflowId) });
  };
}

export function useControl(workflowId: string) {
  const { api } = useWfv();
  const settle = useSettle(workflowId);
  return useMutation({
    mutationFn: async (control: Control) => {
      const init = { params: { path: { workflow_id: workflowId }, header: once() } };
      switch (control) {
        case "pause":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/rollout/pause", init));
        case "resume":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/rollout/resume", init));
        case "promote":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/rollout/promote", init));
        case "abort":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/rollout/abort", init));
      }
    },
    onSuccess: settle,
  });
}

export function useStartRollout(workflowId: string) {
  const { api } = useWfv();
  const settle = useSettle(workflowId);
  return useMutation({
    mutationFn: async ({ version, steps }: { version: number; steps: RolloutStep[] }) =>
      unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/rollout", {
          params: { path: { workflow_id: workflowId, version: String(version) }, header: once() },
          body: { steps },
        }),
      ),
    onSuccess: settle,
  });
}

/** Why the token cannot edit, or null: as far as the browser can tell (permissions.ts). */
export function useEditRefusal() {
  const { getToken } = useWfv();
  return useQuery({
    queryKey: ["wfv", "token", "edit-refusal"],
    queryFn: async () => cannotEditReason(await getToken()),
    staleTime: 60_000,
  });
}
