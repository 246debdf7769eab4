// exception (as a planned step): the witness writes down any deviation so far, or "none".
// (An exception can also be recorded at any point, outside the steps: the `exception` event.)
import { z } from 'zod';
import { common } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';
import { saysNoDeviation, saysNone } from '../shared/no-deviation.js';

const schema = z.strictObject({ ...common, type: z.literal('exception') });
export type ExceptionStep = z.infer<typeof schema>;

export const exceptionSpec = {
  type: 'exception',
  schema,
  sensitive: false,
  title: { en: 'Record deviations', 'zh-TW': '記錄異常事項' },
  evidences: ['h'],
  listsDeviations: true,
  // The witness types "none" (or 無) when there was no deviation: the documents say so in their own language.
  saysNothing: (field, value) => field === 'text' && saysNone(value),
  checkSubmission: (step, submission) =>
    (submission.values.text ?? '').trim() === '' ? refusal(step.id, 'values.missing', `step ${step.id}: write the deviation, or "none"`) : undefined,
  writtenDeviation: (values) => {
    const written = 'text' in values && typeof values.text === 'string' ? values.text.trim() : '';
    // "none", and "none besides the n on record" (what the screen records for a typed none), are no deviation.
    return saysNoDeviation(written) ? undefined : written;
  },
  result: (_step, submission) => ({ values: { text: submission.values.text!.trim() } }),
  screenFacts: (_step, { t, context, person, deviationsListed }) =>
    // With the journal at hand the deviations are listed in full below the facts.
    deviationsListed
      ? []
      : [
          {
            label: t('facts.exceptions'),
            value: context.exceptions.length
              ? context.exceptions.map((e, i) => t('common.aside', { text: `${i + 1}. ${e.text}`, aside: person(e.by) })).join(t('list.semicolon'))
              : t('facts.noExceptions'),
          },
        ],
  asks: (_step, { deviationText }) => [deviationText('text')],
} satisfies StepSpec<ExceptionStep>;
