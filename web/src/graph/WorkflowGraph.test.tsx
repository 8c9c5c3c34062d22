import { screen, within } from "@testing-library/react";

import { routes, WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";

import { WorkflowGraph } from "./WorkflowGraph";


test("the current version: the trigger and one node per action, with their live contacts", async () => {
  const { sent } = renderWithApi(<WorkflowGraph workflowId={WORKFLOW_ID} version={2} />, routes);
  await screen.findByLabelText(/^Step welcome, send_email, Welcome mail: 5 live$/);
  expect(screen.getByLabelText("Trigger, tag_added: 1 live")).toBeInTheDocument();
  expect(screen.getByLabelText("Step wait-1d, wait: 2 live")).toBeInTheDocument();
  expect(screen.getByLabelText("Step opened?, if_else: 0 live")).toBeInTheDocument();
  // completed contacts and those of v1 are not v2's live ones
  expect(screen.getByLabelText("Step tips, send_email: 0 live")).toBeInTheDocument();
  expect(screen.getByLabelText("Step reminder, send_sms: 0 live")).toBeInTheDocument();
  const welcome = screen.getByLabelText(/^Step welcome/);
  expect(within(welcome).getByTestId("live-count")).toHaveTextContent("5");
  expect(within(welcome).getByText("Welcome mail")).toBeInTheDocument();
  expect(sent.map((request) => request.path)).toEqual(
    expect.arrayContaining([`/api/v1/workflows/${WORKFLOW_ID}/versions/2`, `/api/v1/workflows/${WORKFLOW_ID}/executions/summary`]),
  );
  expect(sent.every((request) => request.authorization === "Bearer header.payload.signature")).toBe(true);
});

test("edges for next, and then / else labelled on a branch", async () => {
  renderWithApi(<WorkflowGraph workflowId={WORKFLOW_ID} version={2} />, routes);
  await screen.findByLabelText(/^Step welcome/);
  for (const name of [
    "from the trigger to welcome",
    "from welcome to wait-1d",
    "from wait-1d to opened?",
    "then: from opened? to tips",
    "else: from opened? to reminder",
  ]) {
    expect(await screen.findByLabelText(name)).toBeInTheDocument();
  }
  expect(screen.getByText("then")).toBeInTheDocument();
  expect(screen.getByText("else")).toBeInTheDocument();
});

test("steps and edges are reachable with the keyboard", async () => {
  renderWithApi(<WorkflowGraph workflowId={WORKFLOW_ID} version={2} />, routes);
  const welcome = await screen.findByLabelText(/^Step welcome/);
  expect(welcome).toHaveAttribute("tabindex", "0");
  expect(await screen.findByLabelText("then: from opened? to tips")).toHaveAttribute("tabindex", "0");
  welcome.focus();
  expect(welcome).toHaveFocus();
});

test("an incomplete draft still renders what it can, and says what is missing", async () => {
  renderWithApi(<WorkflowGraph workflowId={WORKFLOW_ID} version={3} />, routes);
  expect(await screen.findByLabelText(/^Step orphan, add_tag/)).toBeInTheDocument();
  expect(screen.getByLabelText(/^Step welcome/)).toBeInTheDocument();
  expect(screen.getByRole("note")).toHaveTextContent('"welcome" next names "missing-step", which is not an action');
});

test("a version the API refuses is an alert, not an empty graph", async () => {
  renderWithApi(<WorkflowGraph workflowId={WORKFLOW_ID} version={9} />, routes);
  expect(await screen.findByRole("alert")).toHaveTextContent("no recorded answer");
});
