/**
 * Step "strategy": how the contacts move (docs/api.md): `immediate` in batches, `gradual`
 * a share at a time with a failure threshold that halts it, or `manual`, only the picked
 * executions. The start is confirmed (ConfirmMigration); the server's refusal is shown here.
 */
import { useId, useState } from "react";

import { Input } from "../components/ui/input";

import { ConfirmMigration } from "./ConfirmMigration";
import { ManualPicker } from "./ManualPicker";
import { type Choice, type Pace, paceProblem, type Strategy } from "./plan";
import { seconds } from "./words";

const STRATEGIES: Record<Strategy, string> = {
  immediate: "Immediate: every contact now, in batches",
  gradual: "Gradual: a share at a time, halting when too many fail",
  manual: "Manual: only the executions you pick",
};

export function how(pace: Pace): string {
  switch (pace.strategy) {
    case "immediate":
      return `at once in batches of ${pace.batchSize.toLocaleString("en")}`;
    case "gradual":
      return `${pace.stepPercent}% every ${seconds(pace.intervalSeconds)}, halting when more than ${pace.failurePercent}% of a step fail`;
    case "manual":
      return "only the picked executions";
  }
}

function NumberField({ label, value, onChange }: { label: string; value: number; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <label htmlFor={id} className="flex items-center gap-2 text-sm">
      {label}
      <Input id={id} type="number" className="w-28" value={Number.isNaN(value) ? "" : value} onChange={(event) => onChange(event.target.valueAsNumber)} />
    </label>
  );
}

export interface StrategyStepProps {
  workflowId: string;
  choice: Choice;
  pace: Pace;
  onChange: (pace: Pace) => void;
  /** How many the dry run moves: what immediate and gradual migrations take. */
  total: number;
  workflowName: string | null;
  typeAbove: number;
  refusal: { id: string; text: string } | null;
  busy: boolean;
  problem: string | null;
  onStart: () => void;
}

export function StrategyStep({ workflowId, choice, pace, onChange, total, workflowName, typeAbove, refusal, busy, problem, onStart }: StrategyStepProps) {
  const [invalid, setInvalid] = useState<string | null>(null);
  const set = (change: Partial<Pace>) => onChange({ ...pace, ...change });
  const count = pace.strategy === "manual" ? pace.executionIds.length : total;
  return (
    <div className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="font-medium">Strategy</legend>
        {(Object.keys(STRATEGIES) as Strategy[]).map((strategy) => (
          <label key={strategy} className="flex items-center gap-2">
            <input type="radio" name="strategy" value={strategy} checked={pace.strategy === strategy} onChange={() => set({ strategy })} />
            {STRATEGIES[strategy]}
          </label>
        ))}
      </fieldset>
      {pace.strategy === "immediate" ? <NumberField label="Batch size" value={pace.batchSize} onChange={(batchSize) => set({ batchSize })} /> : null}
      {pace.strategy === "gradual" ? (
        <div className="flex flex-col gap-2">
          <NumberField label="Step (percent)" value={pace.stepPercent} onChange={(stepPercent) => set({ stepPercent })} />
          <NumberField label="Interval (seconds)" value={pace.intervalSeconds} onChange={(intervalSeconds) => set({ intervalSeconds })} />
          <NumberField label="Failure threshold (percent)" value={pace.failurePercent} onChange={(failurePercent) => set({ failurePercent })} />
        </div>
      ) : null}
      {pace.strategy === "manual" ? (
        <ManualPicker workflowId={workflowId} from={choice.from} picked={pace.executionIds} onPick={(executionIds) => set({ executionIds })} />
      ) : null}
      {refusal ? (
        <p id={refusal.id} className="text-muted-foreground text-sm">
          {refusal.text}
        </p>
      ) : null}
      {invalid ? <p role="alert">{invalid}</p> : null}
      {problem ? <p role="alert">The migration was refused: {problem}</p> : null}
      <ConfirmMigration
        count={count}
        from={choice.from}
        to={choice.target}
        how={how(pace)}
        workflowName={workflowName}
        typeAbove={typeAbove}
        disabledBy={refusal?.id ?? null}
        busy={busy}
        check={() => {
          const found = paceProblem(pace);
          setInvalid(found);
          return found === null;
        }}
        onConfirm={onStart}
      />
    </div>
  );
}
