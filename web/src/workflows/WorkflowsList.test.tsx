import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { STARTER_DOCUMENT } from "../api/starter";
import { created, routes, workflows } from "../test/answers";
import { json } from "../test/fakeApi";
import { renderWithApi } from "../test/render";

import { WorkflowsList } from "./WorkflowsList";

const names = () => screen.getAllByRole("listitem").map((item) => item.textContent);

test("lists every workflow and searches them by name", async () => {
  renderWithApi(<WorkflowsList />, routes);
  await screen.findByRole("button", { name: "Welcome series" });
  expect(names()).toEqual(["Welcome series", "Win-back (draft)"]);
  await userEvent.type(screen.getByRole("searchbox", { name: "Search workflows by name" }), "WIN");
  expect(names()).toEqual(["Win-back (draft)"]);
  await userEvent.clear(screen.getByRole("searchbox"));
  await userEvent.type(screen.getByRole("searchbox"), "nothing like it");
  expect(screen.queryAllByRole("listitem")).toEqual([]);
  expect(screen.getByText('No workflow matches "nothing like it".')).toBeInTheDocument();
});

test("opens the workflow chosen", async () => {
  const opened: string[] = [];
  renderWithApi(<WorkflowsList selectedId={workflows.items[0]!.id} onOpen={(id) => opened.push(id)} />, routes);
  expect(await screen.findByRole("button", { name: "Welcome series" })).toHaveAttribute("aria-current", "page");
  await userEvent.click(screen.getByRole("button", { name: "Win-back (draft)" }));
  expect(opened).toEqual([workflows.items[1]!.id]);
});

test("creates a workflow from a name and the starter draft, then opens it", async () => {
  let listed = workflows;
  const opened: string[] = [];
  const { sent } = renderWithApi(<WorkflowsList onOpen={(id) => opened.push(id)} />, {
    ...routes,
    "GET /api/v1/workflows": () => json(listed),
    "POST /api/v1/workflows": () => {
      listed = { ...workflows, items: [created, ...workflows.items] };
      return json(created, 201);
    },
  });
  await userEvent.click(await screen.findByRole("button", { name: "New workflow" }));
  await userEvent.type(screen.getByRole("textbox", { name: "Name" }), "  Onboarding ");
  await userEvent.click(screen.getByRole("button", { name: "Create" }));
  await screen.findByRole("button", { name: "Onboarding" });
  expect(opened).toEqual([created.id]);
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  const post = sent.find((request) => request.method === "POST");
  expect(post?.body).toEqual({ name: "Onboarding", definition: STARTER_DOCUMENT });
});

test("a refused create keeps the dialog open with the server's reason", async () => {
  renderWithApi(<WorkflowsList />, {
    ...routes,
    "POST /api/v1/workflows": () =>
      json({ type: "/problems/forbidden", title: "Forbidden", status: 403, detail: "needs workflows:edit" }, 403),
  });
  await userEvent.click(await screen.findByRole("button", { name: "New workflow" }));
  await userEvent.type(screen.getByRole("textbox", { name: "Name" }), "Onboarding");
  await userEvent.click(screen.getByRole("button", { name: "Create" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("needs workflows:edit");
  expect(screen.getByRole("dialog")).toBeInTheDocument();
});
