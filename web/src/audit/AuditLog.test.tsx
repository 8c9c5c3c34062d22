import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WORKFLOW_ID } from "../test/answers";
import { json } from "../test/fakeApi";
import { renderWithApi } from "../test/render";

import { AuditLog } from "./AuditLog";
import { firstPage, NEXT, secondPage } from "./answers";

const AUDIT = `GET /api/v1/workflows/${WORKFLOW_ID}/audit`;
const paged = (request: Request) => json(new URL(request.url).searchParams.get("cursor") === NEXT ? secondPage : firstPage);

const rowTexts = () =>
  within(screen.getByRole("table", { name: "Audit trail" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell").slice(1, 3).map((cell) => cell.textContent));

test("entries newest first: who, the action in words with its version, local time with the exact UTC in the title", async () => {
  const { sent } = renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, { [AUDIT]: paged });
  await screen.findByRole("table", { name: "Audit trail" });
  expect(rowTexts()).toEqual([
    ["carol", "Changed the legal hold of v2"],
    ["bob", "Published v2"],
    ["alice", "Edited draft v2"],
  ]);
  const first = screen.getAllByRole("row")[1]!;
  const time = first.querySelector("time")!;
  expect(time).toHaveAttribute("dateTime", "2026-12-01T09:30:00.123456Z");
  expect(time).toHaveAttribute("title", "2026-12-01 09:30:00.123456 UTC");
  expect(time.textContent).toBe(new Date("2026-12-01T09:30:00.123456Z").toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }));
  expect(sent).toHaveLength(1);
  expect(sent[0]!.search).toBe("?limit=50");
});

test("load more sends the cursor and appends the older entries; the last page has no button", async () => {
  const { sent } = renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, { [AUDIT]: paged });
  await userEvent.click(await screen.findByRole("button", { name: "Load more" }));
  expect(await screen.findByText("Created the workflow")).toBeInTheDocument();
  expect(new URLSearchParams(sent[1]!.search).get("cursor")).toBe(NEXT);
  expect(rowTexts().map(([, what]) => what)).toEqual([
    "Changed the legal hold of v2",
    "Published v2",
    "Edited draft v2",
    "Published v1",
    "Created the workflow",
  ]);
  expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
});

test("details open as text: markup in them is shown literally, never rendered", async () => {
  const { container } = renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, { [AUDIT]: paged });
  await screen.findByRole("table", { name: "Audit trail" });
  const toggle = within(screen.getAllByRole("row")[1]!).getByText(/^Details/);
  expect(toggle.tagName).toBe("SUMMARY");
  await userEvent.click(toggle);
  const details = toggle.closest("details")!;
  expect(details).toHaveAttribute("open");
  expect(within(details).getByText(/"reason": "<b>litigation<\/b> hold"/)).toBeInTheDocument();
  expect(container.querySelector("b")).toBeNull();
});

test("the filter asks the server for one action, and says when it has none", async () => {
  const { sent } = renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, {
    [AUDIT]: (request: Request) =>
      json(new URL(request.url).searchParams.get("action") === "rollback" ? { items: [], next_cursor: null } : firstPage),
  });
  await screen.findByRole("table", { name: "Audit trail" });
  await userEvent.selectOptions(screen.getByLabelText("Action"), "rollback");
  expect(await screen.findByText("No “rollback” entries.")).toBeInTheDocument();
  expect(new URLSearchParams(sent.at(-1)!.search).get("action")).toBe("rollback");
});

test("a refusal's problem detail is shown on this screen", async () => {
  renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, {
    [AUDIT]: () => json({ type: "/problems/forbidden", title: "Forbidden", status: 403, detail: "workflows:read is required" }, 403),
  });
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not read the audit trail: workflows:read is required");
});

test("a workflow without entries says so", async () => {
  renderWithApi(<AuditLog workflowId={WORKFLOW_ID} />, { [AUDIT]: { items: [], next_cursor: null } });
  expect(await screen.findByText("No audit entries for this workflow yet.")).toBeInTheDocument();
});
