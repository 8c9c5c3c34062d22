/** One bucket opened: the positions that land in it, then its contacts a page at a time. */
import type { components } from "../api/client";
import { Button } from "../components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";
import { formatDate } from "../history/format";

import { type Bucket, type ImpactQuery, useBucketContacts } from "./queries";

type Position = components["schemas"]["ImpactPosition"];

const step = (action: string | null) => action ?? "no action";

function rule(position: Position): string {
  const duration = position.old_duration && position.new_duration ? ` (${position.old_duration} → ${position.new_duration})` : "";
  const target = position.bucket === "pinned" || position.to_action === null ? "" : ` → ${position.to_action}`;
  return `v${position.from_version} ${step(position.from_action)}${target}${duration}`;
}

export function BucketContacts({ query, bucket, positions }: { query: ImpactQuery; bucket: Bucket; positions: Position[] }) {
  const contacts = useBucketContacts(query, bucket);
  const timers = bucket === "timer_earlier" || bucket === "timer_later";
  const rules = positions.filter((position) => (bucket === "pinned" ? position.pinned > 0 : position.bucket === bucket && position.count > 0));
  return (
    <div className="flex flex-col gap-2 pl-4">
      <ul aria-label={`Steps of ${bucket}`} className="text-muted-foreground text-sm">
        {rules.map((position) => (
          <li key={`${position.from_version}-${position.from_action}`}>
            {rule(position)}: {bucket === "pinned" ? position.pinned : position.count}
          </li>
        ))}
      </ul>
      {contacts.isPending ? (
        <p className="text-muted-foreground text-sm">Loading contacts…</p>
      ) : contacts.isError ? (
        <p role="alert">Could not list the contacts: {contacts.error.message}</p>
      ) : (
        <>
          <Table aria-label={`Contacts of ${bucket}`}>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Contact</TableHead>
                <TableHead scope="col">Now at</TableHead>
                <TableHead scope="col">Goes to</TableHead>
                <TableHead scope="col">Reached</TableHead>
                {timers ? <TableHead scope="col">Wakes</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {contacts.data.pages.flatMap((page) =>
                (page.contacts?.items ?? []).map((contact) => (
                  <TableRow key={contact.execution_id}>
                    <TableCell>{contact.contact_id}</TableCell>
                    <TableCell>
                      v{contact.from_version} {step(contact.from_action)}
                    </TableCell>
                    <TableCell>{contact.to_action ?? (bucket === "pinned" ? "stays" : "—")}</TableCell>
                    <TableCell>{formatDate(contact.reached_at)}</TableCell>
                    {timers ? (
                      <TableCell>
                        {formatDate(contact.was_waking_at)} → {formatDate(contact.wakes_at)}
                      </TableCell>
                    ) : null}
                  </TableRow>
                )),
              )}
            </TableBody>
          </Table>
          {contacts.hasNextPage ? (
            <Button variant="outline" className="self-start" disabled={contacts.isFetchingNextPage} onClick={() => void contacts.fetchNextPage()}>
              {contacts.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          ) : null}
        </>
      )}
    </div>
  );
}
