/**
 * Start a rollout of a draft: its steps, each a share of new enrolments and how long it
 * lasts, the last at 100%. The form checks what docs/rollouts.md says the server refuses,
 * so the common mistakes are said before the confirmation; the server still decides.
 */
import { useId, useState } from "react";

import { useVersions } from "../api/queries";
import { Button } from "../components/ui/button";
import { Input } from "../components/ui/input";

import { ConfirmButton } from "./ConfirmButton";
import { type RolloutStep, useStartRollout } from "./queries";
import { duration } from "./words";

const FIRST_STEPS: RolloutStep[] = [
  { percent: 10, seconds: 3600 },
  { percent: 50, seconds: 3600 },
  { percent: 100, seconds: 3600 },
];
const MAX_STEPS = 20;
const MAX_SECONDS = 30 * 86_400;

/** What is wrong with the steps, or null. */
export function stepsProblem(steps: RolloutStep[]): string | null {
  if (steps.length === 0 || steps.length > MAX_STEPS) return `A rollout has 1 to ${MAX_STEPS} steps.`;
  for (const [index, step] of steps.entries()) {
    if (!Number.isInteger(step.percent) || step.percent < 1 || step.percent > 100) return `Step ${index + 1}: a share is a whole percent from 1 to 100.`;
    if (!Number.isInteger(step.seconds) || step.seconds < 1 || step.seconds > MAX_SECONDS) return `Step ${index + 1}: a step lasts from 1 second to 30 days.`;
    const before = steps[index - 1];
    if (before && step.percent <= before.percent) return `Step ${index + 1}: each share must be above the one before.`;
  }
  return steps.at(-1)?.percent === 100 ? null : "The last step must be 100%: it bakes at full share before the publish.";
}

export function StartRollout({ workflowId, refusedBy }: { workflowId: string; refusedBy: string | null }) {
  const versions = useVersions(workflowId);
  const start = useStartRollout(workflowId);
  const [steps, setSteps] = useState<RolloutStep[]>(FIRST_STEPS);
  const [chosen, setChosen] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const versionField = useId();
  const drafts = (versions.data ?? []).filter((version) => version.status === "draft");
  const current = versions.data?.find((version) => version.is_current);
  const target = chosen ?? drafts[0]?.version_number ?? null;

  if (versions.isPending) return null;
  if (drafts.length === 0) return <p className="text-muted-foreground text-sm">No draft to roll out: a rollout starts from a draft version.</p>;

  const change = (index: number, field: keyof RolloutStep, value: string) =>
    setSteps(steps.map((step, at) => (at === index ? { ...step, [field]: Number(value) } : step)));
  const check = () => {
    const found = target === null ? "Choose a draft." : stepsProblem(steps);
    setProblem(found);
    return found === null;
  };

  return (
    <form aria-label="Start a rollout" className="flex flex-col gap-3" onSubmit={(event) => event.preventDefault()}>
      <h2 className="font-semibold">Start a rollout</h2>
      <label htmlFor={versionField} className="flex items-center gap-2 text-sm">
        Draft
        <select
          id={versionField}
          className="border-input rounded-md border px-2 py-1"
          value={target ?? ""}
          onChange={(event) => setChosen(Number(event.target.value))}
        >
          {drafts.map((version) => (
            <option key={version.id} value={version.version_number}>
              v{version.version_number}
            </option>
          ))}
        </select>
      </label>
      <ol className="flex flex-col gap-2">
        {steps.map((step, index) => (
          <li key={index} className="flex items-center gap-2 text-sm">
            <span>Step {index + 1}</span>
            <Input
              aria-label={`Step ${index + 1} percent`}
              type="number"
              min={1}
              max={100}
              className="w-20"
              value={step.percent}
              onChange={(event) => change(index, "percent", event.target.value)}
            />
            %
            <Input
              aria-label={`Step ${index + 1} seconds`}
              type="number"
              min={1}
              className="w-28"
              value={step.seconds}
              onChange={(event) => change(index, "seconds", event.target.value)}
            />
            s
            <Button type="button" variant="ghost" size="sm" disabled={steps.length === 1} onClick={() => setSteps(steps.filter((_, at) => at !== index))}>
              Remove step {index + 1}
            </Button>
          </li>
        ))}
      </ol>
      <Button
        type="button"
        variant="outline"
        className="self-start"
        disabled={steps.length >= MAX_STEPS}
        onClick={() => setSteps([...steps, { percent: 100, seconds: 3600 }])}
      >
        Add a step
      </Button>
      {problem ? <p role="alert">{problem}</p> : null}
      {start.isError ? <p role="alert">{start.error.message}</p> : null}
      <ConfirmButton
        label="Start rollout"
        title={`Roll out v${target ?? ""}?`}
        refusedBy={refusedBy}
        busy={start.isPending}
        check={check}
        onConfirm={() => target !== null && start.mutate({ version: target, steps })}
      >
        {`New contacts go to v${target ?? ""} instead of v${current?.version_number ?? "the current version"}: ${steps
          .map((step) => `${step.percent}% for ${duration(step.seconds)}`)
          .join(", then ")}, then it is published.`}
      </ConfirmButton>
    </form>
  );
}
