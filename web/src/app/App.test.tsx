import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { TOKEN_KEY } from "../session/storage";
import { routes, WORKFLOW_ID } from "../test/answers";
import { fakeApi } from "../test/fakeApi";

import { App } from "./App";

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
});

test("a reload in the same tab keeps the session (sessionStorage)", () => {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  render(<App baseUrl="https://wfv.test" fetch={fakeApi(routes).fetch} />);
  expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
});
