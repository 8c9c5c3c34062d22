/**
 * The confirmation before contacts move: how many, from which versions, to which. Above
 * `typeAbove` contacts the user types the workflow's name before the button enables, so a
 * large move is never one stray click (the same guard as deleting a repository on GitHub).
 */
import { useId, useState } from "react";

import { Button } from "../components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "../components/ui/dialog";
import { Input } from "../components/ui/input";

import { contacts, versionList } from "./words";

export interface ConfirmMigrationProps {
  count: number;
  from: number[];
  to: number;
  /** How they move, in words ("in batches of 5,000"). */
  how: string;
  workflowName: string | null;
  typeAbove: number;
  /** Checked before the dialog opens (the strategy's fields): false keeps it closed. */
  check: () => boolean;
  disabledBy: string | null;
  busy: boolean;
  onConfirm: () => void;
}

export function ConfirmMigration({ count, from, to, how, workflowName, typeAbove, check, disabledBy, busy, onConfirm }: ConfirmMigrationProps) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const typedField = useId();
  const mustType = count > typeAbove;
  const confirmed = !mustType || (workflowName !== null && typed === workflowName);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setTyped("");
        setOpen(next && check());
      }}
    >
      <DialogTrigger asChild>
        <Button className="self-start" disabled={disabledBy !== null || busy} {...(disabledBy ? { "aria-describedby": disabledBy } : {})}>
          Start migration
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Migrate {contacts(count)}?</DialogTitle>
          <DialogDescription>
            {contacts(count)} move from {versionList(from)} to v{to}, {how}. What moves stays moved if the migration is cancelled later.
          </DialogDescription>
        </DialogHeader>
        {mustType ? (
          <label htmlFor={typedField} className="flex flex-col gap-1 text-sm">
            {workflowName !== null
              ? `This moves more than ${contacts(typeAbove)}: type the workflow's name, ${workflowName}, to confirm.`
              : "This moves many contacts, but the workflow's name could not be read to confirm it: try again later."}
            <Input id={typedField} value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />
          </label>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            disabled={!confirmed}
            onClick={() => {
              setOpen(false);
              onConfirm();
            }}
          >
            Migrate {contacts(count)}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
