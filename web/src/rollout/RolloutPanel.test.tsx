import { QueryClient } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { json, fakeApi } from "../test/fakeApi";
import { routes, WORKFLOW_ID } from "../test/answers";
import { WfvProvider } from "../provider/WfvProvider";

import { aborted, EDITOR, paused, READER, ROLE, running } from "./answers";
import { cannotEditReason } from "./permissions";
import { RolloutPanel } from "./RolloutPanel";

const ROLLOUT = `/api/v1/workflows/${WORKFLOW_ID}/rollout`;

function renderPanel(answers: Record<string, unknown>, token = EDITOR) {
  const keys: (string | null)[] = [];
  const api = fakeApi({ ...routes, ...answers });
  const fetch = (request: Request) => {
    if (request.method === "POST") keys.push(request.headers.get("Idempotency-Key"));
    return api.fetch(request);
  };
  render(
    <WfvProvider baseUrl="https://wfv.test" getToken={() => token} fetch={fetch} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RolloutPanel workflowId={WORKFLOW_ID} />
    </WfvProvider>,
  );
  return { posts: () => api.sent.filter((request) => request.method === "POST"), keys };
}

test("the steps with their shares and times, the current one, the state and the guards' verdict", async () => {
  renderPanel({ [`GET ${ROLLOUT}`]: running });
  expect(await screen.findByRole("heading", { name: "v3 rolling out over v2 running" })).toBeInTheDocument();
  expect(screen.getByText(/New contacts now: 25% to v3, and the cohort of 2\. Next step 2026-12-06 23:00 UTC\./)).toBeInTheDocument();
  const rows = within(screen.getByRole("table", { name: "Rollout steps" })).getAllByRole("row").slice(1);
  expect(rows.map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent))).toEqual([
    ["1", "5%", "1 h", ""],
    ["2 (current)", "25%", "1 h", "2026-12-06 22:00 UTC"],
    ["3", "50%", "2 h", ""],
    ["4", "100%", "1 d", ""],
  ]);
  expect(rows[1]).toHaveAttribute("aria-current", "step");
  expect(screen.getByText(/Guards \(waiting for a sample\): the new version has 41 executions/)).toBeInTheDocument();
  expect(screen.getAllByRole("button").map((button) => button.textContent)).toEqual(["Pause", "Promote", "Abort"]);
});

test("each control asks first, and only the confirmation posts", async () => {
  const { posts, keys } = renderPanel({ [`GET ${ROLLOUT}`]: running, [`POST ${ROLLOUT}/pause`]: paused });
  await userEvent.click(await screen.findByRole("button", { name: "Pause" }));
  const dialog = screen.getByRole("dialog", { name: "Pause the rollout?" });
  expect(dialog).toHaveTextContent("New contacts keep going 25% to v3, and the step's clock stops until it is resumed.");
  await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(posts()).toEqual([]);

  await userEvent.click(screen.getByRole("button", { name: "Pause" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Pause" }));
  expect(await screen.findByRole("heading", { name: "v3 rolling out over v2 paused" })).toBeInTheDocument();
  expect(posts().map((request) => request.path)).toEqual([`${ROLLOUT}/pause`]);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(screen.getAllByRole("button").map((button) => button.textContent)).toEqual(["Resume", "Promote", "Abort"]);
});

test("the server's problem is shown on the panel in its own words", async () => {
  renderPanel({
    [`GET ${ROLLOUT}`]: running,
    [`POST ${ROLLOUT}/promote`]: () =>
      json({ type: "/problems/publish-blocked", title: "Publish blocked", status: 409, detail: "v3 needs 1 more approval before it is published" }, 409),
  });
  await userEvent.click(await screen.findByRole("button", { name: "Promote" }));
  expect(screen.getByRole("dialog", { name: "Publish the target now?" })).toBeInTheDocument();
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Promote" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("v3 needs 1 more approval before it is published");
  expect(screen.getByRole("heading", { name: "v3 rolling out over v2 running" })).toBeInTheDocument();
});

test("without workflows:edit the controls are disabled, with the reason", async () => {
  const { posts } = renderPanel({ [`GET ${ROLLOUT}`]: running }, READER);
  const reason = await screen.findByText("Your token's permissions (workflows:read) do not include workflows:edit, which changing a live workflow needs.");
  for (const name of ["Pause", "Promote", "Abort"]) {
    const button = screen.getByRole("button", { name });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(reason.textContent ?? "");
  }
  expect(posts()).toEqual([]);
});

test("the reason comes from the token's permissions only: a role is the server's to map", () => {
  expect(cannotEditReason(EDITOR)).toBeNull();
  expect(cannotEditReason(ROLE)).toBeNull();
  expect(cannotEditReason("not.a-token")).toBeNull();
  expect(cannotEditReason(READER)).toMatch(/workflows:read/);
});

test("when no rollout runs, one starts for a draft: steps checked, confirmed, then posted", async () => {
  const { posts } = renderPanel({
    [`GET ${ROLLOUT}`]: () => json({ type: "/problems/rollout-not-found", title: "Rollout not found", status: 404 }, 404),
    [`POST /api/v1/workflows/${WORKFLOW_ID}/versions/3/rollout`]: () => json(running, 201),
  });
  expect(await screen.findByText("No rollout has run for this workflow.")).toBeInTheDocument();
  expect(await screen.findByLabelText("Draft")).toHaveValue("3");

  const percent = screen.getByLabelText("Step 3 percent");
  await userEvent.clear(percent);
  await userEvent.type(percent, "90");
  await userEvent.click(screen.getByRole("button", { name: "Start rollout" }));
  expect(screen.getByRole("alert")).toHaveTextContent("The last step must be 100%");
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

  await userEvent.click(screen.getByRole("button", { name: "Add a step" }));
  await userEvent.clear(screen.getByLabelText("Step 4 seconds"));
  await userEvent.type(screen.getByLabelText("Step 4 seconds"), "7200");
  await userEvent.click(screen.getByRole("button", { name: "Start rollout" }));
  const dialog = screen.getByRole("dialog", { name: "Roll out v3?" });
  expect(dialog).toHaveTextContent("New contacts go to v3 instead of v2: 10% for 1 h, then 50% for 1 h, then 90% for 1 h, then 100% for 2 h, then it is published.");
  expect(posts()).toEqual([]);
  await userEvent.click(within(dialog).getByRole("button", { name: "Start rollout" }));
  expect(await screen.findByRole("heading", { name: "v3 rolling out over v2 running" })).toBeInTheDocument();
  expect(posts()[0]?.body).toEqual({
    steps: [
      { percent: 10, seconds: 3600 },
      { percent: 50, seconds: 3600 },
      { percent: 90, seconds: 3600 },
      { percent: 100, seconds: 7200 },
    ],
  });
});

test("a rollout that is over shows how it ended, and the form for the next", async () => {
  renderPanel({ [`GET ${ROLLOUT}`]: aborted });
  expect(await screen.findByText(/Aborted 2026-12-06 22:30 UTC\./)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
  expect(await screen.findByRole("form", { name: "Start a rollout" })).toBeInTheDocument();
});
