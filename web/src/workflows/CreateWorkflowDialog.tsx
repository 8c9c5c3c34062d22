/** "New workflow": a name, and the API creates the workflow with a draft to edit. */
import { type FormEvent, useId, useState } from "react";

import type { components } from "../api/client";
import { Button } from "../components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "../components/ui/dialog";
import { Input } from "../components/ui/input";

import { useCreateWorkflow } from "./useCreateWorkflow";

export function CreateWorkflowDialog({ onCreated }: { onCreated?: (workflow: components["schemas"]["WorkflowCreated"]) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const create = useCreateWorkflow();
  const field = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (workflow) => {
        setOpen(false);
        setName("");
        onCreated?.(workflow);
      },
    });
  };
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) create.reset();
  };
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogTrigger asChild>
        <Button>New workflow</Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>New workflow</DialogTitle>
            <DialogDescription>It starts as a draft with a trigger and no steps, ready to edit.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <label htmlFor={field} className="text-sm font-medium">
              Name
            </label>
            <Input id={field} value={name} onChange={(event) => setName(event.target.value)} maxLength={200} required autoFocus />
          </div>
          {create.isError ? <p role="alert" className="text-destructive text-sm">{create.error.message}</p> : null}
          <DialogFooter>
            <Button type="submit" disabled={create.isPending || name.trim() === ""}>
              {create.isPending ? "Creating…" : "Create"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
