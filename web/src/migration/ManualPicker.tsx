/**
 * A manual migration's executions: a source version's live ones (active or waiting, as
 * `GET …/executions` filters them), a page at a time, each with a checkbox. The picked ids
 * are kept while the filter changes, so a pick can span versions and statuses.
 */
import { useId, useState } from "react";

import { Button } from "../components/ui/button";

import { type LiveStatus, useLiveExecutions } from "./queries";

const field = "border-input rounded-md border px-2 py-1";

export function ManualPicker({ workflowId, from, picked, onPick }: { workflowId: string; from: number[]; picked: string[]; onPick: (ids: string[]) => void }) {
  const [version, setVersion] = useState(from[0] ?? 0);
  const [status, setStatus] = useState<LiveStatus>("active");
  const versionField = useId();
  const statusField = useId();
  const executions = useLiveExecutions(workflowId, version, status);
  const rows = executions.data?.pages.flatMap((page) => page.items) ?? [];
  const toggle = (id: string, on: boolean) => onPick(on ? [...picked, id] : picked.filter((one) => one !== id));

  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="font-medium">Executions to move ({picked.length} picked)</legend>
      <div className="flex gap-3">
        <label htmlFor={versionField} className="flex items-center gap-2">
          Version
          <select id={versionField} className={field} value={version} onChange={(event) => setVersion(Number(event.target.value))}>
            {from.map((number) => (
              <option key={number} value={number}>
                v{number}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={statusField} className="flex items-center gap-2">
          Status
          <select id={statusField} className={field} value={status} onChange={(event) => setStatus(event.target.value as LiveStatus)}>
            <option value="active">active</option>
            <option value="waiting">waiting</option>
          </select>
        </label>
      </div>
      {executions.isPending ? <p className="text-muted-foreground">Reading the executions…</p> : null}
      {executions.isError ? <p role="alert">Could not list the executions: {executions.error.message}</p> : null}
      {executions.isSuccess && rows.length === 0 ? (
        <p>
          No {status} execution on v{version}.
        </p>
      ) : null}
      <ul className="flex flex-col gap-1">
        {rows.map((execution) => (
          <li key={execution.id}>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={picked.includes(execution.id)} onChange={(event) => toggle(execution.id, event.target.checked)} />
              Contact {execution.contact_id} on {execution.current_action_id ?? "(not yet at a step)"}
            </label>
          </li>
        ))}
      </ul>
      {executions.hasNextPage ? (
        <Button variant="outline" className="self-start" disabled={executions.isFetchingNextPage} onClick={() => void executions.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </fieldset>
  );
}
