/**
 * A started migration, read again every 2 s until it is finished: the counts, a progress
 * bar, the ETA (or why there is none), the halt when its failure threshold stopped it, and
 * Pause / Resume / Cancel. Pause is one click, since it only stops contacts moving; Resume
 * (with an optional new threshold) and Cancel say what they do first. Once finished, the
 * summary.
 */
import { useId, useState } from "react";

import { useVersions } from "../api/queries";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "../components/ui/dialog";
import { Input } from "../components/ui/input";
import { formatDate } from "../history/format";
import { useEditRefusal } from "../rollout/queries";

import { MigrationSummary } from "./MigrationSummary";
import { isFinished, type Migration, type MigrationControl, useMigration, useMigrationControl } from "./queries";
import { contacts, eta, percent, versionList } from "./words";

function Halt({ migration }: { migration: Migration }) {
  const halt = migration.halt;
  if (!halt || migration.eta_reason !== "halted") return null;
  return (
    <p role="status">
      Halted at step {halt.step}: {halt.failed.toLocaleString("en")} of {halt.processed.toLocaleString("en")} executions failed since {formatDate(halt.window_started_at)} (
      {percent(halt.share)}), above the threshold of {percent(halt.threshold)}.
    </p>
  );
}

function ResumeButton({ migration, busy, refusedBy, onResume }: { migration: Migration; busy: boolean; refusedBy: string | null; onResume: (threshold?: number) => void }) {
  const [open, setOpen] = useState(false);
  const [threshold, setThreshold] = useState("");
  const thresholdField = useId();
  const value = threshold === "" ? undefined : Number(threshold);
  const invalid = value !== undefined && !(value >= 0 && value <= 100);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" disabled={busy || refusedBy !== null} {...(refusedBy ? { "aria-describedby": refusedBy } : {})}>
          Resume
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Resume the migration?</DialogTitle>
          <DialogDescription>
            Contacts start moving again from where it stopped; failures are counted afresh from now, against the threshold of {percent(migration.failure_threshold)} unless
            you set another.
          </DialogDescription>
        </DialogHeader>
        <label htmlFor={thresholdField} className="flex flex-col gap-1 text-sm">
          New failure threshold (percent, optional)
          <Input id={thresholdField} type="number" min={0} max={100} value={threshold} aria-invalid={invalid} onChange={(event) => setThreshold(event.target.value)} />
        </label>
        {invalid ? <p role="alert">A threshold is a percent from 0 to 100.</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            disabled={invalid}
            onClick={() => {
              setOpen(false);
              onResume(value === undefined ? undefined : value / 100);
            }}
          >
            Resume
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function CancelButton({ migration, target, busy, refusedBy, onCancel }: { migration: Migration; target: number; busy: boolean; refusedBy: string | null; onCancel: () => void }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="destructive" disabled={busy || refusedBy !== null} {...(refusedBy ? { "aria-describedby": refusedBy } : {})}>
          Cancel migration
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Cancel the migration?</DialogTitle>
          <DialogDescription>
            It stops after the batch now running. The {contacts(migration.migrated)} already on v{target} {migration.migrated === 1 ? "stays" : "stay"} there; the others stay where they are.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Keep it going</Button>
          </DialogClose>
          <DialogClose asChild>
            <Button variant="destructive" onClick={onCancel}>
              Cancel migration
            </Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function MigrationProgress({ workflowId, migrationId }: { workflowId: string; migrationId: string }) {
  const migration = useMigration(workflowId, migrationId);
  const versions = useVersions(workflowId);
  const control = useMigrationControl(workflowId, migrationId);
  const refusal = useEditRefusal();
  const refusalId = useId();
  if (migration.isPending) return <p className="text-muted-foreground text-sm">Reading the migration…</p>;
  if (migration.isError) return <p role="alert">Could not read the migration: {migration.error.message}</p>;
  const current = migration.data;
  const numberOf = (id: string) => versions.data?.find((version) => version.id === id)?.version_number;
  const versionOf = (id: string) => {
    const number = numberOf(id);
    return number === undefined ? "an earlier version" : `v${number}`;
  };
  const sources = current.source_version_ids.map(numberOf).filter((number): number is number => number !== undefined);
  const target = numberOf(current.target_version_id) ?? 0;
  const processed = current.migrated + current.skipped + current.failed;
  const refusedBy = refusal.data ? refusalId : null;
  const send = (name: MigrationControl, failureThreshold?: number) => control.mutate({ control: name, failureThreshold });

  return (
    <section aria-label="Migration progress" className="flex flex-col gap-3">
      <h3 className="flex items-center gap-2 font-semibold">
        {versionList(sources)} to v{target} <Badge variant={current.eta_reason === "halted" ? "destructive" : "secondary"}>{current.status}</Badge>
      </h3>
      <div
        role="progressbar"
        aria-label="Contacts processed"
        aria-valuemin={0}
        aria-valuemax={current.total}
        aria-valuenow={processed}
        aria-valuetext={`${processed} of ${current.total}`}
        className="bg-muted h-3 w-full overflow-hidden rounded"
      >
        <div className="bg-primary h-full" style={{ width: `${current.total ? (processed / current.total) * 100 : 100}%` }} />
      </div>
      <dl className="grid grid-cols-4 gap-2 text-sm">
        {(
          [
            ["Migrated", current.migrated],
            ["Skipped", current.skipped],
            ["Failed", current.failed],
            ["Total", current.total],
          ] as const
        ).map(([term, count]) => (
          <div key={term}>
            <dt className="text-muted-foreground">{term}</dt>
            <dd>{count.toLocaleString("en")}</dd>
          </div>
        ))}
      </dl>
      {isFinished(current) ? null : <p>{eta(current)}.</p>}
      <Halt migration={current} />
      {refusal.data && !isFinished(current) ? (
        <p id={refusalId} className="text-muted-foreground text-sm">
          {refusal.data}
        </p>
      ) : null}
      {control.isError ? <p role="alert">{control.error.message}</p> : null}
      {isFinished(current) ? (
        <MigrationSummary workflowId={workflowId} migration={current} sources={sources} target={target} versionOf={versionOf} />
      ) : (
        <div className="flex gap-2">
          {current.status === "paused" ? (
            <ResumeButton migration={current} busy={control.isPending} refusedBy={refusedBy} onResume={(threshold) => send("resume", threshold)} />
          ) : (
            <Button variant="outline" disabled={control.isPending || refusedBy !== null} {...(refusedBy ? { "aria-describedby": refusedBy } : {})} onClick={() => send("pause")}>
              Pause
            </Button>
          )}
          <CancelButton migration={current} target={target} busy={control.isPending} refusedBy={refusedBy} onCancel={() => send("cancel")} />
        </div>
      )}
    </section>
  );
}
