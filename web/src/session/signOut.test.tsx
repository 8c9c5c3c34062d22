import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SignOutButton } from "../app/SignOutButton";
import { HistoryPanel } from "../history/HistoryPanel";
import { routes, WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";
import { WorkflowsList } from "../workflows/WorkflowsList";

import { TOKEN_KEY } from "./storage";

test("sign-out leaves nothing: no data on screen, an empty cache, no wfv key in storage", async () => {
  sessionStorage.setItem(TOKEN_KEY, "header.payload.signature");
  localStorage.setItem("wfv.draft.6f1c2a4e.3", '{"format":1}');
  localStorage.setItem("host.theme", "dark");
  let told = 0;
  const { container, queryClient } = renderWithApi(
    <>
      <SignOutButton />
      <WorkflowsList />
      <HistoryPanel workflowId={WORKFLOW_ID} />
    </>,
    routes,
    { onSignOut: () => (told += 1) },
  );
  await screen.findByRole("button", { name: "Welcome series" });
  await screen.findByRole("table", { name: "Version history" });
  expect(queryClient.getQueryCache().getAll().length).toBeGreaterThan(0);

  await userEvent.click(screen.getByRole("button", { name: "Sign out" }));

  expect(container).toBeEmptyDOMElement();
  expect(document.body.textContent).toBe("");
  expect(queryClient.getQueryCache().getAll()).toEqual([]);
  expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  expect(localStorage.getItem("wfv.draft.6f1c2a4e.3")).toBeNull();
  expect(localStorage.getItem("host.theme")).toBe("dark");
  expect(told).toBe(1);
});
