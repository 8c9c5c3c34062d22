/**
 * How many current approvals a draft needs before it is published: a workflow setting an
 * admin changes (confirmed first, since it changes what may go live), read-only for others
 * with the reason. The server decides either way; its refusal is shown here.
 */
import { useId, useState } from "react";

import { Input } from "../components/ui/input";
import { ConfirmButton } from "../rollout/ConfirmButton";

import { useWorkflow } from "../api/queries";

import { useRequiredApprovals } from "./queries";

export interface RequiredApprovalsProps {
  workflowId: string;
  /** false: the reader is no admin (the control is disabled); null: only the server can tell. */
  admin: boolean | null;
}

export const NOT_ADMIN = "Only an admin (workflows:admin) changes how many approvals a draft needs.";
/** The server's bound on the rule: more would block every publish for good. */
const MAX = 10;

export function RequiredApprovals({ workflowId, admin }: RequiredApprovalsProps) {
  const workflow = useWorkflow(workflowId);
  const change = useRequiredApprovals(workflowId);
  const [wanted, setWanted] = useState<string | null>(null);
  const id = useId();
  if (workflow.isPending) return <p className="text-muted-foreground text-sm">Reading the approval rule…</p>;
  if (workflow.isError) return <p role="alert">Could not read the approval rule: {workflow.error.message}</p>;
  const now = workflow.data.required_approvals;
  const value = wanted ?? String(now);
  const next = Number(value);
  const valid = value.trim() !== "" && Number.isInteger(next) && next >= 0 && next <= MAX;
  const refusedBy = admin === false ? `${id}-reason` : null;
  return (
    <section aria-label="Approval rule" className="grid gap-2">
      <p>
        {now === 0 ? "No approval is needed to publish a draft of this workflow." : `Publishing a draft needs ${now} current approval${now === 1 ? "" : "s"}.`}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="grid gap-1">
          <label htmlFor={`${id}-input`} className="text-sm font-medium">
            Required approvals
          </label>
          <Input
            id={`${id}-input`}
            type="number"
            min={0}
            max={MAX}
            className="w-24"
            value={value}
            disabled={refusedBy !== null}
            {...(refusedBy ? { "aria-describedby": refusedBy } : {})}
            onChange={(event) => setWanted(event.target.value)}
          />
        </div>
        <ConfirmButton
          label="Change"
          title="Change the approval rule?"
          refusedBy={refusedBy}
          busy={change.isPending || !valid || next === now}
          check={() => valid && next !== now}
          onConfirm={() => change.mutate(next, { onSuccess: () => setWanted(null) })}
        >
          {`Every draft of this workflow will need ${next} current approval${next === 1 ? "" : "s"} (now ${now}) before it is published, open reviews included.`}
        </ConfirmButton>
      </div>
      {refusedBy ? (
        <p id={refusedBy} className="text-muted-foreground text-sm">
          {NOT_ADMIN}
        </p>
      ) : null}
      {change.isError ? <p role="alert">{change.error.message}</p> : null}
    </section>
  );
}
