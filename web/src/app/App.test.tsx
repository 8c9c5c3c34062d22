import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { firstPage } from "../audit/answers";
import { TOKEN_KEY } from "../session/storage";
import { routes, WORKFLOW_ID } from "../test/answers";
import { fakeApi, json } from "../test/fakeApi";

import { App } from "./App";
import { SESSION_ENDED } from "./App";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

test("sign in with a token, open a workflow's history and graph, sign out to an empty form", async () => {
  const api = fakeApi(routes);
  render(<App baseUrl="https://wfv.test" fetch={api.fetch} />);

  await userEvent.type(screen.getByLabelText("Token"), "not a token");
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(screen.getByRole("alert")).toHaveTextContent("does not look like a JWT");
  await userEvent.clear(screen.getByLabelText("Token"));
  await userEvent.type(screen.getByLabelText("Token"), TOKEN);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(sessionStorage.getItem(TOKEN_KEY)).toBe(TOKEN);
  expect(localStorage.length).toBe(0);
  localStorage.setItem("wfv.draft.6f1c2a4e.3", '{"format":1}'); // a draft kept offline, gone at sign-out

  await userEvent.click(await screen.findByRole("button", { name: "Welcome series" }));
  expect(await screen.findByRole("table", { name: "Version history" })).toBeInTheDocument();
  await userEvent.click(screen.getByRole("tab", { name: "Graph (v2)" }));
  expect(await screen.findByLabelText(/^Step welcome, send_email, Welcome mail: 5 live$/)).toBeInTheDocument();
  expect(api.sent.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
  expect(api.sent.map((request) => request.path)).toContain(`/api/v1/workflows/${WORKFLOW_ID}/versions/2`);

  await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
  expect(screen.getByRole("heading", { name: "Sign in to wfv" })).toBeInTheDocument();
  expect(screen.getByLabelText("Token")).toHaveValue("");
  expect(screen.queryByText("Welcome series")).not.toBeInTheDocument();
  expect(screen.queryByRole("table")).not.toBeInTheDocument();
  expect(sessionStorage.length).toBe(0);
  expect(localStorage.length).toBe(0);
  expect(screen.queryByRole("status")).not.toBeInTheDocument();
});

test("a reload in the same tab keeps the session (sessionStorage)", () => {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  render(<App baseUrl="https://wfv.test" fetch={fakeApi(routes).fetch} />);
  expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
});

test("a workflow's Journeys, Impact (current to newest draft) and Rollout tabs, each loaded when opened", async () => {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  const api = fakeApi({
    ...routes,
    [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/3/impact`]: { target_version: 3, from_versions: [2], total: 7, counts: { unchanged: 0, changed_in_place: 0, timer_earlier: 0, timer_later: 0, remapped: 0, exits: 7, fails: 0, pinned: 0 }, positions: [], contacts: null },
    [`GET /api/v1/workflows/${WORKFLOW_ID}/rollout`]: () => json({ type: "/problems/rollout-not-found", title: "Rollout not found", status: 404 }, 404),
  });
  render(<App baseUrl="https://wfv.test" fetch={api.fetch} />);
  await userEvent.click(await screen.findByRole("button", { name: "Welcome series" }));
  await userEvent.click(await screen.findByRole("tab", { name: "Journeys" }));
  expect(await screen.findByLabelText("Contact id")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("tab", { name: "Impact" }));
  expect(await screen.findByRole("button", { name: "7 contacts will exit" })).toBeInTheDocument();
  expect(api.sent.find((request) => request.path.endsWith("/impact"))?.search).toBe("?from=2");
  await userEvent.click(screen.getByRole("tab", { name: "Rollout" }));
  expect(await screen.findByText("No rollout has run for this workflow.")).toBeInTheDocument();
  expect(await screen.findByLabelText("Draft")).toHaveValue("3");
});

test("a 401 from any call signs out of the app: the sign-in form says the session ended, nothing of the workflow is left", async () => {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  localStorage.setItem("wfv.draft.6f1c2a4e.3", '{"format":1}');
  const api = fakeApi({
    ...routes,
    [`GET /api/v1/workflows/${WORKFLOW_ID}/audit`]: () => json({ type: "about:blank", title: "Unauthorized", status: 401, detail: "token expired" }, 401),
  });
  render(<App baseUrl="https://wfv.test" fetch={api.fetch} />);
  await userEvent.click(await screen.findByRole("button", { name: "Welcome series" }));
  expect(await screen.findByRole("table", { name: "Version history" })).toBeInTheDocument();
  await userEvent.click(screen.getByRole("tab", { name: "Audit" }));

  expect(await screen.findByRole("status")).toHaveTextContent(SESSION_ENDED);
  expect(screen.getByRole("heading", { name: "Sign in to wfv" })).toBeInTheDocument();
  expect(screen.queryByText("Welcome series")).not.toBeInTheDocument();
  expect(sessionStorage.length).toBe(0);
  expect(localStorage.length).toBe(0);

  // Signing in again starts afresh: no notice, no workflow open, the list read anew.
  const before = api.sent.length;
  await userEvent.type(screen.getByLabelText("Token"), TOKEN);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(screen.queryByText(SESSION_ENDED)).not.toBeInTheDocument();
  expect(await screen.findByRole("button", { name: "Welcome series" })).toBeInTheDocument();
  expect(screen.getByText("Choose a workflow, or create one.")).toBeInTheDocument();
  expect(api.sent.slice(before).map((request) => request.path)).toEqual(["/api/v1/workflows"]);
});

test("the Audit tab shows the workflow's audit trail", async () => {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  const api = fakeApi({ ...routes, [`GET /api/v1/workflows/${WORKFLOW_ID}/audit`]: firstPage });
  render(<App baseUrl="https://wfv.test" fetch={api.fetch} />);
  await userEvent.click(await screen.findByRole("button", { name: "Welcome series" }));
  await userEvent.click(await screen.findByRole("tab", { name: "Audit" }));
  expect(await screen.findByText("Published v2")).toBeInTheDocument();
});

test("on a phone the page does not scroll sideways: the main column may shrink below the table, the tabs wrap", async () => {
  // jsdom has no layout: the classes that allow it are checked here, the width itself by the
  // end-to-end history test at 390 px (tests/e2e/ui/test_history_compare.py).
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  render(<App baseUrl="https://wfv.test" fetch={fakeApi(routes).fetch} />);
  await userEvent.click(await screen.findByRole("button", { name: "Welcome series" }));
  expect(screen.getByRole("main")).toHaveClass("min-w-0");
  expect(screen.getByRole("tablist")).toHaveClass("flex-wrap", "max-w-full");
});
