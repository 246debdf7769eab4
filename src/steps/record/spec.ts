// record: typed values (serial numbers, bag numbers, the room) that a witness confirms.
// Each field is an id, or an id with a label, a pattern and whether it may stay empty.
import { z } from 'zod';
import { common, field } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';
import type { CeremonyContext, Problem } from '../../ceremony/types.js';

const schema = z.strictObject({ ...common, type: z.literal('record'), fields: z.array(field).min(1, { error: 'must list at least one field' }) });
export type RecordStep = z.infer<typeof schema>;

/** The fields of a record step, each with its pattern, whether it may stay empty, and the token whose serial it is. */
export function recordFields(step: RecordStep): Array<{ id: string; pattern: string | undefined; optional: boolean; hsmSerial: string | undefined }> {
  return step.fields.map((f) => (typeof f === 'string' ? { id: f, pattern: undefined, optional: false, hsmSerial: undefined } : { id: f.id, pattern: f.pattern, optional: f.optional ?? false, hsmSerial: f.hsmSerial }));
}

/** The tokens whose serials a record step asks for (run.ts reads them from the HSM before the step is shown). */
export function serialTokens(step: RecordStep): string[] {
  return [...new Set(recordFields(step).flatMap((f) => (f.hsmSerial ? [f.hsmSerial] : [])))];
}

/** What the prepare effect found: token name -> the serial the token reports (C_GetTokenInfo). */
export function reportedSerials(context: Pick<CeremonyContext, 'prepared'> | undefined): Record<string, string> {
  const serials = (context?.prepared as { tokenSerials?: unknown } | undefined)?.tokenSerials;
  return serials && typeof serials === 'object' ? (serials as Record<string, string>) : {};
}

/** Values of a record step: every field given (unless optional), matching its pattern, nothing extra. */
export function checkValues(step: RecordStep, values: Record<string, string>, context?: Pick<CeremonyContext, 'prepared'>): Problem | undefined {
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
    if (value !== '' && field.hsmSerial) {
      // The serial written on the device or its papers, against the token's own answer: a
      // typo, or another token plugged in, is refused (the value is never just taken).
      const reported = reportedSerials(context)[field.hsmSerial];
      if (reported === undefined) return refusal(step.id, 'values.hsm-serial-unread', `step ${step.id}: the serial of token "${field.hsmSerial}" was not read from the HSM`, 'resume the ceremony so the token is read again');
      if (value.toUpperCase() !== reported.toUpperCase()) {
        return refusal(step.id, 'values.hsm-serial', `step ${step.id}: field "${field.id}" is ${value}, which is not the serial token "${field.hsmSerial}" reports`, 'read the serial again from the device in front of you; if it differs, this is not the token of the script: stop and record an exception');
      }
    }
  }
  return undefined;
}

export const recordSpec = {
  type: 'record',
  schema,
  sensitive: false,
  title: { en: 'Record values', 'zh-TW': '記錄資料' },
  prepares: (step) => serialTokens(step).length > 0,
  check: (step, scan) => {
    step.fields.forEach((f, i) => {
      if (typeof f !== 'string' && f.hsmSerial !== undefined) scan.needToken(scan.at('fields', i, 'hsmSerial'), f.hsmSerial);
    });
  },
  checkSubmission: (step, submission, context) => checkValues(step, submission.values, context),
  result: (step, submission) => {
    const fields = step.fields.map((f) => (typeof f === 'string' ? f : f.id));
    return { values: Object.fromEntries(fields.flatMap((f) => (submission.values[f] === undefined ? [] : [[f, submission.values[f]!.trim()]]))) };
  },
} satisfies StepSpec<RecordStep>;
