/**
 * Which step a validation error concerns. The API names fields three ways: a draft commit's
 * `errors[].field` as dotted paths (`actions.3.config.template`, or `actions[3].config.template`),
 * and the publish checks' `problems[]` as JSON pointers (`/actions/3/config/template`) with the
 * action's id. All three end up as (step index, message).
 */
import type { ApiError } from "../api/problem";

export interface FieldProblem {
  /** The path as the API gave it. */
  field: string;
  message: string;
  /** The index in `actions` it points into, or null for the document as a whole. */
  step: number | null;
  /** The action id, when the API named it. */
  actionId: string | null;
}

const STEP = /^\/?actions(?:\[(\d+)\]|[./](\d+))/;

export function stepIndex(field: string): number | null {
  const match = STEP.exec(field);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? null : Number(digits);
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object";

/** The field problems of a 422, in the order the API listed them. */
export function fieldProblems(error: ApiError): FieldProblem[] {
  const found: FieldProblem[] = [];
  const { errors, problems } = error.problem as { errors?: unknown; problems?: unknown };
  for (const entry of Array.isArray(errors) ? errors : []) {
    if (!isRecord(entry) || typeof entry.field !== "string") continue;
    found.push({ field: entry.field, message: String(entry.message ?? ""), step: stepIndex(entry.field), actionId: null });
  }
  for (const entry of Array.isArray(problems) ? problems : []) {
    if (!isRecord(entry) || typeof entry.pointer !== "string") continue;
    const actionId = typeof entry.action_id === "string" ? entry.action_id : null;
    found.push({ field: entry.pointer, message: String(entry.message ?? ""), step: stepIndex(entry.pointer), actionId });
  }
  // A problem naming one field and no list: that field, with the problem's own words.
  const { field, detail } = error.problem;
  if (!found.length && typeof field === "string" && field) {
    found.push({ field, message: detail ?? error.message, step: stepIndex(field), actionId: null });
  }
  return found;
}
