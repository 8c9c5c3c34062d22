/** One event of a review's thread in words: who, what, when; its text stays text. */
import { Badge } from "../components/ui/badge";
import { formatDate } from "../history/format";

import type { ReviewEvent } from "./queries";
import { isSending } from "./thread";

const KIND: Record<ReviewEvent["kind"], string> = { comment: "commented", approve: "approved", request_changes: "requested changes" };

export function ThreadEvent({ event }: { event: ReviewEvent }) {
  const sending = isSending(event);
  return (
    <li className="grid gap-1 rounded-md border p-2 text-sm" aria-busy={sending || undefined}>
      <p className="text-muted-foreground">
        <span className="text-foreground font-medium">{event.author_id}</span> {KIND[event.kind]}
        {event.json_path ? (
          <>
            {" "}
            on <span className="font-mono">{event.json_path}</span>
          </>
        ) : null}
        {sending ? " (sending…)" : ` ${formatDate(event.created_at)}`}
        {event.stale ? (
          <>
            {" "}
            <Badge variant="outline">stale: the draft changed since</Badge>
          </>
        ) : null}
      </p>
      <p className="whitespace-pre-wrap">{event.body}</p>
    </li>
  );
}
