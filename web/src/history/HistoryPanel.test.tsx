import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { routes, versionsWithSummaries, WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";

import { HistoryPanel } from "./HistoryPanel";

const headers = () => screen.getAllByRole("columnheader").map((cell) => cell.textContent);
const cells = (version: number) =>
  within(document.querySelector(`tr[data-version="${version}"]`) as HTMLElement)
    .getAllByRole("cell")
    .map((cell) => cell.textContent);

test("the versions table: number, status, author, dates, live and draining", async () => {
  renderWithApi(<HistoryPanel workflowId={WORKFLOW_ID} actions={false} />, routes);
  await screen.findByRole("table", { name: "Version history" });
  expect(headers()).toEqual(["Version", "Status", "Author", "Created", "Published", "Live", "Draining"]);
  expect(cells(3)).toEqual(["v3", "draft", "bob", "2026-12-01 08:15 UTC", "", "0", ""]);
  expect(cells(2)).toEqual(["v2", "current", "alice", "2026-11-20 11:00 UTC", "2026-11-21 12:30 UTC", "7", "enrolling"]);
  expect(cells(1)).toEqual([
    "v1",
    "active",
    "alice",
    "2026-11-02 09:00 UTC",
    "2026-11-02 10:00 UTC",
    "3",
    "12 left in 24 h, empty by 2026-12-07 06:00 UTC",
  ]);
});

test("a change summary column appears when the API gives one", async () => {
  renderWithApi(<HistoryPanel workflowId={WORKFLOW_ID} actions={false} />, {
    ...routes,
    [`GET /api/v1/workflows/${WORKFLOW_ID}/versions`]: versionsWithSummaries,
  });
  await screen.findByRole("table", { name: "Version history" });
  expect(headers()).toEqual(["Version", "Status", "Changes", "Author", "Created", "Published", "Live", "Draining"]);
  expect(cells(2)[2]).toBe("1 action removed, 2 modified; trigger changed");
  expect(cells(1)[2]).toBe("");
});

test("choosing a version hands it to the host", async () => {
  const chosen: number[] = [];
  renderWithApi(<HistoryPanel workflowId={WORKFLOW_ID} onSelectVersion={(version) => chosen.push(version.version_number)} />, routes);
  await userEvent.click(await screen.findByRole("button", { name: "Show v1 as a graph" }));
  expect(chosen).toEqual([1]);
});

test("a refusal of the API is shown in its own words", async () => {
  renderWithApi(<HistoryPanel workflowId="no-such" />, routes);
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not list the versions: no recorded answer for GET /api/v1/workflows/no-such/versions");
});
