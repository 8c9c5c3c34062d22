import { QueryClient } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WfvProvider } from "../provider/WfvProvider";
import { EDITOR, READER } from "../rollout/answers";
import { fakeApi, json } from "../test/fakeApi";
import { WORKFLOW_ID } from "../test/answers";

import { cancelled, finishedWithFailures, halted, liveExecutions, MIGRATE, MIGRATION, MIGRATION_ID, migrationRoutes, paused, plan, running } from "./answers";
import { summarySentences } from "./MigrationSummary";
import { MigrationWizard, type MigrationWizardProps } from "./MigrationWizard";
import { dryRunSentence } from "./PreviewStep";

/** The wizard over the fake API; `answer` routes see what was sent (the request's body is read by then). */
function renderWizard(props: Partial<MigrationWizardProps> = {}, answers: Record<string, unknown> = {}, token = EDITOR) {
  const routes: Record<string, unknown> = { ...migrationRoutes, ...answers };
  const api = fakeApi(routes);
  render(
    <WfvProvider baseUrl="https://wfv.test" getToken={() => token} fetch={api.fetch} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MigrationWizard workflowId={WORKFLOW_ID} {...props} />
    </WfvProvider>,
  );
  const posts = (path: string) => api.sent.filter((request) => request.method === "POST" && request.path === path);
  const lastBody = () => api.sent.at(-1)?.body as { dry_run?: boolean } | undefined;
  return { sent: api.sent, routes, posts, lastBody };
}

/** The migrate route: the plan for a dry run, else what `started` answers. */
const migrate = (lastBody: () => { dry_run?: boolean } | undefined, started: () => Response) => () => (lastBody()?.dry_run ? json(plan) : started());

async function toStrategy() {
  await userEvent.click(await screen.findByRole("button", { name: "Next: preview" }));
  expect(await screen.findByText("10 contacts of v1 and v2 would move to v3.")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Next: strategy" }));
}

test("what moves: the sources with live contacts, a mapping for the action v3 lacks, and the policy, sent to the preview and the dry run", async () => {
  const { sent } = renderWizard();
  expect(await screen.findByLabelText("Target version")).toHaveValue("3");
  expect(screen.getByRole("checkbox", { name: "v2 (7 contacts live)" })).toBeChecked();
  expect(screen.getByRole("checkbox", { name: "v1 (3 contacts live)" })).toBeChecked();
  const reminder = await screen.findByRole("combobox", { name: "Contacts on reminder go to" });
  expect(screen.queryByRole("combobox", { name: /Contacts on welcome/ })).not.toBeInTheDocument();
  await userEvent.selectOptions(reminder, "tips");
  await userEvent.selectOptions(screen.getByLabelText("Contacts on an action with no counterpart"), "exit");
  await userEvent.click(screen.getByRole("button", { name: "Next: preview" }));

  const table = await screen.findByRole("table", { name: "Dry run" });
  expect(within(table).getAllByRole("row")[2]?.textContent).toBe("v2remindertipsmoves2");
  expect(screen.getByRole("list", { name: "Warnings" })).toHaveTextContent("v2 -> v3: the action 'reminder' is removed");
  expect(await screen.findAllByText("2 contacts will move to another step")).not.toHaveLength(0);
  const dryRun = sent.find((request) => request.method === "POST" && request.path === MIGRATE);
  expect(dryRun?.body).toMatchObject({ from_versions: [1, 2], mapping: { reminder: "tips" }, unmapped: "exit", dry_run: true });
  const impacts = sent.filter((request) => request.path.endsWith("/versions/3/impact")).map((request) => new URLSearchParams(request.search));
  expect(impacts.map((query) => [query.getAll("from"), query.getAll("map"), query.get("unmapped")])).toEqual([
    [["1"], ["reminder:tips"], "exit"],
    [["2"], ["reminder:tips"], "exit"],
  ]);
});

test("a manual migration sends the executions picked, and nothing before the confirmation", async () => {
  const view = renderWizard();
  view.routes[`POST ${MIGRATE}`] = migrate(view.lastBody, () => json({ ...running, strategy: "manual", total: 2 }, 202));
  await toStrategy();
  await userEvent.click(screen.getByRole("radio", { name: /Manual/ }));
  expect(await screen.findByRole("checkbox", { name: "Contact c-1 on welcome" })).not.toBeChecked();
  const listed = view.sent.filter((request) => request.path.endsWith("/executions")).map((request) => request.search);
  expect(listed).toEqual(["?version=1&status=active&limit=50"]);

  await userEvent.click(screen.getByRole("button", { name: "Start migration" }));
  expect(screen.getByRole("alert")).toHaveTextContent("Pick at least one execution to move.");
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

  await userEvent.click(screen.getByRole("checkbox", { name: "Contact c-1 on welcome" }));
  await userEvent.click(screen.getByRole("checkbox", { name: "Contact c-3 on tips" }));
  await userEvent.click(screen.getByRole("button", { name: "Start migration" }));
  const dialog = screen.getByRole("dialog", { name: "Migrate 2 contacts?" });
  expect(dialog).toHaveTextContent("2 contacts move from v1 and v2 to v3, only the picked executions.");
  expect(view.posts(MIGRATE).filter((request) => !(request.body as { dry_run: boolean }).dry_run)).toEqual([]);

  await userEvent.click(within(dialog).getByRole("button", { name: "Migrate 2 contacts" }));
  expect(await screen.findByRole("progressbar", { name: "Contacts processed" })).toHaveAttribute("aria-valuenow", "12");
  const started = view.posts(MIGRATE).at(-1)?.body;
  expect(started).toMatchObject({ strategy: "manual", dry_run: false, from_versions: [1, 2], execution_ids: [liveExecutions.items[0]!.id, liveExecutions.items[2]!.id] });
});

test("above the threshold the confirmation stays disabled until the workflow's name is typed", async () => {
  const view = renderWizard({ typeAbove: 5 });
  view.routes[`POST ${MIGRATE}`] = migrate(view.lastBody, () => json(running, 202));
  await toStrategy();
  await userEvent.click(screen.getByRole("radio", { name: /Gradual/ }));
  await userEvent.clear(screen.getByLabelText("Step (percent)"));
  await userEvent.type(screen.getByLabelText("Step (percent)"), "25");
  await userEvent.click(screen.getByRole("button", { name: "Start migration" }));
  const dialog = screen.getByRole("dialog", { name: "Migrate 10 contacts?" });
  expect(dialog).toHaveTextContent("10 contacts move from v1 and v2 to v3, 25% every 5 min, halting when more than 5% of a step fail.");
  const confirm = within(dialog).getByRole("button", { name: "Migrate 10 contacts" });
  const name = within(dialog).getByLabelText("This moves more than 5 contacts: type the workflow's name, Welcome series, to confirm.");
  expect(confirm).toBeDisabled();
  await userEvent.type(name, "Welcome serie");
  expect(confirm).toBeDisabled();
  await userEvent.type(name, "s");
  expect(confirm).toBeEnabled();
  await userEvent.click(confirm);
  expect(await screen.findByRole("progressbar")).toBeInTheDocument();
  expect(view.posts(MIGRATE).at(-1)?.body).toMatchObject({ strategy: "gradual", step_percent: 25, interval_seconds: 300, failure_threshold: 0.05, dry_run: false });
});

test("at or below the threshold no name is asked", async () => {
  const view = renderWizard();
  view.routes[`POST ${MIGRATE}`] = migrate(view.lastBody, () => json(running, 202));
  await toStrategy();
  await userEvent.click(screen.getByRole("button", { name: "Start migration" }));
  const dialog = screen.getByRole("dialog", { name: "Migrate 10 contacts?" });
  expect(within(dialog).queryByRole("textbox")).not.toBeInTheDocument();
  expect(within(dialog).getByRole("button", { name: "Migrate 10 contacts" })).toBeEnabled();
});

test("a problem from the migrate POST is shown in the strategy step", async () => {
  const view = renderWizard();
  view.routes[`POST ${MIGRATE}`] = migrate(view.lastBody, () =>
    json({ type: "/problems/migration-conflict", title: "Conflict", status: 409, detail: "v2 is already the source of migration 7c1e…, which is not finished" }, 409),
  );
  await toStrategy();
  await userEvent.click(screen.getByRole("button", { name: "Start migration" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Migrate 10 contacts" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The migration was refused: v2 is already the source of migration 7c1e…, which is not finished");
  expect(screen.getByRole("listitem", { current: "step" })).toHaveTextContent("3. Strategy");
  expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
});

test("a refused dry run is shown in the preview step", async () => {
  renderWizard({}, { [`POST ${MIGRATE}`]: () => json({ type: "/problems/validation", title: "Invalid", status: 422, detail: "mapping names 'nope', which v3 does not have" }, 422) });
  await userEvent.click(await screen.findByRole("button", { name: "Next: preview" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The dry run was refused: mapping names 'nope', which v3 does not have");
  expect(screen.getByRole("button", { name: "Next: strategy" })).toBeDisabled();
});

test("progress: counts, ETA, pause, then resume with a new threshold, each sent", async () => {
  let now = running;
  const view = renderWizard(
    { migrationId: MIGRATION_ID },
    {
      [`GET ${MIGRATION}`]: () => json(now),
      [`POST ${MIGRATION}/pause`]: () => json((now = paused)),
      [`POST ${MIGRATION}/resume`]: () => json((now = { ...running, failure_threshold: 0.1 })),
      [`POST ${MIGRATION}/cancel`]: () => json((now = cancelled)),
    },
  );
  expect(await screen.findByRole("progressbar", { name: "Contacts processed" })).toHaveAttribute("aria-valuetext", "12 of 40");
  expect(screen.getByText("About 5 min 30 s left.")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Pause" }));
  expect(await screen.findByText("No estimate: paused by hand: nothing moves until it is resumed.")).toBeInTheDocument();

  await userEvent.click(screen.getByRole("button", { name: "Resume" }));
  const dialog = screen.getByRole("dialog", { name: "Resume the migration?" });
  await userEvent.type(within(dialog).getByLabelText("New failure threshold (percent, optional)"), "10");
  await userEvent.click(within(dialog).getByRole("button", { name: "Resume" }));
  expect(await screen.findByRole("button", { name: "Pause" })).toBeInTheDocument();

  const controls = view.sent.filter((request) => request.method === "POST");
  expect(controls.map((request) => [request.path, request.body])).toEqual([
    [`${MIGRATION}/pause`, undefined],
    [`${MIGRATION}/resume`, { failure_threshold: 0.1 }],
  ]);

  await userEvent.click(screen.getByRole("button", { name: "Cancel migration" }));
  const cancel = screen.getByRole("dialog", { name: "Cancel the migration?" });
  expect(cancel).toHaveTextContent("The 10 contacts already on v3 stay there");
  await userEvent.click(within(cancel).getByRole("button", { name: "Cancel migration" }));
  expect(await screen.findByText("Cancelled: 10 contacts moved to v3 before it stopped, of 40; the rest stay where they were.")).toBeInTheDocument();
  expect(view.sent.filter((request) => request.method === "POST").at(-1)?.path).toBe(`${MIGRATION}/cancel`);
});

test("a halted migration says where and why it halted", async () => {
  renderWizard({ migrationId: MIGRATION_ID }, { [`GET ${MIGRATION}`]: halted });
  expect(await screen.findByText("No estimate: halted by its failure threshold: nothing moves until it is resumed.")).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Halted at step 2: 2 of 20 executions failed since 2026-12-07 03:05 UTC (10%), above the threshold of 5%.");
});

test("a finished migration with failures says so, and lists them", async () => {
  const { sent } = renderWizard({ migrationId: MIGRATION_ID }, { [`GET ${MIGRATION}`]: finishedWithFailures });
  expect(await screen.findByText("Finished with failures: 38 contacts moved to v3.")).toBeInTheDocument();
  expect(screen.getByText("2 contacts could not be moved and stay on v2.")).toBeInTheDocument();
  expect(screen.queryByText(/^Completed/)).not.toBeInTheDocument();
  const rows = within(await screen.findByRole("table", { name: "Contacts not moved" })).getAllByRole("row").slice(1);
  expect(rows.map((row) => row.textContent)).toEqual(["c-7v2reminderunmapped: 'reminder' is not in v3", "c-9v2reminderunmapped: 'reminder' is not in v3"]);
  expect(sent.find((request) => request.path === `${MIGRATION}/items`)?.search).toBe("?outcome=failed&limit=50");
  expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
});

test("a dry run where some contacts would not move says how many move and how many stay or exit", () => {
  const some = {
    ...plan,
    total: 6,
    plan: [{ from_version: 1, from_action: "welcome", to_action: "welcome", outcome: "migrate" as const, count: 3 }],
    unmappable: [
      { from_version: 1, from_action: "reminder", to_action: null, outcome: "fail" as const, count: 1 },
      { from_version: 1, from_action: "gone", to_action: null, outcome: "exit" as const, count: 2 },
    ],
  };
  expect(dryRunSentence(some, [1])).toBe("Of the 6 contacts of v1, 3 would move to v3, 2 would exit the workflow and 1 would stay where it is, reported as failed.");
  expect(dryRunSentence(plan, [1, 2])).toBe("10 contacts of v1 and v2 would move to v3.");
});

test("the cancel dialog says one contact already moved in the singular", async () => {
  renderWizard({ migrationId: MIGRATION_ID }, { [`GET ${MIGRATION}`]: { ...running, migrated: 1 } });
  await userEvent.click(await screen.findByRole("button", { name: "Cancel migration" }));
  expect(screen.getByRole("dialog", { name: "Cancel the migration?" })).toHaveTextContent("The 1 contact already on v3 stays there");
});

test("one contact not moved is said in the singular", () => {
  const one = { ...finishedWithFailures, migrated: 3, failed: 1, total: 4 };
  expect(summarySentences(one, [1], 2)).toEqual(["Finished with failures: 3 contacts moved to v2.", "1 contact could not be moved and stays on v1."]);
});

test("without workflows:edit the start and the controls are disabled, with the reason", async () => {
  const reason = "Your token's permissions (workflows:read) do not include workflows:edit, which changing a live workflow needs.";
  const view = renderWizard({}, {}, READER);
  await toStrategy();
  const start = screen.getByRole("button", { name: "Start migration" });
  expect(start).toBeDisabled();
  expect(start).toHaveAccessibleDescription(reason);
  cleanup();

  renderWizard({ migrationId: MIGRATION_ID }, {}, READER);
  for (const name of ["Pause", "Cancel migration"]) {
    const button = await screen.findByRole("button", { name });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(reason);
  }
  expect(view.sent.filter((request) => request.method === "POST" && !(request.body as { dry_run?: boolean }).dry_run)).toEqual([]);
});
