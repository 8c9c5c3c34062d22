/** Where the contact was at an instant, in a sentence; before its first kept event, a plain "not enrolled then". */
import { formatDate, position } from "./format";
import { useAsOf } from "./queries";

export function AsOfAnswer({ workflowId, contactId, at }: { workflowId: string; contactId: string; at: string }) {
  const answer = useAsOf(workflowId, contactId, at);
  if (answer.isPending) return <p className="text-muted-foreground text-sm">Looking back to {formatDate(at)}…</p>;
  if (answer.isError) return <p role="alert">Could not answer for {formatDate(at)}: {answer.error.message}</p>;
  const then = answer.data;
  if (!then) {
    return (
      <p role="status">
        At {formatDate(at)}, {contactId} was not enrolled in this workflow (or that part of its history is no longer kept).
      </p>
    );
  }
  return (
    <div role="status" className="flex flex-col gap-1 text-sm">
      <p>
        {then.left
          ? `At ${formatDate(at)}, ${contactId} had left the workflow (${then.status} at ${formatDate(then.left_at)}), last at ${position(then.version_number, then.action_id, then.status)}.`
          : `At ${formatDate(at)}, ${contactId} was at ${position(then.version_number, then.action_id, then.status)}, since ${formatDate(then.since)}.`}
      </p>
      <p className="text-muted-foreground">
        Put there by the {then.event.cause} event of {formatDate(then.event.at)} (execution {then.execution_id}, commit{" "}
        {then.commit_sha.slice(0, 7)}).
      </p>
    </div>
  );
}
