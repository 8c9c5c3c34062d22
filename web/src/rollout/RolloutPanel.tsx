/**
 * A workflow's guarded rollout (docs/rollouts.md): its steps with their shares and times,
 * the current one, its state and the guards' verdict, and pause / resume / promote / abort,
 * each confirmed first since each changes what live contacts get. When no rollout runs,
 * a form starts one for a draft. The server's refusal is shown in its own words.
 */
import { useId } from "react";

import { Badge } from "../components/ui/badge";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";
import { formatDate } from "../history/format";

import { ConfirmButton } from "./ConfirmButton";
import { type Control, type Rollout, useControl, useEditRefusal, useRollout } from "./queries";
import { StartRollout } from "./StartRollout";
import { duration } from "./words";

export interface RolloutPanelProps {
  workflowId: string;
}

const OVER: Rollout["state"][] = ["published", "aborted"];

const CONTROLS: Record<Control, { label: string; title: string; says: (rollout: Rollout) => string; states: Rollout["state"][]; destructive?: boolean }> = {
  pause: {
    label: "Pause",
    title: "Pause the rollout?",
    says: (r) => `New contacts keep going ${r.share}% to v${r.target.version_number}, and the step's clock stops until it is resumed.`,
    states: ["running"],
  },
  resume: {
    label: "Resume",
    title: "Resume the rollout?",
    says: (r) => `Step ${r.step_index + 1} starts its time again and v${r.target.version_number} gets ${r.percent}% of new contacts.`,
    states: ["paused", "halted"],
  },
  promote: {
    label: "Promote",
    title: "Publish the target now?",
    says: (r) => `v${r.target.version_number} is published at once and every new contact enrols on it.`,
    states: ["running", "paused", "halted"],
  },
  abort: {
    label: "Abort",
    title: "Abort the rollout?",
    says: (r) => `The rollout ends and nothing is published: every new contact enrols on v${r.baseline.version_number} again.`,
    states: ["running", "paused", "halted"],
    destructive: true,
  },
};

function Verdict({ rollout }: { rollout: Rollout }) {
  const verdict = rollout.guard_verdict;
  if (rollout.halted_reason && rollout.state === "halted") {
    const reason = typeof rollout.halted_reason.reason === "string" ? rollout.halted_reason.reason : JSON.stringify(rollout.halted_reason);
    return <p>Halted: {reason}</p>;
  }
  if (!verdict) return null;
  const state = { waiting_for_sample: "waiting for a sample", within_margin: "within the margin", halt: "would halt" }[verdict.state];
  return (
    <p>
      Guards ({state}): {verdict.reason}
    </p>
  );
}

export function RolloutPanel({ workflowId }: RolloutPanelProps) {
  const rollout = useRollout(workflowId);
  const control = useControl(workflowId);
  const refusal = useEditRefusal();
  const reasonId = useId();
  if (rollout.isPending) return <p className="text-muted-foreground text-sm">Reading the rollout…</p>;
  if (rollout.isError) return <p role="alert">Could not read the rollout: {rollout.error.message}</p>;
  const current = rollout.data;
  const reason = refusal.data ?? null;
  const refusedBy = reason ? reasonId : null;
  const runs = current !== null && !OVER.includes(current.state);

  return (
    <section aria-label="Rollout" className="flex flex-col gap-3">
      {reason ? (
        <p id={reasonId} className="text-muted-foreground text-sm">
          {reason}
        </p>
      ) : null}
      {current ? (
        <>
          <h2 className="flex items-center gap-2 font-semibold">
            v{current.target.version_number} rolling out over v{current.baseline.version_number}{" "}
            <Badge variant={current.state === "halted" ? "destructive" : "secondary"}>{current.state}</Badge>
          </h2>
          <p>
            {runs
              ? `New contacts now: ${current.share}% to v${current.target.version_number}${current.cohort_size ? `, and the cohort of ${current.cohort_size}` : ""}.`
              : `${current.state === "published" ? "Published" : "Aborted"} ${formatDate(current.finished_at)}.`}
            {current.next_step_at ? ` Next step ${formatDate(current.next_step_at)}.` : ""}
          </p>
          <Table aria-label="Rollout steps">
            <TableCaption>Each step's share of new enrolments and how long it lasts; the last one bakes at 100% before the publish.</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Step</TableHead>
                <TableHead scope="col">Share</TableHead>
                <TableHead scope="col">Lasts</TableHead>
                <TableHead scope="col">Since</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {current.steps.map((step, index) => {
                const here = index === current.step_index && runs;
                return (
                  <TableRow key={index} aria-current={here ? "step" : undefined} className={here ? "font-semibold" : undefined}>
                    <TableCell>
                      {index + 1}
                      {here ? " (current)" : ""}
                    </TableCell>
                    <TableCell>{step.percent}%</TableCell>
                    <TableCell>{duration(step.seconds)}</TableCell>
                    <TableCell>{here ? formatDate(current.step_started_at) : ""}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Verdict rollout={current} />
          {runs ? (
            <div className="flex gap-2">
              {(Object.keys(CONTROLS) as Control[])
                .filter((name) => CONTROLS[name].states.includes(current.state))
                .map((name) => (
                  <ConfirmButton
                    key={name}
                    label={CONTROLS[name].label}
                    title={CONTROLS[name].title}
                    refusedBy={refusedBy}
                    busy={control.isPending}
                    destructive={CONTROLS[name].destructive ?? false}
                    onConfirm={() => control.mutate(name)}
                  >
                    {CONTROLS[name].says(current)}
                  </ConfirmButton>
                ))}
            </div>
          ) : null}
        </>
      ) : (
        <p>No rollout has run for this workflow.</p>
      )}
      {control.isError ? <p role="alert">{control.error.message}</p> : null}
      {runs ? null : <StartRollout workflowId={workflowId} refusedBy={refusedBy} />}
    </section>
  );
}
