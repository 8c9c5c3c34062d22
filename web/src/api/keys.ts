/** Query keys, all under "wfv": a host's own queries never collide with ours. */
export const wfvKeys = {
  all: ["wfv"] as const,
  workflows: () => ["wfv", "workflows"] as const,
  /** The workflow's own row (name, approval rule): one entry every screen shares. */
  workflow: (workflowId: string) => ["wfv", "workflow", workflowId, "settings"] as const,
  versions: (workflowId: string) => ["wfv", "workflow", workflowId, "versions"] as const,
  version: (workflowId: string, version: string) => ["wfv", "workflow", workflowId, "version", version] as const,
  summary: (workflowId: string) => ["wfv", "workflow", workflowId, "summary"] as const,
};
