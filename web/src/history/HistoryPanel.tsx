/**
 * A workflow's versions, newest first: number, status, author, dates, the contacts live on
 * each and how fast it drains, and the change summary when the API gives one (a column that
 * appears as soon as any version has the field).
 * Each row has the actions its status allows (VersionActions), unless the host says
 * `actions={false}`; their answers and refusals are shown here, above the table.
 */
import { useId } from "react";

import { useVersions } from "../api/queries";
import type { components } from "../api/client";
import { ApiError } from "../api/problem";
import { Button } from "../components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";
import { useEditRefusal } from "../rollout/queries";

import { useWorkflow } from "../api/queries";

import { needsReview, useAdmin, useVersionAction } from "./actions";
import { done } from "./consequence";
import { formatDate, formatDrain } from "./format";
import { StatusBadge } from "./StatusBadge";
import { VersionActions } from "./VersionActions";

/** A versions list item, with its `change_summary` against the version it came from. */
export type VersionRow = components["schemas"]["VersionPublic"];

export interface HistoryPanelProps {
  workflowId: string;
  /** Called with the version whose number was activated (to show its graph, say). */
  onSelectVersion?: (version: VersionRow) => void;
  /** Per-row actions (new draft, publish, roll back, delete draft); false shows none. Default true. */
  actions?: boolean;
  /** Called to open the draft's review, offered when a publish waits on approvals. */
  onReview?: () => void;
}

const NOT_ADMIN = "Rolling back needs workflows:admin (an admin's emergency action, which skips review): your token does not hold it.";

export function HistoryPanel({ workflowId, onSelectVersion, actions = true, onReview }: HistoryPanelProps) {
  const versions = useVersions(workflowId);
  const name = useWorkflow(workflowId, actions);
  const action = useVersionAction(workflowId);
  const editRefusal = useEditRefusal();
  const admin = useAdmin();
  const editId = useId();
  const adminId = useId();
  if (versions.isPending) return <p className="text-muted-foreground text-sm">Loading versions…</p>;
  if (versions.isError) return <p role="alert">Could not list the versions: {versions.error.message}</p>;
  const rows: VersionRow[] = versions.data;
  const summaries = rows.some((row) => row.change_summary != null);
  const workflow = name.data?.name ?? "this workflow";
  const current = rows.find((row) => row.is_current);
  const editReason = actions ? (editRefusal.data ?? null) : null;
  const adminReason = actions && admin.data === false && !editReason ? NOT_ADMIN : null;
  const problem = action.error instanceof ApiError ? action.error.problem : null;
  return (
    <div className="flex flex-col gap-3">
      {editReason ? (
        <p id={editId} className="text-muted-foreground text-sm">
          {editReason}
        </p>
      ) : null}
      {adminReason ? (
        <p id={adminId} className="text-muted-foreground text-sm">
          {adminReason}
        </p>
      ) : null}
      {action.isSuccess ? <p role="status">{done(action.data)}</p> : null}
      {action.isError ? (
        <div role="alert" className="flex flex-wrap items-center gap-2">
          <p>Refused: {action.error.message}</p>
          {problem && needsReview(problem) && onReview ? (
            <Button variant="link" size="sm" className="px-0 underline" onClick={onReview}>
              Open the review
            </Button>
          ) : null}
        </div>
      ) : null}
      <Table aria-label="Version history">
        <TableCaption>
          Newest first. Live: contacts active or waiting on the version; draining: those that left it in the last 24 hours.
        </TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Version</TableHead>
            <TableHead scope="col">Status</TableHead>
            {summaries ? <TableHead scope="col">Changes</TableHead> : null}
            <TableHead scope="col">Author</TableHead>
            <TableHead scope="col">Created</TableHead>
            <TableHead scope="col">Published</TableHead>
            <TableHead scope="col" className="text-right">
              Live
            </TableHead>
            <TableHead scope="col">Draining</TableHead>
            {actions ? <TableHead scope="col">Actions</TableHead> : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((version) => (
            <TableRow key={version.id} data-version={version.version_number}>
              <TableCell>
                {onSelectVersion ? (
                  <Button variant="link" size="sm" className="px-0 underline" aria-label={`Show v${version.version_number} as a graph`} onClick={() => onSelectVersion(version)}>
                    v{version.version_number}
                  </Button>
                ) : (
                  `v${version.version_number}`
                )}
              </TableCell>
              <TableCell>
                <StatusBadge version={version} />
              </TableCell>
              {summaries ? <TableCell className="whitespace-normal">{version.change_summary?.text ?? ""}</TableCell> : null}
              <TableCell>{version.created_by}</TableCell>
              <TableCell>{formatDate(version.created_at)}</TableCell>
              <TableCell>{formatDate(version.published_at)}</TableCell>
              <TableCell className="text-right tabular-nums">{version.active_executions}</TableCell>
              <TableCell>{formatDrain(version.drain)}</TableCell>
              {actions ? (
                <TableCell>
                  <VersionActions
                    version={version}
                    workflow={workflow}
                    current={current}
                    refusals={{ edit: editReason ? editId : null, admin: adminReason ? adminId : null }}
                    busy={action.isPending}
                    onAct={(asked) => action.mutate(asked)}
                  />
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
