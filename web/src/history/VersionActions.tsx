/**
 * A version row's actions, those its status allows (actions.ts). Publish, roll back and
 * delete change what is live or what reviewers see: each asks in a dialog first (the
 * rollout panel's ConfirmButton). A new draft changes nothing live, so it acts at once.
 */
import type { components } from "../api/client";
import { Button } from "../components/ui/button";
import { ConfirmButton } from "../rollout/ConfirmButton";

import { actionsFor, type VersionAction } from "./actions";
import { consequence } from "./consequence";

type Version = components["schemas"]["VersionPublic"];

export interface Refusals {
  /** The id of the sentence saying why the token cannot edit; null when it may (or only the server knows). */
  edit: string | null;
  /** The same for workflows:admin, which a rollback needs. */
  admin: string | null;
}

export interface VersionActionsProps {
  version: Version;
  workflow: string;
  current: Version | undefined;
  refusals: Refusals;
  busy: boolean;
  onAct: (action: VersionAction) => void;
}

export function VersionActions({ version, workflow, current, refusals, busy, onAct }: VersionActionsProps) {
  const n = version.version_number;
  const act = (kind: VersionAction["kind"]) => () => onAct({ kind, version });
  return (
    <div className="flex flex-wrap gap-2">
      {actionsFor(version).map((kind) => {
        switch (kind) {
          case "draft":
            return (
              <Button
                key={kind}
                variant="outline"
                size="sm"
                disabled={refusals.edit !== null || busy}
                {...(refusals.edit ? { "aria-describedby": refusals.edit } : {})}
                onClick={act(kind)}
              >
                New draft from v{n}
              </Button>
            );
          case "publish":
            return (
              <ConfirmButton key={kind} label={`Publish v${n}`} title={`Publish v${n} of ${workflow}?`} refusedBy={refusals.edit} busy={busy} onConfirm={act(kind)}>
                {consequence(kind, workflow, version, current)}
              </ConfirmButton>
            );
          case "rollback":
            return (
              <ConfirmButton
                key={kind}
                label={`Roll back to v${n}`}
                title={`Roll ${workflow} back to v${n}${current ? ` from v${current.version_number}` : ""}?`}
                refusedBy={refusals.edit ?? refusals.admin}
                busy={busy}
                destructive
                onConfirm={act(kind)}
              >
                {consequence(kind, workflow, version, current)}
              </ConfirmButton>
            );
          case "delete":
            return (
              <ConfirmButton key={kind} label={`Delete draft v${n}`} title={`Delete draft v${n} of ${workflow}?`} refusedBy={refusals.edit} busy={busy} destructive onConfirm={act(kind)}>
                {consequence(kind, workflow, version, current)}
              </ConfirmButton>
            );
        }
      })}
    </div>
  );
}
