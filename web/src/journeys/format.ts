/** A position in words: "v2 · wait-1d · waiting"; a contact at no action yet says so. */
import { formatDate } from "../history/format";

import type { JourneyEvent } from "./queries";

export function position(version: number | null, action: string | null, status: string | null): string {
  if (version === null) return "—";
  return [`v${version}`, action ?? "no action yet", status ?? ""].filter(Boolean).join(" · ");
}

export const from = (event: JourneyEvent) => position(event.from_version_number, event.from_action_id, event.from_status);
export const to = (event: JourneyEvent) => position(event.version_number, event.action_id, event.status);

/** A `datetime-local` value is the browser's local time: the API wants an offset, so it is sent in UTC. */
export function localToIso(value: string): string | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export { formatDate };
