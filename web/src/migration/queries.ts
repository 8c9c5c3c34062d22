/**
 * The migration's calls (docs/api.md "Contacts in flight and migrations"): the dry run, the
 * start, the status read again while it runs, its controls, the executions a manual one
 * picks from, and the items it could not move.
 */
import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "../api/client";
import { wfvKeys } from "../api/keys";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

import { type Choice, migrationBody, type Pace } from "./plan";

export type Migration = components["schemas"]["MigrationPublic"];
export type MigrationPlan = components["schemas"]["MigrationPlan"];
export type Execution = components["schemas"]["ExecutionPublic"];
export type MigrationItem = components["schemas"]["MigrationItemPublic"];
export type MigrationControl = "pause" | "resume" | "cancel";
export type LiveStatus = "active" | "waiting";

/** A migration moves a batch in seconds: read it again this often until it is finished. */
export const MIGRATION_EVERY_MS = 2_000;
export const PAGE = 50;
const FINISHED: Migration["status"][] = ["completed", "cancelled", "failed"];
export const isFinished = (migration: Migration) => FINISHED.includes(migration.status);

const migrationKey = (workflowId: string, migrationId: string) => ["wfv", "workflow", workflowId, "migration", migrationId] as const;
/** Each POST that changes something carries a fresh Idempotency-Key: a retried click is not done twice. */
const once = () => ({ "idempotency-key": crypto.randomUUID() });

/** The migrate route answers a plan or a migration; the plan is the one that says dry_run. */
const isPlan = (answer: Migration | MigrationPlan): answer is MigrationPlan => "dry_run" in answer;

/** The action ids of each version's document, the same cache entries as useVersion. */
export function useActionIds(workflowId: string, numbers: number[]) {
  const { api } = useWfv();
  return useQueries({
    queries: numbers.map((number) => ({
      queryKey: wfvKeys.version(workflowId, String(number)),
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        unwrap(await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}", { params: { path: { workflow_id: workflowId, version: String(number) } }, signal })),
      select: (version: components["schemas"]["VersionDetail"]) => ((version.definition.actions ?? []) as components["schemas"]["Action"][]).map((action) => action.id),
    })),
  });
}

/** The dry run moves nothing, so it is read like a query: cached by what it was asked. */
export function useDryRun(workflowId: string, choice: Choice) {
  const { api } = useWfv();
  return useQuery({
    queryKey: ["wfv", "workflow", workflowId, "dry-run", choice] as const,
    queryFn: async ({ signal }) => {
      const answer = unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/migrate", {
          params: { path: { workflow_id: workflowId, version: String(choice.target) } },
          body: migrationBody(choice, { strategy: "immediate", batchSize: 5000, stepPercent: 10, intervalSeconds: 300, failurePercent: 5, executionIds: [] }, true),
          signal,
        }),
      );
      if (!isPlan(answer)) throw new Error("The dry run answered a migration, not a plan.");
      return answer;
    },
  });
}

export function useStartMigration(workflowId: string) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ choice, pace }: { choice: Choice; pace: Pace }) => {
      const answer = unwrap(
        await api.POST("/api/v1/workflows/{workflow_id}/versions/{version}/migrate", {
          params: { path: { workflow_id: workflowId, version: String(choice.target) }, header: once() },
          body: migrationBody(choice, pace, false),
        }),
      );
      if (isPlan(answer)) throw new Error("The migration answered a plan: nothing started.");
      return answer;
    },
    onSuccess: (migration) => {
      queryClient.setQueryData(migrationKey(workflowId, migration.id), migration);
      void queryClient.invalidateQueries({ queryKey: wfvKeys.versions(workflowId) });
    },
  });
}

export function useMigration(workflowId: string, migrationId: string) {
  const { api } = useWfv();
  return useQuery({
    queryKey: migrationKey(workflowId, migrationId),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/v1/workflows/{workflow_id}/migrations/{migration_id}", { params: { path: { workflow_id: workflowId, migration_id: migrationId } }, signal })),
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : MIGRATION_EVERY_MS),
  });
}

export function useMigrationControl(workflowId: string, migrationId: string) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    /** `failureThreshold` (a 0–1 share) only for resume; absent keeps the migration's own. */
    mutationFn: async ({ control, failureThreshold }: { control: MigrationControl; failureThreshold?: number | undefined }) => {
      const params = { path: { workflow_id: workflowId, migration_id: migrationId }, header: once() };
      switch (control) {
        case "pause":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/migrations/{migration_id}/pause", { params }));
        case "resume":
          return unwrap(
            await api.POST("/api/v1/workflows/{workflow_id}/migrations/{migration_id}/resume", {
              params,
              ...(failureThreshold !== undefined ? { body: { failure_threshold: failureThreshold } } : {}),
            }),
          );
        case "cancel":
          return unwrap(await api.POST("/api/v1/workflows/{workflow_id}/migrations/{migration_id}/cancel", { params }));
      }
    },
    onSuccess: (migration) => {
      queryClient.setQueryData(migrationKey(workflowId, migrationId), migration);
      void queryClient.invalidateQueries({ queryKey: wfvKeys.versions(workflowId) });
    },
  });
}

/** A source version's live executions, a page at a time, for a manual migration to pick from. */
export function useLiveExecutions(workflowId: string, version: number, status: LiveStatus) {
  const { api } = useWfv();
  return useInfiniteQuery({
    queryKey: ["wfv", "workflow", workflowId, "executions", version, status] as const,
    initialPageParam: null as string | null,
    getNextPageParam: (page: components["schemas"]["ExecutionList"]) => page.next_cursor,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/executions", {
          params: { path: { workflow_id: workflowId }, query: { version: String(version), status, limit: PAGE, cursor: pageParam } },
          signal,
        }),
      ),
  });
}

export function useFailedItems(workflowId: string, migrationId: string, enabled: boolean) {
  const { api } = useWfv();
  return useInfiniteQuery({
    queryKey: [...migrationKey(workflowId, migrationId), "failed"] as const,
    enabled,
    initialPageParam: null as string | null,
    getNextPageParam: (page: components["schemas"]["MigrationItemList"]) => page.next_cursor,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/migrations/{migration_id}/items", {
          params: { path: { workflow_id: workflowId, migration_id: migrationId }, query: { outcome: "failed", limit: PAGE, cursor: pageParam } },
          signal,
        }),
      ),
  });
}
