/** What the components read, one hook per answer of the API, cached by TanStack Query. */
import { useQuery } from "@tanstack/react-query";

import { useWfv } from "../provider/context";

import type { components } from "./client";
import { wfvKeys } from "./keys";
import { unwrap } from "./problem";

type Workflow = components["schemas"]["WorkflowPublic"];

/** The API pages workflows by 200 at most and has no name filter: read every page, search here. */
const MAX_PAGES = 25;
/** Live counts move while a screen is open: read them again this often. */
export const SUMMARY_EVERY_MS = 10_000;

export function useWorkflows() {
  const { api } = useWfv();
  return useQuery({
    queryKey: wfvKeys.workflows(),
    queryFn: async ({ signal }) => {
      const items: Workflow[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const answer: components["schemas"]["WorkflowList"] = unwrap(
          await api.GET("/api/v1/workflows", { params: { query: { limit: 200, cursor } }, signal }),
        );
        items.push(...answer.items);
        cursor = answer.next_cursor;
        if (!cursor) break;
      }
      return items;
    },
  });
}

/** The workflow's row (`GET …/workflows/{id}`); `enabled` false reads nothing yet. */
export function useWorkflow(workflowId: string, enabled = true) {
  const { api } = useWfv();
  return useQuery({
    queryKey: wfvKeys.workflow(workflowId),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/workflows/{workflow_id}", { params: { path: { workflow_id: workflowId } }, signal })),
    enabled,
  });
}

export function useVersions(workflowId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: wfvKeys.versions(workflowId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions", {
          params: { path: { workflow_id: workflowId }, query: { limit: 200 } },
          signal,
        }),
      ).items,
  });
}

export function useVersion(workflowId: string, version: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: wfvKeys.version(workflowId, version),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}", {
          params: { path: { workflow_id: workflowId, version } },
          signal,
        }),
      ),
  });
}

export function useExecutionSummary(workflowId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: wfvKeys.summary(workflowId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/executions/summary", {
          params: { path: { workflow_id: workflowId } },
          signal,
        }),
      ),
    refetchInterval: SUMMARY_EVERY_MS,
  });
}
