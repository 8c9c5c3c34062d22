/**
 * A comparison read per step: what each side's graph marks (its change, the live contacts a
 * breaking change there hits) and what the side panel says of a selected step (its field
 * changes, its breaking changes). Keys are the graph's node ids: an action's id, TRIGGER_ID
 * for the trigger; conditions and settings, which are not steps, have keys of their own.
 */
import type { components } from "../api/client";
import { type Highlight, TRIGGER_ID } from "../graph/layout";

type Schemas = components["schemas"];
export type Comparison = Schemas["VersionComparison"];
export type ElementChange = Schemas["ElementChange"];
export type BreakingImpact = Schemas["BreakingImpact"];

export const SETTINGS_KEY = "@settings";
export const conditionKey = (id: string) => `@condition:${id}`;

/** Everything the comparison says of one step (or the trigger, a condition, the settings). */
export interface Marked {
  key: string;
  /** How the step is named on screen: its id, "Trigger", "condition …", "Settings". */
  title: string;
  change: ElementChange | null;
  breaking: BreakingImpact[];
}

export interface Marks {
  /** In the order of the answer: trigger, actions (added, removed, modified, moved), conditions, settings. */
  changed: Marked[];
  from: Map<string, Highlight>;
  to: Map<string, Highlight>;
}

function keyOf(change: ElementChange): { key: string; title: string } {
  if (change.part === "trigger") return { key: TRIGGER_ID, title: "Trigger" };
  if (change.part === "settings") return { key: SETTINGS_KEY, title: "Settings" };
  const id = change.element_id ?? "?";
  return change.part === "conditions" ? { key: conditionKey(id), title: `condition ${id}` } : { key: id, title: id };
}

export function marksOf(comparison: Comparison): Marks {
  const byKey = new Map<string, Marked>();
  const entry = (key: string, title: string) => {
    const found = byKey.get(key) ?? { key, title, change: null, breaking: [] };
    byKey.set(key, found);
    return found;
  };
  for (const part of ["trigger", "actions", "conditions", "settings"] as const) {
    const diff = comparison.parts[part];
    if (!diff) continue;
    for (const change of [...(diff.added ?? []), ...(diff.removed ?? []), ...(diff.modified ?? []), ...(diff.moved ?? [])]) {
      const { key, title } = keyOf(change);
      entry(key, title).change = change;
    }
  }
  for (const breaking of comparison.breaking) {
    const key = breaking.element_id ?? TRIGGER_ID;
    entry(key, breaking.element_id ?? "Trigger").breaking.push(breaking);
  }

  const from = new Map<string, Highlight>();
  const to = new Map<string, Highlight>();
  for (const { key, change, breaking } of byKey.values()) {
    const hit = breaking.length
      ? breaking.reduce((sum, each) => ({ live: sum.live + each.live_contacts, pinned: sum.pinned + (each.pinned ?? 0) }), { live: 0, pinned: 0 })
      : null;
    const kind = change?.kind ?? null;
    if (kind !== "added") from.set(key, { change: kind, breaking: hit });
    if (kind !== "removed") to.set(key, { change: kind, breaking: hit });
  }
  return { changed: [...byKey.values()], from, to };
}
