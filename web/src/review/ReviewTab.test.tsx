import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { WorkflowPage } from "../app/WorkflowPage";
import { routes, workflows, WORKFLOW_ID } from "../test/answers";
import { renderWithApi } from "../test/render";

test("the workflow page's Review tab opens on the newest draft's review", async () => {
  renderWithApi(<WorkflowPage workflowId={WORKFLOW_ID} />, {
    ...routes,
    [`GET /api/v1/workflows/${WORKFLOW_ID}`]: workflows.items[0],
    [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/3/reviews`]: { items: [] },
    [`GET /api/v1/workflows/${WORKFLOW_ID}/audit`]: { items: [], next_cursor: null },
  });
  await userEvent.click(await screen.findByRole("tab", { name: "Review" }));
  expect(await screen.findByRole("heading", { name: "v3 has no review yet" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Open a review" })).toBeEnabled();
  expect(await screen.findByText("No approval is needed to publish a draft of this workflow.")).toBeInTheDocument();
});
