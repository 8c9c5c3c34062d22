/**
 * Two versions of a workflow compared: both graphs side by side with each step coloured (and
 * named) by its change, breaking changes badged with the live contacts they hit, the selected
 * step's field changes and warnings beside them, and git's unified patch on demand.
 *
 * An identical pair is refused before any call: there is nothing to compare.
 */
import { useMemo, useState } from "react";

import { Button } from "../components/ui/button";

import { CompareGraph } from "./CompareGraph";
import { Legend } from "./Legend";
import { type Marked, marksOf } from "./marks";
import { Patch } from "./Patch";
import { useComparison } from "./queries";
import { StepPanel } from "./StepPanel";

export interface CompareViewProps {
  workflowId: string;
  /** Version numbers: the older side (where live contacts are) and the one compared to it. */
  from: number;
  to: number;
  className?: string;
}

export function CompareView({ workflowId, from, to, className }: CompareViewProps) {
  const same = from === to;
  const comparison = useComparison(workflowId, from, to, !same);
  const marks = useMemo(() => (comparison.data ? marksOf(comparison.data) : null), [comparison.data]);
  const [selected, setSelected] = useState<string | null>(null);
  const [patch, setPatch] = useState(false);

  if (same) return <p role="alert">{`v${from} and v${to} are the same version: pick two different versions`}</p>;
  if (comparison.isPending) return <p className="text-muted-foreground text-sm">Comparing v{from} and v{to}…</p>;
  if (comparison.isError) return <p role="alert">Could not compare v{from} and v{to}: {comparison.error.message}</p>;
  if (!marks || marks.changed.length === 0) {
    return <p role="status">{`v${from} and v${to} have no differences: their documents are the same.`}</p>;
  }
  const marked: Marked | null = marks.changed.find((each) => each.key === selected) ?? null;
  return (
    <section aria-label={`v${from} compared with v${to}`} className={className}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm">
          <span className="font-medium">
            v{from} → v{to}:
          </span>{" "}
          {comparison.data.summary}
          {comparison.data.breaking.length ? `; ${comparison.data.breaking.length} breaking` : ""}
        </p>
        <Button variant="outline" size="sm" aria-pressed={patch} onClick={() => setPatch(!patch)}>
          {patch ? "Show the graphs" : "Show git's patch"}
        </Button>
      </div>
      {patch ? (
        <Patch workflowId={workflowId} from={from} to={to} />
      ) : (
        <>
          <Legend />
          <div className="mt-3 grid gap-4 lg:grid-cols-[1fr_1fr_20rem]">
            <CompareGraph workflowId={workflowId} version={from} highlights={marks.from} selected={selected} onSelect={setSelected} />
            <CompareGraph workflowId={workflowId} version={to} highlights={marks.to} selected={selected} onSelect={setSelected} />
            <aside aria-label="Selected step" className="grid content-start gap-3">
              <StepPanel selected={selected} marked={marked} from={from} to={to} />
              <nav aria-label="Changed steps">
                <p className="mb-1 text-sm font-medium">Every change</p>
                <ul className="grid gap-1">
                  {marks.changed.map((each) => (
                    <li key={each.key}>
                      <Button
                        variant={each.key === selected ? "secondary" : "ghost"}
                        size="sm"
                        aria-pressed={each.key === selected}
                        onClick={() => setSelected(each.key)}
                      >
                        <span className="font-mono">{each.title}</span>
                        {each.change ? ` ${each.change.kind}` : ""}
                        {each.breaking.length ? " ⚠" : ""}
                      </Button>
                    </li>
                  ))}
                </ul>
              </nav>
            </aside>
          </div>
        </>
      )}
    </section>
  );
}
