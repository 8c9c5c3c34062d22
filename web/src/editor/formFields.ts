/**
 * The fields of a form for an action's `config`, read from its type's JSON Schema: the
 * properties that are a string, a number (or integer), a boolean, or an enum of such. Any
 * other property (an object, an array, a union) is left to the JSON view, and said so.
 */
export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum";

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string | null;
  /** For an enum: its values, in the schema's order. */
  options: (string | number | boolean)[];
}

export interface FormPlan {
  fields: FormField[];
  /** Properties the form cannot draw: edit them in the JSON view. */
  elsewhere: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const isScalar = (value: unknown): value is string | number | boolean => ["string", "number", "boolean"].includes(typeof value);

export function formPlan(schema: unknown): FormPlan {
  const plan: FormPlan = { fields: [], elsewhere: [] };
  if (!isRecord(schema) || !isRecord(schema.properties)) return plan;
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const about = isRecord(property) ? property : {};
    const description = typeof about.description === "string" ? about.description : null;
    const field = { name, required: required.includes(name), description };
    if (Array.isArray(about.enum) && about.enum.every(isScalar)) {
      plan.fields.push({ ...field, kind: "enum", options: about.enum });
    } else if (about.type === "string" || about.type === "number" || about.type === "integer" || about.type === "boolean") {
      plan.fields.push({ ...field, kind: about.type, options: [] });
    } else {
      plan.elsewhere.push(name);
    }
  }
  return plan;
}

/**
 * The document's text with one config value of one step set (or removed: `undefined`), or
 * null when the text is not a document with that step. Written back pretty-printed: the
 * form and the JSON view edit the same text.
 */
export function withConfigValue(text: string, index: number, name: string, value: unknown): string | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(document) || !Array.isArray(document.actions)) return null;
  const action: unknown = document.actions[index];
  if (!isRecord(action)) return null;
  const config = isRecord(action.config) ? { ...action.config } : {};
  if (value === undefined) delete config[name];
  else config[name] = value;
  const actions = document.actions.map((each: unknown, at) => (at === index ? { ...action, config } : each));
  return JSON.stringify({ ...document, actions }, null, 2);
}

/** The selected step's config as the text holds it, or null. */
export function configOf(text: string, index: number): { type: string | null; config: Record<string, unknown> } | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(document) || !Array.isArray(document.actions)) return null;
  const action: unknown = document.actions[index];
  if (!isRecord(action)) return null;
  return { type: typeof action.type === "string" ? action.type : null, config: isRecord(action.config) ? action.config : {} };
}
