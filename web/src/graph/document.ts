/**
 * A version's `definition` read defensively: the API returns drafts as they were saved, so a
 * document may have no trigger, duplicate ids or dangling links. What cannot be read is
 * reported in `problems` and left out; the rest is still drawn.
 */
export interface Step {
  id: string;
  type: string;
  name: string | null;
  /** Where contacts go next, with the branch's word for an if_else ("then", "else"). */
  exits: { target: string; label: "next" | "then" | "else" }[];
}

export interface ReadDocument {
  trigger: { type: string; next: string | null } | null;
  steps: Step[];
  problems: string[];
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function exitsOf(action: Record<string, unknown>, type: string): Step["exits"] {
  if (type === "if_else") {
    const config = record(action.config);
    const exits: Step["exits"] = [];
    const then = text(config.then);
    const otherwise = text(config.else);
    if (then) exits.push({ target: then, label: "then" });
    if (otherwise) exits.push({ target: otherwise, label: "else" });
    return exits;
  }
  const next = text(action.next);
  return next ? [{ target: next, label: "next" }] : [];
}

export function readDocument(definition: unknown): ReadDocument {
  const document = record(definition);
  const problems: string[] = [];
  const rawTrigger = record(document.trigger);
  const trigger = text(rawTrigger.type) ? { type: text(rawTrigger.type) ?? "", next: text(rawTrigger.next) } : null;
  if (!trigger) problems.push("the document has no trigger");

  const steps: Step[] = [];
  const seen = new Set<string>();
  const actions = Array.isArray(document.actions) ? document.actions : [];
  actions.forEach((raw, index) => {
    const action = record(raw);
    const id = text(action.id);
    if (!id) {
      problems.push(`action ${index + 1} has no id`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`action id "${id}" is used twice: the second is not drawn`);
      return;
    }
    seen.add(id);
    const type = text(action.type) ?? "?";
    steps.push({ id, type, name: text(action.name), exits: exitsOf(action, type) });
  });

  for (const step of steps) {
    for (const exit of step.exits) {
      if (!seen.has(exit.target)) problems.push(`"${step.id}" ${exit.label} names "${exit.target}", which is not an action`);
    }
  }
  if (trigger?.next && !seen.has(trigger.next)) problems.push(`the trigger's next names "${trigger.next}", which is not an action`);
  return { trigger, steps, problems };
}
