/**
 * A migration of v1 and v2's live contacts to draft v3 (which lacks `reminder`), typed by
 * the generated client: the dry run, the migration as it runs, pauses and ends, its failed
 * items, and v2's live executions for a manual pick.
 */
import type { components } from "../api/client";
import { versions, workflows, WORKFLOW_ID } from "../test/answers";

import welcome from "../../../tests/examples/welcome-small.json";

type Schemas = components["schemas"];

const V1 = "11111111-1111-4111-8111-111111111111";
const V2 = "22222222-2222-4222-8222-222222222222";
const V3 = "33333333-3333-4333-8333-333333333333";
export const MIGRATION_ID = "eeeeeeee-0000-4000-8000-000000000005";
const BASE = `/api/v1/workflows/${WORKFLOW_ID}`;
export const MIGRATE = `${BASE}/versions/3/migrate`;
export const MIGRATION = `${BASE}/migrations/${MIGRATION_ID}`;

const definition = (actions: string[]) =>
  ({ ...welcome, actions: welcome.actions.filter((action) => actions.includes(action.id)) }) as unknown as Schemas["VersionDetail"]["definition"];
const detail = (base: Schemas["VersionPublic"], actions: string[]): Schemas["VersionDetail"] => ({ ...base, definition: definition(actions) });
const ALL = welcome.actions.map((action) => action.id);

export const plan: Schemas["MigrationPlan"] = {
  dry_run: true,
  target_version: 3,
  total: 10,
  plan: [
    { from_version: 1, from_action: "welcome", to_action: "welcome", outcome: "migrate", count: 3 },
    { from_version: 2, from_action: "reminder", to_action: "tips", outcome: "migrate", count: 2 },
    { from_version: 2, from_action: "welcome", to_action: "welcome", outcome: "migrate", count: 5 },
  ],
  unmappable: [],
  warnings: ["v2 -> v3: the action 'reminder' is removed"],
};

export const running: Schemas["MigrationPublic"] = {
  id: MIGRATION_ID,
  workflow_id: WORKFLOW_ID,
  target_version_id: V3,
  source_version_ids: [V2],
  strategy: "gradual",
  status: "running",
  status_reason: null,
  total: 40,
  migrated: 10,
  skipped: 0,
  failed: 2,
  rate_per_second: 2,
  eta_seconds: 330,
  eta_reason: null,
  step: 2,
  next_step_at: null,
  failure_threshold: 0.05,
  halt: null,
  created_by: "alice",
  created_at: "2026-12-07T03:00:00Z",
  started_at: "2026-12-07T03:00:01Z",
  finished_at: null,
};

export const halted: Schemas["MigrationPublic"] = {
  ...running,
  status: "paused",
  eta_seconds: null,
  eta_reason: "halted",
  halt: { step: 2, failed: 2, processed: 20, share: 0.1, threshold: 0.05, window_started_at: "2026-12-07T03:05:00Z", halted_at: "2026-12-07T03:06:00Z" },
};
export const paused: Schemas["MigrationPublic"] = { ...running, status: "paused", eta_seconds: null, eta_reason: "paused" };
export const finishedWithFailures: Schemas["MigrationPublic"] = {
  ...running,
  status: "completed",
  migrated: 38,
  failed: 2,
  eta_seconds: 0,
  finished_at: "2026-12-07T03:20:00Z",
};
export const cancelled: Schemas["MigrationPublic"] = { ...running, status: "cancelled", failed: 0, eta_seconds: 0, finished_at: "2026-12-07T03:10:00Z" };

export const failedItems: Schemas["MigrationItemList"] = {
  items: [
    { id: 1, execution_id: "0e000000-0000-4000-8000-000000000001", contact_id: "c-7", from_version_id: V2, from_action_id: "reminder", outcome: "failed", reason: "unmapped: 'reminder' is not in v3", created_at: "2026-12-07T03:01:00Z" },
    { id: 2, execution_id: "0e000000-0000-4000-8000-000000000002", contact_id: "c-9", from_version_id: V2, from_action_id: "reminder", outcome: "failed", reason: "unmapped: 'reminder' is not in v3", created_at: "2026-12-07T03:01:00Z" },
  ],
  next_cursor: null,
};

const execution = (n: number, action: string): Schemas["ExecutionPublic"] => ({
  id: `0e000000-0000-4000-8000-00000000010${n}`,
  workflow_id: WORKFLOW_ID,
  version_id: V1,
  contact_id: `c-${n}`,
  current_action_id: action,
  status: "active",
  enrolled_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
  last_migration_id: null,
  revision: 1,
});
export const liveExecutions: Schemas["ExecutionList"] = { items: [execution(1, "welcome"), execution(2, "welcome"), execution(3, "tips")], next_cursor: null };

const impact: Schemas["ImpactPreview"] = {
  target_version: 3,
  from_versions: [2],
  total: 7,
  counts: { unchanged: 5, changed_in_place: 0, timer_earlier: 0, timer_later: 0, remapped: 2, exits: 0, fails: 0, pinned: 0 },
  positions: [],
  contacts: null,
};

/** The versions list and documents (v3 without `reminder`), the workflow, the impact, the dry run, the executions. */
export const migrationRoutes: Record<string, unknown> = {
  [`GET /api/v1/workflows/${WORKFLOW_ID}`]: workflows.items[0],
  [`GET ${BASE}/versions`]: versions,
  [`GET ${BASE}/versions/1`]: detail(versions.items[2]!, ALL),
  [`GET ${BASE}/versions/2`]: detail(versions.items[1]!, ALL),
  [`GET ${BASE}/versions/3`]: detail(versions.items[0]!, ALL.filter((id) => id !== "reminder")),
  [`GET ${BASE}/versions/3/impact`]: impact,
  [`POST ${MIGRATE}`]: plan,
  [`GET ${BASE}/executions`]: liveExecutions,
  [`GET ${MIGRATION}`]: running,
  [`GET ${MIGRATION}/items`]: failedItems,
};
