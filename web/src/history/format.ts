/** Dates and paces as the history shows them: in UTC, the zone of git's records and the API. */
import type { components } from "../api/client";

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The drain column: how many left in the last 24 hours, and when it empties at that pace. */
export function formatDrain(drain: components["schemas"]["VersionDrain"] | null | undefined): string {
  switch (drain?.state) {
    case "draining":
      return `${drain.departed} left in 24 h${drain.empty_by ? `, empty by ${formatDate(drain.empty_by)}` : ""}`;
    case "not_draining":
      return "none left in 24 h";
    case "enrolling":
      return "enrolling";
    case "empty":
    case undefined:
      return "";
  }
}
