/**
 * API answers for the component tests, typed by the generated client's types (so a field the
 * API renames fails `npm run typecheck`), with the documents of tests/examples/.
 */
import type { components } from "../api/client";

import incomplete from "../../../tests/examples/incomplete.json";
import welcome from "../../../tests/examples/welcome-small.json";

type Schemas = components["schemas"];

export const WORKFLOW_ID = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
export const DRAFTS_ID = "0d5e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const V1 = "11111111-1111-4111-8111-111111111111";
const V2 = "22222222-2222-4222-8222-222222222222";
const V3 = "33333333-3333-4333-8333-333333333333";

export const workflows: Schemas["WorkflowList"] = {
  items: [
    { id: WORKFLOW_ID, name: "Welcome series", current_version_id: V2, required_approvals: 0, created_at: "2026-11-02T09:00:00Z", created_by: "alice" },
    { id: DRAFTS_ID, name: "Win-back (draft)", current_version_id: null, required_approvals: 1, created_at: "2026-11-20T15:30:00Z", created_by: "bob" },
  ],
  next_cursor: null,
};

const version = (overrides: Partial<Schemas["VersionPublic"]> & Pick<Schemas["VersionPublic"], "id" | "version_number">): Schemas["VersionPublic"] => ({
  workflow_id: WORKFLOW_ID,
  status: "active",
  is_current: false,
  lock_version: 1,
  commit_sha: "4d8fda2c0ffee0000000000000000000000000ab",
  parent_version_id: null,
  rollback_of_version_id: null,
  created_by: "alice",
  created_at: "2026-11-02T09:00:00Z",
  published_by: "alice",
  published_at: "2026-11-02T10:00:00Z",
  deleted_at: null,
  active_executions: 0,
  drain: null,
  ...overrides,
});

/** The versions list, newest first: a draft, the current version, and v1 draining. */
export const versions: Schemas["VersionList"] = {
  items: [
    version({ id: V3, version_number: 3, status: "draft", created_by: "bob", created_at: "2026-12-01T08:15:00Z", published_by: null, published_at: null }),
    version({
      id: V2,
      version_number: 2,
      is_current: true,
      parent_version_id: V1,
      created_at: "2026-11-20T11:00:00Z",
      published_at: "2026-11-21T12:30:00Z",
      active_executions: 7,
      drain: { state: "enrolling", departed: 2, rate_per_hour: 0.08, empty_by: null },
    }),
    version({
      id: V1,
      version_number: 1,
      active_executions: 3,
      drain: { state: "draining", departed: 12, rate_per_hour: 0.5, empty_by: "2026-12-07T06:00:00Z" },
    }),
  ],
  next_cursor: null,
};

const changeSummary = (text: string, parent: number | null): Schemas["ChangeSummary"] => ({
  parent_version_number: parent,
  actions_added: 0,
  actions_removed: 0,
  actions_modified: 0,
  actions_moved: 0,
  trigger_changed: false,
  conditions_changed: false,
  settings_changed: false,
  text,
});

/** The same list with each version's change summary, as the API serves it. */
export const versionsWithSummaries = {
  items: versions.items.map((item, index) => ({
    ...item,
    change_summary: [changeSummary("1 action added", 2), changeSummary("1 action removed, 2 modified; trigger changed", 1), null][index] ?? null,
  })),
  next_cursor: null,
};

const detail = (base: Schemas["VersionPublic"], definition: unknown): Schemas["VersionDetail"] => ({
  ...base,
  definition: definition as Schemas["VersionDetail"]["definition"],
});

export const currentVersion = detail(versions.items[1]!, welcome);
export const incompleteDraft = detail(versions.items[0]!, incomplete);

/** Contacts of v2 on welcome (4 active + 1 waiting), wait-1d (2 waiting), not yet at a step (1); v1 and finished ones are not v2's live. */
export const summary: Schemas["ExecutionSummary"] = {
  items: [
    { version_id: V2, version_number: 2, action_id: "welcome", status: "active", count: 4 },
    { version_id: V2, version_number: 2, action_id: "welcome", status: "waiting", count: 1 },
    { version_id: V2, version_number: 2, action_id: "wait-1d", status: "waiting", count: 2 },
    { version_id: V2, version_number: 2, action_id: null, status: "active", count: 1 },
    { version_id: V2, version_number: 2, action_id: "tips", status: "completed", count: 9 },
    { version_id: V1, version_number: 1, action_id: "tips", status: "waiting", count: 3 },
  ],
  total: 20,
};

export const created: Schemas["WorkflowCreated"] = {
  id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  name: "Onboarding",
  current_version_id: null,
  required_approvals: 0,
  created_at: "2026-12-06T23:00:00Z",
  created_by: "alice",
  version: version({
    id: "44444444-4444-4444-8444-444444444444",
    workflow_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    version_number: 1,
    status: "draft",
    published_by: null,
    published_at: null,
  }),
};

export const routes = {
  "GET /api/v1/workflows": workflows,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/versions`]: versions,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/2`]: currentVersion,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/3`]: incompleteDraft,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/executions/summary`]: summary,
};
