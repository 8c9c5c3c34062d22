/**
 * When an entry happened: the reader's local time on screen (the audit answers "when did I
 * see this change?"), and the exact instant in UTC, as the server recorded it, in the title.
 */
const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const UTC_STAMP = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)(?:Z|\+00:00)$/;

export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : LOCAL.format(date);
}

/** "2026-12-01 09:00:00.123456 UTC": the server's own digits when it wrote UTC, else converted. */
export function exactUtc(iso: string): string {
  const match = UTC_STAMP.exec(iso);
  if (match) return `${match[1]} ${match[2]} UTC`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().replace("T", " ").replace("Z", "")} UTC`;
}
