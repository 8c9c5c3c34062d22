import { QueryClient } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WfvProvider } from "../provider/WfvProvider";
import { fakeApi, json } from "../test/fakeApi";

import { ADA, ALICE, approved, BOB, commented, ERIN, PATHS, review, routes, WELCOME_ID, workflow } from "./answers";
import { CANNOT_APPROVE, ReviewPanel } from "./ReviewPanel";
import { NOT_ADMIN } from "./RequiredApprovals";
import { identityOf } from "./token";

function renderPanel(answers: Record<string, unknown>, token: string) {
  const api = fakeApi({ ...routes, ...answers });
  render(
    <WfvProvider baseUrl="https://wfv.test" getToken={() => token} fetch={api.fetch} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ReviewPanel workflowId={WELCOME_ID} versionNumber={2} />
    </WfvProvider>,
  );
  return { sent: (method: string) => api.sent.filter((request) => request.method === method) };
}

/** A fake answer the test releases when it wants: what shows before it is the optimistic state. */
function held() {
  let release: (response: Response) => void = () => {};
  const answer = () => new Promise<Response>((resolve) => (release = resolve));
  return { answer, release: (response: Response) => release(response) };
}

test("the open review: its status, state, thread, and the draft's changes against the base version", async () => {
  renderPanel({}, BOB);
  expect(await screen.findByRole("heading", { name: "Review of v2 open" })).toBeInTheDocument();
  expect(screen.getByText("Not publishable yet: 1 more approval.")).toBeInTheDocument();
  expect(await screen.findByRole("heading", { name: /^v1 → v2: / })).toBeInTheDocument();
  const steps = within(screen.getByRole("navigation", { name: "Changed steps" })).getAllByRole("button").map((button) => button.textContent);
  expect(steps).toEqual(expect.arrayContaining(["wait-1d modified ⚠", "reminder removed ⚠", "opened? modified (1 comments)"]));
  const thread = screen.getByRole("region", { name: "Thread" });
  expect(thread).toHaveTextContent("Why a form trigger now?");
  // A step's comment is shown with its step, not in the general thread.
  expect(thread).not.toHaveTextContent("Is the reminder gone for good?");
  await userEvent.click(screen.getByRole("button", { name: /^opened\? modified/ }));
  expect(screen.getByRole("region", { name: "Comments on opened?" })).toHaveTextContent("dave commented 2026-12-07 01:00 UTC");
});

test("a comment on a selected step is sent with its action_id and path and shown under that step", async () => {
  const { sent } = renderPanel({ [`POST ${PATHS.comments}`]: () => json(commented, 201) }, BOB);
  await userEvent.click(await screen.findByRole("button", { name: "wait-1d modified ⚠" }));
  const step = screen.getByRole("region", { name: "Comments on wait-1d" });
  expect(step).toHaveTextContent("No comments on this step.");
  await userEvent.type(within(step).getByLabelText("Comment on wait-1d"), "09:00 in whose time zone?");
  await userEvent.type(within(step).getByLabelText("Field path (optional)"), "config.until");
  await userEvent.click(within(step).getByRole("button", { name: "Comment" }));
  expect(await within(step).findByText("09:00 in whose time zone?")).toBeInTheDocument();
  expect(step).toHaveTextContent("bob commented on config.until");
  expect(sent("POST").map((request) => [request.path, request.body])).toEqual([
    [PATHS.comments, { body: "09:00 in whose time zone?", action_id: "wait-1d", path: "config.until" }],
  ]);
  expect(screen.getByRole("region", { name: "Thread" })).not.toHaveTextContent("09:00 in whose time zone?");
});

test("a step removed by the draft takes no anchored comment: the thread does", async () => {
  renderPanel({}, BOB);
  await userEvent.click(await screen.findByRole("button", { name: "reminder removed ⚠" }));
  expect(screen.queryByLabelText("Comment on reminder")).not.toBeInTheDocument();
  expect(screen.getByText(/Comments anchor to the draft's actions/)).toBeInTheDocument();
});

test("approve is disabled, with its reason, for the draft's author; requesting changes is not", async () => {
  const { sent } = renderPanel({}, ALICE);
  const approve = await screen.findByRole("button", { name: "Approve" });
  expect(approve).toBeDisabled();
  expect(approve).toHaveAccessibleDescription(CANNOT_APPROVE);
  expect(screen.getByRole("button", { name: "Request changes" })).toBeEnabled();
  expect(sent("POST")).toEqual([]);
});

test("and for whoever edited the draft since, as its audit entries say", async () => {
  const edit = { id: 9, action: "update", workflow_id: WELCOME_ID, version_id: review.version_id, actor_id: "erin", created_at: "2026-12-07T00:10:00Z", details: {} };
  const { sent } = renderPanel({ [`GET ${PATHS.audit}`]: { items: [edit], next_cursor: null } }, ERIN);
  await waitFor(() => expect(screen.getByRole("button", { name: "Approve" })).toBeDisabled());
  expect(screen.getByText(CANNOT_APPROVE)).toBeInTheDocument();
  const audit = sent("GET").find((request) => request.path === PATHS.audit);
  expect(new URLSearchParams(audit?.search).get("version_id")).toBe(review.version_id);
  expect(new URLSearchParams(audit?.search).get("action")).toBe("update");
});

test("another reviewer's approval is sent and shown at once, then the server's review replaces it", async () => {
  const verdict = held();
  const { sent } = renderPanel({ [`POST ${PATHS.verdicts}`]: verdict.answer }, BOB);
  await userEvent.click(await screen.findByRole("button", { name: "Approve" }));
  const thread = screen.getByRole("region", { name: "Thread" });
  await waitFor(() => expect(thread).toHaveTextContent("bob approved (sending…)"));
  expect(screen.getByText(/Approved by bob \(1 needed\)/)).toBeInTheDocument();
  expect(sent("POST").map((request) => [request.path, request.body])).toEqual([[PATHS.verdicts, { verdict: "approve" }]]);

  verdict.release(json(approved, 201));
  expect(await screen.findByText("Publishable: every approval needed is here.")).toBeInTheDocument();
  expect(thread).toHaveTextContent("bob approved 2026-12-07 01:00 UTC");
  expect(thread).not.toHaveTextContent("sending");
});

test("a refused verdict is taken back and the problem's detail is shown on the panel", async () => {
  const verdict = held();
  renderPanel({ [`POST ${PATHS.verdicts}`]: verdict.answer }, BOB);
  await userEvent.click(await screen.findByRole("button", { name: "Approve" }));
  const thread = screen.getByRole("region", { name: "Thread" });
  await waitFor(() => expect(thread).toHaveTextContent("bob approved (sending…)"));

  verdict.release(json({ type: "/problems/self-approval", title: "Authors cannot approve", status: 403, detail: "bob wrote this draft and cannot approve it" }, 403));
  expect(await screen.findByRole("alert")).toHaveTextContent("bob wrote this draft and cannot approve it");
  expect(thread).not.toHaveTextContent("bob approved");
  expect(screen.getByText(/Approved by no one yet/)).toBeInTheDocument();
});

test("an admin changes the required approvals: confirmed first, then the PATCH", async () => {
  const { sent } = renderPanel({ [`PATCH ${PATHS.workflow}`]: { ...workflow, required_approvals: 2 } }, ADA);
  const input = await screen.findByLabelText("Required approvals");
  expect(input).toHaveValue(1);
  await userEvent.clear(input);
  await userEvent.type(input, "2");
  await userEvent.click(screen.getByRole("button", { name: "Change" }));
  const dialog = screen.getByRole("dialog", { name: "Change the approval rule?" });
  expect(dialog).toHaveTextContent("Every draft of this workflow will need 2 current approvals (now 1) before it is published");
  await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(sent("PATCH")).toEqual([]);

  await userEvent.click(screen.getByRole("button", { name: "Change" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Change" }));
  expect(await screen.findByText("Publishing a draft needs 2 current approvals.")).toBeInTheDocument();
  expect(sent("PATCH").map((request) => [request.path, request.body])).toEqual([[PATHS.workflow, { required_approvals: 2 }]]);
});

test("a reviewer who is no admin sees the number and the reason, and no enabled control", async () => {
  const { sent } = renderPanel({}, BOB);
  const rule = await screen.findByRole("region", { name: "Approval rule" });
  expect(await within(rule).findByText("Publishing a draft needs 1 current approval.")).toBeInTheDocument();
  expect(within(rule).getByText(NOT_ADMIN)).toBeInTheDocument();
  expect(within(rule).getByLabelText("Required approvals")).toBeDisabled();
  expect(within(rule).getByRole("button", { name: "Change" })).toHaveAccessibleDescription(NOT_ADMIN);
  for (const control of [...within(rule).queryAllByRole("button"), ...within(rule).queryAllByRole("spinbutton")]) expect(control).toBeDisabled();
  expect(sent("PATCH")).toEqual([]);
});

test("a draft without a review: opening one posts and shows it", async () => {
  const { sent } = renderPanel({ [`GET ${PATHS.reviews}`]: { items: [] }, [`POST ${PATHS.reviews}`]: () => json(review, 201) }, BOB);
  expect(await screen.findByRole("heading", { name: "v2 has no review yet" })).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Open a review" }));
  expect(await screen.findByRole("heading", { name: "Review of v2 open" })).toBeInTheDocument();
  expect(sent("POST").map((request) => request.path)).toEqual([PATHS.reviews]);
});

test("the reader comes from the token: its sub, and admin only from workflows:admin (a role is the server's to map)", () => {
  expect(identityOf(ADA)).toEqual({ userId: "ada", admin: true });
  expect(identityOf(BOB)).toEqual({ userId: "bob", admin: false });
  expect(identityOf(`x.${btoa(JSON.stringify({ sub: "olga", org_role: "org:admin" }))}.y`)).toEqual({ userId: "olga", admin: null });
  expect(identityOf("not-a-token")).toEqual({ userId: null, admin: null });
});
