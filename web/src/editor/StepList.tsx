/**
 * The draft's steps, each with the validation errors that concern it, under a summary of
 * every error (those of no one step, such as a missing `entry`, are in the summary only).
 */
import type { FieldProblem } from "./stepErrors";
import type { StepLine } from "./steps";

interface StepListProps {
  steps: StepLine[] | null;
  problems: FieldProblem[];
  selected: number | null;
  onSelect: (index: number) => void;
}

const stepName = (step: StepLine) => step.name ?? step.id ?? `Step ${step.index + 1}`;

export function StepList({ steps, problems, selected, onSelect }: StepListProps) {
  const ofStep = (step: StepLine) =>
    problems.filter((problem) => problem.step === step.index || (problem.step === null && problem.actionId !== null && problem.actionId === step.id));
  return (
    <section aria-labelledby="draft-steps" className="space-y-2">
      {problems.length > 0 && (
        <div role="alert" className="border-destructive rounded-md border p-2 text-sm">
          <p className="font-medium">
            {problems.length === 1 ? "1 problem" : `${problems.length} problems`} to fix before this draft can be committed:
          </p>
          <ul className="list-disc pl-5">
            {problems.map((problem, index) => (
              <li key={index}>
                <code>{problem.field || "the document"}</code>: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3 id="draft-steps" className="text-sm font-semibold">
        Steps
      </h3>
      {steps === null ? (
        <p className="text-muted-foreground text-sm">The steps show again once the text is valid JSON.</p>
      ) : steps.length === 0 ? (
        <p className="text-muted-foreground text-sm">No steps yet.</p>
      ) : (
        <ol className="space-y-1">
          {steps.map((step) => {
            const errors = ofStep(step);
            const errorsId = `draft-step-${step.index}-errors`;
            return (
              <li key={step.index} aria-label={stepName(step)} className="rounded-md border p-2">
                <button
                  type="button"
                  className="text-left text-sm"
                  aria-pressed={selected === step.index}
                  {...(errors.length ? { "aria-describedby": errorsId } : {})}
                  onClick={() => onSelect(step.index)}
                >
                  <span className="font-medium">{stepName(step)}</span>
                  {step.type && <span className="text-muted-foreground"> · {step.type}</span>}
                </button>
                {errors.length > 0 && (
                  <ul id={errorsId} className="text-destructive list-disc pl-5 text-sm">
                    {errors.map((problem, index) => (
                      <li key={index}>
                        <code>{problem.field}</code>: {problem.message}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
