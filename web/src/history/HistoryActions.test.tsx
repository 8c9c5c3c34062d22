import { QueryClient } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { components } from "../api/client";
import { WfvProvider } from "../provider/WfvProvider";
import { fakeApi, json } from "../test/fakeApi";
import { routes, versions, workflows, WORKFLOW_ID } from "../test/answers";

import { HistoryPanel, type HistoryPanelProps } from "./HistoryPanel";

type Version = components["schemas"]["VersionPublic"];

const VERSIONS = `/api/v1/workflows/${WORKFLOW_ID}/versions`;
const token = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.c2ln`;
const READER = token({ sub: "rita", org_id: "acme", permissions: ["workflows:read"] });
const EDITOR = token({ sub: "alice", org_id: "acme", permissions: ["workflows:edit"] });
const ADMIN = token({ sub: "ada", org_id: "acme", permissions: ["workflows:admin"] });

const [v3, v2, v1] = versions.items as [Version, Version, Version];

function renderPanel(answers: Record<string, unknown>, { token = EDITOR, ...props }: Partial<HistoryPanelProps> & { token?: string } = {}) {
  const headers: { method: string; path: string; key: string | null; ifMatch: string | null }[] = [];
  const api = fakeApi({ ...routes, [`GET /api/v1/workflows/${WORKFLOW_ID}`]: workflows.items[0], ...answers });
  const fetch = (request: Request) => {
    headers.push({ method: request.method, path: new URL(request.url).pathname, key: request.headers.get("Idempotency-Key"), ifMatch: request.headers.get("If-Match") });
    return api.fetch(request);
  };
  render(
    <WfvProvider baseUrl="https://wfv.test" getToken={() => token} fetch={fetch} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <HistoryPanel workflowId={WORKFLOW_ID} {...props} />
    </WfvProvider>,
  );
  const changes = () => api.sent.filter((request) => request.method !== "GET");
  return { sent: api.sent, changes, headers };
}

const row = (version: number) => document.querySelector(`tr[data-version="${version}"]`) as HTMLElement;

test("each row offers what its status allows", async () => {
  renderPanel({});
  await screen.findByRole("table", { name: "Version history" });
  const names = (version: number) => within(row(version)).getAllByRole("button").map((button) => button.textContent);
  expect(names(3)).toEqual(["Publish v3", "Delete draft v3"]);
  expect(names(2)).toEqual(["New draft from v2"]);
  expect(names(1)).toEqual(["New draft from v1", "Roll back to v1"]);
});

test("publish asks first: Cancel sends nothing, the confirmation sends the lock and the new current version shows", async () => {
  let published = false;
  const after = {
    items: [{ ...v3, status: "active", is_current: true, published_at: "2026-12-07T04:00:00Z" }, { ...v2, is_current: false }, v1],
    next_cursor: null,
  };
  const { changes, headers } = renderPanel({
    [`GET ${VERSIONS}`]: () => json(published ? after : versions),
    [`POST ${VERSIONS}/3/publish`]: () => {
      published = true;
      return json({ ...after.items[0], definition: {} });
    },
  });
  await userEvent.click(await screen.findByRole("button", { name: "Publish v3" }));
  const dialog = screen.getByRole("dialog", { name: "Publish v3 of Welcome series?" });
  expect(dialog).toHaveTextContent("v3 becomes the current version of Welcome series: new contacts enrol on it. 7 contacts stay on v2 until migrated.");
  await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  expect(changes()).toEqual([]);

  await userEvent.click(screen.getByRole("button", { name: "Publish v3" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Publish v3" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Published: v3 is now current.");
  expect(changes()).toEqual([expect.objectContaining({ method: "POST", path: `${VERSIONS}/3/publish`, body: { lock_version: 1 } })]);
  expect(headers.find((sent) => sent.method === "POST")?.key).toMatch(/^[0-9a-f-]{36}$/);
  // The versions list is read again: v3 is the current one now.
  expect(await within(row(3)).findByText("current")).toBeInTheDocument();
  expect(within(row(2)).getByText("active")).toBeInTheDocument();
});

test("rollback is disabled with its reason for a non-admin token", async () => {
  const { changes } = renderPanel({}, { token: EDITOR });
  const button = await screen.findByRole("button", { name: "Roll back to v1" });
  expect(button).toBeDisabled();
  expect(button).toHaveAccessibleDescription(
    "Rolling back needs workflows:admin (an admin's emergency action, which skips review): your token does not hold it.",
  );
  await userEvent.click(button);
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  expect(changes()).toEqual([]);
  // Publishing is an edit: the editor may.
  expect(screen.getByRole("button", { name: "Publish v3" })).toBeEnabled();
});

test("an admin's rollback names the versions, then sends once confirmed", async () => {
  const { changes, headers } = renderPanel(
    { [`POST ${VERSIONS}/1/rollback`]: () => json({ ...v1, id: "44444444-4444-4444-8444-444444444444", version_number: 4, is_current: true, rollback_of_version_id: v1.id, definition: {} }, 201) },
    { token: ADMIN },
  );
  await userEvent.click(await screen.findByRole("button", { name: "Roll back to v1" }));
  const dialog = screen.getByRole("dialog", { name: "Roll Welcome series back to v1 from v2?" });
  expect(dialog).toHaveTextContent(
    "A new version with v1's content becomes the current version of Welcome series, without review (an admin's emergency action). 7 contacts stay on v2 until migrated. The 3 contacts on v1 stay on it.",
  );
  expect(changes()).toEqual([]);
  await userEvent.click(within(dialog).getByRole("button", { name: "Roll back to v1" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Rolled back: v4, v1's content, is now current.");
  expect(changes()).toEqual([expect.objectContaining({ method: "POST", path: `${VERSIONS}/1/rollback`, body: undefined })]);
  expect(headers.find((sent) => sent.method === "POST")?.key).toBeTruthy();
});

test("a reader's controls are disabled, described by why", async () => {
  renderPanel({}, { token: READER });
  const publish = await screen.findByRole("button", { name: "Publish v3" });
  expect(publish).toBeDisabled();
  expect(publish).toHaveAccessibleDescription(/do not include workflows:edit/);
  expect(screen.getByRole("button", { name: "New draft from v2" })).toBeDisabled();
  expect(screen.getByRole("button", { name: "Roll back to v1" })).toHaveAccessibleDescription(/do not include workflows:edit/);
});

test("delete draft confirms, then sends DELETE with the lock", async () => {
  const { changes, headers } = renderPanel({ [`DELETE ${VERSIONS}/3`]: { ...v3, deleted_at: "2026-12-07T04:00:00Z" } });
  await userEvent.click(await screen.findByRole("button", { name: "Delete draft v3" }));
  const dialog = screen.getByRole("dialog", { name: "Delete draft v3 of Welcome series?" });
  expect(dialog).toHaveTextContent("No contact is on a draft: nothing live changes.");
  expect(changes()).toEqual([]);
  await userEvent.click(within(dialog).getByRole("button", { name: "Delete draft v3" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Draft v3 deleted.");
  expect(changes()).toEqual([expect.objectContaining({ method: "DELETE", path: `${VERSIONS}/3` })]);
  expect(headers.find((sent) => sent.method === "DELETE")?.ifMatch).toBe('"1"');
});

test("a new draft from a version is sent at once, with from_version", async () => {
  const { changes } = renderPanel({ [`POST ${VERSIONS}`]: () => json({ ...v3, version_number: 4, definition: {} }, 201) });
  await userEvent.click(await screen.findByRole("button", { name: "New draft from v2" }));
  expect(await screen.findByRole("status")).toHaveTextContent("Draft v4 created from v2.");
  expect(changes()).toEqual([expect.objectContaining({ method: "POST", path: VERSIONS, body: { from_version: 2 } })]);
});

test("a publish waiting on approvals shows the server's words in the history, with a way to the review", async () => {
  const reviews: number[] = [];
  renderPanel(
    {
      [`POST ${VERSIONS}/3/publish`]: () => json(
        { type: "/problems/publish-blocked", title: "Review required", status: 409, detail: "publishing needs 1 approval(s): open a review first", missing: ["an open review"] },
        409,
      ),
    },
    { onReview: () => reviews.push(1) },
  );
  await userEvent.click(await screen.findByRole("button", { name: "Publish v3" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Publish v3" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Refused: publishing needs 1 approval(s): open a review first");
  expect(screen.queryByRole("status")).not.toBeInTheDocument();
  await userEvent.click(within(alert).getByRole("button", { name: "Open the review" }));
  expect(reviews).toEqual([1]);
});

test("another refusal shows its words without the way to the review", async () => {
  renderPanel(
    { [`POST ${VERSIONS}/3/publish`]: () => json({ type: "/problems/stale-lock-version", title: "Stale lock version", status: 409, detail: "v3 was edited since (lock 2, not 1)" }, 409) },
    { onReview: () => undefined },
  );
  await userEvent.click(await screen.findByRole("button", { name: "Publish v3" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Publish v3" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Refused: v3 was edited since (lock 2, not 1)");
  expect(within(alert).queryByRole("button")).not.toBeInTheDocument();
});

test("a refused publish reads the versions again, so the retry sends the lock the server holds now", async () => {
  let edited = false;
  const { changes } = renderPanel({
    [`GET ${VERSIONS}`]: () => json(edited ? { ...versions, items: [{ ...v3, lock_version: 2 }, v2, v1] } : versions),
    [`POST ${VERSIONS}/3/publish`]: () => {
      edited = true; // someone saved the draft just before: this publish is refused
      return json({ type: "/problems/stale-lock-version", title: "Stale lock version", status: 409, detail: "lock 2, not 1" }, 409);
    },
  });
  const publish = async () => {
    await userEvent.click(await screen.findByRole("button", { name: "Publish v3" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Publish v3" }));
  };
  await publish();
  expect(await screen.findByRole("alert")).toHaveTextContent("Refused: lock 2, not 1");
  await publish();
  await vi.waitFor(() => expect(changes()).toHaveLength(2));
  expect(changes().map((request) => (request.body as { lock_version: number }).lock_version)).toEqual([v3.lock_version, 2]);
});

test("actions={false} shows no action and no Actions column", async () => {
  const { sent } = renderPanel({}, { actions: false, token: READER });
  await screen.findByRole("table", { name: "Version history" });
  expect(screen.queryAllByRole("button")).toEqual([]);
  expect(screen.queryByRole("columnheader", { name: "Actions" })).not.toBeInTheDocument();
  expect(screen.queryByText(/do not include workflows:edit/)).not.toBeInTheDocument();
  // The name is for the dialogs: without actions it is not read.
  expect(sent.map((request) => request.path)).not.toContain(`/api/v1/workflows/${WORKFLOW_ID}`);
});
