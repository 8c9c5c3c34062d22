import { QueryClient } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SignOutButton } from "../app/SignOutButton";
import { AuditLog } from "../audit/AuditLog";
import { HistoryPanel } from "../history/HistoryPanel";
import { WfvProvider } from "../provider/WfvProvider";
import { routes, WORKFLOW_ID } from "../test/answers";
import { json } from "../test/fakeApi";
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

test("a 401 from any query signs out once: onSignOut and onUnauthorized each called once, nothing left", async () => {
  sessionStorage.setItem(TOKEN_KEY, "header.payload.signature");
  localStorage.setItem("wfv.draft.6f1c2a4e.3", '{"format":1}');
  // Every call is refused, and none is answered before three are in flight: all three 401s
  // arrive, and only the first may sign out.
  const paths: string[] = [];
  let release = () => {};
  const allIn = new Promise<void>((resolve) => (release = resolve));
  const refuse = async (request: Request) => {
    paths.push(new URL(request.url).pathname);
    if (paths.length === 3) release();
    await allIn;
    return json({ type: "about:blank", title: "Unauthorized", status: 401, detail: "token expired" }, 401);
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let signedOut = 0;
  let unauthorized = 0;
  const { container } = render(
    <WfvProvider
      baseUrl="https://wfv.test"
      getToken={() => "header.payload.signature"}
      fetch={refuse}
      queryClient={queryClient}
      onSignOut={() => (signedOut += 1)}
      onUnauthorized={() => (unauthorized += 1)}
    >
      <WorkflowsList />
      <HistoryPanel workflowId={WORKFLOW_ID} />
      <AuditLog workflowId={WORKFLOW_ID} />
    </WfvProvider>,
  );
  await waitFor(() => expect(unauthorized).toBe(1));
  await new Promise((resolve) => setTimeout(resolve, 20));

  expect(paths).toEqual(
    expect.arrayContaining([
      "/api/v1/workflows",
      `/api/v1/workflows/${WORKFLOW_ID}/versions`,
      `/api/v1/workflows/${WORKFLOW_ID}/audit`,
    ]),
  );
  expect(unauthorized).toBe(1);
  expect(signedOut).toBe(1);
  expect(container).toBeEmptyDOMElement();
  expect(queryClient.getQueryCache().getAll()).toEqual([]);
  expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  expect(localStorage.getItem("wfv.draft.6f1c2a4e.3")).toBeNull();
});

test("a refusal other than 401 (a 403) is the screen's error, not a sign-out", async () => {
  sessionStorage.setItem(TOKEN_KEY, "header.payload.signature");
  let signedOut = 0;
  renderWithApi(
    <AuditLog workflowId={WORKFLOW_ID} />,
    { [`GET /api/v1/workflows/${WORKFLOW_ID}/audit`]: () => json({ type: "about:blank", title: "Forbidden", status: 403, detail: "not yours" }, 403) },
    { onSignOut: () => (signedOut += 1) },
  );
  expect(await screen.findByRole("alert")).toHaveTextContent("not yours");
  expect(signedOut).toBe(0);
  expect(sessionStorage.getItem(TOKEN_KEY)).toBe("header.payload.signature");
});
