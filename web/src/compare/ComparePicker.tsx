/**
 * The standalone app's compare screen: two versions picked from the workflow's history
 * (opening on `defaultPair`), then the CompareView of them. Loaded lazily with React Flow.
 */
import { useId, useState } from "react";

import { useVersions } from "../api/queries";

import { CompareView } from "./CompareView";
import { defaultPair } from "./pair";

function VersionSelect({ label, value, versions, onChange }: { label: string; value: number; versions: number[]; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <span className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <select
        id={id}
        className="border-input bg-background h-9 rounded-md border px-2"
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
      >
        {versions.map((number) => (
          <option key={number} value={number}>
            v{number}
          </option>
        ))}
      </select>
    </span>
  );
}

export default function ComparePicker({ workflowId }: { workflowId: string }) {
  const versions = useVersions(workflowId);
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  if (versions.isPending) return <p className="text-muted-foreground text-sm">Loading the versions…</p>;
  if (versions.isError) return <p role="alert">Could not read the versions: {versions.error.message}</p>;
  const pair = picked ?? defaultPair(versions.data);
  if (!pair) return <p className="text-muted-foreground text-sm">A comparison needs two versions; this workflow has one.</p>;
  const numbers = versions.data.map((version) => version.version_number);
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-4">
        <VersionSelect label="From" value={pair.from} versions={numbers} onChange={(from) => setPicked({ ...pair, from })} />
        <VersionSelect label="To" value={pair.to} versions={numbers} onChange={(to) => setPicked({ ...pair, to })} />
      </div>
      <CompareView key={`${pair.from}-${pair.to}`} workflowId={workflowId} from={pair.from} to={pair.to} />
    </div>
  );
}
