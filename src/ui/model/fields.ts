// A form field as data: what the screen asks, how an answer is checked while the person is
// still at the keyboard, and when the field applies. The machine checks everything again;
// these checks only make the screen say what is wrong before anything is sent.

export type Values = Readonly<Record<string, string>>;

export interface Choice {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'choice';
  /** For kind choice: the first is preselected; ←/→ or the first letter picks another. */
  choices?: readonly Choice[];
  /** For kind choice: false leaves nothing preselected, so the person must pick one (Enter alone is refused). */
  preselect?: boolean;
  optional?: boolean;
  /** A line under the field while it is being typed. */
  help?: string;
  /** What is wrong with `value`, in words; undefined when it is acceptable. */
  check?: (value: string, values: Values) => string | undefined;
  /** Shown after an accepted value, e.g. the name of the person whose id was typed. */
  describe?: (value: string) => string | undefined;
  /** How an accepted value is shown, when not as typed (a fingerprint: grouped, in capitals, as it is read aloud). */
  shownAs?: (value: string) => string;
  /** What is submitted for the typed value when it is not the value itself (shown through `describe` first). */
  submitted?: (value: string) => string;
  /** The field applies only when this says so (a reason only for a rejection). */
  shownWhen?: (values: Values) => boolean;
}

export function visibleFields(fields: readonly FieldSpec[], values: Values): FieldSpec[] {
  return fields.filter((f) => f.shownWhen?.(values) ?? true);
}

/** The first problem of one field's value, required-ness included. */
export function fieldProblem(field: FieldSpec, value: string, values: Values, required: string): string | undefined {
  if (value.trim() === '') return field.optional ? undefined : required;
  return field.check?.(value.trim(), values);
}

/** The values of the fields that apply, trimmed. */
export function answeredValues(fields: readonly FieldSpec[], values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of visibleFields(fields, values)) {
    const value = (values[field.name] ?? '').trim();
    out[field.name] = field.submitted ? field.submitted(value) : value;
  }
  return out;
}
