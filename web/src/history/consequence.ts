/**
 * What a confirmed action does to a live workflow, in the words its dialog and its answer
 * use: which version new contacts enrol on, and where the live ones stay (nobody moves
 * until a migration moves them).
 */
import type { components } from "../api/client";

import type { ActionDone, ActionKind } from "./actions";

type Version = Pick<components["schemas"]["VersionPublic"], "version_number" | "active_executions">;

const contacts = (count: number) => `${count} contact${count === 1 ? "" : "s"}`;

/** Where the current version's live contacts stay, or that none was current. */
function stay(current: Version | undefined): string {
  if (!current) return "No version was current, so no contact is live yet.";
  if (current.active_executions === 0) return `No contact is live on v${current.version_number}.`;
  return `${contacts(current.active_executions)} stay on v${current.version_number} until migrated.`;
}

export function consequence(kind: Exclude<ActionKind, "draft">, workflow: string, version: Version, current: Version | undefined): string {
  switch (kind) {
    case "publish":
      return `v${version.version_number} becomes the current version of ${workflow}: new contacts enrol on it. ${stay(current)}`;
    case "rollback":
      return `A new version with v${version.version_number}'s content becomes the current version of ${workflow}, without review (an admin's emergency action). ${stay(current)}${
        version.active_executions ? ` The ${contacts(version.active_executions)} on v${version.version_number} stay on it.` : ""
      }`;
    case "delete":
      return `Draft v${version.version_number} of ${workflow} leaves the history (it stays readable by its number). ${
        version.active_executions ? `${contacts(version.active_executions)} on it stay where they are.` : "No contact is on a draft: nothing live changes."
      }`;
  }
}

/** The sentence the panel shows once the API has answered. */
export function done({ kind, from, answer }: ActionDone): string {
  switch (kind) {
    case "draft":
      return `Draft v${answer.version_number} created from v${from}.`;
    case "publish":
      return `Published: v${answer.version_number} is now current.`;
    case "rollback":
      return `Rolled back: v${answer.version_number}, v${from}'s content, is now current.`;
    case "delete":
      return `Draft v${answer.version_number} deleted.`;
  }
}
