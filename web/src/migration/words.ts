/** The migration in words: counts with their nouns, version lists, the ETA, the ending. */
import type { Migration } from "./queries";

export const contacts = (count: number) => `${count.toLocaleString("en")} contact${count === 1 ? "" : "s"}`;

/** "v2", "v1 and v2", "v1, v2 and v4". */
export function versionList(numbers: number[]): string {
  const names = [...numbers].sort((a, b) => a - b).map((number) => `v${number}`);
  if (names.length <= 1) return names[0] ?? "no version";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "1 h 5 min", "3 min 20 s", "45 s": the two largest units, enough for an estimate. */
export function seconds(total: number): string {
  const parts: string[] = [];
  let left = Math.max(0, Math.round(total));
  for (const [size, unit] of [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
    [1, "s"],
  ] as const) {
    if (left >= size || (unit === "s" && parts.length === 0)) {
      parts.push(`${Math.floor(left / size)} ${unit}`);
      left %= size;
    }
  }
  return parts.slice(0, 2).join(" ");
}

const WAITING: Record<NonNullable<Migration["eta_reason"]>, string> = {
  queued: "not started yet: it is queued",
  measuring: "measuring the pace of the first batches",
  paused: "paused by hand: nothing moves until it is resumed",
  halted: "halted by its failure threshold: nothing moves until it is resumed",
};

export function eta(migration: Migration): string {
  if (migration.eta_seconds !== null) return migration.eta_seconds === 0 ? "Done" : `About ${seconds(migration.eta_seconds)} left`;
  return `No estimate: ${WAITING[migration.eta_reason ?? "measuring"]}`;
}

export const percent = (share: number) => `${(share * 100).toLocaleString("en", { maximumFractionDigits: 1 })}%`;
