// record: typed values (serial numbers, bag numbers, the room) that a witness confirms.
// Each field is an id, or an id with a label, a pattern and whether it may stay empty.
import { z } from 'zod';
import { common, field } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';
import type { Problem } from '../../ceremony/types.js';

const schema = z.strictObject({ ...common, type: z.literal('record'), fields: z.array(field).min(1, { error: 'must list at least one field' }) });
export type RecordStep = z.infer<typeof schema>;

/** The fields of a record step, each with its pattern and whether it may stay empty. */
export function recordFields(step: RecordStep): Array<{ id: string; pattern: string | undefined; optional: boolean }> {
  return step.fields.map((f) => (typeof f === 'string' ? { id: f, pattern: undefined, optional: false } : { id: f.id, pattern: f.pattern, optional: f.optional ?? false }));
}

/** Values of a record step: every field given (unless optional), matching its pattern, nothing extra. */
export function checkValues(step: RecordStep, values: Record<string, string>): Problem | undefined {
  const fields = recordFields(step);
  for (const name of Object.keys(values)) {
    if (!fields.some((f) => f.id === name)) return refusal(step.id, 'values.unknown', `step ${step.id}: "${name}" is not a field of this step`, `fields: ${fields.map((f) => f.id).join(', ')}`);
  }
  for (const field of fields) {
    const value = values[field.id]?.trim() ?? '';
    if (value === '' && !field.optional) return refusal(step.id, 'values.missing', `step ${step.id}: field "${field.id}" is required`);
    if (value !== '' && field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
      return refusal(step.id, 'values.pattern', `step ${step.id}: field "${field.id}" does not match ${field.pattern}`);
    }
  }
  return undefined;
}

export const recordSpec = {
  type: 'record',
  schema,
  sensitive: false,
  title: { en: 'Record values', 'zh-TW': '記錄資料' },
  checkSubmission: (step, submission) => checkValues(step, submission.values),
  result: (step, submission) => {
    const fields = step.fields.map((f) => (typeof f === 'string' ? f : f.id));
    return { values: Object.fromEntries(fields.flatMap((f) => (submission.values[f] === undefined ? [] : [[f, submission.values[f]!.trim()]]))) };
  },
} satisfies StepSpec<RecordStep>;
