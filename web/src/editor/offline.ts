/**
 * The copy of a draft kept in this browser when a save could not reach the server. Its key
 * begins with "wfv" (session/storage.ts), so clearWfvStorage removes it at sign-out: the
 * next person at this browser never sees it.
 */
import { STORAGE_PREFIX } from "../session/storage";

export interface KeptCopy {
  /** The editor's text, as typed (it may not be valid JSON yet). */
  text: string;
  /** When it was kept, RFC 3339. */
  at: string;
}

export const keptKey = (workflowId: string, versionNumber: number) => `${STORAGE_PREFIX}.draft.${workflowId}.v${versionNumber}`;

export function readKept(workflowId: string, versionNumber: number): KeptCopy | null {
  try {
    const raw = globalThis.localStorage?.getItem(keptKey(workflowId, versionNumber));
    const kept: unknown = raw ? JSON.parse(raw) : null;
    if (kept && typeof kept === "object" && typeof (kept as KeptCopy).text === "string" && typeof (kept as KeptCopy).at === "string") {
      return kept as KeptCopy;
    }
  } catch {
    // A copy that does not parse is no copy.
  }
  return null;
}

export function keep(workflowId: string, versionNumber: number, text: string, now = new Date()): void {
  const copy: KeptCopy = { text, at: now.toISOString() };
  try {
    globalThis.localStorage?.setItem(keptKey(workflowId, versionNumber), JSON.stringify(copy));
  } catch {
    // Storage full or refused (private mode): the text is still in the editor.
  }
}

export function forget(workflowId: string, versionNumber: number): void {
  globalThis.localStorage?.removeItem(keptKey(workflowId, versionNumber));
}
