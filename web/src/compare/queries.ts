/** The compare API: the comparison (JSON), and git's unified patch of the same pair (text). */
import { useQuery } from "@tanstack/react-query";

import { wfvKeys } from "../api/keys";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

import type { Comparison } from "./marks";

const compareKey = (workflowId: string, from: number, to: number, format: "json" | "patch") =>
  [...wfvKeys.all, "workflow", workflowId, "compare", from, to, format] as const;

export function useComparison(workflowId: string, from: number, to: number, enabled: boolean) {
  const { api } = useWfv();
  return useQuery({
    queryKey: compareKey(workflowId, from, to, "json"),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/compare", {
          params: { path: { workflow_id: workflowId }, query: { from: String(from), to: String(to) } },
          signal,
        }),
      ) as Comparison, // the route also answers text/x-diff (format=patch), which widens the type
    enabled,
  });
}

export function usePatch(workflowId: string, from: number, to: number, enabled: boolean) {
  const { api } = useWfv();
  return useQuery({
    queryKey: compareKey(workflowId, from, to, "patch"),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/compare", {
          params: { path: { workflow_id: workflowId }, query: { from: String(from), to: String(to), format: "patch" } },
          parseAs: "text",
          signal,
        }),
      ) as string,
    enabled,
  });
}
