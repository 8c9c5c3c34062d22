/**
 * How a comparison's kinds of change look, in one place so a step and the legend agree: a
 * colour and a word for each (never the colour alone: the word is on the step too).
 */
import type { Highlight } from "./layout";

export type Change = NonNullable<Highlight["change"]>;

export const CHANGES: Record<Change, { word: string; step: string; swatch: string }> = {
  added: { word: "added", step: "border-emerald-600 bg-emerald-50 dark:bg-emerald-950", swatch: "bg-emerald-500" },
  removed: { word: "removed", step: "border-red-600 bg-red-50 dark:bg-red-950", swatch: "bg-red-500" },
  modified: { word: "modified", step: "border-amber-500 bg-amber-50 dark:bg-amber-950", swatch: "bg-amber-400" },
  moved: { word: "moved", step: "border-blue-600 bg-blue-50 dark:bg-blue-950", swatch: "bg-blue-500" },
};
