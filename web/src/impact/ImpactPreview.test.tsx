import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";

import { impactRoutes } from "./answers";
import { ImpactPreview } from "./ImpactPreview";

const bucket = (name: string) => within(document.querySelector(`li[data-bucket="${name}"]`) as HTMLElement);

test("every bucket's count in plain words, empty ones disabled", async () => {
  const { sent } = renderWithApi(<ImpactPreview workflowId={WORKFLOW_ID} from={1} to={2} />, impactRoutes);
  expect(await screen.findByRole("heading", { name: "Moving the 322 live contacts of v1 to v2" })).toBeInTheDocument();
  const sentences = screen.getAllByRole("button").map((button) => [button.textContent, (button as HTMLButtonElement).disabled]);
  expect(sentences).toEqual([
    ["2 contacts stay on steps that do not change", false],
    ["1 contact stays on a step that changes", false],
    ["0 contacts will wake earlier (a shorter wait)", true],
    ["3 contacts will wake later (a longer wait)", false],
    ["2 contacts will move to another step", false],
    ["312 contacts will exit", false],
    ["0 contacts will fail: their steps have no target", true],
    ["2 contacts are pinned and stay where they are", false],
  ]);
  expect(new URLSearchParams(sent[0]?.search).getAll("from")).toEqual(["1"]);
});

test("a bucket expands to its steps and its contacts, a page at a time", async () => {
  const { sent } = renderWithApi(<ImpactPreview workflowId={WORKFLOW_ID} from={1} to={2} />, impactRoutes);
  const later = await screen.findByRole("button", { name: "3 contacts will wake later (a longer wait)" });
  await userEvent.click(later);
  expect(later).toHaveAttribute("aria-expanded", "true");
  expect(bucket("timer_later").getByRole("list", { name: "Steps of timer_later" })).toHaveTextContent("v1 wait-1d → wait-1d (P1D → P1DT6H): 3");
  const table = await bucket("timer_later").findByRole("table", { name: "Contacts of timer_later" });
  const rows = () => within(table).getAllByRole("row").slice(1).map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent));
  expect(rows()).toEqual([
    ["c-1", "v1 wait-1d", "wait-1d", "2026-12-09 10:00 UTC", "2026-12-10 10:00 UTC → 2026-12-10 16:00 UTC"],
    ["c-2", "v1 wait-1d", "wait-1d", "2026-12-09 10:00 UTC", "2026-12-10 10:00 UTC → 2026-12-10 16:00 UTC"],
  ]);
  await userEvent.click(bucket("timer_later").getByRole("button", { name: "Load more" }));
  await within(table).findByText("c-3");
  expect(rows().map((row) => row[0])).toEqual(["c-1", "c-2", "c-3"]);
  expect(bucket("timer_later").queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  const pages = sent.filter((request) => request.search.includes("bucket=")).map((request) => new URLSearchParams(request.search));
  expect(pages.map((query) => [query.get("bucket"), query.get("cursor")])).toEqual([
    ["timer_later", null],
    ["timer_later", "after-2"],
  ]);
});

test("pinned contacts are counted on their steps apart", async () => {
  renderWithApi(<ImpactPreview workflowId={WORKFLOW_ID} from={1} to={2} />, impactRoutes);
  await userEvent.click(await screen.findByRole("button", { name: "2 contacts are pinned and stay where they are" }));
  expect(bucket("pinned").getByRole("list", { name: "Steps of pinned" })).toHaveTextContent(/^v1 tips: 2$/);
});

test("a migration's mapping and policy are sent as the migration takes them", async () => {
  const { sent } = renderWithApi(<ImpactPreview workflowId={WORKFLOW_ID} from={1} to={2} map={{ reminder: "bye" }} unmapped="exit" />, impactRoutes);
  await screen.findByRole("heading", { name: /Moving the 322/ });
  const query = new URLSearchParams(sent[0]?.search);
  expect([query.getAll("map"), query.get("unmapped")]).toEqual([["reminder:bye"], "exit"]);
});

test("a refused preview says why", async () => {
  renderWithApi(<ImpactPreview workflowId={WORKFLOW_ID} from={2} to={2} />, {
    [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/2/impact`]: () =>
      new Response(JSON.stringify({ type: "/problems/migration-conflict", title: "Migration conflict", status: 409, detail: "v2 is both the target and a source" }), { status: 409 }),
  });
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not preview v2 → v2: v2 is both the target and a source");
});
