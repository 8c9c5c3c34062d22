/** Query keys, all under "wfv": a host's own queries never collide with ours. */
export const wfvKeys = {
  all: ["wfv"] as const,
  workflows: () => ["wfv", "workflows"] as const,
  versions: (workflowId: string) => ["wfv", "workflow", workflowId, "versions"] as const,
  version: (workflowId: string, version: string) => ["wfv", "workflow", workflowId, "version", version] as const,
  summary: (workflowId: string) => ["wfv", "workflow", workflowId, "summary"] as const,
};
