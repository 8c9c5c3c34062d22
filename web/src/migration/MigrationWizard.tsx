/**
 * The migration wizard (docs/api.md "Contacts in flight and migrations"): what moves, its
 * preview (impact buckets and the dry run), how it moves, a confirmation, then its progress
 * and a plain summary. Each step shows its own problems: a refused dry run in the preview,
 * a refused start in the strategy step.
 */
import { type ReactNode, useId, useState } from "react";

import { useVersions } from "../api/queries";
import { Button } from "../components/ui/button";
import { useEditRefusal } from "../rollout/queries";

import { MigrationProgress } from "./MigrationProgress";
import { type Choice, FIRST_PACE, type Pace } from "./plan";
import { PreviewStep } from "./PreviewStep";
import { useWorkflow } from "../api/queries";

import { useDryRun, useStartMigration } from "./queries";
import { StrategyStep } from "./StrategyStep";
import { WhatStep } from "./WhatStep";

export interface MigrationWizardProps {
  workflowId: string;
  /** The version to migrate to; else the newest draft, else the current version. */
  target?: number;
  /** Above this many contacts the confirmation asks for the workflow's name. */
  typeAbove?: number;
  /** A migration already started: open on its progress (or summary). */
  migrationId?: string;
}

type Step = "what" | "preview" | "strategy";
const STEPS: [Step, string][] = [
  ["what", "What moves"],
  ["preview", "Preview"],
  ["strategy", "Strategy"],
];

function Steps({ step }: { step: Step }) {
  return (
    <ol aria-label="Steps" className="flex gap-4 text-sm">
      {STEPS.map(([name, label], index) => (
        <li key={name} aria-current={name === step ? "step" : undefined} className={name === step ? "font-semibold" : "text-muted-foreground"}>
          {index + 1}. {label}
        </li>
      ))}
    </ol>
  );
}

/** The dry run is read once the sources are chosen, and shared by the preview and the strategy. */
function WithDryRun({ workflowId, choice, children }: { workflowId: string; choice: Choice; children: (dryRun: ReturnType<typeof useDryRun>) => ReactNode }) {
  return <>{children(useDryRun(workflowId, choice))}</>;
}

export function MigrationWizard({ workflowId, target, typeAbove = 1_000, migrationId: started }: MigrationWizardProps) {
  const versions = useVersions(workflowId);
  const workflow = useWorkflow(workflowId);
  const refusal = useEditRefusal();
  const start = useStartMigration(workflowId);
  const refusalId = useId();
  const [step, setStep] = useState<Step>("what");
  const [chosen, setChosen] = useState<Choice | null>(null);
  const [pace, setPace] = useState<Pace>(FIRST_PACE);
  const [migrationId, setMigrationId] = useState<string | null>(started ?? null);

  if (versions.isPending) return <p className="text-muted-foreground text-sm">Reading the versions…</p>;
  if (versions.isError) return <p role="alert">Could not read the versions: {versions.error.message}</p>;
  const fallback = target ?? versions.data.find((version) => version.status === "draft")?.version_number ?? versions.data.find((version) => version.is_current)?.version_number;
  if (fallback === undefined) return <p>This workflow has no version to migrate to.</p>;
  const choice: Choice = chosen ?? {
    target: fallback,
    from: versions.data
      .filter((version) => version.active_executions > 0 && version.version_number !== fallback)
      .map((version) => version.version_number)
      .sort((a, b) => a - b),
    mapping: {},
    unmapped: "fail",
  };
  const refused = refusal.data ? { id: refusalId, text: refusal.data } : null;

  return (
    <section aria-label="Migrate contacts" className="flex flex-col gap-4">
      <h2 className="font-semibold">Migrate contacts</h2>
      {migrationId ? (
        <MigrationProgress workflowId={workflowId} migrationId={migrationId} />
      ) : (
        <>
          <Steps step={step} />
          {step === "what" ? (
            <>
              <WhatStep workflowId={workflowId} choice={choice} onChange={setChosen} />
              <div className="flex gap-2">
                <Button disabled={choice.from.length === 0} onClick={() => setStep("preview")}>
                  Next: preview
                </Button>
              </div>
              {choice.from.length === 0 ? <p className="text-muted-foreground text-sm">Choose at least one version to move contacts from.</p> : null}
            </>
          ) : (
            <WithDryRun workflowId={workflowId} choice={choice}>
              {(dryRun) =>
                step === "preview" ? (
                  <>
                    <PreviewStep workflowId={workflowId} choice={choice} dryRun={dryRun} />
                    <div className="flex gap-2">
                      <Button variant="outline" onClick={() => setStep("what")}>
                        Back
                      </Button>
                      <Button disabled={!dryRun.data || dryRun.data.total === 0} onClick={() => setStep("strategy")}>
                        Next: strategy
                      </Button>
                    </div>
                    {dryRun.data?.total === 0 ? <p className="text-muted-foreground text-sm">Nothing to move: no contact is live on the chosen versions.</p> : null}
                  </>
                ) : (
                  <>
                    <StrategyStep
                      workflowId={workflowId}
                      choice={choice}
                      pace={pace}
                      onChange={setPace}
                      total={dryRun.data?.total ?? 0}
                      workflowName={workflow.data?.name ?? null}
                      typeAbove={typeAbove}
                      refusal={refused}
                      busy={start.isPending}
                      problem={start.error?.message ?? null}
                      onStart={() => start.mutate({ choice, pace }, { onSuccess: (migration) => setMigrationId(migration.id) })}
                    />
                    <Button
                      variant="outline"
                      className="self-start"
                      onClick={() => {
                        start.reset();
                        setStep("preview");
                      }}
                    >
                      Back
                    </Button>
                  </>
                )
              }
            </WithDryRun>
          )}
        </>
      )}
    </section>
  );
}
