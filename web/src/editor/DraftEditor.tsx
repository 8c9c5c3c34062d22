/**
 * The draft editor (docs/web.md#draft-editor): a draft version's working copy as JSON in
 * CodeMirror, auto-saved about a second after typing stops (docs/api.md#draft-auto-save),
 * with an indicator of where the text is: saved, saving, not yet, kept in this browser while
 * offline, or in conflict with another tab's save. A copy kept in this browser and newer than
 * the server's is offered back on opening. Committing turns the working copy into the
 * version's next edit; a 422 lists its errors next to the steps they concern. A selected
 * step has a form drawn from its action type's schema, editing the same text.
 */
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useMemo, useState } from "react";

import { ApiError, unwrap } from "../api/problem";
import { useVersion } from "../api/queries";
import { Button } from "../components/ui/button";
import { formatDate } from "../history/format";
import { useWfv } from "../provider/context";

import { ActionForm } from "./ActionForm";
import { forget, type KeptCopy, readKept } from "./offline";
import { type Definition, type Draft, draftKey, useCommitDraft, useDraft } from "./queries";
import { SaveIndicator } from "./SaveIndicator";
import { fieldProblems } from "./stepErrors";
import { StepList } from "./StepList";
import { stepsOf } from "./steps";
import { pretty, useAutoSave } from "./useAutoSave";

// CodeMirror is some 150 KB: it loads when a draft is first edited, not with the app.
const CodeMirrorEditor = lazy(() => import("./CodeMirrorEditor"));

export interface DraftEditorProps {
  workflowId: string;
  /** The draft's version number. */
  versionNumber: number;
}

export function DraftEditor({ workflowId, versionNumber }: DraftEditorProps) {
  const version = useVersion(workflowId, String(versionNumber));
  const draft = useDraft(workflowId, versionNumber);
  const failed = version.error ?? draft.error;
  if (failed) return <p role="alert" className="text-destructive text-sm">{failed.message}</p>;
  if (!version.data || draft.data === undefined) return <p className="text-muted-foreground text-sm">Loading the draft…</p>;
  if (version.data.status !== "draft") {
    return <p className="text-muted-foreground text-sm">Version {versionNumber} is not a draft: only a draft can be edited.</p>;
  }
  return (
    <Session
      // A new session (and a new save loop) per draft.
      key={`${workflowId}/${versionNumber}`}
      workflowId={workflowId}
      versionNumber={versionNumber}
      lockVersion={version.data.lock_version}
      document={draft.data?.definition ?? version.data.definition}
      saved={draft.data}
    />
  );
}

interface SessionProps extends DraftEditorProps {
  lockVersion: number;
  document: Definition;
  saved: Draft | null;
}

/** The kept copy worth offering: different from what the server has, and newer than its save. */
function offerable(kept: KeptCopy | null, serverText: string, saved: Draft | null): KeptCopy | null {
  if (!kept || kept.text === serverText) return null;
  if (saved && new Date(saved.saved_at) >= new Date(kept.at)) return null;
  return kept;
}

function Session({ workflowId, versionNumber, lockVersion, document, saved }: SessionProps) {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  const editor = useAutoSave({ workflowId, versionNumber, document, revision: saved?.revision ?? 0 });
  const commit = useCommitDraft(workflowId, versionNumber);
  const [kept, setKept] = useState(() => offerable(readKept(workflowId, versionNumber), pretty(document), saved));
  const [selected, setSelected] = useState<number | null>(null);
  const [reloadError, setReloadError] = useState<string | null>(null);
  const steps = useMemo(() => stepsOf(editor.text), [editor.text]);
  const problems = commit.error instanceof ApiError && commit.error.status === 422 ? fieldProblems(commit.error) : [];
  const state = editor.state;

  const reload = async () => {
    setReloadError(null);
    try {
      const theirs = unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}/draft", {
          params: { path: { workflow_id: workflowId, version: String(versionNumber) } },
        }),
      );
      queryClient.setQueryData(draftKey(workflowId, versionNumber), theirs);
      editor.takeTheirs(theirs);
    } catch (error) {
      setReloadError((error as Error).message);
    }
  };

  const commitReason = state.kind === "saved" ? null : "Commit once every change is saved.";
  return (
    <section aria-labelledby="draft-editor-title" className="space-y-3">
      <h2 id="draft-editor-title" className="text-lg font-semibold">
        Edit draft v{versionNumber}
      </h2>
      {kept && (
        <div role="region" aria-label="Kept in this browser" className="rounded-md border p-2 text-sm">
          <p>Changes from {formatDate(kept.at)} are kept in this browser and are newer than the server's copy.</p>
          <div className="mt-2 flex gap-2">
            <Button
              size="sm"
              onClick={() => {
                editor.setText(kept.text);
                setKept(null);
              }}
            >
              Restore them
            </Button>
            <Button
              size="sm"
              variant="outline"
              onClick={() => {
                forget(workflowId, versionNumber);
                setKept(null);
              }}
            >
              Discard them
            </Button>
          </div>
        </div>
      )}
      {editor.notice && <p className="text-sm">{editor.notice}</p>}
      <SaveIndicator id="draft-save-state" state={state} />
      {state.kind === "conflict" && (
        <div className="flex gap-2">
          <Button size="sm" variant="outline" onClick={() => void reload()}>
            Reload theirs
          </Button>
          <Button size="sm" onClick={editor.keepMine}>
            Keep mine
          </Button>
        </div>
      )}
      {reloadError && <p role="alert" className="text-destructive text-sm">{reloadError}</p>}
      <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
        <div className="space-y-3">
          <StepList steps={steps} problems={problems} selected={selected} onSelect={setSelected} />
          {selected !== null && <ActionForm text={editor.text} index={selected} onChange={editor.setText} />}
        </div>
        <div className="space-y-2">
          <label htmlFor="draft-json" className="text-sm font-medium">
            Definition (JSON, saved as you type)
          </label>
          <Suspense fallback={<p className="text-muted-foreground text-sm">Loading the editor…</p>}>
            <CodeMirrorEditor id="draft-json" label="Definition (JSON)" value={editor.text} onChange={editor.setText} describedBy="draft-save-state" />
          </Suspense>
        </div>
      </div>
      <div className="space-y-1">
        <Button
          disabled={commitReason !== null || commit.isPending}
          {...(commitReason ? { "aria-describedby": "draft-commit-reason" } : {})}
          onClick={() => commit.mutate({ lockVersion, revision: editor.revision() })}
        >
          Commit as the version's next edit
        </Button>
        {commitReason && (
          <p id="draft-commit-reason" className="text-muted-foreground text-sm">
            {commitReason}
          </p>
        )}
        {commit.isSuccess && <p className="text-sm">Committed: version {commit.data.version_number} now holds this text.</p>}
        {commit.error && problems.length === 0 && (
          <p role="alert" className="text-destructive text-sm">
            {commit.error.message}
          </p>
        )}
      </div>
    </section>
  );
}
