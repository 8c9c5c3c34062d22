/**
 * A finished migration in plain words: how many moved, and when some could not be moved,
 * how many stay on which versions, with each failed item and its reason. "Completed" is
 * never said alone when contacts failed; a cancelled or failed run says so.
 */
import { Button } from "../components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";

import { type Migration, useFailedItems } from "./queries";
import { contacts, versionList } from "./words";

export function summarySentences(migration: Migration, sources: number[], target: number): string[] {
  const moved = `${contacts(migration.migrated)} moved to v${target}`;
  const said: string[] = [];
  if (migration.status === "cancelled") said.push(`Cancelled: ${moved} before it stopped, of ${migration.total.toLocaleString("en")}; the rest stay where they were.`);
  else if (migration.status === "failed")
    said.push(`The migration stopped on an error${migration.status_reason ? ` (${migration.status_reason})` : ""}: ${moved}, and they stay moved.`);
  else if (migration.failed > 0) said.push(`Finished with failures: ${moved}.`);
  else said.push(`Completed: ${moved}.`);
  if (migration.failed > 0) said.push(`${contacts(migration.failed)} could not be moved and ${migration.failed === 1 ? "stays" : "stay"} on ${versionList(sources)}.`);
  if (migration.skipped > 0) said.push(`${contacts(migration.skipped)} were skipped (they had left, or were pinned).`);
  return said;
}

export function MigrationSummary({ workflowId, migration, sources, target, versionOf }: { workflowId: string; migration: Migration; sources: number[]; target: number; versionOf: (id: string) => string }) {
  const failed = useFailedItems(workflowId, migration.id, migration.failed > 0);
  const items = failed.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-label="Migration summary" className="flex flex-col gap-2">
      {summarySentences(migration, sources, target).map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
      {failed.isError ? <p role="alert">Could not list the contacts not moved: {failed.error.message}</p> : null}
      {items.length ? (
        <Table aria-label="Contacts not moved">
          <TableCaption>Each contact the migration could not move, and why; they stay where they were.</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Contact</TableHead>
              <TableHead scope="col">On</TableHead>
              <TableHead scope="col">Action</TableHead>
              <TableHead scope="col">Reason</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={item.id}>
                <TableCell>{item.contact_id}</TableCell>
                <TableCell>{versionOf(item.from_version_id)}</TableCell>
                <TableCell>{item.from_action_id ?? "(not yet at a step)"}</TableCell>
                <TableCell>{item.reason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {failed.hasNextPage ? (
        <Button variant="outline" className="self-start" disabled={failed.isFetchingNextPage} onClick={() => void failed.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </section>
  );
}
