/**
 * What the wizard has chosen so far, and the one body of `POST …/versions/{n}/migrate`
 * built from it: the dry run and the real start send the same mapping and policy, so the
 * preview is the plan of what starts.
 */
import type { components } from "../api/client";

export type MigrationCreate = components["schemas"]["MigrationCreate"];
export type Strategy = MigrationCreate["strategy"];
export type Unmapped = "fail" | "exit" | `to:${string}`;

/** Step "what": the target, the sources, and where contacts on missing actions go. */
export interface Choice {
  target: number;
  from: number[];
  /** source action id → target action id, only for actions the target lacks */
  mapping: Record<string, string>;
  unmapped: Unmapped;
}

/** Step "strategy": how the contacts move. Shares are in percent here, a 0–1 share on the wire. */
export interface Pace {
  strategy: Strategy;
  batchSize: number;
  stepPercent: number;
  intervalSeconds: number;
  failurePercent: number;
  executionIds: string[];
}

/** The server's defaults (docs/api.md), so an untouched field sends what the server would assume. */
export const FIRST_PACE: Pace = {
  strategy: "immediate",
  batchSize: 5000,
  stepPercent: 10,
  intervalSeconds: 300,
  failurePercent: 5,
  executionIds: [],
};

export function migrationBody(choice: Choice, pace: Pace, dryRun: boolean): MigrationCreate {
  return {
    from_versions: choice.from,
    ...(Object.keys(choice.mapping).length ? { mapping: choice.mapping } : {}),
    unmapped: choice.unmapped,
    dry_run: dryRun,
    strategy: pace.strategy,
    batch_size: pace.batchSize,
    step_percent: pace.stepPercent,
    interval_seconds: pace.intervalSeconds,
    failure_threshold: pace.failurePercent / 100,
    ...(pace.strategy === "manual" && !dryRun ? { execution_ids: pace.executionIds } : {}),
  };
}

/** What is wrong with the pace, or null: what docs/api.md says the server refuses, said first. */
export function paceProblem(pace: Pace): string | null {
  if (pace.strategy === "manual") return pace.executionIds.length ? null : "Pick at least one execution to move.";
  if (pace.strategy === "immediate") return Number.isInteger(pace.batchSize) && pace.batchSize >= 1 ? null : "A batch is a whole number of executions, at least 1.";
  if (!Number.isInteger(pace.stepPercent) || pace.stepPercent < 1 || pace.stepPercent > 100) return "A step is a whole percent from 1 to 100.";
  if (!Number.isInteger(pace.intervalSeconds) || pace.intervalSeconds < 1) return "The interval is a whole number of seconds, at least 1.";
  return pace.failurePercent >= 0 && pace.failurePercent <= 100 ? null : "The failure threshold is a percent from 0 to 100.";
}

/** The action ids of the sources that the target lacks: only these need a mapping. */
export function missingActions(sources: (string[] | undefined)[], target: string[]): string[] {
  const there = new Set(target);
  const missing = new Set<string>();
  for (const ids of sources) for (const id of ids ?? []) if (!there.has(id)) missing.add(id);
  return [...missing].sort();
}
