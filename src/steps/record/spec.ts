// record: typed values (serial numbers, bag numbers, the room) that a witness confirms.
// Each field is an id, or an id with a label, a pattern and whether it may stay empty.
import { z } from 'zod';
import { common, field } from '../shared/step-schema.js';
import { refusal, type ApprovalKit, type StepSpec, type TypedField } from '../spec-types.js';
import type { CeremonyContext, Problem } from '../../ceremony/types.js';

const schema = z.strictObject({ ...common, type: z.literal('record'), fields: z.array(field).min(1, { error: 'must list at least one field' }) });
export type RecordStep = z.infer<typeof schema>;

/** The fields of a record step, each with its pattern, whether it may stay empty, the token whose serial it is, and what it is evidence of. */
export type RecordField = TypedField;

export function recordFields(step: RecordStep): RecordField[] {
  return step.fields.map((f) =>
    typeof f === 'string'
      ? { id: f, label: undefined, pattern: undefined, format: undefined, example: undefined, optional: false, hsmSerial: undefined, evidence: undefined }
      : {
          id: f.id,
          label: f.label,
          pattern: f.pattern,
          format: f.format,
          example: f.example,
          optional: f.optional ?? false,
          hsmSerial: f.hsmSerial,
          evidence: f.evidence ?? impliedEvidence(f),
        },
  );
}

/**
 * What a field is evidence of when its definition says so by what it is rather than by an
 * `evidence` tag: a serial read back from the HSM is the HSM's serial, a custody seal is a bag
 * number. The report's audit evidence rows said "not declared: the script has no field for
 * it" for both although the script records them (review terms16t).
 */
function impliedEvidence(f: { hsmSerial?: string | undefined; seal?: string | undefined }): RecordField['evidence'] {
  if (f.hsmSerial !== undefined) return 'hsm-serial';
  if (f.seal !== undefined) return 'bag-numbers';
  return undefined;
}

const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);

/**
 * A value as it is recorded: trimmed and, when it matches its pattern only in capitals (an
 * upper-case pattern typed in lower case: "ab123456" for two letters and six digits),
 * upper-cased. The screen says so; the journal holds the upper-case value.
 */
export function recordedValue(pattern: string | undefined, typed: string): { value: string; upperCased: boolean } {
  const value = typed.trim();
  if (pattern === undefined || value === '' || matches(pattern, value)) return { value, upperCased: false };
  const upper = value.toUpperCase();
  return upper !== value && matches(pattern, upper) ? { value: upper, upperCased: true } : { value, upperCased: false };
}

/** A pattern whose every match has one length (no *, +, ?, {m,n} or |): then the example's length is the only one. */
const fixedLength = (pattern: string): boolean => !/[*+?|]|\{\d*,\d*\}/.test(pattern.replace(/\\./g, ''));

/**
 * Why a typed value is refused, named as it is wrong (review of issue 16 at 80x24): "ab12345"
 * for two capital letters and six digits was refused as "must be two capital letters…", read
 * as a complaint about case, which is upper-cased and accepted. A value of the wrong length
 * (for a pattern of one length) is refused for its length; a value in lower case that is
 * wrong in capitals too is told case does not matter; otherwise the format and example. The
 * value itself is not quoted: the ✗ stays while it is edited, until Enter checks it again.
 */
function formatRefusal(pattern: string, value: string, shown: { format: string; example: string }, t: ApprovalKit['t']): string {
  const m = [...shown.example].length;
  if ([...value].length !== m && fixedLength(pattern)) return t('record.wrongLength', { m, ...shown });
  if (value.toUpperCase() !== value) return t('record.notFormatAnyCase', shown);
  return t('record.notFormat', shown);
}

/**
 * A token's serial as it is recorded: typed in another letter case than the token reports it
 * ("0D6519DC3379BB1F" for "0d6519dc3379bb1f"), the token's own form, so the report shows the
 * serial one way. The comparison ignores case; the screen says the value was recorded so.
 */
export function recordedSerial(reported: string | undefined, typed: string): { value: string; asReported: boolean } {
  const value = typed.trim();
  if (reported === undefined || value === reported || value.toUpperCase() !== reported.toUpperCase()) return { value, asReported: false };
  return { value: reported, asReported: true };
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
/**
 * Where this ceremony already recorded a value, a seal number typed again as the new seal: the
 * step and field, from the completed steps' values. A seal out on a bag already recorded (the
 * bag just cut open) would reseal the object in it (review16g item 9). The step's own type
 * cannot name the definition's (it is built from the step specs), so every recorded value counts.
 */
export function recordedEarlier(context: Pick<CeremonyContext, 'results'>, value: string): { step: string; field: string } | undefined {
  for (const [step, result] of Object.entries(context.results)) {
    for (const [field, recorded] of Object.entries(result?.values ?? {})) {
      // A field of several bag numbers (new-bags: five, one space between) records each of them (review at 80x24, M3).
      if (typeof recorded === 'string' && recorded.split(/\s+/).some((one) => one.toUpperCase() === value.toUpperCase())) return { step, field };
    }
  }
  return undefined;
}

export function checkValues(step: RecordStep, values: Record<string, string>, context?: Pick<CeremonyContext, 'prepared' | 'results'>): Problem | undefined {
  const fields = recordFields(step);
  // The fields whose value is the new seal an object is put away under (seal: out).
  const sealsOut = new Set(step.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'out' ? [f.id] : [])));
  for (const name of Object.keys(values)) {
    if (!fields.some((f) => f.id === name))
      return refusal(step.id, 'values.unknown', `step ${step.id}: "${name}" is not a field of this step`, `fields: ${fields.map((f) => f.id).join(', ')}`);
  }
  for (const field of fields) {
    const { value } = recordedValue(field.pattern, values[field.id] ?? '');
    if (value === '' && !field.optional)
      return refusal(step.id, 'values.missing', `step ${step.id}: field "${field.id}" is required`, undefined, { field: field.id });
    if (value !== '' && field.pattern && !matches(field.pattern, value)) {
      const words = field.format ? `: it must be ${field.format.en}, e.g. ${field.example}` : '';
      return refusal(step.id, 'values.pattern', `step ${step.id}: field "${field.id}" does not match ${field.pattern}${words}`, undefined, {
        field: field.id,
        ...(field.example ? { example: field.example } : {}),
      });
    }
    if (value !== '' && sealsOut.has(field.id) && context) {
      const earlier = recordedEarlier(context, value);
      if (earlier)
        return refusal(
          step.id,
          'values.seal-recorded',
          `step ${step.id}: field "${field.id}" is ${value}, already recorded in this ceremony at step ${earlier.step} (field "${earlier.field}")`,
          'seal the object in a new bag and type its number; a bag opened or used in this ceremony cannot seal it again',
        );
    }
    if (value !== '' && field.hsmSerial) {
      // The serial written on the device or its papers, against the token's own answer: a
      // typo, or another token plugged in, is refused (the value is never just taken).
      const reported = reportedSerials(context)[field.hsmSerial];
      if (reported === undefined)
        return refusal(
          step.id,
          'values.hsm-serial-unread',
          `step ${step.id}: the serial of token "${field.hsmSerial}" was not read from the HSM`,
          'resume the ceremony so the token is read again',
          { token: field.hsmSerial },
        );
      if (value.toUpperCase() !== reported.toUpperCase()) {
        return refusal(
          step.id,
          'values.hsm-serial',
          `step ${step.id}: field "${field.id}" is ${value}, which is not the serial token "${field.hsmSerial}" reports`,
          'read the serial again from the device in front of you; if it differs, this is not the token of the script: stop and record an exception',
          { field: field.id, token: field.hsmSerial, typed: value, reported },
        );
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
  typedFields: recordFields,
  prepares: (step) => serialTokens(step).length > 0,
  check: (step, scan) => {
    step.fields.forEach((f, i) => {
      if (typeof f !== 'string' && f.hsmSerial !== undefined) scan.needToken(scan.at('fields', i, 'hsmSerial'), f.hsmSerial);
    });
  },
  checkSubmission: (step, submission, context) => checkValues(step, submission.values, context),
  reported: (step, context) => Object.fromEntries(recordFields(step).flatMap((f) => (f.hsmSerial ? [[f.id, reportedSerials(context)[f.hsmSerial]]] : []))),
  result: (step, submission, context?: CeremonyContext) => {
    const values = recordFields(step).flatMap((f): Array<[string, string]> => {
      const typed = submission.values[f.id];
      if (typed === undefined) return [];
      const recorded = recordedValue(f.pattern, typed).value;
      return [[f.id, f.hsmSerial ? recordedSerial(reportedSerials(context)[f.hsmSerial], recorded).value : recorded]];
    });
    return { values: Object.fromEntries(values) };
  },
  scriptRows: (step, { t, lang, fieldLabel }) => [
    [
      t.fields,
      step.fields.map((f) => {
        if (typeof f === 'string') return lang === 'en' ? f : fieldLabel(f);
        // The pattern itself is never shown: its description and an example are (schema: required with a pattern).
        const notes = [...(f.format && f.example !== undefined ? [t.fieldFormat(f.format[lang], f.example)] : []), ...(f.optional ? [t.fieldOptional] : [])];
        // In English the field id follows its label, as the answers file and the journal name
        // the field; the Chinese text names it by its label alone (issue 16).
        const name = lang === 'en' && f.label ? `${f.label.en} (${f.id})` : fieldLabel(f.id);
        return notes.length === 0 ? name : `${name}${t.colon}${notes.join(t.listSeparator)}`;
      }),
    ],
  ],
  asks: (step, { t, lang, valueName, token, context, recordedAt }) => {
    const sealsOut = new Set(step.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'out' ? [f.id] : [])));
    return recordFields(step).map((field) => {
      // The pattern is never shown: its description and an example are (issue 16 item 8).
      const format = field.format && field.example !== undefined ? t('record.format', { format: field.format[lang], example: field.example }) : undefined;
      const help = field.hsmSerial ? t('record.hsmSerialHelp', { token: token(field.hsmSerial) }) : format;
      return {
        name: valueName(field.id),
        label: field.label ? field.label[lang] : field.id,
        optional: field.optional,
        ...(help ? { help } : {}),
        check: (value: string) => {
          // A token's serial is compared at once with what the token reports (not shown: it is read off the device).
          const serialOf = field.hsmSerial;
          const reported = serialOf ? reportedSerials(context)[serialOf] : undefined;
          if (serialOf && reported !== undefined && value.trim() !== '' && value.trim().toUpperCase() !== reported.toUpperCase())
            return t('record.hsmSerialMismatch', { token: token(serialOf) });
          // A new seal on a bag this ceremony already recorded (the bag just cut open) is refused
          // as it is typed, by the labels people know; the machine refuses it again (checkValues).
          const earlier = sealsOut.has(field.id) ? recordedEarlier(context, recordedValue(field.pattern, value).value) : undefined;
          if (earlier) return t('record.sealRecorded', { value: recordedValue(field.pattern, value).value, ...recordedAt(earlier.step, earlier.field) });
          if (!field.pattern || recordedValue(field.pattern, value).value.match(new RegExp(`^(?:${field.pattern})$`))) return undefined;
          if (!field.format || field.example === undefined) return t('record.notFormatUnknown');
          return formatRefusal(field.pattern, value.trim(), { format: field.format[lang], example: field.example }, t);
        },
        describe: (value: string) => {
          const recorded = recordedValue(field.pattern, value);
          if (recorded.upperCased) return t('record.upperCased', { value: recorded.value });
          // Shown only once the serial typed matched it: read off the device, not copied from the screen.
          const serial = field.hsmSerial ? recordedSerial(reportedSerials(context)[field.hsmSerial], recorded.value) : undefined;
          return serial?.asReported ? t('record.asTokenReports', { value: serial.value }) : undefined;
        },
      };
    });
  },
} satisfies StepSpec<RecordStep>;
