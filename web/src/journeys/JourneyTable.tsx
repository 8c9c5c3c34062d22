/** One execution's events, oldest first, with a "load more" for the next keyset page. */
import { Button } from "../components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";

import { formatDate, from, to } from "./format";
import { useJourney } from "./queries";

export function JourneyTable({ workflowId, executionId }: { workflowId: string; executionId: string }) {
  const journey = useJourney(workflowId, executionId);
  if (journey.isPending) return <p className="text-muted-foreground text-sm">Loading the journey…</p>;
  if (journey.isError) return <p role="alert">Could not read the journey: {journey.error.message}</p>;
  const events = journey.data.pages.flatMap((page) => page.items);
  return (
    <div className="flex flex-col gap-2">
      <Table aria-label={`Journey of ${executionId}`}>
        <TableCaption>Oldest first, times in UTC.</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">When</TableHead>
            <TableHead scope="col">Cause</TableHead>
            <TableHead scope="col">From</TableHead>
            <TableHead scope="col">To</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => (
            <TableRow key={`${event.at}-${event.seq}`}>
              <TableCell>{formatDate(event.at)}</TableCell>
              <TableCell>{event.cause}</TableCell>
              <TableCell>{from(event)}</TableCell>
              <TableCell>{to(event)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {journey.hasNextPage ? (
        <Button variant="outline" className="self-start" disabled={journey.isFetchingNextPage} onClick={() => void journey.fetchNextPage()}>
          {journey.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
