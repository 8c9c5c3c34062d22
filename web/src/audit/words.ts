/**
 * An audit entry's action in words. The service's vocabulary (service/*.py, the calls that
 * audit) is open-ended: an action this list does not know is shown as its own name, so a new
 * one still reads, just less nicely. Most entries of a version carry `version_number` in
 * their details; it is put after the words ("Published v3").
 */
import type { AuditEntry } from "./queries";

/** The actions the filter offers, in the order a workflow meets them. */
export const ACTION_WORDS: Record<string, string> = {
  create_workflow: "Created the workflow",
  update_workflow: "Changed the workflow",
  delete_workflow: "Deleted the workflow",
  create: "Created draft",
  update: "Edited draft",
  draft_discard: "Discarded the unsaved edits of draft",
  delete: "Deleted draft",
  review_open: "Opened a review of",
  publish: "Published",
  rollback: "Rolled back, publishing",
  archive: "Archived",
  unarchive: "Unarchived",
  legal_hold: "Changed the legal hold of",
  pins_add: "Pinned contacts",
  pins_remove: "Unpinned contacts",
  migration_start: "Started a migration to",
  migration_pause: "Paused the migration to",
  migration_resume: "Resumed the migration to",
  migration_cancel: "Cancelled the migration to",
  migration_halt: "The migration halted",
  migration_complete: "The migration completed",
  migration_fail: "The migration failed",
  migration_revert_complete: "A migration's revert completed",
  migration_revert_fail: "A migration's revert failed",
  reconcile: "Reconciled the index with git",
  ref_moved: "Found git refs moved by hand",
};

export function versionOf(entry: AuditEntry): number | null {
  const number = entry.details["version_number"];
  return typeof number === "number" ? number : null;
}

/** The action as the service names it, spaced: "legal hold" (the filter's choices). */
export function actionName(action: string): string {
  return action.replaceAll("_", " ");
}

export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? actionName(action);
}

/** "Published v3"; "Created the workflow" when the entry names no version. */
export function describe(entry: AuditEntry): string {
  const version = versionOf(entry);
  const words = actionWords(entry.action);
  return version === null ? words : `${words} v${version}`;
}
