/**
 * What the journey lookup reads. The API lists executions by version, status or action but
 * not by contact, so a contact's executions are found through its history instead: the
 * as-of answer for now names its newest execution; the instant before that execution's
 * first kept event names the one before, and so on until `not-enrolled-then`. Each step is
 * two small reads, and only executions whose events are still kept are found.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";

import type { components, WfvClient } from "../api/client";
import { ApiError, unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

export type AsOf = components["schemas"]["AsOf"];
export type JourneyEvent = components["schemas"]["JourneyEvent"];

/** Enough for any contact's re-entries; a longer history stops here, said on screen. */
export const MAX_EXECUTIONS = 20;
export const JOURNEY_PAGE = 50;
const NOT_ENROLLED_THEN = "/problems/not-enrolled-then";

export const isNotEnrolledThen = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 404 && error.problem.type === NOT_ENROLLED_THEN;

async function asOf(api: WfvClient, workflowId: string, contactId: string, at: string, signal: AbortSignal): Promise<AsOf | null> {
  try {
    return unwrap(
      await api.GET("/api/v1/workflows/{workflow_id}/contacts/{contact_id}/as-of", {
        params: { path: { workflow_id: workflowId, contact_id: contactId }, query: { at } },
        signal,
      }),
    );
  } catch (error) {
    if (isNotEnrolledThen(error)) return null;
    throw error;
  }
}

/** The contact's executions, newest first, each as where it is (or ended) now. */
export function useContactExecutions(workflowId: string, contactId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: ["wfv", "workflow", workflowId, "contact", contactId, "executions"],
    enabled: contactId !== "",
    queryFn: async ({ signal }) => {
      const found: AsOf[] = [];
      // An instant in the future answers where the contact is now.
      let at = new Date(Date.now() + 60_000).toISOString();
      while (found.length < MAX_EXECUTIONS) {
        const latest = await asOf(api, workflowId, contactId, at, signal);
        if (!latest || found.some((known) => known.execution_id === latest.execution_id)) break;
        found.push(latest);
        const first = unwrap(
          await api.GET("/api/v1/workflows/{workflow_id}/executions/{execution_id}/journey", {
            params: { path: { workflow_id: workflowId, execution_id: latest.execution_id }, query: { limit: 1 } },
            signal,
          }),
        ).items[0];
        at = new Date(Date.parse(first?.at ?? latest.since) - 1000).toISOString();
      }
      return found;
    },
  });
}

/** One execution's journey, oldest first, a page at a time ("load more"). */
export function useJourney(workflowId: string, executionId: string) {
  const { api } = useWfv();
  return useInfiniteQuery({
    queryKey: ["wfv", "workflow", workflowId, "journey", executionId],
    initialPageParam: null as string | null,
    getNextPageParam: (page: components["schemas"]["JourneyPage"]) => page.next_cursor,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/executions/{execution_id}/journey", {
          params: { path: { workflow_id: workflowId, execution_id: executionId }, query: { limit: JOURNEY_PAGE, cursor: pageParam } },
          signal,
        }),
      ),
  });
}

/** Where the contact was at `at` (ISO 8601 with an offset); null: not enrolled then. */
export function useAsOf(workflowId: string, contactId: string, at: string | null) {
  const { api } = useWfv();
  return useQuery({
    queryKey: ["wfv", "workflow", workflowId, "contact", contactId, "as-of", at],
    enabled: contactId !== "" && at !== null,
    queryFn: ({ signal }) => asOf(api, workflowId, contactId, at ?? "", signal),
  });
}
