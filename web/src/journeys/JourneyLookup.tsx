/**
 * A contact's path through one workflow: its executions (a contact that re-entered has
 * several, each on the version it ran), one execution's journey event by event (when, why,
 * from where to where), and where the contact was at an instant chosen by the reader
 * (docs/journeys.md).
 */
import { type FormEvent, useId, useState } from "react";

import { Button } from "../components/ui/button";
import { Input } from "../components/ui/input";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";

import { AsOfAnswer } from "./AsOfAnswer";
import { formatDate, localToIso, position } from "./format";
import { JourneyTable } from "./JourneyTable";
import { MAX_EXECUTIONS, useContactExecutions } from "./queries";

export interface JourneyLookupProps {
  workflowId: string;
}

export function JourneyLookup({ workflowId }: JourneyLookupProps) {
  const [typed, setTyped] = useState("");
  const [contactId, setContactId] = useState("");
  const [chosen, setChosen] = useState<string | null>(null);
  const [when, setWhen] = useState("");
  const [at, setAt] = useState<string | null>(null);
  const contactField = useId();
  const whenField = useId();
  const executions = useContactExecutions(workflowId, contactId);
  const shown = chosen ?? executions.data?.[0]?.execution_id ?? null;

  const look = (event: FormEvent) => {
    event.preventDefault();
    setContactId(typed.trim());
    setChosen(null);
    setAt(null);
  };
  const askAsOf = (event: FormEvent) => {
    event.preventDefault();
    setAt(localToIso(when));
  };

  return (
    <section aria-label="Journey lookup" className="flex flex-col gap-4">
      <form onSubmit={look} className="flex items-end gap-2">
        <label htmlFor={contactField} className="flex flex-col gap-1 text-sm">
          Contact id
          <Input id={contactField} value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        <Button type="submit" disabled={typed.trim() === ""}>
          Look up
        </Button>
      </form>
      {contactId === "" ? null : executions.isPending ? (
        <p className="text-muted-foreground text-sm">Looking for {contactId}…</p>
      ) : executions.isError ? (
        <p role="alert">Could not look up {contactId}: {executions.error.message}</p>
      ) : executions.data.length === 0 ? (
        <p>Contact {contactId} has no executions in this workflow.</p>
      ) : (
        <>
          <Table aria-label={`Executions of ${contactId}`}>
            <TableCaption>
              Newest first: where each execution is now, or where it ended.
              {executions.data.length >= MAX_EXECUTIONS ? ` Only ${MAX_EXECUTIONS} of them are listed.` : ""}
            </TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Execution</TableHead>
                <TableHead scope="col">Now</TableHead>
                <TableHead scope="col">Since</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {executions.data.map((execution) => (
                <TableRow key={execution.execution_id} aria-current={execution.execution_id === shown ? "true" : undefined}>
                  <TableCell>
                    <Button variant="link" size="sm" className="px-0 underline" onClick={() => setChosen(execution.execution_id)}>
                      {execution.execution_id}
                    </Button>
                  </TableCell>
                  <TableCell>{position(execution.version_number, execution.action_id, execution.status)}</TableCell>
                  <TableCell>{formatDate(execution.since)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {shown ? <JourneyTable key={shown} workflowId={workflowId} executionId={shown} /> : null}
          <form onSubmit={askAsOf} className="flex items-end gap-2">
            <label htmlFor={whenField} className="flex flex-col gap-1 text-sm">
              As of (your local time)
              <Input id={whenField} type="datetime-local" step={1} value={when} onChange={(event) => setWhen(event.target.value)} />
            </label>
            <Button type="submit" disabled={when === ""}>
              Where was {contactId}?
            </Button>
          </form>
          {at ? <AsOfAnswer workflowId={workflowId} contactId={contactId} at={at} /> : null}
        </>
      )}
    </section>
  );
}
