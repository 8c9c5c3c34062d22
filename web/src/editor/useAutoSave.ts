/**
 * The editor's save loop. The text is sent about a second after typing stops (one save per
 * pause, not per key), based on the revision the store last answered; only one save is in
 * flight, and what was typed meanwhile goes in the next. A save that cannot reach the server
 * keeps the text in this browser and goes again when the browser is back online. A conflict
 * with another tab's save stops the loop until the user chooses: their text, or mine.
 */
import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError } from "../api/problem";
import { useWfv } from "../provider/context";

import { mergePatch } from "./mergePatch";
import { forget, keep } from "./offline";
import { type Definition, useSaveDraft } from "./queries";

export const SAVE_AFTER_MS = 1_000;

export type SaveState =
  | { kind: "saved" }
  | { kind: "saving" }
  | { kind: "unsaved"; reason?: string }
  | { kind: "offline" }
  | { kind: "conflict"; revision: number; conflicts: string[] }
  | { kind: "failed"; message: string };

export const pretty = (document: unknown) => JSON.stringify(document, null, 2);

interface Start {
  workflowId: string;
  versionNumber: number;
  /** The document the store holds as `revision` (0: the version itself). */
  document: Definition;
  revision: number;
}

export function useAutoSave({ workflowId, versionNumber, document, revision }: Start) {
  const save = useSaveDraft(workflowId, versionNumber);
  const { signedOut } = useWfv();
  const [text, setTextState] = useState(() => pretty(document));
  const [state, setState] = useState<SaveState>({ kind: "saved" });
  const [notice, setNotice] = useState<string | null>(null);
  // What the loop reads between renders: refs, so a timer or an event never sees an old value.
  const textRef = useRef(text);
  const stored = useRef({ revision, base: document as Definition | null, text: pretty(document) });
  const busy = useRef(false);
  const stopped = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveRef = useRef<() => Promise<void>>(async () => {});

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), SAVE_AFTER_MS);
  }, []);

  saveRef.current = async () => {
    if (busy.current || stopped.current) return;
    const sent = textRef.current;
    if (sent === stored.current.text) {
      setState({ kind: "saved" });
      return;
    }
    let definition: Definition;
    try {
      const parsed: unknown = JSON.parse(sent);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("the document must be a JSON object");
      definition = parsed as Definition;
    } catch (error) {
      // Not sent: the store takes only a JSON object. Kept here, so nothing typed is lost.
      keep(workflowId, versionNumber, sent);
      setState({ kind: "unsaved", reason: `not valid JSON yet (${(error as Error).message})` });
      return;
    }
    if (globalThis.navigator?.onLine === false) {
      // Offline: nothing is sent (the query client would hold the save until the browser is
      // back, saying "Saving…" all along). Kept here; the "online" listener sends it.
      keep(workflowId, versionNumber, sent);
      setState({ kind: "offline" });
      return;
    }
    busy.current = true;
    setState({ kind: "saving" });
    const { revision: basedOn, base } = stored.current;
    try {
      const answer = await save.mutateAsync({ revision: basedOn, definition, patch: basedOn > 0 && base ? mergePatch(base, definition) : null });
      const merged = answer.merged && answer.definition ? answer.definition : null;
      stored.current = { revision: answer.revision, base: merged ?? definition, text: sent };
      if (merged && textRef.current === sent) {
        const mergedText = pretty(merged);
        stored.current.text = mergedText;
        textRef.current = mergedText;
        setTextState(mergedText);
        setNotice("Merged with a save from another tab.");
      }
      busy.current = false;
      if (textRef.current === stored.current.text) {
        forget(workflowId, versionNumber);
        setState({ kind: "saved" });
      } else {
        setState({ kind: "unsaved" });
        schedule();
      }
    } catch (error) {
      busy.current = false;
      // Signed out while it was under way: nothing is kept for the next person.
      if (signedOut()) return;
      if (error instanceof ApiError && error.problem.type === "/problems/draft-conflict") {
        stopped.current = true;
        const conflicts = Array.isArray(error.problem.conflicts) ? error.problem.conflicts.map(String) : [];
        const theirs = typeof error.problem.revision === "number" ? error.problem.revision : basedOn;
        keep(workflowId, versionNumber, textRef.current);
        setState({ kind: "conflict", revision: theirs, conflicts });
      } else if (!(error instanceof ApiError) || error.status >= 500) {
        // No answer (offline, a dropped connection) or the server's own failure: keep it here.
        keep(workflowId, versionNumber, textRef.current);
        setState({ kind: "offline" });
      } else {
        setState({ kind: "failed", message: error.message });
      }
    }
  };

  const setText = useCallback(
    (next: string) => {
      // The editor echoing a text set from here (a merge, theirs) is no change.
      if (next === textRef.current) return;
      textRef.current = next;
      setTextState(next);
      if (stopped.current) return;
      setState({ kind: "unsaved" });
      if (!globalThis.navigator?.onLine) keep(workflowId, versionNumber, next);
      schedule();
    },
    [schedule, workflowId, versionNumber],
  );

  /** Keep mine: save my text over theirs, based on the revision the conflict named. */
  const keepMine = useCallback(() => {
    if (state.kind !== "conflict") return;
    stored.current = { revision: state.revision, base: null, text: "" };
    stopped.current = false;
    void saveRef.current();
  }, [state]);

  /** Take theirs: the store's newest save replaces my text (kept in this browser until then). */
  const takeTheirs = useCallback((theirs: { definition: Definition; revision: number }) => {
    const theirText = pretty(theirs.definition);
    stored.current = { revision: theirs.revision, base: theirs.definition, text: theirText };
    textRef.current = theirText;
    setTextState(theirText);
    stopped.current = false;
    forget(workflowId, versionNumber);
    setState({ kind: "saved" });
  }, [workflowId, versionNumber]);

  // Back online: send what was kept.
  useEffect(() => {
    const online = () => {
      if (!stopped.current && textRef.current !== stored.current.text) void saveRef.current();
    };
    globalThis.addEventListener("online", online);
    return () => globalThis.removeEventListener("online", online);
  }, []);

  // Closed with typing not yet sent: keep it in this browser (offered back on opening) and
  // send it now; a save that lands removes the copy. Not when closed by a sign-out: that
  // has just removed every copy, and the next person at this browser must find none.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (signedOut()) return;
      if (!stopped.current && textRef.current !== stored.current.text) {
        keep(workflowId, versionNumber, textRef.current);
        void saveRef.current();
      }
    },
    [workflowId, versionNumber, signedOut],
  );

  return {
    text,
    setText,
    state,
    notice,
    keepMine,
    takeTheirs,
    /** The revision the store last answered: what a commit names. */
    revision: () => stored.current.revision,
    /** Send now what is not saved yet (before a commit). */
    flush: () => saveRef.current(),
  };
}
