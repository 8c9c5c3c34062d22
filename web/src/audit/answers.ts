/**
 * Audit answers of the test workflow, typed by the generated client and shaped as `wfv serve`
 * answers them (times in its one form, schemas/timestamps.py; details as
 * service/versions/editing.py writes them): two pages, newest first.
 */
import type { components } from "../api/client";
import { WORKFLOW_ID } from "../test/answers";

type Entry = components["schemas"]["AuditPublic"];
type Page = components["schemas"]["AuditList"];

const V1 = "11111111-1111-4111-8111-111111111111";
const V2 = "22222222-2222-4222-8222-222222222222";
export const NEXT = "eyJpZCI6IDN9";

const entry = (id: number, action: string, actor: string, at: string, details: Entry["details"], versionId: string | null = V2): Entry => ({
  id,
  action,
  workflow_id: WORKFLOW_ID,
  version_id: versionId,
  actor_id: actor,
  created_at: at,
  details,
});

export const firstPage: Page = {
  items: [
    entry(5, "legal_hold", "carol", "2026-12-01T09:30:00.123456Z", { version_number: 2, reason: "<b>litigation</b> hold", previous_reason: null }),
    entry(4, "publish", "bob", "2026-11-30T16:00:00.000000Z", { version_number: 2, previous_current: 1 }),
    entry(3, "update", "alice", "2026-11-30T15:00:00.000000Z", { version_number: 2, before: { status: "draft", lock_version: 1 }, after: { status: "draft", lock_version: 2 } }),
  ],
  next_cursor: NEXT,
};

export const secondPage: Page = {
  items: [
    entry(2, "publish", "alice", "2026-11-02T10:00:00.000000Z", { version_number: 1, previous_current: null }, V1),
    entry(1, "create_workflow", "alice", "2026-11-02T09:00:00.000000Z", {}, null),
  ],
  next_cursor: null,
};
