/**
 * The tenant's workflows with a search by name (here: the API lists, it does not search)
 * and "New workflow". Choosing one calls `onOpen`; the host decides where that leads.
 */
import { useId, useState } from "react";

import type { components } from "../api/client";
import { useWorkflows } from "../api/queries";
import { Button } from "../components/ui/button";
import { Input } from "../components/ui/input";
import { cn } from "../lib/utils";

import { CreateWorkflowDialog } from "./CreateWorkflowDialog";

type Workflow = components["schemas"]["WorkflowPublic"];

export interface WorkflowsListProps {
  /** The workflow shown beside the list, marked as current. */
  selectedId?: string | null;
  /** Called with the workflow chosen, or the one just created (by its id). */
  onOpen?: (workflowId: string) => void;
}

export function WorkflowsList({ selectedId, onOpen }: WorkflowsListProps) {
  const workflows = useWorkflows();
  const [search, setSearch] = useState("");
  const searchId = useId();
  const wanted = search.trim().toLocaleLowerCase();
  const shown = (workflows.data ?? []).filter((workflow: Workflow) => workflow.name.toLocaleLowerCase().includes(wanted));

  return (
    <nav aria-label="Workflows" className="flex flex-col gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">Workflows</h2>
        <CreateWorkflowDialog onCreated={(workflow) => onOpen?.(workflow.id)} />
      </div>
      <label htmlFor={searchId} className="sr-only">
        Search workflows by name
      </label>
      <Input id={searchId} type="search" placeholder="Search by name" value={search} onChange={(event) => setSearch(event.target.value)} />
      {workflows.isPending ? <p className="text-muted-foreground text-sm">Loading…</p> : null}
      {workflows.isError ? <p role="alert">Could not list workflows: {workflows.error.message}</p> : null}
      {workflows.isSuccess && shown.length === 0 ? (
        <p className="text-muted-foreground text-sm">{wanted ? `No workflow matches "${search.trim()}".` : "No workflows yet."}</p>
      ) : null}
      <ul className="flex flex-col gap-1">
        {shown.map((workflow) => (
          <li key={workflow.id}>
            <Button
              variant="ghost"
              className={cn("w-full justify-start", workflow.id === selectedId && "bg-accent")}
              aria-current={workflow.id === selectedId ? "page" : undefined}
              onClick={() => onOpen?.(workflow.id)}
            >
              {workflow.name}
            </Button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
