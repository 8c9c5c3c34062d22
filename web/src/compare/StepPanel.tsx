/**
 * The selected step, in words: its change (each field's path, before, after) and the
 * breaking changes there with what a migration would do to the live contacts they hit.
 * Values are shown as JSON text, never as markup.
 */
import { Badge } from "../components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";
import { TRIGGER_ID } from "../graph/layout";

import type { BreakingImpact, ElementChange, Marked } from "./marks";

type Bucket = NonNullable<BreakingImpact["bucket"]>;

/** What a migration by id (the compare's default) does to the contacts in each bucket. */
const FATE: Record<Bucket, string> = {
  unchanged: "carry on unchanged",
  changed_in_place: "stay on the step, which changes under them",
  timer_earlier: "wake earlier than planned",
  timer_later: "wake later than planned",
  remapped: "are moved to another step",
  exits: "leave the workflow",
  fails: "fail: they have no position in the new version",
  pinned: "stay where they are (pinned)",
};

const shown = (value: unknown, present: boolean) => (present ? JSON.stringify(value) : "—");

function What({ change, from, to }: { change: ElementChange; from: number; to: number }) {
  switch (change.kind) {
    case "added":
      return <p>Added in v{to}{change.new_type ? ` (${change.new_type})` : ""}.</p>;
    case "removed":
      return <p>Removed in v{to}{change.old_type ? ` (it was ${change.old_type} in v${from})` : ""}.</p>;
    case "moved":
      return (
        <p>
          Moved in the document's order, from position {(change.old_index ?? 0) + 1} to {(change.new_index ?? 0) + 1}; its
          fields are the same.
        </p>
      );
    default:
      return <p>Modified ({change.classification}).</p>;
  }
}

function Fields({ fields }: { fields: ElementChange["fields"] }) {
  if (!fields?.length) return null;
  return (
    <Table aria-label="Field changes">
      <TableHeader>
        <TableRow>
          <TableHead>Path</TableHead>
          <TableHead>Before</TableHead>
          <TableHead>After</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {fields.map((field) => (
          <TableRow key={field.path}>
            <TableCell className="font-mono">{field.path}</TableCell>
            <TableCell className="font-mono break-all whitespace-normal">{shown(field.old, field.change !== "added")}</TableCell>
            <TableCell className="font-mono break-all whitespace-normal">{shown(field.new, field.change !== "removed")}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Warning({ breaking }: { breaking: BreakingImpact }) {
  const pinned = breaking.pinned ?? 0;
  const buckets = breaking.bucket ? [breaking.bucket] : (breaking.buckets ?? []);
  const fate =
    buckets.length === 1
      ? `they ${FATE[buckets[0]!]}`
      : buckets.length > 1
        ? `they do not all fare alike: ${buckets.map((bucket) => FATE[bucket]).join("; ")}`
        : null;
  return (
    <li className="border-destructive/50 rounded-md border p-2">
      <p className="font-medium">{breaking.message}</p>
      <p className="text-sm">
        <Badge variant="destructive">{breaking.live_contacts} live</Badge> contact{breaking.live_contacts === 1 ? "" : "s"} hit
        right now{pinned ? `, and ${pinned} pinned (a migration leaves them where they are)` : ""}.
        {fate && breaking.live_contacts > 0 ? ` Under a migration by id, ${fate}.` : ""}
      </p>
    </li>
  );
}

export interface StepPanelProps {
  /** The selected node's id, and what the comparison says of it (null: nothing changed there). */
  selected: string | null;
  marked: Marked | null;
  from: number;
  to: number;
}

export function StepPanel({ selected, marked, from, to }: StepPanelProps) {
  if (selected === null) {
    return <p className="text-muted-foreground text-sm">Select a step (click it, or Tab to it and press Enter) to see what changed in it.</p>;
  }
  if (!marked) {
    const title = selected === TRIGGER_ID ? "Trigger" : selected;
    return (
      <section aria-label={`Changes of ${title}`} className="text-sm">
        <h3 className="font-mono text-base font-semibold">{title}</h3>
        <p>Unchanged between v{from} and v{to}.</p>
      </section>
    );
  }
  return (
    <section aria-label={`Changes of ${marked.title}`} className="grid gap-3 text-sm">
      <h3 className="font-mono text-base font-semibold">{marked.title}</h3>
      {marked.change ? <What change={marked.change} from={from} to={to} /> : <p>Unchanged between v{from} and v{to}.</p>}
      {marked.change ? <Fields fields={marked.change.fields} /> : null}
      {marked.breaking.length ? (
        <ul aria-label="Breaking changes" className="grid gap-2">
          {marked.breaking.map((breaking) => (
            <Warning key={`${breaking.kind}:${breaking.element_id ?? ""}`} breaking={breaking} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
