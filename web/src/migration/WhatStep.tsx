/**
 * Step "what": the target version, the source versions (those with live contacts), where
 * contacts on an action the target lacks go (a mapping per action), and the policy for
 * those left unmapped. Only actions missing from the target are asked about: the others
 * keep their id (docs/api.md, mapping).
 */
import { useId } from "react";

import { useVersions } from "../api/queries";

import type { Choice, Unmapped } from "./plan";
import { missingActions } from "./plan";
import { useActionIds } from "./queries";
import { contacts } from "./words";

const field = "border-input rounded-md border px-2 py-1";

export function WhatStep({ workflowId, choice, onChange }: { workflowId: string; choice: Choice; onChange: (choice: Choice) => void }) {
  const versions = useVersions(workflowId);
  const targetField = useId();
  const unmappedField = useId();
  const [target, ...sources] = useActionIds(workflowId, [choice.target, ...choice.from]);
  const targetActions = target?.data ?? [];
  const missing = missingActions(
    sources.map((source) => source.data),
    targetActions,
  );
  const unread = [target, ...sources].find((read) => read?.isError)?.error;

  if (versions.isPending) return <p className="text-muted-foreground text-sm">Reading the versions…</p>;
  if (versions.isError) return <p role="alert">Could not read the versions: {versions.error.message}</p>;
  const targets = versions.data.filter((version) => version.status !== "archived" && version.deleted_at === null);
  const live = versions.data.filter((version) => version.active_executions > 0 && version.version_number !== choice.target);
  const toggle = (number: number, on: boolean) =>
    onChange({ ...choice, from: on ? [...choice.from, number].sort((a, b) => a - b) : choice.from.filter((from) => from !== number) });
  const map = (source: string, to: string) => {
    const mapping = { ...choice.mapping };
    if (to) mapping[source] = to;
    else delete mapping[source];
    onChange({ ...choice, mapping });
  };

  return (
    <div className="flex flex-col gap-4">
      <label htmlFor={targetField} className="flex items-center gap-2 text-sm">
        Target version
        <select
          id={targetField}
          className={field}
          value={choice.target}
          onChange={(event) => onChange({ ...choice, target: Number(event.target.value), from: choice.from.filter((from) => from !== Number(event.target.value)), mapping: {} })}
        >
          {targets.map((version) => (
            <option key={version.id} value={version.version_number}>
              v{version.version_number} ({version.is_current ? "current" : version.status})
            </option>
          ))}
        </select>
      </label>

      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="font-medium">Move the live contacts of</legend>
        {live.length === 0 ? <p>No other version has live contacts: there is nothing to move to v{choice.target}.</p> : null}
        {live.map((version) => (
          <label key={version.id} className="flex items-center gap-2">
            <input type="checkbox" checked={choice.from.includes(version.version_number)} onChange={(event) => toggle(version.version_number, event.target.checked)} />
            v{version.version_number} ({contacts(version.active_executions)} live)
          </label>
        ))}
      </fieldset>

      <fieldset className="flex flex-col gap-2 text-sm">
        <legend className="font-medium">Actions v{choice.target} does not have</legend>
        {unread ? <p role="alert">Could not read a version's actions: {unread.message}</p> : null}
        {missing.length === 0 ? <p>Every action of the chosen versions exists in v{choice.target}: contacts keep their step.</p> : null}
        {missing.map((source) => (
          <label key={source} className="flex items-center gap-2">
            Contacts on {source} go to
            <select className={field} value={choice.mapping[source] ?? ""} onChange={(event) => map(source, event.target.value)}>
              <option value="">(the policy below)</option>
              {targetActions.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>

      <label htmlFor={unmappedField} className="flex items-center gap-2 text-sm">
        Contacts on an action with no counterpart
        <select id={unmappedField} className={field} value={choice.unmapped} onChange={(event) => onChange({ ...choice, unmapped: event.target.value as Unmapped })}>
          <option value="fail">stay where they are, reported as failed</option>
          <option value="exit">exit the workflow</option>
          {targetActions.map((action) => (
            <option key={action} value={`to:${action}`}>
              go to {action}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
