import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderWithApi } from "../test/render";

import { NURTURE_ID, nurtureRoutes, WELCOME_ID, welcomeRoutes } from "./answers";
import { CompareView } from "./CompareView";

const side = (version: number) => screen.findByRole("region", { name: `Version ${version} as a graph, steps marked by change` });

test("both graphs, each step coloured and named by its change; the legend says what the colours mean", async () => {
  renderWithApi(<CompareView workflowId={WELCOME_ID} from={1} to={2} />, welcomeRoutes);
  const before = await side(1);
  const after = await side(2);

  const reminder = await within(before).findByLabelText(/^Step reminder, send_sms: removed, breaking: 4 live, 1 pinned$/);
  expect(reminder.querySelector("[data-change]")).toHaveAttribute("data-change", "removed");
  expect(reminder.querySelector("[data-change]")?.className).toMatch(/border-red-600/);
  expect(within(reminder).getByText(/removed/)).toBeInTheDocument();
  expect(within(after).queryByLabelText(/^Step reminder/)).not.toBeInTheDocument();

  for (const graph of [before, after]) {
    const wait = within(graph).getByLabelText(/^Step wait-1d, wait(_until)?: modified, breaking: 2 live$/);
    expect(wait.querySelector("[data-change]")?.className).toMatch(/border-amber-500/);
    expect(within(graph).getByLabelText(/^Step opened\?, if_else: modified$/)).toBeInTheDocument();
    expect(within(graph).getByLabelText(/^Step welcome, send_email, Welcome mail$/).querySelector("[data-change]")).toBeNull();
  }

  const legend = screen.getByRole("list", { name: "Legend" });
  for (const [change, swatch] of [
    ["added", "bg-emerald-500"],
    ["removed", "bg-red-500"],
    ["modified", "bg-amber-400"],
    ["moved", "bg-blue-500"],
  ] as const) {
    const item = within(legend).getByText(change).closest("li");
    expect(item).toHaveAttribute("data-change", change);
    expect(item?.querySelector("span")?.className).toMatch(swatch);
  }
});

test("added steps are green on the new side only", async () => {
  renderWithApi(<CompareView workflowId={NURTURE_ID} from={1} to={2} />, nurtureRoutes);
  const after = await side(2);
  const added = await within(after).findByLabelText(/^Step new-sms, send_sms: added$/);
  expect(added.querySelector("[data-change]")?.className).toMatch(/border-emerald-600/);
  expect(within(await side(1)).queryByLabelText(/^Step new-sms/)).not.toBeInTheDocument();
});

test("a moved step is blue on both sides, and says where it moved", async () => {
  renderWithApi(<CompareView workflowId={WELCOME_ID} from={1} to={4} />, welcomeRoutes);
  for (const version of [1, 4]) {
    const moved = await within(await side(version)).findByLabelText(/^Step (tips|reminder), send_\w+: moved$/);
    expect(moved.querySelector("[data-change]")?.className).toMatch(/border-blue-600/);
  }
  await userEvent.click(screen.getByRole("button", { name: /moved/ }));
  expect(screen.getByRole("region", { name: /^Changes of / })).toHaveTextContent(/Moved in the document's order, from position \d to \d/);
});

test("breaking changes are badged on their step with their live and pinned contacts", async () => {
  renderWithApi(<CompareView workflowId={NURTURE_ID} from={1} to={2} />, nurtureRoutes);
  const before = await side(1);
  const removed = await within(before).findByLabelText(/^Step step-020, add_tag, Step 20: removed, breaking: 3 live, 1 pinned$/);
  expect(within(removed).getByTestId("breaking")).toHaveTextContent("⚠ 3 live +1 pinned");
  // the trigger changed (a form), which breaks nothing: no badge there
  const trigger = within(before).getByLabelText(/^Trigger, form_submitted: modified$/);
  expect(within(trigger).queryByTestId("breaking")).not.toBeInTheDocument();
  expect(screen.getByText(/2 actions added, 1 removed, 4 modified; trigger changed; 1 breaking/)).toBeInTheDocument();
});

test("selecting a step by click or keyboard shows its field changes and what a breaking change does to its contacts", async () => {
  renderWithApi(<CompareView workflowId={WELCOME_ID} from={1} to={2} />, welcomeRoutes);
  const before = await side(1);
  // a click (fireEvent: d3-zoom's mousedown handler needs a real window, which jsdom's events lack)
  fireEvent.click(await within(before).findByLabelText(/^Step wait-1d/));
  const panel = screen.getByRole("region", { name: "Changes of wait-1d" });
  const rows = within(within(panel).getByRole("table", { name: "Field changes" })).getAllByRole("row");
  expect(rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent))).toEqual([
    ["Path", "Before", "After"],
    ["config.duration", '"P1D"', "—"],
    ["config.until", "—", '"09:00"'],
    ["type", '"wait"', '"wait_until"'],
  ]);
  const warnings = within(panel).getByRole("list", { name: "Breaking changes" });
  expect(warnings).toHaveTextContent("action 'wait-1d' changes type from 'wait' to 'wait_until'");
  expect(warnings).toHaveTextContent("2 live contacts hit right now. Under a migration by id, they stay on the step, which changes under them.");

  // the keyboard: Tab to the step, Enter selects it (on both sides)
  const trigger = within(before).getByLabelText(/^Trigger/);
  trigger.focus();
  await userEvent.keyboard("{Enter}");
  const triggerPanel = screen.getByRole("region", { name: "Changes of Trigger" });
  expect(triggerPanel).toHaveTextContent("the trigger changes from 'tag_added' to 'form_submitted'");
  expect(triggerPanel).toHaveTextContent("10 live contacts hit right now, and 1 pinned");
  expect(within(triggerPanel).getByRole("table", { name: "Field changes" })).toHaveTextContent("config.tag");
  const after = await side(2);
  expect(within(after).getByLabelText(/^Trigger/).querySelector("[data-change]")?.className).toMatch(/ring-2/);

  fireEvent.click(within(before).getByLabelText(/^Step welcome/));
  expect(screen.getByRole("region", { name: "Changes of welcome" })).toHaveTextContent("Unchanged between v1 and v2.");

  fireEvent.click(within(before).getByLabelText(/^Step reminder/));
  expect(screen.getByRole("region", { name: "Changes of reminder" })).toHaveTextContent(
    "4 live contacts hit right now, and 1 pinned (a migration leaves them where they are). Under a migration by id, they fail: they have no position in the new version.",
  );
});

test("an identical pair is refused without a call; equal content says there are no differences", async () => {
  const { sent, unmount } = renderWithApi(<CompareView workflowId={WELCOME_ID} from={3} to={3} />, welcomeRoutes);
  expect(screen.getByRole("alert")).toHaveTextContent("v3 and v3 are the same version: pick two different versions");
  expect(sent).toEqual([]);
  unmount();

  renderWithApi(<CompareView workflowId={WELCOME_ID} from={1} to={3} />, welcomeRoutes);
  expect(await screen.findByRole("status")).toHaveTextContent("v1 and v3 have no differences");
  expect(screen.queryByRole("region", { name: /as a graph/ })).not.toBeInTheDocument();
});

test("the patch toggle shows git's unified patch as text, and back", async () => {
  const { sent } = renderWithApi(<CompareView workflowId={WELCOME_ID} from={1} to={2} />, welcomeRoutes);
  const toggle = await screen.findByRole("button", { name: "Show git's patch" });
  expect(toggle).toHaveAttribute("aria-pressed", "false");
  await userEvent.click(toggle);
  const patch = await screen.findByLabelText("git's patch from v1 to v2");
  expect(patch.tagName).toBe("PRE");
  // It scrolls: a named region a keyboard reaches (axe's scrollable-region-focusable).
  expect(screen.getByRole("region", { name: "git's patch from v1 to v2" })).toBe(patch);
  expect(patch).toHaveAttribute("tabindex", "0");
  expect(patch.textContent).toMatch(/^diff --git a\/workflow.json b\/workflow.json\n/);
  expect(patch.textContent).toContain('-    "type": "tag_added"\n+    "type": "form_submitted"');
  expect(patch.children).toHaveLength(0);
  expect(sent.some((request) => request.search.includes("format=patch"))).toBe(true);
  await userEvent.click(screen.getByRole("button", { name: "Show the graphs" }));
  expect(await side(1)).toBeInTheDocument();
});
