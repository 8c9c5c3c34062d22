import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";

import { journeyRoutes, NEW, OLD } from "./answers";
import { JourneyLookup } from "./JourneyLookup";

const rows = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent));

async function lookUp(contact: string) {
  const view = renderWithApi(<JourneyLookup workflowId={WORKFLOW_ID} />, journeyRoutes);
  await userEvent.type(screen.getByLabelText("Contact id"), contact);
  await userEvent.click(screen.getByRole("button", { name: "Look up" }));
  return view;
}

const V1 = "11111111-1111-4111-8111-111111111111";
const V2 = "22222222-2222-4222-8222-222222222222";

test("a contact's executions, newest first, from the executions list filtered by contact", async () => {
  const { sent } = await lookUp("c-1");
  const executions = await screen.findByRole("table", { name: "Executions of c-1" });
  // the list answers the old one first (by id), in two pages: both read, the newest shown first
  expect(rows(executions)).toEqual([
    [NEW, "v2 · wait-1d · waiting", "2026-12-01 12:00 UTC"],
    [OLD, "v1 · wait-1d · exited", "2026-11-26 10:05 UTC"],
  ]);
  const listed = sent.filter((request) => request.path === `/api/v1/workflows/${WORKFLOW_ID}/executions`);
  expect(listed.map((request) => Object.fromEntries(new URLSearchParams(request.search)))).toEqual([
    { contact: "c-1", limit: "1000" },
    { contact: "c-1", limit: "1000", cursor: "page-2" },
  ]);
  // each version they ran on read once for its number; no walk through the contact's history
  const versionsRead = sent.filter((request) => request.path.includes("/versions/")).map((request) => request.path.split("/").at(-1));
  expect(versionsRead.sort()).toEqual([V1, V2]);
  expect(sent.filter((request) => request.path.endsWith("/as-of"))).toEqual([]);
  // one journey read: the newest execution's, shown (the walk read each execution's first event)
  expect(sent.filter((request) => request.path.endsWith("/journey")).map((request) => request.path)).toEqual([
    `/api/v1/workflows/${WORKFLOW_ID}/executions/${NEW}/journey`,
  ]);
});

test("a contact id is sent as typed, encoded, and a refused one shows the problem's detail", async () => {
  const { sent } = renderWithApi(<JourneyLookup workflowId={WORKFLOW_ID} />, {
    [`GET /api/v1/workflows/${WORKFLOW_ID}/executions`]: () =>
      new Response(
        JSON.stringify({ type: "/problems/validation", title: "Invalid request", status: 422, detail: "query.contact: String should match pattern" }),
        { status: 422, headers: { "Content-Type": "application/problem+json" } },
      ),
  });
  await userEvent.type(screen.getByLabelText("Contact id"), "  ann & bob  ");
  await userEvent.click(screen.getByRole("button", { name: "Look up" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not look up ann & bob: query.contact: String should match pattern");
  expect(new URLSearchParams(sent[0]?.search).get("contact")).toBe("ann & bob");
});

test("the newest execution's journey, event by event, with load more", async () => {
  await lookUp("c-1");
  const journey = await screen.findByRole("table", { name: `Journey of ${NEW}` });
  expect(rows(journey)).toEqual([
    ["2026-12-01 09:00 UTC", "enrolment", "—", "v1 · welcome · active"],
    ["2026-12-01 09:01 UTC", "engine", "v1 · welcome · active", "v1 · wait-1d · waiting"],
  ]);
  await userEvent.click(screen.getByRole("button", { name: "Load more" }));
  await within(journey).findByText("migration");
  expect(rows(journey)[2]).toEqual(["2026-12-01 12:00 UTC", "migration", "v1 · wait-1d · waiting", "v2 · wait-1d · waiting"]);
  expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
});

test("choosing another execution shows its journey", async () => {
  await lookUp("c-1");
  await userEvent.click(await screen.findByRole("button", { name: OLD }));
  const journey = await screen.findByRole("table", { name: `Journey of ${OLD}` });
  expect(rows(journey).map((row) => row[1])).toEqual(["enrolment", "engine", "engine"]);
  expect(rows(journey)[2]?.[3]).toBe("v1 · wait-1d · exited");
});

async function asOf(local: string) {
  fireEvent.change(await screen.findByLabelText("As of (your local time)"), { target: { value: local } });
  await userEvent.click(screen.getByRole("button", { name: "Where was c-1?" }));
  return screen.findByRole("status");
}

test("as of an instant: the version, step and status, and the event that put it there", async () => {
  const { sent } = await lookUp("c-1");
  const answer = await asOf("2026-12-03T12:00:00");
  expect(answer).toHaveTextContent(/c-1 was at v2 · wait-1d · waiting, since 2026-12-01 12:00 UTC\./);
  expect(answer).toHaveTextContent(/Put there by the migration event of 2026-12-01 12:00 UTC \(execution bbbbbbbb-.*, commit 9e0c1d2\)/);
  const at = new URLSearchParams(sent.at(-1)?.search).get("at");
  expect(at).toBe(new Date("2026-12-03T12:00:00").toISOString().replace(".000Z", "Z"));
});

test("as of an instant after the execution ended: left, and when", async () => {
  await lookUp("c-1");
  expect(await asOf("2026-11-28T12:00:00")).toHaveTextContent(/c-1 had left the workflow \(exited at 2026-11-26 10:05 UTC\), last at v1 · wait-1d · exited\./);
});

test("as of an instant before its first event: not-enrolled-then in a plain sentence", async () => {
  await lookUp("c-1");
  expect(await asOf("2026-11-20T12:00:00")).toHaveTextContent(/c-1 was not enrolled in this workflow \(or that part of its history is no longer kept\)\./);
  expect(screen.queryByRole("alert")).not.toBeInTheDocument();
});

test("a contact never enrolled", async () => {
  const { sent } = await lookUp("c-9");
  expect(await screen.findByText("Contact c-9 has no executions in this workflow.")).toBeInTheDocument();
  expect(sent.map((request) => `${request.path}${request.search}`)).toEqual([`/api/v1/workflows/${WORKFLOW_ID}/executions?contact=c-9&limit=1000`]);
  expect(screen.queryByRole("table")).not.toBeInTheDocument();
});
