/**
 * A review of welcome-small's draft v2 against v1 (the compare answers recorded from
 * `wfv serve`, compare/fixtures), shaped as the service answers, typed by the generated
 * client; and tokens for the draft's author, a reviewer and an admin.
 */
import type { components } from "../api/client";
import { WELCOME_ID, welcomeRoutes } from "../compare/answers";
import { versions } from "../compare/fixtures/welcome-small";

type Schemas = components["schemas"];

export { WELCOME_ID };
const V1 = versions.items.find((version) => version.version_number === 1)!.id;
const V2 = versions.items.find((version) => version.version_number === 2)!.id;
export const REVIEW_ID = "eeeeeeee-0000-4000-8000-000000000005";
const BASE = `/api/v1/workflows/${WELCOME_ID}`;
export const PATHS = {
  workflow: BASE,
  reviews: `${BASE}/versions/2/reviews`,
  review: `${BASE}/reviews/${REVIEW_ID}`,
  comments: `${BASE}/reviews/${REVIEW_ID}/comments`,
  verdicts: `${BASE}/reviews/${REVIEW_ID}/verdicts`,
  audit: `${BASE}/audit`,
};

export const workflow: Schemas["WorkflowPublic"] = {
  id: WELCOME_ID,
  name: "Welcome (small)",
  current_version_id: V1,
  required_approvals: 1,
  created_at: "2026-12-06T23:40:00Z",
  created_by: "alice",
};

const event = (overrides: Partial<Schemas["ReviewEventPublic"]> & Pick<Schemas["ReviewEventPublic"], "id" | "body">): Schemas["ReviewEventPublic"] => ({
  kind: "comment",
  author_id: "carol",
  action_id: null,
  json_path: null,
  lock_version: 1,
  commit_sha: "70c3e072453bee667865e64420d55307403ac901",
  created_at: "2026-12-07T01:00:00Z",
  stale: false,
  ...overrides,
});

export const review: Schemas["ReviewPublic"] = {
  id: REVIEW_ID,
  workflow_id: WELCOME_ID,
  version_id: V2,
  base_version_id: V1,
  status: "open",
  title: "Review of v2",
  opened_by: "alice",
  opened_at: "2026-12-07T00:30:00Z",
  closed_at: null,
  state: {
    required_approvals: 1,
    approved_by: [],
    stale_approvals: [],
    changes_requested_by: [],
    publishable: false,
    missing: ["1 more approval"],
    problems: [],
    problems_truncated: false,
  },
  events: [event({ id: 1, body: "Why a form trigger now?" }), event({ id: 2, body: "Is the reminder gone for good?", action_id: "opened?", author_id: "dave" })],
};

/** The review after bob's comment on wait-1d. */
export const commented: Schemas["ReviewPublic"] = {
  ...review,
  events: [...(review.events ?? []), event({ id: 3, author_id: "bob", body: "09:00 in whose time zone?", action_id: "wait-1d", json_path: "config.until" })],
};

/** The review after bob's approval. */
export const approved: Schemas["ReviewPublic"] = {
  ...review,
  state: { ...review.state, approved_by: ["bob"], publishable: true, missing: [] },
  events: [...(review.events ?? []), event({ id: 3, kind: "approve", author_id: "bob", body: "Approved" })],
};

export const noEdits: Schemas["AuditList"] = { items: [], next_cursor: null };

export const routes: Record<string, unknown> = {
  ...welcomeRoutes,
  [`GET ${PATHS.workflow}`]: workflow,
  [`GET ${PATHS.reviews}`]: { items: [review] } satisfies Schemas["ReviewList"],
  [`GET ${PATHS.review}`]: review,
  [`GET ${PATHS.audit}`]: noEdits,
};

const token = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.c2ln`;
/** The draft's author (welcome-small's v2 was created by alice). */
export const ALICE = token({ sub: "alice", org_id: "acme", permissions: ["workflows:edit"] });
export const BOB = token({ sub: "bob", org_id: "acme", permissions: ["workflows:edit"] });
export const ERIN = token({ sub: "erin", org_id: "acme", permissions: ["workflows:edit"] });
export const ADA = token({ sub: "ada", org_id: "acme", permissions: ["workflows:admin"] });
