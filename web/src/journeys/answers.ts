/**
 * Journey answers of contact c-1, typed by the generated client: enrolled on v1 on 25
 * November, exited the next day; enrolled again on 1 December and migrated to v2 that noon.
 */
import type { components } from "../api/client";
import { json } from "../test/fakeApi";
import { currentVersion, WORKFLOW_ID } from "../test/answers";

type Event = components["schemas"]["JourneyEvent"];

export const OLD = "aaaaaaaa-0000-4000-8000-000000000001";
export const NEW = "bbbbbbbb-0000-4000-8000-000000000002";
const V1 = "11111111-1111-4111-8111-111111111111";
const V2 = "22222222-2222-4222-8222-222222222222";
const SHA1 = "4d8fda2c0ffee0000000000000000000000000ab";
const SHA2 = "9e0c1d2c0ffee0000000000000000000000000cd";

const event = (execution: string, at: string, seq: number, overrides: Partial<Event>): Event => ({
  seq,
  at,
  execution_id: execution,
  version_id: V1,
  version_number: 1,
  commit_sha: SHA1,
  action_id: "welcome",
  status: "active",
  revision: seq,
  cause: "engine",
  cause_id: null,
  from_version_id: V1,
  from_version_number: 1,
  from_action_id: null,
  from_status: null,
  ...overrides,
});

const enrolment = { cause: "enrolment", from_version_id: null, from_version_number: null } as const;

export const oldEvents: Event[] = [
  event(OLD, "2026-11-25T10:00:00Z", 1, enrolment),
  event(OLD, "2026-11-25T10:05:00Z", 2, { action_id: "wait-1d", status: "waiting", from_action_id: "welcome", from_status: "active" }),
  event(OLD, "2026-11-26T10:05:00Z", 3, { action_id: "wait-1d", status: "exited", from_action_id: "wait-1d", from_status: "waiting" }),
];

/** The new execution's journey in two pages: a page of two, then the migration. */
export const newEvents: Event[] = [
  event(NEW, "2026-12-01T09:00:00Z", 1, enrolment),
  event(NEW, "2026-12-01T09:01:00Z", 2, { action_id: "wait-1d", status: "waiting", from_action_id: "welcome", from_status: "active" }),
  event(NEW, "2026-12-01T12:00:00Z", 3, {
    cause: "migration",
    cause_id: "cccccccc-0000-4000-8000-000000000003",
    version_id: V2,
    version_number: 2,
    commit_sha: SHA2,
    action_id: "wait-1d",
    status: "waiting",
    from_action_id: "wait-1d",
    from_status: "waiting",
  }),
];

const asOf = (contactId: string, at: string, last: Event, left: boolean): components["schemas"]["AsOf"] => ({
  contact_id: contactId,
  at,
  execution_id: last.execution_id,
  version_id: last.version_id,
  version_number: last.version_number,
  commit_sha: last.commit_sha,
  action_id: last.action_id,
  status: last.status,
  left,
  left_at: left ? last.at : null,
  since: last.at,
  event: last,
});

/** The service's answer, worked out from the events above as indexer/journey.py does. */
function answerAsOf(request: Request): Response {
  const at = new URL(request.url).searchParams.get("at") ?? "";
  const events = [...oldEvents, ...newEvents].filter((item) => Date.parse(item.at) <= Date.parse(at));
  const last = events.at(-1);
  if (!last) {
    return json({ type: "/problems/not-enrolled-then", title: "Not enrolled then", status: 404, detail: "c-1 has no kept event at or before then" }, 404);
  }
  return json(asOf("c-1", at, last, ["completed", "exited", "failed"].includes(last.status)));
}

function answerJourney(events: Event[]) {
  return (request: Request) => {
    const cursor = new URL(request.url).searchParams.get("cursor");
    const split = events === newEvents ? 2 : events.length;
    return json(cursor === "page-2" ? { items: events.slice(split), next_cursor: null } : { items: events.slice(0, split), next_cursor: split < events.length ? "page-2" : null });
  };
}

type Execution = components["schemas"]["ExecutionPublic"];

const execution = (id: string, version: string, events: Event[]): Execution => {
  const last = events.at(-1)!;
  return {
    id,
    workflow_id: WORKFLOW_ID,
    version_id: version,
    contact_id: "c-1",
    current_action_id: last.action_id,
    status: last.status,
    enrolled_at: events[0]!.at,
    updated_at: last.at,
    last_migration_id: last.cause === "migration" ? last.cause_id : null,
    revision: last.revision,
  };
};

/** c-1's executions in the list's order (by id: the old one first), in two pages. */
export const contactExecutions: Execution[] = [execution(OLD, V1, oldEvents), execution(NEW, V2, newEvents)];

/** `GET …/executions?contact=`: c-1's a page at a time; any other contact has none. */
function answerExecutions(request: Request): Response {
  const query = new URL(request.url).searchParams;
  if (query.get("contact") !== "c-1") return json({ items: [], next_cursor: null });
  return json(query.get("cursor") === "page-2" ? { items: contactExecutions.slice(1), next_cursor: null } : { items: contactExecutions.slice(0, 1), next_cursor: "page-2" });
}

export const journeyRoutes = {
  [`GET /api/v1/workflows/${WORKFLOW_ID}/executions`]: answerExecutions,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/${V1}`]: { ...currentVersion, id: V1, version_number: 1, is_current: false },
  [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/${V2}`]: { ...currentVersion, id: V2, version_number: 2 },
  [`GET /api/v1/workflows/${WORKFLOW_ID}/contacts/c-1/as-of`]: answerAsOf,
  [`GET /api/v1/workflows/${WORKFLOW_ID}/executions/${OLD}/journey`]: answerJourney(oldEvents),
  [`GET /api/v1/workflows/${WORKFLOW_ID}/executions/${NEW}/journey`]: answerJourney(newEvents),
};
