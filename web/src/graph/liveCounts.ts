/**
 * Live contacts per step of one version, from the executions summary (counts per version x
 * action x status): active and waiting are live, as in the versions list. A null action is a
 * contact not yet at its first action: it is counted on the trigger.
 */
import type { components } from "../api/client";

const LIVE = new Set(["active", "waiting"]);

export function liveCounts(
  summary: components["schemas"]["ExecutionSummary"] | undefined,
  versionNumber: number,
): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const row of summary?.items ?? []) {
    if (row.version_number !== versionNumber || !LIVE.has(row.status)) continue;
    counts.set(row.action_id, (counts.get(row.action_id) ?? 0) + row.count);
  }
  return counts;
}
