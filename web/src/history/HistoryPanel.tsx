/**
 * A workflow's versions, newest first: number, status, author, dates, the contacts live on
 * each and how fast it drains, and the change summary when the API gives one (a column that
 * appears as soon as any version has the field).
 */
import { useVersions } from "../api/queries";
import type { components } from "../api/client";
import { Button } from "../components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";

import { formatDate, formatDrain } from "./format";
import { StatusBadge } from "./StatusBadge";

/** A versions list item, with its `change_summary` against the version it came from. */
export type VersionRow = components["schemas"]["VersionPublic"];

export interface HistoryPanelProps {
  workflowId: string;
  /** Called with the version whose number was activated (to show its graph, say). */
  onSelectVersion?: (version: VersionRow) => void;
}

export function HistoryPanel({ workflowId, onSelectVersion }: HistoryPanelProps) {
  const versions = useVersions(workflowId);
  if (versions.isPending) return <p className="text-muted-foreground text-sm">Loading versions…</p>;
  if (versions.isError) return <p role="alert">Could not list the versions: {versions.error.message}</p>;
  const rows: VersionRow[] = versions.data;
  const summaries = rows.some((row) => row.change_summary != null);
  return (
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
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
