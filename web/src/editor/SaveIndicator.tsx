/** The auto-save indicator: one live region, so a screen reader hears each change of state. */
import type { SaveState } from "./useAutoSave";

export const SAVE_WORDS = {
  saved: "Saved",
  saving: "Saving…",
  unsaved: "Unsaved changes",
  offline: "Offline: kept in this browser",
  conflict: "Someone else saved: reload or keep yours",
  failed: "Not saved",
} as const;

export function SaveIndicator({ id, state }: { id: string; state: SaveState }) {
  const detail =
    state.kind === "unsaved" && state.reason
      ? ` (${state.reason})`
      : state.kind === "failed"
        ? `: ${state.message}`
        : state.kind === "conflict" && state.conflicts.length
          ? ` (both changed ${state.conflicts.map((pointer) => pointer || "the whole document").join(", ")})`
          : "";
  const tone = state.kind === "saved" ? "text-muted-foreground" : state.kind === "conflict" || state.kind === "failed" ? "text-destructive" : "text-foreground";
  return (
    <p id={id} role="status" aria-live="polite" className={`text-sm ${tone}`}>
      {SAVE_WORDS[state.kind]}
      {detail}
    </p>
  );
}
