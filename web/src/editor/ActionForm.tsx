/**
 * A form for the selected step's `config`, drawn from its action type's JSON Schema
 * (GET /api/v1/action-types). It edits the same text as the JSON view: each change is
 * written into the document, which is then saved like any typing.
 */
import { Input } from "../components/ui/input";

import { configOf, type FormField, formPlan, withConfigValue } from "./formFields";
import { useActionTypes } from "./queries";

interface ActionFormProps {
  text: string;
  index: number;
  onChange: (text: string) => void;
}

const fieldId = (index: number, name: string) => `draft-step-${index}-config-${name}`;

function Field({ field, value, index, set }: { field: FormField; value: unknown; index: number; set: (value: unknown) => void }) {
  const id = fieldId(index, field.name);
  const hintId = `${id}-hint`;
  const described = field.description ? { "aria-describedby": hintId } : {};
  const label = `${field.name}${field.required ? " (required)" : ""}`;
  let control;
  if (field.kind === "boolean") {
    control = <input id={id} type="checkbox" checked={value === true} onChange={(event) => set(event.target.checked)} {...described} />;
  } else if (field.kind === "enum") {
    const at = field.options.findIndex((option) => option === value);
    control = (
      <select
        id={id}
        className="border-input h-9 rounded-md border bg-transparent px-2 text-sm"
        value={at < 0 ? "" : String(at)}
        onChange={(event) => set(event.target.value === "" ? undefined : field.options[Number(event.target.value)])}
        {...described}
      >
        <option value="">(not set)</option>
        {field.options.map((option, position) => (
          <option key={position} value={String(position)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else {
    const numeric = field.kind === "number" || field.kind === "integer";
    control = (
      <Input
        id={id}
        type={numeric ? "number" : "text"}
        {...(field.kind === "integer" ? { step: 1 } : {})}
        value={typeof value === "string" || typeof value === "number" ? String(value) : ""}
        onChange={(event) => {
          const raw = event.target.value;
          if (raw === "") set(field.required && !numeric ? "" : undefined);
          else set(numeric ? Number(raw) : raw);
        }}
        {...described}
      />
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {control}
      {field.description && (
        <p id={hintId} className="text-muted-foreground text-xs">
          {field.description}
        </p>
      )}
    </div>
  );
}

export function ActionForm({ text, index, onChange }: ActionFormProps) {
  const types = useActionTypes();
  const step = configOf(text, index);
  if (!step) return <p className="text-muted-foreground text-sm">The form shows again once the text is valid JSON with this step.</p>;
  if (types.error) return <p role="alert" className="text-destructive text-sm">{types.error.message}</p>;
  if (!types.data) return <p className="text-muted-foreground text-sm">Loading the action types…</p>;
  const type = types.data.find((candidate) => candidate.name === step.type);
  if (!type) return <p className="text-muted-foreground text-sm">No action type named “{step.type ?? ""}”: edit this step in the JSON view.</p>;
  const plan = formPlan(type.config_schema);
  const set = (name: string) => (value: unknown) => {
    const next = withConfigValue(text, index, name, value);
    if (next !== null) onChange(next);
  };
  return (
    <fieldset className="space-y-2 rounded-md border p-2">
      <legend className="px-1 text-sm font-semibold">
        {type.title} settings
      </legend>
      {type.description && <p className="text-muted-foreground text-sm">{type.description}</p>}
      {plan.fields.map((field) => (
        <Field key={field.name} field={field} value={step.config[field.name]} index={index} set={set(field.name)} />
      ))}
      {plan.elsewhere.length > 0 && <p className="text-muted-foreground text-xs">Edit {plan.elsewhere.join(", ")} in the JSON view.</p>}
    </fieldset>
  );
}
