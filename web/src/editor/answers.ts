/** The draft editor's API answers, typed by the generated client's types. */
import type { components } from "../api/client";

import welcome from "../../../tests/examples/welcome-small.json";

type Schemas = components["schemas"];

export const WORKFLOW_ID = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
export const DRAFT_NUMBER = 3;
const BASE = `/api/v1/workflows/${WORKFLOW_ID}/versions/${DRAFT_NUMBER}`;
export const PATHS = { version: BASE, draft: `${BASE}/draft`, commit: `${BASE}/draft/commit` } as const;

export const WELCOME: Schemas["DraftPublic"]["definition"] = welcome;

export const draftVersion: Schemas["VersionDetail"] = {
  id: "33333333-3333-4333-8333-333333333333",
  workflow_id: WORKFLOW_ID,
  version_number: DRAFT_NUMBER,
  status: "draft",
  is_current: false,
  lock_version: 4,
  commit_sha: "4d8fda2c0ffee0000000000000000000000000ab",
  parent_version_id: null,
  rollback_of_version_id: null,
  created_by: "alice",
  created_at: "2026-12-01T08:15:00Z",
  published_by: null,
  published_at: null,
  deleted_at: null,
  active_executions: 0,
  definition: WELCOME,
};

/** Alice's latest save: revision 7, the version's text as it was. */
export const savedDraft: Schemas["DraftPublic"] = { definition: WELCOME, revision: 7, saved_at: "2026-12-07T09:00:00.000000Z" };

export const saved = (revision: number): Schemas["DraftSaved"] => ({ revision, saved_at: "2026-12-07T09:05:00.000000Z", merged: false });

export const conflict = {
  type: "/problems/draft-conflict",
  title: "Draft conflict",
  status: 409,
  detail: "another save changed the same values",
  conflicts: ["/actions/welcome/name"],
  revision: 9,
  base_revision: 7,
};

/** A commit refused: the field paths as the draft commit names them (dotted) and one bracketed. */
export const invalid = {
  type: "/problems/invalid-draft",
  title: "Invalid draft",
  status: 422,
  detail: "the resulting definition is invalid: actions.1.config.duration: Field required",
  field: "actions.1.config.duration",
  errors: [
    { field: "actions.1.config.duration", message: "Field required" },
    { field: "actions[3].config.template", message: "String should have at least 1 character" },
    { field: "entry", message: "Field required" },
  ],
};

/** The catalogue: send_email and wait as shipped (schemas/action_types/), and a made-up type with an enum, a number and a boolean. */
export const actionTypes: Schemas["ActionTypeList"] = {
  items: [
    {
      name: "send_email",
      title: "send_email",
      description: "Sends an email made from a template of the CRM.",
      config_schema: {
        type: "object",
        required: ["template"],
        properties: {
          template: { description: "the name of an email template, 1 to 256 characters", type: "string", minLength: 1 },
          subject: { description: "a subject line replacing the template's", type: "string" },
          priority: { enum: ["low", "normal", "high"] },
          retries: { type: "integer" },
          track_opens: { type: "boolean" },
          headers: { type: "object" },
        },
      },
    },
    {
      name: "wait",
      title: "wait",
      description: "Holds the contact for a fixed time.",
      config_schema: { type: "object", required: ["duration"], properties: { duration: { type: "string" } } },
    },
  ],
};
