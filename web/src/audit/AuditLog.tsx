/**
 * A workflow's audit trail (`GET …/audit`): who did what and when, newest first, a page at
 * a time with "Load more". The route filters by action, so the filter asks the server and
 * holds for every page. Details are the server's JSON shown as text (React escapes it), never
 * as HTML: they carry names and reasons people typed.
 */
import { useId, useState } from "react";

import { Button } from "../components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";

import { exactUtc, localTime } from "./format";
import { type AuditEntry, useAudit } from "./queries";
import { ACTION_WORDS, actionName, describe } from "./words";

export interface AuditLogProps {
  workflowId: string;
}

export function AuditLog({ workflowId }: AuditLogProps) {
  const [action, setAction] = useState<string | null>(null);
  const audit = useAudit(workflowId, action);
  const filterField = useId();
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby={`${filterField}-heading`} className="flex flex-col gap-3">
      <h2 id={`${filterField}-heading`} className="font-semibold">
        Audit
      </h2>
      <label htmlFor={filterField} className="flex max-w-xs flex-col gap-1 text-sm">
        Action
        <select
          id={filterField}
          className="border-input h-9 rounded-md border bg-transparent px-2"
          value={action ?? ""}
          onChange={(event) => setAction(event.target.value || null)}
        >
          <option value="">Every action</option>
          {Object.keys(ACTION_WORDS).map((name) => (
            <option key={name} value={name}>
              {actionName(name)}
            </option>
          ))}
        </select>
      </label>
      {audit.isPending ? (
        <p className="text-muted-foreground text-sm">Loading the audit trail…</p>
      ) : audit.data === undefined ? (
        <p role="alert" className="text-destructive text-sm">
          Could not read the audit trail: {audit.error?.message}
        </p>
      ) : entries.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          {action ? `No “${actionName(action)}” entries.` : "No audit entries for this workflow yet."}
        </p>
      ) : (
        <>
          <Table aria-label="Audit trail">
            <TableCaption>Newest first, in your local time (the exact UTC time in each time's tooltip).</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">When</TableHead>
                <TableHead scope="col">Who</TableHead>
                <TableHead scope="col">What</TableHead>
                <TableHead scope="col">Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </TableBody>
          </Table>
          {audit.isFetchNextPageError ? (
            <p role="alert" className="text-destructive text-sm">
              Could not read more entries: {audit.error?.message}
            </p>
          ) : null}
          {audit.hasNextPage ? (
            <Button variant="outline" className="self-start" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
              {audit.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const details = Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details, null, 2) : null;
  return (
    <TableRow>
      <TableCell>
        <time dateTime={entry.created_at} title={exactUtc(entry.created_at)}>
          {localTime(entry.created_at)}
        </time>
      </TableCell>
      <TableCell>{entry.actor_id}</TableCell>
      <TableCell>{describe(entry)}</TableCell>
      <TableCell className="align-top">
        {details ? (
          <details>
            <summary className="cursor-pointer text-sm">
              Details<span className="sr-only"> of “{describe(entry)}”</span>
            </summary>
            <pre className="bg-muted mt-1 max-w-xl overflow-x-auto rounded p-2 text-xs whitespace-pre-wrap">{details}</pre>
          </details>
        ) : (
          <span className="text-muted-foreground text-sm">none</span>
        )}
      </TableCell>
    </TableRow>
  );
}
