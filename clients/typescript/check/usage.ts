/**
 * Compiled, never run: `tsc --noEmit` (tests/clients/test_typescript.py) fails here when
 * the client or its generated types no longer fit the way an engine or a CRM calls them.
 */
import { createWfvClient, type Problem, type WfvClient, type components } from "../src/client";

type ExecutionPublic = components["schemas"]["ExecutionPublic"];

function explain(problem: Problem): string {
  const status: number = problem.status;
  return `${status} ${problem.type}: ${problem.detail}`;
}

export async function enrolAndReport(client: WfvClient, workflowId: string): Promise<string[]> {
  const path = { workflow_id: workflowId };
  const enrolled = await client.POST("/api/v1/workflows/{workflow_id}/executions", {
    params: { path },
    body: { contact_ids: ["c-1", "c-2"] },
  });
  if (enrolled.error) {
    throw new Error(explain(enrolled.error));
  }
  const count: number = enrolled.data.enrolled;
  const actionId: string = enrolled.data.action_id;

  const moved = await client.POST("/api/v1/workflows/{workflow_id}/executions/positions", {
    params: { path },
    body: { moves: [{ contact_id: "c-1", action_id: actionId, status: "waiting" }] },
  });
  if (moved.error) {
    throw new Error(explain(moved.error));
  }
  const updated: number = moved.data.updated;

  const listed = await client.GET("/api/v1/workflows/{workflow_id}/executions", {
    params: { path, query: { status: "waiting", limit: 100 } },
  });
  const items: ExecutionPublic[] = listed.data?.items ?? [];
  return [String(count), String(updated), ...items.map((item) => `${item.contact_id}@${item.current_action_id ?? "-"}`)];
}

export async function currentVersion(client: WfvClient, workflowId: string): Promise<string | null> {
  const { data, error } = await client.GET("/api/v1/workflows/{workflow_id}", {
    params: { path: { workflow_id: workflowId } },
  });
  if (error) {
    throw new Error(explain(error));
  }
  return data.current_version_id ?? null;
}

export async function publish(client: WfvClient, workflowId: string, version: number): Promise<boolean> {
  const { data } = await client.POST("/api/v1/workflows/{workflow_id}/versions/{version}/publish", {
    params: { path: { workflow_id: workflowId, version: String(version) } },
  });
  return data?.is_current ?? false;
}

export const client: WfvClient = createWfvClient({
  baseUrl: "http://127.0.0.1:8000",
  token: () => "a JWT from your identity provider",
});
