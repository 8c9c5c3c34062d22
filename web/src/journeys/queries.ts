/**
 * What the journey lookup reads: a contact's executions from the executions list
 * (`?contact=`, every version and status, past the journey's retention too), the version
 * numbers they ran on, one execution's journey, and where the contact was at an instant.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";

import type { components, WfvClient } from "../api/client";
import { ApiError, unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

export type AsOf = components["schemas"]["AsOf"];
export type JourneyEvent = components["schemas"]["JourneyEvent"];
type Execution = components["schemas"]["ExecutionPublic"];

/** One of the contact's executions as the lookup lists it: where it is now, or where it ended. */
export interface ContactExecution {
  execution_id: string;
  version_number: number | null;
  action_id: string | null;
  status: Execution["status"];
  enrolled_at: string;
  /** Its last change of position: when it ended, for one that has. */
  since: string;
}

/** A page of the list holds 1,000 at most; a contact re-entering more than this is cut here, said on screen. */
export const MAX_EXECUTIONS = 5_000;
const EXECUTIONS_PAGE = 1_000;
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

/** Every execution of the contact, in the list's order (by id), a page at a time. */
async function executionsOf(api: WfvClient, workflowId: string, contactId: string, signal: AbortSignal): Promise<Execution[]> {
  const found: Execution[] = [];
  let cursor: string | null = null;
  do {
    const page: components["schemas"]["ExecutionList"] = unwrap(
      await api.GET("/api/v1/workflows/{workflow_id}/executions", {
        params: { path: { workflow_id: workflowId }, query: { contact: contactId, limit: EXECUTIONS_PAGE, cursor } },
        signal,
      }),
    );
    found.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && found.length < MAX_EXECUTIONS);
  return found;
}

/** A version's number by its id: deleted versions too, a contact may have run on one. */
async function versionNumber(api: WfvClient, workflowId: string, versionId: string, signal: AbortSignal): Promise<number> {
  return unwrap(
    await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}", {
      params: { path: { workflow_id: workflowId, version: versionId } },
      signal,
    }),
  ).version_number;
}

/**
 * The contact's executions, newest enrolment first. The list answers in id order and names
 * versions by id, so they are sorted here and each version they ran on is read once.
 */
export function useContactExecutions(workflowId: string, contactId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: ["wfv", "workflow", workflowId, "contact", contactId, "executions"],
    enabled: contactId !== "",
    queryFn: async ({ signal }): Promise<ContactExecution[]> => {
      const executions = await executionsOf(api, workflowId, contactId, signal);
      const versionIds = [...new Set(executions.map((execution) => execution.version_id))];
      const numbers = new Map(
        await Promise.all(versionIds.map(async (id) => [id, await versionNumber(api, workflowId, id, signal)] as const)),
      );
      return executions
        .map((execution) => ({
          execution_id: execution.id,
          version_number: numbers.get(execution.version_id) ?? null,
          action_id: execution.current_action_id,
          status: execution.status,
          enrolled_at: execution.enrolled_at,
          since: execution.updated_at,
        }))
        .sort((a, b) => Date.parse(b.enrolled_at) - Date.parse(a.enrolled_at));
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
