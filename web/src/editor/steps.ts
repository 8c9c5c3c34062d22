/** The steps (actions) of the document being edited, read leniently: the text may be half typed. */
export interface StepLine {
  index: number;
  id: string | null;
  name: string | null;
  type: string | null;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

export function stepsOf(source: string): StepLine[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return null;
  }
  const actions = parsed && typeof parsed === "object" ? (parsed as { actions?: unknown }).actions : undefined;
  if (!Array.isArray(actions)) return [];
  return actions.map((action: unknown, index) => {
    const fields = action && typeof action === "object" ? (action as Record<string, unknown>) : {};
    return { index, id: text(fields.id), name: text(fields.name), type: text(fields.type) };
  });
}
