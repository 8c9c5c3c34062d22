/**
 * The pair a workflow's compare screen opens on: the current version against the newest
 * draft (what publishing it would change); without a current version or a draft, the two
 * newest. Never one version twice: with fewer than two versions there is no pair.
 */
import type { components } from "../api/client";

type Version = Pick<components["schemas"]["VersionPublic"], "version_number" | "status" | "is_current">;

export function defaultPair(versions: readonly Version[]): { from: number; to: number } | null {
  const newestFirst = [...versions].sort((a, b) => b.version_number - a.version_number);
  const current = newestFirst.find((version) => version.is_current);
  const draft = newestFirst.find((version) => version.status === "draft" && version !== current);
  if (current && draft) return { from: current.version_number, to: draft.version_number };
  const [newest, before] = newestFirst;
  if (!newest || !before) return null;
  if (current && current !== newest) return { from: current.version_number, to: newest.version_number };
  return { from: before.version_number, to: newest.version_number };
}
