/** A rollout of v3 over v2 at its second step, typed by the generated client, and tokens with and without workflows:edit. */
import type { components } from "../api/client";
import { WORKFLOW_ID } from "../test/answers";

type Rollout = components["schemas"]["RolloutPublic"];

const outcomes = (completed: number, exited: number, failed: number, live: number) => {
  const enrolled = completed + exited + failed + live;
  return { completed, exited, failed, live, enrolled, finished: enrolled - live, failure_rate: failed / enrolled, exit_rate: exited / enrolled };
};
const policy = { failure_margin: 0.05, exit_margin: 0.05, min_sample: 100, confidence: null };

export const running: Rollout = {
  id: "dddddddd-0000-4000-8000-000000000004",
  workflow_id: WORKFLOW_ID,
  state: "running",
  target: { version_id: "33333333-3333-4333-8333-333333333333", version_number: 3 },
  baseline: { version_id: "22222222-2222-4222-8222-222222222222", version_number: 2 },
  steps: [
    { percent: 5, seconds: 3600 },
    { percent: 25, seconds: 3600 },
    { percent: 50, seconds: 7200 },
    { percent: 100, seconds: 86_400 },
  ],
  step_index: 1,
  percent: 25,
  share: 25,
  step_started_at: "2026-12-06T22:00:00Z",
  next_step_at: "2026-12-06T23:00:00Z",
  cohort_size: 2,
  guard: { ...policy, migrate_back: false },
  guard_verdict: {
    halt: false,
    state: "waiting_for_sample",
    rate: null,
    target: outcomes(1, 0, 0, 40),
    baseline: outcomes(5, 1, 0, 120),
    policy,
    reason: "the new version has 41 executions in this step, fewer than the 100 needed",
  },
  halted_reason: null,
  enrolments: [],
  created_by: "alice",
  created_at: "2026-12-06T21:00:00Z",
  updated_at: "2026-12-06T22:00:00Z",
  finished_at: null,
};

export const paused: Rollout = { ...running, state: "paused", next_step_at: null };
export const aborted: Rollout = { ...running, state: "aborted", share: 0, guard_verdict: null, next_step_at: null, finished_at: "2026-12-06T22:30:00Z" };

const token = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.c2ln`;
export const READER = token({ sub: "rita", org_id: "acme", permissions: ["workflows:read"] });
export const EDITOR = token({ sub: "alice", org_id: "acme", permissions: ["workflows:edit"] });
export const ROLE = token({ sub: "olga", org_id: "acme", org_role: "org:member" });
