/**
 * What moving the live contacts of one version to another would do, before anything moves
 * (docs/impact.md): every bucket with its count in words, each expandable to its contacts.
 */
import { useState } from "react";

import { Button } from "../components/ui/button";

import { BucketContacts } from "./BucketContacts";
import { type Bucket, type ImpactQuery, useImpact } from "./queries";
import { BUCKETS, sentence } from "./words";

export type ImpactPreviewProps = ImpactQuery;

export function ImpactPreview(props: ImpactPreviewProps) {
  const impact = useImpact(props);
  const [open, setOpen] = useState<Bucket | null>(null);
  const { from, to } = props;
  if (impact.isPending) return <p className="text-muted-foreground text-sm">Previewing v{from} → v{to}…</p>;
  if (impact.isError) return <p role="alert">Could not preview v{from} → v{to}: {impact.error.message}</p>;
  const { counts, total, positions } = impact.data;
  return (
    <section aria-label={`Impact of v${from} to v${to}`} className="flex flex-col gap-3">
      <h2 className="font-semibold">
        Moving the {total.toLocaleString("en")} live contact{total === 1 ? "" : "s"} of v{from} to v{to}
      </h2>
      <ul className="flex flex-col gap-2">
        {BUCKETS.map((bucket) => (
          <li key={bucket} data-bucket={bucket} className="flex flex-col gap-2">
            <Button
              variant="ghost"
              className="justify-start"
              aria-expanded={open === bucket}
              disabled={counts[bucket] === 0}
              onClick={() => setOpen(open === bucket ? null : bucket)}
            >
              {sentence(bucket, counts[bucket])}
            </Button>
            {open === bucket ? <BucketContacts query={props} bucket={bucket} positions={positions} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
