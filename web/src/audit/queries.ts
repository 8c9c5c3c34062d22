/**
 * What the audit screen reads: `GET …/audit`, newest first, a keyset page at a time ("Load
 * more" sends the answer's `next_cursor`). The route filters by action itself, so a filter
 * is a new query, not a sieve over the rows already loaded.
 */
import { useInfiniteQuery } from "@tanstack/react-query";

import type { components } from "../api/client";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

export type AuditEntry = components["schemas"]["AuditPublic"];
export type AuditList = components["schemas"]["AuditList"];

export const AUDIT_PAGE = 50;

/** `action` null: every action. */
export function useAudit(workflowId: string, action: string | null) {
  const { api } = useWfv();
  return useInfiniteQuery({
    queryKey: ["wfv", "workflow", workflowId, "audit", action],
    initialPageParam: null as string | null,
    getNextPageParam: (page: AuditList) => page.next_cursor,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/audit", {
          params: {
            path: { workflow_id: workflowId },
            query: { limit: AUDIT_PAGE, ...(pageParam ? { cursor: pageParam } : {}), ...(action ? { action } : {}) },
          },
          signal,
        }),
      ),
  });
}
